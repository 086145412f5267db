// Hostile disks in bulk: tool-made images with random bytes changed in their
// tables. Whatever the damage, open()+load() end (bounded reads), with success or
// a code from the boot-map range, and never write a reserved range. A quick,
// deterministic cousin of the libFuzzer targets (tests/fuzz) that runs in every unit-test pass
// (and under ASan/UBSan in the sanitizer build).
#include <gtest/gtest.h>

#include <random>

#include "ccwboot/zipl/boot_map.h"
#include "zipl_test_util.h"

namespace ccwboot::zipl {
namespace {

using testing::payload_program;
using testing::VectorDisk;
using testing::VectorMemory;

constexpr u64 kMem = 4 << 20;
constexpr u64 kResStart = 0x300000, kResEnd = 0x310000;

bool in_range(WaitCode rc) {
  const u16 c = static_cast<u16>(rc);
  return rc == WaitCode::kNone || (c >= 0x0300 && c < 0x0340);
}

mkdisk::DiskSpec small_spec(uint32_t bs) {
  mkdisk::DiskSpec spec;
  spec.block_size = bs;
  spec.max_blocks_per_pointer = 2;
  spec.programs = {payload_program("a", 1, 9000, 700), payload_program("b", 2, 5000, 300)};
  // Entry b's second component sits just below the reserved range; damage that
  // moves it up must be refused by the range check.
  spec.programs[1].components[1].address = kResStart - 0x1000;
  return spec;
}

// Changes 1-8 bytes, mostly in metadata: block 0..2 and everything the tool wrote
// after its first data block (tables and lists are interleaved with small data).
void mutate(std::vector<uint8_t>& img, std::mt19937& rng, size_t meta_start) {
  const int n = 1 + rng() % 8;
  for (int i = 0; i < n; ++i) {
    size_t off;
    if (rng() % 3 == 0)
      off = rng() % std::min<size_t>(img.size(), 3 * 4096);
    else
      off = meta_start + rng() % (img.size() - meta_start);
    switch (rng() % 4) {
      case 0: img[off] = 0; break;
      case 1: img[off] = 0xff; break;
      case 2: img[off] ^= uint8_t(1u << (rng() % 8)); break;
      default: img[off] = uint8_t(rng()); break;
    }
  }
}

void run_mutations(const std::vector<uint8_t>& base, uint32_t bs, size_t meta_start, int iterations,
                   uint32_t seed) {
  std::mt19937 rng(seed);
  static BootMap map;
  LoadLimits limits;
  limits.reserved.add(kResStart, kResEnd, "test reserved");
  int booted = 0;
  VectorMemory mem(kMem);  // reused: only the reserved range has to stay clean
  for (int it = 0; it < iterations; ++it) {
    auto img = base;
    mutate(img, rng, meta_start);
    VectorDisk disk(img, bs, /*report_size=*/(it % 4) != 0);
    WaitCode rc = map.open(disk);
    ASSERT_TRUE(in_range(rc)) << "iteration " << it << " open rc " << static_cast<int>(rc);
    if (rc == WaitCode::kNone) {
      for (u32 e = 0; e <= map.menu().highest_entry && e < kMaxEntries; ++e) {
        if (!map.menu().entries[e].present) continue;
        LoadResult out;
        rc = map.load(e, mem, limits, &out);
        ASSERT_TRUE(in_range(rc)) << "iteration " << it << " load rc " << static_cast<int>(rc);
        if (rc == WaitCode::kNone) {
          ++booted;
          EXPECT_LT(out.entry_address, kMem);
        }
      }
    }
    ASSERT_TRUE(mem.all_zero(kResStart, kResEnd)) << "iteration " << it << " wrote reserved memory";
    ASSERT_LT(disk.reads, 200000) << "iteration " << it;
  }
  // Sanity: many mutations hit payload or harmless bytes and still boot.
  EXPECT_GT(booted, 0);
}

TEST(ZiplMutation, ScsiTables512) {
  std::string err;
  auto img = mkdisk::write_scsi_disk(small_spec(512), &err);
  ASSERT_FALSE(img.empty()) << err;
  run_mutations(img, 512, 65536, 3000, 1);
}

TEST(ZiplMutation, ScsiTables4096) {
  std::string err;
  auto img = mkdisk::write_scsi_disk(small_spec(4096), &err);
  ASSERT_FALSE(img.empty()) << err;
  run_mutations(img, 4096, 65536, 1500, 2);
}

TEST(ZiplMutation, EckdCdl) {
  std::string err;
  auto spec = small_spec(4096);
  auto img = mkdisk::write_eckd_cdl_disk(spec, &err);
  ASSERT_FALSE(img.empty()) << err;
  run_mutations(img, 512, 24 * 4096, 2000, 3);
}

TEST(ZiplMutation, ElToritoIso) {
  std::vector<uint8_t> kernel = testing::random_bytes(0x12000, 5);
  std::memcpy(&kernel[mkdisk::kEntrySignature], "S390EP", 6);
  testing::wr64(kernel, mkdisk::kParmMaxCmdline, 896);
  std::string err;
  auto iso = mkdisk::write_iso_image({"cd", kernel, testing::random_bytes(3000, 6), "x", 0}, &err);
  ASSERT_FALSE(iso.empty()) << err;
  // Mutate descriptors, catalogue and directory (sectors 16..20).
  std::vector<uint8_t> img = iso;
  std::mt19937 rng(4);
  static BootMap map;
  LoadLimits limits;
  limits.reserved.add(0x200000, 0x210000, "test reserved");
  VectorMemory mem(kMem);
  for (int it = 0; it < 1000; ++it) {
    img = iso;
    for (int i = 0, n = 1 + rng() % 6; i < n; ++i)
      img[16 * 2048 + rng() % (5 * 2048)] = uint8_t(rng());
    VectorDisk disk(img, (it & 1) ? 512 : 2048);
    WaitCode rc = map.open(disk);
    ASSERT_TRUE(in_range(rc)) << it;
    if (rc == WaitCode::kNone) {
      LoadResult out;
      rc = map.load(0, mem, limits, &out);
      ASSERT_TRUE(in_range(rc)) << it;
    }
    ASSERT_TRUE(mem.all_zero(0x200000, 0x210000)) << it;
  }
}

}  // namespace
}  // namespace ccwboot::zipl
