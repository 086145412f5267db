// One LUN behind a virtio-scsi-ccw controller, read-only and synchronous,
// over the first request queue. Image only.
#pragma once

#include "ccwboot/block_device.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/virtio/scsi.h"
#include "virtio_ccw_transport.h"

namespace ccwboot::virtio {

struct ScsiAddress {
  u16 target = 0;
  u32 lun = 0;
};

class ScsiDevice final : public BlockDevice {
 public:
  // `addr` from the IPL parameter block; `scan` when there is none: then the
  // first target (0..max_target) whose LUN 0 answers is used.
  ScsiDevice(const BootDevice& dev, ScsiAddress addr, bool scan)
      : dev_(dev), addr_(addr), scan_(scan), transport_(dev.schid) {}

  // Sets the controller up, waits for the LUN to be ready and reads its
  // capacity. Prints what it found.
  WaitCode open();

  WaitCode read(u64 block, u32 count, void* dst) override;
  u32 block_size() const override { return capacity_.block_size; }
  u64 block_count() const override { return capacity_.blocks; }
  void close() override { transport_.reset(); }

 private:
  // One command: CDB out, `data_len` bytes in (0 for none). Returns the
  // response through `resp`; kNone only for a completed request.
  WaitCode command(const u8* cdb, u32 cdb_len, void* data, u32 data_len, ScsiResponse* resp);
  // TEST UNIT READY until good (bounded); false with the last response otherwise.
  WaitCode unit_ready(bool* ready, ScsiResponse* last);
  // Addresses `addr`: ready and READ CAPACITY good → *usable, capacity_ set.
  WaitCode probe(ScsiAddress addr, bool* usable, ScsiResponse* last);
  // No IPL block: the first usable LUN of the first target that has one.
  WaitCode scan(bool* found, ScsiResponse* last);

  BootDevice dev_;
  ScsiAddress addr_;
  bool scan_;
  CcwTransport transport_;
  ScsiConfig config_{};
  ScsiCapacity capacity_{};
  u8 lun_[8] = {};
};

}  // namespace ccwboot::virtio
