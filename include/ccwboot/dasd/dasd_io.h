// Running one channel program for the DASD IPL and naming how it ended:
// unit check (with SENSE run and its bytes in the message), no record found,
// incorrect length, program check, channel errors, busy, timeout.
#pragma once

#include "ccwboot/channel.h"
#include "ccwboot/guest_memory.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::dasd {

inline constexpr u32 kSenseBytes = 32;

// Where the SENSE CCW (format 1) and its 32 bytes go: scratch memory the
// caller owns, below 2 GiB.
struct SenseArea {
  u32 ccw_address = 0;
  u32 data_address = 0;
};

struct IoCounters {
  u32 starts = 0;  // every start, SENSE included
  u32 sense_starts = 0;
};

// Starts the program at `ccw_address` (format `fmt`, prefetch allowed: every
// program ccwboot starts is safe under prefetch) and returns kNone on a
// clean end. `what` names the program in messages ("Read IPL", "IPL2 piece 3").
// On a unit check the sense bytes also land in `sense_out` (if not null).
WaitCode run_program(Channel& channel, GuestMemory& memory, const SenseArea& sense, u32 ccw_address,
                     CcwFormat fmt, const char* what, IoCounters& counters, IoResult* io_out,
                     u8 (*sense_out)[kSenseBytes] = nullptr);

}  // namespace ccwboot::dasd
