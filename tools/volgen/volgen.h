// volgen: random but plausible 3390 IPL volumes, deterministic from a seed.
//
// Each volume is built from a grammar, not by flipping bytes: an IPL1 shape
// (PSW + Read + TIC, Read Key and Data, no TIC chaining straight on, short
// counts with SLI), an IPL2 structure (flat; a stage block read and TICed to;
// a block read over the CCWs right after its Read; a TIC target rewritten
// several times; a linked list of blocks read over each other), and read
// groups that load a checksumming payload (tools/mkdasd/payload.h) from
// records of many sizes: Seek / Search ID Equal + TIC / Read Data, Read
// Multiple-Track Data over heads, Read Key and Data, data chaining, SKIP,
// PCI, short and long counts with SLI; since session 5 also a multi-track
// Search ID Equal loop from the head before, Read R0 / Read Home Address
// before R1, and Read Multiple CKD before the next head's R1. About one volume in five is then
// damaged in one named way (a missing record, chain state after Read IPL,
// a TIC to a TIC, an endless loop, data aimed at ccwboot's home, ...).
//
// The same GeneratedVolume feeds Hercules (CkdVolume::save_hercules), the
// host simulator (SimChannel takes the CkdVolume) and the libFuzzer harness
// (tests/fuzz/dasd_input.h encodes it): at most 4 cylinders, at most 64
// records, so every volume fits the fuzz encoding unchanged.
// docs/fuzzing.md ("Hercules as the oracle") describes the classes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ccwboot/types.h"
#include "ckd_volume.h"

namespace ccwboot::sim {

// The payload's disabled wait when its checksum matches (80BAD000 when not).
inline constexpr u64 kVolgenPayloadPsw = 0x000A000080C0DEF0ull;
inline constexpr u32 kVolgenMaxCylinders = 4;
inline constexpr u32 kVolgenMaxRecords = 64;

struct GeneratedVolume {
  CkdVolume volume{1};
  u64 seed = 0;
  u32 index = 0;
  std::string ipl1;       // IPL1 shape, e.g. "std", "rkd", "notic"
  std::string structure;  // IPL2 structure, e.g. "flat", "stage", "linked"
  std::string damage;     // "" for an intact volume, else the damage's name
  std::string features;   // comma list of what the read groups used (mt,cd,skip,...)
  // Storage any CCW the generator wrote may store into, [start, end), merged.
  // (A damaged volume may still write elsewhere; the Hercules driver checks.)
  std::vector<std::pair<u32, u32>> ranges;
  u32 payload_start = 0;
  u32 payload_end = 0;

  std::string summary() const;  // one line: index, shape names, features
};

// Volume `index` of the run with seed `seed`; the same pair always gives the
// same volume, byte for byte.
GeneratedVolume generate_volume(u64 seed, u32 index);

}  // namespace ccwboot::sim
