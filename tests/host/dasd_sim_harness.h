// Runs ccwboot's DASD IPL core against the channel simulator, next to the
// machine's own IPL, for the dasd tests and the dasd_ipl_stats tool.
#pragma once

#include <string>

#include "ccwboot/dasd/dasd_ipl.h"
#include "ckd_volume.h"
#include "hardware_ipl.h"
#include "sim_channel.h"
#include "sim_memory.h"

namespace ccwboot::testing {

// The storage map the tests give the core: a "firmware" at 0xE00000 (where
// ccwboot sits in Hercules, and where the aim_firmware shape aims) and the
// scratch area right after it.
inline constexpr u64 kFirmwareStart = 0x00E00000;
inline constexpr u64 kFirmwareEnd = 0x00F00000;
inline constexpr u64 kScratch = 0x00F00000;
inline constexpr u32 kScratchSize = 0x1000;

dasd::DasdIplConfig sim_config();

struct CoreRun {
  dasd::DasdIplResult result;
  sim::SimStats channel;  // the simulator's counters over all starts
  u64 elapsed_us = 0;     // the channel's simulated time (the IPL's clock)
};

// ccwboot's IPL of `volume` into `memory` over a channel in `mode`; with no
// config.clock, on the channel's simulated time.
CoreRun run_core(sim::CkdVolume volume, sim::SimMemory& memory,
                 sim::FetchMode mode = sim::FetchMode::kPrefetch,
                 const dasd::DasdIplConfig& config = sim_config());

// The fewest starts any prefetching IPL could use for the CCW sequence the
// real channel executes for `volume`: cut the hardware IPL's trace into the
// longest runs in which no CCW is fetched after a CCW of the same run stored
// data over it, and no run reaches 256 CCWs past the start of its vfio-ccw
// segment (CCWCHAIN_LEN_MAX). (The hardware's own Read IPL + IPL1 are
// counted as they run.)
u32 min_prefetch_starts(sim::CkdVolume volume);

// First differing address of two memories outside [skip_start, skip_end),
// or -1 if they are equal there.
long long first_difference(const sim::SimMemory& a, const sim::SimMemory& b, u64 skip_start,
                           u64 skip_end);

}  // namespace ccwboot::testing
