// vfio-ccw's copy of a start (vfio_copy.h): segments counted as the driver
// counts them, the cut that keeps each at 256 CCWs, and the named refusals
// where no start the driver accepts can run the chain as a channel would.
#include <gtest/gtest.h>

#include "ccw_names.h"
#include "ccwboot/dasd/vfio_copy.h"
#include "dasd_tiny_memory.h"
#include "host_log.h"

namespace ccwboot::dasd {
namespace {

using testing::captured_log;
using testing::clear_log;

using namespace ccw_names;

PieceAnalysis g;
VfioCopy copy;

// Seek + Search ID Equal + TIC back + Read (4 CCWs) at `at`; flags of the Read.
void group(TinyMemory& m, u32 at, u32 dest, u8 read_flags) {
  m.ccw(at, SEEK, 0x8000, CC, 6);
  m.ccw(at + 8, SEARCH, 0x8008, CC, 5);
  m.ccw(at + 16, TIC, at + 8, 0, 0);
  m.ccw(at + 24, READ, dest, read_flags, 16);
}

WaitCode analyse_and_fit(TinyMemory& m, u32 start) {
  if (WaitCode v = analyze_piece(m, start, g); v != WaitCode::kNone) return v;
  track_positions(m, g, TrackPosition::at(0, 1));
  return fit_vfio_copy(m, g, 0);
}

TEST(VfioCopy, SegmentsAreCountedAsTheDriverCountsThem) {
  TinyMemory m;
  // A search loop's TIC back keeps the segment going; a forward TIC ends it
  // and starts one at its target; the first unchained CCW ends a segment.
  group(m, 0x100, 0x4000, CC);
  m.ccw(0x120, TIC, 0x200, 0, 0);
  m.ccw(0x200, SEARCH, 0x8008, CC, 5);
  m.ccw(0x208, TIC, 0x108, 0, 0);  // into the first segment: no new one, and it ends this one
  m.ccw(0x210, NOP, 0, 0, 1);      // not copied (a skip to here would leave the copy)
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  ASSERT_EQ(build_vfio_copy(m, g, copy), WaitCode::kNone);
  ASSERT_EQ(copy.count, 2u);
  EXPECT_EQ(copy.segments[0].head, 0x100u);
  EXPECT_EQ(copy.segments[0].count, 5u);
  EXPECT_EQ(copy.segments[1].head, 0x200u);
  EXPECT_EQ(copy.segments[1].count, 2u);
  EXPECT_EQ(copy.find(0x108), 0);
  EXPECT_EQ(copy.find(0x128), -1);  // past the first segment's last CCW
}

TEST(VfioCopy, ExactlyTwoHundredFiftySixCcwsNeedNoCut) {
  TinyMemory m;
  for (u32 k = 0; k < 64; ++k) group(m, 0x100 + k * 32, 0x6000 + k * 16, k < 63 ? CC : 0);
  ASSERT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone);
  EXPECT_EQ(g.cut_count, 0u);
  ASSERT_EQ(build_vfio_copy(m, g, copy), WaitCode::kNone);
  EXPECT_EQ(copy.segments[0].count, 256u);
}

TEST(VfioCopy, LongerSegmentIsCutAtTheLastFaithfulPointWithin256) {
  TinyMemory m(0x20000);
  // 80 groups, 320 CCWs in one segment: the cut goes after the Read that is
  // the 256th CCW (group 63); the continuation begins with a Seek.
  for (u32 k = 0; k < 80; ++k) group(m, 0x100 + k * 32, 0x8100 + k * 16, k < 79 ? CC : 0);
  ASSERT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone) << captured_log();
  ASSERT_EQ(g.cut_count, 1u);
  EXPECT_EQ(g.nodes[g.cuts[0]].address, 0x100u + 63 * 32 + 24);
  ASSERT_EQ(build_vfio_copy(m, g, copy), WaitCode::kNone);
  EXPECT_EQ(copy.segments[0].count, 256u);
  EXPECT_FALSE(copy.segments[0].too_long());

  // Without a place a new start can take over (NOPs all the way), it is refused.
  TinyMemory n;
  for (u32 k = 0; k < 300; ++k) n.ccw(0x100 + k * 8, NOP, 0, k < 299 ? CC : 0, 1);
  EXPECT_EQ(analyse_and_fit(n, 0x100), WaitCode::kDasdSegmentTooLong);
}

TEST(VfioCopy, CutNeverSplitsADataChain) {
  TinyMemory m(0x20000);
  // Groups of 6: Seek, Search, TIC, Read CD, Read CD, Read CC. The 256th CCW
  // begins group 42's data chain; a cut there or after the search is not
  // faithful, so it goes after group 42's Seek (the continuation, a search
  // loop, runs behind a Seek to the same track).
  for (u32 k = 0; k < 50; ++k) {
    u32 at = 0x100 + k * 48;
    m.ccw(at, SEEK, 0x8000, CC, 6);
    m.ccw(at + 8, SEARCH, 0x8008, CC, 5);
    m.ccw(at + 16, TIC, at + 8, 0, 0);
    m.ccw(at + 24, READ, 0xA000 + k * 24, CD, 8);
    m.ccw(at + 32, READ, 0xA008 + k * 24, CD, 8);
    m.ccw(at + 40, READ, 0xA010 + k * 24, k < 49 ? CC : 0, 8);
  }
  ASSERT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone) << captured_log();
  ASSERT_EQ(g.cut_count, 1u);
  EXPECT_EQ(g.nodes[g.cuts[0]].address, 0x100u + 42 * 48);
}

TEST(VfioCopy, SkipPastTheEndOfACopyIsRefused) {
  TinyMemory m;
  // The search's status modifier skips the TIC that ends the segment: the
  // channel would step past the copy (a real channel runs the Read at 0x118).
  m.ccw(0x100, SEEK, 0x8000, CC, 6);
  m.ccw(0x108, SEARCH, 0x8008, CC, 5);
  m.ccw(0x110, TIC, 0x118, 0, 0);  // forward, if only by one CCW: a new segment
  m.ccw(0x118, READ, 0x4000, 0, 16);
  clear_log();
  EXPECT_EQ(analyse_and_fit(m, 0x100), WaitCode::kDasdSegmentOverrun);
  EXPECT_NE(captured_log().find("0x000118"), std::string::npos) << captured_log();
  EXPECT_EQ(captured_log().find("does not know"), std::string::npos) << captured_log();
  // A command ccwboot does not know in the search's place: it must assume
  // the same skip, and the message says the command is the likely fault.
  m.ccw(0x108, 0xF4, 0x8008, CC, 5);
  clear_log();
  EXPECT_EQ(analyse_and_fit(m, 0x100), WaitCode::kDasdSegmentOverrun);
  EXPECT_NE(captured_log().find("CCW 0x000108 has command 0xf4, which ccwboot does not know"),
            std::string::npos)
      << captured_log();
  // The loop TIC back into the segment is fine.
  m.ccw(0x108, SEARCH, 0x8008, CC, 5);
  m.ccw(0x110, TIC, 0x108, 0, 0);
  EXPECT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone);
}

TEST(VfioCopy, CopiedCcwThatNeverRunsStillNeedsItsDataInStorage) {
  TinyMemory m;  // 64 KiB
  // The channel stops at the invalid command at 0x110 (a program check),
  // so the Read after it never runs; the driver copies and pins it all the
  // same, since the flags chain on, and its area runs past storage.
  m.ccw(0x100, SEEK, 0x8000, CC, 6);
  m.ccw(0x108, READ, 0x4000, CC, 16);
  m.ccw(0x110, 0x00, 0, CC, 1);
  m.ccw(0x118, READ, 0xFFF0, 0, 0x100);
  clear_log();
  EXPECT_EQ(analyse_and_fit(m, 0x100), WaitCode::kDasdPrefetchCopyFails);
  EXPECT_NE(captured_log().find("never runs"), std::string::npos) << captured_log();
  m.ccw(0x118, READ, 0xFF00, 0, 0x100);  // ends right at the end of storage: pinnable
  EXPECT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone);
  m.ccw(0x118, READ, 0xFFF0, ccw_flag::kSkip, 0x100);  // SKIP on a read: nothing pinned
  EXPECT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone);
}

TEST(VfioCopy, CopyWindowPastTheEndOfStorageIsRefused) {
  TinyMemory m(0x10000);
  m.ccw(0x100, SEEK, 0x8000, CC, 6);
  m.ccw(0x108, TIC, 0xFC00, 0, 0);  // 1 KiB below the end: the driver copies 2 KiB
  m.ccw(0xFC00, READ, 0x4000, 0, 16);
  EXPECT_EQ(analyse_and_fit(m, 0x100), WaitCode::kDasdPrefetchCopyFails);
  m.ccw(0x108, TIC, 0xF800, 0, 0);
  m.ccw(0xF800, READ, 0x4000, 0, 16);
  EXPECT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone);
}

// Issue 8 item 4: ccwboot's own bounds per start (64 segments, 512 CCW
// fetches walked) cost a start, never the IPL: the start is cut at the
// latest faithful point within them and the next one goes on.
TEST(VfioCopy, ManyShortSegmentsAreCutWithinTheSegmentBound) {
  TinyMemory m(0x20000);
  // 100 groups, each its own segment (Seek, Search, TIC back, Read, TIC on
  // to the next group): 100 segments, 600 fetches.
  for (u32 k = 0; k < 100; ++k) {
    u32 at = 0x100 + k * 40;
    group(m, at, 0x8100 + k * 16, k < 99 ? CC : 0);
    m.ccw(at + 32, TIC, at + 40, 0, 0);
  }
  clear_log();
  ASSERT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone) << captured_log();
  ASSERT_EQ(g.cut_count, 1u);
  // The 64th segment is group 63: its Read ends the start.
  EXPECT_EQ(g.nodes[g.cuts[0]].address, 0x100u + 63 * 40 + 24);
  ASSERT_EQ(build_vfio_copy(m, g, copy), WaitCode::kNone);
  EXPECT_EQ(copy.count, 64u);
  EXPECT_EQ(check_walk_bound(m, g), WaitCode::kNone);
}

TEST(VfioCopy, WalkBudgetEndsAStartAtTheLastFaithfulPointBeforeIt) {
  TinyMemory m(0x20000);
  // 150 groups in three segments of 50 (a TIC on after every 50th): each
  // within 256 CCWs, 751 fetches in all, more than one start's walk holds.
  u32 at = 0x100;
  for (u32 k = 0; k < 150; ++k) {
    group(m, at, 0x10000 + k * 16, k < 149 ? CC : 0);
    at += 32;
    if (k % 50 == 49 && k < 149) {
      m.ccw(at, TIC, at + 8, 0, 0);
      at += 8;
    }
  }
  clear_log();
  ASSERT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone) << captured_log();
  ASSERT_EQ(g.cut_count, 1u);
  const PieceNode& cut = g.nodes[g.cuts[0]];
  // The last CCW before the bound that can end a start: a Seek (the
  // continuation, a search loop, runs behind a Seek to the same track).
  EXPECT_EQ(cut.raw[0], SEEK);
  EXPECT_GT(g.fetches, kMaxPieceFetches);
  EXPECT_EQ(check_walk_bound(m, g), WaitCode::kNone);
  // Every CCW the start still reaches was walked in full; the group after
  // the cut one was not.
  for (u32 i = 0; i < g.node_count; ++i) {
    if (g.nodes[i].reachable && !g.nodes[i].cut) {
      EXPECT_EQ(g.nodes[i].error_plus1, 0);
    }
  }
  i32 next_seek = g.find(cut.address + 32);
  EXPECT_TRUE(next_seek < 0 || g.nodes[next_seek].error_plus1) << std::hex << cut.address;
}

// Issue 8 item 2: a stale fetch that no cut at it or at its writer can
// remove (the writer data-chains, a search comes before the fetch) is not
// refused while a cut made anyway (here vfio-ccw's 256-CCW one) separates
// the store from the fetch.
TEST(VfioCopy, HazardPastThe256CutIsLeftToTheNextStart) {
  TinyMemory m(0x20000);
  // 70 groups of 5: Seek, Search, TIC back, Read CD, Read CC (350 CCWs).
  auto at = [](u32 k) { return 0x100 + k * 40; };
  for (u32 k = 0; k < 70; ++k) {
    m.ccw(at(k), SEEK, 0x8000, CC, 6);
    m.ccw(at(k) + 8, SEARCH, 0x8008, CC, 5);
    m.ccw(at(k) + 16, TIC, at(k) + 8, 0, 0);
    m.ccw(at(k) + 24, READ, 0xA000 + k * 16, CD, 8);
    m.ccw(at(k) + 32, READ, 0xA008 + k * 16, k < 69 ? CC : 0, 8);
  }
  // Group 40's data chain stores over group 60's first Read (after its search).
  m.ccw(at(40) + 24, READ, at(60) + 24, CD, 8);
  clear_log();
  ASSERT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone) << captured_log();
  ASSERT_EQ(g.cut_count, 1u);
  EXPECT_EQ(g.nodes[g.cuts[0]].address, at(51));  // CCW 256 is group 51's Seek
  EXPECT_FALSE(g.nodes[g.find(at(60) + 8)].reachable);

  // Within 256 CCWs, with no cut from the store to the fetch (a Read that
  // stores over its own data chain's next CCW), it is refused.
  m.ccw(at(40) + 24, READ, 0xA000 + 40 * 16, CD, 8);
  m.ccw(at(10) + 24, READ, at(10) + 32, CD, 8);
  EXPECT_EQ(analyse_and_fit(m, 0x100), WaitCode::kDasdSplitInDataChain) << captured_log();
}

// Issue 8 item 2: any point from the store to the stale fetch will do, not
// only the CCW right before the fetch or the writer itself.
TEST(VfioCopy, CutFallsBetweenTheStoreAndTheFetch) {
  TinyMemory m;
  m.ccw(0x100, SEEK, 0x8000, CC, 6);
  m.ccw(0x108, SEARCH, 0x8008, CC, 5);
  m.ccw(0x110, TIC, 0x108, 0, 0);
  m.ccw(0x118, READ, 0x140, CD, 8);  // stores over the Read after the next search
  m.ccw(0x120, READ, 0x4000, CC, 8);
  m.ccw(0x128, SEEK, 0x8010, CC, 6);
  m.ccw(0x130, SEARCH, 0x8018, CC, 5);
  m.ccw(0x138, TIC, 0x130, 0, 0);
  m.ccw(0x140, READ, 0x5000, 0, 8);
  clear_log();
  ASSERT_EQ(analyse_and_fit(m, 0x100), WaitCode::kNone) << captured_log();
  ASSERT_EQ(g.cut_count, 1u);
  // The latest faithful point: after the Seek, whose continuation (the
  // search loop) runs behind a Seek to the same track.
  EXPECT_EQ(g.nodes[g.cuts[0]].address, 0x128u);
}

StartList g_starts;  // 32 KiB: not on the stack

TEST(StartList, HoldsEachAddressOnceUpToItsBound) {
  StartList& s = g_starts;
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.holds(0));
  s.add(0);  // address 0 is a start like any other
  s.add(0x1000);
  s.add(0x1000);
  EXPECT_TRUE(s.holds(0) && s.holds(0x1000));
  EXPECT_FALSE(s.holds(0x1008) || s.holds(0x7FFFFFF8));
  // Past kWatchMaxStarts addresses the list stops growing; what it holds stays.
  for (u32 k = 2; k < kWatchMaxStarts + 10; ++k) s.add(0x10000 + k * 8);
  EXPECT_TRUE(s.holds(0) && s.holds(0x1000));
  EXPECT_TRUE(s.holds(0x10000 + (kWatchMaxStarts - 1) * 8));
  EXPECT_FALSE(s.holds(0x10000 + kWatchMaxStarts * 8));
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.holds(0x1000));
}

}  // namespace
}  // namespace ccwboot::dasd
