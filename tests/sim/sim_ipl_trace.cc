// Prints the CCWs the simulator's hardware IPL of a mkdasd shape executes,
// one "XXXXXXXX XXXXXXXX" line each, in the form Hercules' t+devno trace
// (HHCCP048I CCW=...) shows them, then "PSW XXXXXXXX XXXXXXXX". The
// Hercules test compares the two.
//   sim_ipl_trace SHAPE
#include <cstdio>

#include "hardware_ipl.h"
#include "shapes.h"

int main(int argc, char** argv) {
  using namespace ccwboot::sim;
  if (argc != 2) {
    std::fprintf(stderr, "usage: sim_ipl_trace SHAPE\n");
    return 2;
  }
  auto shape = shape_from_name(argv[1]);
  if (!shape) {
    std::fprintf(stderr, "sim_ipl_trace: unknown shape %s\n", argv[1]);
    return 2;
  }
  CkdVolume volume = make_shape(*shape);
  SimMemory memory;
  SimOptions options;
  options.trace = true;
  HardwareIplResult r = hardware_ipl(volume, memory, options);
  for (const TraceEntry& t : r.trace) {
    std::printf("%02X%02X%02X%02X %02X%02X%02X%02X\n", t.raw[0], t.raw[1], t.raw[2], t.raw[3],
                t.raw[4], t.raw[5], t.raw[6], t.raw[7]);
  }
  std::printf("PSW %08X %08X\n", static_cast<unsigned>(r.psw >> 32), static_cast<unsigned>(r.psw));
  return r.ok ? 0 : 1;
}
