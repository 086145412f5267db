// The machine's "Load" from a DASD, and the naive single prefetched start.
#include "hardware_ipl.h"

namespace ccwboot::sim {
namespace {

HardwareIplResult run_ipl(CkdVolume& volume, SimMemory& memory, SimOptions options,
                          FetchMode mode) {
  // The Read IPL CCW the machine builds at absolute 0, chained to what IPL1 puts at 8.
  Ccw0 ipl = Ccw0::make(ccw_cmd::kReadIpl, 0, kIplCcwFlags, kIplCcwCount);
  memory.write(0, ipl.raw, 8);
  SimChannel channel(volume, memory, mode, options);
  HardwareIplResult r;
  r.io = channel.start(0, CcwFormat::kFormat0, true);
  // A PCI's intermediate interruption does not end or fail the IPL.
  r.io.subchannel_status &= static_cast<u8>(~sch_stat::kProgramControlledInterruption);
  r.ok = r.io.ok();
  r.psw = memory.load64(0);
  r.stats = channel.stats();
  r.sense = channel.sense_bytes();
  r.error = channel.last_error();
  r.trace = channel.trace();
  return r;
}

}  // namespace

HardwareIplResult hardware_ipl(CkdVolume& volume, SimMemory& memory, SimOptions options) {
  return run_ipl(volume, memory, options, FetchMode::kRealChannel);
}

HardwareIplResult naive_prefetch_ipl(CkdVolume& volume, SimMemory& memory, SimOptions options) {
  return run_ipl(volume, memory, options, FetchMode::kPrefetch);
}

}  // namespace ccwboot::sim
