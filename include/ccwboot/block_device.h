// A disk as the boot code reads it: numbered blocks of one fixed size, read
// synchronously. The image's virtio-blk and virtio-scsi drivers implement it;
// host tests and fuzzers over a byte vector. A read that fails returns the
// WaitCode that names why, after logging the detail where it was found.
#pragma once

#include "ccwboot/guest_memory.h"
#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot {

class BlockDevice {
 public:
  // Reads `count` blocks starting at `block` into dst (count * block_size()
  // bytes). Blocks until the data is there or the read has failed.
  virtual WaitCode read(u64 block, u32 count, void* dst) = 0;
  // Bytes per block as the device reports it (512, 1024, 2048 or 4096).
  virtual u32 block_size() const = 0;
  // Number of blocks on the device; 0 if the device cannot tell.
  virtual u64 block_count() const = 0;

  // DASD geometry (heads per cylinder, blocks per track) when the device reports
  // one; ECKD block pointers are cylinder/head/record triples. Returning false
  // lets the parser guess 3390 geometry the way QEMU's bios does.
  virtual bool eckd_geometry(u32* heads, u32* blocks_per_track) const { return false; }

  // Stops the device so it no longer writes memory (before the hand-off, or
  // before the next device is tried). Devices that never write on their own
  // have nothing to stop.
  virtual void close() {}

 protected:
  ~BlockDevice() = default;
};

// kNone when blocks [block, block + count) lie on the device (block_count());
// otherwise logs the request and returns kVirtioReadPastEnd. The virtio
// drivers check every read with it before they start one.
WaitCode check_read_range(const BlockDevice& dev, u64 block, u32 count);

// Reads `count` blocks into guest memory at `addr`. The caller has checked
// [addr, addr + count * block_size()) against memory size and its reserved
// ranges. The device stores the data itself where `mem` allows that
// (GuestMemory::direct), else it goes through `bounce` (bounce_size bytes).
// kZiplReadFailed when guest memory refuses the data.
WaitCode read_to_guest(BlockDevice& dev, u64 block, u32 count, GuestMemory& mem, u64 addr,
                       u8* bounce, u32 bounce_size);

}  // namespace ccwboot
