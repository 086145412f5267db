// mkdasd: writes a Hercules 3390 CKD volume in one of the IPL chain shapes.
//
//   mkdasd --shape NAME -o FILE [--volser SERIAL] [--cylinders N]
//   mkdasd --list     one line per shape: name, good, native_boots,
//                     needs_split, expected PSW, load range, description
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "shapes.h"

namespace {

using namespace ccwboot::sim;

int usage() {
  std::fprintf(stderr,
               "usage: mkdasd --shape NAME -o FILE [--volser SERIAL] [--cylinders N]\n"
               "       mkdasd --list\n");
  return 2;
}

void list() {
  std::printf(
      "# name good native_boots needs_split expected_psw load_start load_end description\n");
  for (const ShapeInfo& s : all_shapes()) {
    std::printf("%s %d %d %d %016" PRIx64 " %08x %08x %s\n", s.name, s.good, s.native_boots,
                s.needs_split, static_cast<uint64_t>(s.expected_psw), s.load_start, s.load_end,
                s.description);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string shape_name, out;
  ShapeOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--list") {
      list();
      return 0;
    } else if (a == "--shape") {
      const char* v = value();
      if (!v) return usage();
      shape_name = v;
    } else if (a == "-o") {
      const char* v = value();
      if (!v) return usage();
      out = v;
    } else if (a == "--volser") {
      const char* v = value();
      if (!v || std::strlen(v) == 0 || std::strlen(v) > 6) return usage();
      options.volser = v;
    } else if (a == "--cylinders") {
      const char* v = value();
      if (!v) return usage();
      char* end = nullptr;
      unsigned long n = std::strtoul(v, &end, 10);
      if (*end || n == 0 || n > 65520) return usage();
      options.cylinders = static_cast<ccwboot::u32>(n);
    } else {
      return usage();
    }
  }
  if (shape_name.empty() || out.empty()) return usage();
  auto shape = shape_from_name(shape_name);
  if (!shape) {
    std::fprintf(stderr, "mkdasd: unknown shape '%s' (see mkdasd --list)\n", shape_name.c_str());
    return 2;
  }
  CkdVolume volume = make_shape(*shape, options);
  std::string error;
  if (!volume.save_hercules(out, &error)) {
    std::fprintf(stderr, "mkdasd: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
