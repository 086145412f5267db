// Starting the loaded system, image only.
//
// handoff_to_ipl_psw(schid, psw) does what the end of a hardware IPL does,
// in the way QEMU's bios does it (docs/qemu-loading.md, "Handoff"):
//   1. restores prefix 0 (if it was moved),
//   2. stores the subsystem-identification word `schid` at absolute 0xB8 and
//      zero at 0xBC (I/O interruption parameter),
//   3. saves the 8 bytes at absolute 0, writes there a short PSW that points at
//      a trampoline in the firmware, and issues diag 308 subcode 1 (load
//      normal): the emulator resets the channel subsystem and the CPU and
//      loads that PSW; the trampoline puts the saved 8 bytes back at 0 and
//      branches to the system's entry in 31-bit mode, high register halves clear.
//      `ipl_psw` is the 8-byte ESA/390 PSW the system was loaded with (usually
//      what now sits at absolute 0); its address part is the entry.
//   4. If diag 308 is not available (Hercules 3.13: program check), it says so
//      on the console, switches the CPU back to ESA/390 with SIGP set
//      architecture and loads the PSW at 0 with LPSW -- what a native IPL does
//      at its end (without the subsystem reset).
// Does not return.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

[[noreturn]] void handoff_to_ipl_psw(u32 schid, u64 ipl_psw);

}  // namespace ccwboot
