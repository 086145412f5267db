// Whether a new channel program may begin where a piece of the IPL chain
// was cut, and do there what the chain would have done.
#pragma once

#include "ccwboot/dasd/track_position.h"
#include "ccwboot/guest_memory.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::dasd {

inline constexpr u32 kMaxNopSkip = 8;  // NOPs looked through at a continuation

// May a new channel program start at `start` (already TIC-resolved) and do
// what the old chain would have done? Yes when, after chained NOPs, it is a
// command that positions by itself (Seek, Read IPL, Define Extent, ...).
// Also, when the device's track is known (`position`) and `needs_seek` is
// given, for a Search ID Equal or Search Home Address Equal with a TIC back
// to it, or a Seek Head: the 3990 takes them only after a Seek in the same
// program, so *needs_seek is set and the caller starts the continuation
// behind a Seek to that track -- the orientation the chain had there. `what`
// names the continuation in messages; `report` false: a probe, no log line.
WaitCode check_continuation(GuestMemory& memory, u32 start, const char* what,
                            const TrackPosition* position = nullptr, bool* needs_seek = nullptr,
                            bool report = true);

}  // namespace ccwboot::dasd
