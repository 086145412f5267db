// ccwboot_main: console, boot parameters, boot device, dispatch.
#include "ccwboot/arch/iplb.h"
#include "ccwboot/arch/lowcore.h"
#include "ccwboot/arch/psw.h"
#include "ccwboot/arch/sense_id.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/be.h"
#include "ccwboot/log.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/console.h"
#include "ccwboot/platform/handoff.h"
#include "ccwboot/platform/panic.h"
#include "cpu.h"
#include "ccwboot/platform/subchannel_io.h"
#include "probe.h"
#include "sclp.h"

extern "C" void ccwboot_run_init_array();

namespace ccwboot {

void set_storage_size(u64 bytes);  // absolute_memory.cc

namespace {

alignas(4096) u8 g_iplb[kIplbMaxSize];

// diag 308 response codes in R1+1.
constexpr long kDiag308Stored = 0x0001;

// The program-check new PSW: any unexpected program interruption panics.
void install_program_check_handler() {
  u8* lc = cpu::real_ptr(0);
  be::store64(lc + lowcore::kProgramNewPsw, psw_mask::k64Bit);
  be::store64(lc + lowcore::kProgramNewPsw + 8, reinterpret_cast<u64>(&program_check_entry));
}

IplParameters read_ipl_parameters() {
  long rc = diag308_store_ipl_parameters(g_iplb);
  if (rc != kDiag308Stored) return {};
  return decode_iplb(g_iplb, sizeof g_iplb);
}

char g_loadparm[9] = "        ";

void print_loadparm(const IplParameters& ipl, const sclp::ScpInfo& scp) {
  char* lp = g_loadparm;
  if (ipl.valid && ipl.loadparm_valid) {
    for (int i = 0; i < 8; ++i) lp[i] = ipl.loadparm[i];
  } else if (scp.valid) {
    for (int i = 0; i < 8; ++i) lp[i] = ebcdic_to_ascii(scp.loadparm[i]);
  }
  log_printf("LOADPARM=[%s]\n", lp);
}

void describe(const BootDevice& d, const char* why) {
  log_printf("ccwboot: boot device %x.%x.%04x (subchannel %x.%x.%04x, %s): CU %04x-%02x, "
             "device %04x-%02x\n",
             0u, static_cast<unsigned>(d.ssid), static_cast<unsigned>(d.devno), 0u,
             static_cast<unsigned>(d.ssid), static_cast<unsigned>(d.schno), why,
             static_cast<unsigned>(d.cu_type), static_cast<unsigned>(d.cu_model),
             static_cast<unsigned>(d.dev_type), static_cast<unsigned>(d.dev_model));
}

// The IPLB names one device (QEMU 7.2 passes only the first in boot order).
// It goes first; when it cannot be found or identified that is reported and
// the scan's devices are tried instead.
bool candidate_from_iplb(const IplParameters& ipl, u8 max_ssid, BootCandidates* out) {
  BootDevice dev;
  if (ipl.ssid > max_ssid || !find_devno(ipl.ssid, ipl.devno, &dev)) {
    log_printf("ccwboot: no subchannel for IPL device 0.%x.%04x\n", static_cast<unsigned>(ipl.ssid),
               static_cast<unsigned>(ipl.devno));
    return false;
  }
  WaitCode rc = identify(&dev);
  if (rc != WaitCode::kNone) {
    log_printf("ccwboot: IPL device 0.%x.%04x: %s\n", static_cast<unsigned>(ipl.ssid),
               static_cast<unsigned>(ipl.devno), wait_code_info(rc).message);
    return false;
  }
  disable(dev);
  out->dev[out->count++] = dev;
  return true;
}

// After the IPL device: every other bootable device, in scan order.
void append_scanned(u8 max_ssid, BootCandidates* out) {
  BootCandidates scanned;
  scan_bootable(max_ssid, &scanned);
  for (int i = 0; i < scanned.count && out->count < BootCandidates::kMax; ++i) {
    bool dup = false;
    for (int j = 0; j < out->count; ++j) dup |= out->dev[j].schid == scanned.dev[i].schid;
    if (!dup) out->dev[out->count++] = scanned.dev[i];
  }
}

WaitCode boot_one(const BootDevice& dev) {
  if (is_dasd_cu(dev.cu_type)) return boot_dasd(dev);
  if (dev.cu_type == cu_type::kVirtio && dev.cu_model == kVirtioIdNet) return boot_virtio_net(dev);
  if (dev.cu_type == cu_type::kVirtio) return boot_virtio_blk(dev);
  return WaitCode::kUnsupportedDevice;
}

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
  log_printf("ccwboot: handoff selftest: prefix moved to 0x%llx\n", p);
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
  log_printf("ccwboot: handoff selftest: prefix mapping checked\n");
  constexpr u32 kSelftestSchid = 0x0001'0006;
  log_printf("ccwboot: handoff selftest: payload at 0x800, schid %08x\n", kSelftestSchid);
  handoff_to_ipl_psw(kSelftestSchid, short_psw::make(0x0008'0000u, 0x8000'0800u));
}
#endif

}  // namespace

[[noreturn]] void run() {
  install_program_check_handler();
  ccwboot_run_init_array();
  if (console_init() == ConsoleKind::kNone) disabled_wait(WaitCode::kConsoleFailed);

  sclp::ScpInfo scp = sclp::read_scp_info();
  if (scp.valid) set_storage_size(scp.storage_bytes);
  IplParameters ipl = read_ipl_parameters();
  print_loadparm(ipl, scp);
  log_printf("ccwboot: %llu MiB storage, firmware at 0x%llx (relocated by %s), console %s (SCLP receive mask %08x)\n",
             storage_size() >> 20, static_cast<u64>(reinterpret_cast<usize>(__image_start)),
             ccwboot_self_relocated ? "itself" : "the loader",
             console_kind() == ConsoleKind::kAscii ? "ASCII" : "line-mode",
             console_sclp_receive_mask());

#ifdef CCWBOOT_HANDOFF_SELFTEST
  handoff_selftest();
#endif
  u8 max_ssid = enable_multiple_subchannel_sets();
  BootCandidates cands;
  bool has_iplb_device = ipl.valid && (ipl.type == iplb_type::kCcw || ipl.type == iplb_type::kQemuScsi);
  bool from_iplb = false;
  if (has_iplb_device) {
    from_iplb = candidate_from_iplb(ipl, max_ssid, &cands);
  } else if (ipl.valid) {
    log_printf("ccwboot: IPL parameter block of type 0x%02x ignored\n", ipl.type);
  }
  append_scanned(max_ssid, &cands);
  if (cands.count == 0 && has_iplb_device) {
    // The user named a device and nothing else can stand in for it.
    panic(WaitCode::kBootDeviceMissing, "device 0.%x.%04x, and no other bootable device",
          static_cast<unsigned>(ipl.ssid), static_cast<unsigned>(ipl.devno));
  }
  if (cands.count == 0) {
    panic(WaitCode::kNoBootDevice, "scanned subchannel sets 0-%u", static_cast<unsigned>(max_ssid));
  }

  // The owner may pick another device (and entry) at the boot menu: it goes first.
  const int chosen = boot_menu_pass(cands.dev, cands.count, g_loadparm);
  if (chosen > 0) {
    const BootDevice d = cands.dev[chosen];
    for (int j = chosen; j > 0; --j) cands.dev[j] = cands.dev[j - 1];
    cands.dev[0] = d;
  }

  // Boot order: the IPL device, then the scan's devices. A device that fails
  // is reported and the next one tried; the last failure's code ends it.
  WaitCode rc = WaitCode::kInternal;
  for (int i = 0; i < cands.count; ++i) {
    BootDevice& dev = cands.dev[i];
    describe(dev, i == 0 && from_iplb ? "from the IPL parameter block"
                  : i == 0            ? "first bootable device found by the scan"
                                      : "next in boot order");
    if (!enable_subchannel(dev.schid)) {
      rc = WaitCode::kEnableSubchannelFailed;
    } else {
      rc = boot_one(dev);
      // A boot path that returns has failed; it must say why.
      if (rc == WaitCode::kNone) rc = WaitCode::kInternal;
    }
    if (i + 1 < cands.count) {
      log_printf("ccwboot: device 0.%x.%04x not booted: %s (0x%04x); trying the next device\n",
                 static_cast<unsigned>(dev.ssid), static_cast<unsigned>(dev.devno),
                 wait_code_info(rc).message, static_cast<unsigned>(rc));
      continue;
    }
    panic(rc, "device 0.%x.%04x (CU %04x)%s", static_cast<unsigned>(dev.ssid),
          static_cast<unsigned>(dev.devno), static_cast<unsigned>(dev.cu_type),
          cands.count > 1 ? ", the last of the boot order" : "");
  }
  panic(WaitCode::kInternal, "boot order exhausted");
}

}  // namespace ccwboot

extern "C" [[noreturn]] void ccwboot_main() { ccwboot::run(); }
