// Fuzz target: the DASD IPL core (run_dasd_ipl) against a hostile 3390,
// through the host simulator's vfio-ccw *prefetch* channel.
//
// Input: a small volume in dasd_input.h's record encoding (IPL1, IPL2 and the
// first tracks), plus a memory layout variant that moves ccwboot's reserved
// ranges to where disk data lands easily.
//
// Invariants (each aborts with a message naming it):
//  1. Bounded: at most kMaxStarts start-subchannel operations per IPL (a
//     counting wrapper around the channel aborts at once, so a runaway loop is
//     reported, not hung on) and the simulator's per-start CCW bound; the
//     core's own start count equals the channel's.
//  2. No sanitizer report (ASan + UBSan, whole host tree instrumented).
//  3. No channel write into a reserved range (SimMemory watches with an
//     aborting hook): firmware image, stack, prefix; into the scratch area
//     only the SENSE bytes may be written.
//  4. The result is a handoff PSW or a named error: kNone with the PSW that
//     is at absolute 0, valid and not pointing into reserved storage; or a
//     code from the table (wait_code_info(code).code == code) in the DASD
//     (0x02xx) or memory-guard (0x04xx) range, never kInternal, with a
//     non-empty detail line.
//  5. Faithful: when the core hands off, a hardware IPL of the same volume
//     (real-channel semantics, tests/sim/hardware_ipl) ends cleanly with the
//     same PSW and the same memory outside the scratch area.
//  6. No refusal of what the hardware boots: when the core refuses, the
//     hardware IPL of the volume must fail too, unless the code is one no
//     split can run faithfully (kAllowedRefusals, docs/fuzzing.md). Such
//     cases are counted; FUZZ_DASD_KNOWN_OPEN=1 also lets the classes of
//     kKnownOpenRefusals pass (counted apart), for runs that must stay green
//     while those classes are open; FUZZ_DASD_OPEN_CLASSES=kName,kName,...
//     names further open classes (codes found by the fuzzer and listed as
//     open findings in docs/fuzzing.md), counted apart too, while every code
//     not named stays fatal;
//     FUZZ_DASD_COUNT_REFUSALS=1 counts every other such refusal instead of
//     aborting (to compare two builds).
//
// At exit the harness prints how the executions ended: handed off (and how
// many of those were cut into several pieces), refused, and invariant 6's
// counts (FUZZ_DASD_QUIET=1 leaves this out). FUZZ_DASD_REFUSAL_DIR=DIR keeps
// invariant 6's cases for triage (log_refusal).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "ccwboot/arch/psw.h"
#include "ccwboot/dasd/dasd_io.h"
#include "ccwboot/dasd/dasd_ipl.h"
#include "ccwboot/wait_codes.h"
#include "dasd_input.h"
#include "fuzz_check.h"
#include "hardware_ipl.h"
#include "host_log.h"
#include "sim_channel.h"
#include "sim_memory.h"

using namespace ccwboot;
using namespace ccwboot::fuzz;

namespace {

constexpr u64 kMemorySize = 16ull << 20;  // the format-0 reach
constexpr u32 kMaxPieces = 64;
constexpr u32 kMaxStarts = 2 * kMaxPieces + 16;  // pieces, their SENSEs, Read IPL, IPL1
// CCWs per start: far above any real IPL program (a few hundred), low enough
// that inputs looping until the bound stay cheap.
constexpr u32 kCcwsPerStart = 4096;

// Invariant 6: refusals that stand although the hardware IPL boots. The data
// or CCWs aim at ccwboot's own storage, or a data chain runs through a CCW
// the chain rewrites (no split can stop a transfer midway).
constexpr WaitCode kAllowedRefusals[] = {
    WaitCode::kGuardDataInReservedRange,
    WaitCode::kGuardCcwInReservedRange,
    WaitCode::kGuardPswIntoFirmware,
    WaitCode::kDasdSplitInDataChain,
    WaitCode::kDasdTimeBudget,  // the harness's own budget (about kMaxPieces starts)
    // vfio-ccw cannot start it (docs/dasd-ipl.md, "vfio-ccw's copy"): a
    // count past storage is pinned whole (F8), a copied CCW that never runs
    // is pinned too, a skip past a segment's end runs host memory, and a
    // segment of more than 256 CCWs with no faithful place to cut.
    WaitCode::kGuardBeyondStorage,
    WaitCode::kDasdPrefetchCopyFails,
    WaitCode::kDasdSegmentOverrun,
    WaitCode::kDasdSegmentTooLong,
    // IDA: every IDAW the count spans is pinned (an IDAW past storage fails
    // the start where the record may end before it), and a CCW that stores
    // over its own later IDAWs has no cut inside it.
    WaitCode::kGuardBadIdaw,
    WaitCode::kDasdIdawListRewritten,
};
// Open classes: a faithful split exists, but ccwboot still refuses by name. They fail invariant 6
// unless FUZZ_DASD_KNOWN_OPEN=1.
constexpr WaitCode kKnownOpenRefusals[] = {
    WaitCode::kDasdSplitAfterSearch,
    WaitCode::kDasdSplitNotFaithful,
    WaitCode::kDasdSplitLosesChainState,
    WaitCode::kDasdSplitPatchOverwritten,
    // (kDasdDataChainAmbiguous left in session 4: no longer raised.)
    WaitCode::kDasdIpl1NotReadTic,
    WaitCode::kDasdChainTooLong,
    WaitCode::kDasdEndlessLoop,
    WaitCode::kDasdTicToTic,
};

// The machine's own check when it loads the IPL PSW (PoP, "Program-Status
// Word" and "Initial Program Loading"), written here from the architecture,
// not taken from the core: bit 12 on, bits 0, 2-4 and 24-31 zero, in 24-bit
// mode no address bits above 16 MiB, an even address. A PSW that points past
// storage loads but runs nothing (an addressing exception at once): the
// loaded system does not run, so it counts as not booting.
bool hardware_loads_psw(u64 psw, u64 storage) {
  const u32 mask = static_cast<u32>(psw >> 32);
  const u32 addr = static_cast<u32>(psw);
  const u32 ia = addr & 0x7FFFFFFFu;
  if (!(mask & 0x00080000u) || (mask & 0xB80000FFu)) return false;
  if (!(addr & 0x80000000u) && (ia & 0x7F000000u)) return false;
  if (ia & 1) return false;
  const bool wait = mask & 0x00020000u;
  return wait || ia < storage;
}

template <size_t N>
bool listed(const WaitCode (&list)[N], WaitCode code) {
  for (WaitCode c : list)
    if (c == code) return true;
  return false;
}

// FUZZ_DASD_OPEN_CLASSES: wait code names, comma-separated. A name that is
// not in the table aborts at once, so a typo cannot quietly let a class by.
bool named_open(WaitCode code) {
  static const char* const list = [] {
    const char* env = std::getenv("FUZZ_DASD_OPEN_CLASSES");
    for (const char* p = env; p && *p;) {
      const char* comma = std::strchr(p, ',');
      const size_t len = comma ? static_cast<size_t>(comma - p) : std::strlen(p);
      bool known = false;
      for (u32 c = 0; c < 0x500 && !known; ++c) {
        const WaitCodeInfo info = wait_code_info(static_cast<WaitCode>(c));
        known = info.code == static_cast<WaitCode>(c) && std::strlen(info.name) == len &&
                std::strncmp(info.name, p, len) == 0;
      }
      FUZZ_CHECK(known, "FUZZ_DASD_OPEN_CLASSES names no wait code: '%.*s'", static_cast<int>(len),
                 p);
      p = comma ? comma + 1 : p + len;
    }
    return env;
  }();
  if (!list) return false;
  const char* name = wait_code_info(code).name;
  const size_t n = std::strlen(name);
  for (const char* p = list; *p;) {
    const char* comma = std::strchr(p, ',');
    const size_t len = comma ? static_cast<size_t>(comma - p) : std::strlen(p);
    if (len == n && std::strncmp(p, name, n) == 0) return true;
    p = comma ? comma + 1 : p + len;
  }
  return false;
}

// How the executions ended, printed at exit.
struct Tally {
  u64 runs = 0, handed_off = 0, cut = 0, refused = 0;
  u64 refused_hw_boots = 0, allowed = 0, known_open = 0, named_open = 0, unexpected = 0;
  u64 by_code[0x500] = {};  // refusals the hardware boots, by code (DASD and guard ranges)
};

Tally& tally() {
  static Tally* t = new Tally;
  return *t;
}

}  // namespace

// Invariant 6's count in FUZZ_DASD_COUNT_REFUSALS mode (volgen_replay.cc exits non-zero on it).
extern "C" unsigned long long fuzz_dasd_unexpected_refusals() { return tally().unexpected; }

namespace {

void report_tally() {
  const Tally& t = tally();
  if (t.runs == 0 || std::getenv("FUZZ_DASD_QUIET")) return;
  auto pct = [&](u64 n) { return 100.0 * static_cast<double>(n) / static_cast<double>(t.runs); };
  std::fprintf(
      stderr,
      "fuzz_dasd_ipl: %llu executions: handed off %llu (%.2f %%), of which cut %llu "
      "(%.2f %%); refused %llu (%.2f %%)\n"
      "fuzz_dasd_ipl: hardware boots, ccwboot refuses: %llu (allowed %llu, known open "
      "%llu, named open %llu, unexpected refusals: %llu)\n",
      static_cast<unsigned long long>(t.runs), static_cast<unsigned long long>(t.handed_off),
      pct(t.handed_off), static_cast<unsigned long long>(t.cut), pct(t.cut),
      static_cast<unsigned long long>(t.refused), pct(t.refused),
      static_cast<unsigned long long>(t.refused_hw_boots),
      static_cast<unsigned long long>(t.allowed), static_cast<unsigned long long>(t.known_open),
      static_cast<unsigned long long>(t.named_open), static_cast<unsigned long long>(t.unexpected));
  for (u32 c = 0; c < 0x500; ++c) {
    if (!t.by_code[c]) continue;
    std::fprintf(stderr, "fuzz_dasd_ipl:   %-28s %llu\n",
                 wait_code_info(static_cast<WaitCode>(c)).name,
                 static_cast<unsigned long long>(t.by_code[c]));
  }
}

// FUZZ_DASD_REFUSAL_DIR=DIR (triage): every refusal of a volume the hardware
// boots appends "name<TAB>detail" to DIR/refusals.log, and the first 50
// inputs of each code are kept as DIR/<name>-<n> to replay.
void log_refusal(WaitCode code, const std::string& detail, const uint8_t* data, size_t size) {
  static const char* dir = std::getenv("FUZZ_DASD_REFUSAL_DIR");
  if (!dir) return;
  static u32 kept[0x500] = {};
  const char* name = wait_code_info(code).name;
  const std::string base = dir;
  if (FILE* f = std::fopen((base + "/refusals.log").c_str(), "a")) {
    std::fprintf(f, "%s\t%s\n", name, detail.c_str());
    std::fclose(f);
  }
  const u16 c = static_cast<u16>(code);
  if (c >= 0x500 || kept[c] >= 50) return;
  const std::string path = base + "/" + name + "-" + std::to_string(kept[c]++);
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
}

// One layout: where ccwboot keeps itself. Disk data may aim anywhere.
struct Layout {
  u64 image_start, image_end;
  u64 stack_start, stack_end;
  u64 prefix_start, prefix_end;
  u64 scratch;
  u32 scratch_size;
};
constexpr Layout kLayouts[4] = {
    // As in Hercules: ccwboot at 0x00E00000.
    {0xE00000, 0xE40000, 0xE40000, 0xE50000, 0xE50000, 0xE52000, 0xE52000, 0x1000},
    // Low, where kernels and loaders land (0x10000...).
    {0x10000, 0x30000, 0x30000, 0x34000, 0x34000, 0x36000, 0x36000, 0x1000},
    // Right above the IPL lowcore: catches loaders that use the first pages.
    {0x4000, 0x8000, 0x8000, 0x9000, 0x2000, 0x4000, 0x9000, 0x200},
    // Near the top of the 16 MiB reach.
    {0xFC0000, 0xFF0000, 0xFF0000, 0xFF8000, 0xFF8000, 0xFFA000, 0xFFA000, 0x1000},
};

// Everything that outlives one input: 16 MiB are too dear to allocate and
// zero per run, so memory is reset by zeroing only what was written.
struct World {
  sim::SimMemory memory{kMemorySize};
  sim::SimMemory reference{kMemorySize};  // the hardware IPL's memory (invariant 5)
  std::vector<std::pair<u64, u32>> cpu_writes;
  const Layout* layout = nullptr;
  bool initialized = false;
  u64 runs = 0;
};

World& world() {
  static World* w = new World;  // never destroyed: libFuzzer exits without unwinding
  return *w;
}

// The core's CPU-side accesses go through this, so they can be undone.
class TrackedMemory final : public GuestMemory {
 public:
  explicit TrackedMemory(sim::SimMemory& m) : m_(m) {}
  bool read(u64 addr, void* dst, u32 len) override { return m_.read(addr, dst, len); }
  bool write(u64 addr, const void* src, u32 len) override {
    if (len) world().cpu_writes.emplace_back(addr, len);
    return m_.write(addr, src, len);
  }
  u64 size() const override { return m_.size(); }

 private:
  sim::SimMemory& m_;
};

// Invariant 1: counts starts and stops a runaway core at once.
class CountingChannel final : public Channel {
 public:
  explicit CountingChannel(sim::SimChannel& ch) : ch_(ch) {}
  IoResult start(u32 ccw_address, CcwFormat fmt, bool prefetch) override {
    ++starts_;
    FUZZ_CHECK(starts_ <= kMaxStarts, "more than %u starts: the IPL does not terminate",
               kMaxStarts);
    return ch_.start(ccw_address, fmt, prefetch);
  }
  u32 starts() const { return starts_; }

 private:
  sim::SimChannel& ch_;
  u32 starts_ = 0;
};

// Zeroes every byte the last run wrote (channel writes come from the
// whole-memory watch, CPU writes from TrackedMemory).
void reset(sim::SimMemory& m, const std::vector<std::pair<u64, u32>>* cpu) {
  for (const sim::WatchHit& h : m.watch_hits())
    if (h.watch_start == 0 && h.watch_end == m.size()) std::memset(m.data() + h.addr, 0, h.len);
  if (cpu)
    for (auto [addr, len] : *cpu)
      if (m.contains(addr, len)) std::memset(m.data() + addr, 0, len);
  m.clear_watch_hits();
  // The hardware IPL writes its Read IPL CCW with write() too: 8 bytes at 0.
  std::memset(m.data(), 0, 8);
}

// Checks the reset (every 64Ki runs: 16 MiB is not free). Not coverage
// instrumented: its loop would swamp the fuzzer's feedback and time.
#if defined(__clang__)
#define CCWBOOT_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define CCWBOOT_NO_COVERAGE  // gcc builds (the replay tests) have no coverage to exclude
#endif
CCWBOOT_NO_COVERAGE void verify_clean(const sim::SimMemory& m, const char* which) {
  static const u8 zero[4096] = {};
  for (u64 i = 0; i < m.size(); i += sizeof zero)
    FUZZ_CHECK(std::memcmp(m.data() + i, zero, sizeof zero) == 0,
               "harness: %s memory page 0x%llx not reset", which,
               static_cast<unsigned long long>(i));
}

void watch_hook(const sim::WatchHit& h) {
  const Layout& l = *world().layout;
  if (h.watch_start == 0 && h.watch_end == kMemorySize) return;  // reset tracking only
  if (h.watch_start == l.scratch) {
    const u64 sense = l.scratch + dasd::kScratchSenseData;
    FUZZ_CHECK(h.addr >= sense && h.addr + h.len <= sense + dasd::kSenseBytes,
               "channel wrote %u bytes at 0x%llx into the scratch area outside the sense bytes",
               h.len, static_cast<unsigned long long>(h.addr));
    return;
  }
  FUZZ_CHECK(false, "channel wrote %u bytes at 0x%llx into reserved [0x%llx, 0x%llx)", h.len,
             static_cast<unsigned long long>(h.addr),
             static_cast<unsigned long long>(h.watch_start),
             static_cast<unsigned long long>(h.watch_end));
}

bool in_reserved(const Layout& l, u64 addr) {
  return (addr >= l.image_start && addr < l.image_end) ||
         (addr >= l.stack_start && addr < l.stack_end) ||
         (addr >= l.prefix_start && addr < l.prefix_end) ||
         (addr >= l.scratch && addr < l.scratch + l.scratch_size);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  World& w = world();
  if (w.initialized) return 0;
  w.initialized = true;
  // FUZZ_DASD_VERBOSE=1: echo the core's console lines (for reading a crash).
  if (std::getenv("FUZZ_DASD_VERBOSE")) ccwboot::testing::set_log_echo(true);
  std::atexit(report_tally);
  w.reference.watch(0, kMemorySize);
  w.memory.set_watch_hook(watch_hook);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = world();
  LLVMFuzzerInitialize(nullptr, nullptr);  // once; the replay driver does not call it
  DasdFuzzInput in = decode_dasd_input(data, size);
  const Layout& l = kLayouts[in.layout];
  w.layout = &l;

  // Invariant 3's watches, for this layout.
  w.memory.clear_watches();
  w.memory.watch(0, kMemorySize);
  w.memory.watch(l.image_start, l.image_end);
  w.memory.watch(l.stack_start, l.stack_end);
  w.memory.watch(l.prefix_start, l.prefix_end);
  w.memory.watch(l.scratch, l.scratch + l.scratch_size);

  dasd::DasdIplConfig config;
  config.scratch_address = l.scratch;
  config.scratch_size = l.scratch_size;
  config.reserved.add(l.image_start, l.image_end, "firmware image");
  config.reserved.add(l.stack_start, l.stack_end, "firmware stack");
  config.reserved.add(l.prefix_start, l.prefix_end, "prefix page");

  sim::SimOptions options;
  options.step_bound = kCcwsPerStart;
  // A real 3990 accepts any command chained after Read IPL; Hercules only a
  // read. With the Hercules rule a core that cuts right after a Read IPL in
  // IPL2 boots what Hercules' own IPL rejects (finding F4, docs/fuzzing.md):
  // a fidelity question about one emulator, not safety, so invariant 5 is
  // judged against the real device here (FUZZ_DASD_HERCULES_RULES=1 for the
  // Hercules rule on both sides).
  static const bool hercules_rules = std::getenv("FUZZ_DASD_HERCULES_RULES") != nullptr;
  options.read_ipl_requires_read = hercules_rules;
  sim::SimChannel sim_channel(in.volume, w.memory, sim::FetchMode::kPrefetch, options);
  CountingChannel channel(sim_channel);
  // The harness's own bound: about kMaxPieces starts of simulated time.
  sim::SimClock clock(sim_channel);
  config.clock = &clock;
  config.time_budget_us = u64{kMaxPieces} * options.start_us;
  TrackedMemory memory(w.memory);
  w.cpu_writes.clear();

  config.verbose = std::getenv("FUZZ_DASD_VERBOSE") != nullptr;
  const dasd::DasdIplResult r = dasd::run_dasd_ipl(channel, memory, config);
  const std::string detail = r.ok() ? "" : ccwboot::testing::logged_refusal(r.code);
  ccwboot::testing::clear_log();  // the host log buffer would grow without end

  Tally& t = tally();
  t.runs++;
  if (r.ok()) {
    t.handed_off++;
    if (r.stats.ipl2_pieces > 1) t.cut++;
  } else {
    t.refused++;
  }

  // Invariant 1.
  FUZZ_CHECK(r.stats.starts == channel.starts(), "core counted %u starts, channel saw %u",
             r.stats.starts, channel.starts());
  // Invariant 4.
  if (r.ok()) {
    const u64 at0 = w.memory.load64(0);
    FUZZ_CHECK(r.psw == at0, "handoff PSW %016llx but %016llx at absolute 0",
               static_cast<unsigned long long>(r.psw), static_cast<unsigned long long>(at0));
    FUZZ_CHECK(short_psw::has_bit12(r.psw), "handoff PSW %016llx without bit 12",
               static_cast<unsigned long long>(r.psw));
    const u64 ia = short_psw::instruction_address(r.psw);
    const bool wait = (short_psw::mask_word(r.psw) & 0x00020000) != 0;
    FUZZ_CHECK(wait || (ia < kMemorySize && !in_reserved(l, ia)),
               "handoff PSW %016llx jumps into reserved or missing storage",
               static_cast<unsigned long long>(r.psw));
  } else {
    const u16 code = static_cast<u16>(r.code);
    FUZZ_CHECK(wait_code_info(r.code).code == r.code, "unnamed wait code 0x%04x", code);
    FUZZ_CHECK(r.code != WaitCode::kInternal, "kInternal: %s", detail.c_str());
    FUZZ_CHECK((code >> 8) == 0x02 || (code >> 8) == 0x04,
               "code 0x%04x (%s) outside DASD/guard ranges", code, wait_code_info(r.code).name);
    FUZZ_CHECK(!detail.empty(), "code 0x%04x without a logged line naming it", code);
  }

  // Invariant 5: the handoff state is what the hardware would have left.
  // (FUZZ_DASD_NO_REFERENCE=1 skips it: diagnosis only, never in CI.)
  static const bool reference = std::getenv("FUZZ_DASD_NO_REFERENCE") == nullptr;
  if (r.ok() && reference) {
    sim::SimOptions hw_options;
    hw_options.step_bound = kCcwsPerStart * kMaxStarts;
    hw_options.read_ipl_requires_read = hercules_rules;
    sim::HardwareIplResult hw = sim::hardware_ipl(in.volume, w.reference, hw_options);
    FUZZ_CHECK(hw.ok, "core handed off (PSW %016llx) but the hardware IPL fails: %s",
               static_cast<unsigned long long>(r.psw), hw.error.c_str());
    FUZZ_CHECK(hw.psw == r.psw, "core PSW %016llx, hardware PSW %016llx",
               static_cast<unsigned long long>(r.psw), static_cast<unsigned long long>(hw.psw));
    // Compare every byte either side wrote, outside the scratch area.
    auto compare = [&](u64 addr, u64 len) {
      for (u64 a = addr; a < addr + len && a < kMemorySize; ++a) {
        if (a >= l.scratch && a < l.scratch + l.scratch_size) continue;
        FUZZ_CHECK(w.memory.data()[a] == w.reference.data()[a],
                   "memory differs from the hardware IPL at 0x%llx: %02x vs %02x",
                   static_cast<unsigned long long>(a), w.memory.data()[a], w.reference.data()[a]);
      }
    };
    for (const sim::WatchHit& h : w.memory.watch_hits())
      if (h.watch_start == 0 && h.watch_end == kMemorySize) compare(h.addr, h.len);
    for (const sim::WatchHit& h : w.reference.watch_hits()) compare(h.addr, h.len);
    for (auto [addr, len] : w.cpu_writes) compare(addr, len);
    compare(0, 8);
  }

  // Invariant 6: a refusal must be of a volume the hardware does not boot.
  if (!r.ok() && reference) {
    sim::SimOptions hw_options;
    hw_options.step_bound = kCcwsPerStart * kMaxStarts;
    hw_options.read_ipl_requires_read = hercules_rules;
    sim::HardwareIplResult hw = sim::hardware_ipl(in.volume, w.reference, hw_options);
    if (hw.ok && hardware_loads_psw(hw.psw, kMemorySize)) {
      static const bool known_open_ok = std::getenv("FUZZ_DASD_KNOWN_OPEN") != nullptr;
      t.refused_hw_boots++;
      const u16 code = static_cast<u16>(r.code);
      if (code < 0x500) t.by_code[code]++;
      log_refusal(r.code, detail, data, size);
      if (listed(kAllowedRefusals, r.code)) {
        t.allowed++;
      } else if (known_open_ok && listed(kKnownOpenRefusals, r.code)) {
        t.known_open++;
      } else if (named_open(r.code)) {
        t.named_open++;
      } else if (std::getenv("FUZZ_DASD_COUNT_REFUSALS")) {
        t.unexpected++;  // counted, not fatal: for comparing two builds
                         // (tests/fuzz/mutant_caught.sh)
      } else {
        FUZZ_CHECK(false,
                   "the hardware IPL boots this volume (PSW %016llx) but the core refuses it with "
                   "%s: %s",
                   static_cast<unsigned long long>(hw.psw), wait_code_info(r.code).name,
                   detail.c_str());
      }
    }
  }

  reset(w.memory, &w.cpu_writes);
  reset(w.reference, nullptr);
  if ((++w.runs & 0xffff) == 0 || std::getenv("FUZZ_DASD_VERIFY_RESET")) {
    verify_clean(w.memory, "core");
    verify_clean(w.reference, "reference");
  }
  return 0;
}
