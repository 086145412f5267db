// The hardware IPL reference on every mkdasd shape, and why a prefetching
// channel needs more than one start to do the same.
#include "hardware_ipl.h"

#include <gtest/gtest.h>

#include <cstring>

#include "payload_cpu.h"
#include "shapes.h"
#include "sim_test_util.h"

namespace ccwboot::sim {
namespace {

using namespace testutil;

// What a DASD IPL under vfio-ccw does without chain splitting (QEMU's
// approach minus its Read+TIC heuristic): Read IPL unchained; Seek 0/0,
// Search 0/0/2 + TIC, IPL1's Read; then IPL2 in one start. Every start
// prefetched.
struct Unsplit {
  bool ok = false;
  u64 psw = 0;
};
// A start ended well: PCI's intermediate interruption aside, nothing but CE+DE.
bool ended_well(IoResult io) {
  io.subchannel_status &= static_cast<u8>(~sch_stat::kProgramControlledInterruption);
  return io.ok();
}

Unsplit unsplit_prefetch_ipl(CkdVolume& vol, SimMemory& mem) {
  SimChannel ch(vol, mem, FetchMode::kPrefetch);
  put_ccw0(mem, 0, ccw_cmd::kReadIpl, 0, ccw_flag::kSuppressLength, 24);
  if (!ended_well(ch.start(0, CcwFormat::kFormat0, true))) return {};
  u8 ipl1[24];
  mem.read(0, ipl1, 24);
  Ccw0 read{{ipl1[8], ipl1[9], ipl1[10], ipl1[11], ipl1[12], ipl1[13], ipl1[14], ipl1[15]}};
  Ccw0 tic{{ipl1[16], ipl1[17], ipl1[18], ipl1[19], ipl1[20], ipl1[21], ipl1[22], ipl1[23]}};
  const u32 prog = 0xF00000;  // scratch far from the shapes' data
  put_seek_arg(mem, prog + 0x40, 0, 0);
  put_search_arg(mem, prog + 0x48, 0, 0, 2);
  put_ccw0(mem, prog, ccw_cmd::kSeek, prog + 0x40, ccw_flag::kChainCommand, 6);
  put_ccw0(mem, prog + 8, ccw_cmd::kSearchIdEqual, prog + 0x48, ccw_flag::kChainCommand, 5);
  put_ccw0(mem, prog + 16, ccw_cmd::kTic, prog + 8, 0, 0);
  read.set_flags(read.flags() & ~ccw_flag::kChainCommand);
  mem.write(prog + 24, read.raw, 8);
  if (!ended_well(ch.start(prog, CcwFormat::kFormat0, true))) return {};
  if (!ended_well(ch.start(tic.address(), CcwFormat::kFormat0, true))) return {};
  return {true, mem.load64(0)};
}

bool same_range(const SimMemory& a, const SimMemory& b, u32 start, u32 end) {
  return std::memcmp(a.data() + start, b.data() + start, end - start) == 0;
}

class ShapeIplTest : public ::testing::TestWithParam<ShapeInfo> {};

TEST_P(ShapeIplTest, HardwareIplEndsInTheShapesPayloadWait) {
  const ShapeInfo& s = GetParam();
  CkdVolume vol = make_shape(s.shape);
  SimMemory mem;
  HardwareIplResult r = hardware_ipl(vol, mem);
  ASSERT_TRUE(r.ok) << s.name << ": " << r.error;
  PayloadRun run = run_payload(mem, r.psw);
  ASSERT_TRUE(run.waited) << s.name << ": " << run.error;
  EXPECT_EQ(run.psw, s.expected_psw) << s.name;
  EXPECT_LT(s.load_start, s.load_end);
}

TEST_P(ShapeIplTest, NaiveSinglePrefetchedStartDoesNotBoot) {
  const ShapeInfo& s = GetParam();
  CkdVolume vol = make_shape(s.shape);
  SimMemory hw, naive;
  HardwareIplResult h = hardware_ipl(vol, hw);
  HardwareIplResult n = naive_prefetch_ipl(vol, naive);
  EXPECT_TRUE(h.ok);
  EXPECT_FALSE(n.ok) << s.name;  // IPL1's CCWs were not in storage when copied
  EXPECT_FALSE(same_range(hw, naive, s.load_start, s.load_end)) << s.name;
}

TEST_P(ShapeIplTest, UnsplitPrefetchIplMatchesHardwareExactlyWhenNoSplitIsNeeded) {
  const ShapeInfo& s = GetParam();
  CkdVolume vol = make_shape(s.shape);
  SimMemory hw, pre;
  HardwareIplResult h = hardware_ipl(vol, hw);
  ASSERT_TRUE(h.ok);
  Unsplit u = unsplit_prefetch_ipl(vol, pre);
  bool same = u.ok && u.psw == h.psw && same_range(hw, pre, s.load_start, s.load_end);
  if ((s.needs_split && !s.budget_split) || s.needs_chain_context || s.prefetch_refuses) {
    EXPECT_FALSE(same) << s.name << " should need splitting, the chain's context, or be refused";
  } else {
    EXPECT_TRUE(same) << s.name << " should not need splitting";
    PayloadRun run = run_payload(pre, u.psw);
    EXPECT_EQ(run.psw, s.expected_psw) << run.error;
  }
}

std::string shape_name(const ::testing::TestParamInfo<ShapeInfo>& info) { return info.param.name; }

// Every shape a real channel boots (the good ones, aim_firmware, data_chain_split).
std::vector<ShapeInfo> native_shapes() {
  std::vector<ShapeInfo> out;
  for (const ShapeInfo& s : all_shapes())
    if (s.native_boots) out.push_back(s);
  return out;
}

INSTANTIATE_TEST_SUITE_P(NativeShapes, ShapeIplTest, ::testing::ValuesIn(native_shapes()),
                         shape_name);

TEST(BadShapes, UnformattedVolumeLoadsDasdinitsInvalidPsw) {
  CkdVolume vol = make_shape(Shape::kUnformatted);
  SimMemory mem;
  HardwareIplResult r = hardware_ipl(vol, mem);
  EXPECT_TRUE(r.ok) << r.error;  // the I/O is fine: a NOP
  EXPECT_EQ(r.psw, 0x000600000000000Full);
  EXPECT_FALSE(run_payload(mem, r.psw).waited);
}

TEST(BadShapes, SeekInIpl1IsCommandRejectAsInHercules) {
  CkdVolume vol = make_shape(Shape::kIpl1NotRead);
  SimMemory mem;
  HardwareIplResult r = hardware_ipl(vol, mem);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.io.unit_check());
  EXPECT_EQ(r.sense[0], sense::kCommandReject);
  EXPECT_EQ(r.sense[7], sense::kMsgInvalidSequence);
}

TEST(BadShapes, Ipl2AtZeroIsAProgramCheck) {
  CkdVolume vol = make_shape(Shape::kIpl2Zero);
  SimMemory mem;
  HardwareIplResult r = hardware_ipl(vol, mem);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.io.subchannel_status, sch_stat::kProgramCheck);
}

TEST(BadShapes, TicLoopEndsAtTheStepBound) {
  CkdVolume vol = make_shape(Shape::kTicLoop);
  SimMemory mem;
  SimOptions o;
  o.step_bound = 5000;
  HardwareIplResult r = hardware_ipl(vol, mem, o);
  EXPECT_EQ(r.io.outcome, IoOutcome::kTimeout);
  EXPECT_EQ(r.stats.ccws, 5000u);
}

TEST(BadShapes, MissingRecordIsNoRecordFound) {
  CkdVolume vol = make_shape(Shape::kNoRecord);
  SimMemory mem;
  HardwareIplResult r = hardware_ipl(vol, mem);
  EXPECT_TRUE(r.io.unit_check());
  EXPECT_EQ(r.sense[1], sense::kNoRecordFound);
}

TEST(BadShapes, AimFirmwareWritesIntoTheFirmwaresRange) {
  CkdVolume vol = make_shape(Shape::kAimFirmware);
  SimMemory mem;
  mem.watch(0x00E00000, 0x00F00000);
  HardwareIplResult r = hardware_ipl(vol, mem);
  EXPECT_TRUE(r.ok) << r.error;
  ASSERT_EQ(mem.watch_hits().size(), 1u);
  EXPECT_EQ(mem.watch_hits()[0].addr, 0x00E00000u);
  EXPECT_EQ(mem.data()[0x00E00000], 0xEE);
}

TEST(BadShapes, DataChainSplitLoadsThroughTheFreshCcwOnlyOnARealChannel) {
  CkdVolume vol = make_shape(Shape::kDataChainSplit);
  SimMemory hw, pre;
  ASSERT_TRUE(hardware_ipl(vol, hw).ok);
  const ShapeInfo& s = shape_info(Shape::kDataChainSplit);
  Unsplit u = unsplit_prefetch_ipl(vol, pre);
  ASSERT_TRUE(u.ok);
  EXPECT_NE(hw.data()[0x2000], 0);
  EXPECT_EQ(pre.data()[0x2000], 0);  // the stale continuation sent it to 0x4000
  EXPECT_TRUE(
      std::memcmp(hw.data() + s.load_start, pre.data() + 0x4000, s.load_end - s.load_start) == 0);
}

TEST(Payload, ChecksumCatchesMisloadedData) {
  CkdVolume vol = make_shape(Shape::kSingle);
  SimMemory mem;
  HardwareIplResult r = hardware_ipl(vol, mem);
  ASSERT_TRUE(r.ok);
  mem.data()[shape_info(Shape::kSingle).load_end - 1] ^= 1;
  PayloadRun run = run_payload(mem, r.psw);
  ASSERT_TRUE(run.waited) << run.error;
  EXPECT_EQ(run.psw, kPayloadBadPsw);
}

TEST(Payload, PswAt0ShapeDecoyShowsWhenIpl1sPswIsUsed) {
  CkdVolume vol = make_shape(Shape::kPswAt0);
  SimMemory mem;
  HardwareIplResult r = hardware_ipl(vol, mem);
  ASSERT_TRUE(r.ok);
  u64 ipl1_psw = be::load64(vol.find(0, 0, 1)->data.data());
  EXPECT_NE(ipl1_psw, r.psw);
  EXPECT_EQ(run_payload(mem, ipl1_psw).psw, kPayloadDecoyPsw);
}

TEST(Shapes, NamesRoundTripAndAreUnique) {
  for (const ShapeInfo& s : all_shapes()) {
    auto back = shape_from_name(s.name);
    ASSERT_TRUE(back) << s.name;
    EXPECT_EQ(*back, s.shape);
    EXPECT_EQ(&shape_info(s.shape), &s);
    if (s.native_boots) {
      EXPECT_NE((s.expected_psw & 0xFFF), 0xFFFu);
    }
  }
  EXPECT_FALSE(shape_from_name("nope"));
}

}  // namespace
}  // namespace ccwboot::sim
