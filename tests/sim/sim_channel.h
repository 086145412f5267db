// A channel subsystem + 3990/3390 control unit model for host tests: runs
// channel programs that sit in a SimMemory against a CkdVolume.
//
// Two ways of fetching CCWs (docs/simulator.md has the details):
//  * kRealChannel: each CCW is fetched from memory when it is reached, so a
//    program may read new CCWs from disk and then execute them.
//  * kPrefetch: vfio-ccw. At start the chain is copied the way the Linux
//    driver does (drivers/s390/cio/vfio_ccw_cp.c): a segment runs from the
//    start address while CCWs chain (CC or CD) or are TICs back into the
//    segment, ending with the first CCW that does neither, at most 256 CCWs;
//    every TIC whose target lies outside all segments copied so far starts
//    a new segment at the target (depth first, as the driver recurses).
//    Execution then uses only the copies: memory written by the program's
//    own reads never changes the running program. The channel steps
//    through the copy it is in; a TIC enters the first copy holding its
//    target. A copy failure (segment longer than 256, CCWs outside memory,
//    an IDAW list or IDAW page it cannot read or pin) ends the start with
//    unit exception and no CCW executed, as QEMU
//    reports vfio-ccw's errors. Stepping past the end of a copy (a status
//    modifier skipping the segment's last CCW) is a program check here,
//    even where another copy holds that guest address; on the real thing
//    it runs whatever follows the copy in host memory.
//  The `prefetch` argument of start() is recorded but does not change the
//  mode: vfio-ccw prefetches regardless, a real channel re-fetches here.
//
// Indirect data addressing (real channel): a CCW with the IDA flag names a
// list of format-1 IDAWs (31-bit, the IPL ORB's kind); the first may name any
// byte and covers up to the next 2 KiB boundary, each later one must name a
// 2 KiB boundary. Each IDAW is fetched when data reaches it; a misaligned
// list, bit 0 set, an address outside storage or a later IDAW off a boundary
// is a program check (as in Hercules). Prefetch mode (current kernels)
// copies each IDA CCW's list at the start -- as many IDAWs as 2 KiB blocks
// the count spans -- and runs that copy: a later rewrite of the list is not
// seen, an unaligned list is no program check, and every IDAW's page must
// be storage when data moves (vfio_ccw_cp.c, ccwchain_fetch_ccw).
//
// Device orientation (the same in both modes):
//  * The cylinder/head of the access mechanism persists across starts
//    (changed by Seek, Read IPL and multi-track reads).
//  * Search and Read commands need a Seek or Read IPL earlier in the same
//    program (the 3990 rule, SimOptions::require_seek_first); a Seek leaves
//    the device at the index point of its track. Without the rule, a program
//    starts at the index point of the current track.
//  * Search ID Equal compares the next count field (R0 included) with its 5
//    bytes; equal sets status modifier (the next CCW is skipped). Passing the
//    index point twice in one program without a match (or a read that needs
//    a record) ends with unit check, sense "no record found".
//  * Read Data / Read Key and Data transfer the record after a successful
//    Search (or the next record). Read Multiple-Track Data (0x86) moves on to
//    R1 of the next head at the end of a track; past head 14 it ends with
//    unit check "end of cylinder".
#pragma once

#include <array>
#include <string>
#include <vector>

#include "ccwboot/channel.h"
#include "ccwboot/clock.h"
#include "ckd_volume.h"
#include "sim_memory.h"

namespace ccwboot::sim {

enum class FetchMode : u8 { kRealChannel, kPrefetch };

struct SimOptions {
  // CCWs executed per start before giving up with IoOutcome::kTimeout
  // (an endless TIC loop must end).
  u32 step_bound = 100000;
  // vfio-ccw's CCWCHAIN_LEN_MAX: CCWs per copied segment.
  u32 prefetch_segment_max = 256;
  // Copied segments per start: the driver has no limit; this only bounds
  // the simulator's work on hostile programs.
  u32 prefetch_segments_max = 1024;
  // Hercules: the CCW chained after Read IPL must be Read Data, Read IPL or
  // NOP, else unit check command reject (sense byte 7 = 0x02, invalid
  // sequence). Real DASD allows a Seek there; keep on to match Hercules.
  bool read_ipl_requires_read = true;
  // 3990 (Hercules and the real control unit): Search and Read commands are
  // rejected (command reject, sense byte 7 = 0x02) unless a Seek or Read IPL
  // ran earlier in the same channel program. So a program cannot lean on
  // where the previous one left the heads.
  bool require_seek_first = true;
  // Keep a trace of executed CCWs (address + raw bytes) in trace().
  bool trace = false;
  // Simulated time (elapsed_us(), SimClock): each start and each CCW it
  // executes advance it, so time bounds are deterministic in tests. About
  // what a linked-list IPL through ccwboot costs in Hercules 3.13 (0.6 ms a
  // start, docs/dasd-ipl.md "Bounds").
  u32 start_us = 500;
  u32 ccw_us = 2;
};

struct SimStats {
  u64 starts = 0;           // start() calls
  u64 ccws = 0;             // CCWs executed (TICs included)
  u64 bytes_to_memory = 0;  // data bytes transferred into storage
  u64 prefetched_ccws = 0;  // CCWs copied by prefetch
  u64 unit_checks = 0;
  u64 program_checks = 0;
  u64 timeouts = 0;
  u64 idaws = 0;  // IDAWs fetched (real channel)
};

// Sense byte 0 and 1 bits (3990 format), and byte 7 message codes.
namespace sense {
inline constexpr u8 kCommandReject = 0x80;         // byte 0
inline constexpr u8 kInterventionRequired = 0x40;  // byte 0
inline constexpr u8 kEquipmentCheck = 0x10;        // byte 0
inline constexpr u8 kDataCheck = 0x08;             // byte 0
inline constexpr u8 kInvalidTrackFormat = 0x40;    // byte 1
inline constexpr u8 kEndOfCylinder = 0x20;         // byte 1
inline constexpr u8 kNoRecordFound = 0x08;         // byte 1
inline constexpr u8 kMsgInvalidCommand = 0x01;     // byte 7
inline constexpr u8 kMsgInvalidSequence = 0x02;    // byte 7
inline constexpr u8 kMsgCountTooSmall = 0x03;      // byte 7
inline constexpr u8 kMsgInvalidParameter = 0x04;   // byte 7
}  // namespace sense

struct TraceEntry {
  u32 address;  // where the CCW sat in guest memory
  std::array<u8, 8> raw;
  // After the CCW ran (not for a TIC), as Hercules' t+devno trace shows it
  // (HHCCP075I): unit and channel status, residual count, and for an input
  // command the first 16 bytes at its data address afterwards.
  bool ended = false;
  u8 device_status = 0;
  u8 channel_status = 0;
  u16 residual = 0;
  bool has_data = false;
  std::array<u8, 16> data{};
};

class SimChannel final : public Channel {
 public:
  SimChannel(CkdVolume& volume, SimMemory& memory, FetchMode mode, SimOptions options = {});

  // Channel: runs the program at `ccw_address`; see the header comment.
  // Ends with channel end + device end (plus unit check / status bits on
  // errors); ccw_address = last CCW executed + 8; residual of that CCW.
  IoResult start(u32 ccw_address, CcwFormat fmt, bool prefetch) override;

  FetchMode mode() const { return mode_; }
  void set_mode(FetchMode mode) { mode_ = mode; }
  SimOptions& options() { return options_; }

  const SimStats& stats() const { return stats_; }
  // Simulated microseconds over all starts (SimOptions::start_us, ccw_us).
  u64 elapsed_us() const { return elapsed_us_; }
  void reset_stats() { stats_ = {}; }

  // Sense bytes of the last unit check; kept until read by a Sense CCW or
  // replaced by the next unit check; a start that does not begin with Sense
  // clears them (the contingent allegiance is gone).
  const std::array<u8, 32>& sense_bytes() const { return sense_; }

  // Access mechanism position (persists across starts).
  u16 cylinder() const { return cyl_; }
  u16 head() const { return head_; }
  void set_position(u16 cyl, u16 head) {
    cyl_ = cyl;
    head_ = head;
  }

  // Why the last start ended abnormally, in words ("" if it ended cleanly).
  const std::string& last_error() const { return last_error_; }
  // Prefetch mode: the segments the last start copied (guest address of the
  // first CCW, CCW count), in copy order; empty in real-channel mode.
  struct Segment {
    u32 start;
    u32 count;
  };
  const std::vector<Segment>& last_segments() const { return segments_; }
  // Executed CCWs of the last start (only with options().trace).
  const std::vector<TraceEntry>& trace() const { return trace_; }

 private:
  class Run;  // one channel program's execution (sim_channel.cc)
  friend class Run;

  CkdVolume& volume_;
  SimMemory& memory_;
  FetchMode mode_;
  SimOptions options_;
  SimStats stats_;
  u64 elapsed_us_ = 0;
  std::array<u8, 32> sense_{};
  u16 cyl_ = 0;
  u16 head_ = 0;
  std::string last_error_;
  std::vector<Segment> segments_;
  std::vector<TraceEntry> trace_;
};

// A channel's simulated time as a clock (the DASD IPL's time budget).
class SimClock final : public Clock {
 public:
  explicit SimClock(const SimChannel& channel) : channel_(channel) {}
  u64 now_us() override { return channel_.elapsed_us(); }

 private:
  const SimChannel& channel_;
};

}  // namespace ccwboot::sim
