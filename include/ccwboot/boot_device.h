// The device ccwboot boots from, as found by the platform's probe, and the
// entry points of the boot paths the platform dispatches to.
#pragma once

#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot {

struct BootDevice {
  u32 schid = 0;     // subsystem-identification word: 0x0001'0000 | ssid<<17 | schno
  u8 ssid = 0;       // subchannel set
  u16 schno = 0;     // subchannel number
  u16 devno = 0;     // device number
  u16 cu_type = 0;   // from SENSE ID
  u8 cu_model = 0;
  u16 dev_type = 0;
  u8 dev_model = 0;
};

// Boot paths. Each returns only when it could not boot the device, with the
// code that says why (the platform then falls back or stops with that code).
// Implemented in the image by the DASD path and the virtio path.
WaitCode boot_dasd(const BootDevice& dev);
WaitCode boot_virtio_blk(const BootDevice& dev);
// Network boot from a virtio-net-ccw device (virtio device id 1).
WaitCode boot_virtio_net(const BootDevice& dev);

// The boot menu across the devices in boot order (`loadparm`: 8 ASCII
// characters). Shows it when the loadparm, QEMU's menu flags or the first
// disk ask for one and there are two or more devices; returns the index of
// the device the owner chose (its boot path then boots the chosen entry), or
// -1: no menu, or the default was chosen. Implemented by the virtio path.
int boot_menu_pass(const BootDevice* devs, int count, const char* loadparm);

}  // namespace ccwboot
