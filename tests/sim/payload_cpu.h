// Runs the shapes' payload on the host: an interpreter for exactly the
// instructions tools/mkdasd/payload.cc uses (BASR, L, SR, IC, AR, LA, BCT, C,
// BC, LPSW), in ESA/390 31-bit or 24-bit addressing mode. Lets tests go from "the IPL left this
// PSW and this memory" to "the payload ends in this wait PSW", the same
// check the Hercules runs make. Anything else is reported, not guessed.
#pragma once

#include <string>

#include "ccwboot/types.h"
#include "sim_memory.h"

namespace ccwboot::sim {

struct PayloadRun {
  bool waited = false;  // ended by loading a PSW with the wait bit (0x0002 in byte 1)
  u64 psw = 0;          // the last PSW loaded (the wait PSW if waited)
  u64 steps = 0;
  std::string error;  // why it stopped otherwise (unknown opcode, bad PSW, step bound)
};

// Starts at the 8-byte ESA/390 PSW `psw` (bit 12 set; 31-bit addressing, or
// 24-bit with the address below 16 MiB).
PayloadRun run_payload(SimMemory& memory, u64 psw, u64 max_steps = 10'000'000);

}  // namespace ccwboot::sim
