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
// from, outside the reserved ranges, with the 2 KiB vfio-ccw copies from
// the program's start (the first of them) in storage; false if there are none.
bool find_borrowed_slot(const PieceAnalysis& piece, const ReservedSet& reserved, u64 size,
                        u32 bytes, u32* out);

// The program that brings the device back to `t` and goes on at `start`,
// for the borrowed bytes at `slot`: the CCWs from `slot` on, then their
// arguments (the Seek's, the anchor's id, the prefixes' ids). A Seek to t's
// track; for each prefix of t (multi-track moves before a search that
// matched, oldest first), its replay: the prefix anchor's Search ID Equal
// loop, reads with SKIP through its last multi-track move, a NOP that
// clears the index mark; then, when t is counted from a record, a Search
// ID Equal loop on its id (multi-track, kRecordMt: Read HA with SKIP behind
// a prefix, then Search ID Equal MT + TIC), from R0, the end of the track or (behind a
// prefix) the index point, Read R0, Read Multiple CKD or Read Home Address
// with SKIP; reads with SKIP (nothing stored) that move the
// head over the same fields the chain's own reads passed; a NOP when the
// last of them is a Read Count and the chain's index mark is clear (the
// Read Count keeps a mark it may set passing the index point; the NOP
// clears it, as a command in the chain did since); a TIC to `start`.
// seek_program_ccws(t) CCWs, at most 256: one vfio-ccw segment (the TICs
// back to the searches stay in it). Returns its length in bytes.
// Each prefix takes two CCWs at least (a read, the NOP): at most 127.
inline constexpr u32 kMaxSeekProgram = 8 * kMaxSeekProgramCcws + 11 + 5 * (kMaxSeekProgramCcws / 2);
u32 reorientation(const TrackPosition& t, u32 slot, u32 start, u8 (&out)[kMaxSeekProgram]);

}  // namespace ccwboot::dasd
