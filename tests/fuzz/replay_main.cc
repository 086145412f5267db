// Runs a fuzz harness over saved inputs without libFuzzer, so the ordinary
// host build (gcc, and the ASan/UBSan preset) replays the checked-in seed
// corpus and past crash inputs as a regression test.
//
// Usage: fuzz_replay_<target> FILE|DIR...   (directories: every regular file)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  // A copy of exactly `size` bytes, so ASan sees reads past the end.
  std::vector<uint8_t> exact(bytes);
  exact.shrink_to_fit();
  LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int files = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      std::vector<std::filesystem::path> entries;
      for (const auto& e : std::filesystem::directory_iterator(arg))
        if (e.is_regular_file()) entries.push_back(e.path());
      std::sort(entries.begin(), entries.end());
      for (const auto& p : entries) ok &= run_file(p), ++files;
    } else {
      ok &= run_file(arg);
      ++files;
    }
  }
  std::printf("replay: %d input(s) ran without a crash\n", files);
  // An empty corpus proves nothing: treat it as a failure.
  return ok && files > 0 ? 0 : 1;
}
