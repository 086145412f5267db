// Where the firmware itself lives, image only.
#pragma once

#include "ccwboot/addr_range.h"

namespace ccwboot {

// Absolute [start, end) of everything the firmware owns while it runs: code,
// data, relocations, bss (stack, prefix area, SCCB, scratch). Nothing the
// loaded system's IPL data may overwrite before the handoff. Identical for
// absolute and real addresses (the firmware never sits in 0-8K).
AddrRange image_range();

// A page-aligned scratch buffer in the firmware's bss, below 2 GiB (so a
// format-1 CCW or a 31-bit address can reach it), for the DASD core's own
// CCWs and small reads (e.g. Read IPL into a buffer, SENSE data).
// Contents are undefined on entry; nothing else in the platform uses it.
struct ScratchArea {
  u64 address = 0;  // absolute, 4 KiB aligned
  u32 size = 0;     // bytes
};
ScratchArea scratch_area();

}  // namespace ccwboot
