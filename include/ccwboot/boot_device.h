// The device ccwboot boots from, as found by the platform's probe, and the
// entry points of the boot paths the platform dispatches to.
#pragma once

#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot {

struct BootDevice {
  u32 schid = 0;    // subsystem-identification word: 0x0001'0000 | ssid<<17 | schno
  u8 ssid = 0;      // subchannel set
  u16 schno = 0;    // subchannel number
  u16 devno = 0;    // device number
  u16 cu_type = 0;  // from SENSE ID
  u8 cu_model = 0;
  u16 dev_type = 0;
  u8 dev_model = 0;
};

namespace boot {
struct BootTarget;  // ccwboot/boot/boot_order.h: the device, its loadparm, the boot context
struct BootOrder;
}  // namespace boot

// Boot paths, called by the boot order (boot::run_boot_order) for each device
// by its kind. Each returns only when it could not boot the device, with the
// code that says why (the next device is then tried, or the IPL stops with
// that code). Implemented in the image by the DASD path and the virtio path;
// src/platform/s390x/boot_paths_default.cc has weak stand-ins.
WaitCode boot_dasd(const boot::BootTarget& target);
WaitCode boot_virtio_blk(const boot::BootTarget& target);  // virtio-blk and virtio-scsi
// Network boot from a virtio-net-ccw device (virtio device id 1) in the boot
// order (QEMU boots a network device only when it has a bootindex).
WaitCode boot_virtio_net(const boot::BootTarget& target);

// The boot menu across the devices in boot order (the first device's
// loadparm decides, as virtio::select_boot_entry does). Shows it when the
// loadparm, QEMU's menu flags or the first disk ask for one and there are two
// or more devices; returns the index of the device the owner chose (its boot
// path then boots the chosen entry), or -1: no menu, or the default was
// chosen. Implemented by the virtio path.
int boot_menu_pass(const boot::BootOrder& order);

}  // namespace ccwboot
