// Finding and identifying boot devices. Internal to the platform.
#pragma once

#include "ccwboot/arch/iplb.h"
#include "ccwboot/boot_device.h"

namespace ccwboot {

// CHSC "set domain attributes" to enable the multiple-subchannel-set facility
// (QEMU hides ssid > 0 until then). Returns the highest usable ssid (0..3).
u8 enable_multiple_subchannel_sets();

// STSCH over subchannel set `ssid` for the subchannel with device number
// `devno`. Returns true and fills dev.schid/ssid/schno/devno when found.
bool find_devno(u8 ssid, u16 devno, BootDevice* dev);

// Enables the subchannel and issues SENSE ID; fills the CU/device fields.
// Leaves the subchannel enabled. Returns kNone or the failure's code.
WaitCode identify(BootDevice* dev);

// Disables a subchannel found but not used.
void disable(const BootDevice& dev);

// The devices the scan boots (boot::scan_boots: DASD, virtio-blk, virtio-scsi)
// in subchannel sets 0..max_ssid, in subchannel order, at most `max`.
// Returns how many were stored in `out`.
int scan_bootable(u8 max_ssid, BootDevice* out, int max);

}  // namespace ccwboot
