// A virtio-blk-ccw disk, read-only and synchronous: one request in flight,
// waited for with a TOD-clock bound. Image only.
#pragma once

#include "ccwboot/block_device.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/virtio/blk.h"
#include "virtio_ccw_transport.h"

namespace ccwboot::virtio {

class BlkDevice final : public BlockDevice {
 public:
  explicit BlkDevice(const BootDevice& dev) : dev_(dev), transport_(dev.schid) {}

  // Sets the device up and reads its configuration. Prints what it found.
  WaitCode open();

  // Reads `count` logical blocks starting at `block` into `dst` (memory where
  // absolute == real: the device writes there directly).
  WaitCode read(u64 block, u32 count, void* dst) override;

  const BlkConfig& config() const { return config_; }
  u32 block_size() const override { return config_.block_size; }
  u64 block_count() const override { return ccwboot::virtio::block_count(config_); }
  bool eckd_geometry(u32* heads, u32* blocks_per_track) const override;
  const BootDevice& device() const { return dev_; }
  int revision() const { return transport_.revision(); }

  // Stops the device so it no longer writes our memory (before handing off
  // or falling back to another device).
  void close() override { transport_.reset(); }

 private:
  WaitCode read_chunk(u64 sector, u32 bytes, void* dst);

  BootDevice dev_;
  CcwTransport transport_;
  BlkConfig config_{};
};

}  // namespace ccwboot::virtio
