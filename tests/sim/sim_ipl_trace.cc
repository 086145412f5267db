// Prints what the simulator's hardware IPL of a mkdasd shape does, in the
// form Hercules' t+devno trace shows it, for the Hercules-vs-simulator test
// (tests/hercules/sim_trace_compare.py):
//   one line per CCW fetched: "XXXXXXXX XXXXXXXX" (HHCCP048I CCW=), then,
//   for a CCW that ran (not a TIC), " stat UUCC count NNNN" (HHCCP075I:
//   unit and channel status, residual count) and, for an input command,
//   " data" + the first 16 bytes at its data address afterwards (HHCCP075I
//   =>); at the end "PSW XXXXXXXX XXXXXXXX".
//   sim_ipl_trace SHAPE [--memory FILE]   FILE: the 16 MiB of storage afterwards
#include <cstdio>
#include <cstring>

#include "hardware_ipl.h"
#include "shapes.h"

int main(int argc, char** argv) {
  using namespace ccwboot::sim;
  const char* memory_file = nullptr;
  if (argc == 4 && std::strcmp(argv[2], "--memory") == 0) memory_file = argv[3];
  if (argc != 2 && memory_file == nullptr) {
    std::fprintf(stderr, "usage: sim_ipl_trace SHAPE [--memory FILE]\n");
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
    std::printf("%02X%02X%02X%02X %02X%02X%02X%02X", t.raw[0], t.raw[1], t.raw[2], t.raw[3],
                t.raw[4], t.raw[5], t.raw[6], t.raw[7]);
    if (t.ended) {
      std::printf(" stat %02X%02X count %04X", t.device_status, t.channel_status, t.residual);
      if (t.has_data) {
        std::printf(" data ");
        for (auto b : t.data) std::printf("%02X", b);
      }
    }
    std::printf("\n");
  }
  std::printf("PSW %08X %08X\n", static_cast<unsigned>(r.psw >> 32), static_cast<unsigned>(r.psw));
  if (memory_file != nullptr) {
    FILE* f = std::fopen(memory_file, "wb");
    if (f == nullptr || std::fwrite(memory.data(), 1, memory.size(), f) != memory.size()) {
      std::fprintf(stderr, "sim_ipl_trace: cannot write %s\n", memory_file);
      return 2;
    }
    std::fclose(f);
  }
  return r.ok ? 0 : 1;
}
