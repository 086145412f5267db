// Fuzz target: the zipl boot-map / ISO 9660 parsers (ccwboot::zipl::BootMap)
// on a hostile disk.
//
// Input: byte 0 = options (bits 0-1 block size 512 << n, bit 2 report 3390
// ECKD geometry, bits 3-7 the entry to load: 0 default, 1..30 numbered),
// the rest = the disk image, served through a BlockDevice (last partial
// block zero padded).
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
#include <cstdint>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <vector>

#include "ccwboot/wait_codes.h"
#include "ccwboot/zipl/boot_map.h"
#include "fuzz_check.h"
#include "fuzz_layout.h"

using namespace ccwboot;
using namespace ccwboot::fuzz;

namespace {

constexpr u64 kMaxBlockReads = 1u << 20;
constexpr u64 kMaxBytesWritten = 1ull << 30;

class FuzzDisk final : public zipl::BlockDevice {
 public:
  FuzzDisk(const u8* data, size_t size, u32 block_size, bool eckd)
      : data_(data), size_(size), block_size_(block_size), eckd_(eckd) {}

  bool read(u64 block, u32 count, void* dst) override {
    reads_ += count;
    FUZZ_CHECK(reads_ <= kMaxBlockReads, "more than %llu block reads",
               static_cast<unsigned long long>(kMaxBlockReads));
    if (count == 0) return true;
    if (block >= block_count() || count > block_count() - block) return false;
    u8* out = static_cast<u8*>(dst);
    for (u32 i = 0; i < count; ++i, out += block_size_) {
      const u64 off = (block + i) * block_size_;
      const u64 n = off < size_ ? (size_ - off < block_size_ ? size_ - off : block_size_) : 0;
      if (n) std::memcpy(out, data_ + off, n);
      std::memset(out + n, 0, block_size_ - n);
    }
    return true;
  }
  u32 block_size() const override { return block_size_; }
  u64 block_count() const override { return (size_ + block_size_ - 1) / block_size_; }
  bool eckd_geometry(u32* heads, u32* blocks_per_track) const override {
    if (!eckd_) return false;
    *heads = 15;
    *blocks_per_track = block_size_ == 4096 ? 12 : block_size_ == 2048 ? 21 : block_size_ == 1024 ? 33 : 49;
    return true;
  }

 private:
  const u8* data_;
  size_t size_;
  u32 block_size_;
  bool eckd_;
  u64 reads_ = 0;
};

// Sparse guest memory that checks every write before doing it.
class CheckedMemory final : public GuestMemory {
 public:
  bool read(u64 addr, void* dst, u32 len) override {
    if (addr > kFuzzMemorySize || len > kFuzzMemorySize - addr) return false;
    u8* out = static_cast<u8*>(dst);
    for (u32 i = 0; i < len; ++i) {
      auto it = pages_.find((addr + i) >> 12);
      out[i] = it == pages_.end() ? 0 : it->second[(addr + i) & 0xfff];
    }
    return true;
  }
  bool write(u64 addr, const void* src, u32 len) override {
    FUZZ_CHECK(addr <= kFuzzMemorySize && len <= kFuzzMemorySize - addr,
               "write of %u bytes at 0x%llx past the memory size", len,
               static_cast<unsigned long long>(addr));
    FUZZ_CHECK(len == 0 || addr >= min_address_, "write of %u bytes at 0x%llx below min_address 0x%llx",
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
    for (u32 i = 0; i < len; ++i) {
      auto& page = pages_[(addr + i) >> 12];
      if (!page) page = std::make_unique<u8[]>(4096);
      page[(addr + i) & 0xfff] = in[i];
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
  if (size < 1) return 0;
  const u8 options = data[0];
  const u32 block_size = 512u << (options & 3);
  const u32 entry = (options >> 3) % zipl::kMaxEntries;
  FuzzDisk disk(data + 1, size - 1, block_size, options & 4);
  CheckedMemory mem;

  static zipl::BootMap map;  // large; the header asks for static storage
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

  zipl::ReservedRange reserved[kFuzzReservedCount];
  for (u32 i = 0; i < kFuzzReservedCount; ++i)
    reserved[i] = {kFuzzReserved[i].start, kFuzzReserved[i].end, kFuzzReserved[i].what};
  zipl::LoadLimits limits;
  limits.reserved = reserved;
  limits.reserved_count = kFuzzReservedCount;
  mem.set_min_address(limits.min_address);

  zipl::LoadResult result;
  rc = map.load(entry, mem, limits, &result);
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
               "reported written range [0x%llx, 0x%llx)", static_cast<unsigned long long>(result.lowest),
               static_cast<unsigned long long>(result.highest));
  return 0;
}
