// The network boot path: virtio-net-ccw device -> DHCP -> TFTP (src/core/net)
// -> loaded system -> hand-off. A failure resets the device and returns its
// code so the boot order can go on to the next device.
#include "../cpu.h"
#include "boot_context.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/log.h"
#include "ccwboot/net/netboot.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/boot_menu.h"
#include "ccwboot/platform/handoff.h"
#include "ccwboot/platform/image.h"
#include "ccwboot/platform/ipl_block.h"
#include "ccwboot/platform/machine_uuid.h"
#include "hypercall.h"
#include "virtio_net_device.h"

namespace ccwboot {
namespace {

// Puts the firmware's lowcore back at absolute 0 after a failed load wrote
// there (while the prefix was moved), then the prefix back to 0.
void undo_prefix_move() {
  absolute_memory().write(0, cpu::real_ptr(0), 8192);
  restore_prefix();
}

BootDevice g_dev;  // the device whose entries the menu shows

// The pxelinux.cfg's labels in the console boot menu (one device).
u32 choose_entry(const virtio::Selection& sel, const zipl::BootMenu& entries) {
  static menu::DeviceMenu choices;
  choices.clear();
  choices.add(g_dev.ssid, g_dev.devno, menu::DeviceKind::kNetwork)->entries = entries;
  const menu::Choice c = run_boot_menu(choices, sel.menu_timeout_ms);
  return c.kind == menu::Choice::Kind::kEntry ? c.entry : sel.entry;
}

}  // namespace

WaitCode boot_virtio_net(const boot::BootTarget& t) {
  const BootDevice& dev = t.dev;
  // The boot context was read before anything is loaded into the lowcore.
  static net::NetBootParams params;
  params.menu_request = menu_request(t);
  params.loadparm = t.loadparm;
  params.choose = choose_entry;
  g_dev = dev;
  const AddrRange image = image_range();
  params.limits.reserved = {};
  params.limits.reserved.add(image.start, image.end, "ccwboot image");
  params.xid = static_cast<u32>(virtio::tod_microseconds());
  params.has_uuid = read_machine_uuid(params.uuid);

  static virtio::NetDevice nic(dev);
  nic = virtio::NetDevice(dev);
  if (WaitCode w = nic.open(); w != WaitCode::kNone) return w;
  static net::Stack stack(nic);
  stack.config() = net::Ipv4Config{};
  static net::NetBoot boot(stack, absolute_memory(), params);

  // Absolute 0-8K belongs to the system being loaded from here on.
  move_prefix(firmware_prefix_area());
  net::NetBootResult r;
  const WaitCode rc = boot.run(&r);
  nic.close();
  if (rc != WaitCode::kNone) {
    end_menu_input();
    undo_prefix_move();
    return rc;
  }
  const u64 ms = r.tftp_micros / 1000;
  log_printf("net: %s loaded: %u files, %llu bytes in %llu ms (%llu KB/s); starting at 0x%llx\n",
             r.what, r.files, r.bytes, ms, ms ? r.bytes / ms : 0, r.psw & 0x7fffffff);
  if (r.entry != 0)
    announce_boot(dev.ssid, dev.devno, r.entry, 0, r.label, nullptr);
  else
    end_menu_input();
  publish_ipl_block(t);
  handoff_to_ipl_psw(dev.schid, r.psw);
}

}  // namespace ccwboot
