// Recognising storage a previous system used, and what to clear of it.
#include "ccwboot/boot/storage_reuse.h"

#include "ccwboot/arch/lowcore.h"

namespace ccwboot::boot {
namespace {

constexpr u64 kPage = 4096;

}  // namespace

bool storage_was_used(const u8* lowcore, u32 len) {
  if (len < lowcore::kNewPswsEnd) return false;
  for (u32 i = lowcore::kNewPswsStart; i < lowcore::kNewPswsEnd; ++i) {
    if (lowcore[i] != 0) return true;
  }
  return false;
}

u32 storage_to_clear(u64 storage_end, AddrRange keep, AddrRange out[2]) {
  const u64 end = storage_end & ~(kPage - 1);
  const u64 start = lowcore::kSize;
  if (end <= start) return 0;
  // The kept range, widened outward to pages so no part of it is cleared.
  const AddrRange k{keep.start & ~(kPage - 1), (keep.end + kPage - 1) & ~(kPage - 1)};
  if (keep.empty() || !k.overlaps({start, end})) {
    out[0] = {start, end};
    return 1;
  }
  u32 n = 0;
  if (k.start > start) out[n++] = {start, k.start};
  if (k.end < end) out[n++] = {k.end, end};
  return n;
}

}  // namespace ccwboot::boot
