// A disk as the boot-map parsers see it: numbered blocks of one fixed size.
// The image implements it over virtio-blk-ccw; host tests over a byte vector.
#pragma once

#include "ccwboot/guest_memory.h"
#include "ccwboot/types.h"

namespace ccwboot::zipl {

class BlockDevice {
 public:
  // Reads `count` blocks starting at `block` into dst (count * block_size() bytes).
  // Returns false on any I/O error or when the range is outside the disk.
  virtual bool read(u64 block, u32 count, void* dst) = 0;
  // Bytes per block as the device reports it (512, 1024, 2048 or 4096).
  virtual u32 block_size() const = 0;
  // Number of blocks on the device; 0 if the device cannot tell.
  virtual u64 block_count() const = 0;

  // DASD geometry (heads per cylinder, blocks per track) when the device reports
  // one; ECKD block pointers are cylinder/head/record triples. Returning false
  // lets the parser guess 3390 geometry the way QEMU's bios does.
  virtual bool eckd_geometry(u32* heads, u32* blocks_per_track) const { return false; }

  // Reads `count` blocks into guest memory at `addr`. The parser calls this only
  // after it has checked [addr, addr + count * block_size()) against memory size
  // and the caller's reserved ranges. The default bounces through `bounce`
  // (bounce_size bytes); the image may override it to let the device write guest
  // memory directly.
  virtual bool read_to_guest(u64 block, u32 count, GuestMemory& mem, u64 addr, u8* bounce,
                             u32 bounce_size);

 protected:
  ~BlockDevice() = default;
};

}  // namespace ccwboot::zipl
