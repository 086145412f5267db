// The virtio boot path: virtio-blk disk → zipl boot map → chosen entry →
// loaded system → hand-off, as a hardware IPL from a SCSI/ECKD disk would.
#include "ccwboot/arch/iplb.h"
#include "ccwboot/arch/lowcore.h"
#include "ccwboot/endian.h"
#include "ccwboot/boot/boot_order.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/log.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/boot_menu.h"
#include "ccwboot/platform/handoff.h"
#include "ccwboot/platform/image.h"
#include "ccwboot/platform/ipl_block.h"
#include "ccwboot/boot/boot_select.h"
#include "ccwboot/virtio/virtio_ccw.h"
#include "ccwboot/zipl/boot_map.h"
#include "ccwboot/zipl/environment.h"
#include "ccwboot/zipl/stage3.h"
#include "boot_context.h"
#include "menu_pass.h"
#include "hypercall.h"
#include "virtio_blk_device.h"
#include "virtio_scsi_device.h"

#define LOG_PREFIX "ccwboot: "

namespace ccwboot {
namespace {

// The parser's tables and bounce buffers (~30 KiB) stay out of the stack.
zipl::BootMap g_map;
}  // namespace

virtio::MenuRequest menu_request(const boot::BootTarget& t) {
  virtio::MenuRequest r;
  r.flags = t.ctx->qipl.flags;
  r.timeout_ms = t.ctx->qipl.menu_timeout_ms;
  return r;
}

menu::DeviceKind kind_of(const BootDevice& dev) {
  return dev.cu_model == virtio::kDeviceIdScsi ? menu::DeviceKind::kVirtioScsi
                                               : menu::DeviceKind::kVirtioBlk;
}

namespace {

// zipl's environment block, which stage 3 expands into the command line with
// the values of the site the loadparm names: checked, and what applies said.
WaitCode report_environment(const zipl::Stage3Params& stage3, const char* loadparm, u32 ssid) {
  zipl::EnvironmentSummary env;
  const WaitCode rc = zipl::check_environment(absolute_memory(), stage3, &env);
  if (rc != WaitCode::kNone || !env.present) return rc;
  if (!env.signature) {
    LOG("zipl environment block at 0x%llx lacks its signature; stage 3 will "
        "leave ${...} in the command line\n",
        stage3.envblk_addr);
    return rc;
  }
  const int site = zipl::zipl_site(loadparm, ssid);
  if (site < 0) {
    LOG("zipl environment: %u common values; no site in loadparm [%s]\n", env.common, loadparm);
  } else {
    LOG("zipl environment: site %d (loadparm [%s]): %u site values, %u common\n", site, loadparm,
        env.site[site], env.common);
  }
  return rc;
}

WaitCode boot_from(BlockDevice& disk, const boot::BootTarget& t) {
  const BootDevice& dev = t.dev;
  WaitCode rc = g_map.open(disk);
  if (rc != WaitCode::kNone) return rc;
  const zipl::BootMenu& disk_menu = g_map.menu();
  LOG("%s boot map, %u numbered entr%s\n", zipl::scheme_name(disk_menu.scheme),
      disk_menu.highest_entry, disk_menu.highest_entry == 1 ? "y" : "ies");

  const virtio::Selection sel = virtio::select_boot_entry(t.loadparm, menu_request(t), disk_menu);
  if (sel.error != WaitCode::kNone) {
    LOG("loadparm [%s]: %s\n", t.loadparm, sel.reason);
    return sel.error;
  }
  if (sel.ignored_loadparm) {
    LOG("loadparm [%s] is not an entry number or PROMPT; ignored\n", t.loadparm);
  }
  if (sel.site >= 0) {
    LOG("loadparm [%s]: zipl site %d is for the loaded system\n", t.loadparm, sel.site);
  }
  const AddrRange image = image_range();
  zipl::LoadLimits limits;
  limits.reserved.add(image.start, image.end, "ccwboot image");
  zipl::LoadResult loaded;
  bool is_loaded = false;
  EditResult edit;
  edit.kind = EditResult::Kind::kCancelled;  // nothing edited unless the owner does

  u32 entry = sel.entry;
  bool want_edit = false;
  bool show_menu = sel.show_menu;
  const MenuDecision& decided = menu_decision();
  if (decided.made) {
    // The menu across devices was answered already: no second menu here.
    show_menu = false;
    if (decided.schid == dev.schid) {
      entry = decided.entry;
      want_edit = decided.edit;
    }
  }
  static menu::DeviceMenu choices;
  choices.clear();
  choices.add(dev.ssid, dev.devno, kind_of(dev))->entries = disk_menu;
  u32 timeout_ms = sel.menu_timeout_ms;
  // Until an entry is chosen to boot as it is, or its edited line accepted.
  for (int round = 0; round < 64; ++round) {
    if (show_menu) {
      const menu::Choice c = run_boot_menu(choices, timeout_ms);
      entry = c.kind == menu::Choice::Kind::kEntry ? c.entry : sel.entry;
      want_edit = c.edit;
    }
    if (!want_edit) break;
    // The line lives in the loaded image: load first, then edit it in place.
    rc = g_map.load(entry, absolute_memory(), limits, &loaded);
    if (rc != WaitCode::kNone) {
      end_menu_input();
      return rc;
    }
    edit =
        edit_kernel_parameters(absolute_memory(), loaded.entry_address, dev.ssid, dev.devno, entry);
    if (edit.kind == EditResult::Kind::kAccepted) {
      is_loaded = true;
      break;
    }
    show_menu = true;  // back to the menu (this device's)
    timeout_ms = 0;    // somebody is at the console: no countdown the second time
  }
  const bool by_menu = sel.show_menu || decided.made;
  if (entry == 0) {
    LOG("booting the default entry (%s)\n", by_menu ? "menu" : sel.reason);
  } else {
    LOG("booting entry %u%s%s (%s)\n", entry, disk_menu.entries[entry].name[0] ? " " : "",
        disk_menu.entries[entry].name, by_menu ? "menu" : sel.reason);
  }

  if (!is_loaded) rc = g_map.load(entry, absolute_memory(), limits, &loaded);
  if (rc != WaitCode::kNone) {
    end_menu_input();
    return rc;
  }
  LOG("loaded %u components, %llu bytes at 0x%llx-0x%llx; starting at 0x%llx\n", loaded.components,
      loaded.bytes_loaded, loaded.lowest, loaded.highest, loaded.entry_address);

  zipl::Stage3Params stage3;
  if (zipl::read_stage3_params(absolute_memory(), loaded.entry_address, &stage3)) {
    // zipl's stage 2 would have run before stage 3 on a DASD: do its part.
    if (zipl::pass_boot_image(absolute_memory(), stage3, entry)) {
      LOG("zipl stage 3 gets BOOT_IMAGE=%u, as from zipl's stage 2\n", entry);
    }
    rc = report_environment(stage3, t.loadparm, dev.ssid);
    if (rc != WaitCode::kNone) {
      end_menu_input();
      return rc;
    }
  }

  // Leave nothing running that could write memory behind the loaded system.
  disk.close();
  const u32 shown = entry != 0 ? entry : disk_menu.default_entry;
  announce_boot(dev.ssid, dev.devno, entry, disk_menu.default_entry,
                shown < zipl::kMaxEntries ? disk_menu.entries[shown].name : "", &edit);
  // The device's IPL block becomes the machine's (re-IPL, /sys/firmware/ipl)
  // and its address goes to 0x14, as QEMU's bios does for virtio IPL.
  publish_ipl_block(t);
  handoff_to_ipl_psw(dev.schid, loaded.psw);
}

// The boot map's menu of an opened disk.
WaitCode read_menu_from(BlockDevice& disk, zipl::BootMenu* out) {
  const WaitCode rc = g_map.open(disk);
  if (rc != WaitCode::kNone) return rc;
  *out = g_map.menu();
  return WaitCode::kNone;
}

// The LUN a QEMU SCSI-type IPL block names; without one, the device looks for it.
virtio::ScsiAddress scsi_address(const boot::BootTarget& t) {
  virtio::ScsiAddress addr;
  if (t.scsi_lun_named()) {
    addr.lun = t.iplb_params()->scsi_lun;
    addr.target = t.iplb_params()->scsi_target;
  }
  return addr;
}

// Opens the target's disk (virtio-scsi or virtio-blk), runs use(disk) and
// closes it: whatever failed, the device is reset before the next one is
// tried.
template <typename Use>
WaitCode with_disk(const boot::BootTarget& t, Use use) {
  auto run = [&](auto& disk) {
    WaitCode rc = disk.open();
    if (rc == WaitCode::kNone) rc = use(disk);
    disk.close();
    return rc;
  };
  if (t.kind == boot::DeviceKind::kVirtioScsi) {
    virtio::ScsiDevice disk(t.dev, scsi_address(t), !t.scsi_lun_named());
    return run(disk);
  }
  virtio::BlkDevice disk(t.dev);
  return run(disk);
}

}  // namespace

WaitCode virtio_read_menu(const boot::BootTarget& t, zipl::BootMenu* out) {
  return with_disk(t, [&](BlockDevice& disk) { return read_menu_from(disk, out); });
}

WaitCode boot_virtio_blk(const boot::BootTarget& t) {
  return with_disk(t, [&](BlockDevice& disk) { return boot_from(disk, t); });
}

}  // namespace ccwboot
