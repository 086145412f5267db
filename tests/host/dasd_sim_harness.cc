#include "dasd_sim_harness.h"

#include "ccwboot/dasd/vfio_copy.h"

#include <vector>

#include "ccwboot/dasd/ccw_class.h"
#include "ccwboot/dasd/idaw_list.h"
#include "host_log.h"

namespace ccwboot::testing {

dasd::DasdIplConfig sim_config() {
  dasd::DasdIplConfig c;
  c.scratch_address = kScratch;
  c.scratch_size = kScratchSize;
  c.reserved.add(kFirmwareStart, kFirmwareEnd, "firmware image");
  return c;
}

CoreRun run_core(sim::CkdVolume volume, sim::SimMemory& memory, sim::FetchMode mode,
                 const dasd::DasdIplConfig& config) {
  sim::SimChannel channel(volume, memory, mode);
  sim::SimClock clock(channel);
  dasd::DasdIplConfig c = config;
  if (!c.clock) c.clock = &clock;  // the channel's simulated time
  CoreRun run;
  clear_log();  // the run's own lines, for tests that read them
  run.result = dasd::run_dasd_ipl(channel, memory, c);
  run.elapsed_us = channel.elapsed_us();
  run.channel = channel.stats();
  return run;
}

u32 min_prefetch_starts(sim::CkdVolume volume) {
  sim::SimMemory memory;
  sim::SimOptions options;
  options.trace = true;
  Ccw0 ipl = Ccw0::make(ccw_cmd::kReadIpl, 0, sim::kIplCcwFlags, sim::kIplCcwCount);
  memory.write(0, ipl.raw, 8);
  sim::SimChannel channel(volume, memory, sim::FetchMode::kRealChannel, options);
  channel.start(0, CcwFormat::kFormat0, false);
  u32 starts = 1;
  std::vector<AddrRange> stored;
  // vfio-ccw's segment the run is in: from `head` to the furthest CCW run
  // sequentially; a TIC back into it stays, any other TIC starts a new one.
  u32 head = 0, tail = 0;
  u32 segments = 1;  // in this start
  bool after_tic = false;
  for (const sim::TraceEntry& e : channel.trace()) {
    // With IDA, vfio-ccw copies the IDAW list along with the CCW: a list an
    // earlier CCW of the start stored over is stale as the CCW would be.
    // (The list and its IDAWs as storage holds them after the IPL.)
    bool ida = (e.raw[4] & ccw_flag::kIndirect) && !is_tic(e.raw[0]);
    dasd::IdawList list;
    if (ida) dasd::read_idaw_list(memory, be::load24(&e.raw[1]), be::load16(&e.raw[6]), list);
    bool new_start = false;
    for (const AddrRange& a : stored) {
      new_start = new_start || a.overlaps(AddrRange::at(e.address, 8)) ||
                  (ida && a.overlaps(list.list_range()));
    }
    if (after_tic && !(e.address >= head && e.address <= tail)) {
      head = tail = e.address;
      ++segments;
    }
    tail = e.address > tail ? e.address : tail;
    // A segment holds at most 256 CCWs (CCWCHAIN_LEN_MAX): the run must end before.
    if (e.address >= head + 256 * 8) new_start = true;
    // ccwboot follows at most kMaxVfioSegments segments in one start (its
    // own bound, not the driver's; a TIC back into an earlier segment is
    // counted as a new one here, which no shape does).
    if (segments > dasd::kMaxVfioSegments) new_start = true;
    after_tic = is_tic(e.raw[0]);
    if (new_start) {
      ++starts;
      stored.clear();
      head = tail = e.address;
      segments = 1;
    }
    u8 cmd = e.raw[0];
    if (dasd::stores_data(cmd) && !(e.raw[4] & ccw_flag::kSkip)) {
      if (!ida)
        stored.push_back(dasd::data_area(cmd, be::load24(&e.raw[1]), be::load16(&e.raw[6])));
      for (u32 k = 0; ida && k < list.usable; ++k) stored.push_back(list.block(k));
    }
  }
  return starts;
}

long long first_difference(const sim::SimMemory& a, const sim::SimMemory& b, u64 skip_start,
                           u64 skip_end) {
  u64 n = a.size() < b.size() ? a.size() : b.size();
  if (a.size() != b.size()) return static_cast<long long>(n);
  for (u64 i = 0; i < n; ++i) {
    if (i >= skip_start && i < skip_end) continue;
    if (a.data()[i] != b.data()[i]) return static_cast<long long>(i);
  }
  return -1;
}

}  // namespace ccwboot::testing
