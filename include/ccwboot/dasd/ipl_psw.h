// The IPL PSW: the 8-byte ESA/390-format PSW the IPL leaves at absolute 0.
// Validation and the z/Architecture PSW the handoff loads are logic, so they
// live here (portable, host-tested); the instructions are the platform's.
#pragma once

#include "ccwboot/arch/psw.h"
#include "ccwboot/dasd/memory_guard.h"

namespace ccwboot::dasd {

// kNone when `psw` would be loaded by a real IPL without a specification
// exception and (unless it is a wait PSW) points into storage outside the
// reserved ranges. Otherwise the code, its evidence logged (Log::refuse).
WaitCode validate_ipl_psw(u64 psw, u64 storage_size, const ReservedSet& reserved);

// The ESA/390 PSW as a z/Architecture PSW in 31-bit addressing mode: the
// same mask bits (bit 12, the ESA/390 format marker, cleared; EA off, BA on)
// and the 31-bit instruction address. With the high register halves cleared
// the system runs as under ESA/390 (docs/dasd-ipl.md, "Handoff").
Psw ipl_psw_to_zarch(u64 psw);

}  // namespace ccwboot::dasd
