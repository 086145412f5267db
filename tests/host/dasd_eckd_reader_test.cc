// The boot menu's view of a DASD volume: zipl's boot map read over channel
// I/O (EckdReader) against the 3390 simulator, from volumes laid out the way
// Linux's dasd driver maps mkdisk's flat CDL and LDL images to CKD records.
#include <gtest/gtest.h>

#include <cstring>

#include "block_map.h"
#include "ccwboot/dasd/eckd_reader.h"
#include "ccwboot/zipl/boot_map.h"
#include "disk_layout.h"
#include "host_log.h"
#include "sim_channel.h"
#include "sim_memory.h"
#include "zipl_test_util.h"

namespace ccwboot::dasd {
namespace {

constexpr u32 kScratch = 0x00F00000;
constexpr size_t kCylinderBytes = size_t{15} * 12 * 4096;

mkdisk::DiskSpec spec_with_menu() {
  mkdisk::DiskSpec spec;
  spec.programs = {zipl::testing::payload_program("linux", 1),
                   zipl::testing::payload_program("rescue", 2, 200000, 9000),
                   zipl::testing::payload_program("old", 3)};
  spec.default_index = 1;
  spec.volser = "LNX001";
  spec.menu_prompt = true;
  spec.menu_timeout = 7;
  return spec;
}

// mkdisk's flat image, whole cylinders, as the CKD volume it came from.
sim::CkdVolume volume_of(const mkdisk::DiskSpec& spec, bool ldl) {
  std::string err;
  auto flat = mkdisk::write_eckd_disk(spec, ldl, &err);
  EXPECT_FALSE(flat.empty()) << err;
  flat.resize((flat.size() + kCylinderBytes - 1) / kCylinderBytes * kCylinderBytes +
              kCylinderBytes);
  auto vol =
      sim::volume_from_blocks(ldl ? sim::DasdLayout::kLdl : sim::DasdLayout::kCdl, flat, &err);
  EXPECT_TRUE(vol.has_value()) << err;
  return *vol;
}

struct Reading {
  WaitCode open = WaitCode::kNone;
  zipl::BootMenu menu;
  u32 reads = 0;
  u64 sim_bytes = 0;
};

Reading read_menu(sim::CkdVolume vol, u32 max_reads = kEckdMaxReads) {
  sim::SimMemory mem(16 << 20);
  sim::SimChannel channel(vol, mem, sim::FetchMode::kPrefetch);
  EckdReader reader(channel, mem, kScratch);
  reader.set_max_reads(max_reads);
  static zipl::BootMap map;
  Reading r;
  r.open = map.open(reader);
  r.menu = map.menu();
  r.reads = reader.reads();
  r.sim_bytes = channel.stats().bytes_to_memory;
  return r;
}

TEST(EckdReader, CdlMenuNamesOverChannelIo) {
  const Reading r = read_menu(volume_of(spec_with_menu(), false));
  ASSERT_EQ(r.open, WaitCode::kNone);
  EXPECT_EQ(r.menu.scheme, zipl::Scheme::kEckdCdl);
  EXPECT_STREQ(r.menu.volser, "LNX001");
  EXPECT_EQ(r.menu.highest_entry, 3u);
  EXPECT_EQ(r.menu.default_entry, 2u);
  EXPECT_STREQ(r.menu.entries[1].name, "linux");
  EXPECT_STREQ(r.menu.entries[2].name, "rescue");
  EXPECT_STREQ(r.menu.entries[3].name, "old");
  EXPECT_TRUE(r.menu.prompt);
  EXPECT_EQ(r.menu.timeout_seconds, 7u);
  // Only the tables and the menu: nothing like a kernel's worth of data.
  EXPECT_LT(r.reads, 64u);
  EXPECT_LT(r.sim_bytes, u64{64} * 4096);
}

TEST(EckdReader, LdlMenuNamesOverChannelIo) {
  const Reading r = read_menu(volume_of(spec_with_menu(), true));
  ASSERT_EQ(r.open, WaitCode::kNone);
  EXPECT_EQ(r.menu.scheme, zipl::Scheme::kEckdLdl);
  EXPECT_STREQ(r.menu.entries[2].name, "rescue");
}

TEST(EckdReader, ReadsAreBounded) {
  const Reading r = read_menu(volume_of(spec_with_menu(), false), 3);
  EXPECT_EQ(r.open, WaitCode::kMenuDasdTooManyReads);
  EXPECT_LE(r.reads, 3u);
}

TEST(EckdReader, AVolumeWithoutIplRecordsNamesTheChannelError) {
  // An unformatted volume: every track holds only R0, so block 0 is not found.
  sim::CkdVolume vol = volume_of(spec_with_menu(), false);
  sim::CkdVolume empty(vol.cylinders());
  const Reading r = read_menu(empty);
  EXPECT_EQ(r.open, WaitCode::kDasdNoRecordFound);  // the channel's own name travels up
}

TEST(EckdReader, ANonZiplIplProgramIsNamed) {
  // IPL records without zipl's section in IPL2 (any other IPL program).
  auto flat_spec = spec_with_menu();
  std::string err;
  auto flat = mkdisk::write_eckd_disk(flat_spec, false, &err);
  flat.resize((flat.size() + kCylinderBytes - 1) / kCylinderBytes * kCylinderBytes);
  std::memset(flat.data() + 4096 + 92, 0, 4);  // IPL2's zIPL magic (key first)
  auto broken = sim::volume_from_blocks(sim::DasdLayout::kCdl, flat, &err);
  ASSERT_TRUE(broken.has_value()) << err;
  const Reading r = read_menu(*broken);
  EXPECT_EQ(r.open, WaitCode::kZiplEckdNoZiplSection);
}

}  // namespace
}  // namespace ccwboot::dasd
