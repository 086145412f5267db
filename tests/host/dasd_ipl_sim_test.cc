// The DASD IPL core against the channel simulator: for every good volume
// shape, ccwboot under vfio-ccw prefetch leaves the same storage and PSW as
// the machine's own IPL under a real channel (and the naive single start
// does not); every bad volume ends in its own named code, never a hang.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "ccw_names.h"
#include "ccwboot/dasd/dasd_ipl.h"
#include "dasd_sim_harness.h"
#include "host_log.h"
#include "payload_cpu.h"
#include "shapes.h"

namespace ccwboot::testing {
namespace {

using sim::Shape;

class GoodShape : public ::testing::TestWithParam<Shape> {};

TEST_P(GoodShape, PrefetchRunMatchesHardwareIpl) {
  const sim::ShapeInfo& info = sim::shape_info(GetParam());
  sim::SimMemory hw;
  sim::CkdVolume hw_volume = sim::make_shape(GetParam());
  sim::HardwareIplResult ref = sim::hardware_ipl(hw_volume, hw);
  ASSERT_TRUE(ref.ok) << info.name << ": reference IPL failed: " << ref.error;

  sim::SimMemory mem;
  clear_log();
  CoreRun run = run_core(sim::make_shape(GetParam()), mem);
  ASSERT_TRUE(run.result.ok()) << info.name << ": " << wait_code_info(run.result.code).name << ": "
                               << captured_log();
  EXPECT_EQ(run.result.psw, ref.psw) << info.name;
  long long diff = first_difference(hw, mem, kScratch, kScratch + kScratchSize);
  EXPECT_EQ(diff, -1) << info.name << ": storage differs from the hardware IPL at 0x" << std::hex
                      << diff;

  // The loaded system runs to its success PSW.
  sim::PayloadRun p = sim::run_payload(mem, run.result.psw);
  EXPECT_TRUE(p.waited) << info.name << ": " << p.error;
  EXPECT_EQ(p.psw, info.expected_psw) << info.name;
}

TEST_P(GoodShape, NaiveSinglePrefetchStartDiffers) {
  const sim::ShapeInfo& info = sim::shape_info(GetParam());
  sim::SimMemory hw, naive;
  sim::CkdVolume v1 = sim::make_shape(GetParam()), v2 = sim::make_shape(GetParam());
  sim::HardwareIplResult ref = sim::hardware_ipl(v1, hw);
  sim::HardwareIplResult bad = sim::naive_prefetch_ipl(v2, naive);
  ASSERT_TRUE(ref.ok);
  bool same = bad.ok && bad.psw == ref.psw && first_difference(hw, naive, 0, 0) == -1;
  EXPECT_FALSE(same) << info.name << ": a single prefetched start matched the hardware IPL";
}

TEST_P(GoodShape, RealChannelRunMatchesToo) {
  // The pieces are also exact where the channel does not prefetch (Hercules, LPAR).
  sim::SimMemory hw, mem;
  sim::CkdVolume v = sim::make_shape(GetParam());
  sim::HardwareIplResult ref = sim::hardware_ipl(v, hw);
  CoreRun run = run_core(sim::make_shape(GetParam()), mem, sim::FetchMode::kRealChannel);
  ASSERT_TRUE(run.result.ok()) << captured_log();
  EXPECT_EQ(run.result.psw, ref.psw);
  EXPECT_EQ(first_difference(hw, mem, kScratch, kScratch + kScratchSize), -1);
}

TEST_P(GoodShape, StartsAreTheMinimumPossible) {
  const sim::ShapeInfo& info = sim::shape_info(GetParam());
  sim::SimMemory mem;
  CoreRun run = run_core(sim::make_shape(GetParam()), mem);
  ASSERT_TRUE(run.result.ok());
  u32 min = min_prefetch_starts(sim::make_shape(GetParam()));
  std::printf("[ starts   ] %-18s ccwboot %u (IPL2 pieces %u, cuts %u)  minimum %u\n", info.name,
              run.result.stats.starts, run.result.stats.ipl2_pieces, run.result.stats.cuts, min);
  EXPECT_EQ(run.result.stats.starts, static_cast<u32>(run.channel.starts));
  EXPECT_GE(run.result.stats.starts, min);
  EXPECT_EQ(run.result.stats.starts, min) << info.name << ": more starts than needed";
  EXPECT_EQ(run.result.stats.cuts > 0, info.needs_split) << info.name;
}

std::string shape_name(const ::testing::TestParamInfo<Shape>& p) {
  return sim::shape_info(p.param).name;
}

INSTANTIATE_TEST_SUITE_P(
    Dasd, GoodShape,
    ::testing::Values(
        Shape::kSingle, Shape::kZipl3, Shape::kPswAt0, Shape::kMultitrack, Shape::kOverwriteNoTic,
        Shape::kLow8k, Shape::kReadNextIpl2, Shape::kSearchFirstIpl2, Shape::kPciFlag,
        Shape::kSkipFlag, Shape::kIpl1ChainOn, Shape::kLdlStage0, Shape::kIpl1ReadKeyData,
        Shape::kLinkedList, Shape::kSearchContinuation, Shape::kSeekHeadContinuation,
        Shape::kReadNextContinuation, Shape::kSearchTicSelf, Shape::kSearchTicOdd,
        Shape::kReadOverItself, Shape::kLongChain, Shape::kVeryLongChain, Shape::kManySegments,
        Shape::kHazardPastCut, Shape::kDataChainThenCommand, Shape::kMultitrackContinuation,
        Shape::kMultitrackSearchContinuation, Shape::kIndexMarkNop, Shape::kDataChainExactEnd,
        Shape::kIdaRead, Shape::kIdaOverwrite, Shape::kIdaListRewritten, Shape::kIdaScattered,
        Shape::kLongLinkedList, Shape::kReadMultipleCkd, Shape::kMultitrackSearch,
        Shape::kMultitrackSearchTwice, Shape::kTwelveRecords, Shape::kMultitrackRun,
        Shape::kReplayLimit, Shape::kMultitrackSearchDeep, Shape::kReadMultipleCkdNext,
        Shape::kReadR0AfterMultitrack, Shape::kReadHaAfterMultitrack, Shape::kSearchAfterR0,
        Shape::kMultitrackSearchCut),
    shape_name);

TEST(DasdGoodShapes, EveryGoodShapeIsCovered) {
  int good = 0;
  for (const sim::ShapeInfo& s : sim::all_shapes()) good += s.good;
  EXPECT_EQ(good, 46) << "a new good shape: add it to the GoodShape instantiation";
}

// Bad volumes: each one its own code, through the whole core.
struct BadCase {
  Shape shape;
  WaitCode code;
};

class BadShape : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadShape, EndsInItsNamedCode) {
  const sim::ShapeInfo& info = sim::shape_info(GetParam().shape);
  sim::SimMemory mem;
  mem.watch(kFirmwareStart, kFirmwareEnd);
  clear_log();
  CoreRun run = run_core(sim::make_shape(GetParam().shape), mem);
  EXPECT_EQ(run.result.code, GetParam().code)
      << info.name << ": got " << wait_code_info(run.result.code).name << ": " << captured_log();
  EXPECT_NE(captured_log().find(wait_code_info(GetParam().code).name), std::string::npos);
  EXPECT_TRUE(mem.watch_hits().empty()) << info.name << ": the channel wrote into the firmware";
  EXPECT_EQ(run.channel.timeouts, 0u) << info.name << ": ran into the simulator's step bound";
}

INSTANTIATE_TEST_SUITE_P(
    Dasd, BadShape,
    ::testing::Values(BadCase{Shape::kUnformatted, WaitCode::kDasdNoIplRecords},
                      BadCase{Shape::kIpl1NotRead, WaitCode::kDasdIpl1NotReadTic},
                      BadCase{Shape::kIpl2Zero, WaitCode::kDasdIpl2AddressZero},
                      BadCase{Shape::kTicLoop, WaitCode::kDasdEndlessLoop},
                      BadCase{Shape::kNoRecord, WaitCode::kDasdNoRecordFound},
                      BadCase{Shape::kAimFirmware, WaitCode::kGuardDataInReservedRange},
                      BadCase{Shape::kDataChainSplit, WaitCode::kDasdSplitInDataChain},
                      BadCase{Shape::kDxAfterIpl, WaitCode::kDasdUnitCheck},
                      BadCase{Shape::kSfmAfterIpl, WaitCode::kDasdUnitCheck},
                      BadCase{Shape::kReadIplAgain, WaitCode::kDasdUnitCheck},
                      BadCase{Shape::kReadTicLoop, WaitCode::kDasdEndlessLoop},
                      BadCase{Shape::kBlockRing, WaitCode::kDasdEndlessLoop},
                      BadCase{Shape::kSegmentOverrun, WaitCode::kDasdSegmentOverrun},
                      BadCase{Shape::kSegmentRing, WaitCode::kDasdEndlessLoop},
                      BadCase{Shape::kIpl1DataChainTic0, WaitCode::kDasdSplitInDataChain},
                      BadCase{Shape::kIndexMarkCut, WaitCode::kDasdSplitNotFaithful},
                      BadCase{Shape::kSegmentRingOdd, WaitCode::kDasdEndlessLoop},
                      BadCase{Shape::kIdaBeyondStorage, WaitCode::kGuardBadIdaw},
                      BadCase{Shape::kIdaOffBoundary, WaitCode::kDasdProgramCheck},
                      BadCase{Shape::kLongBlockRing, WaitCode::kDasdTimeBudget},
                      BadCase{Shape::kReadTrack, WaitCode::kDasdUnitCheck},
                      BadCase{Shape::kReplayPastLimit, WaitCode::kDasdSplitNotFaithful}),
    [](const ::testing::TestParamInfo<BadCase>& p) {
      return std::string(sim::shape_info(p.param.shape).name);
    });

// A ring of CCWs longer than one start's bounds is found when a start
// begins where an earlier one did, with the same storage. Cuts that go on
// where an earlier start began, taken first, make that happen within two
// rounds, whatever the ring's length (199 segments, 64 a start: 202 starts
// without them).
TEST(DasdBounds, RingLongerThanAStartEndsWithinTwoRounds) {
  for (Shape shape : {Shape::kSegmentRing, Shape::kSegmentRingOdd}) {
    sim::SimMemory mem;
    clear_log();
    CoreRun run = run_core(sim::make_shape(shape), mem);
    EXPECT_EQ(run.result.code, WaitCode::kDasdEndlessLoop) << captured_log();
    // 1 Read IPL, 1 IPL1 and at most two rounds of ceil(N / 64) pieces.
    EXPECT_LE(run.result.stats.starts, 2u + 2 * 4) << sim::shape_info(shape).name;
  }
}

// --- Hand-made volumes for errors the shapes do not cover ------------------

// A volume whose IPL2 (record 2, read to 0x800) is `ipl2`; IPL1 is standard.
sim::CkdVolume volume_with_ipl2(const std::vector<u8>& ipl2, u32 cylinders = 1) {
  sim::CkdVolume v(cylinders);
  std::vector<u8> ipl1(24, 0);
  be::store64(ipl1.data(), 0x0008000080002000ull);
  Ccw0 rd =
      Ccw0::make(ccw_cmd::kReadData, 0x800, ccw_flag::kChainCommand | ccw_flag::kSuppressLength,
                 static_cast<u16>(ipl2.size()));
  Ccw0 tic = Ccw0::make(ccw_cmd::kTic, 0x800, 0, 0);
  std::copy(rd.raw, rd.raw + 8, ipl1.begin() + 8);
  std::copy(tic.raw, tic.raw + 8, ipl1.begin() + 16);
  std::string k1 = sim::ascii_to_ebcdic("IPL1"), k2 = sim::ascii_to_ebcdic("IPL2");
  v.add_record(0, 0, std::vector<u8>(k1.begin(), k1.end()), ipl1);
  v.add_record(0, 0, std::vector<u8>(k2.begin(), k2.end()), ipl2);
  return v;
}

struct Chain {
  u32 base;
  std::vector<u8> bytes;
  void ccw(u8 cmd, u32 addr, u8 flags, u16 count) {
    Ccw0 c = Ccw0::make(cmd, addr, flags, count);
    bytes.insert(bytes.end(), c.raw, c.raw + 8);
  }
  void data(std::initializer_list<u8> d) { bytes.insert(bytes.end(), d); }
  u32 here() const { return base + static_cast<u32>(bytes.size()); }
};

using namespace ccw_names;

TEST(DasdErrors, UnitCheckReportsSenseBytes) {
  // IPL2 seeks to cylinder 7 of a one-cylinder volume: command reject, invalid parameter.
  Chain c{0x800, {}};
  c.ccw(ccw_cmd::kSeek, 0x810, 0, 6);
  c.ccw(ccw_cmd::kNop, 0, 0, 1);
  c.data({0, 0, 0, 7, 0, 0});
  sim::SimMemory mem;
  CoreRun run = run_core(volume_with_ipl2(c.bytes), mem);
  EXPECT_EQ(run.result.code, WaitCode::kDasdUnitCheck) << captured_log();
  EXPECT_EQ(run.result.sense[0], sim::sense::kCommandReject);
  EXPECT_EQ(run.result.sense[7], sim::sense::kMsgInvalidParameter);
  EXPECT_NE(captured_log().find("sense 80000000 00000004"), std::string::npos) << captured_log();
  EXPECT_EQ(run.result.stats.sense_starts, 1u);
}

TEST(DasdErrors, IncorrectLengthNamesTheCcw) {
  // Read R1 (1 byte of data written below) with count 16 and no SLI.
  Chain c{0x800, {}};
  c.ccw(ccw_cmd::kSeek, 0x820, CC, 6);
  c.ccw(ccw_cmd::kSearchIdEqual, 0x828, CC, 5);
  c.ccw(ccw_cmd::kTic, 0x808, 0, 0);
  c.ccw(ccw_cmd::kReadData, 0x4000, 0, 16);
  c.data({0, 0, 0, 0, 0, 1, 0, 0});
  c.data({0, 0, 0, 1, 1});
  sim::CkdVolume v = volume_with_ipl2(c.bytes);
  v.add_record(0, 1, {}, std::vector<u8>(4, 0x55));
  sim::SimMemory mem;
  CoreRun run = run_core(v, mem);
  EXPECT_EQ(run.result.code, WaitCode::kDasdIncorrectLength) << captured_log();
  EXPECT_NE(captured_log().find("0x000818"), std::string::npos) << captured_log();
}

TEST(DasdErrors, ReadIntoScratchIsRefusedBeforeAnyStart) {
  Chain c{0x800, {}};
  c.ccw(ccw_cmd::kSeek, 0x820, CC, 6);
  c.ccw(ccw_cmd::kSearchIdEqual, 0x828, CC, 5);
  c.ccw(ccw_cmd::kTic, 0x808, 0, 0);
  c.ccw(ccw_cmd::kReadData, static_cast<u32>(kScratch + 0x40), SLI, 64);
  c.data({0, 0, 0, 0, 0, 1, 0, 0});
  c.data({0, 0, 0, 1, 1});
  sim::CkdVolume v = volume_with_ipl2(c.bytes);
  v.add_record(0, 1, {}, std::vector<u8>(64, 0x55));
  sim::SimMemory mem;
  CoreRun run = run_core(v, mem);
  EXPECT_EQ(run.result.code, WaitCode::kGuardDataInReservedRange) << captured_log();
  EXPECT_NE(captured_log().find("scratch"), std::string::npos);
  EXPECT_EQ(run.result.stats.ipl2_pieces, 0u);
}

TEST(DasdErrors, IplDataBeyondStorage) {
  Chain c{0x800, {}};
  c.ccw(ccw_cmd::kSeek, 0x820, CC, 6);
  c.ccw(ccw_cmd::kSearchIdEqual, 0x828, CC, 5);
  c.ccw(ccw_cmd::kTic, 0x808, 0, 0);
  c.ccw(ccw_cmd::kReadData, 0xFFFFF0, SLI, 64);  // 16 MiB of storage in the simulator
  c.data({0, 0, 0, 0, 0, 1, 0, 0});
  c.data({0, 0, 0, 1, 1});
  sim::CkdVolume v = volume_with_ipl2(c.bytes);
  v.add_record(0, 1, {}, std::vector<u8>(64, 0x55));
  sim::SimMemory mem;
  CoreRun run = run_core(v, mem);
  EXPECT_EQ(run.result.code, WaitCode::kGuardBeyondStorage) << captured_log();
}

TEST(DasdSplit, ContinuationThatStartsWithASearchRunsBehindASeek) {
  // Seek 0/1, Search (CC) whose found-path CCW (two below) is overwritten by
  // an earlier Read of the same chain. The cut moves back to that Read; the
  // next start begins with the second Search, which a 3990 rejects in a new
  // program without a Seek: ccwboot starts it behind a Seek to 0/1, where
  // the chain's own Seek left the device, and the IPL ends as the machine's.
  Chain c{0x800, {}};
  c.ccw(ccw_cmd::kSeek, 0x840, CC, 6);            // 800
  c.ccw(ccw_cmd::kSearchIdEqual, 0x848, CC, 5);   // 808
  c.ccw(ccw_cmd::kTic, 0x808, 0, 0);              // 810
  c.ccw(ccw_cmd::kReadData, 0x830, CC | SLI, 8);  // 818: overwrites 830
  c.ccw(ccw_cmd::kSearchIdEqual, 0x848, CC, 5);   // 820
  c.ccw(ccw_cmd::kTic, 0x820, 0, 0);              // 828
  c.ccw(ccw_cmd::kNop, 0, CC, 1);                 // 830
  c.ccw(ccw_cmd::kNop, 0, 0, 1);                  // 838
  c.data({0, 0, 0, 0, 0, 1, 0, 0});               // 840
  c.data({0, 0, 0, 1, 1});                        // 848
  sim::CkdVolume v = volume_with_ipl2(c.bytes);
  v.add_record(0, 1, {}, std::vector<u8>{ccw_cmd::kReadData, 0, 0x30, 0, SLI, 0, 0, 4});  // ends
  sim::SimMemory hw, mem;
  sim::CkdVolume hv = v;
  sim::HardwareIplResult ref = sim::hardware_ipl(hv, hw);
  ASSERT_TRUE(ref.ok) << ref.error;
  clear_log();
  dasd::DasdIplConfig cfg = sim_config();
  cfg.verbose = true;
  CoreRun run = run_core(v, mem, sim::FetchMode::kPrefetch, cfg);
  ASSERT_TRUE(run.result.ok()) << captured_log();
  EXPECT_NE(captured_log().find("behind a Seek to 0/1"), std::string::npos) << captured_log();
  EXPECT_EQ(run.result.psw, ref.psw);
  EXPECT_EQ(first_difference(hw, mem, kScratch, kScratch + kScratchSize), -1);
}

TEST(DasdSplit, ContinuationAfterAMultiTrackReadRunsBehindItsReplay) {
  // As above, but the Read that stores the new Search + TIC is a multi-track
  // Read. It reads the record the search oriented to (no move), and the
  // Seek program replays it: the continuation finds what the chain found.
  // (It was refused as "track not known" before multi-track moves were
  // replayed; shape multitrack_continuation has one that crosses a track.)
  Chain c{0x800, {}};
  c.ccw(ccw_cmd::kSeek, 0x840, CC, 6);                          // 800
  c.ccw(ccw_cmd::kSearchIdEqual, 0x848, CC, 5);                 // 808
  c.ccw(ccw_cmd::kTic, 0x808, 0, 0);                            // 810
  c.ccw(ccw_cmd::kReadMultipleTrackData, 0x820, CC | SLI, 16);  // 818: overwrites 820, 828
  c.ccw(ccw_cmd::kNop, 0, 0, 1);                                // 820
  c.ccw(ccw_cmd::kNop, 0, 0, 1);                                // 828
  c.ccw(ccw_cmd::kReadData, 0x3000, SLI, 4);                    // 830
  c.ccw(ccw_cmd::kNop, 0, 0, 1);                                // 838
  c.data({0, 0, 0, 0, 0, 1, 0, 0});                             // 840
  c.data({0, 0, 0, 1, 1});                                      // 848
  c.data({0, 0, 0, 1, 2});                                      // 84d
  sim::CkdVolume v = volume_with_ipl2(c.bytes);
  std::vector<u8> fresh(16, 0);
  Ccw0 search = Ccw0::make(ccw_cmd::kSearchIdEqual, 0x84D, CC, 5);
  Ccw0 tic = Ccw0::make(ccw_cmd::kTic, 0x820, 0, 0);
  std::copy(search.raw, search.raw + 8, fresh.begin());
  std::copy(tic.raw, tic.raw + 8, fresh.begin() + 8);
  v.add_record(0, 1, {}, fresh);
  v.add_record(0, 1, {}, std::vector<u8>(4, 0x44));
  sim::SimMemory hw, mem;
  sim::CkdVolume hv = v;
  sim::HardwareIplResult ref = sim::hardware_ipl(hv, hw);
  ASSERT_TRUE(ref.ok) << ref.error;
  CoreRun run = run_core(v, mem);
  ASSERT_TRUE(run.result.ok()) << captured_log();
  EXPECT_EQ(run.result.psw, ref.psw);
  EXPECT_EQ(first_difference(hw, mem, kScratch, kScratch + kScratchSize), -1);
}

TEST(DasdSplit, ContinuationThatReadsTheNextRecordRunsBehindSearchAndSkip) {
  // A Read (CC) writes a Read Data over the CCW after it: the new CCW reads
  // "the next record" (R2), which depends on where the chain left the head.
  // ccwboot starts it behind Seek 0/1, Search ID Equal 0/1/1 + TIC and a
  // Read with SKIP of R1: the head stands after R1's data, as in the chain.
  Chain c{0x800, {}};
  c.ccw(ccw_cmd::kSeek, 0x828, CC, 6);           // 800
  c.ccw(ccw_cmd::kSearchIdEqual, 0x830, CC, 5);  // 808
  c.ccw(ccw_cmd::kTic, 0x808, 0, 0);             // 810
  c.ccw(ccw_cmd::kReadData, 0x820, CC, 8);       // 818: overwrites 820
  c.ccw(ccw_cmd::kNop, 0, 0, 1);                 // 820
  c.data({0, 0, 0, 0, 0, 1, 0, 0});              // 828
  c.data({0, 0, 0, 1, 1});                       // 830
  sim::CkdVolume v = volume_with_ipl2(c.bytes);
  Ccw0 rd = Ccw0::make(ccw_cmd::kReadData, 0x4000, SLI, 16);
  v.add_record(0, 1, {}, std::vector<u8>(rd.raw, rd.raw + 8));
  v.add_record(0, 1, {}, std::vector<u8>(16, 0x77));
  v.add_record(0, 1, {}, std::vector<u8>(16, 0x88));
  sim::SimMemory hw, mem;
  sim::CkdVolume hv = v;
  sim::HardwareIplResult ref = sim::hardware_ipl(hv, hw);
  ASSERT_TRUE(ref.ok) << ref.error;
  dasd::DasdIplConfig cfg = sim_config();
  cfg.verbose = true;
  CoreRun run = run_core(v, mem, sim::FetchMode::kPrefetch, cfg);
  ASSERT_TRUE(run.result.ok()) << captured_log();
  EXPECT_NE(captured_log().find("behind a Seek to 0/1"), std::string::npos) << captured_log();
  EXPECT_EQ(mem.data()[0x4000], 0x77);  // R2, not R1 or R3
  EXPECT_EQ(run.result.psw, ref.psw);
  EXPECT_EQ(first_difference(hw, mem, kScratch, kScratch + kScratchSize), -1);
  // The borrowed bytes were put back: the chain flag too.
  EXPECT_EQ(mem.data()[0x818 + 4], CC);
}

// A clean IPL2 (Seek, NOP) that loads nothing, so the IPL ends with IPL1's
// PSW, replaced here by `psw`.
sim::CkdVolume volume_ending_with_psw(u64 psw) {
  sim::CkdVolume v =
      volume_with_ipl2({0x07, 0x00, 0x08, 0x10, 0x00, 0x00, 0x00, 0x06, 0x03, 0x00, 0x00, 0x00,
                        0x00, 0x00, 0x00, 0x01, 0,    0,    0,    0,    0,    0,    0,    0});
  sim::CkdRecord r1 = *v.find(0, 0, 1);
  be::store64(r1.data.data(), psw);
  EXPECT_TRUE(v.replace_record(0, 0, 1, r1.key, r1.data));
  return v;
}

TEST(DasdErrors, BadIplPsw) {
  sim::SimMemory mem;
  CoreRun run = run_core(volume_ending_with_psw(0x0000000080002000ull), mem);  // no bit 12
  EXPECT_EQ(run.result.code, WaitCode::kDasdBadIplPsw) << captured_log();
}

TEST(DasdErrors, PswIntoFirmwareIsRefused) {
  sim::SimMemory mem;
  CoreRun run = run_core(volume_ending_with_psw(0x0008000080E00100ull), mem);
  EXPECT_EQ(run.result.code, WaitCode::kGuardPswIntoFirmware) << captured_log();
}

TEST(DasdErrors, Ipl2OfZerosIsEmpty) {
  sim::SimMemory mem;
  CoreRun run = run_core(volume_with_ipl2(std::vector<u8>(24, 0)), mem);
  EXPECT_EQ(run.result.code, WaitCode::kDasdIpl2Empty) << captured_log();
}

TEST(DasdErrors, ZeroCountIsAProgramCheck) {
  Chain c{0x800, {}};
  c.ccw(ccw_cmd::kSeek, 0x810, CC, 6);
  c.ccw(ccw_cmd::kNop, 0, 0, 0);  // count 0 in a format-0 CCW
  c.data({0, 0, 0, 0, 0, 0});
  sim::SimMemory mem;
  CoreRun run = run_core(volume_with_ipl2(c.bytes), mem);
  EXPECT_EQ(run.result.code, WaitCode::kDasdProgramCheck) << captured_log();
  EXPECT_NE(captured_log().find("0x000808"), std::string::npos) << captured_log();
}

TEST(DasdErrors, ReadIplWithoutRecordOneMeansNoIplRecords) {
  sim::CkdVolume v(1);  // home address and R0 only
  sim::SimMemory mem;
  CoreRun run = run_core(v, mem);
  EXPECT_EQ(run.result.code, WaitCode::kDasdNoIplRecords) << captured_log();
}

// A clock that jumps by `step` at every reading.
struct SteppingClock final : Clock {
  u64 now = 0, step = 0;
  u64 now_us() override { return now += step; }
};

TEST(DasdErrors, TimeBudgetIsEnforced) {
  sim::SimMemory mem;
  dasd::DasdIplConfig config = sim_config();
  SteppingClock clock;
  clock.step = dasd::kDasdTimeBudgetUs / 2 + 1;  // past the budget at the second piece
  config.clock = &clock;
  CoreRun run = run_core(sim::make_shape(Shape::kZipl3), mem, sim::FetchMode::kPrefetch, config);
  EXPECT_EQ(run.result.code, WaitCode::kDasdTimeBudget) << captured_log();
  EXPECT_NE(captured_log().find("IPL still running after 1500 ms"), std::string::npos)
      << captured_log();
}

TEST(DasdErrors, NoClockIsAConfigError) {
  sim::CkdVolume v = sim::make_shape(Shape::kSingle);
  sim::SimMemory mem;
  sim::SimChannel channel(v, mem, sim::FetchMode::kPrefetch);
  clear_log();
  dasd::DasdIplResult r = dasd::run_dasd_ipl(channel, mem, sim_config());
  EXPECT_EQ(r.code, WaitCode::kDasdBadConfig) << captured_log();
  EXPECT_EQ(channel.stats().starts, 0u);
}

// Issue 8 item 4: no count of starts refuses a long, legitimate linked list
// of CCW blocks (2,003 starts; 1,024 were refused before), and the same
// list is refused by name once it outlasts the time budget.
TEST(DasdBounds, LongLinkedListBootsWithinTheTimeBudget) {
  sim::SimMemory mem;
  CoreRun run = run_core(sim::make_shape(Shape::kLongLinkedList), mem);
  ASSERT_TRUE(run.result.ok()) << captured_log().substr(0, 2000);
  EXPECT_EQ(run.result.stats.ipl2_pieces, 2001u);
  EXPECT_LT(run.elapsed_us, dasd::kDasdTimeBudgetUs);

  sim::SimMemory mem2;
  dasd::DasdIplConfig config = sim_config();
  config.time_budget_us = run.elapsed_us / 2;
  run = run_core(sim::make_shape(Shape::kLongLinkedList), mem2, sim::FetchMode::kPrefetch, config);
  EXPECT_EQ(run.result.code, WaitCode::kDasdTimeBudget);
  EXPECT_LE(run.elapsed_us, config.time_budget_us + 1000);  // one start past it at most
}

TEST(DasdErrors, UnusableScratchIsAConfigError) {
  sim::SimMemory mem;
  dasd::DasdIplConfig config = sim_config();
  config.scratch_size = 16;
  CoreRun run = run_core(sim::make_shape(Shape::kSingle), mem, sim::FetchMode::kPrefetch, config);
  EXPECT_EQ(run.result.code, WaitCode::kDasdBadConfig);
  EXPECT_EQ(run.result.stats.starts, 0u);
}

TEST(DasdErrors, Ipl1ReadOverItsOwnTicIsFollowed) {
  // IPL1's Read lands on 0x10 itself: the machine then fetches the new CCW
  // there (a Seek that starts IPL2 in place), not the TIC that was on disk.
  std::vector<u8> ipl2;
  auto put = [&](u8 cmd, u32 addr, u8 flags, u16 count) {
    Ccw0 c = Ccw0::make(cmd, addr, flags, count);
    ipl2.insert(ipl2.end(), c.raw, c.raw + 8);
  };
  put(ccw_cmd::kSeek, 0x30, CC, 6);                                  // 0x10
  put(ccw_cmd::kSearchIdEqual, 0x38, CC, 5);                         // 0x18
  put(ccw_cmd::kTic, 0x18, 0, 0);                                    // 0x20
  put(ccw_cmd::kReadData, 0x2000, SLI, 0x100);                       // 0x28
  ipl2.insert(ipl2.end(), {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1});  // 0x30, 0x38
  sim::CkdVolume v(1);
  std::vector<u8> ipl1(24, 0);
  be::store64(ipl1.data(), 0x0008000080002000ull);
  Ccw0 rd = Ccw0::make(ccw_cmd::kReadData, 0x10, CC | SLI, static_cast<u16>(ipl2.size()));
  Ccw0 tic = Ccw0::make(ccw_cmd::kTic, 0x4000, 0, 0);  // stale: 0x4000 holds nothing
  std::copy(rd.raw, rd.raw + 8, ipl1.begin() + 8);
  std::copy(tic.raw, tic.raw + 8, ipl1.begin() + 16);
  v.add_record(0, 0, {}, ipl1);
  v.add_record(0, 0, {}, ipl2);
  v.add_record(0, 1, {}, std::vector<u8>(0x100, 0x42));
  sim::SimMemory hw, mem;
  sim::CkdVolume v2 = v;
  sim::HardwareIplResult ref = sim::hardware_ipl(v2, hw);
  ASSERT_TRUE(ref.ok) << ref.error;
  CoreRun run = run_core(v, mem);
  ASSERT_TRUE(run.result.ok()) << captured_log();
  EXPECT_EQ(run.result.ipl2_address, 0x10u);
  EXPECT_EQ(mem.data()[0x2000], 0x42);
  EXPECT_EQ(first_difference(hw, mem, kScratch, kScratch + kScratchSize), -1);
}

TEST(DasdIpl1, ReadsTheRecordAfterRecordOneWhateverItsId) {
  // Track 0/0 holds R1 (IPL1), then a record with id 0/0/7 (the IPL2 the
  // hardware reads: the next record), then a decoy with id 0/0/2. Fuzz
  // finding F1: a replay that searches for id 0/0/2 would load the decoy.
  auto ipl2_reading_to = [](u32 target) {
    Chain c{0x800, {}};
    c.ccw(ccw_cmd::kSeek, 0x820, CC, 6);
    c.ccw(ccw_cmd::kSearchIdEqual, 0x828, CC, 5);
    c.ccw(ccw_cmd::kTic, 0x808, 0, 0);
    c.ccw(ccw_cmd::kReadData, target, SLI, 0x100);
    c.data({0, 0, 0, 0, 0, 1, 0, 0});
    c.data({0, 0, 0, 1, 1});
    return c.bytes;
  };
  std::vector<u8> good = ipl2_reading_to(0x2000), decoy = ipl2_reading_to(0x5000);
  sim::CkdVolume v(1);
  std::vector<u8> ipl1(24, 0);
  be::store64(ipl1.data(), 0x0008000080002000ull);
  Ccw0 rd = Ccw0::make(ccw_cmd::kReadData, 0x800, CC | SLI, static_cast<u16>(good.size()));
  Ccw0 tic = Ccw0::make(ccw_cmd::kTic, 0x800, 0, 0);
  std::copy(rd.raw, rd.raw + 8, ipl1.begin() + 8);
  std::copy(tic.raw, tic.raw + 8, ipl1.begin() + 16);
  ASSERT_TRUE(v.add_record_with_id(0, 0, {0, 0, 1}, {}, ipl1));
  ASSERT_TRUE(v.add_record_with_id(0, 0, {0, 0, 7}, {}, good));
  ASSERT_TRUE(v.add_record_with_id(0, 0, {0, 0, 2}, {}, decoy));
  v.add_record(0, 1, {}, std::vector<u8>(0x100, 0x42));
  sim::SimMemory hw, mem;
  sim::CkdVolume v2 = v;
  sim::HardwareIplResult ref = sim::hardware_ipl(v2, hw);
  ASSERT_TRUE(ref.ok) << ref.error;
  ASSERT_EQ(hw.data()[0x2000], 0x42);
  CoreRun run = run_core(v, mem);
  ASSERT_TRUE(run.result.ok()) << captured_log();
  EXPECT_EQ(run.result.psw, ref.psw);
  EXPECT_EQ(first_difference(hw, mem, kScratch, kScratch + kScratchSize), -1);
}

TEST(DasdIpl1, ACommandAfterReadIplIsLeftToTheControlUnit) {
  // IPL1: PSW, then a Seek (not chained) where the Read usually is. Hercules'
  // 3990 rejects it (command reject, invalid sequence); a real 3990 runs it,
  // and the IPL ends there and loads the PSW. ccwboot runs the same chain
  // (Read IPL at 0, IPL1's CCWs), so it must end as each device does: it
  // refused by name before it ran anything (fuzz: kDasdIpl1NotReadTic while
  // the hardware boots).
  sim::CkdVolume v(1);
  std::vector<u8> ipl1(24, 0);
  be::store64(ipl1.data(), 0x0008000080002000ull);
  Ccw0 seek = Ccw0::make(ccw_cmd::kSeek, 0x18, SLI, 6);  // to 0/0 (zeros after IPL1)
  Ccw0 tic = Ccw0::make(ccw_cmd::kTic, 0x800, 0, 0);     // never fetched
  std::copy(seek.raw, seek.raw + 8, ipl1.begin() + 8);
  std::copy(tic.raw, tic.raw + 8, ipl1.begin() + 16);
  ASSERT_TRUE(v.add_record_with_id(0, 0, {0, 0, 1}, {}, ipl1));

  for (bool hercules : {false, true}) {
    SCOPED_TRACE(hercules ? "Hercules' rule" : "a real 3990's rule");
    sim::SimOptions o;
    o.read_ipl_requires_read = hercules;
    sim::SimMemory hw, mem;
    sim::CkdVolume hw_volume = v, volume = v;
    sim::HardwareIplResult ref = sim::hardware_ipl(hw_volume, hw, o);
    sim::SimChannel channel(volume, mem, sim::FetchMode::kPrefetch, o);
    sim::SimClock clock(channel);
    dasd::DasdIplConfig config = sim_config();
    config.clock = &clock;
    clear_log();
    dasd::DasdIplResult r = dasd::run_dasd_ipl(channel, mem, config);
    if (hercules) {
      EXPECT_FALSE(ref.ok);
      EXPECT_EQ(r.code, WaitCode::kDasdIpl1NotReadTic) << captured_log();
      EXPECT_NE(captured_log().find("rejects IPL1's command 0x07"), std::string::npos)
          << captured_log();
    } else {
      ASSERT_TRUE(ref.ok) << ref.error;
      ASSERT_TRUE(r.ok()) << wait_code_info(r.code).name << ": " << captured_log();
      EXPECT_EQ(r.psw, ref.psw);
      EXPECT_EQ(first_difference(hw, mem, kScratch, kScratch + kScratchSize), -1);
    }
  }
}

TEST(DasdSplit, ReadOverItselfKeepsTheDiskBytesNotTheRestoredFlag) {
  // The Read at 0x818 stores over its own 8 bytes and the CCWs after it; the
  // chain flag ccwboot clears on it must not be "restored" over disk data.
  Chain c{0x800, {}};
  c.ccw(ccw_cmd::kSeek, 0x860, CC, 6);               // 800
  c.ccw(ccw_cmd::kSearchIdEqual, 0x868, CC, 5);      // 808
  c.ccw(ccw_cmd::kTic, 0x808, 0, 0);                 // 810
  c.ccw(ccw_cmd::kReadData, 0x818, CC | SLI, 0x38);  // 818: over itself and 820..84f
  c.ccw(ccw_cmd::kNop, 0, 0, 1);                     // 820 (on disk: ends the chain)
  while (c.here() < 0x860) c.data({0});
  c.data({0, 0, 0, 0, 0, 1, 0, 0});  // 860: seek 0/1
  c.data({0, 0, 0, 1, 1});           // 868: search 0/1/1
  // Record 0/1/1: new bytes for 0x818 (flag byte 0x55), then a fresh program.
  Chain fresh{0x818, {}};
  fresh.data({0xAA, 0xAA, 0xAA, 0xAA, 0x55, 0xAA, 0xAA, 0xAA});
  fresh.ccw(ccw_cmd::kSeek, 0x840, CC, 6);            // 820
  fresh.ccw(ccw_cmd::kSearchIdEqual, 0x848, CC, 5);   // 828
  fresh.ccw(ccw_cmd::kTic, 0x828, 0, 0);              // 830
  fresh.ccw(ccw_cmd::kReadData, 0x2000, SLI, 0x100);  // 838
  fresh.data({0, 0, 0, 0, 0, 2, 0, 0});               // 840: seek 0/2
  fresh.data({0, 0, 0, 2, 1, 0, 0, 0});               // 848: search 0/2/1
  ASSERT_EQ(fresh.bytes.size(), 0x38u);
  sim::CkdVolume v = volume_with_ipl2(c.bytes);
  v.add_record(0, 1, {}, fresh.bytes);
  v.add_record(0, 2, {}, std::vector<u8>(0x100, 0x42));
  sim::SimMemory hw, mem;
  sim::CkdVolume v2 = v;
  sim::HardwareIplResult ref = sim::hardware_ipl(v2, hw);
  ASSERT_TRUE(ref.ok) << ref.error;
  ASSERT_EQ(hw.data()[0x2000], 0x42);
  CoreRun run = run_core(v, mem);
  ASSERT_TRUE(run.result.ok()) << captured_log();
  EXPECT_EQ(run.result.stats.cuts, 1u);
  EXPECT_EQ(mem.data()[0x81C], 0x55);
  EXPECT_EQ(first_difference(hw, mem, kScratch, kScratch + kScratchSize), -1);
}

// A channel that runs the simulator but reports something else on one start.
class TamperingChannel final : public Channel {
 public:
  TamperingChannel(sim::SimChannel& inner, u32 which, IoResult replacement)
      : inner_(inner), which_(which), replacement_(replacement) {}
  IoResult start(u32 ccw_address, CcwFormat fmt, bool prefetch) override {
    IoResult r = inner_.start(ccw_address, fmt, prefetch);
    return ++count_ == which_ ? replacement_ : r;
  }

 private:
  sim::SimChannel& inner_;
  u32 which_;
  IoResult replacement_;
  u32 count_ = 0;
};

struct TamperCase {
  u32 start;  // 1 = Read IPL, 2 = IPL1, 3 = IPL2's one piece (single shape)
  IoResult io;
  WaitCode code;
};

class Tampered : public ::testing::TestWithParam<TamperCase> {};

TEST_P(Tampered, EveryIoOutcomeHasItsName) {
  sim::CkdVolume v = sim::make_shape(Shape::kSingle);
  sim::SimMemory mem;
  sim::SimChannel sim_channel(v, mem, sim::FetchMode::kPrefetch);
  TamperingChannel ch(sim_channel, GetParam().start, GetParam().io);
  clear_log();
  sim::SimClock clock(sim_channel);
  dasd::DasdIplConfig config = sim_config();
  config.clock = &clock;
  dasd::DasdIplResult r = dasd::run_dasd_ipl(ch, mem, config);
  EXPECT_EQ(r.code, GetParam().code) << wait_code_info(r.code).name << ": " << captured_log();
}

constexpr u8 kCeDe = dev_stat::kChannelEnd | dev_stat::kDeviceEnd;

INSTANTIATE_TEST_SUITE_P(
    Dasd, Tampered,
    ::testing::Values(
        TamperCase{1, {IoOutcome::kNotOperational}, WaitCode::kDasdNotOperational},
        TamperCase{2, {IoOutcome::kBusy}, WaitCode::kDasdBusy},
        TamperCase{3, {IoOutcome::kTimeout, 0, 0, 0x808, 0}, WaitCode::kDasdIoTimeout},
        TamperCase{3,
                   {IoOutcome::kCompleted, kCeDe, sch_stat::kChannelDataCheck, 0x820, 0},
                   WaitCode::kDasdChannelError},
        TamperCase{3,
                   {IoOutcome::kCompleted, kCeDe | dev_stat::kUnitException, 0, 0x820, 0},
                   WaitCode::kDasdUnexpectedStatus},
        TamperCase{3, {IoOutcome::kCompleted, kCeDe, 0, 0x908, 0}, WaitCode::kDasdUnexpectedEnd},
        TamperCase{3, {IoOutcome::kCompleted, kCeDe, 0, 0x810, 0}, WaitCode::kDasdUnexpectedEnd}));

TEST(DasdLog, OneLinePerPhase) {
  sim::SimMemory mem;
  clear_log();
  CoreRun run = run_core(sim::make_shape(Shape::kZipl3), mem);
  ASSERT_TRUE(run.result.ok());
  const std::string& log = captured_log();
  EXPECT_NE(log.find("dasd: IPL1: PSW"), std::string::npos) << log;
  EXPECT_NE(log.find("IPL2 starts at 0x000800"), std::string::npos) << log;
  EXPECT_NE(log.find("dasd: chain piece 1 at 0x000800"), std::string::npos) << log;
  EXPECT_NE(log.find("dasd: IPL done: PSW"), std::string::npos) << log;
}

}  // namespace
}  // namespace ccwboot::testing
