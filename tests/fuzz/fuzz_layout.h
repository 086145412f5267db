// Guest memory layout the fuzz harnesses give the code under test: where the
// "firmware" lives, so writes into it can be caught. The numbers follow
// ccwboot's real homes closely enough to matter (Hercules loads the image at
// 0x00E00000, QEMU near the top of RAM) while staying below the 16 MiB
// format-0 reach, so hostile disks can aim at every range.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::fuzz {

struct FuzzRange {
  u64 start;
  u64 end;
  const char* what;
};

inline constexpr u64 kFuzzMemorySize = 16ull << 20;

// Reserved ranges: a write by the disk's data into any of them is a bug in
// the code under test (it must refuse by name before starting the I/O).
inline constexpr FuzzRange kFuzzReserved[] = {
    {0x00E00000, 0x00E40000, "firmware image"},
    {0x00E40000, 0x00E50000, "firmware stack"},
    {0x00E50000, 0x00E52000, "firmware prefix (lowcore)"},
    {0x00E52000, 0x00E56000, "firmware scratch / I/O buffers"},
};
inline constexpr u32 kFuzzReservedCount = sizeof kFuzzReserved / sizeof kFuzzReserved[0];

constexpr const FuzzRange* reserved_hit(u64 addr, u64 len) {
  for (const FuzzRange& r : kFuzzReserved)
    if (len != 0 && addr < r.end && r.start < addr + len) return &r;
  return nullptr;
}

}  // namespace ccwboot::fuzz
