// The DASD IPL state machine: Read IPL, IPL1 check and replay, IPL2 in
// faithful pieces, IPL PSW check. docs/dasd-ipl.md has the why of each step.
#include "ccwboot/dasd/dasd_ipl.h"

#include "ccwboot/dasd/ccw_class.h"
#include "ccwboot/dasd/chain_walk.h"
#include "ccwboot/dasd/dasd_io.h"
#include "ccwboot/dasd/ipl_psw.h"
#include "ccwboot/format.h"
#include "ccwboot/log.h"

namespace ccwboot::dasd {
namespace {

// One piece analysis is ~30 KiB: kept out of the (small) firmware stack.
PieceAnalysis g_piece;

constexpr u32 kIpl1Size = 24;
constexpr u32 kIpl1ReadAt = 0x08;
constexpr u32 kIpl1TicAt = 0x10;

struct Ipl {
  Channel& channel;
  GuestMemory& memory;
  const DasdIplConfig& config;
  DasdIplResult& result;
  ReservedSet reserved;
  IoCounters io;
  SenseArea sense;

  u32 scratch(u32 offset) const { return static_cast<u32>(config.scratch_address) + offset; }

  bool put_ccw1(u32 offset, u8 cmd, u32 addr, u8 flags, u16 count) {
    Ccw1 c = Ccw1::make(cmd, addr, flags, count);
    return memory.write(scratch(offset), c.raw, 8);
  }

  Verdict run(u32 address, CcwFormat fmt, const char* what, IoResult* io_out = nullptr) {
    u8 s[kSenseBytes] = {};
    Verdict v = run_program(channel, memory, sense, address, fmt, what, io, io_out, &s);
    if (v.code == WaitCode::kDasdUnitCheck || v.code == WaitCode::kDasdNoRecordFound) {
      for (u32 i = 0; i < kSenseBytes; ++i) result.sense[i] = s[i];
    }
    return v;
  }

  Verdict check_config();
  Verdict read_ipl1();
  Verdict replay_ipl1(u32* ipl2_start);
  Verdict run_ipl2(u32 start);
  Verdict check_psw();
};

Verdict Ipl::check_config() {
  u64 s = config.scratch_address;
  if ((s & 7) || config.scratch_size < kScratchMinSize || s + config.scratch_size > (1ULL << 31) ||
      s + config.scratch_size > memory.size()) {
    return refuse(WaitCode::kDasdBadConfig, "scratch [0x%llx, +0x%x) is unusable", s,
                  config.scratch_size);
  }
  reserved = config.reserved;
  if (!reserved.add(s, s + config.scratch_size, "scratch area")) {
    return refuse(WaitCode::kDasdBadConfig, "too many reserved ranges");
  }
  sense = SenseArea{scratch(kScratchSense), scratch(kScratchSenseData)};
  return {};
}

// Step 1: Read IPL, unchained, 24 bytes into absolute 0. Our CCW sits in the
// scratch area as format 1, since the firmware may live above 16 MiB where a
// format-0 CCW could not be addressed by the ORB... nor point back to it.
Verdict Ipl::read_ipl1() {
  if (!put_ccw1(kScratchReadIpl, ccw_cmd::kReadIpl, 0, ccw_flag::kSuppressLength, kIpl1Size)) {
    return refuse(WaitCode::kDasdBadConfig, "cannot write the Read IPL CCW");
  }
  Verdict v = run(scratch(kScratchReadIpl), CcwFormat::kFormat1, "Read IPL");
  if (v.code == WaitCode::kDasdNoRecordFound) {
    return refuse(WaitCode::kDasdNoIplRecords, "Read IPL found no record 1 on cylinder 0 head 0 (%s)",
                  v.detail);
  }
  return v;
}

// Step 2+3: IPL1 must be PSW, format-0 Read with command chaining, TIC to
// IPL2. Replay it as Read IPL chained to a copy of IPL1's Read with chaining
// off: exactly the hardware IPL's first two CCWs, so the Read gets the record
// that follows record 1 whatever its id (a search for id 0/0/2 would not).
Verdict Ipl::replay_ipl1(u32* ipl2_start) {
  u8 ipl1[kIpl1Size];
  if (!memory.read(0, ipl1, kIpl1Size)) {
    return refuse(WaitCode::kDasdBadConfig, "storage too small for IPL1");
  }
  u64 psw = be::load64(ipl1);
  const u8* rd = ipl1 + kIpl1ReadAt;
  const u8* tic = ipl1 + kIpl1TicAt;
  u32 ipl2 = be::load24(tic + 1);
  log_printf("dasd: IPL1: PSW %08x %08x, CCW %02x %06x %02x %04x, TIC -> 0x%06x\n",
             static_cast<u32>(psw >> 32), static_cast<u32>(psw), rd[0], be::load24(rd + 1), rd[4],
             be::load16(rd + 6), ipl2);
  bool read_ok = is_ipl1_read(rd[0]);
  bool tic_ok = is_tic(tic[0]);
  if (!read_ok || !tic_ok) {
    // dasdinit writes a PSW without bit 12 and a NOP: "there is no IPL text".
    bool looks_empty = psw == 0 || !short_psw::has_bit12(psw);
    if (looks_empty) {
      return refuse(WaitCode::kDasdNoIplRecords,
                    "IPL1 holds PSW %016llx and command 0x%02x: no IPL text was written", psw,
                    rd[0]);
    }
    return refuse(WaitCode::kDasdIpl1NotReadTic,
                  "IPL1's CCWs are command 0x%02x and 0x%02x, not Read (0x06/0x86/0x0e/0x8e) and TIC",
                  rd[0], tic[0]);
  }
  u8 flags = rd[4];
  if (!(flags & ccw_flag::kChainCommand) || (flags & ccw_flag::kChainData)) {
    return refuse(WaitCode::kDasdIpl1NotReadTic,
                  "IPL1's Read has flags %02x: it must command-chain (and not data-chain) to its TIC",
                  flags);
  }
  if (be::load16(rd + 6) == 0) {
    // A format-0 count of 0 is a program check; the format-1 copy would not be.
    return refuse(WaitCode::kDasdIpl1NotReadTic, "IPL1's Read has count 0");
  }
  if (ipl2 == 0) {
    return refuse(WaitCode::kDasdIpl2AddressZero, "IPL1's TIC at 0x10 points to 0x000000");
  }
  if (Verdict v = guard_ccw(reserved, memory.size(), kIpl1ReadAt, rd); !v.ok()) return v;

  // Read IPL again, chained this time, then IPL1's Read unchained: the
  // device re-reads record 1 (the same 24 bytes over the same 24 bytes) and
  // IPL1's Read gets the record that follows it, as in the hardware IPL.
  u32 p = scratch(kScratchIpl1);
  bool ok = put_ccw1(kScratchIpl1 + 0, ccw_cmd::kReadIpl, 0,
                     ccw_flag::kChainCommand | ccw_flag::kSuppressLength, kIpl1Size) &&
            put_ccw1(kScratchIpl1 + 8, rd[0], be::load24(rd + 1),
                     flags & static_cast<u8>(~(ccw_flag::kChainCommand | ccw_flag::kChainData)),
                     be::load16(rd + 6));
  if (!ok) return refuse(WaitCode::kDasdBadConfig, "cannot write the IPL1 program");
  if (Verdict v = run(p, CcwFormat::kFormat1, "IPL1 (Read IPL, IPL1's Read)"); !v.ok()) {
    return v;
  }

  // The chain would now fetch 0x10 -- as it is after the read (the read may
  // have replaced the TIC) -- and follow it.
  Fetch f;
  if (Verdict v = resolve_fetch(memory, kIpl1TicAt, f); !v.ok()) return v;
  if (f.address == 0 && f.via_tic) {
    return refuse(WaitCode::kDasdIpl2AddressZero, "the TIC at 0x10 now points to 0x000000");
  }
  if (f.raw[0] == 0) {
    return refuse(WaitCode::kDasdIpl2Empty, "IPL2 at 0x%06x starts with command 0x00 (%02x%02x%02x%02x %02x%02x%02x%02x)",
                  f.address, f.raw[0], f.raw[1], f.raw[2], f.raw[3], f.raw[4], f.raw[5], f.raw[6],
                  f.raw[7]);
  }
  if (Verdict v = check_continuation(memory, f.address, "IPL2"); !v.ok()) return v;
  log_printf("dasd: IPL1 read %u bytes to 0x%06x; IPL2 starts at 0x%06x\n", be::load16(rd + 6),
             be::load24(rd + 1), f.address);
  result.ipl2_address = f.address;
  *ipl2_start = f.address;
  return {};
}

// Did the cut CCW `n` itself store over its own flag byte? (Then the byte
// now holds data from the disk and must not be restored.)
bool stored_over_own_flags(const PieceNode& n, const IoResult& io) {
  if (!stores_data(n.command()) || (n.flags() & ccw_flag::kSkip)) return false;
  u32 count = n.count();
  u32 moved = io.residual <= count ? count - io.residual : 0;
  DataArea a = data_area(n.command(), n.data_address(), static_cast<u16>(moved));
  return a.overlaps(n.address + 4, 1);
}

// Step 4: IPL2 as a series of starts, each one a piece the prefetching
// channel runs exactly as a real channel would.
Verdict Ipl::run_ipl2(u32 start) {
  PieceAnalysis& piece = g_piece;
  for (u32 number = 1;; ++number) {
    if (number > config.max_pieces) {
      return refuse(WaitCode::kDasdTooManyPieces, "IPL2 still running after %u starts (at 0x%06x)",
                    config.max_pieces, start);
    }
    Verdict v = analyze_piece(memory, start, piece);
    result.stats.ccws_analysed += piece.fetches;
    if (!v.ok()) return v;
    if (Verdict g = guard_piece(piece, reserved, memory.size()); !g.ok()) return g;

    u8 saved[kMaxPieceCuts];
    for (u32 c = 0; c < piece.cut_count; ++c) {
      const PieceNode& n = piece.nodes[piece.cuts[c]];
      saved[c] = n.flags();
      u8 cleared = static_cast<u8>(n.flags() & ~ccw_flag::kChainCommand);
      memory.write(n.address + 4, &cleared, 1);
    }
    result.stats.cuts += piece.cut_count;
    ++result.stats.ipl2_pieces;
    if (config.verbose || piece.cut_count) {
      u32 runnable = 0;  // CCWs (TICs aside) this start can execute
      for (u32 i = 0; i < piece.node_count; ++i) runnable += piece.nodes[i].reachable;
      if (piece.cut_count) {
        log_printf("dasd: IPL2 piece %u at 0x%06x: %u CCWs, cut after 0x%06x\n", number, start,
                   runnable, piece.nodes[piece.cuts[0]].address);
      } else {
        log_printf("dasd: IPL2 piece %u at 0x%06x: %u CCWs\n", number, start, runnable);
      }
    }

    char what[32];
    format(what, sizeof what, "IPL2 piece %u", number);
    IoResult io;
    Verdict r = run(start, CcwFormat::kFormat0, what, &io);
    u32 last = io.ccw_address - 8;
    // Put the chain flags back so memory ends as a real IPL leaves it.
    for (u32 c = 0; c < piece.cut_count; ++c) {
      const PieceNode& n = piece.nodes[piece.cuts[c]];
      if (n.address == last && stored_over_own_flags(n, io)) continue;
      memory.write(n.address + 4, &saved[c], 1);
    }
    if (!r.ok()) return r;

    i32 at = piece.find(last);
    if (at < 0 || !piece.nodes[at].reachable) {
      return refuse(WaitCode::kDasdUnexpectedEnd,
                    "IPL2 piece %u ended after CCW 0x%06x, which the walk did not reach", number,
                    last);
    }
    const PieceNode& end = piece.nodes[at];
    if (!end.cut) {
      if (end.flags() & (ccw_flag::kChainCommand | ccw_flag::kChainData)) {
        return refuse(WaitCode::kDasdUnexpectedEnd,
                      "IPL2 piece %u ended at CCW 0x%06x although it chains", number, last);
      }
      return {};  // the chain ended by itself: IPL2 is done
    }
    Fetch f;
    if (Verdict c = resolve_fetch(memory, last + 8, f); !c.ok()) return c;
    if (Verdict c = check_continuation(memory, f.address, "the continuation"); !c.ok()) return c;
    start = f.address;
  }
}

// Step 5: the PSW the IPL leaves at 0.
Verdict Ipl::check_psw() {
  u8 raw[8];
  if (!memory.read(0, raw, 8)) return refuse(WaitCode::kDasdBadIplPsw, "cannot read the PSW at 0");
  result.psw = be::load64(raw);
  return validate_ipl_psw(result.psw, memory.size(), reserved);
}

}  // namespace

DasdIplResult run_dasd_ipl(Channel& channel, GuestMemory& memory, const DasdIplConfig& config) {
  DasdIplResult result;
  Ipl ipl{channel, memory, config, result, {}, {}, {}};
  u32 ipl2 = 0;
  Verdict v = ipl.check_config();
  if (v.ok()) v = ipl.read_ipl1();
  if (v.ok()) v = ipl.replay_ipl1(&ipl2);
  if (v.ok()) v = ipl.run_ipl2(ipl2);
  if (v.ok()) v = ipl.check_psw();
  result.stats.starts = ipl.io.starts;
  result.stats.sense_starts = ipl.io.sense_starts;
  result.code = v.code;
  for (usize i = 0; i < sizeof result.detail; ++i) result.detail[i] = v.detail[i];
  if (v.ok()) {
    log_printf("dasd: IPL done: PSW %08x %08x after %u starts (%u IPL2 pieces)\n",
               static_cast<u32>(result.psw >> 32), static_cast<u32>(result.psw),
               result.stats.starts, result.stats.ipl2_pieces);
  } else {
    log_printf("dasd: %s: %s\n", wait_code_info(v.code).name, v.detail);
  }
  return result;
}

}  // namespace ccwboot::dasd
