// Runs fuzz_dasd_ipl's harness (every invariant) over volumes from the
// generator (tools/volgen), without libFuzzer: the same cases the Hercules
// differential run uses, in the simulator.
//
//   fuzz_dasd_volgen --seed S --count N [--first I] [--layout L]
//
// Exits 0 when every volume passed; an invariant violation aborts, as in
// libFuzzer (with FUZZ_DASD_COUNT_REFUSALS=1, invariant 6 is counted and the
// exit code is 1 if it was violated). The harness prints its tally at exit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dasd_input.h"
#include "volgen.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" unsigned long long fuzz_dasd_unexpected_refusals();

int main(int argc, char** argv) {
  unsigned long long seed = 0, count = 0, first = 0, layout = 0;
  bool have_seed = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    unsigned long long v = std::strtoull(argv[i + 1], nullptr, 0);
    if (a == "--seed") {
      seed = v;
      have_seed = true;
    } else if (a == "--count") {
      count = v;
    } else if (a == "--first") {
      first = v;
    } else if (a == "--layout") {
      layout = v & 3;
    } else {
      std::fprintf(stderr, "usage: fuzz_dasd_volgen --seed S --count N [--first I] [--layout L]\n");
      return 2;
    }
  }
  if (!have_seed || count == 0) {
    std::fprintf(stderr, "usage: fuzz_dasd_volgen --seed S --count N [--first I] [--layout L]\n");
    return 2;
  }
  for (unsigned long long i = first; i < first + count; ++i) {
    ccwboot::sim::GeneratedVolume g =
        ccwboot::sim::generate_volume(seed, static_cast<ccwboot::u32>(i));
    if (std::getenv("FUZZ_DASD_VERBOSE")) std::fprintf(stderr, "volume %s\n", g.summary().c_str());
    auto bytes = ccwboot::fuzz::encode_dasd_input(g.volume, g.volume.cylinders(),
                                                  static_cast<ccwboot::u8>(layout));
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  if (unsigned long long n = fuzz_dasd_unexpected_refusals()) {
    std::printf(
        "fuzz_dasd_volgen: %llu of %llu volumes of seed %llu: the hardware boots, the core "
        "refuses (unexpected refusals: %llu)\n",
        n, count, seed, n);
    return 1;
  }
  std::printf("fuzz_dasd_volgen: %llu volumes of seed %llu passed every invariant\n", count, seed);
  return 0;
}
