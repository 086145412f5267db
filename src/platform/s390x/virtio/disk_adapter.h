// The zipl parsers' BlockDevice over a virtio disk (blk or scsi). Image only.
#pragma once

#include "ccwboot/zipl/block_device.h"
#include "virtio_disk.h"

namespace ccwboot::virtio {

class DiskAdapter final : public zipl::BlockDevice {
 public:
  explicit DiskAdapter(VirtioDisk& disk) : disk_(disk) {}

  bool read(u64 block, u32 count, void* dst) override;
  u32 block_size() const override { return disk_.block_size(); }
  u64 block_count() const override { return disk_.block_count(); }
  bool eckd_geometry(u32* heads, u32* blocks_per_track) const override;
  // Lets the device write guest memory directly where absolute == real
  // (outside both 8 KiB prefix areas); elsewhere bounces as the base does.
  bool read_to_guest(u64 block, u32 count, GuestMemory& mem, u64 addr, u8* bounce,
                     u32 bounce_size) override;

  // The first error a read ran into (kNone if none), for the console.
  WaitCode last_error() const { return last_error_; }

 private:
  VirtioDisk& disk_;
  WaitCode last_error_ = WaitCode::kNone;
};

}  // namespace ccwboot::virtio
