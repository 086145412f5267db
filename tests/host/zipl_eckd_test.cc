// ECKD boot maps (CDL as mkdisk writes it, LDL derived from it) on a DASD seen
// through virtio-blk, with guessed and with reported geometry.
#include <gtest/gtest.h>

#include "ccwboot/zipl/boot_map.h"
#include "host_log.h"
#include "zipl_test_util.h"

namespace ccwboot::zipl {
namespace {

using testing::payload_program;
using testing::VectorDisk;
using testing::VectorMemory;

constexpr u64 kMem = 16 << 20;
constexpr size_t kBlk = 4096;

mkdisk::DiskSpec spec3() {
  mkdisk::DiskSpec spec;
  spec.programs = {payload_program("a", 1), payload_program("b", 2, 200000, 9000),
                   payload_program("c", 3)};
  spec.default_index = 2;
  spec.volser = "LNX001";
  return spec;
}

std::vector<uint8_t> cdl_image(const mkdisk::DiskSpec& spec) {
  std::string err;
  auto img = mkdisk::write_eckd_cdl_disk(spec, &err);
  EXPECT_FALSE(img.empty()) << err;
  return img;
}

// Linear 4 KiB block of the ECKD pointer at byte offset off (15 heads, 12 records).
uint64_t eckd_block(const std::vector<uint8_t>& v, size_t off) {
  const uint64_t cyl = (v[off] << 8) | v[off + 1];
  const uint64_t head = ((v[off + 2] << 8) | v[off + 3]) & 0xf;
  return (cyl * 15 + head) * 12 + v[off + 4] - 1;
}

TEST(ZiplEckd, CdlWithGuessedGeometryLoadsEveryEntry) {
  const auto spec = spec3();
  VectorDisk disk(cdl_image(spec), 512);
  BootMap map;
  ASSERT_EQ(map.open(disk), WaitCode::kNone);
  EXPECT_EQ(map.menu().scheme, Scheme::kEckdCdl);
  EXPECT_EQ(map.menu().logical_block_size, 4096u);
  EXPECT_STREQ(map.menu().volser, "LNX001");
  EXPECT_EQ(map.menu().highest_entry, 3u);
  EXPECT_EQ(map.menu().default_entry, 3u);
  for (u32 entry : {0u, 1u, 2u, 3u}) {
    SCOPED_TRACE(entry);
    VectorMemory mem(kMem);
    LoadResult res;
    ASSERT_EQ(map.load(entry, mem, {}, &res), WaitCode::kNone);
    const auto& prog = spec.programs[entry == 0 ? spec.default_index : entry - 1];
    for (const auto& c : prog.components) EXPECT_TRUE(mem.holds(c.address, c.data));
    EXPECT_EQ(res.psw, prog.psw);
  }
}

TEST(ZiplEckd, MenuNamesPromptAndTimeout) {
  auto spec = spec3();
  spec.menu_prompt = true;
  spec.menu_timeout = 15;
  VectorDisk disk(cdl_image(spec), 512);
  BootMap map;
  ASSERT_EQ(map.open(disk), WaitCode::kNone);
  const BootMenu& m = map.menu();
  EXPECT_TRUE(m.has_names);
  EXPECT_TRUE(m.prompt);
  EXPECT_EQ(m.timeout_seconds, 15u);
  EXPECT_STREQ(m.entries[0].name, "default (c)");
  EXPECT_STREQ(m.entries[1].name, "a");
  EXPECT_STREQ(m.entries[2].name, "b");
  EXPECT_STREQ(m.entries[3].name, "c");

  spec.menu_prompt = false;
  spec.menu_timeout = 0;
  VectorDisk quiet(cdl_image(spec), 512);
  ASSERT_EQ(map.open(quiet), WaitCode::kNone);
  EXPECT_FALSE(map.menu().prompt);
  EXPECT_TRUE(map.menu().has_names);
}

TEST(ZiplEckd, MenuTextIsOptionalAndBounded) {
  auto img = cdl_image(spec3());
  // Find stage 2 through IPL2's stage-1 seek argument and stage 1b.
  const uint64_t s1b = eckd_block(img, kBlk + 78);
  const uint64_t s2 = eckd_block(img, s1b * kBlk + 768 + 2);
  // Menu text without terminators up to the end of the block: names stay bounded.
  auto runaway = img;
  std::fill(runaway.begin() + s2 * kBlk + 256 + 30, runaway.begin() + (s2 + 1) * kBlk, 0xf1);
  VectorDisk d1(runaway, 512);
  BootMap map;
  ASSERT_EQ(map.open(d1), WaitCode::kNone);
  EXPECT_LE(std::strlen(map.menu().entries[1].name), kMaxNameLength);
  // Stage 1b pointing nowhere: no names, still bootable.
  auto lost = img;
  lost[s1b * kBlk + 768 + 2 + 4] = 0;
  VectorDisk d2(lost, 512);
  ASSERT_EQ(map.open(d2), WaitCode::kNone);
  EXPECT_FALSE(map.menu().has_names);
  VectorMemory mem(kMem);
  LoadResult res;
  EXPECT_EQ(map.load(0, mem, {}, &res), WaitCode::kNone);
}

TEST(ZiplEckd, CdlWithReportedGeometry) {
  const auto spec = spec3();
  VectorDisk disk(cdl_image(spec), 4096);
  disk.geometry = true;
  BootMap map;
  ASSERT_EQ(map.open(disk), WaitCode::kNone);
  VectorMemory mem(kMem);
  LoadResult res;
  ASSERT_EQ(map.load(2, mem, {}, &res), WaitCode::kNone);
  EXPECT_TRUE(mem.holds(0x10000, spec.programs[1].components[0].data));
}

TEST(ZiplEckd, LdlBootInfo) {
  const auto spec = spec3();
  auto img = cdl_image(spec);
  // Turn the CDL volume into an LDL one: block 0 carries the boot info at 0x70
  // (copied from the zIPL section of IPL2), block 2 the LNX1 label.
  std::vector<uint8_t> bi(img.begin() + kBlk + 92, img.begin() + kBlk + 92 + 32);
  std::fill(img.begin(), img.begin() + 3 * kBlk, 0);
  std::copy(bi.begin(), bi.end(), img.begin() + 0x70);
  const uint8_t lnx1[] = {0xd3, 0xd5, 0xe7, 0xf1, 0xd3, 0xd5, 0xe7, 0xf0, 0xf0, 0xf2};
  std::copy(std::begin(lnx1), std::end(lnx1), img.begin() + 2 * kBlk);
  VectorDisk disk(img, 512);
  BootMap map;
  ASSERT_EQ(map.open(disk), WaitCode::kNone);
  EXPECT_EQ(map.menu().scheme, Scheme::kEckdLdl);
  EXPECT_STREQ(map.menu().volser, "LNX002");
  VectorMemory mem(kMem);
  LoadResult res;
  ASSERT_EQ(map.load(1, mem, {}, &res), WaitCode::kNone);
  EXPECT_TRUE(mem.holds(0x10000, spec.programs[0].components[0].data));

  img[0x70 + 4] = 2;  // unknown boot info version
  VectorDisk bad(img, 512);
  EXPECT_EQ(map.open(bad), WaitCode::kZiplEckdBadBootInfo);
}

TEST(ZiplEckd, MkdiskLdlLayoutWithMenu) {
  const auto spec = spec3();
  std::string err;
  auto img = mkdisk::write_eckd_disk(spec, /*ldl=*/true, &err);
  ASSERT_FALSE(img.empty()) << err;
  VectorDisk disk(img, 512);
  BootMap map;
  ASSERT_EQ(map.open(disk), WaitCode::kNone);
  EXPECT_EQ(map.menu().scheme, Scheme::kEckdLdl);
  EXPECT_STREQ(map.menu().volser, "LNX001");
  EXPECT_STREQ(map.menu().entries[2].name, "b");
  VectorMemory mem(kMem);
  LoadResult res;
  ASSERT_EQ(map.load(2, mem, {}, &res), WaitCode::kNone);
  EXPECT_TRUE(mem.holds(0x10000, spec.programs[1].components[0].data));
  EXPECT_EQ(res.psw, spec.programs[1].psw);
}

TEST(ZiplEckd, FormattedVolumeWithoutBootLoader) {
  auto img = cdl_image(spec3());
  std::fill(img.begin() + kBlk + 92, img.begin() + kBlk + 124, 0);
  VectorDisk disk(img, 512);
  BootMap map;
  ccwboot::testing::clear_log();
  EXPECT_EQ(map.open(disk), WaitCode::kZiplEckdNoZiplSection);
  EXPECT_NE(ccwboot::testing::captured_log().find("IPL2"), std::string::npos);
}

TEST(ZiplEckd, BadVolumeLabel) {
  auto img = cdl_image(spec3());
  img[2 * kBlk + 4] = 0;
  VectorDisk disk(img, 512);
  BootMap map;
  EXPECT_EQ(map.open(disk), WaitCode::kZiplEckdBadLabel);
}

TEST(ZiplEckd, PointerOutsideGeometry) {
  for (int field : {0, 1, 2}) {
    SCOPED_TRACE(field);
    auto img = cdl_image(spec3());
    const size_t p = kBlk + 92 + 8;
    if (field == 0) img[p + 3] = 15;  // head 15 of 15
    if (field == 1) img[p + 4] = 0;   // record 0 (records count from 1)
    if (field == 2) img[p + 4] = 13;  // record 13 of 12
    VectorDisk disk(img, 512);
    BootMap map;
    EXPECT_EQ(map.open(disk), WaitCode::kZiplEckdBadAddress);
  }
}

TEST(ZiplEckd, ScriptLoopIsBounded) {
  auto spec = spec3();
  spec.max_blocks_per_pointer = 1;
  spec.programs[1] = payload_program("b", 2, 1200 * 1024);  // 300 pointers: 2 list blocks
  auto img = cdl_image(spec);
  const uint64_t bmt = eckd_block(img, kBlk + 100);
  const uint64_t script = eckd_block(img, bmt * kBlk + 16 + 16 * 2);  // entry 2
  const size_t list_ptr = script * kBlk + 32;
  const uint64_t list = eckd_block(img, list_ptr);
  // Point the list block's continuation slot (255) back at the list block itself.
  std::copy(img.begin() + list_ptr, img.begin() + list_ptr + 16,
            img.begin() + list * kBlk + 255 * 16);
  img[list * kBlk + 255 * 16 + 7] = 0;
  VectorDisk disk(img, 512);
  BootMap map;
  ASSERT_EQ(map.open(disk), WaitCode::kNone);
  VectorMemory mem(64 << 20);
  LoadResult res;
  EXPECT_EQ(map.load(2, mem, {}, &res), WaitCode::kZiplBlockListTooLong);
}

// zipl marks a dump disk's zIPL section (CDL) / boot info (LDL) with type 1: refused by name.
TEST(ZiplEckd, DumpRecordIsRefused) {
  auto img = cdl_image(spec3());
  img[kBlk + 92 + 5] = 1;
  VectorDisk disk(img, 512);
  BootMap map;
  EXPECT_EQ(map.open(disk), WaitCode::kZiplDumpRecord);
}

}  // namespace
}  // namespace ccwboot::zipl
