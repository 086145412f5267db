// Indirect data addressing in the simulated channel: format-1 IDAWs as the
// real channel (and Hercules 3.13's channel.c) runs them, and vfio-ccw's
// copy of the IDAW list at the start in prefetch mode.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "ccw_names.h"
#include "sim_channel.h"
#include "sim_test_util.h"

namespace ccwboot::sim {
namespace {

using namespace testutil;
using namespace ccw_names;
constexpr u32 kList = 0x1000;  // the IDAW list

class SimIdaTest : public ::testing::Test {
 protected:
  SimIdaTest() : vol_(1), mem_(1 << 20), ch_(vol_, mem_, FetchMode::kRealChannel) {
    vol_.add_record(0, 0, {}, filled(100, 0x22));
    std::vector<u8> counting(5000);
    for (size_t i = 0; i < counting.size(); ++i) counting[i] = static_cast<u8>(i * 7 + 1);
    vol_.add_record(0, 1, {}, counting);
  }

  // Seek + Search + TIC back to record `rec` of 0/head, then `read` at 0x818.
  void read_with(u16 head, u8 rec, u32 data, u8 flags, u16 count) {
    put_seek_arg(mem_, 0x900, 0, head);
    put_search_arg(mem_, 0x908, 0, head, rec);
    put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
    put_ccw0(mem_, 0x808, ccw_cmd::kSearchIdEqual, 0x908, CC, 5);
    put_ccw0(mem_, 0x810, ccw_cmd::kTic, 0x808, 0, 0);
    put_ccw0(mem_, 0x818, ccw_cmd::kReadData, data, flags, count);
  }
  void idaws(u32 at, std::initializer_list<u32> list) {
    for (u32 w : list) {
      mem_.store32(at, w);
      at += 4;
    }
  }
  IoResult run() { return ch_.start(0x800, CcwFormat::kFormat0, true); }
  u8 at(u32 addr) { return mem_.data()[addr]; }

  CkdVolume vol_;
  SimMemory mem_;
  SimChannel ch_;
};

TEST_F(SimIdaTest, ReadScattersOverTheIdawBlocks) {
  // The first IDAW may name any byte: 16 bytes up to the 2 KiB boundary.
  // The second names a boundary elsewhere and takes the other 84.
  read_with(0, 1, kList, IDA, 100);
  idaws(kList, {0x27F0, 0x5000});
  IoResult r = run();
  ASSERT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(r.residual, 0);
  EXPECT_EQ(at(0x27F0), 0x22);
  EXPECT_EQ(at(0x27FF), 0x22);
  EXPECT_EQ(at(0x2800), 0x00) << "the first block ends at the 2 KiB boundary";
  EXPECT_EQ(at(0x5000), 0x22);
  EXPECT_EQ(at(0x5053), 0x22);
  EXPECT_EQ(at(0x5054), 0x00);
  EXPECT_EQ(mem_.load32(kList), 0x27F0u) << "the list itself is not data";
  EXPECT_EQ(ch_.stats().idaws, 2u);
  EXPECT_EQ(ch_.stats().bytes_to_memory, 100u);
}

TEST_F(SimIdaTest, LaterIdawsCoverWhole2KiBBlocks) {
  // 5000 bytes: 2048 at 0x7000, 2048 at 0x6800, 904 at 0x6000 (blocks in any order).
  read_with(1, 1, kList, IDA, 5000);
  idaws(kList, {0x7000, 0x6800, 0x6000});
  ASSERT_TRUE(run().ok()) << ch_.last_error();
  EXPECT_EQ(at(0x7000), 1);
  EXPECT_EQ(at(0x77FF), static_cast<u8>(2047 * 7 + 1));
  EXPECT_EQ(at(0x6800), static_cast<u8>(2048 * 7 + 1));
  EXPECT_EQ(at(0x6000), static_cast<u8>(4096 * 7 + 1));
  EXPECT_EQ(at(0x6000 + 903), static_cast<u8>(4999 * 7 + 1));
  EXPECT_EQ(at(0x6000 + 904), 0);
  EXPECT_EQ(ch_.stats().idaws, 3u);
}

TEST_F(SimIdaTest, OnlyTheIdawsTheDataReachesAreFetched) {
  // 100 bytes fit in the first block: the bad second IDAW is never fetched.
  read_with(0, 1, kList, IDA, 100);
  idaws(kList, {0x2000, 0x80000000});
  EXPECT_TRUE(run().ok()) << ch_.last_error();
  EXPECT_EQ(ch_.stats().idaws, 1u);
}

TEST_F(SimIdaTest, BadIdawsAreProgramChecks) {
  struct Case {
    u32 list;
    u32 first, second;
    const char* why;
  } cases[] = {
      {kList + 2, 0x2000, 0x2800, "list not word aligned"},
      {kList, 0x80002000, 0x2800, "bit 0 set"},
      {kList, 0x00200000, 0x2800, "data outside storage"},
      {kList, 0x27F0, 0x5010, "second IDAW off a 2 KiB boundary"},
      {0xFFFFC, 0x2000, 0x2800, "list runs out of storage"},
  };
  for (const Case& c : cases) {
    mem_.clear();
    read_with(0, 1, c.list, IDA, 100);
    if (c.list + 8 <= mem_.size()) idaws(c.list, {c.first, c.second});
    if (c.list == 0xFFFFC) idaws(c.list, {0x27F0});  // the second IDAW would lie past the end
    IoResult r = run();
    EXPECT_EQ(r.subchannel_status & sch_stat::kProgramCheck, sch_stat::kProgramCheck)
        << c.why << ": " << ch_.last_error();
    EXPECT_FALSE(r.ok()) << c.why;
  }
  // The first block was stored before the second IDAW failed, as the channel
  // (and Hercules, IDAW by IDAW) stores it.
  mem_.clear();
  read_with(0, 1, kList, IDA, 100);
  idaws(kList, {0x27F0, 0x5010});
  EXPECT_FALSE(run().ok());
  EXPECT_EQ(at(0x27FF), 0x22);
  EXPECT_EQ(at(0x5010), 0x00);
}

TEST_F(SimIdaTest, DataChainingSwitchesIdaPerCcw) {
  // 10 bytes direct, then the rest through an IDAW named by the next CCW.
  read_with(0, 1, 0x3000, CD, 10);
  put_ccw0(mem_, 0x820, ccw_cmd::kReadData, kList, IDA, 90);
  idaws(kList, {0x4400});
  ASSERT_TRUE(run().ok()) << ch_.last_error();
  EXPECT_EQ(at(0x3009), 0x22);
  EXPECT_EQ(at(0x300A), 0x00);
  EXPECT_EQ(at(0x4400), 0x22);
  EXPECT_EQ(at(0x4400 + 89), 0x22);
  EXPECT_EQ(at(0x4400 + 90), 0x00);
}

TEST_F(SimIdaTest, SeekArgumentThroughAnIdaw) {
  // Output commands take their bytes through IDAWs too.
  put_seek_arg(mem_, 0x4000, 0, 1);
  idaws(kList, {0x4000});
  put_search_arg(mem_, 0x908, 0, 1, 1);
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, kList, CC | IDA, 6);
  put_ccw0(mem_, 0x808, ccw_cmd::kSearchIdEqual, 0x908, CC, 5);
  put_ccw0(mem_, 0x810, ccw_cmd::kTic, 0x808, 0, 0);
  put_ccw0(mem_, 0x818, ccw_cmd::kReadData, 0x2000, SLI, 4);
  ASSERT_TRUE(run().ok()) << ch_.last_error();
  EXPECT_EQ(ch_.head(), 1);
  EXPECT_EQ(at(0x2000), 1);  // record 0/1/1: the counting bytes
}

TEST_F(SimIdaTest, SkipFetchesNoIdaw) {
  // SKIP stores nothing, so even an unaligned list is never looked at.
  read_with(0, 1, kList + 1, IDA | SKIP, 100);
  EXPECT_TRUE(run().ok()) << ch_.last_error();
  EXPECT_EQ(ch_.stats().idaws, 0u);
}

TEST_F(SimIdaTest, PrefetchRunsTheIdawListCopiedAtTheStart) {
  // A Read stores a new IDAW (0x3000) over the list before the IDA Read
  // runs: the real channel fetches the new IDAW, vfio-ccw's channel the
  // copy it took at the start (0x2000).
  vol_.add_record(0, 0, {}, std::vector<u8>{0x00, 0x00, 0x30, 0x00});  // R2 of 0/0
  auto build = [&] {
    put_seek_arg(mem_, 0x900, 0, 0);
    put_search_arg(mem_, 0x908, 0, 0, 2);
    put_search_arg(mem_, 0x910, 0, 0, 1);
    put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
    put_ccw0(mem_, 0x808, ccw_cmd::kSearchIdEqual, 0x908, CC, 5);
    put_ccw0(mem_, 0x810, ccw_cmd::kTic, 0x808, 0, 0);
    put_ccw0(mem_, 0x818, ccw_cmd::kReadData, kList, CC | SLI, 4);
    put_ccw0(mem_, 0x820, ccw_cmd::kSearchIdEqual, 0x910, CC, 5);
    put_ccw0(mem_, 0x828, ccw_cmd::kTic, 0x820, 0, 0);
    put_ccw0(mem_, 0x830, ccw_cmd::kReadData, kList, IDA | SLI, 100);
    idaws(kList, {0x2000});
  };
  build();
  ASSERT_TRUE(run().ok()) << ch_.last_error();
  EXPECT_EQ(at(0x3000), 0x22);
  EXPECT_EQ(at(0x2000), 0x00);

  std::fill(mem_.data(), mem_.data() + 0x4000, u8{0});
  build();
  ch_.set_mode(FetchMode::kPrefetch);
  ASSERT_TRUE(run().ok()) << ch_.last_error();
  EXPECT_EQ(at(0x2000), 0x22);
  EXPECT_EQ(at(0x3000), 0x00);
}

TEST_F(SimIdaTest, PrefetchFailsTheStartOnAnIdawItCannotPin) {
  // vfio-ccw pins the page of every IDAW the count spans before the start,
  // one the data never reaches too: outside storage, the start fails (unit
  // exception, no CCW run).
  read_with(0, 1, kList, IDA, 100);
  idaws(kList, {0x27F0, 0x200000});  // the second lies past 1 MiB
  ch_.set_mode(FetchMode::kPrefetch);
  IoResult r = run();
  EXPECT_EQ(r.device_status, dev_stat::kUnitException);
  EXPECT_EQ(ch_.stats().ccws, 0u);
  EXPECT_EQ(at(0x27F0), 0x00);
}

TEST_F(SimIdaTest, PrefetchRunsAnUnalignedListTheHardwareRefuses) {
  // The real channel program-checks an IDAW list off a word boundary;
  // vfio-ccw copies the words from where they are into an aligned list.
  read_with(0, 1, kList + 2, IDA | SLI, 16);
  mem_.store32(kList + 2, 0x2000);
  IoResult r = run();
  EXPECT_TRUE(r.subchannel_status & sch_stat::kProgramCheck) << ch_.last_error();
  ch_.set_mode(FetchMode::kPrefetch);
  r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x2000), 0x22);
}

}  // namespace
}  // namespace ccwboot::sim
