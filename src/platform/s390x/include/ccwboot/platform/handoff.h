// Starting the loaded system, image only.
//
// handoff_to_ipl_psw(schid, psw) leaves the machine as the end of a hardware
// IPL does (docs/dasd-ipl.md, "Handoff"):
//   1. with the prefix moved into the firmware (moved here if it is 0), it
//      prints its last console line, puts the IPL subchannel in the state a
//      hardware IPL leaves (enabled, ISC 0, interruption parameter 0, LPM =
//      installed paths) and withdraws the SCLP event masks -- so no
//      interruption lands in the loaded system's lowcore afterwards;
//   2. prefix 0; stores the subsystem-identification word `schid` at absolute
//      0xB8 and zero at 0xBC, as the machine's IPL does;
//   3. saves the 8 bytes at absolute 0, writes there a short PSW that points at
//      a trampoline in the firmware, and issues diag 308 subcode 1 (load
//      normal): the emulator resets the channel subsystem and the CPU (initial
//      CPU reset: control registers, timers, prefix) and loads that PSW; the
//      trampoline puts the saved 8 bytes back at 0, re-enables the IPL
//      subchannel (the reset disabled it) and loads the system's PSW with
//      LPSW, registers cleared. `ipl_psw` is the 8-byte ESA/390 PSW the system
//      was loaded with; its address part is the entry.
//   4. Without diag 308 (Hercules 3.13: program check, known from the probe
//      at start-up), or when subcode 1 returns without a reset (Hercules
//      4.x): it puts the PSW back at 0, sets the initial CPU reset's control
//      registers, CPU timer, clock comparator and TOD programmable field,
//      switches the CPU back to ESA/390 with SIGP set architecture and loads
//      the PSW at 0 with LPSW -- what a native IPL does at its end.
// Does not return.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

[[noreturn]] void handoff_to_ipl_psw(u32 schid, u64 ipl_psw);

}  // namespace ccwboot
