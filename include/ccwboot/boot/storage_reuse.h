// Storage a previous system left behind. Starting QEMU (a clear reset) leaves
// all storage zero. QEMU's "load clear" (diag 308 subcode 3: a guest's re-IPL
// with reipl/ccw/clear = 1) and system_reset leave it as the previous system
// had it. The firmware then clears it as the clear reset would have, before
// loading anything (docs/boot-order.md, "Re-IPL: the storage left behind").
#pragma once

#include "ccwboot/addr_range.h"
#include "ccwboot/types.h"

namespace ccwboot::boot {

// True when the lowcore found at entry (absolute 0-8K, `len` bytes) shows a
// program ran since storage was last cleared: a new PSW (0x1a0-0x1ff) is set.
// A clear reset leaves them zero and QEMU's start writes none; every system
// that takes interruptions sets them (Linux's head.S, ccwboot itself).
bool storage_was_used(const u8* lowcore, u32 len);

// What to clear in [0, storage_end): everything above the lowcore except
// `keep` (the firmware), widened to whole 4 KiB pages. Writes at most 2
// ranges to `out`, in address order; returns how many.
u32 storage_to_clear(u64 storage_end, AddrRange keep, AddrRange out[2]);

}  // namespace ccwboot::boot
