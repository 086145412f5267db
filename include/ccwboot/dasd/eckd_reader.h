// A DASD volume's records as the zipl boot-map parsers see a block device,
// read over channel I/O: read-only, one record per channel program, bounded.
// The boot menu uses it to list a volume's zipl entries before the IPL is
// replayed (the replay then loads the entry; this never loads anything).
//
// Blocks are numbered as Linux's dasd driver numbers a 3390 formatted with
// 4 KiB records (12 per track, 15 heads): block n is cylinder n / 180, head
// (n / 12) % 15, record n % 12 + 1. Each block is read with Seek, Search ID
// Equal (+ TIC back to it) and Read Key and Data (SLI) into a 4 KiB buffer
// that starts zeroed: a keyed CDL record (IPL1, IPL2, VOL1, the VTOC's
// DSCBs) arrives as key then data, the rest of the block zero, which is how
// the dasd driver shows those records and how zipl's parsers expect them.
#pragma once

#include "ccwboot/block_device.h"
#include "ccwboot/channel.h"
#include "ccwboot/dasd/dasd_io.h"
#include "ccwboot/guest_memory.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::dasd {

inline constexpr u32 kEckdBlockSize = 4096;
inline constexpr u32 kEckdHeads = 15;
inline constexpr u32 kEckdRecordsPerTrack = 12;
// Channel programs one menu read may start: the parsers are bounded, this
// bounds the I/O as well (a CDL map with two entries and a menu takes ~20).
inline constexpr u32 kEckdMaxReads = 512;

// Layout of the caller's scratch area (below 2 GiB, 8-byte aligned).
inline constexpr u32 kReaderCcws = 0x00;       // Seek, Search, TIC, Read
inline constexpr u32 kReaderSeekArg = 0x20;    // 6 bytes
inline constexpr u32 kReaderSearchArg = 0x28;  // 5 bytes
inline constexpr u32 kReaderSense = 0x30;      // SENSE CCW
inline constexpr u32 kReaderSenseData = 0x40;  // 32 bytes
inline constexpr u32 kReaderBuffer = 0x100;    // one 4 KiB block
inline constexpr u32 kReaderScratchSize = kReaderBuffer + kEckdBlockSize;

class EckdReader final : public BlockDevice {
 public:
  EckdReader(Channel& channel, GuestMemory& memory, u32 scratch_address)
      : channel_(channel), memory_(memory), scratch_(scratch_address) {}

  // kNone, or the code of the first block that failed (refuse() logged why).
  WaitCode read(u64 block, u32 count, void* dst) override;
  u32 block_size() const override { return kEckdBlockSize; }
  u64 block_count() const override { return 0; }  // the parsers check the geometry
  bool eckd_geometry(u32* heads, u32* blocks_per_track) const override {
    *heads = kEckdHeads;
    *blocks_per_track = kEckdRecordsPerTrack;
    return true;
  }

  u32 reads() const { return counters_.starts; }
  void set_max_reads(u32 n) { max_reads_ = n; }

 private:
  WaitCode read_one(u64 block, u8* dst);

  Channel& channel_;
  GuestMemory& memory_;
  u32 scratch_;
  u32 max_reads_ = kEckdMaxReads;
  IoCounters counters_;
};

}  // namespace ccwboot::dasd
