// Building blocks of the mkdasd shapes: format-0 channel programs with their
// Seek/Search arguments, IPL1 records and track-0 layout (shapes.cc and
// shapes_chain.cc use them).
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "ccwboot/arch/ccw.h"
#include "ccwboot/endian.h"
#include "ckd_volume.h"
#include "payload.h"
#include "shapes.h"

namespace ccwboot::sim::shape_detail {

constexpr u8 CC = ccw_flag::kChainCommand;
constexpr u8 CD = ccw_flag::kChainData;
constexpr u8 SLI = ccw_flag::kSuppressLength;

constexpr u32 kIpl2Address = 0x800;
constexpr u32 kPayloadAddress = 0x2000;
constexpr u32 kLow8kPayload = 0x200;
constexpr u32 kLow8kIpl2 = 0x3000;
constexpr u32 kStage1bAddress = 0x1000;
constexpr u32 kFirmwareAddress = 0x00E00000;
constexpr u32 kMultitrackRecord = 12288;

// 80C0DE00-80C0DFF0 for shapes 0-31, then 80C0E000 on: unique, never ending in FFF.
constexpr u64 good_psw(u32 n) {
  return n < 32 ? 0x000A000080C0DE00ull | (u64{n} << 4)
                : 0x000A000080C0E000ull | (u64{n - 32} << 4);
}

// Payload sizes (code block + checksummed filler).
constexpr u32 kSingleBlob = 4096 + kPayloadCodeSize;
constexpr u32 kZipl3Blob = 9000 + kPayloadCodeSize;
constexpr u32 kMultitrackBlob = 5 * kMultitrackRecord;
constexpr u32 kLow8kBlob = 0x2000 - kLow8kPayload;

// A format-0 channel program laid out at `base`: CCWs first, then the
// Seek/Search arguments they point at.
class Program {
 public:
  explicit Program(u32 base) : base_(base) {}

  // Index of the next CCW; its address is addr_of(index).
  u32 next() const { return static_cast<u32>(ccws_.size()); }
  u32 addr_of(u32 index) const { return base_ + index * 8; }

  void ccw(u8 cmd, u32 addr, u8 flags, u16 count) {
    ccws_.push_back({cmd, addr, flags, count, -1});
  }
  void tic_to(u32 index) { ccw(ccw_cmd::kTic, addr_of(index), 0, 0); }
  void seek(u16 cyl, u16 head, u8 flags = CC) {
    std::vector<u8> a(6, 0);
    be::store16(&a[2], cyl);
    be::store16(&a[4], head);
    arg_ccw(ccw_cmd::kSeek, flags, a);
  }
  // Search ID Equal (CC) of record cyl/head/rec.
  void search(u16 cyl, u16 head, u8 rec) {
    std::vector<u8> a(5, 0);
    be::store16(&a[0], cyl);
    be::store16(&a[2], head);
    a[4] = rec;
    arg_ccw(ccw_cmd::kSearchIdEqual, CC, a);
  }
  // Search ID Equal + TIC back to it: the orientation loop.
  void search_loop(u16 cyl, u16 head, u8 rec) {
    u32 at = next();
    search(cyl, head, rec);
    tic_to(at);
  }
  // Seek, search loop and a Read Data of one record.
  void read_record(u16 cyl, u16 head, u8 rec, u32 dest, u16 count, u8 read_flags) {
    seek(cyl, head);
    search_loop(cyl, head, rec);
    ccw(ccw_cmd::kReadData, dest, read_flags, count);
  }

  std::vector<u8> bytes() const {
    u32 arg_base = base_ + next() * 8;
    std::vector<u8> out(ccws_.size() * 8);
    std::vector<u8> args;
    for (size_t i = 0; i < ccws_.size(); ++i) {
      const Entry& e = ccws_[i];
      u32 addr = e.addr;
      if (e.arg >= 0) addr = arg_base + arg_offsets_[static_cast<size_t>(e.arg)];
      Ccw0 c = Ccw0::make(e.cmd, addr, e.flags, e.count);
      std::copy(c.raw, c.raw + 8, &out[i * 8]);
    }
    for (const auto& a : args_) out.insert(out.end(), a.begin(), a.end());
    return out;
  }

 private:
  struct Entry {
    u8 cmd;
    u32 addr;
    u8 flags;
    u16 count;
    int arg;  // index into args_, or -1 for an absolute address
  };
  void arg_ccw(u8 cmd, u8 flags, const std::vector<u8>& a) {
    arg_offsets_.push_back(args_size_);
    args_size_ += static_cast<u32>(a.size());
    args_.push_back(a);
    ccws_.push_back(
        {cmd, 0, flags, static_cast<u16>(a.size()), static_cast<int>(args_.size() - 1)});
  }

  u32 base_;
  std::vector<Entry> ccws_;
  std::vector<std::vector<u8>> args_;
  std::vector<u32> arg_offsets_;
  u32 args_size_ = 0;
};

inline std::vector<u8> ipl1(u64 psw, u8 read_cmd, u32 ipl2_addr, u16 ipl2_len, u32 tic_target) {
  std::vector<u8> r(24);
  be::store64(&r[0], psw);
  Ccw0 read = Ccw0::make(read_cmd, ipl2_addr, CC | SLI, ipl2_len);
  Ccw0 tic = Ccw0::make(ccw_cmd::kTic, tic_target, 0, 0);
  std::copy(read.raw, read.raw + 8, &r[8]);
  std::copy(tic.raw, tic.raw + 8, &r[16]);
  return r;
}

constexpr u64 esa_psw(u32 addr) { return 0x0008000080000000ull | addr; }

inline std::vector<u8> vol1_label(const std::string& volser) {
  std::vector<u8> d(80, 0x40);
  std::string head = ascii_to_ebcdic("VOL1");
  std::string ser = ascii_to_ebcdic((volser + "      ").substr(0, 6));
  std::copy(head.begin(), head.end(), d.begin());
  std::copy(ser.begin(), ser.end(), d.begin() + 4);
  // VTOC pointer CCHHR 0/1/1 (there is no VTOC; IPL does not look).
  const u8 vtoc[5] = {0, 0, 0, 1, 1};
  std::copy(vtoc, vtoc + 5, d.begin() + 11);
  std::string owner = ascii_to_ebcdic("CCWBOOT");
  std::copy(owner.begin(), owner.end(), d.begin() + 41);
  return d;
}

inline std::vector<u8> key(const char* text) {
  std::string k = ascii_to_ebcdic(text);
  return {k.begin(), k.end()};
}

// Track 0: R1 IPL1, R2 IPL2, R3 VOL1, as dasdinit lays them out.
inline void write_track0(CkdVolume& v, const std::vector<u8>& ipl1_data,
                         const std::vector<u8>& ipl2_data, const ShapeOptions& o) {
  v.add_record(0, 0, key("IPL1"), ipl1_data);
  v.add_record(0, 0, key("IPL2"), ipl2_data);
  v.add_record(0, 0, key("VOL1"), vol1_label(o.volser));
}

inline void add_data(CkdVolume& v, u16 cyl, u16 head, std::span<const u8> data) {
  v.add_record(cyl, head, {}, data);
}

inline std::span<const u8> slice(const std::vector<u8>& b, size_t off, size_t len) {
  return std::span<const u8>(b).subspan(off, len);
}

inline u16 u16len(size_t n) { return static_cast<u16>(n); }

// The requested size, but never less than the shape needs.
inline u32 cylinders(const ShapeOptions& o, u32 minimum) {
  return o.cylinders > minimum ? o.cylinders : minimum;
}

// Standard IPL1: read R2 (IPL2) to `ipl2_addr` and TIC there.
inline std::vector<u8> std_ipl1(u32 entry, const std::vector<u8>& ipl2, u32 ipl2_addr) {
  return ipl1(esa_psw(entry), ccw_cmd::kReadData, ipl2_addr, u16len(ipl2.size()), ipl2_addr);
}

// The issue-8 shapes (shapes_chain.cc).
CkdVolume make_read_next_ipl2(const ShapeOptions& o, u32 n);
CkdVolume make_search_first_ipl2(const ShapeOptions& o, u32 n);
CkdVolume make_after_read_ipl(const ShapeOptions& o, u8 command, u16 count);
CkdVolume make_pci_flag(const ShapeOptions& o, u32 n);
CkdVolume make_skip_flag(const ShapeOptions& o, u32 n);
CkdVolume make_ipl1_chain_on(const ShapeOptions& o, u32 n);
CkdVolume make_ldl_stage0(const ShapeOptions& o, u32 n);
CkdVolume make_ipl1_read_key_data(const ShapeOptions& o, u32 n);
CkdVolume make_linked_list(const ShapeOptions& o, u32 n, u32 blocks, bool ring);
inline constexpr u32 kLongLinkedListBlocks = 2000;  // a start each: far past any count of starts
// A ring longer than the starts a time budget allows (each ~0.4 ms in
// Hercules): no start repeats an earlier one before the budget ends it.
inline constexpr u32 kLongBlockRingBlocks = 8000;
CkdVolume make_read_tic_loop(const ShapeOptions& o);
enum class Continuation { kSearch, kSeekHead, kReadNext };
CkdVolume make_search_continuation(const ShapeOptions& o, u32 n, Continuation kind);
CkdVolume make_long_chain(const ShapeOptions& o, u32 n, u32 groups, u32 pieces);
CkdVolume make_segment_overrun(const ShapeOptions& o, u32 n);
inline constexpr u32 kLongChainGroups = 48;  // 336 CCWs in one segment
// 130 groups of 4 CCWs (one Read a record; 5 fetches with the TIC): more
// fetches than one piece's walk holds (kMaxPieceFetches), and IPL2 still
// ends below the payload.
inline constexpr u32 kVeryLongChainGroups = 130;
// Groups of Seek, Search ID Equal + TIC back, Read Data and a TIC on to the
// next group: each its own vfio-ccw segment. `ring`: the last TIC goes back
// to the first group, and each group is only Seek, Read Data and the TIC.
CkdVolume make_many_segments(const ShapeOptions& o, u32 n, u32 groups, bool ring);
inline constexpr u32 kManySegmentsGroups = 100;    // 100 segments, 600 fetches
inline constexpr u32 kSegmentRingOddGroups = 199;  // prime: the cuts never line up by themselves
inline constexpr u32 kSegmentRingGroups = 192;     // 576 fetches: more than one walk holds
CkdVolume make_hazard_past_cut(const ShapeOptions& o, u32 n);
inline constexpr u32 kHazardPastCutGroups = 70;  // 281 CCWs in one segment
// A cut whose continuation is a search loop, where the chain's index mark
// is clear (`set` false: a NOP after a Read Count that passed the index
// point) or may be set (`set` true: the search before passed it).
CkdVolume make_index_mark(const ShapeOptions& o, u32 n, bool set);

// The Hercules fuzzer's findings (shapes_findings.cc).
inline constexpr u32 kIdaPayload = kPayloadAddress - 0x80;  // not on a 2 KiB boundary
enum class IdaVariant : u8 { kGood, kBeyondStorage, kOffBoundary };
CkdVolume make_ida_read(const ShapeOptions& o, u32 n, IdaVariant variant);
CkdVolume make_ida_overwrite(const ShapeOptions& o, u32 n);
CkdVolume make_ida_scattered(const ShapeOptions& o, u32 n);
CkdVolume make_ida_list_rewritten(const ShapeOptions& o, u32 n);
CkdVolume make_search_tic_back(const ShapeOptions& o, u32 n, u32 tic_offset);
CkdVolume make_read_over_itself(const ShapeOptions& o, u32 n);

// Issue 8, session 4 (shapes_fidelity.cc).
CkdVolume make_data_chain_then_command(const ShapeOptions& o, u32 n, bool exact_end);
CkdVolume make_ipl1_data_chain_tic0(const ShapeOptions& o);
CkdVolume make_multitrack_continuation(const ShapeOptions& o, u32 n, u32 searches);

// Session 5, the commands the position model follows (shapes_commands.cc).
CkdVolume make_read_multiple_ckd(const ShapeOptions& o, u32 n, bool next);
CkdVolume make_read_track(const ShapeOptions& o, u32 n);
CkdVolume make_index_after_multitrack(const ShapeOptions& o, u32 n, bool home);
CkdVolume make_search_after_r0(const ShapeOptions& o, u32 n);
CkdVolume make_multitrack_search(const ShapeOptions& o, u32 n, bool cut);

// Orientation after many record moves (shapes_orientation.cc).
CkdVolume make_twelve_records(const ShapeOptions& o, u32 n);
CkdVolume make_multitrack_run(const ShapeOptions& o, u32 n, u32 reads, u32 group);
inline constexpr u32 kMultitrackRunReads = 300;  // one segment: more than vfio-ccw's 256
// The most reads after a search that a continuation can follow: its Seek
// program (Seek, Search ID Equal + TIC, a Read with SKIP per read, TIC)
// is one vfio-ccw segment of at most 256 CCWs, as ccwboot counts it: one
// more, room for a closing Read Count and NOP (track_position.h).
inline constexpr u32 kReplayLimitReads = 256 - 5;
inline constexpr u32 kReplayGroup = 100;  // reads per segment in replay_limit

}  // namespace ccwboot::sim::shape_detail
