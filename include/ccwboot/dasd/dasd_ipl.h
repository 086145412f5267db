// The DASD IPL core: replays a hardware IPL ("Load") of a 3390 behind a
// channel that prefetches channel programs (vfio-ccw), so that memory ends
// exactly as a real IPL would leave it. docs/dasd-ipl.md has the design.
//
//   Read IPL (24 bytes to 0, unchained) -> check IPL1 (PSW, Read, TIC)
//   -> Read IPL chained to IPL1's Read (unchained) -> IPL2, run in pieces
//   split before every CCW the chain itself overwrites -> IPL PSW.
//
// The caller (the image's boot_dasd) moves the prefix away from 0 before and
// hands off to the returned PSW after; this code never touches the CPU.
#pragma once

#include "ccwboot/channel.h"
#include "ccwboot/clock.h"
#include "ccwboot/dasd/memory_guard.h"
#include "ccwboot/guest_memory.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::dasd {

// Layout of the scratch area (format-1 CCWs and their data).
inline constexpr u32 kScratchReadIpl = 0x00;    // Read IPL CCW
inline constexpr u32 kScratchIpl1 = 0x20;       // Read IPL (CC), IPL1's Read
inline constexpr u32 kScratchSense = 0x60;      // SENSE CCW
inline constexpr u32 kScratchSenseData = 0x80;  // 32 sense bytes
inline constexpr u32 kScratchMinSize = 0x100;

// 1.5 s: an endless program ends in kDasdTimeBudget well within 2 s of wall
// time; long_linked_list (2,000 blocks, 2,003 starts) runs in about 1 s in
// Hercules (docs/dasd-ipl.md, "Bounds").
inline constexpr u64 kDasdTimeBudgetUs = 1'500'000;

struct DasdIplConfig {
  u64 scratch_address = 0;  // 8-byte aligned, below 2 GiB, >= kScratchMinSize bytes
  u32 scratch_size = 0;
  ReservedSet reserved;  // firmware image, stack, prefix pages... (scratch is added)
  // The IPL's time budget (kDasdTimeBudget). Rings of pieces that repeat
  // themselves end sooner, proven (ProgressWatch, kDasdEndlessLoop); the
  // budget ends what no proof catches, so that any endless program ends in
  // a named error within 2 s (issue 8 item 4). No count of starts bounds the
  // IPL: a linked list of CCW blocks may run thousands.
  Clock* clock = nullptr;  // required (kDasdBadConfig without)
  u64 time_budget_us = kDasdTimeBudgetUs;
  bool verbose = false;  // one console line per IPL2 piece
};

struct DasdIplStats {
  u32 starts = 0;  // start-subchannel operations, SENSE included
  u32 sense_starts = 0;
  u32 ipl2_pieces = 0;    // starts of IPL2 pieces
  u32 cuts = 0;           // chain flags cleared over all pieces
  u32 ccws_analysed = 0;  // CCW fetches the walks looked at
};

struct DasdIplResult {
  WaitCode code = WaitCode::kNone;
  u64 psw = 0;           // the IPL PSW at absolute 0 (valid when code is kNone)
  u32 ipl2_address = 0;  // where IPL1's TIC sent the IPL
  DasdIplStats stats;
  u8 sense[32] = {};  // of the last unit check, if any
  bool ok() const { return code == WaitCode::kNone; }
};

// Runs the whole IPL on `channel` (a DASD subchannel) over absolute storage
// `memory`. Logs one line per phase (and per piece when verbose).
DasdIplResult run_dasd_ipl(Channel& channel, GuestMemory& memory, const DasdIplConfig& config);

}  // namespace ccwboot::dasd
