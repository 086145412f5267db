// Writes fuzz_dasd_ipl's seed corpus from mkdasd's chain shapes: each shape's
// volume in dasd_input.h's encoding, with memory layout 0 (and the small
// single and low_8k shapes once more with layouts 1-3, so the fuzzer starts
// near the memory guard; the corpus stays small).
//
// A shape the encoding cannot hold (more cylinders or records than a fuzz
// input keeps, like long_linked_list's 200 tracks) gets no seed, since its
// seed would be another volume: "no seed: <shape>" says so, and
// tally_matches_shapes.py leaves such shapes out.
//
// Usage: make_dasd_seeds DIR      (writes DIR/<shape>[-layoutN])
#include <cstdio>
#include <fstream>
#include <string>

#include "dasd_input.h"
#include "hardware_ipl.h"
#include "shapes.h"
#include "sim_memory.h"

using namespace ccwboot;

namespace {

// The decoded seed IPLs as the shape does (same end, PSW and error).
bool encoding_holds(const sim::CkdVolume& volume, const std::vector<u8>& bytes) {
  sim::CkdVolume original = volume;
  fuzz::DasdFuzzInput decoded = fuzz::decode_dasd_input(bytes.data(), bytes.size());
  sim::SimMemory a(16ull << 20), b(16ull << 20);
  const sim::HardwareIplResult want = sim::hardware_ipl(original, a);
  const sim::HardwareIplResult got = sim::hardware_ipl(decoded.volume, b);
  return want.ok == got.ok && want.psw == got.psw && want.error == got.error;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  size_t total = 0;
  for (const sim::ShapeInfo& info : sim::all_shapes()) {
    const sim::CkdVolume volume = sim::make_shape(info.shape);
    const bool all_layouts = info.shape == sim::Shape::kSingle || info.shape == sim::Shape::kLow8k;
    for (u8 layout = 0; layout < (all_layouts ? 4 : 1); ++layout) {
      const auto bytes = fuzz::encode_dasd_input(volume, fuzz::kMaxFuzzCylinders, layout);
      if (!encoding_holds(volume, bytes)) {
        std::printf("no seed: %s (the fuzz input cannot hold its volume)\n", info.name);
        break;
      }
      std::string path = dir + "/" + info.name;
      if (layout) path += "-layout" + std::to_string(layout);
      std::ofstream out(path, std::ios::binary);
      out.write(reinterpret_cast<const char*>(bytes.data()),
                static_cast<std::streamsize>(bytes.size()));
      if (!out) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return 1;
      }
      total += bytes.size();
      std::printf("%-40s %6zu bytes\n", path.c_str(), bytes.size());
    }
  }
  std::printf("%zu bytes in all\n", total);
  return 0;
}
