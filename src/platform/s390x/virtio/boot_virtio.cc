// The virtio boot path: virtio-blk disk → zipl boot map → chosen entry →
// loaded system → hand-off, as a hardware IPL from a SCSI/ECKD disk would.
#include "ccwboot/arch/iplb.h"
#include "ccwboot/arch/lowcore.h"
#include "ccwboot/be.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/log.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/handoff.h"
#include "ccwboot/platform/image.h"
#include "ccwboot/boot/boot_select.h"
#include "ccwboot/virtio/virtio_ccw.h"
#include "ccwboot/zipl/boot_map.h"
#include "disk_adapter.h"
#include "hypercall.h"
#include "menu_input.h"
#include "virtio_blk_device.h"
#include "virtio_scsi_device.h"

// The platform's guarded diag 308 (start.S): R1+1's response, -1 on a program check.
extern "C" long diag308_try(ccwboot::u64 r1_value, ccwboot::u64 subcode);

namespace ccwboot {
namespace {

// The parser's tables and bounce buffers (~30 KiB) stay out of the stack.
zipl::BootMap g_map;
alignas(4096) u8 g_iplb[kIplbMaxSize];

struct IplContext {
  char loadparm[9] = "        ";
  bool iplb_valid = false;
  bool scsi = false;               // QEMU SCSI-type block: a LUN behind virtio-scsi
  virtio::ScsiAddress scsi_address;
};

// QEMU's SCSI-type IPL block: LUN (u32) at 0x18, target (u16) at 0x1c.
constexpr u32 kIplbScsiLun = 0x18;
constexpr u32 kIplbScsiTarget = 0x1c;

// The loadparm as QEMU passes it with the IPL device (IPL parameter block).
IplContext read_ipl_context() {
  IplContext c;
  if (diag308_try(reinterpret_cast<u64>(g_iplb), 6) != 1) return c;
  IplParameters p = decode_iplb(g_iplb, sizeof g_iplb);
  c.iplb_valid = p.valid;
  if (p.valid && p.type == iplb_type::kQemuScsi) {
    c.scsi = true;
    c.scsi_address.lun = be::load32(g_iplb + kIplbScsiLun);
    c.scsi_address.target = be::load16(g_iplb + kIplbScsiTarget);
  }
  if (p.valid && p.loadparm_valid) {
    for (int i = 0; i < 8; ++i) c.loadparm[i] = p.loadparm[i];
  }
  return c;
}

// QEMU's menu request: flags at 0xcc, timeout (ms) at 0xd8 of absolute storage.
virtio::MenuRequest read_menu_request() {
  virtio::MenuRequest r;
  u8 flags = 0;
  u8 timeout[4] = {};
  absolute_memory().read(lowcore::kQemuIplFlags, &flags, 1);
  absolute_memory().read(lowcore::kQemuMenuTimeout, timeout, 4);
  r.flags = flags;
  r.timeout_ms = be::load32(timeout);
  return r;
}

// Shows the menu and returns the entry to boot: the user's answer when the
// console can read one, else the pre-selected entry once the timeout is over.
u32 run_menu(const virtio::Selection& sel, const zipl::BootMenu& menu) {
  virtio::print_boot_menu(menu);
  u32 timeout_ms = sel.menu_timeout_ms;
  const bool can_read = virtio::menu_input_available();
  if (!can_read) {
    // No way to read an answer on this console: don't wait forever.
    if (timeout_ms == 0) timeout_ms = virtio::kMenuDefaultTimeoutMs;
    log_printf("ccwboot: this console cannot read input; booting the default in %u s\n",
               (timeout_ms + 999) / 1000);
  } else if (timeout_ms != 0) {
    log_printf("Please choose (default will boot in %u seconds):\n", (timeout_ms + 999) / 1000);
  } else {
    log_printf("Please choose:\n");
  }
  // The timeout runs from when the menu is shown, across wrong answers.
  const u64 start_us = virtio::tod_microseconds();
  for (int attempts = 0; attempts < 16; ++attempts) {
    u32 left_ms = 0;
    if (timeout_ms != 0) {
      const u64 spent_ms = (virtio::tod_microseconds() - start_us) / 1000;
      if (spent_ms >= timeout_ms) break;
      left_ms = static_cast<u32>(timeout_ms - spent_ms);
    }
    char answer[16];
    u32 len = 0;
    if (!virtio::menu_read_line(answer, sizeof answer, left_ms, &len)) break;
    u32 entry = 0;
    if (virtio::parse_menu_choice(answer, len, menu, &entry)) return entry;
    log_printf("ccwboot: no entry '%.*s'; please choose again\n", static_cast<int>(len), answer);
  }
  log_printf("ccwboot: no choice made, booting the default entry\n");
  return sel.entry;
}

WaitCode boot_from(virtio::VirtioDisk& disk, const BootDevice& dev, const IplContext& ipl) {
  virtio::DiskAdapter adapter(disk);
  WaitCode rc = g_map.open(adapter);
  if (rc != WaitCode::kNone) {
    if (adapter.last_error() != WaitCode::kNone) return adapter.last_error();
    return rc;
  }
  const zipl::BootMenu& menu = g_map.menu();
  log_printf("ccwboot: %s boot map, %u numbered entr%s\n", zipl::scheme_name(menu.scheme),
             menu.highest_entry, menu.highest_entry == 1 ? "y" : "ies");

  const virtio::Selection sel = virtio::select_boot_entry(ipl.loadparm, read_menu_request(), menu);
  if (sel.error != WaitCode::kNone) {
    log_printf("ccwboot: loadparm [%s]: %s\n", ipl.loadparm, sel.reason);
    return sel.error;
  }
  if (sel.ignored_loadparm) {
    log_printf("ccwboot: loadparm [%s] is not an entry number or PROMPT; ignored\n", ipl.loadparm);
  }
  u32 entry = sel.show_menu ? run_menu(sel, menu) : sel.entry;
  if (entry == 0) {
    log_printf("ccwboot: booting the default entry (%s)\n", sel.show_menu ? "menu" : sel.reason);
  } else {
    log_printf("ccwboot: booting entry %u%s%s (%s)\n", entry, menu.entries[entry].name[0] ? " " : "",
               menu.entries[entry].name, sel.show_menu ? "menu" : sel.reason);
  }

  const AbsRange image = image_range();
  const zipl::ReservedRange reserved[] = {
      {image.start, image.end, "ccwboot image"},
  };
  zipl::LoadLimits limits;
  limits.reserved = reserved;
  limits.reserved_count = 1;
  zipl::LoadResult loaded;
  rc = g_map.load(entry, absolute_memory(), limits, &loaded);
  if (rc != WaitCode::kNone) {
    if (adapter.last_error() != WaitCode::kNone) return adapter.last_error();
    return rc;
  }
  log_printf("ccwboot: loaded %u components, %llu bytes at 0x%llx-0x%llx; starting at 0x%llx\n",
             loaded.components, loaded.bytes_loaded, loaded.lowest, loaded.highest,
             loaded.entry_address);

  // Leave nothing running that could write memory behind the loaded system.
  disk.close();
  // Like QEMU's bios for virtio IPL: the IPLB's address at 0x14 for the OS.
  if (ipl.iplb_valid) {
    u8 ptr[4];
    be::store32(ptr, static_cast<u32>(reinterpret_cast<u64>(g_iplb)));
    absolute_memory().write(lowcore::kIplbAddress, ptr, 4);
  }
  handoff_to_ipl_psw(dev.schid, loaded.psw);
}

}  // namespace

WaitCode boot_virtio_blk(const BootDevice& dev) {
  const IplContext ipl = read_ipl_context();
  WaitCode rc;
  if (dev.cu_model == virtio::kDeviceIdScsi) {
    // The IPL block names the LUN; without one, the device looks for it.
    virtio::ScsiDevice disk(dev, ipl.scsi_address, !ipl.scsi);
    rc = disk.open();
    if (rc == WaitCode::kNone) rc = boot_from(disk, dev, ipl);
    disk.close();
    return rc;
  }
  virtio::BlkDevice disk(dev);
  rc = disk.open();
  if (rc != WaitCode::kNone) return rc;
  rc = boot_from(disk, dev, ipl);
  disk.close();
  return rc;
}

}  // namespace ccwboot
