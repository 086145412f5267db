// ccwboot_main: console, boot context, boot order, dispatch.
#include "ccwboot/arch/iplb.h"
#include "ccwboot/arch/lowcore.h"
#include "ccwboot/arch/psw.h"
#include "ccwboot/arch/sense_id.h"
#include "ccwboot/endian.h"
#include "ccwboot/boot/boot_context.h"
#include "ccwboot/boot/boot_order.h"
#include "ccwboot/boot/storage_reuse.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/log.h"
#include "ccwboot/virtio/virtio_ccw.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/console.h"
#include "ccwboot/platform/dasd_menu.h"
#include "ccwboot/platform/entry_lowcore.h"
#include "ccwboot/platform/handoff.h"
#include "ccwboot/platform/image.h"
#include "ccwboot/platform/machine_uuid.h"
#include "ccwboot/platform/ipl_block.h"
#include "ccwboot/platform/panic.h"
#include "ccwboot/platform/storage_clear.h"
#include "ccwboot/platform/subchannel_io.h"
#include "cpu.h"
#include "probe.h"
#include "sclp.h"

extern "C" void ccwboot_run_init_array();

#define LOG_PREFIX "ccwboot: "

namespace ccwboot {

void set_storage_size(u64 bytes);  // absolute_memory.cc

namespace {

// Decoded once, reached by every boot path through its BootTarget.
boot::BootContext g_ctx;
boot::BootOrder g_order;

// diag 308 response codes in R1+1.
constexpr long kDiag308Stored = 0x0001;

// The program-check new PSW: any unexpected program interruption panics.
void install_program_check_handler() {
  u8* lc = cpu::real_ptr(0);
  be::store64(lc + lowcore::kProgramNewPsw, psw_mask::k64Bit);
  be::store64(lc + lowcore::kProgramNewPsw + 8, reinterpret_cast<u64>(&program_check_entry));
}

// QEMU's IPL parameters (0xcc), the IPL parameter block (diag 308 subcode 6,
// read once, into the page the boot paths hand over) and its chain, and the
// SCLP loadparm.
void load_context(const sclp::ScpInfo& scp) {
  u8 qipl[boot::kQemuIplSize] = {};
  absolute_memory().read(boot::kQemuIplAddress, qipl, sizeof qipl);
  u8* page = ipl_block_page();
  const bool stored = diag308_store_ipl_parameters(page) == kDiag308Stored;
  boot::load_boot_context(&g_ctx, qipl, stored ? page : nullptr, kIplbMaxSize,
                          reinterpret_cast<u64>(page), scp.valid ? scp.loadparm : nullptr,
                          absolute_memory());
}

void print_loadparm() {
  // As QEMU passes it with the first boot device, else the machine's.
  const bool from_iplb =
      g_ctx.iplb_count > 0 && g_ctx.iplb_position[0] == 0 && g_ctx.iplb[0].loadparm_valid;
  log_printf("LOADPARM=[%s]\n", from_iplb ? g_ctx.iplb[0].loadparm : g_ctx.sclp_loadparm);
  if (g_ctx.chain) {
    const u64 chain = g_ctx.qipl.next_iplb;
    LOG("QEMU passed %d boot devices (bootindex order); chained IPL parameter "
        "blocks at 0x%llx-0x%llx\n",
        g_ctx.iplb_count, chain, chain + u64{g_ctx.qipl.chain_len} * boot::kIplbPageSize);
  }
}

// Storage a previous system used (QEMU's load clear and system_reset do not
// clear it) is cleared as QEMU's start leaves it, before anything is loaded:
// after the boot context is read (QEMU's chain of IPL blocks lies in it), and
// only then. A first IPL finds the new PSWs zero and pays nothing. Only under
// QEMU's TCG, where the previous system's translated code would make the next
// one crawl; under KVM the next system runs as well on uncleared storage, and
// clearing would make all of the guest's memory resident on the host.
void clear_previous_system() {
  if (!boot::storage_was_used(entry_lowcore(), lowcore::kSize)) return;
  if (!machine_is_qemu_tcg()) {
    LOG("storage was in use before this IPL (new PSWs set at entry); left as it is (not QEMU's "
        "TCG)\n");
    return;
  }
  AddrRange ranges[2];
  const u32 n = boot::storage_to_clear(storage_size(), image_range(), ranges);
  u64 pages = 0;
  const u64 t0 = cpu::stck();
  for (u32 i = 0; i < n; ++i) clear_pages(ranges[i], &pages);
  const u64 ms = (cpu::stck() - t0) / cpu::tod_ms(1);
  LOG("storage was in use before this IPL (new PSWs set at entry: a re-IPL or reset that did "
      "not clear it); cleared %llu MiB in %llu ms\n",
      pages >> 8, ms);
}

// The probe behind the portable boot order: STSCH over a subchannel set, SENSE ID.
class PlatformProbe final : public boot::DeviceProbe {
 public:
  explicit PlatformProbe(u8 max_ssid) : max_ssid_(max_ssid) {}
  WaitCode locate(u8 ssid, u16 devno, BootDevice* dev) override {
    if (ssid > max_ssid_ || !find_devno(ssid, devno, dev)) return WaitCode::kBootDeviceMissing;
    const WaitCode rc = identify(dev);
    disable(*dev);
    return rc;
  }
  int scan(BootDevice* out, int max) override { return scan_bootable(max_ssid_, out, max); }

 private:
  u8 max_ssid_;
};

// The boot paths, by device kind.
class PlatformPaths final : public boot::BootPaths {
 public:
  WaitCode boot(const boot::BootTarget& t) override {
    if (!enable_subchannel(t.dev.schid)) return WaitCode::kEnableSubchannelFailed;
    select_ipl_block(t);
    WaitCode rc;
    switch (t.kind) {
      case boot::DeviceKind::kDasd: rc = boot_dasd(t); break;
      case boot::DeviceKind::kVirtioNet: rc = boot_virtio_net(t); break;
      case boot::DeviceKind::kVirtioBlock:
      case boot::DeviceKind::kVirtioScsi: rc = boot_virtio_blk(t); break;
      case boot::DeviceKind::kOther:
      default:
        // Other virtio devices get the virtio path's own verdict (not a disk).
        rc = t.dev.cu_type == cu_type::kVirtio ? boot_virtio_blk(t) : WaitCode::kUnsupportedDevice;
        break;
    }
    // Only the device that boots stays enabled.
    disable(t.dev);
    return rc;
  }
};

#ifdef CCWBOOT_HANDOFF_SELFTEST
// Test image only (handoff-selftest.img, tests/qemu): a hand-made "loaded
// system" at 0x800 that stores the subsystem-id word from 0xB8 into the
// address of its own disabled-wait PSW, so the emulator's wait report proves
// both the jump and the 0xB8 store.
[[noreturn]] void handoff_selftest() {
  static const u8 kPayload[] = {
      0x58, 0x10, 0x00, 0xb8,  // L    1,X'B8'
      0x50, 0x10, 0x08, 0x14,  // ST   1,X'814'   (address word of the PSW at 0x810)
      0x82, 0x00, 0x08, 0x10,  // LPSW X'810'
  };
  static const u8 kWaitPsw[] = {0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  AbsoluteMemory& mem = absolute_memory();
  // Write the payload with the prefix moved, as the DASD path does, so the
  // run also proves AbsoluteMemory's mapping and console output under a moved
  // prefix (the payload must end up at *absolute* 0x800).
  u64 p = firmware_prefix_area();
  move_prefix(p);
  LOG("handoff selftest: prefix moved to 0x%llx\n", p);
  mem.write(0x800, kPayload, sizeof kPayload);
  mem.write(0x810, kWaitPsw, sizeof kWaitPsw);
  static const u8 kMarker[4] = {0xc3, 0xc3, 0xe6, 0xc2};
  mem.write(p + 0x900, kMarker, sizeof kMarker);  // absolute P+0x900 = real 0x900 now
  u8 back[4] = {};
  bool ok = cpu::real_ptr(0x900)[0] == 0xc3 && cpu::real_ptr(0x900)[3] == 0xc2;
  restore_prefix();
  mem.read(p + 0x900, back, sizeof back);
  ok = ok && back[0] == 0xc3 && back[3] == 0xc2 && cpu::real_ptr(0x800)[0] == 0x58 &&
       cpu::real_ptr(0x810)[1] == 0x0a;
  if (!ok) panic(WaitCode::kInternal, "handoff selftest: absolute/real mapping is wrong");
  LOG("handoff selftest: prefix mapping checked\n");
  // The boot menu's way of handing a DASD entry to zipl's stage 2: loadparm 7
  // for the test's device (diag 308 set, read back with Read SCP Info). QEMU
  // takes it; a machine that does not is named (kMenuLoadparmNotDelivered).
  BootDevice selftest_dev;
  selftest_dev.devno = 0x0007;
  const WaitCode lp = dasd_deliver_entry(selftest_dev, 7);
  LOG("handoff selftest: menu loadparm: %s\n", wait_code_info(lp).name);
  // A subchannel that exists (the handoff enables it as an IPL leaves it):
  // the tests give the machine one device, which is subchannel 0.0000.
  constexpr u32 kSelftestSchid = 0x0001'0000;
  LOG("handoff selftest: payload at 0x800, schid %08x\n", kSelftestSchid);
  handoff_to_ipl_psw(kSelftestSchid, short_psw::make_start(0x800));
}
#endif

}  // namespace

[[noreturn]] void run() {
  save_entry_lowcore();  // before anything can interrupt
  install_program_check_handler();
  ccwboot_run_init_array();
  if (console_init() == ConsoleKind::kNone) disabled_wait(WaitCode::kConsoleFailed);

  sclp::ScpInfo scp = sclp::read_scp_info();
  if (scp.valid) set_storage_size(scp.storage_bytes);
  load_context(scp);
  print_loadparm();
  LOG("%llu MiB storage, firmware at 0x%llx (relocated by %s), console %s (SCLP receive "
      "mask %08x)\n",
      storage_size() >> 20, static_cast<u64>(reinterpret_cast<usize>(__image_start)),
      ccwboot_self_relocated ? "itself" : "the loader",
      console_kind() == ConsoleKind::kAscii ? "ASCII" : "line-mode", console_sclp_receive_mask());

  clear_previous_system();

#ifdef CCWBOOT_HANDOFF_SELFTEST
  handoff_selftest();
#endif
  const u8 max_ssid = enable_multiple_subchannel_sets();
  PlatformProbe probe(max_ssid);
  boot::build_boot_order(g_ctx, probe, &g_order);
  if (g_order.count == 0 && g_ctx.iplb_count > 0) {
    // The user named devices and none of them, nor anything else, can be booted.
    panic(WaitCode::kBootDeviceMissing, "device 0.%x.%04x, and no other bootable device",
          static_cast<unsigned>(g_ctx.iplb[0].ssid), static_cast<unsigned>(g_ctx.iplb[0].devno));
  }
  if (g_order.count == 0) {
    panic(WaitCode::kNoBootDevice, "scanned subchannel sets 0-%u", static_cast<unsigned>(max_ssid));
  }

  // The owner may pick another device (and entry) at the boot menu: it goes first.
  const int chosen = boot_menu_pass(g_order);
  if (chosen > 0) {
    const boot::BootTarget t = g_order.target[chosen];
    for (int j = chosen; j > 0; --j) g_order.target[j] = g_order.target[j - 1];
    g_order.target[0] = t;
  }

  PlatformPaths paths;
  const boot::BootOutcome out = boot::run_boot_order(g_order, paths);
  const BootDevice& dev = g_order.target[out.target < 0 ? 0 : out.target].dev;
  panic(out.code, "device 0.%x.%04x (CU %04x)%s", static_cast<unsigned>(dev.ssid),
        static_cast<unsigned>(dev.devno), static_cast<unsigned>(dev.cu_type),
        g_order.count > 1 && out.target == g_order.count - 1 ? ", the last of the boot order" : "");
}

}  // namespace ccwboot

extern "C" [[noreturn]] void ccwboot_main() { ccwboot::run(); }
