// How Linux's dasd driver maps 4 KiB blocks of a formatted 3390 to CKD
// records (drivers/s390/block/dasd_eckd.c), so a flat image of the block
// device can be turned back into the volume it came from.
//
// LDL: every track holds records 1..12, keyless, 4096 data bytes; block n is
// track n / 12, record n % 12 + 1.
// CDL: the same, except the first two tracks. Blocks 0-2 are the IPL1, IPL2
// and VOL1 records (4-byte key; 24, 144 and 80 data bytes); blocks 12-23 are
// the VTOC track's DSCBs (44-byte key, 96 data bytes). For those "special"
// blocks the driver transfers key and data together: the block starts with
// the key, the data follows, the rest of the 4 KiB is filler.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "ccwboot/types.h"
#include "ckd_volume.h"

namespace ccwboot::sim {

enum class DasdLayout { kCdl, kLdl };

inline constexpr u32 kDasdBlockSize = 4096;
inline constexpr u32 kBlocksPerTrack = 12;  // 3390, 4 KiB blocks

// Key and data length of block `block` on a volume in `layout`.
struct RecordShape {
  u32 key_length;
  u32 data_length;
};
RecordShape record_shape(DasdLayout layout, u32 block);

// The volume whose blocks are `flat` (a whole number of 3390 cylinders of
// 4 KiB blocks). nullopt, with a reason, otherwise.
std::optional<CkdVolume> volume_from_blocks(DasdLayout layout, std::span<const u8> flat,
                                            std::string* error);

}  // namespace ccwboot::sim
