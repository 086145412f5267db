// A virtio-blk-ccw disk, read-only and synchronous: one request in flight,
// waited for with a TOD-clock bound. Image only.
#pragma once

#include "ccwboot/boot_device.h"
#include "ccwboot/virtio/blk.h"
#include "virtio_ccw_transport.h"

namespace ccwboot::virtio {

class BlkDevice {
 public:
  // Bound for one request (the device is local; anything slower is stuck).
  static constexpr u64 kRequestTimeoutUs = 10'000'000;
  // Largest transfer of one request; larger reads are split.
  static constexpr u32 kMaxTransfer = 64 * 1024;

  explicit BlkDevice(const BootDevice& dev) : dev_(dev), transport_(dev.schid) {}

  // Sets the device up and reads its configuration. Prints what it found.
  WaitCode open();

  // Reads `count` logical blocks starting at `block` into `dst` (firmware
  // memory: the device writes there directly).
  WaitCode read(u64 block, u32 count, void* dst);

  const BlkConfig& config() const { return config_; }
  u32 block_size() const { return config_.block_size; }
  u64 block_count() const { return ccwboot::virtio::block_count(config_); }
  const BootDevice& device() const { return dev_; }
  int revision() const { return transport_.revision(); }

  // Stops the device so it no longer writes our memory (before handing off
  // or falling back to another device).
  void close() { transport_.reset(); }

 private:
  WaitCode read_chunk(u64 sector, u32 bytes, void* dst);

  BootDevice dev_;
  CcwTransport transport_;
  BlkConfig config_{};
};

}  // namespace ccwboot::virtio
