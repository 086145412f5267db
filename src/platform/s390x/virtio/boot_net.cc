// The network boot path: virtio-net-ccw device -> DHCP -> TFTP (src/core/net)
// -> loaded system -> hand-off. A failure resets the device and returns its
// code so the boot order can go on to the next device. The menu across
// devices reads the pxelinux.cfg first (net_read_menu) and may choose the
// entry, and `e`, before the boot runs.
#include "../cpu.h"
#include "boot_context.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/log.h"
#include "ccwboot/menu/kernel_cmdline.h"
#include "ccwboot/net/netboot.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/boot_menu.h"
#include "ccwboot/platform/handoff.h"
#include "ccwboot/platform/image.h"
#include "ccwboot/platform/ipl_block.h"
#include "ccwboot/platform/machine_uuid.h"
#include "hypercall.h"
#include "menu_pass.h"
#include "virtio_net_device.h"

#define LOG_PREFIX "net: "

namespace ccwboot {
namespace {

// Puts the firmware's lowcore back at absolute 0 after a failed load wrote
// there (while the prefix was moved), then the prefix back to 0.
void undo_prefix_move() {
  absolute_memory().write(0, cpu::real_ptr(0), 8192);
  restore_prefix();
}

BootDevice g_dev;   // the device whose entries the menu shows
EditResult g_edit;  // what the editor did to the append line

// The pxelinux.cfg's labels in the console boot menu (one device).
u32 choose_entry(const virtio::Selection& sel, const zipl::BootMenu& entries, bool* edit) {
  static menu::DeviceMenu choices;
  choices.clear();
  choices.add(g_dev.ssid, g_dev.devno, menu::DeviceKind::kNetwork)->entries = entries;
  const menu::Choice c = run_boot_menu(choices, sel.menu_timeout_ms);
  *edit = c.edit;
  return c.kind == menu::Choice::Kind::kEntry ? c.entry : sel.entry;
}

// `e`: the append line is at 0x10480 of the kernel just loaded; the same
// editor, limits and refusals as a disk entry's. False: back to the menu.
bool edit_append_line(u32 entry, const char*) {
  g_edit =
      edit_kernel_parameters(absolute_memory(), menu::kLinuxEntry, g_dev.ssid, g_dev.devno, entry);
  // Refused (not Linux, a bad size field): said on the console; boots as loaded.
  return g_edit.kind != EditResult::Kind::kCancelled;
}

// The device, the stack and the boot flow, set up alike for the menu and the boot.
net::NetBootParams g_params;
net::NetBoot& session(const boot::BootTarget& t, virtio::NetDevice** nic_out) {
  g_dev = t.dev;
  g_params = net::NetBootParams{};
  g_params.menu_request = menu_request(t);
  g_params.loadparm = t.loadparm;
  g_params.choose = choose_entry;
  g_params.edit = edit_append_line;
  const AddrRange image = image_range();
  g_params.limits.reserved.add(image.start, image.end, "ccwboot image");
  g_params.xid = static_cast<u32>(virtio::tod_microseconds());
  g_params.has_uuid = read_machine_uuid(g_params.uuid);
  static virtio::NetDevice nic(t.dev);
  nic = virtio::NetDevice(t.dev);
  static net::Stack stack(nic);
  stack.config() = net::Ipv4Config{};
  // Its state (lease, counters) is set afresh by each run()/read_menu().
  static net::NetBoot boot(stack, absolute_memory(), g_params);
  *nic_out = &nic;
  return boot;
}

}  // namespace

WaitCode net_read_menu(const boot::BootTarget& t, zipl::BootMenu* out) {
  virtio::NetDevice* nic = nullptr;
  net::NetBoot& boot = session(t, &nic);
  if (WaitCode w = nic->open(); w != WaitCode::kNone) {
    nic->close();
    return w;
  }
  // Nothing is loaded: the prefix stays where it is.
  const WaitCode rc = boot.read_menu(out);
  nic->close();
  return rc;
}

WaitCode boot_virtio_net(const boot::BootTarget& t) {
  const BootDevice& dev = t.dev;
  // The boot context was read before anything is loaded into the lowcore.
  virtio::NetDevice* nic = nullptr;
  net::NetBoot& boot = session(t, &nic);
  g_edit = EditResult{};
  g_edit.kind = EditResult::Kind::kCancelled;  // nothing edited unless the owner does
  const MenuDecision& decided = menu_decision();
  if (decided.made && decided.schid == dev.schid) {
    // The menu across devices chose this device's entry (and maybe `e`).
    g_params.forced = true;
    g_params.forced_entry = decided.entry;
    g_params.forced_edit = decided.edit;
  } else if (decided.made) {
    g_params.choose = nullptr;  // the menu was answered once (the default): not asked again
  }
  if (WaitCode w = nic->open(); w != WaitCode::kNone) return w;

  // Absolute 0-8K belongs to the system being loaded from here on.
  move_prefix(firmware_prefix_area());
  net::NetBootResult r;
  const WaitCode rc = boot.run(&r);
  nic->close();
  if (rc != WaitCode::kNone) {
    end_menu_input();
    undo_prefix_move();
    return rc;
  }
  const u64 ms = r.tftp_micros / 1000;
  LOG("%s loaded: %u files, %llu bytes in %llu ms (%llu KB/s); starting at 0x%llx\n", r.what,
      r.files, r.bytes, ms, ms ? r.bytes / ms : 0, r.psw & 0x7fffffff);
  if (r.entry != 0)
    announce_boot(dev.ssid, dev.devno, r.entry, 0, r.label, &g_edit);
  else
    end_menu_input();
  publish_ipl_block(t);
  handoff_to_ipl_psw(dev.schid, r.psw);
}

}  // namespace ccwboot
