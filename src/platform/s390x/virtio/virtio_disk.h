// A disk behind a virtio-ccw device (virtio-blk or one LUN of virtio-scsi),
// as the boot path reads it: fixed-size logical blocks, synchronous. Image only.
#pragma once

#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::virtio {

class VirtioDisk {
 public:
  // Reads `count` logical blocks starting at `block` into `dst` (firmware or
  // guest memory where absolute == real: the device writes there directly).
  virtual WaitCode read(u64 block, u32 count, void* dst) = 0;
  virtual u32 block_size() const = 0;
  virtual u64 block_count() const = 0;
  // DASD geometry when the device reports one (virtio-blk on a DASD image).
  virtual bool eckd_geometry(u32* heads, u32* blocks_per_track) const { return false; }
  // Stops the device so it no longer writes memory.
  virtual void close() = 0;

 protected:
  ~VirtioDisk() = default;
};

// Largest transfer of one request; larger reads are split.
inline constexpr u32 kMaxTransfer = 64 * 1024;

}  // namespace ccwboot::virtio
