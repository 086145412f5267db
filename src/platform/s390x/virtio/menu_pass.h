// The boot menu across devices (menu_pass.cc) and what the virtio path takes
// from it. Internal to the image's virtio library.
#pragma once

#include "ccwboot/boot/boot_order.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/zipl/boot_map.h"

namespace ccwboot {

// The owner's answer at the menu across devices.
struct MenuDecision {
  bool made = false;  // the menu was shown and answered (or timed out)
  u32 schid = 0;      // the device chosen (0: the default, no device named)
  u32 entry = 0;      // its entry (0 = the disk's default)
  bool edit = false;  // open the entry's kernel parameters in the editor
};
const MenuDecision& menu_decision();

// Opens the virtio disk (a virtio-scsi one at the LUN its IPL block names),
// reads its boot map's menu, resets the device.
WaitCode virtio_read_menu(const boot::BootTarget& t, zipl::BootMenu* out);

// DHCP and the pxelinux.cfg of a virtio-net device, its labels as entries
// (kMenuNetNotAConfig: the boot file is a kernel or a .INS list); resets the
// device. Nothing is loaded.
WaitCode net_read_menu(const boot::BootTarget& t, zipl::BootMenu* out);

}  // namespace ccwboot
