// Boot order: which devices are tried, in which order, each with the
// loadparm that applies to it. Portable; devices are found through the
// DeviceProbe interface (the image: STSCH + SENSE ID, src/platform/s390x/probe.cc;
// host tests: a table). docs/boot-order.md.
//
// The rules:
//   - The IPL parameter blocks come first, in QEMU's order: the one diag 308
//     stores, then QEMU 9.2+'s chain (bootindex order, up to 8 devices).
//   - The scan's devices (subchannel order) follow only when QEMU passed no
//     chain: with QEMU 7.2, or one bootindex device, or none at all.
//   - Each device's loadparm: its own IPLB's when set (not all zero), else the
//     SCLP (machine) loadparm. Devices found by the scan get the SCLP one.
//   - A device named twice is tried once; a block naming no subchannel is
//     reported and skipped.
#pragma once

#include "ccwboot/boot/boot_context.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::boot {

// What a device is, from its SENSE ID (virtio-ccw: CU 3832, model = virtio id).
enum class DeviceKind : u8 { kOther, kDasd, kVirtioBlock, kVirtioScsi, kVirtioNet };
DeviceKind device_kind(const BootDevice& dev);
const char* device_kind_name(DeviceKind kind);
// What the scan takes without being asked: disks (DASD, virtio-blk, virtio-scsi).
bool scan_boots(const BootDevice& dev);

enum class TargetSource : u8 { kIplb, kChain, kScan };

struct BootTarget {
  BootDevice dev;
  DeviceKind kind = DeviceKind::kOther;
  TargetSource source = TargetSource::kScan;
  int iplb = -1;                  // index into ctx->iplb; -1 for the scan's devices
  char loadparm[9] = "        ";  // ASCII, 8 characters + NUL
  bool loadparm_from_iplb = false;
  const BootContext* ctx = nullptr;

  const IplParameters* iplb_params() const { return iplb >= 0 ? &ctx->iplb[iplb] : nullptr; }
  // QEMU SCSI-type block: the LUN is named (else a virtio-scsi device looks for one).
  bool scsi_lun_named() const {
    return iplb_params() != nullptr && iplb_params()->type == iplb_type::kQemuScsi;
  }
};

struct BootOrder {
  BootTarget target[kMaxBootDevices];
  int count = 0;
};

// The platform's way to find devices.
class DeviceProbe {
 public:
  // The subchannel with device number `devno` in set `ssid`, identified
  // (SENSE ID). kNone, kBootDeviceMissing when there is none, or the failure.
  virtual WaitCode locate(u8 ssid, u16 devno, BootDevice* dev) = 0;
  // Devices the scan boots (scan_boots), in subchannel order; at most `max`.
  virtual int scan(BootDevice* out, int max) = 0;

 protected:
  ~DeviceProbe() = default;
};

// Builds the order; notes what it skips on the console.
void build_boot_order(const BootContext& ctx, DeviceProbe& probe, BootOrder* order);

// The platform's boot paths. boot() returns only when the device did not boot.
class BootPaths {
 public:
  virtual WaitCode boot(const BootTarget& target) = 0;

 protected:
  ~BootPaths() = default;
};

// Codes that end the IPL instead of moving on to the next device: the user
// asked for something precise that cannot be had (docs/boot-order.md).
bool stops_boot_order(WaitCode code);

struct BootOutcome {
  WaitCode code = WaitCode::kNoBootDevice;  // the code that ends the IPL
  int target = -1;                          // the device it came from (-1: none)
};

// Tries each device in order; a failure is reported and the next device
// tried, unless stops_boot_order(). Returns only when nothing booted.
BootOutcome run_boot_order(const BootOrder& order, BootPaths& paths);

}  // namespace ccwboot::boot
