// Ranges of absolute storage, the one definition: [start, end). The DASD
// core's data areas and reserved storage, the boot maps' reserved storage and
// the firmware's own extent are all this type.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

struct AddrRange {
  u64 start = 0;  // inclusive
  u64 end = 0;    // exclusive

  // `len` bytes from `start`; clipped at the top of the address space.
  static constexpr AddrRange at(u64 start, u64 len) {
    return {start, len > ~0ULL - start ? ~0ULL : start + len};
  }
  constexpr bool empty() const { return end <= start; }
  constexpr u64 size() const { return empty() ? 0 : end - start; }
  constexpr bool contains(u64 a) const { return a >= start && a < end; }
  // Empty ranges overlap nothing.
  constexpr bool overlaps(const AddrRange& o) const {
    return !empty() && !o.empty() && start < o.end && o.start < end;
  }
};

// Storage the code being loaded must not touch, named for the messages
// ("firmware image", "scratch area", ...).
struct ReservedRange : AddrRange {
  const char* name = "";
};

inline constexpr u32 kMaxReservedRanges = 8;

struct ReservedSet {
  ReservedRange ranges[kMaxReservedRanges];  // no "= {}": GCC 12 would reject `LoadLimits l = {}`
  u32 count = 0;

  // Adds [start, end) (nothing if empty). False when the set is full.
  constexpr bool add(u64 start, u64 end, const char* name) {
    if (count == kMaxReservedRanges) return false;
    if (end > start) {
      ranges[count].start = start;
      ranges[count].end = end;
      ranges[count].name = name;
      ++count;
    }
    return true;
  }
  // The first range `r` overlaps, or nullptr.
  constexpr const ReservedRange* find_overlap(const AddrRange& r) const {
    for (u32 i = 0; i < count; ++i) {
      if (ranges[i].overlaps(r)) return &ranges[i];
    }
    return nullptr;
  }
};

}  // namespace ccwboot
