// What the machine does for "Load" from a DASD, as a reference for the
// portable IPL core's tests.
//
// hardware_ipl(): stores the Read IPL CCW at absolute 0 (02000000 60000018:
// command chaining + SLI, 24 bytes), starts it with real-channel semantics
// (so IPL1's CCWs read to 8 and IPL2's CCWs read later are executed as they
// arrive), then takes the 8-byte PSW at 0. ok is true when the channel
// program ended cleanly (channel end + device end, no other status).
//
// naive_prefetch_ipl(): the same single start under vfio-ccw prefetch
// semantics: the copy is taken before IPL1 is read, so it differs from the
// hardware for every volume (tests use it to show a core that does not split
// would fail).
#pragma once

#include <string>
#include <vector>

#include "ccwboot/channel.h"
#include "ckd_volume.h"
#include "sim_channel.h"
#include "sim_memory.h"

namespace ccwboot::sim {

struct HardwareIplResult {
  bool ok = false;                // the IPL channel program ended with CE+DE only
  IoResult io;                    // its final status
  u64 psw = 0;                    // the 8 bytes at absolute 0 afterwards (big-endian)
  SimStats stats;                 // of the one start
  std::array<u8, 32> sense{};     // if io ended with unit check
  std::string error;              // SimChannel::last_error() of the start
  std::vector<TraceEntry> trace;  // CCWs executed, if options.trace
};

inline constexpr u8 kIplCcwFlags = 0x60;  // CC + SLI
inline constexpr u16 kIplCcwCount = 24;

HardwareIplResult hardware_ipl(CkdVolume& volume, SimMemory& memory, SimOptions options = {});
HardwareIplResult naive_prefetch_ipl(CkdVolume& volume, SimMemory& memory, SimOptions options = {});

}  // namespace ccwboot::sim
