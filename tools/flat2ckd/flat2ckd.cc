// flat2ckd: turn a flat image of a formatted 3390 (4 KiB blocks, as Linux's
// dasd driver shows it, e.g. what zipl wrote to a loop device) into a Hercules
// CKD volume.
//
//   flat2ckd --layout cdl|ldl FLAT OUT.3390
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "block_map.h"

using namespace ccwboot::sim;

int main(int argc, char** argv) {
  if (argc != 5 || std::string(argv[1]) != "--layout") {
    std::fprintf(stderr, "usage: flat2ckd --layout cdl|ldl FLAT OUT.3390\n");
    return 2;
  }
  const std::string layout_name = argv[2];
  DasdLayout layout;
  if (layout_name == "cdl") {
    layout = DasdLayout::kCdl;
  } else if (layout_name == "ldl") {
    layout = DasdLayout::kLdl;
  } else {
    std::fprintf(stderr, "flat2ckd: unknown layout '%s' (cdl or ldl)\n", layout_name.c_str());
    return 2;
  }
  std::ifstream in(argv[3], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "flat2ckd: cannot read %s\n", argv[3]);
    return 1;
  }
  std::vector<ccwboot::u8> flat((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  std::string error;
  auto volume = volume_from_blocks(layout, flat, &error);
  if (!volume) {
    std::fprintf(stderr, "flat2ckd: %s: %s\n", argv[3], error.c_str());
    return 1;
  }
  if (!volume->save_hercules(argv[4], &error)) {
    std::fprintf(stderr, "flat2ckd: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
