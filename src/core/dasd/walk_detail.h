// What the chain walk shares with the files that read its graph
// (track_position.cc, continuation.cc); not an interface of its own.
#pragma once

#include "ccwboot/dasd/chain_walk.h"

namespace ccwboot::dasd {

// The 8 bytes of a CCW at `address`; false if unaligned or outside storage.
bool read_ccw(GuestMemory& memory, u32 address, u8 raw[8]);

// Does any writer in `bits` (PieceNode::written_in) store over
// [addr, addr+len)?
bool writers_overlap(const PieceAnalysis& p, const u64* bits, u64 addr, u64 len);

}  // namespace ccwboot::dasd
