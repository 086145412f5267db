// Where vfio-ccw prefetch and a real channel part ways, and how the copy is cut.
#include <gtest/gtest.h>

#include "ccw_names.h"
#include "sim_channel.h"
#include "sim_test_util.h"

namespace ccwboot::sim {
namespace {

using namespace testutil;
using namespace ccw_names;

std::vector<u8> ccw_bytes(std::initializer_list<Ccw0> ccws) {
  std::vector<u8> out;
  for (const Ccw0& c : ccws) out.insert(out.end(), c.raw, c.raw + 8);
  return out;
}

class PrefetchTest : public ::testing::Test {
 protected:
  PrefetchTest() : vol_(1), mem_(1 << 20) {}

  // Seek 0/1 + Search (0,1,rec) + TIC back at `at`; returns the next CCW address.
  u32 orient(SimMemory& m, u32 at, u8 rec) {
    put_seek_arg(m, 0x900, 0, 1);
    put_search_arg(m, 0x908, 0, 1, rec);
    put_ccw0(m, at, ccw_cmd::kSeek, 0x900, CC, 6);
    put_ccw0(m, at + 8, ccw_cmd::kSearchIdEqual, 0x908, CC, 5);
    put_ccw0(m, at + 16, ccw_cmd::kTic, at + 8, 0, 0);
    return at + 24;
  }

  IoResult run_in(FetchMode mode, SimMemory& m, u32 at = 0x800, SimChannel** out = nullptr) {
    channel_ = std::make_unique<SimChannel>(vol_, m, mode);
    if (out) *out = channel_.get();
    return channel_->start(at, CcwFormat::kFormat0, true);
  }

  CkdVolume vol_;
  SimMemory mem_;
  std::unique_ptr<SimChannel> channel_;
};

TEST_F(PrefetchTest, ReadOverTheNextCcwRunsTheNewCcwOnlyOnARealChannel) {
  // R1 holds a CCW that reads R2 to 0x5000; on disk the next CCW is a NOP.
  vol_.add_record(0, 1, {}, ccw_bytes({Ccw0::make(ccw_cmd::kReadData, 0x5000, 0, 8)}));
  vol_.add_record(0, 1, {}, filled(8, 0xAB));
  for (FetchMode mode : {FetchMode::kRealChannel, FetchMode::kPrefetch}) {
    SimMemory m(1 << 20);
    u32 next = orient(m, 0x800, 1);
    put_ccw0(m, next, ccw_cmd::kReadData, next + 8, CC, 8);
    put_ccw0(m, next + 8, ccw_cmd::kNop, 0, 0, 1);
    IoResult r = run_in(mode, m);
    EXPECT_TRUE(r.ok()) << channel_->last_error();
    if (mode == FetchMode::kRealChannel) {
      EXPECT_EQ(m.data()[0x5000], 0xAB);
    } else {
      EXPECT_EQ(m.data()[0x5000], 0) << "prefetch ran the stale NOP";
      // The new CCW is in storage all the same.
      EXPECT_EQ(m.data()[next + 8], ccw_cmd::kReadData);
    }
  }
}

TEST_F(PrefetchTest, ReadThenTicToTheNewProgramOnlyWorksOnARealChannel) {
  // The zipl stage-1 pattern: read a program to 0x3000 and TIC to it.
  vol_.add_record(0, 1, {}, ccw_bytes({Ccw0::make(ccw_cmd::kReadData, 0x5000, SLI, 8)}));
  vol_.add_record(0, 1, {}, filled(8, 0xCD));
  for (FetchMode mode : {FetchMode::kRealChannel, FetchMode::kPrefetch}) {
    SimMemory m(1 << 20);
    u32 next = orient(m, 0x800, 1);
    put_ccw0(m, next, ccw_cmd::kReadData, 0x3000, CC, 8);
    put_ccw0(m, next + 8, ccw_cmd::kTic, 0x3000, 0, 0);
    SimChannel* ch = nullptr;
    IoResult r = run_in(mode, m, 0x800, &ch);
    if (mode == FetchMode::kRealChannel) {
      EXPECT_TRUE(r.ok()) << ch->last_error();
      EXPECT_EQ(m.data()[0x5000], 0xCD);
    } else {
      // The copy of 0x3000 was taken at start: zeros, an invalid command.
      EXPECT_EQ(r.subchannel_status, sch_stat::kProgramCheck);
      EXPECT_EQ(m.data()[0x5000], 0);
      ASSERT_EQ(ch->last_segments().size(), 2u);
      EXPECT_EQ(ch->last_segments()[1].start, 0x3000u);
    }
  }
}

TEST_F(PrefetchTest, SegmentsFollowVfioCcwRules) {
  vol_.add_record(0, 1, {}, filled(8, 1));
  SimChannel* ch = nullptr;
  // Search + TIC back stays one segment, ending at the first unchained CCW.
  u32 next = orient(mem_, 0x800, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, 0, 8);
  put_ccw0(mem_, next + 8, ccw_cmd::kNop, 0, 0, 1);  // not part of the program
  ASSERT_TRUE(run_in(FetchMode::kPrefetch, mem_, 0x800, &ch).ok()) << ch->last_error();
  ASSERT_EQ(ch->last_segments().size(), 1u);
  EXPECT_EQ(ch->last_segments()[0].start, 0x800u);
  EXPECT_EQ(ch->last_segments()[0].count, 4u);
  EXPECT_EQ(ch->stats().prefetched_ccws, 4u);

  // A forward TIC ends the segment and starts another at its target; a TIC
  // into an existing segment adds none.
  put_ccw0(mem_, 0x1000, ccw_cmd::kNop, 0, CC, 1);
  put_ccw0(mem_, 0x1008, ccw_cmd::kTic, 0x1100, 0, 0);
  put_ccw0(mem_, 0x1100, ccw_cmd::kNop, 0, CC, 1);
  put_ccw0(mem_, 0x1108, ccw_cmd::kNop, 0, CC, 1);
  put_ccw0(mem_, 0x1110, ccw_cmd::kTic, 0x1000, 0, 0);  // back to the first segment
  ch->options().step_bound = 50;
  IoResult r = ch->start(0x1000, CcwFormat::kFormat0, true);
  EXPECT_EQ(r.outcome, IoOutcome::kTimeout);  // it loops; the bound ends it
  ASSERT_EQ(ch->last_segments().size(), 2u);
  EXPECT_EQ(ch->last_segments()[0].count, 2u);
  EXPECT_EQ(ch->last_segments()[1].start, 0x1100u);
  EXPECT_EQ(ch->last_segments()[1].count, 3u);
}

TEST_F(PrefetchTest, SegmentLongerThan256CcwsIsRefusedWithUnitException) {
  for (u32 n : {256u, 257u}) {
    SimMemory m(1 << 20);
    for (u32 i = 0; i < n; ++i)
      put_ccw0(m, 0x1000 + i * 8, ccw_cmd::kNop, 0, i + 1 < n ? CC : 0, 1);
    SimChannel* ch = nullptr;
    IoResult r = run_in(FetchMode::kPrefetch, m, 0x1000, &ch);
    if (n == 256) {
      EXPECT_TRUE(r.ok()) << ch->last_error();
    } else {
      EXPECT_EQ(r.device_status, dev_stat::kUnitException);
      EXPECT_EQ(r.ccw_address, 0x1008u);
      EXPECT_EQ(ch->stats().ccws, 0u);
    }
    EXPECT_TRUE(run_in(FetchMode::kRealChannel, m, 0x1000).ok());
  }
}

TEST_F(PrefetchTest, UnreachedCcwWithDataOutsideStorageFailsOnlyUnderPrefetch) {
  vol_.add_record(0, 1, {}, filled(8, 0x31));
  vol_.track(0, 1)->r0_data = filled(8, 0x30);
  put_seek_arg(mem_, 0x900, 0, 1);
  put_search_arg(mem_, 0x908, 0, 1, 0);  // matches R0 at once: the next CCW is skipped
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  put_ccw0(mem_, 0x808, ccw_cmd::kSearchIdEqual, 0x908, CC, 5);
  put_ccw0(mem_, 0x810, ccw_cmd::kReadData, 0xFFFF00, CC, 8);  // beyond 1 MiB, never run
  put_ccw0(mem_, 0x818, ccw_cmd::kReadData, 0x2000, 0, 8);
  EXPECT_TRUE(run_in(FetchMode::kRealChannel, mem_).ok()) << channel_->last_error();
  // R0's data: the Search matched R0's count.
  EXPECT_EQ(mem_.data()[0x2000], 0x30);
  IoResult r = run_in(FetchMode::kPrefetch, mem_);  // vfio-ccw pins every data area
  EXPECT_EQ(r.device_status, dev_stat::kUnitException);
}

TEST_F(PrefetchTest, StatusModifierSkipPastTheCopyIsAProgramCheck) {
  vol_.add_record(0, 1, {}, filled(8, 0x77));
  vol_.track(0, 1)->r0_data = filled(8, 0x70);
  put_seek_arg(mem_, 0x900, 0, 1);
  put_search_arg(mem_, 0x908, 0, 1, 0);  // matches R0 at once
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  put_ccw0(mem_, 0x808, ccw_cmd::kSearchIdEqual, 0x908, CC, 5);
  put_ccw0(mem_, 0x810, ccw_cmd::kTic, 0xA00, 0, 0);  // forward: ends the segment
  put_ccw0(mem_, 0x818, ccw_cmd::kReadData, 0x2000, 0, 8);
  put_ccw0(mem_, 0xA00, ccw_cmd::kNop, 0, 0, 1);
  IoResult real = run_in(FetchMode::kRealChannel, mem_);
  EXPECT_TRUE(real.ok()) << channel_->last_error();
  EXPECT_EQ(mem_.data()[0x2000], 0x70);  // R0's data
  mem_.data()[0x2000] = 0;
  IoResult pre = run_in(FetchMode::kPrefetch, mem_);
  EXPECT_EQ(pre.subchannel_status, sch_stat::kProgramCheck);
  EXPECT_EQ(mem_.data()[0x2000], 0);
}

TEST_F(PrefetchTest, ChannelStepsThroughItsOwnCopyNotAnotherOneOfTheSameAddress) {
  // The segment at 0x1000 is the Search and the TIC to 0x1010 (a TIC out of
  // it ends it); 0x1010 is a segment of its own. A match skips the TIC: the
  // channel steps past the end of 0x1000's copy. Another copy holds guest
  // 0x1010, but vfio-ccw's channel is not in that one.
  vol_.track(0, 1)->r0_data = filled(8, 0x5A);  // the Read after the match takes R0's data
  put_seek_arg(mem_, 0x900, 0, 1);
  put_search_arg(mem_, 0x908, 0, 1, 0);  // matches R0 at once: status modifier
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  put_ccw0(mem_, 0x808, ccw_cmd::kTic, 0x1000, 0, 0);
  put_ccw0(mem_, 0x1000, ccw_cmd::kSearchIdEqual, 0x908, CC, 5);
  put_ccw0(mem_, 0x1008, ccw_cmd::kTic, 0x1010, 0, 0);
  put_ccw0(mem_, 0x1010, ccw_cmd::kReadData, 0x2000, 0, 8);
  SimChannel* ch = nullptr;
  IoResult real = run_in(FetchMode::kRealChannel, mem_, 0x800, &ch);
  EXPECT_TRUE(real.ok()) << ch->last_error();
  EXPECT_EQ(mem_.data()[0x2000], 0x5A);
  mem_.data()[0x2000] = 0;
  IoResult pre = run_in(FetchMode::kPrefetch, mem_, 0x800, &ch);
  ASSERT_EQ(ch->last_segments().size(), 3u);
  EXPECT_EQ(ch->last_segments()[2].start, 0x1010u);
  EXPECT_EQ(pre.subchannel_status, sch_stat::kProgramCheck) << ch->last_error();
  EXPECT_NE(ch->last_error().find("past the end of the copied segment at 4096"), std::string::npos)
      << ch->last_error();
  EXPECT_EQ(mem_.data()[0x2000], 0);
}

TEST_F(PrefetchTest, FormatZeroTicFlagsAreDroppedBeforeTheIdaCheck) {
  // vfio-ccw converts format 0 to format 1 first, which zeroes a TIC's
  // flags: stray flag bits on a format-0 TIC (IDA, suspend) do not fail
  // the copy (fuzz finding F6; older kernels refused IDA after that step).
  vol_.add_record(0, 1, {}, filled(8, 0x6B));
  u32 next = orient(mem_, 0x800, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, 0, 8);
  mem_.data()[0x800 + 16 + 4] = ccw_flag::kIndirect | ccw_flag::kSuspend;  // the loop's TIC
  SimChannel* ch = nullptr;
  IoResult r = run_in(FetchMode::kPrefetch, mem_, 0x800, &ch);
  EXPECT_TRUE(r.ok()) << ch->last_error();
  EXPECT_EQ(mem_.data()[0x2000], 0x6B);
}

TEST_F(PrefetchTest, WatchedRangesCatchChannelWritesOnly) {
  vol_.add_record(0, 1, {}, filled(64, 0x99));
  std::vector<WatchHit> hooked;
  mem_.watch(0x2020, 0x2030);
  mem_.watch(0x8000, 0x9000);
  mem_.set_watch_hook([&](const WatchHit& h) { hooked.push_back(h); });
  u8 cpu[16] = {};
  mem_.write(0x2020, cpu, 16);  // CPU-side stores are not channel writes
  EXPECT_TRUE(mem_.watch_hits().empty());
  u32 next = orient(mem_, 0x800, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, 0, 64);
  for (FetchMode mode : {FetchMode::kRealChannel, FetchMode::kPrefetch}) {
    mem_.clear_watch_hits();
    hooked.clear();
    ASSERT_TRUE(run_in(mode, mem_).ok());
    ASSERT_EQ(mem_.watch_hits().size(), 1u);
    EXPECT_EQ(mem_.watch_hits()[0].addr, 0x2000u);
    EXPECT_EQ(mem_.watch_hits()[0].len, 64u);
    EXPECT_EQ(mem_.watch_hits()[0].watch_start, 0x2020u);
    EXPECT_EQ(hooked.size(), 1u);
  }
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2030, 0, 64);  // just past the watch
  mem_.clear_watch_hits();
  ASSERT_TRUE(run_in(FetchMode::kRealChannel, mem_).ok());
  EXPECT_TRUE(mem_.watch_hits().empty());
}

TEST_F(PrefetchTest, TraceRecordsExecutedCcws) {
  vol_.add_record(0, 1, {}, filled(8, 1));
  u32 next = orient(mem_, 0x800, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, 0, 8);
  SimChannel ch(vol_, mem_, FetchMode::kPrefetch);
  ch.options().trace = true;
  ASSERT_TRUE(ch.start(0x800, CcwFormat::kFormat0, true).ok());
  ASSERT_EQ(ch.trace().size(), 5u);  // Seek, Search R0, TIC, Search R1, Read
  EXPECT_EQ(ch.trace()[0].address, 0x800u);
  EXPECT_EQ(ch.trace()[2].raw[0], ccw_cmd::kTic);
  EXPECT_EQ(ch.trace()[4].address, next);
}

}  // namespace
}  // namespace ccwboot::sim

namespace ccwboot::sim {
namespace {

// Random channel programs over a random volume: every start ends (no hang,
// no crash, bounded), in both modes, and a prefetch refusal is only ever
// reported as unit exception alone.
TEST(RandomPrograms, EveryStartEndsWithinTheBound) {
  u32 x = 12345;
  auto rnd = [&]() {
    x = x * 1103515245u + 12345u;
    return x >> 8;
  };
  const u8 cmds[] = {ccw_cmd::kReadIpl,
                     ccw_cmd::kNop,
                     ccw_cmd::kSense,
                     ccw_cmd::kReadData,
                     ccw_cmd::kSeek,
                     ccw_cmd::kTic,
                     0x12,
                     ccw_cmd::kSearchIdEqual,
                     0x86,
                     ccw_cmd::kReadKeyData,
                     0xE4,
                     0x00,
                     0x05};
  for (int round = 0; round < 300; ++round) {
    CkdVolume vol(1 + rnd() % 2);
    for (u32 t = 0; t < 6; ++t) {
      u32 n = rnd() % 4;
      for (u32 i = 0; i < n; ++i)
        vol.add_record(0, t, std::vector<u8>(rnd() % 3, 0xC1),
                       std::vector<u8>(rnd() % 64, static_cast<u8>(rnd())));
    }
    for (FetchMode mode : {FetchMode::kRealChannel, FetchMode::kPrefetch}) {
      SimMemory mem(1 << 16);
      u32 y = x;
      for (u32 i = 0; i < 64; ++i) {
        y = y * 1103515245u + 12345u;
        u8 cmd = cmds[(y >> 8) % sizeof cmds];
        u32 addr = ((y >> 4) % 96) * 8 + 0x1000;
        u8 flags = static_cast<u8>((y >> 16) & 0xF0);
        u16 count = static_cast<u16>((y >> 20) % 40);
        put_ccw0(mem, 0x1000 + i * 8, cmd, addr, flags, count);
      }
      SimOptions o;
      o.step_bound = 2000;
      o.require_seek_first = round % 2;  // half the rounds reach deeper without a Seek
      o.read_ipl_requires_read = round % 3;
      SimChannel ch(vol, mem, mode, o);
      for (int s = 0; s < 3; ++s) {
        IoResult r = ch.start(0x1000 + (rnd() % 8) * 8, CcwFormat::kFormat0, true);
        if (r.outcome == IoOutcome::kTimeout) continue;
        ASSERT_EQ(r.outcome, IoOutcome::kCompleted);
        if (r.device_status == dev_stat::kUnitException) continue;  // prefetch refusal
        EXPECT_EQ(r.device_status & (dev_stat::kChannelEnd | dev_stat::kDeviceEnd),
                  dev_stat::kChannelEnd | dev_stat::kDeviceEnd);
      }
      EXPECT_LE(ch.stats().ccws, 3u * 2000u + 3u);
    }
  }
}

}  // namespace
}  // namespace ccwboot::sim
