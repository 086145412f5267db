// The program that gives a continuation the orientation the chain had
// (docs/dasd-ipl.md, "Orientation"): a Seek to the device's track and what
// brings the head back over the same fields, written into guest storage the
// start does not use, then a TIC to the continuation.
#pragma once

#include "ccwboot/dasd/chain_walk.h"
#include "ccwboot/dasd/memory_guard.h"
#include "ccwboot/dasd/track_position.h"

namespace ccwboot::dasd {

// `bytes` below 16 MiB that the start neither fetches nor moves data to or
// from, outside the reserved ranges, with the 2 KiB vfio-ccw copies from a
// program's start address in storage after them; false if there are none.
bool find_borrowed_slot(const PieceAnalysis& piece, const ReservedSet& reserved, u64 size,
                        u32 bytes, u32* out);

// The program that brings the device back to `t` and goes on at `start`,
// for the borrowed bytes at `slot`: the arguments (Seek's, the anchor's id,
// the prefix's id) in 16 bytes, then the CCWs, which begin at slot + 16: a
// Seek to t's track; when t carries a prefix (multi-track moves before a
// search that matched), its replay: the prefix anchor's Search ID Equal
// loop, reads with SKIP through its last multi-track move, a NOP that
// clears the index mark; then, when t is counted from a record, a Search
// ID Equal loop on its id; reads with SKIP (nothing stored) that move the
// head over the same fields the chain's own reads passed; a NOP when the
// last of them is a Read Count and the chain's index mark is clear (the
// Read Count keeps a mark it may set passing the index point; the NOP
// clears it, as a command in the chain did since); a TIC to `start`.
// Returns its length in bytes.
inline constexpr u32 kMaxSeekProgram = 8 * (2 * (4 + kMaxRecordsMoved) + 4) + 16;
u32 reorientation(const TrackPosition& t, u32 slot, u32 start, u8 (&out)[kMaxSeekProgram]);

}  // namespace ccwboot::dasd
