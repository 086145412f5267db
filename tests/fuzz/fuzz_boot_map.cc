// Fuzz target: the zipl boot-map / ISO 9660 parsers (ccwboot::zipl::BootMap)
// on a hostile disk.
//
// Input: a disk image in disk_input.h's encoding (options byte: block size,
// ECKD geometry, entry to load; then the image's non-zero pieces), served
// through a BlockDevice.
//
// Built three times with different seed corpora and FUZZ_SCHEMES (the schemes
// whose inputs are loaded; others stop after open(), so each binary spends
// its time on one parser): fuzz_zipl_scsi, fuzz_zipl_eckd, fuzz_iso9660.
//
// Invariants (abort on violation):
//  - bounded: at most kMaxBlockReads block reads and kMaxBytesWritten bytes
//    written per input (and libFuzzer's -timeout);
//  - no sanitizer report;
//  - no write into a reserved range, below LoadLimits::min_address or past
//    the memory size (checked on every write, before it happens);
//  - every result is kNone or a named code of the boot-map range
//    0x0300-0x033f (never kInternal);
//  - a successful open() gives a sane menu; a successful load() reports a
//    PSW whose address is entry_address, inside memory, and a written range
//    inside [min_address, memory size).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <vector>

#include "ccwboot/wait_codes.h"
#include "ccwboot/zipl/boot_map.h"
#include "disk_input.h"
#include "fuzz_check.h"
#include "fuzz_layout.h"
#include "host_log.h"

using namespace ccwboot;
using namespace ccwboot::fuzz;

namespace {

constexpr u64 kMaxBlockReads = 1u << 20;
constexpr u64 kMaxBytesWritten = 1ull << 30;

class FuzzDisk final : public BlockDevice {
 public:
  explicit FuzzDisk(const DiskInput& in) : in_(in) {}

  WaitCode read(u64 block, u32 count, void* dst) override {
    reads_ += count;
    FUZZ_CHECK(reads_ <= kMaxBlockReads, "more than %llu block reads",
               static_cast<unsigned long long>(kMaxBlockReads));
    if (block >= in_.blocks || count > in_.blocks - block) return WaitCode::kZiplReadFailed;
    read_disk_bytes(in_, block * in_.block_size, static_cast<u8*>(dst), count * in_.block_size);
    return WaitCode::kNone;
  }
  u32 block_size() const override { return in_.block_size; }
  u64 block_count() const override { return in_.blocks; }
  bool eckd_geometry(u32* heads, u32* blocks_per_track) const override {
    if (!in_.eckd_geometry) return false;
    // 3390 records per track by block size, as zipl's DASD formats them.
    *heads = 15;
    *blocks_per_track = in_.block_size == 4096   ? 12
                        : in_.block_size == 2048 ? 21
                        : in_.block_size == 1024 ? 33
                                                 : 49;
    return true;
  }

 private:
  const DiskInput& in_;
  u64 reads_ = 0;
};

// Sparse guest memory that checks every write before doing it.
class CheckedMemory final : public GuestMemory {
 public:
  bool read(u64 addr, void* dst, u32 len) override {
    if (addr > kFuzzMemorySize || len > kFuzzMemorySize - addr) return false;
    u8* out = static_cast<u8*>(dst);
    for (u32 done = 0; done < len;) {
      const u64 a = addr + done;
      const u32 n = std::min<u32>(len - done, 4096 - static_cast<u32>(a & 0xfff));
      auto it = pages_.find(a >> 12);
      if (it == pages_.end())
        std::memset(out + done, 0, n);
      else
        std::memcpy(out + done, it->second.get() + (a & 0xfff), n);
      done += n;
    }
    return true;
  }
  bool write(u64 addr, const void* src, u32 len) override {
    FUZZ_CHECK(addr <= kFuzzMemorySize && len <= kFuzzMemorySize - addr,
               "write of %u bytes at 0x%llx past the memory size", len,
               static_cast<unsigned long long>(addr));
    FUZZ_CHECK(
        len == 0 || addr >= min_address_, "write of %u bytes at 0x%llx below min_address 0x%llx",
        len, static_cast<unsigned long long>(addr), static_cast<unsigned long long>(min_address_));
    const FuzzRange* hit = reserved_hit(addr, len);
    FUZZ_CHECK(hit == nullptr, "write of %u bytes at 0x%llx into the %s [0x%llx, 0x%llx)", len,
               static_cast<unsigned long long>(addr), hit ? hit->what : "",
               static_cast<unsigned long long>(hit ? hit->start : 0),
               static_cast<unsigned long long>(hit ? hit->end : 0));
    written_ += len;
    FUZZ_CHECK(written_ <= kMaxBytesWritten, "more than %llu bytes written",
               static_cast<unsigned long long>(kMaxBytesWritten));
    const u8* in = static_cast<const u8*>(src);
    for (u32 done = 0; done < len;) {
      const u64 a = addr + done;
      const u32 n = std::min<u32>(len - done, 4096 - static_cast<u32>(a & 0xfff));
      auto& page = pages_[a >> 12];
      if (!page) page = std::make_unique<u8[]>(4096);
      std::memcpy(page.get() + (a & 0xfff), in + done, n);
      done += n;
    }
    return true;
  }
  u64 size() const override { return kFuzzMemorySize; }

  void set_min_address(u64 a) { min_address_ = a; }
  u64 written() const { return written_; }

 private:
  std::unordered_map<u64, std::unique_ptr<u8[]>> pages_;
  u64 min_address_ = 0;
  u64 written_ = 0;
};

bool scheme_wanted(zipl::Scheme s) {
  using zipl::Scheme;
  const Scheme wanted[] = {FUZZ_SCHEMES};
  for (Scheme w : wanted)
    if (w == s) return true;
  return false;
}

void check_named(WaitCode rc, const char* what) {
  if (rc == WaitCode::kNone) return;
  const u16 v = static_cast<u16>(rc);
  FUZZ_CHECK(wait_code_info(rc).code == rc, "%s returned unnamed code 0x%04x", what, v);
  FUZZ_CHECK(v >= 0x0300 && v <= 0x033f, "%s returned 0x%04x (%s), outside the boot-map range",
             what, v, wait_code_info(rc).name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const DiskInput in = decode_disk_input(data, size);
  if (in.blocks == 0) return 0;
  const u32 entry = in.entry;
  FuzzDisk disk(in);
  CheckedMemory mem;

  // FUZZ_BOOT_MAP_VERBOSE=1: echo the parsers' console lines and the result.
  static const bool verbose = std::getenv("FUZZ_BOOT_MAP_VERBOSE") != nullptr;
  ccwboot::testing::set_log_echo(verbose);
  ccwboot::testing::clear_log();  // the host log buffer would grow without end
  static zipl::BootMap map;       // large; the header asks for static storage
  map = zipl::BootMap{};
  WaitCode rc = map.open(disk);
  check_named(rc, "open()");
  if (rc != WaitCode::kNone) return 0;

  const zipl::BootMenu& menu = map.menu();
  FUZZ_CHECK(menu.scheme != zipl::Scheme::kNone, "open() succeeded without a scheme");
  FUZZ_CHECK(menu.highest_entry < zipl::kMaxEntries, "highest_entry %u", menu.highest_entry);
  FUZZ_CHECK(menu.volser[6] == '\0', "volser not terminated");
  for (const zipl::BootEntry& e : menu.entries)
    FUZZ_CHECK(std::memchr(e.name, '\0', sizeof e.name) != nullptr, "entry name not terminated");
  if (!scheme_wanted(menu.scheme)) return 0;

  zipl::LoadLimits limits;
  for (u32 i = 0; i < kFuzzReservedCount; ++i)
    limits.reserved.add(kFuzzReserved[i].start, kFuzzReserved[i].end, kFuzzReserved[i].what);
  mem.set_min_address(limits.min_address);

  zipl::LoadResult result;
  rc = map.load(entry, mem, limits, &result);
  if (verbose)
    std::fprintf(stderr, "fuzz: %s entry %u: load -> 0x%04x, psw %016llx, %u components\n",
                 zipl::scheme_name(menu.scheme), entry, static_cast<unsigned>(rc),
                 static_cast<unsigned long long>(result.psw), result.components);
  check_named(rc, "load()");
  if (rc != WaitCode::kNone) return 0;

  FUZZ_CHECK(result.entry_address == (result.psw & 0x7fffffffULL), "entry 0x%llx, psw 0x%016llx",
             static_cast<unsigned long long>(result.entry_address),
             static_cast<unsigned long long>(result.psw));
  FUZZ_CHECK(result.entry_address < kFuzzMemorySize, "entry 0x%llx outside memory",
             static_cast<unsigned long long>(result.entry_address));
  FUZZ_CHECK(result.components <= zipl::kMaxComponents, "%u components", result.components);
  FUZZ_CHECK(result.bytes_loaded <= mem.written(), "reports %llu bytes loaded, %llu written",
             static_cast<unsigned long long>(result.bytes_loaded),
             static_cast<unsigned long long>(mem.written()));
  if (result.bytes_loaded > 0)
    FUZZ_CHECK(result.lowest >= limits.min_address && result.lowest < result.highest &&
                   result.highest <= kFuzzMemorySize,
               "reported written range [0x%llx, 0x%llx)",
               static_cast<unsigned long long>(result.lowest),
               static_cast<unsigned long long>(result.highest));
  return 0;
}
