// Finding and identifying boot devices. Internal to the platform.
#pragma once

#include "ccwboot/arch/iplb.h"
#include "ccwboot/boot_device.h"

namespace ccwboot {

// Candidates in boot order (the IPLB's device, or the scan's finds).
struct BootCandidates {
  static constexpr int kMax = 8;
  BootDevice dev[kMax];
  int count = 0;
};

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

// All devices with a bootable control-unit type in subchannel sets 0..max_ssid,
// in subchannel order, up to BootCandidates::kMax.
void scan_bootable(u8 max_ssid, BootCandidates* out);

// Device types the scan boots from: DASD (3990/2107) and virtio block/SCSI.
inline constexpr u8 kVirtioIdNet = 1;  // booted only when the IPL block names it
inline constexpr u8 kVirtioIdBlock = 2;
inline constexpr u8 kVirtioIdScsi = 8;
bool is_bootable(const BootDevice& dev);

}  // namespace ccwboot
