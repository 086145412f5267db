// Command semantics of the simulated 3990/3390, the same in both fetch modes.
#include "sim_channel.h"

#include <gtest/gtest.h>

#include "ccw_names.h"
#include "sim_test_util.h"

namespace ccwboot::sim {
namespace {

using namespace testutil;
using namespace ccw_names;
constexpr u8 kDone = dev_stat::kChannelEnd | dev_stat::kDeviceEnd;

class SimChannelTest : public ::testing::TestWithParam<FetchMode> {
 protected:
  SimChannelTest() : vol_(2), mem_(1 << 20), ch_(vol_, mem_, GetParam()) {
    const u8 k1[] = {0xD2, 0xF1};
    vol_.add_record(0, 0, k1, filled(24, 0x11));
    vol_.add_record(0, 0, {}, filled(100, 0x22));
    vol_.add_record(0, 0, {}, filled(80, 0x33));
    vol_.add_record(0, 1, {}, filled(50, 0x44));
    vol_.add_record(0, 1, {}, filled(8, 0x45));
    vol_.add_record(0, 2, {}, filled(30, 0x55));
    vol_.add_record(0, 3, {}, {});  // end-of-file record
    vol_.add_record(0, 14, {}, filled(10, 0x5E));
    vol_.add_record(1, 0, {}, filled(20, 0x66));
  }

  // Seek cyl/head + Search ID (cyl, head, rec) + TIC back, starting at `at`;
  // returns the address of the next CCW. Arguments live at 0x900.
  u32 orient(u32 at, u16 cyl, u16 head, u8 rec) {
    put_seek_arg(mem_, 0x900, cyl, head);
    put_search_arg(mem_, 0x908, cyl, head, rec);
    put_ccw0(mem_, at, ccw_cmd::kSeek, 0x900, CC, 6);
    put_ccw0(mem_, at + 8, ccw_cmd::kSearchIdEqual, 0x908, CC, 5);
    put_ccw0(mem_, at + 16, ccw_cmd::kTic, at + 8, 0, 0);
    return at + 24;
  }
  IoResult run(u32 at = 0x800) { return ch_.start(at, CcwFormat::kFormat0, true); }
  u8 at(u32 addr) { return mem_.data()[addr]; }

  CkdVolume vol_;
  SimMemory mem_;
  SimChannel ch_;
};

TEST_P(SimChannelTest, SeekSearchTicReadDataReadsTheRecord) {
  u32 next = orient(0x800, 0, 1, 2);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, 0, 8);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(r.device_status, kDone);
  EXPECT_EQ(r.ccw_address, next + 8);
  EXPECT_EQ(r.residual, 0);
  EXPECT_EQ(at(0x2000), 0x45);
  EXPECT_EQ(at(0x2007), 0x45);
  EXPECT_EQ(at(0x2008), 0);
  EXPECT_EQ(ch_.cylinder(), 0);
  EXPECT_EQ(ch_.head(), 1);
  // Seek, Search R0, TIC, Search R1, TIC, Search R2 (match skips the TIC), Read.
  EXPECT_EQ(ch_.stats().ccws, 7u);
  EXPECT_EQ(ch_.stats().bytes_to_memory, 8u);
}

TEST_P(SimChannelTest, ReadIplReadsR1DataThenReadDataReadsR2) {
  put_ccw0(mem_, 0x800, ccw_cmd::kReadIpl, 0x2000, CC | SLI, 24);
  put_ccw0(mem_, 0x808, ccw_cmd::kReadData, 0x3000, SLI, 200);
  ch_.set_position(1, 0);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x2000), 0x11);  // R1's data, the key is not transferred
  EXPECT_EQ(at(0x2017), 0x11);
  EXPECT_EQ(at(0x3000), 0x22);
  EXPECT_EQ(at(0x3063), 0x22);
  EXPECT_EQ(at(0x3064), 0);
  EXPECT_EQ(r.residual, 100);
  EXPECT_EQ(ch_.cylinder(), 0);
  EXPECT_EQ(ch_.head(), 0);
}

TEST_P(SimChannelTest, SeekAfterReadIplIsRejectedLikeHercules) {
  put_ccw0(mem_, 0x800, ccw_cmd::kReadIpl, 0x2000, CC | SLI, 24);
  put_seek_arg(mem_, 0x900, 0, 1);
  put_ccw0(mem_, 0x808, ccw_cmd::kSeek, 0x900, 0, 6);
  IoResult r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[0], sense::kCommandReject);
  EXPECT_EQ(ch_.sense_bytes()[7], sense::kMsgInvalidSequence);
  EXPECT_EQ(r.ccw_address, 0x810u);
  // Switched off (real DASD), the Seek is accepted.
  ch_.options().read_ipl_requires_read = false;
  r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(ch_.head(), 1);
}

TEST_P(SimChannelTest, SearchForMissingRecordEndsWithNoRecordFoundAfterTwoIndexPoints) {
  u32 next = orient(0x800, 0, 1, 9);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, 0, 8);
  IoResult r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(r.device_status, kDone | dev_stat::kUnitCheck);
  EXPECT_EQ(ch_.sense_bytes()[1], sense::kNoRecordFound);
  EXPECT_EQ(r.ccw_address, 0x810u);  // the Search
  // The argument was never taken: whole count left, incorrect length (no
  // SLI), as Hercules ends it (stat 0E40 count 0005).
  EXPECT_EQ(r.residual, 5);
  EXPECT_EQ(r.subchannel_status, sch_stat::kIncorrectLength);
  // Track 0/1 has R0, R1, R2: three searches per revolution, the seventh
  // meets the index point a second time (Hercules: the same count).
  EXPECT_EQ(ch_.stats().ccws, 1u + 7u + 6u);
  EXPECT_EQ(at(0x2000), 0);
}

TEST_P(SimChannelTest, TicToTicIsAProgramCheck) {
  put_ccw0(mem_, 0x800, ccw_cmd::kNop, 0, CC, 1);
  put_ccw0(mem_, 0x808, ccw_cmd::kTic, 0x810, 0, 0);
  put_ccw0(mem_, 0x810, ccw_cmd::kTic, 0x800, 0, 0);
  IoResult r = run();
  EXPECT_EQ(r.subchannel_status, sch_stat::kProgramCheck);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.ccw_address, 0x818u);
}

TEST_P(SimChannelTest, ReadAfterASearchThatMatchedR0ReadsR0) {
  // Hercules (hercfuzz S2): the Search matched R0's count, so the next read
  // takes R0's data; the read after it gets R1.
  vol_.track(0, 1)->r0_data = filled(8, 0x5A);
  u32 next = orient(0x800, 0, 1, 0);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CC, 8);
  put_ccw0(mem_, next + 8, ccw_cmd::kReadData, 0x3000, 0, 50);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x2000), 0x5A);
  EXPECT_EQ(at(0x2007), 0x5A);
  EXPECT_EQ(at(0x3000), 0x44);
  EXPECT_EQ(at(0x3031), 0x44);
}

TEST_P(SimChannelTest, MalformedCcwsAreProgramChecks) {
  struct Case {
    u8 cmd;
    u32 addr;
    u8 flags;
    u16 count;
    const char* why;
  } cases[] = {
      {ccw_cmd::kReadData, 0x2000, 0, 0, "count 0"},
      {0x00, 0x2000, 0, 8, "command code 0"},
      {0xF0, 0x2000, 0, 8, "command code x0"},
      {ccw_cmd::kReadData, 0x2000, ccw_flag::kSuspend, 8, "suspend"},
      {ccw_cmd::kReadIpl, 0xFFFFF0, 0, 24, "data outside storage"},
  };
  for (const Case& c : cases) {
    mem_.clear();
    put_ccw0(mem_, 0x800, c.cmd, c.addr, c.flags, c.count);
    IoResult r = run();
    if (GetParam() == FetchMode::kPrefetch && std::string(c.why) == "data outside storage") {
      EXPECT_EQ(r.device_status, dev_stat::kUnitException) << c.why;  // pinning fails
    } else {
      EXPECT_EQ(r.subchannel_status, sch_stat::kProgramCheck) << c.why << ": " << ch_.last_error();
    }
    EXPECT_FALSE(r.ok()) << c.why;
  }
  // Unaligned channel program address and a first CCW that is a TIC.
  put_ccw0(mem_, 0x800, ccw_cmd::kNop, 0, 0, 1);
  EXPECT_FALSE(ch_.start(0x804, CcwFormat::kFormat0, true).ok());
  put_ccw0(mem_, 0x800, ccw_cmd::kTic, 0x808, 0, 0);
  put_ccw0(mem_, 0x808, ccw_cmd::kNop, 0, 0, 1);
  EXPECT_EQ(run().subchannel_status, sch_stat::kProgramCheck);
}

TEST_P(SimChannelTest, UnknownCommandIsCommandReject) {
  put_ccw0(mem_, 0x800, 0x05, 0x2000, 0, 8);  // Write Data: the model is read-only
  IoResult r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[0], sense::kCommandReject);
  EXPECT_EQ(ch_.sense_bytes()[7], sense::kMsgInvalidCommand);
}

TEST_P(SimChannelTest, ShortCountWithoutSliIsIncorrectLengthAndEndsTheChain) {
  u32 next = orient(0x800, 0, 1, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CC, 20);  // R1 holds 50
  put_ccw0(mem_, next + 8, ccw_cmd::kReadData, 0x3000, 0, 8);
  IoResult r = run();
  EXPECT_EQ(r.subchannel_status, sch_stat::kIncorrectLength);
  EXPECT_EQ(r.device_status, kDone);
  EXPECT_EQ(r.ccw_address, next + 8);
  EXPECT_EQ(at(0x2013), 0x44);
  EXPECT_EQ(at(0x2014), 0);
  EXPECT_EQ(at(0x3000), 0);  // command chaining was suppressed
}

TEST_P(SimChannelTest, SliSuppressesIncorrectLengthAndChainingGoesOn) {
  u32 next = orient(0x800, 0, 1, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CC | SLI, 20);
  put_ccw0(mem_, next + 8, ccw_cmd::kReadData, 0x3000, SLI, 100);  // R2 holds 8
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(r.residual, 92);
  EXPECT_EQ(at(0x3007), 0x45);
  EXPECT_EQ(at(0x3008), 0);
  // Long count without SLI: incorrect length too.
  put_ccw0(mem_, next + 8, ccw_cmd::kReadData, 0x3000, 0, 100);
  EXPECT_EQ(run().subchannel_status, sch_stat::kIncorrectLength);
}

TEST_P(SimChannelTest, DataChainingContinuesTheTransferInTheNextCcw) {
  u32 next = orient(0x800, 0, 1, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CD, 10);
  put_ccw0(mem_, next + 8, 0x00, 0x3000, CD, 15);         // command code ignored in a data chain
  put_ccw0(mem_, next + 16, ccw_cmd::kTic, 0x880, 0, 0);  // TIC inside a data chain
  put_ccw0(mem_, 0x880, 0x00, 0x4000, 0, 25);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error() << " segments " << ch_.last_segments().size();
  EXPECT_EQ(r.ccw_address, 0x888u);
  EXPECT_EQ(at(0x2009), 0x44);
  EXPECT_EQ(at(0x200A), 0);
  EXPECT_EQ(at(0x300E), 0x44);
  EXPECT_EQ(at(0x300F), 0);
  EXPECT_EQ(at(0x4018), 0x44);
  EXPECT_EQ(at(0x4019), 0);
  EXPECT_EQ(ch_.stats().bytes_to_memory, 50u);
}

// Hercules 3.13 (channel.c, execute_ccw_chain): a record that ends before
// the count of a CCW with CD is incorrect length whatever SLI says, and the
// data chain's next CCW is never fetched.
TEST_P(SimChannelTest, RecordEndingBeforeADataChainedCountIsIncorrectLengthEvenWithSli) {
  u32 next = orient(0x800, 0, 1, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CD | SLI | CC, 72);  // R1 holds 50
  put_ccw0(mem_, next + 8, 0x00, 0x3000, SLI | CC, 8);                  // never fetched
  put_ccw0(mem_, next + 16, ccw_cmd::kNop, 0, 0, 1);
  ch_.options().trace = true;
  IoResult r = run();
  EXPECT_EQ(r.subchannel_status, sch_stat::kIncorrectLength);
  EXPECT_EQ(r.ccw_address, next + 8);
  EXPECT_EQ(r.residual, 22);
  EXPECT_EQ(ch_.trace().back().address, next);
  EXPECT_EQ(at(0x2031), 0x44);
  EXPECT_EQ(at(0x3000), 0);
}

// A record that ends exactly where a CD count does: the channel still
// fetches the next CCW of the data chain, which gets no data. With SLI and
// no CD of its own it ends without incorrect length and command chaining
// goes on from it; otherwise it is incorrect length.
TEST_P(SimChannelTest, RecordEndingWithADataChainedCountFetchesTheNextCcw) {
  u32 next = orient(0x800, 0, 1, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CD, 50);  // R1 holds exactly 50
  put_ccw0(mem_, next + 8, 0x00, 0x3000, SLI | CC, 8);
  put_ccw0(mem_, next + 16, ccw_cmd::kReadData, 0x4000, 0, 8);  // R2
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(r.ccw_address, next + 24);
  EXPECT_EQ(at(0x2031), 0x44);
  EXPECT_EQ(at(0x3000), 0);
  EXPECT_EQ(at(0x4000), 0x45);
  put_ccw0(mem_, next + 8, 0x00, 0x3000, CD | SLI, 8);
  r = run();
  EXPECT_EQ(r.subchannel_status, sch_stat::kIncorrectLength);
  EXPECT_EQ(r.ccw_address, next + 16);
  EXPECT_EQ(r.residual, 8);
  put_ccw0(mem_, next + 8, 0x00, 0x3000, CC, 8);
  r = run();
  EXPECT_EQ(r.subchannel_status, sch_stat::kIncorrectLength);
  EXPECT_EQ(r.ccw_address, next + 16);
}

TEST_P(SimChannelTest, DataChainingOnSeekOrSearchIsCommandReject) {
  put_seek_arg(mem_, 0x900, 0, 1);
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CD, 3);
  put_ccw0(mem_, 0x808, 0x00, 0x903, 0, 3);
  IoResult r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[0], sense::kCommandReject);
  EXPECT_EQ(ch_.sense_bytes()[7], sense::kMsgInvalidCommand);
}

TEST_P(SimChannelTest, SkipFlagReadsWithoutStoring) {
  u32 next = orient(0x800, 0, 1, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CC | SKIP, 50);
  put_ccw0(mem_, next + 8, ccw_cmd::kReadData, 0x3000, 0, 8);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x2000), 0);
  EXPECT_EQ(at(0x3000), 0x45);  // the skipped read still moved past R1
}

TEST_P(SimChannelTest, StepBoundEndsAnEndlessTicLoop) {
  put_ccw0(mem_, 0x800, ccw_cmd::kNop, 0, CC, 1);
  put_ccw0(mem_, 0x808, ccw_cmd::kTic, 0x800, 0, 0);
  ch_.options().step_bound = 1000;
  IoResult r = run();
  EXPECT_EQ(r.outcome, IoOutcome::kTimeout);
  EXPECT_EQ(ch_.stats().timeouts, 1u);
  EXPECT_EQ(ch_.stats().ccws, 1000u);
}

TEST_P(SimChannelTest, ReadCountAndReadKeyAndData) {
  put_seek_arg(mem_, 0x900, 0, 0);
  put_ccw0(mem_, 0x7F8, ccw_cmd::kSeek, 0x900, CC, 6);
  put_ccw0(mem_, 0x800, ccw_cmd::kReadCount, 0x2000, CC, 8);
  put_ccw0(mem_, 0x808, ccw_cmd::kReadKeyData, 0x3000, 0, 26);
  IoResult r = run(0x7F8);
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  const u8 count[] = {0, 0, 0, 0, 1, 2, 0, 24};
  EXPECT_EQ(0, memcmp(mem_.data() + 0x2000, count, 8));
  EXPECT_EQ(at(0x3000), 0xD2);  // key first
  EXPECT_EQ(at(0x3001), 0xF1);
  EXPECT_EQ(at(0x3002), 0x11);
  EXPECT_EQ(at(0x3019), 0x11);
}

TEST_P(SimChannelTest, MultiTrackReadMovesToTheNextHead) {
  u32 next = orient(0x800, 0, 1, 2);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CC, 8);
  put_ccw0(mem_, next + 8, ccw_cmd::kReadMultipleTrackData, 0x3000, 0, 30);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x3000), 0x55);  // R1 of head 2
  EXPECT_EQ(ch_.head(), 2);
}

TEST_P(SimChannelTest, SingleTrackReadWrapsToR1OfTheSameTrack) {
  u32 next = orient(0x800, 0, 1, 2);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CC, 8);
  put_ccw0(mem_, next + 8, ccw_cmd::kReadData, 0x3000, 0, 50);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x3000), 0x44);
  EXPECT_EQ(ch_.head(), 1);
}

TEST_P(SimChannelTest, MultiTrackReadPastTheLastHeadIsEndOfCylinder) {
  u32 next = orient(0x800, 0, 14, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CC, 10);
  put_ccw0(mem_, next + 8, ccw_cmd::kReadMultipleTrackData, 0x3000, 0, 20);
  IoResult r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[1], sense::kEndOfCylinder);
}

// --- Read Multiple CKD, Read Track, Read Home Address, Read CKD, the other
// ID searches (Hercules 3.13 ckddasd.c; docs/simulator.md) ----------------

TEST_P(SimChannelTest, ReadMultipleCkdReadsEveryRecordToTheEndOfTheTrack) {
  put_seek_arg(mem_, 0x900, 0, 1);
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  put_ccw0(mem_, 0x808, 0x5E, 0x2000, SLI, 200);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  const u8 c1[] = {0, 0, 0, 1, 1, 0, 0, 50}, c2[] = {0, 0, 0, 1, 2, 0, 0, 8};
  EXPECT_EQ(0, memcmp(mem_.data() + 0x2000, c1, 8));  // R0 is not read
  EXPECT_EQ(at(0x2008), 0x44);
  EXPECT_EQ(at(0x2039), 0x44);
  EXPECT_EQ(0, memcmp(mem_.data() + 0x203A, c2, 8));
  EXPECT_EQ(at(0x2049), 0x45);
  EXPECT_EQ(at(0x204A), 0);
  EXPECT_EQ(r.residual, 200 - 74);
}

TEST_P(SimChannelTest, ReadMultipleCkdStartsAfterTheRecordASearchFound) {
  u32 next = orient(0x800, 0, 0, 2);
  put_ccw0(mem_, next, 0x5E, 0x2000, SLI, 200);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  const u8 c3[] = {0, 0, 0, 0, 3, 0, 0, 80};
  EXPECT_EQ(0, memcmp(mem_.data() + 0x2000, c3, 8));
  EXPECT_EQ(r.residual, 200 - 88);
}

// Hercules leaves the head at the end of the track (CKDORIENT_EOT): the next
// command that looks for a count goes on to the next head first, even a
// single-track one; a second Read Multiple CKD reads the next track.
TEST_P(SimChannelTest, AfterReadMultipleCkdTheNextReadIsOnTheNextHead) {
  put_seek_arg(mem_, 0x900, 0, 1);
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  put_ccw0(mem_, 0x808, 0x5E, 0x2000, CC | SLI, 1);
  put_ccw0(mem_, 0x810, ccw_cmd::kReadData, 0x3000, CC | SLI, 100);
  put_ccw0(mem_, 0x818, 0x5E, 0x2000, CC | SLI, 1);
  put_ccw0(mem_, 0x820, 0x5E, 0x4000, SLI, 100);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x3000), 0x55);  // R1 of head 2
  EXPECT_EQ(at(0x4008), 0);     // head 3: its R1 has no data ...
  EXPECT_EQ(at(0x4004), 1);     // ... but a count
  EXPECT_EQ(at(0x4003), 3);
  EXPECT_EQ(ch_.head(), 3);
}

TEST_P(SimChannelTest, ReadTrackOutsideALocateRecordDomainIsCommandReject) {
  put_seek_arg(mem_, 0x900, 0, 1);
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  put_ccw0(mem_, 0x808, 0xDE, 0x2000, SLI, 200);
  IoResult r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[0], sense::kCommandReject);
  EXPECT_EQ(ch_.sense_bytes()[7], sense::kMsgInvalidSequence);
  EXPECT_EQ(at(0x2000), 0);
}

TEST_P(SimChannelTest, ReadHomeAddressGoesBackToTheIndexPoint) {
  u32 next = orient(0x800, 0, 1, 2);
  put_search_arg(mem_, 0x910, 0, 1, 0);
  put_ccw0(mem_, next, ccw_cmd::kReadHomeAddress, 0x2000, CC, 5);
  // A Search for R0 right after it matches at once (the skip passes the NOP).
  put_ccw0(mem_, next + 8, ccw_cmd::kSearchIdEqual, 0x910, CC, 5);
  put_ccw0(mem_, next + 16, 0x0F, 0, CC, 1);  // invalid: must be skipped
  put_ccw0(mem_, next + 24, ccw_cmd::kReadHomeAddress | 0x80, 0x2008, 0, 5);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  const u8 ha1[] = {0, 0, 0, 0, 1}, ha2[] = {0, 0, 0, 0, 2};
  EXPECT_EQ(0, memcmp(mem_.data() + 0x2000, ha1, 5));
  EXPECT_EQ(0, memcmp(mem_.data() + 0x2008, ha2, 5));  // multi-track: the next head's
  EXPECT_EQ(ch_.head(), 2);
}

TEST_P(SimChannelTest, ReadCountKeyAndDataReadsTheNextRecordWhole) {
  u32 next = orient(0x800, 0, 0, 1);  // oriented to R1's count: the next count is R2's
  put_ccw0(mem_, next, ccw_cmd::kReadCountKeyData, 0x2000, SLI, 200);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  const u8 c2[] = {0, 0, 0, 0, 2, 0, 0, 100};
  EXPECT_EQ(0, memcmp(mem_.data() + 0x2000, c2, 8));
  EXPECT_EQ(at(0x2008), 0x22);
  EXPECT_EQ(r.residual, 200 - 108);
}

TEST_P(SimChannelTest, SearchIdHighMatchesTheFirstHigherId) {
  put_seek_arg(mem_, 0x900, 0, 1);
  put_search_arg(mem_, 0x908, 0, 1, 1);
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  put_ccw0(mem_, 0x808, 0x51, 0x908, CC, 5);
  put_ccw0(mem_, 0x810, ccw_cmd::kTic, 0x808, 0, 0);
  put_ccw0(mem_, 0x818, ccw_cmd::kReadData, 0x2000, SLI, 100);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x2000), 0x45);  // R2: R0 and R1 are not higher than 0/1/1
}

TEST_P(SimChannelTest, MultiTrackSearchGoesOnWithTheNextHead) {
  for (u8 cmd : {u8{0xB1}, u8{0x31}}) {
    put_seek_arg(mem_, 0x900, 0, 1);
    put_search_arg(mem_, 0x908, 0, 2, 1);
    put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
    put_ccw0(mem_, 0x808, cmd, 0x908, CC, 5);
    put_ccw0(mem_, 0x810, ccw_cmd::kTic, 0x808, 0, 0);
    put_ccw0(mem_, 0x818, ccw_cmd::kReadData, 0x2000, SLI, 100);
    mem_.data()[0x2000] = 0;
    IoResult r = run();
    if (cmd == 0xB1) {
      EXPECT_TRUE(r.ok()) << ch_.last_error();
      EXPECT_EQ(at(0x2000), 0x55);
      EXPECT_EQ(ch_.head(), 2);
    } else {
      EXPECT_TRUE(r.unit_check());  // single track: 0/2/1 is not on 0/1
      EXPECT_EQ(ch_.sense_bytes()[1], sense::kNoRecordFound);
    }
  }
}

// The index mark a Read Count set (passing the index point) stays for a
// search, multi-track or not: at the next index point, no record found.
TEST_P(SimChannelTest, MultiTrackSearchEndsAtTheIndexPointWhileTheMarkIsSet) {
  put_seek_arg(mem_, 0x900, 0, 1);
  put_search_arg(mem_, 0x908, 0, 2, 1);
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  for (u32 i = 0; i < 3; ++i) put_ccw0(mem_, 0x808 + 8 * i, ccw_cmd::kReadCount, 0x2000, CC, 8);
  put_ccw0(mem_, 0x820, 0xB1, 0x908, CC, 5);
  put_ccw0(mem_, 0x828, ccw_cmd::kTic, 0x820, 0, 0);
  put_ccw0(mem_, 0x830, ccw_cmd::kReadData, 0x2000, SLI, 100);
  IoResult r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[1], sense::kNoRecordFound);
  EXPECT_EQ(ch_.head(), 1);
}

// Set Sector (Hercules ckddasd.c, case 0x23) takes one byte and keeps the
// orientation: the Read after it reads the record the search found. It
// never presents status modifier (else the Read would be skipped).
TEST_P(SimChannelTest, SetSectorKeepsTheOrientationAndNeverSkips) {
  u32 next = orient(0x800, 0, 1, 1);
  mem_.data()[0x940] = 0x42;
  put_ccw0(mem_, next, 0x23, 0x940, CC, 1);
  put_ccw0(mem_, next + 8, ccw_cmd::kReadData, 0x2000, 0, 50);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(r.ccw_address, next + 16);
  EXPECT_EQ(at(0x2000), 0x44);  // R1 of 0/1
  // Seek, Search R0, TIC, Search R1 (match skips the TIC), Set Sector, Read.
  EXPECT_EQ(ch_.stats().ccws, 6u);
}

// Set Sector is a control command: it clears the index mark a Read Count
// set, so a multi-track search after it goes on to the next head (compare
// MultiTrackSearchEndsAtTheIndexPointWhileTheMarkIsSet).
TEST_P(SimChannelTest, SetSectorClearsTheIndexMark) {
  put_seek_arg(mem_, 0x900, 0, 1);
  put_search_arg(mem_, 0x908, 0, 2, 1);
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  for (u32 i = 0; i < 3; ++i) put_ccw0(mem_, 0x808 + 8 * i, ccw_cmd::kReadCount, 0x2000, CC, 8);
  put_ccw0(mem_, 0x820, 0x23, 0x940, CC, 1);
  put_ccw0(mem_, 0x828, 0xB1, 0x908, CC, 5);
  put_ccw0(mem_, 0x830, ccw_cmd::kTic, 0x828, 0, 0);
  put_ccw0(mem_, 0x838, ccw_cmd::kReadData, 0x3000, SLI, 100);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x3000), 0x55);
  EXPECT_EQ(ch_.head(), 2);
}

// Set Sector's rejects (Hercules ckddasd.c, case 0x23): no Seek earlier in
// the program (3990), right after Read IPL (its Locate Record domain), count
// 0; a count over 1 without SLI is incorrect length and ends the chain.
TEST_P(SimChannelTest, SetSectorRejectsLikeHercules) {
  put_ccw0(mem_, 0x800, 0x23, 0x940, CC, 1);
  put_ccw0(mem_, 0x808, ccw_cmd::kNop, 0, SLI, 1);
  IoResult r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[0], sense::kCommandReject);
  EXPECT_EQ(ch_.sense_bytes()[7], sense::kMsgInvalidSequence);
  EXPECT_EQ(r.ccw_address, 0x808u);

  put_ccw0(mem_, 0x800, ccw_cmd::kReadIpl, 0x2000, CC | SLI, 24);
  put_ccw0(mem_, 0x808, 0x23, 0x940, CC, 1);
  put_ccw0(mem_, 0x810, ccw_cmd::kNop, 0, SLI, 1);
  r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[0], sense::kCommandReject);
  EXPECT_EQ(ch_.sense_bytes()[7], sense::kMsgInvalidSequence);
  EXPECT_EQ(r.ccw_address, 0x810u);

  auto put1 = [&](u32 addr, u8 cmd, u32 data, u8 flags, u16 count) {
    Ccw1 c = Ccw1::make(cmd, data, flags, count);
    mem_.write(addr, c.raw, 8);
  };
  put_seek_arg(mem_, 0x900, 0, 1);
  put1(0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  put1(0x808, 0x23, 0x940, CC, 0);
  put1(0x810, ccw_cmd::kNop, 0, SLI, 1);
  r = ch_.start(0x800, CcwFormat::kFormat1, true);
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[0], sense::kCommandReject);
  EXPECT_EQ(ch_.sense_bytes()[7], sense::kMsgCountTooSmall);
  EXPECT_EQ(r.subchannel_status, 0);
  EXPECT_EQ(r.ccw_address, 0x810u);

  put1(0x808, 0x23, 0x940, CC, 2);
  r = ch_.start(0x800, CcwFormat::kFormat1, true);
  EXPECT_FALSE(r.unit_check());
  EXPECT_EQ(r.subchannel_status, sch_stat::kIncorrectLength);
  EXPECT_EQ(r.residual, 1);
  EXPECT_EQ(r.ccw_address, 0x810u);

  put1(0x808, 0x23, 0x940, CC | SLI, 2);
  r = ch_.start(0x800, CcwFormat::kFormat1, true);
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(r.ccw_address, 0x818u);
}

// Search Key (Hercules ckddasd.c, case 0x29): the next record's key (R0
// skipped), Read Data then takes that record's data, Read Key and Data the
// next record's; a multi-track key search passes the index point even with
// the mark set.
TEST_P(SimChannelTest, SearchKeyEqualFindsTheKeyedRecord) {
  put_seek_arg(mem_, 0x900, 0, 0);
  put_bytes(mem_, 0x908, {0xD2, 0xF1});
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  put_ccw0(mem_, 0x808, 0x29, 0x908, CC, 2);
  put_ccw0(mem_, 0x810, ccw_cmd::kTic, 0x808, 0, 0);
  put_ccw0(mem_, 0x818, ccw_cmd::kReadData, 0x2000, CC | SLI, 100);
  put_ccw0(mem_, 0x820, 0x29, 0x908, CC | SLI, 2);                 // R2 has no key: no match
  put_ccw0(mem_, 0x828, ccw_cmd::kReadKeyData, 0x3000, SLI, 100);  // R3 (R2's key passed)
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x2000), 0x11);  // R1's data
  EXPECT_EQ(at(0x3000), 0x33);  // R3: R2 was searched, its key passed
}

TEST_P(SimChannelTest, MultiTrackKeySearchPassesTheIndexPointWithTheMarkSet) {
  const u8 k[] = {0xC1};
  vol_.add_record(0, 2, k, filled(12, 0x77));  // R2 of head 2, keyed
  for (u8 cmd : {u8{0xA9}, u8{0x29}}) {
    put_seek_arg(mem_, 0x900, 0, 1);
    put_bytes(mem_, 0x908, {0xC1});
    put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, CC, 6);
    for (u32 i = 0; i < 3; ++i) put_ccw0(mem_, 0x808 + 8 * i, ccw_cmd::kReadCount, 0x2000, CC, 8);
    put_ccw0(mem_, 0x820, cmd, 0x908, CC | SLI, 1);  // unkeyed records: nothing compared
    put_ccw0(mem_, 0x828, ccw_cmd::kTic, 0x820, 0, 0);
    put_ccw0(mem_, 0x830, ccw_cmd::kReadData, 0x3000, SLI, 100);
    mem_.data()[0x3000] = 0;
    IoResult r = run();
    if (cmd == 0xA9) {
      EXPECT_TRUE(r.ok()) << ch_.last_error();
      EXPECT_EQ(at(0x3000), 0x77);
      EXPECT_EQ(ch_.head(), 2);
    } else {
      EXPECT_TRUE(r.unit_check());
      EXPECT_EQ(ch_.sense_bytes()[1], sense::kNoRecordFound);
    }
  }
}

TEST_P(SimChannelTest, EndOfFileRecordGivesUnitException) {
  u32 next = orient(0x800, 0, 3, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, CC | SLI, 10);
  put_ccw0(mem_, next + 8, ccw_cmd::kNop, 0, 0, 1);
  IoResult r = run();
  EXPECT_EQ(r.device_status, kDone | dev_stat::kUnitException);
  EXPECT_EQ(r.ccw_address, next + 8);
}

TEST_P(SimChannelTest, SenseReturnsTheLastUnitCheckOnce) {
  u32 next = orient(0x800, 0, 1, 9);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, 0, 8);
  ASSERT_TRUE(run().unit_check());
  put_ccw0(mem_, 0x1000, ccw_cmd::kSense, 0x3000, 0, 32);
  IoResult r = run(0x1000);
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x3001), sense::kNoRecordFound);
  EXPECT_EQ(ch_.sense_bytes()[1], 0);  // read once, then reset
  // A start that does not begin with Sense drops pending sense data.
  ASSERT_TRUE(run().unit_check());
  put_ccw0(mem_, 0x1100, ccw_cmd::kNop, 0, 0, 1);
  EXPECT_TRUE(run(0x1100).ok());
  EXPECT_EQ(ch_.sense_bytes()[1], 0);
}

TEST_P(SimChannelTest, SenseIdIdentifiesA3390On3990) {
  put_ccw0(mem_, 0x800, ccw_cmd::kSenseId, 0x2000, SLI, 256);
  IoResult r = run();
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  const u8 id[] = {0xFF, 0x39, 0x90, 0xC2, 0x33, 0x90, 0x02, 0x00, 0x40, 0xFA, 0x01, 0x00};
  EXPECT_EQ(0, memcmp(mem_.data() + 0x2000, id, sizeof id));
  EXPECT_EQ(r.residual, 256 - 12);
}

TEST_P(SimChannelTest, DefineExtentAfterReadIplTakesItsParametersBeforeTheReject) {
  put_ccw0(mem_, 0x800, ccw_cmd::kReadIpl, 0x2000, CC | ccw_flag::kSuppressLength, 24);
  put_ccw0(mem_, 0x808, 0x63, 0x900, 0, 16);
  ch_.options().read_ipl_requires_read = false;  // not the rule under test here
  IoResult r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[0], sense::kCommandReject);
  EXPECT_EQ(r.ccw_address, 0x810u);
  EXPECT_EQ(r.residual, 0);  // Hercules: stat 0E00 count 0000
}

TEST_P(SimChannelTest, SeekOutsideTheVolumeIsRejected) {
  put_seek_arg(mem_, 0x900, 2, 0);  // cylinders 0..1 exist
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, 0, 6);
  IoResult r = run();
  EXPECT_TRUE(r.unit_check());
  EXPECT_EQ(ch_.sense_bytes()[0], sense::kCommandReject);
  put_seek_arg(mem_, 0x900, 1, 15);
  EXPECT_TRUE(run().unit_check());
}

TEST_P(SimChannelTest, ReadsAndSearchesNeedASeekFirstOn3990) {
  put_ccw0(mem_, 0x800, ccw_cmd::kReadData, 0x2000, 0, 24);
  put_search_arg(mem_, 0x908, 0, 0, 1);
  put_ccw0(mem_, 0x900, ccw_cmd::kSearchIdEqual, 0x908, 0, 5);
  for (u32 start : {0x800u, 0x900u}) {
    IoResult r = run(start);
    EXPECT_TRUE(r.unit_check()) << start;
    EXPECT_EQ(ch_.sense_bytes()[0], sense::kCommandReject);
    EXPECT_EQ(ch_.sense_bytes()[7], sense::kMsgInvalidSequence);
  }
  EXPECT_EQ(at(0x2000), 0);
}

TEST_P(SimChannelTest, PositionPersistsAcrossPrograms) {
  u32 next = orient(0x800, 1, 0, 1);
  put_ccw0(mem_, next, ccw_cmd::kReadData, 0x2000, 0, 20);
  ASSERT_TRUE(run().ok()) << ch_.last_error();
  EXPECT_EQ(ch_.cylinder(), 1);
  // Without the 3990 rule a new program reads from the index point of the
  // track the last one left: R1 of 1/0 again.
  ch_.options().require_seek_first = false;
  put_ccw0(mem_, 0x1000, ccw_cmd::kReadData, 0x3000, 0, 20);
  IoResult r = run(0x1000);
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x3000), 0x66);
  EXPECT_EQ(ch_.stats().starts, 2u);
}

TEST_P(SimChannelTest, ShortSeekArgumentIsCountTooSmall) {
  put_ccw0(mem_, 0x800, ccw_cmd::kSeek, 0x900, 0, 4);
  EXPECT_TRUE(run().unit_check());
  EXPECT_EQ(ch_.sense_bytes()[7], sense::kMsgCountTooSmall);
}

TEST_P(SimChannelTest, Format1CcwsWork) {
  auto put1 = [&](u32 addr, u8 cmd, u32 data, u8 flags, u16 count) {
    Ccw1 c = Ccw1::make(cmd, data, flags, count);
    mem_.write(addr, c.raw, 8);
  };
  put_seek_arg(mem_, 0x900, 0, 1);
  put_search_arg(mem_, 0x908, 0, 1, 1);
  put1(0x800, ccw_cmd::kSeek, 0x900, CC, 6);
  put1(0x808, ccw_cmd::kSearchIdEqual, 0x908, CC, 5);
  put1(0x810, ccw_cmd::kTic, 0x808, 0, 0);
  put1(0x818, ccw_cmd::kReadData, 0x100000 - 50, 0, 50);
  IoResult r = ch_.start(0x800, CcwFormat::kFormat1, true);
  EXPECT_TRUE(r.ok()) << ch_.last_error();
  EXPECT_EQ(at(0x100000 - 1), 0x44);
}

INSTANTIATE_TEST_SUITE_P(BothModes, SimChannelTest,
                         ::testing::Values(FetchMode::kRealChannel, FetchMode::kPrefetch),
                         [](const auto& info) {
                           return info.param == FetchMode::kRealChannel ? "RealChannel"
                                                                        : "Prefetch";
                         });

}  // namespace
}  // namespace ccwboot::sim
