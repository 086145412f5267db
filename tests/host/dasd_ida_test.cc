// Indirect data addressing in the IPL chain (idaw_list.h): the IDAW list as
// the channel reads it, the guard over what vfio-ccw copies and pins, and
// the hazard analysis that treats IDAW blocks as the CCW's stores and the
// IDAW list as part of what vfio-ccw copies at the start.
#include <gtest/gtest.h>

#include <vector>

#include "ccwboot/dasd/chain_walk.h"
#include "ccwboot/dasd/idaw_list.h"
#include "ccwboot/dasd/vfio_copy.h"
#include "ccwboot/endian.h"
#include "ccw_names.h"
#include "dasd_tiny_memory.h"
#include "host_log.h"

namespace ccwboot::dasd {
namespace {

using namespace ccw_names;

PieceAnalysis g;
IdawList list;

void idaws(TinyMemory& m, u32 at, std::vector<u32> words) {
  for (u32 w : words) {
    u8 b[4];
    be::store32(b, w);
    m.write(at, b, 4);
    at += 4;
  }
}

std::vector<u32> cut_addresses(const PieceAnalysis& p) {
  std::vector<u32> v;
  for (u32 i = 0; i < p.cut_count; ++i) v.push_back(p.nodes[p.cuts[i]].address);
  return v;
}

TEST(IdawList, BlocksFollowTheFirstIdawsOffsetAndTwoKiBBoundaries) {
  TinyMemory m;
  idaws(m, 0x400, {0x1F00, 0x3000, 0x5800});
  read_idaw_list(m, 0x400, 0x500, list);  // 0x100 + 0x400: two IDAWs
  EXPECT_EQ(list.words, 2u);
  EXPECT_EQ(list.usable, 2u);
  EXPECT_FALSE(list.unfit(true));
  EXPECT_EQ(list.block(0).start, 0x1F00u);
  EXPECT_EQ(list.block(0).end, 0x2000u);
  EXPECT_EQ(list.block(1).start, 0x3000u);
  EXPECT_EQ(list.block(1).end, 0x3400u);
  EXPECT_EQ(list.list_range().end, 0x408u);
  read_idaw_list(m, 0x400, 0x1000, list);  // 0x100 + 0x800 + 0x700: three
  EXPECT_EQ(list.words, 3u);
  EXPECT_EQ(list.block(2).start, 0x5800u);
  EXPECT_EQ(list.block(2).size(), 0x700u);
}

TEST(IdawList, TheChannelStopsAtTheFirstBadIdawVfioAtAnyItCannotPin) {
  TinyMemory m;                       // 64 KiB
  idaws(m, 0x400, {0x1F00, 0x3010});  // off a boundary: vfio-ccw keeps the offset
  read_idaw_list(m, 0x400, 0x500, list);
  EXPECT_EQ(list.usable, 1u);
  EXPECT_FALSE(list.unfit(true));
  idaws(m, 0x400, {0x1F00, 0x80003000});  // bit 0
  read_idaw_list(m, 0x400, 0x500, list);
  EXPECT_EQ(list.usable, 1u);
  EXPECT_EQ(list.unpinned, 1u);
  EXPECT_TRUE(list.unfit(true));
  EXPECT_FALSE(list.unfit(false));     // nothing moves: nothing pinned
  idaws(m, 0x400, {0x1F00, 0x10000});  // past the end
  read_idaw_list(m, 0x400, 0x500, list);
  EXPECT_TRUE(list.unfit(true));
  read_idaw_list(m, 0x402, 0x10, list);  // unaligned list
  EXPECT_EQ(list.usable, 0u);
  EXPECT_TRUE(list.unfit(true));
  read_idaw_list(m, 0xFFFC, 0x900, list);  // vfio-ccw reads 16 bytes from 0xfffc
  EXPECT_TRUE(list.unfit(false));
}

TEST(IdaGuard, WhatVfioCannotCopyOrPinIsRefusedByName) {
  TinyMemory m;
  ReservedSet r;
  r.add(0xC000, 0xD000, "firmware image");
  m.ccw(0x100, READ, 0x400, IDA, 0x500);
  idaws(m, 0x400, {0x1F00, 0x3000});
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kNone);

  idaws(m, 0x400, {0x1F00, 0x80003000});  // bit 0: the hardware program-checks, no pin
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kGuardBadIdaw);
  // The message names the IDAW to look at.
  EXPECT_NE(testing::logged_refusal(WaitCode::kGuardBadIdaw)
                .find("IDAW 2 of the 2 its count spans (at 0x000404) names storage past the end"),
            std::string::npos)
      << testing::logged_refusal(WaitCode::kGuardBadIdaw);
  idaws(m, 0x400, {0x1F00, 0x20000});  // past the end of storage
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kGuardBadIdaw);
  // Off a boundary: vfio-ccw keeps the offset, its channel program-checks
  // where the hardware does; nothing is stored through it.
  idaws(m, 0x400, {0x1F00, 0x3010});
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kNone);
  EXPECT_EQ(g.nodes[0].area().end, 0x2000u);  // only block 0 is stored
  // A block in the firmware, and a list in it.
  idaws(m, 0x400, {0x1F00, 0xC800});
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kGuardDataInReservedRange);
  idaws(m, 0xC000, {0x1F00, 0x3000});
  m.ccw(0x100, READ, 0xC000, IDA, 0x500);
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kGuardDataInReservedRange);
  // An unaligned list: a program check on the hardware, vfio-ccw would run it.
  m.ccw(0x100, READ, 0x402, IDA, 0x10);
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kGuardBadIdaw);
  EXPECT_NE(testing::logged_refusal(WaitCode::kGuardBadIdaw)
                .find("IDAW list at 0x000402 is not on a word boundary"),
            std::string::npos)
      << testing::logged_refusal(WaitCode::kGuardBadIdaw);
  // With SKIP nothing moves and no IDAW is fetched.
  m.ccw(0x100, READ, 0x402, IDA | SKIP, 0x10);
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kNone);
}

TEST(IdaHazard, AReadThroughIdawsOverALaterCcwEndsTheStartBeforeIt) {
  TinyMemory m;
  m.ccw(0x100, SEEK, 0x300, CC, 6);
  m.ccw(0x108, READ, 0x400, IDA | CC, 0x20);  // its one IDAW names 0x118
  m.ccw(0x110, NOP, 0, CC, 1);
  m.ccw(0x118, NOP, 0, 0, 1);
  idaws(m, 0x400, {0x118});
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(cut_addresses(g), std::vector<u32>{0x110});  // the CCW before the stale fetch
  EXPECT_FALSE(g.nodes[g.find(0x118, 0)].reachable);
  // The same CCW without IDA stores at 0x400: nothing to cut.
  m.ccw(0x108, READ, 0x400, CC, 0x20);
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_TRUE(cut_addresses(g).empty());
}

TEST(IdaHazard, AnIdawListAnEarlierReadRewritesEndsTheStartBeforeIt) {
  TinyMemory m;
  m.ccw(0x100, SEEK, 0x300, CC, 6);
  m.ccw(0x108, READ, 0x3FC, CC, 0x10);   // stores over 0x3FC..0x40B: the IDAW list
  m.ccw(0x110, NOP, 0, CC, 1);           // the cut may sit anywhere up to here
  m.ccw(0x118, READ, 0x400, IDA, 0x20);  // vfio-ccw copied the old list
  idaws(m, 0x400, {0x2000});
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(cut_addresses(g), std::vector<u32>{0x110});
  EXPECT_FALSE(g.nodes[g.find(0x118, 0)].reachable);
  // Not the list: no cut.
  m.ccw(0x108, READ, 0x3E0, CC, 0x10);
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_TRUE(cut_addresses(g).empty());
}

// Scattered IDAW blocks: the channel stores into the blocks, not into what
// lies between them -- the CCWs of the chain, the firmware. Their span used
// to stand for the store, so a CCW between them looked overwritten
// (loader corpus, seed 1 volume 6: kDasdSplitPatchOverwritten).
TEST(IdaHazard, ScatteredIdawBlocksStoreOnlyWhereTheyLie) {
  TinyMemory m;
  ReservedSet r;
  r.add(0x6000, 0x7000, "firmware image");
  m.ccw(0x4000, SEEK, 0x300, CC, 6);
  m.ccw(0x4008, READ, 0x400, IDA | CC, 0x1000);  // blocks 0x0800.. and 0xA000..
  m.ccw(0x4010, NOP, 0, CC, 1);
  m.ccw(0x4018, NOP, 0, 0, 1);
  idaws(m, 0x400, {0x800, 0xA000});
  ASSERT_EQ(analyze_piece(m, 0x4000, g), WaitCode::kNone);
  EXPECT_TRUE(cut_addresses(g).empty());
  EXPECT_TRUE(g.nodes[g.find(0x4018, 0)].reachable);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kNone);
  // One more block, over the CCWs after the read: the start ends after it.
  m.ccw(0x47F0, SEEK, 0x300, CC, 6);
  m.ccw(0x47F8, READ, 0x400, IDA | CC, 0x1800);
  m.ccw(0x4800, NOP, 0, CC, 1);
  m.ccw(0x4808, NOP, 0, 0, 1);
  idaws(m, 0x400, {0x800, 0xA000, 0x4800});
  ASSERT_EQ(analyze_piece(m, 0x47F0, g), WaitCode::kNone);
  EXPECT_EQ(cut_addresses(g), std::vector<u32>{0x47F8});
  // A block in the firmware is still refused.
  idaws(m, 0x400, {0x800, 0x6800, 0x9000});
  ASSERT_EQ(analyze_piece(m, 0x47F0, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kGuardDataInReservedRange);
}

TEST(IdaHazard, ACcwStoringOverItsOwnIdawListIsRefusedByName) {
  TinyMemory m;
  m.ccw(0x100, READ, 0x400, IDA, 0x900);  // two IDAWs
  idaws(m, 0x400, {0x3F8, 0x2000});       // block 0 = 0x3F8..0x800 covers IDAW 1 at 0x404
  ReservedSet r;
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  testing::clear_log();
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kDasdIdawListRewritten);
  EXPECT_NE(testing::captured_log().find("0x000100"), std::string::npos);
  // Over IDAW 0 only (fetched before any data moves): refused all the same,
  // over-cautious (docs/dasd-ipl.md).
  idaws(m, 0x400, {0x3FC, 0x2000});
  m.ccw(0x100, READ, 0x400, IDA, 0x10);  // one IDAW: 0x3FC..0x40C
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kDasdIdawListRewritten);
  // Right up to the list: fine.
  idaws(m, 0x400, {0x3F0, 0x2000});
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  EXPECT_EQ(guard_piece(g, r, m.size()), WaitCode::kNone);
}

TEST(IdaVfioCopy, ACcwNeverRunIsStillCopiedAndPinned) {
  TinyMemory m;
  m.ccw(0x100, SEEK, 0x300, CC, 6);
  m.ccw(0x108, 0x31, 0x308, CC, 5);  // Search ID Equal: may skip
  m.ccw(0x110, TIC, 0x108, 0, 0);
  m.ccw(0x118, READ, 0x400, IDA, 0x20);
  idaws(m, 0x400, {0x2000});
  ASSERT_EQ(analyze_piece(m, 0x100, g), WaitCode::kNone);
  track_positions(m, g, TrackPosition::at(0, 1));
  EXPECT_EQ(fit_vfio_copy(m, g, 0), WaitCode::kNone);
}

}  // namespace
}  // namespace ccwboot::dasd
