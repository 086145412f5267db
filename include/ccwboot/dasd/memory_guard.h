// The memory guard (issue 5): before every start ccwboot checks each CCW the
// piece can execute -- where the CCW itself sits and where its data goes --
// against the storage ccwboot reserves for itself, and refuses by name.
#pragma once

#include "ccwboot/guest_memory.h"
#include "ccwboot/dasd/verdict.h"

namespace ccwboot::dasd {

// [start, end) of absolute storage the loaded system must not touch.
struct ReservedRange {
  u64 start = 0;
  u64 end = 0;
  const char* name = "";  // "firmware image", "scratch", ... (for messages)
  constexpr bool overlaps(u64 s, u64 len) const { return len != 0 && s < end && s + len > start; }
};

inline constexpr u32 kMaxReservedRanges = 8;

struct ReservedSet {
  ReservedRange ranges[kMaxReservedRanges] = {};
  u32 count = 0;

  // False when full.
  bool add(u64 start, u64 end, const char* name);
  // The first range [s, s+len) overlaps, or nullptr.
  const ReservedRange* find_overlap(u64 s, u64 len) const;
};

// Checks a format-0 CCW fetched from `ccw_address` (raw bytes `raw`):
// the CCW's own 8 bytes and its data area (IDA refused, beyond storage
// refused, reserved ranges refused). TICs: only the CCW itself.
Verdict guard_ccw(const ReservedSet& reserved, u64 storage_size, u32 ccw_address,
                       const u8 raw[8]);

}  // namespace ccwboot::dasd
