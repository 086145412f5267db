// Channel program interpreter for the simulated 3990/3390 (see sim_channel.h).
#include "sim_channel.h"

#include <algorithm>
#include <cstring>

#include "ccwboot/endian.h"

namespace ccwboot::sim {
namespace {

constexpr u32 kPrefetchWindow = 256 * 8;  // vfio-ccw copies this much at each segment start
constexpr u8 kReadRecord0 = 0x16;
constexpr u8 kSeekCylinder = 0x0B;
constexpr u8 kSeekHead = 0x1B;
constexpr u8 kSetSector = 0x23;
constexpr u8 kReadMultipleCkd = 0x5E;
constexpr u8 kReadTrack = 0xDE;

// Sense ID of a 3390-2 behind a 3990-C2, as Hercules answers it.
constexpr u8 kSenseId[12] = {0xFF, 0x39, 0x90, 0xC2, 0x33, 0x90,
                             0x02, 0x00, 0x40, 0xFA, 0x01, 0x00};

// What the control unit takes right after Read IPL, inside the Locate Record
// domain Read IPL opens: reads and NOP (Hercules 3.13, seen with t+0120);
// Seek and Search are command rejects there, Read IPL is rejected by the
// extent rule below.
bool is_read_command(u8 cmd) {
  switch (cmd) {
    case ccw_cmd::kNop:
    case ccw_cmd::kReadData:
    case ccw_cmd::kReadMultipleTrackData:
    case ccw_cmd::kReadKeyData:
    case ccw_cmd::kReadKeyData | 0x80:
    case ccw_cmd::kReadCount:
    case ccw_cmd::kReadCount | 0x80:
    case kReadRecord0:
    case kReadRecord0 | 0x80:
    case ccw_cmd::kReadHomeAddress:
    case ccw_cmd::kReadHomeAddress | 0x80:
    case ccw_cmd::kReadCountKeyData:
    case ccw_cmd::kReadCountKeyData | 0x80: return true;
    default: return false;
  }
}

// Hercules 3.13 takes data chaining only on these (ckddasd.c,
// ckddasd_execute_ccw: "Command reject if data chaining and command is not
// READ"); any other command with CD is a command reject.
bool may_data_chain(u8 cmd) {
  if (cmd == ccw_cmd::kReadIpl || cmd == kReadMultipleCkd) return true;
  switch (cmd & 0x7F) {
    case ccw_cmd::kReadData:
    case ccw_cmd::kReadKeyData:
    case ccw_cmd::kReadCount:
    case kReadRecord0:
    case ccw_cmd::kReadHomeAddress:
    case ccw_cmd::kReadCountKeyData: return true;
    default: return false;
  }
}

// Search ID Equal / High / Equal or High, also multi-track (bit 0x80).
bool is_search_id(u8 cmd) {
  u8 b = cmd & 0x7F;
  return b == 0x31 || b == 0x51 || b == 0x71;
}

// Search Key Equal / High / Equal or High, also multi-track.
bool is_search_key(u8 cmd) {
  u8 b = cmd & 0x7F;
  return b == 0x29 || b == 0x49 || b == 0x69;
}

}  // namespace

// One channel program: the CCW fetch path, the data-transfer loop with data
// chaining, and the device commands. Ends by filling `result`.
class SimChannel::Run {
 public:
  Run(SimChannel& ch, CcwFormat fmt) : ch_(ch), fmt_(fmt) {}

  IoResult go(u32 start_address);

 private:
  enum class End { kContinue, kDone };

  // Current CCW being executed (after data chaining: the last one fetched).
  struct Cursor {
    u32 ccw_addr = 0;  // guest address of the CCW
    CcwFields f{};
    u32 data = 0;  // next data address (with IDA: inside the current IDAW's block)
    u32 left = 0;  // count left
    // IDA: the next IDAW's address, how many IDAWs were fetched, and the
    // bytes left in the block the last one names.
    u32 idaw_next = 0;
    u32 idaw_seq = 0;
    u32 block_left = 0;
    // Prefetch: the IDAWs vfio-ccw copied at the start for this CCW (the
    // channel runs the copy, not the list in storage); nullptr otherwise.
    const std::vector<u32>* idal = nullptr;
  };

  bool prefetch_copy(u32 start);
  bool copy_segment(u32 start);
  // `jump`: the start or a TIC's target (vfio-ccw: the first copy holding
  // it); otherwise the next CCW of the copy the channel is in.
  bool fetch(u32 addr, u8 raw[8], bool jump);
  // Validates a CCW that will transfer data (not a TIC). False = program check set.
  bool check_ccw(const CcwFields& f, bool data_chained = false);
  bool next_data_ccw();
  // Points the cursor at a CCW's data area (its count, its address or IDAW list).
  void begin_data(const CcwFields& f);
  // The next stretch of the data area, at most `want` bytes: its storage
  // address and length. With IDA the next IDAW is fetched when the current
  // block is used up. False = program check set.
  bool data_chunk(u32 want, u32* addr, u32* n);
  bool fetch_idaw();
  // The cursor moved past `n` bytes.
  void advance(u32 n);
  // Counts a fetched CCW and keeps it in the trace when asked to.
  void record(u32 addr, const u8 raw[8]);
  // The trace's last CCW has ended: its status, residual and data.
  void record_end();

  // Device → storage over the data chain. False when the run must end
  // (program check); sets il_ when lengths disagree and SLI is off.
  bool transfer_in(const u8* src, u32 len);
  // Storage → device: up to `need` bytes into out; returns bytes supplied, or
  // -1 on program check.
  int transfer_out(u8* out, u32 need);

  End execute();
  void unit_check(u8 byte0, u8 byte1, u8 msg, const std::string& why);
  void program_check(const std::string& why);

  // Device helpers.
  const CkdTrack* cur_track() const { return ch_.volume_.track(ch_.cyl_, ch_.head_); }
  // Hercules' mt_advance: on to the next head, or unit check "end of
  // cylinder" past the last one. False = unit check set.
  bool next_head(const char* what);
  // Read Multiple CKD: every record from the head's place to the end of the
  // track, count, key and data each.
  End read_multiple_ckd();
  // Moves to the next count field to be read; nullptr with unit check set
  // when none can be found. include_r0: searches see R0.
  // `key_search`: a multi-track key search neither ends at the index point
  // nor sets the index mark going on (Hercules ckddasd.c, ckd_read_count).
  const CkdRecord* next_record(bool include_r0, bool multitrack, bool* is_r0,
                               bool key_search = false);

  SimChannel& ch_;
  CcwFormat fmt_;
  Cursor cur_;
  u8 dstat_ = 0;
  u8 schstat_ = 0;
  bool il_ = false;
  bool first_command_ = true;
  bool after_read_ipl_ = false;
  bool read_ipl_ran_ = false;  // Read IPL set extent and file mask for the rest of the program
  bool pci_ = false;           // a CCW with the PCI flag was fetched
  bool seeked_ = false;        // a Seek or Read IPL ran in this program
  u32 steps_ = 0;
  bool timed_out_ = false;

  // Orientation: index into the track's count fields (0 = R0, k = records[k-1])
  // of the next count to be read; `oriented_` = the record whose count was
  // read last (its key/data are next), -1 none; r0 flag for R0.
  int next_count_ = 0;
  int oriented_ = -1;
  int index_passes_ = 0;
  // Read Multiple CKD left the head at the end of the track (Hercules'
  // CKDORIENT_EOT): the next command that looks for a count first moves on
  // to the next head, multi-track or not (ckddasd.c, ckd_read_count).
  bool at_eot_ = false;
  // A key search read the key of record `oriented_` (Hercules'
  // CKDORIENT_KEY): Read Data takes its data, a read or search that needs a
  // count goes on with the next record.
  bool key_passed_ = false;

  struct Copy {
    u32 start;
    std::vector<u8> bytes;
    // vfio-ccw's copy of each IDA CCW's IDAW list, by the CCW's index in the copy.
    std::vector<std::vector<u32>> idals;
  };
  // Copies the IDAW list of the IDA CCW `f` as vfio-ccw does; false (with
  // last_error_) when the driver would fail the start.
  bool copy_idal(const CcwFields& f, u32 at, std::vector<u32>& out);
  std::vector<Copy> copies_;
  size_t copy_ = 0;  // prefetch: the copy the channel steps through
};

void SimChannel::Run::unit_check(u8 byte0, u8 byte1, u8 msg, const std::string& why) {
  dstat_ |= dev_stat::kUnitCheck;
  ch_.sense_.fill(0);
  ch_.sense_[0] = byte0;
  ch_.sense_[1] = byte1;
  ch_.sense_[7] = msg;
  ch_.last_error_ = "unit check: " + why;
  ch_.stats_.unit_checks++;
}

void SimChannel::Run::program_check(const std::string& why) {
  schstat_ |= sch_stat::kProgramCheck;
  ch_.last_error_ = "program check: " + why;
  ch_.stats_.program_checks++;
}

bool SimChannel::Run::copy_segment(u32 start) {
  const SimOptions& o = ch_.options_;
  if (copies_.size() >= o.prefetch_segments_max) {
    ch_.last_error_ = "prefetch: too many chain segments";
    return false;
  }
  if (!ch_.memory_.contains(start, kPrefetchWindow)) {
    ch_.last_error_ = "prefetch: CCW segment at " + std::to_string(start) + " outside storage";
    return false;
  }
  const u8* mem = ch_.memory_.data();
  u32 cnt = 0;
  for (;;) {
    const u8* raw = mem + start + cnt * 8;
    // vfio-ccw counts up to CCWCHAIN_LEN_MAX + 1 and refuses a segment that
    // reaches it, whether or not that CCW would have ended the segment.
    if (++cnt > o.prefetch_segment_max) {
      ch_.last_error_ =
          "prefetch: chain segment longer than " + std::to_string(o.prefetch_segment_max) + " CCWs";
      return false;
    }
    CcwFields f = decode_ccw(raw, fmt_);
    bool tic = fmt_ == CcwFormat::kFormat0 ? is_tic(f.command) : f.command == ccw_cmd::kTic;
    // Format-0 TICs lose their flags in vfio-ccw's conversion to format 1;
    // format-1 CCWs keep theirs, TIC or not.
    bool chains = (fmt_ == CcwFormat::kFormat1 || !tic) &&
                  (f.flags & (ccw_flag::kChainCommand | ccw_flag::kChainData));
    bool tic_back = tic && f.address >= start && f.address <= start + (cnt - 1) * 8;
    if (!chains && !tic_back) break;
  }
  Copy copy{start, std::vector<u8>(mem + start, mem + start + cnt * 8), {}};
  copy.idals.resize(cnt);
  // Data areas are pinned at prefetch: each must be storage, used or not.
  // IDA (current kernels; format-0 TICs lose the flag in the conversion to
  // format 1): the IDAW list is copied now, later rewrites are not seen.
  for (u32 i = 0; i < cnt; ++i) {
    CcwFields f = decode_ccw(&copy.bytes[i * 8], fmt_);
    bool tic = fmt_ == CcwFormat::kFormat0 ? is_tic(f.command) : f.command == ccw_cmd::kTic;
    if (tic) continue;
    if ((f.flags & ccw_flag::kIndirect) && !copy_idal(f, start + i * 8, copy.idals[i]))
      return false;
    bool moves = f.count != 0 && f.command != ccw_cmd::kNop;
    u32 cmd = f.command;
    if (moves && (f.flags & ccw_flag::kSkip) &&
        ((cmd & 0x03) == 0x02 || (cmd & 0x0F) == 0x0C || (cmd & 0x0F) == 0x04))
      moves = false;
    if (f.flags & ccw_flag::kIndirect) moves = false;  // copy_idal pinned the IDAWs' pages
    if (moves && !ch_.memory_.contains(f.address, f.count)) {
      ch_.last_error_ =
          "prefetch: data area of CCW at " + std::to_string(start + i * 8) + " outside storage";
      return false;
    }
  }
  ch_.segments_.push_back({start, cnt});
  ch_.stats_.prefetched_ccws += cnt;
  copies_.push_back(std::move(copy));
  size_t self = copies_.size() - 1;
  for (u32 i = 0; i < cnt; ++i) {
    CcwFields f = decode_ccw(&copies_[self].bytes[i * 8], fmt_);
    bool tic = fmt_ == CcwFormat::kFormat0 ? is_tic(f.command) : f.command == ccw_cmd::kTic;
    if (!tic) continue;
    bool known = false;
    for (const Copy& c : copies_) {
      u32 tail = c.start + static_cast<u32>(c.bytes.size()) - 8;
      if (f.address >= c.start && f.address <= tail) known = true;
    }
    if (!known && !copy_segment(f.address)) return false;
  }
  return true;
}

bool SimChannel::Run::prefetch_copy(u32 start) { return copy_segment(start); }

// vfio_ccw_cp.c, ccw_count_idaws and get_guest_idal: as many format-1 IDAWs
// as 2 KiB blocks the count (0 counts as 1) spans from the first IDAW's
// offset, read 8 bytes per IDAW; ccwchain_fetch_ccw pins the page of each
// when data moves (one outside storage, or with bit 0 set, fails).
bool SimChannel::Run::copy_idal(const CcwFields& f, u32 at, std::vector<u32>& out) {
  constexpr u32 kBlock = 0x800;
  u8 w[4];
  u32 first = ch_.memory_.read(f.address, w, 4) ? be::load32(w) : 0;
  u32 bytes = f.count ? f.count : 1;
  u32 words = ((first & (kBlock - 1)) + bytes + kBlock - 1) / kBlock;
  if (!ch_.memory_.contains(f.address, words * 8)) {
    ch_.last_error_ = "prefetch: IDAW list of CCW at " + std::to_string(at) + " outside storage";
    return false;
  }
  u32 cmd = f.command;
  bool moves = f.count != 0 && cmd != ccw_cmd::kNop &&
               !((f.flags & ccw_flag::kSkip) &&
                 ((cmd & 0x03) == 0x02 || (cmd & 0x0F) == 0x0C || (cmd & 0x0F) == 0x04));
  out.clear();
  for (u32 k = 0; k < words; ++k) {
    ch_.memory_.read(f.address + 4 * k, w, 4);
    u32 idaw = be::load32(w);
    if (moves && !ch_.memory_.contains(idaw & ~0xFFFu, 1)) {
      ch_.last_error_ = "prefetch: cannot pin IDAW " + std::to_string(k) + " (" +
                        std::to_string(idaw) + ") of CCW at " + std::to_string(at);
      return false;
    }
    out.push_back(idaw);
  }
  return true;
}

bool SimChannel::Run::fetch(u32 addr, u8 raw[8], bool jump) {
  if (addr & 7) {
    program_check("CCW address " + std::to_string(addr) + " not doubleword aligned");
    return false;
  }
  if (ch_.mode_ == FetchMode::kRealChannel) {
    if (!ch_.memory_.read(addr, raw, 8)) {
      program_check("CCW address " + std::to_string(addr) + " outside storage");
      return false;
    }
    return true;
  }
  // Prefetch: the channel runs vfio-ccw's copies. A TIC enters the first
  // copy that holds its target (ccwchain_fetch_tic: first to last CCW,
  // inclusive); every other fetch steps on within the same copy, whatever
  // other copy may hold the same guest address.
  if (jump) {
    bool found = false;
    for (size_t i = 0; i < copies_.size() && !found; ++i) {
      const Copy& c = copies_[i];
      if (addr >= c.start && addr + 8 <= c.start + c.bytes.size()) {
        copy_ = i;
        found = true;
      }
    }
    if (!found) {
      program_check("TIC target " + std::to_string(addr) + " lies in no prefetched copy");
      return false;
    }
  }
  const Copy& c = copies_[copy_];
  if (addr < c.start || addr + 8 > c.start + c.bytes.size()) {
    program_check("CCW at " + std::to_string(addr) + " is past the end of the copied segment at " +
                  std::to_string(c.start) + " (" + std::to_string(c.bytes.size() / 8) +
                  " CCWs): vfio-ccw's channel would run host memory there");
    return false;
  }
  std::memcpy(raw, &c.bytes[addr - c.start], 8);
  return true;
}

bool SimChannel::Run::check_ccw(const CcwFields& f, bool data_chained) {
  // A data-chained CCW's command code is not used, so it is not checked.
  if (!data_chained && (f.command & 0x0F) == 0) {
    program_check("invalid command code " + std::to_string(f.command));
    return false;
  }
  if (f.flags & ccw_flag::kSuspend) {
    program_check("suspend flag without suspend control");
    return false;
  }
  if (fmt_ == CcwFormat::kFormat0 && f.count == 0) {
    program_check("format-0 CCW with count 0");
    return false;
  }
  if (fmt_ == CcwFormat::kFormat1 && (f.address & 0x80000000u)) {
    program_check("format-1 data address bit 0 set");
    return false;
  }
  return true;
}

void SimChannel::Run::record(u32 addr, const u8 raw[8]) {
  ch_.stats_.ccws++;
  if (!ch_.options_.trace) return;
  TraceEntry t{addr, {}};
  std::copy(raw, raw + 8, t.raw.begin());
  ch_.trace_.push_back(t);
}

void SimChannel::Run::record_end() {
  if (!ch_.options_.trace || ch_.trace_.empty()) return;
  TraceEntry& t = ch_.trace_.back();
  t.ended = true;
  t.device_status = static_cast<u8>(dstat_ | dev_stat::kChannelEnd | dev_stat::kDeviceEnd);
  t.channel_status = static_cast<u8>(schstat_ | (il_ ? sch_stat::kIncorrectLength : 0));
  t.residual = static_cast<u16>(cur_.left);
  // Input commands (the chain's command in a data chain): read, sense, read backward.
  u8 c = cur_.f.command;
  if ((c & 0x03) == 0x02 || (c & 0x0F) == 0x04 || (c & 0x0F) == 0x0C) {
    t.has_data = ch_.memory_.read(cur_.f.address, t.data.data(), static_cast<u32>(t.data.size()));
  }
}

// Follows a data chain to the next CCW (through one TIC at most).
bool SimChannel::Run::next_data_ccw() {
  if (++steps_ > ch_.options_.step_bound) {
    timed_out_ = true;
    return false;
  }
  record_end();  // the CCW whose count ran out
  u32 addr = cur_.ccw_addr + 8;
  u8 raw[8];
  if (!fetch(addr, raw, false)) return false;
  CcwFields f = decode_ccw(raw, fmt_);
  record(addr, raw);
  if (is_tic(f.command)) {
    cur_.ccw_addr = addr;
    addr = f.address;
    if (!fetch(addr, raw, true)) return false;
    f = decode_ccw(raw, fmt_);
    record(addr, raw);
    if (is_tic(f.command)) {
      cur_.ccw_addr = addr;
      program_check("TIC to a TIC");
      return false;
    }
  }
  cur_.ccw_addr = addr;
  if (!check_ccw(f, true)) return false;
  // In a data chain the command code is ignored; flags, count and address are new.
  cur_.f.flags = f.flags;
  cur_.f.count = f.count;
  cur_.f.address = f.address;
  begin_data(f);
  return true;
}

void SimChannel::Run::begin_data(const CcwFields& f) {
  cur_.data = f.address;
  cur_.left = f.count;
  cur_.idaw_next = f.address;
  cur_.idaw_seq = 0;
  cur_.block_left = 0;
  cur_.idal = nullptr;
  if (ch_.mode_ == FetchMode::kPrefetch && (f.flags & ccw_flag::kIndirect)) {
    const Copy& c = copies_[copy_];
    u32 i = (cur_.ccw_addr - c.start) / 8;
    if (cur_.ccw_addr >= c.start && i < c.idals.size()) cur_.idal = &c.idals[i];
  }
}

// Format-1 IDAWs, the kind an ORB without the format-2-IDAW bit selects (as
// the IPL's does), for format-0 and format-1 CCWs alike: a word each, bit 0
// zero. The first may name any byte and covers up to the next 2 KiB
// boundary; every later one must name a 2 KiB boundary and covers 2 KiB. An
// IDAW is fetched only when data reaches it (Hercules channel.c, fetch_idaw
// and copy_iobuf; PoP, "Indirect Data Addressing").
bool SimChannel::Run::fetch_idaw() {
  constexpr u32 kBlock = 0x800;
  u32 at = cur_.idaw_next;
  u32 idaw = 0;
  if (cur_.idal) {
    // vfio-ccw's channel runs its own (aligned) copy of the list, taken at
    // the start; it keeps each IDAW's offset, so the checks below apply.
    if (cur_.idaw_seq >= cur_.idal->size()) {
      program_check("IDAW " + std::to_string(cur_.idaw_seq) + " past vfio-ccw's copy of the list");
      return false;
    }
    idaw = (*cur_.idal)[cur_.idaw_seq];
  } else {
    if (at & 3) {
      program_check("IDAW address " + std::to_string(at) + " not word aligned");
      return false;
    }
    u8 w[4];
    if (!ch_.memory_.read(at, w, 4)) {
      program_check("IDAW at " + std::to_string(at) + " outside storage");
      return false;
    }
    idaw = be::load32(w);
  }
  if (idaw & 0x80000000u) {
    program_check("format-1 IDAW at " + std::to_string(at) + " has bit 0 set");
    return false;
  }
  if (!ch_.memory_.contains(idaw, 1)) {
    program_check("IDAW data address " + std::to_string(idaw) + " outside storage");
    return false;
  }
  if (cur_.idaw_seq > 0 && (idaw & (kBlock - 1))) {
    program_check("IDAW " + std::to_string(cur_.idaw_seq) + " names " + std::to_string(idaw) +
                  ", not a 2 KiB boundary");
    return false;
  }
  cur_.data = idaw;
  cur_.block_left = kBlock - (idaw & (kBlock - 1));
  cur_.idaw_next = at + 4;
  cur_.idaw_seq++;
  ch_.stats_.idaws++;
  return true;
}

bool SimChannel::Run::data_chunk(u32 want, u32* addr, u32* n) {
  if (!(cur_.f.flags & ccw_flag::kIndirect)) {
    *addr = cur_.data;
    *n = want;
    return true;
  }
  if (cur_.block_left == 0 && !fetch_idaw()) return false;
  *addr = cur_.data;
  *n = std::min(want, cur_.block_left);
  return true;
}

void SimChannel::Run::advance(u32 n) {
  cur_.data += n;
  cur_.left -= n;
  if (cur_.f.flags & ccw_flag::kIndirect) cur_.block_left -= n;
}

bool SimChannel::Run::transfer_in(const u8* src, u32 len) {
  u32 off = 0;
  for (;;) {
    u32 n = std::min(cur_.left, len - off);
    if (n && (cur_.f.flags & ccw_flag::kSkip)) {
      // Nothing is stored, so no IDAW is fetched either.
      off += n;
      cur_.left -= n;
      continue;
    }
    if (n) {
      u32 at = 0;
      if (!data_chunk(n, &at, &n)) {
        // A bad IDAW: Hercules 3.13 moves the data only after the device
        // ended the CCW (channel.c, copy_iobuf), so the residual count is
        // the device's, as if the whole record had been transferred.
        cur_.left -= std::min(cur_.left, len - off);
        return false;
      }
      if (!ch_.memory_.channel_write(at, src + off, n)) {
        program_check("data address " + std::to_string(at) + " outside storage");
        return false;
      }
      ch_.stats_.bytes_to_memory += n;
      off += n;
      advance(n);
      continue;
    }
    if (off == len) {
      // The record ended. Under data chaining SLI does not suppress
      // incorrect length: a record that ends before the count of a CCW with
      // CD ends the program with IL, and the next CCW of the data chain is
      // never fetched. A record that ends exactly where such a count does
      // lets the channel fetch it all the same; it gets no data, so it ends
      // with its whole count as residual -- IL unless it has SLI and no CD,
      // and then command chaining goes on from it (Hercules 3.13 channel.c
      // execute_ccw_chain, ckddasd.c ckddasd_execute_ccw for a data-chained
      // read; docs/dasd-ipl.md, "Data chaining").
      const u8 fl = cur_.f.flags;
      if (cur_.left > 0) {
        if ((fl & ccw_flag::kChainData) || !(fl & ccw_flag::kSuppressLength)) il_ = true;
        return true;
      }
      if (fl & ccw_flag::kChainData) {
        if (!next_data_ccw()) return false;
        const u8 nf = cur_.f.flags;
        if ((nf & ccw_flag::kChainData) || !(nf & ccw_flag::kSuppressLength)) il_ = true;
      }
      return true;
    }
    // More data than this CCW holds.
    if (cur_.f.flags & ccw_flag::kChainData) {
      if (!next_data_ccw()) return false;
      continue;
    }
    if (!(cur_.f.flags & ccw_flag::kSuppressLength)) il_ = true;
    return true;
  }
}

int SimChannel::Run::transfer_out(u8* out, u32 need) {
  u32 got = 0;
  for (;;) {
    u32 n = std::min(cur_.left, need - got);
    if (n) {
      u32 at = 0;
      if (!data_chunk(n, &at, &n)) return -1;
      if (!ch_.memory_.read(at, out + got, n)) {
        program_check("data address " + std::to_string(at) + " outside storage");
        return -1;
      }
      got += n;
      advance(n);
      continue;
    }
    if (got == need) {
      if (cur_.left > 0 && !(cur_.f.flags & ccw_flag::kSuppressLength)) il_ = true;
      return static_cast<int>(got);
    }
    if (cur_.f.flags & ccw_flag::kChainData) {
      if (!next_data_ccw()) return -1;
      continue;
    }
    if (!(cur_.f.flags & ccw_flag::kSuppressLength)) il_ = true;
    return static_cast<int>(got);
  }
}

const CkdRecord* SimChannel::Run::next_record(bool include_r0, bool multitrack, bool* is_r0,
                                              bool key_search) {
  *is_r0 = false;
  if (at_eot_ && !next_head("a read after Read Multiple CKD")) return nullptr;
  // Each pass either returns, or passes the index point (bounded by the pass
  // counter), or changes track (bounded by the heads of the cylinder).
  for (u32 guard = 0; guard < 4 * k3390Heads + 4; ++guard) {
    const CkdTrack* t = cur_track();
    if (!t) {
      unit_check(sense::kEquipmentCheck, 0, 0, "access mechanism outside the volume");
      return nullptr;
    }
    int total = static_cast<int>(t->records.size()) + 1;
    if (next_count_ == 0 && !include_r0) next_count_ = 1;
    if (next_count_ < total) {
      int k = next_count_++;
      oriented_ = k;
      if (k == 0) {
        *is_r0 = true;
        return nullptr;
      }
      return &t->records[k - 1];
    }
    // End of track: the index point. A multi-track search ends there with
    // no record found while the index mark is set, as a single-track one
    // does; a multi-track read or key search never does (Hercules
    // ckddasd.c ckd_read_count).
    if (multitrack && !(include_r0 && index_passes_ >= 1)) {
      if (!next_head("multi-track read")) return nullptr;
      // A multi-track read sets the index mark as it goes on to the next
      // track; a search does not (Hercules ckddasd.c ckd_read_count).
      if (!include_r0 && !key_search) index_passes_ = 1;
      continue;
    }
    // The second index point while the mark is set: no record found.
    if (++index_passes_ >= 2) {
      unit_check(0, sense::kNoRecordFound, 0,
                 "no record found (index point passed twice on track " + std::to_string(ch_.cyl_) +
                     "/" + std::to_string(ch_.head_) + ")");
      return nullptr;
    }
    next_count_ = 0;
    oriented_ = -1;
  }
  unit_check(sense::kEquipmentCheck, 0, 0, "orientation lost");
  return nullptr;
}

bool SimChannel::Run::next_head(const char* what) {
  at_eot_ = false;
  if (u32{ch_.head_} + 1 >= k3390Heads) {
    unit_check(0, sense::kEndOfCylinder, 0, std::string(what) + " ran past the last head");
    return false;
  }
  ch_.head_++;
  next_count_ = 0;
  oriented_ = -1;
  return true;
}

// Hercules 3.13 ckddasd.c, case 0x5E: from the next count (the one after a
// count just read, or after R0: R0 is skipped) to the end-of-track marker;
// the head stays there (CKDORIENT_EOT). Already there: first on to the next
// head. Past the last head that advance fails, and Hercules then ends the
// command normally with no data (its unit status is overwritten after the
// loop); the simulator does the same.
SimChannel::Run::End SimChannel::Run::read_multiple_ckd() {
  std::vector<u8> buf;
  bool moved = !at_eot_ || next_head("Read Multiple CKD");
  if (!moved) {
    dstat_ &= static_cast<u8>(~dev_stat::kUnitCheck);
    ch_.last_error_.clear();
  }
  const CkdTrack* t = cur_track();
  if (moved && t) {
    if (next_count_ == 0) next_count_ = 1;
    for (int k = next_count_; k <= static_cast<int>(t->records.size()); ++k) {
      const CkdRecord& r = t->records[k - 1];
      u8 count[8];
      r.count_field(count);
      buf.insert(buf.end(), count, count + 8);
      buf.insert(buf.end(), r.key.begin(), r.key.end());
      buf.insert(buf.end(), r.data.begin(), r.data.end());
    }
    next_count_ = static_cast<int>(t->records.size()) + 1;
    oriented_ = -1;
    at_eot_ = true;
  }
  return transfer_in(buf.data(), static_cast<u32>(buf.size())) ? End::kContinue : End::kDone;
}

SimChannel::Run::End SimChannel::Run::execute() {
  const u8 cmd = cur_.f.command;
  const bool clear_sense_now = first_command_ && cmd != ccw_cmd::kSense;
  if (clear_sense_now) ch_.sense_.fill(0);
  first_command_ = false;

  if (after_read_ipl_ && ch_.options_.read_ipl_requires_read && !is_read_command(cmd)) {
    unit_check(
        sense::kCommandReject, 0, sense::kMsgInvalidSequence,
        "command " + std::to_string(cmd) + " chained after Read IPL (Hercules allows only reads)");
    return End::kDone;
  }
  // The CCW after Read IPL is still in the Locate Record domain Read IPL
  // opens (ckdlcount 2, one for each): there Read R0 and Read Home Address
  // MT do not move to the next head (ckddasd.c, "outside domain of a
  // Locate Record").
  const bool in_read_ipl_domain = after_read_ipl_;
  after_read_ipl_ = false;
  const bool key_passed = key_passed_;
  key_passed_ = false;

  // Read IPL counts as Define Extent and Set File Mask for the rest of the
  // program (Hercules ckddasd.c, ckddasd_execute_ccw case 0x02 sets ckdxtdef
  // and ckdsetfm; Define Extent, Set File Mask and Read IPL reject when set).
  if (read_ipl_ran_ &&
      (cmd == 0x63 || cmd == 0x1F || cmd == ccw_cmd::kReadIpl || cmd == 0x47 || cmd == 0x4B)) {
    // Define Extent takes its 16 parameter bytes before the control unit
    // checks the sequence: the rejected CCW ends with residual count - 16, as
    // in Hercules (ckddasd.c computes the residual first).
    if (cmd == 0x63) {
      u8 extent[16];
      if (transfer_out(extent, sizeof extent) < 0) return End::kDone;
    }
    unit_check(sense::kCommandReject, 0, sense::kMsgInvalidSequence,
               "command " + std::to_string(cmd) + " after Read IPL in the same program");
    return End::kDone;
  }

  // Hercules (like the 3990) allows data chaining only on reads.
  if ((cur_.f.flags & ccw_flag::kChainData) && !may_data_chain(cmd)) {
    unit_check(sense::kCommandReject, 0, sense::kMsgInvalidCommand,
               "data chaining on command " + std::to_string(cmd));
    return End::kDone;
  }

  const u8 base_cmd = cmd & 0x7F;
  const bool needs_seek = is_search_id(cmd) || is_search_key(cmd) ||
                          base_cmd == ccw_cmd::kReadData || base_cmd == ccw_cmd::kReadKeyData ||
                          base_cmd == ccw_cmd::kReadCount || base_cmd == kReadRecord0 ||
                          base_cmd == ccw_cmd::kReadHomeAddress ||
                          base_cmd == ccw_cmd::kReadCountKeyData || cmd == kReadMultipleCkd;
  if (needs_seek && ch_.options_.require_seek_first && !seeked_) {
    unit_check(sense::kCommandReject, 0, sense::kMsgInvalidSequence,
               "command " + std::to_string(cmd) + " without a Seek earlier in the program (3990)");
    return End::kDone;
  }

  // The index mark (index_passes_): every command clears it as it begins,
  // but Read Count, Read Sector and the ID and key searches (each also
  // multi-track) keep it (Hercules 3.13 ckddasd.c, ckddasd_execute_ccw,
  // "Reset index marker flag if ..."). So a search loop that passes the
  // index point once after a Read Data still finds its record, and one
  // that follows a Read Count which passed it does not.
  switch (cmd & 0x7F) {
    case 0x12:
    case 0x22:
    case 0x29:
    case 0x31:
    case 0x49:
    case 0x51:
    case 0x69:
    case 0x71: break;
    default: index_passes_ = 0;
  }

  switch (cmd) {
    case ccw_cmd::kNop:
      // No data; the count is not checked against anything.
      return End::kContinue;

    case ccw_cmd::kSense: {
      u8 s[32];
      std::memcpy(s, ch_.sense_.data(), 32);
      ch_.sense_.fill(0);
      return transfer_in(s, 32) ? End::kContinue : End::kDone;
    }

    case ccw_cmd::kSenseId:
      return transfer_in(kSenseId, sizeof kSenseId) ? End::kContinue : End::kDone;

    case ccw_cmd::kSeek:
    case kSeekCylinder:
    case kSeekHead: {
      // 3990: Seek Head only after a Seek (or Read IPL) in the same program
      // (Hercules ckddasd.c, case 0x1B); it keeps the current cylinder.
      if (cmd == kSeekHead && ch_.options_.require_seek_first && !seeked_) {
        unit_check(sense::kCommandReject, 0, sense::kMsgInvalidSequence,
                   "Seek Head without a Seek earlier in the program (3990)");
        return End::kDone;
      }
      u8 arg[6] = {};
      int got = transfer_out(arg, 6);
      if (got < 0) return End::kDone;
      if (got < 6) {
        unit_check(sense::kCommandReject, 0, sense::kMsgCountTooSmall,
                   "Seek with fewer than 6 bytes");
        return End::kDone;
      }
      u16 bb = be::load16(arg), cc = be::load16(arg + 2), hh = be::load16(arg + 4);
      if (cmd == kSeekHead) cc = ch_.cyl_;
      if (bb != 0 || !ch_.volume_.valid_track(cc, hh)) {
        unit_check(
            sense::kCommandReject, 0, sense::kMsgInvalidParameter,
            "Seek to " + std::to_string(cc) + "/" + std::to_string(hh) + " outside the volume");
        return End::kDone;
      }
      ch_.cyl_ = cc;
      ch_.head_ = hh;
      seeked_ = true;
      next_count_ = 0;
      oriented_ = -1;
      index_passes_ = 0;
      at_eot_ = false;
      return End::kContinue;
    }

    case kSetSector: {
      // Hercules 3.13 ckddasd.c, case 0x23: a control command that only
      // takes its 1-byte sector number; orientation, the record a search
      // found and at_eot_ stay, the index mark clears (above). Never status
      // modifier. Rejects (sense byte 7): inside a Locate Record domain
      // (after Read IPL: the read_ipl_requires_read rule above), without a
      // Seek or Read IPL earlier in the program (3990), count 0 (0x03).
      if (ch_.options_.require_seek_first && !seeked_) {
        unit_check(sense::kCommandReject, 0, sense::kMsgInvalidSequence,
                   "Set Sector without a Seek earlier in the program (3990)");
        return End::kDone;
      }
      u8 sector = 0;
      int got = transfer_out(&sector, 1);
      if (got < 0) return End::kDone;
      if (got < 1) {
        il_ = false;  // residual 0: Hercules reports no incorrect length
        unit_check(sense::kCommandReject, 0, sense::kMsgCountTooSmall, "Set Sector with count 0");
        return End::kDone;
      }
      return End::kContinue;
    }

    case 0x31:
    case 0x51:
    case 0x71:
    case 0xB1:
    case 0xD1:
    case 0xF1: {
      // Search ID Equal (0x20) / High (0x40) / Equal or High, multi-track
      // with 0x80: at the end of the track a multi-track search goes on
      // with the next head's R0 while the index mark is clear (Hercules
      // ckddasd.c, case 0x31 and ckd_read_count).
      if (cur_.left == 0) {
        unit_check(sense::kCommandReject, 0, sense::kMsgInvalidParameter,
                   "Search ID with no argument");
        return End::kDone;
      }
      // The next count field comes first: when there is none (no record
      // found) the argument was never taken, so the CCW ends with its whole
      // count and, without SLI, incorrect length (Hercules ckddasd.c).
      bool r0 = false;
      const CkdRecord* r = next_record(true, cmd & 0x80, &r0);
      if (!r && !r0) {
        if (!(cur_.f.flags & ccw_flag::kSuppressLength)) il_ = true;
        return End::kDone;
      }
      u8 arg[5] = {};
      int got = transfer_out(arg, 5);
      if (got < 0) return End::kDone;
      u8 id[5];
      if (r0) {
        be::store16(id, ch_.cyl_);
        be::store16(id + 2, ch_.head_);
        id[4] = 0;
      } else {
        be::store16(id, r->id.cyl);
        be::store16(id + 2, r->id.head);
        id[4] = r->id.record;
      }
      int rc = std::memcmp(id, arg, static_cast<size_t>(got));
      if (((cmd & 0x20) && rc == 0) || ((cmd & 0x40) && rc > 0)) {
        dstat_ |= dev_stat::kStatusModifier;  // the index mark stays (Hercules)
      }
      return End::kContinue;
    }

    case 0x29:
    case 0x49:
    case 0x69:
    case 0xA9:
    case 0xC9:
    case 0xE9: {
      // Search Key Equal (0x20) / High (0x40) / Equal or High, multi-track
      // with 0x80: the key of the record whose count was just read, else of
      // the next record (R0 skipped); a record without a key compares
      // nothing and so never matches (Hercules ckddasd.c, case 0x29 and
      // ckd_read_key). Read Data then takes that record's data.
      const CkdTrack* t = cur_track();
      std::vector<u8> key;
      if (oriented_ >= 0 && !key_passed && t && oriented_ <= static_cast<int>(t->records.size())) {
        if (oriented_ >= 1) key = t->records[oriented_ - 1].key;
      } else {
        bool r0 = false;
        const CkdRecord* r = next_record(false, cmd & 0x80, &r0, true);
        if (!r) {
          if (!(cur_.f.flags & ccw_flag::kSuppressLength)) il_ = true;
          return End::kDone;
        }
        key = r->key;
      }
      key_passed_ = true;
      u8 arg[256] = {};
      int got = transfer_out(arg, static_cast<u32>(key.size()));
      if (got < 0) return End::kDone;
      if (!key.empty()) {
        int rc = std::memcmp(key.data(), arg, static_cast<size_t>(got));
        if (((cmd & 0x20) && rc == 0) || ((cmd & 0x40) && rc > 0))
          dstat_ |= dev_stat::kStatusModifier;
      }
      return End::kContinue;
    }

    case ccw_cmd::kReadIpl: {
      ch_.cyl_ = 0;
      ch_.head_ = 0;
      at_eot_ = false;
      seeked_ = true;
      next_count_ = 0;
      oriented_ = -1;
      index_passes_ = 0;
      bool r0 = false;
      const CkdRecord* r = next_record(false, false, &r0);
      if (!r) return End::kDone;
      oriented_ = -1;  // R1's data is behind the head; the next read gets R2
      after_read_ipl_ = true;
      read_ipl_ran_ = true;
      return transfer_in(r->data.data(), static_cast<u32>(r->data.size())) ? End::kContinue
                                                                           : End::kDone;
    }

    case ccw_cmd::kReadData:
    case ccw_cmd::kReadMultipleTrackData:
    case ccw_cmd::kReadKeyData:
    case ccw_cmd::kReadKeyData | 0x80:
    case ccw_cmd::kReadCount:
    case ccw_cmd::kReadCount | 0x80:
    case ccw_cmd::kReadCountKeyData:
    case ccw_cmd::kReadCountKeyData | 0x80: {
      const bool mt = cmd & 0x80;
      const u8 base = cmd & 0x7F;
      const CkdRecord* r = nullptr;
      const CkdTrack* t = cur_track();
      // Read Count and Read Count, Key and Data always read the next count.
      const bool next_count = base == ccw_cmd::kReadCount || base == ccw_cmd::kReadCountKeyData ||
                              (base == ccw_cmd::kReadKeyData && key_passed);
      if (!next_count && oriented_ == 0 && t) {
        // A Search matched R0's count: the read takes R0's data (no key),
        // as Hercules does (hercfuzz S2), and the next read gets R1.
        oriented_ = -1;
        std::vector<u8> r0 = t->r0_data;
        if (!transfer_in(r0.data(), static_cast<u32>(r0.size()))) return End::kDone;
        return End::kContinue;
      }
      if (!next_count && oriented_ >= 1 && t && oriented_ <= static_cast<int>(t->records.size())) {
        // Oriented to a count field (after Search or Read Count): its record.
        r = &t->records[oriented_ - 1];
      } else {
        bool r0 = false;
        r = next_record(false, mt, &r0);
        if (!r) return End::kDone;
      }
      oriented_ = -1;  // key and data of this record are now behind the head
      std::vector<u8> buf;
      if (base == ccw_cmd::kReadCount) {
        buf.resize(8);
        r->count_field(buf.data());
        oriented_ = next_count_ - 1;  // the count just read: its key/data follow
      } else if (base == ccw_cmd::kReadKeyData || base == ccw_cmd::kReadCountKeyData) {
        if (base == ccw_cmd::kReadCountKeyData) {
          buf.resize(8);
          r->count_field(buf.data());
        }
        buf.insert(buf.end(), r->key.begin(), r->key.end());
        buf.insert(buf.end(), r->data.begin(), r->data.end());
      } else {
        buf = r->data;
      }
      if (!transfer_in(buf.data(), static_cast<u32>(buf.size()))) return End::kDone;
      if (base != ccw_cmd::kReadCount && r->data.empty()) {
        dstat_ |= dev_stat::kUnitException;  // end-of-file record
        ch_.last_error_ = "unit exception: end-of-file record (data length 0)";
      }
      return End::kContinue;
    }

    case kReadRecord0:
    case kReadRecord0 | 0x80: {
      // Count, key and data of R0 of the current track (the next track's
      // with multi-track), as Hercules: orientation goes back to the index
      // point, and the next read gets R1.
      if ((cmd & 0x80) && !in_read_ipl_domain && !next_head("Read R0 (MT)")) return End::kDone;
      const CkdTrack* t = cur_track();
      if (!t) {
        unit_check(sense::kEquipmentCheck, 0, 0, "access mechanism outside the volume");
        return End::kDone;
      }
      std::vector<u8> buf(8);
      be::store16(&buf[0], ch_.cyl_);
      be::store16(&buf[2], ch_.head_);
      buf[4] = 0;
      buf[5] = 0;
      be::store16(&buf[6], static_cast<u16>(t->r0_data.size()));
      buf.insert(buf.end(), t->r0_data.begin(), t->r0_data.end());
      next_count_ = 1;
      oriented_ = -1;
      index_passes_ = 0;
      at_eot_ = false;
      return transfer_in(buf.data(), static_cast<u32>(buf.size())) ? End::kContinue : End::kDone;
    }

    case ccw_cmd::kReadHomeAddress:
    case ccw_cmd::kReadHomeAddress | 0x80: {
      // The home address (F CCHH) of this track (multi-track: of the next
      // head's), and the head is at its index point, as after a Seek
      // (Hercules ckddasd.c, case 0x1A: mt_advance, then ckd_seek).
      if ((cmd & 0x80) && !in_read_ipl_domain && !next_head("Read Home Address (MT)"))
        return End::kDone;
      const CkdTrack* t = cur_track();
      if (!t) {
        unit_check(sense::kEquipmentCheck, 0, 0, "access mechanism outside the volume");
        return End::kDone;
      }
      u8 ha[5] = {t->home_flag};
      be::store16(ha + 1, ch_.cyl_);
      be::store16(ha + 3, ch_.head_);
      next_count_ = 0;
      oriented_ = -1;
      at_eot_ = false;
      return transfer_in(ha, sizeof ha) ? End::kContinue : End::kDone;
    }

    case kReadMultipleCkd: return read_multiple_ckd();

    case kReadTrack:
      // Only in the domain of a Locate Record for Read Tracks, chained from
      // it or from another Read Track (Hercules ckddasd.c, case 0xDE); an
      // IPL has none (Define Extent is rejected after Read IPL).
      unit_check(sense::kCommandReject, 0, sense::kMsgInvalidSequence,
                 "Read Track outside a Locate Record (Read Tracks) domain");
      return End::kDone;

    default:
      unit_check(sense::kCommandReject, 0, sense::kMsgInvalidCommand,
                 "command " + std::to_string(cmd) + " not supported by the simulated 3390");
      return End::kDone;
  }
}

IoResult SimChannel::Run::go(u32 start_address) {
  IoResult res;
  u32 addr = start_address;
  bool prev_tic = false;
  bool first = true;
  bool jump = true;  // the start, then every TIC's target
  cur_.ccw_addr = start_address;

  if (ch_.mode_ == FetchMode::kPrefetch) {
    if ((start_address & 7) || !prefetch_copy(start_address)) {
      if (start_address & 7) ch_.last_error_ = "prefetch: unaligned channel program address";
      // QEMU turns a vfio-ccw copy failure into unit exception status.
      res.device_status = dev_stat::kUnitException;
      res.ccw_address = start_address + 8;
      return res;
    }
  }

  for (;;) {
    if (++steps_ > ch_.options_.step_bound) {
      timed_out_ = true;
      break;
    }
    u8 raw[8];
    if (!fetch(addr, raw, jump)) {
      cur_.ccw_addr = addr;
      break;
    }
    CcwFields f = decode_ccw(raw, fmt_);
    record(addr, raw);
    cur_.ccw_addr = addr;
    if (is_tic(f.command)) {
      if (first) {
        program_check("channel program starts with a TIC");
        break;
      }
      if (prev_tic) {
        program_check("TIC to a TIC");
        break;
      }
      prev_tic = true;
      addr = f.address;
      jump = true;
      continue;
    }
    first = false;
    prev_tic = false;
    if (f.flags & ccw_flag::kPci) pci_ = true;
    if (!check_ccw(f)) break;
    cur_.f = f;
    begin_data(f);
    End e = execute();
    record_end();
    if (e == End::kDone || timed_out_ || schstat_ ||
        (dstat_ & (dev_stat::kUnitCheck | dev_stat::kUnitException)))
      break;
    if (il_) break;  // incorrect length without SLI suppresses command chaining
    if (!(cur_.f.flags & ccw_flag::kChainCommand)) break;
    addr = cur_.ccw_addr + ((dstat_ & dev_stat::kStatusModifier) ? 16 : 8);
    jump = false;
    dstat_ &= static_cast<u8>(~dev_stat::kStatusModifier);
  }

  if (timed_out_) {
    ch_.stats_.timeouts++;
    ch_.last_error_ = "step bound of " + std::to_string(ch_.options_.step_bound) +
                      " CCWs reached (endless channel program?)";
    res.outcome = IoOutcome::kTimeout;
    res.ccw_address = cur_.ccw_addr + 8;
    return res;
  }
  if (il_) {
    schstat_ |= sch_stat::kIncorrectLength;
    if (ch_.last_error_.empty()) ch_.last_error_ = "incorrect length";
  }
  // A PCI's intermediate interruption that the program outran is merged into
  // the final status (the SCSW keeps the PCI bit); the program went on.
  if (pci_) schstat_ |= sch_stat::kProgramControlledInterruption;
  res.device_status = static_cast<u8>(dstat_ | dev_stat::kChannelEnd | dev_stat::kDeviceEnd);
  res.subchannel_status = schstat_;
  res.ccw_address = cur_.ccw_addr + 8;
  res.residual = static_cast<u16>(cur_.left);
  return res;
}

SimChannel::SimChannel(CkdVolume& volume, SimMemory& memory, FetchMode mode, SimOptions options)
    : volume_(volume), memory_(memory), mode_(mode), options_(options) {}

IoResult SimChannel::start(u32 ccw_address, CcwFormat fmt, bool /*prefetch*/) {
  stats_.starts++;
  last_error_.clear();
  segments_.clear();
  trace_.clear();
  Run run(*this, fmt);
  u64 ccws = stats_.ccws;
  IoResult res = run.go(ccw_address);
  elapsed_us_ += options_.start_us + (stats_.ccws - ccws) * options_.ccw_us;
  return res;
}

}  // namespace ccwboot::sim
