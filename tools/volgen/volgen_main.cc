// volgen: writes generated IPL volumes (volgen.h) and runs the simulator on them.
//
//   volgen --seed S [--first I] --count N -o DIR [--fuzz] [--sim]
//   volgen --seed S --index I --describe   (choices, ranges, simulated CCW trace)
//   volgen --load FILE.3390 --ranges S-E[,S-E...] --sim
//                                            (a volume written by another tool, e.g.
//                                            tests/hercules/loader_corpus.py: the same
//                                            "hw" and "core" as below, storage to FILE.hwmem)
//
// For each volume I (from --first, default 0) it writes DIR/vol-I.3390 (a
// Hercules CKD image) and prints one JSON line: index, seed, file, the
// storage ranges its CCWs may write, and the grammar's choices. --fuzz also
// writes DIR/vol-I.fuzz, the same volume in fuzz_dasd_ipl's input encoding.
// --sim runs the case in the host simulator too and adds to the line:
//   "hw":   the hardware IPL (real channel, Hercules' 3990 rules) and the
//           payload run after it; the storage of the ranges goes to
//           DIR/vol-I.hwmem (the ranges' bytes, concatenated, in order),
//   "core": ccwboot's DASD IPL core through the vfio-ccw prefetch channel,
//           with ccwboot's Hercules layout (image at 0x00E00000).
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "ccwboot/dasd/dasd_ipl.h"
#include "ccwboot/wait_codes.h"
#include "dasd_input.h"
#include "hardware_ipl.h"
#include "host_log.h"
#include "payload_cpu.h"
#include "sim_channel.h"
#include "sim_memory.h"
#include "volgen.h"

namespace {

using namespace ccwboot;
using namespace ccwboot::sim;

constexpr u64 kSimMemory = 16ull << 20;  // format-0 CCWs reach no further
// Bounds that stand for "never ends" in the simulator.
constexpr u32 kHardwareSteps = 2'000'000;
constexpr u64 kPayloadSteps = 50'000'000;

int usage() {
  std::fprintf(stderr,
               "usage: volgen --seed S [--first I] --count N -o DIR [--fuzz] [--sim]\n"
               "       volgen --seed S --index I --describe\n"
               "       volgen --load FILE.3390 --ranges S-E[,S-E...] --sim\n");
  return 2;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c >= 0x7F) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      out += b;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string hex64(u64 v) {
  char b[24];
  std::snprintf(b, sizeof b, "\"%016" PRIx64 "\"", static_cast<uint64_t>(v));
  return b;
}

bool write_file(const std::string& path, const std::vector<u8>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return (std::fclose(f) == 0) && ok;
}

// The hardware IPL and the payload after it; storage of the ranges to `mem_path`.
std::string run_hardware(GeneratedVolume& g, const std::string& mem_path) {
  SimMemory memory(kSimMemory);
  SimOptions options;
  options.step_bound = kHardwareSteps;
  options.read_ipl_requires_read = true;  // Hercules' rule: the oracle is Hercules
  HardwareIplResult hw = hardware_ipl(g.volume, memory, options);
  std::string out = "{\"ok\":" + std::string(hw.ok ? "true" : "false");
  out += ",\"psw\":" + hex64(hw.psw);
  if (!hw.ok) {
    out += ",\"timeout\":" + std::string(hw.io.outcome == IoOutcome::kTimeout ? "true" : "false");
    out += ",\"error\":" + json_string(hw.error);
  } else {
    PayloadRun p = run_payload(memory, hw.psw, kPayloadSteps);
    out += ",\"waited\":" + std::string(p.waited ? "true" : "false");
    out += ",\"wait_psw\":" + hex64(p.psw);
    if (!p.error.empty()) out += ",\"payload_error\":" + json_string(p.error);
  }
  std::vector<u8> bytes;
  for (auto [s, e] : g.ranges)
    if (e <= kSimMemory) bytes.insert(bytes.end(), memory.data() + s, memory.data() + e);
  if (!write_file(mem_path, bytes)) out += ",\"memfile_error\":true";
  return out + "}";
}

// ccwboot's core in the simulator, laid out as ccwboot.ins in Hercules.
std::string run_core(GeneratedVolume& g) {
  SimMemory memory(kSimMemory);
  dasd::DasdIplConfig config;
  config.scratch_address = 0xE52000;
  config.scratch_size = 0x1000;
  config.reserved.add(0xE00000, 0xE40000, "firmware image");
  config.reserved.add(0xE40000, 0xE50000, "firmware stack");
  config.reserved.add(0xE50000, 0xE52000, "prefix page");
  SimOptions options;
  // CCWs per start that stand for "never ends". Search loops count: a zipl-
  // style chain of 79 Search Key Equal loops over full tracks runs more than
  // 4,096 CCWs in one start (loader corpus seed 1 volume 209), and Hercules
  // and ccwboot boot it.
  options.step_bound = kHardwareSteps;
  options.read_ipl_requires_read = true;
  SimChannel channel(g.volume, memory, FetchMode::kPrefetch, options);
  SimClock clock(channel);  // simulated time: the same result on every machine
  config.clock = &clock;
  const dasd::DasdIplResult r = dasd::run_dasd_ipl(channel, memory, config);
  const std::string detail = r.ok() ? "" : ccwboot::testing::logged_refusal(r.code);
  ccwboot::testing::clear_log();
  std::string out = "{\"ok\":" + std::string(r.ok() ? "true" : "false");
  if (r.ok()) {
    out += ",\"psw\":" + hex64(r.psw);
    PayloadRun p = run_payload(memory, r.psw, kPayloadSteps);
    out += ",\"wait_psw\":" + hex64(p.psw);
    out += ",\"waited\":" + std::string(p.waited ? "true" : "false");
  } else {
    out += ",\"code\":" + json_string(wait_code_info(r.code).name);
    out += ",\"detail\":" + json_string(detail);
  }
  out += ",\"starts\":" + std::to_string(r.stats.starts);
  return out + "}";
}

// --load: the simulator on a volume from a file, with the ranges to keep.
int run_loaded(const std::string& path, const std::string& ranges) {
  std::string error;
  auto volume = CkdVolume::load_hercules(path, &error);
  if (!volume) {
    std::fprintf(stderr, "volgen: %s: %s\n", path.c_str(), error.c_str());
    return 1;
  }
  GeneratedVolume g;
  g.volume = std::move(*volume);
  for (size_t pos = 0; pos < ranges.size();) {
    char* end = nullptr;
    const u64 s = std::strtoull(ranges.c_str() + pos, &end, 0);
    if (*end != '-') return usage();
    const u64 e = std::strtoull(end + 1, &end, 0);
    if ((*end != ',' && *end != '\0') || e < s || e > kSimMemory) return usage();
    g.ranges.emplace_back(static_cast<u32>(s), static_cast<u32>(e));
    pos = static_cast<size_t>(end - ranges.c_str()) + (*end == ',' ? 1 : 0);
  }
  const size_t dot = path.rfind('.');
  const std::string base = dot == std::string::npos ? path : path.substr(0, dot);
  std::printf("{\"file\":%s,\"hw\":%s,\"core\":%s}\n", json_string(path).c_str(),
              run_hardware(g, base + ".hwmem").c_str(), run_core(g).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  u64 seed = 0;
  bool have_seed = false, fuzz = false, sim = false, describe = false;
  u32 first = 0, count = 0;
  std::string dir, load, ranges;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto number = [&](u64* out) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      *out = std::strtoull(argv[++i], &end, 0);
      return *end == '\0';
    };
    u64 v = 0;
    if (a == "--seed") {
      if (!number(&seed)) return usage();
      have_seed = true;
    } else if (a == "--first" || a == "--index") {
      if (!number(&v) || v > 0xFFFFFFFFu) return usage();
      first = static_cast<u32>(v);
    } else if (a == "--count") {
      if (!number(&v) || v > 10'000'000) return usage();
      count = static_cast<u32>(v);
    } else if (a == "-o" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "--fuzz") {
      fuzz = true;
    } else if (a == "--sim") {
      sim = true;
    } else if (a == "--describe") {
      describe = true;
    } else if (a == "--load" && i + 1 < argc) {
      load = argv[++i];
    } else if (a == "--ranges" && i + 1 < argc) {
      ranges = argv[++i];
    } else {
      return usage();
    }
  }
  if (!load.empty()) return sim ? run_loaded(load, ranges) : usage();
  if (!have_seed) return usage();
  if (describe) {
    GeneratedVolume g = generate_volume(seed, first);
    std::printf("%s\n", g.summary().c_str());
    for (auto [s, e] : g.ranges) std::printf("  range %#x..%#x\n", s, e);
    // The simulator's hardware IPL, CCW by CCW (as Hercules' t+0120 shows it).
    SimMemory memory(kSimMemory);
    SimOptions options;
    options.trace = true;
    options.step_bound = 400;
    HardwareIplResult hw = hardware_ipl(g.volume, memory, options);
    for (const TraceEntry& t : hw.trace)
      std::printf("  %06x: %02X%02X%02X%02X %02X%02X%02X%02X\n", t.address, t.raw[0], t.raw[1],
                  t.raw[2], t.raw[3], t.raw[4], t.raw[5], t.raw[6], t.raw[7]);
    std::printf("  hardware IPL: %s, PSW %016" PRIx64 "\n", hw.ok ? "ok" : hw.error.c_str(),
                static_cast<uint64_t>(hw.psw));
    return 0;
  }
  if (dir.empty() || count == 0) return usage();
  for (u32 n = 0; n < count; ++n) {
    const u32 index = first + n;
    GeneratedVolume g = generate_volume(seed, index);
    const std::string base = dir + "/vol-" + std::to_string(index);
    std::string error;
    if (!g.volume.save_hercules(base + ".3390", &error)) {
      std::fprintf(stderr, "volgen: %s\n", error.c_str());
      return 1;
    }
    if (fuzz && !write_file(base + ".fuzz",
                            ccwboot::fuzz::encode_dasd_input(g.volume, g.volume.cylinders(), 0))) {
      std::fprintf(stderr, "volgen: cannot write %s.fuzz\n", base.c_str());
      return 1;
    }
    std::string line = "{\"index\":" + std::to_string(index) + ",\"seed\":" + std::to_string(seed);
    line += ",\"file\":" + json_string(base + ".3390");
    line += ",\"ipl1\":" + json_string(g.ipl1) + ",\"structure\":" + json_string(g.structure);
    line += ",\"damage\":" + json_string(g.damage) + ",\"features\":" + json_string(g.features);
    line += ",\"cylinders\":" + std::to_string(g.volume.cylinders());
    line += ",\"payload\":[" + std::to_string(g.payload_start) + "," +
            std::to_string(g.payload_end) + "]";
    line += ",\"ranges\":[";
    for (size_t i = 0; i < g.ranges.size(); ++i)
      line += (i ? ",[" : "[") + std::to_string(g.ranges[i].first) + "," +
              std::to_string(g.ranges[i].second) + "]";
    line += "]";
    if (sim) {
      line += ",\"hw\":" + run_hardware(g, base + ".hwmem");
      line += ",\"core\":" + run_core(g);
    }
    std::printf("%s}\n", line.c_str());
    std::fflush(stdout);
  }
  return 0;
}
