// dasd_ipl_stats: for every mkdasd shape, the start-subchannel operations
// ccwboot's DASD IPL uses under vfio-ccw prefetch semantics, next to the
// fewest any prefetching IPL could use (cut from the real channel's trace),
// and the result. Used by the benchmark; `--csv` for machine-readable rows.
#include <cstdio>
#include <cstring>
#include <string>

#include "ccwboot/wait_codes.h"
#include "dasd_sim_harness.h"
#include "shapes.h"

using namespace ccwboot;

int main(int argc, char** argv) {
  bool csv = argc > 1 && std::strcmp(argv[1], "--csv") == 0;
  if (csv) {
    std::printf("shape,result,starts,sense_starts,ipl2_pieces,cuts,ccws_analysed,min_starts\n");
  } else {
    std::printf("%-18s %-28s %6s %6s %6s %5s %8s %9s\n", "shape", "result", "starts", "sense",
                "pieces", "cuts", "analysed", "min(pref)");
  }
  int failures = 0;
  for (const sim::ShapeInfo& s : sim::all_shapes()) {
    sim::SimMemory memory;
    testing::CoreRun run = testing::run_core(sim::make_shape(s.shape), memory);
    const dasd::DasdIplStats& st = run.result.stats;
    const char* result = run.result.ok() ? "ok" : wait_code_info(run.result.code).name;
    u32 min = s.native_boots ? testing::min_prefetch_starts(sim::make_shape(s.shape)) : 0;
    if (s.good != run.result.ok()) ++failures;
    if (csv) {
      std::printf("%s,%s,%u,%u,%u,%u,%u,%u\n", s.name, result, st.starts, st.sense_starts,
                  st.ipl2_pieces, st.cuts, st.ccws_analysed, min);
    } else {
      std::printf("%-18s %-28s %6u %6u %6u %5u %8u %9s\n", s.name, result, st.starts,
                  st.sense_starts, st.ipl2_pieces, st.cuts, st.ccws_analysed,
                  min ? std::to_string(min).c_str() : "-");
    }
  }
  return failures ? 1 : 0;
}
