// The DASD IPL state machine: Read IPL, IPL1 check and replay, IPL2 in
// faithful pieces, IPL PSW check. docs/dasd-ipl.md has the why of each step.
#include "ccwboot/dasd/dasd_ipl.h"

#include "ccwboot/dasd/ccw_class.h"
#include "ccwboot/dasd/chain_walk.h"
#include "ccwboot/dasd/continuation.h"
#include "ccwboot/dasd/dasd_io.h"
#include "ccwboot/dasd/ipl_psw.h"
#include "ccwboot/dasd/progress_watch.h"
#include "ccwboot/dasd/seek_program.h"
#include "ccwboot/dasd/vfio_copy.h"
#include "ccwboot/format.h"
#include "ccwboot/log.h"

#define LOG_PREFIX "dasd: "

namespace ccwboot::dasd {
namespace {

// One piece analysis is ~30 KiB: kept out of the (small) firmware stack.
PieceAnalysis g_piece;
PieceContext g_context;
ProgressWatch g_watch;  // ~50 KiB of fingerprints, kept off the stack too
// Where the chain's new programs began (IPL2 included), for fit_vfio_copy.
StartList g_starts;

// The Seek program a piece runs behind, and the bytes it borrows.
u8 g_program[kMaxSeekProgram], g_saved[kMaxSeekProgram];

// That program for a piece at `start` (built at 0), folded for
// ProgressWatch: the same program leaves the device in the same state.
u64 seek_program_key(const TrackPosition& t, u32 start) {
  u32 len = reorientation(t, 0, start, g_program);
  u64 k = 0xCBF29CE484222325ull;
  for (u32 i = 0; i < len; ++i) k = (k ^ g_program[i]) * 0x100000001B3ull;
  return k;
}

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
  u64 began_us = 0;  // the clock when the IPL began

  u32 scratch(u32 offset) const { return static_cast<u32>(config.scratch_address) + offset; }

  bool put_ccw1(u32 offset, u8 cmd, u32 addr, u8 flags, u16 count) {
    Ccw1 c = Ccw1::make(cmd, addr, flags, count);
    return memory.write(scratch(offset), c.raw, 8);
  }

  WaitCode run(u32 address, CcwFormat fmt, const char* what, IoResult* io_out = nullptr) {
    u8 s[kSenseBytes] = {};
    WaitCode v = run_program(channel, memory, sense, address, fmt, what, io, io_out, &s);
    if (v == WaitCode::kDasdUnitCheck || v == WaitCode::kDasdNoRecordFound) {
      for (u32 i = 0; i < kSenseBytes; ++i) result.sense[i] = s[i];
    }
    return v;
  }

  // Right after Read IPL, Hercules' 3990 takes only a read or NOP (command
  // reject, invalid sequence: sense 80000000 00000002); a real one a Seek
  // too. IPL1's CCW at 8 runs there in ccwboot's chain as in the hardware's,
  // so the device decides; its rejection of that CCW is named. `first`:
  // where the start's Read IPL is (the CCW at 8 is the one after it).
  WaitCode named_ipl1_reject(WaitCode v, u32 last, u32 first) {
    if (v != WaitCode::kDasdUnitCheck || last != first + kIpl1ReadAt || !(result.sense[0] & 0x80) ||
        result.sense[7] != 0x02)
      return v;
    return REFUSE(WaitCode::kDasdIpl1NotReadTic,
                  "the control unit rejects IPL1's command 0x%02x right after Read IPL "
                  "(invalid sequence), as in the hardware IPL: it takes a NOP or a read there",
                  ipl1[kIpl1ReadAt]);
  }

  WaitCode check_config();
  WaitCode read_ipl1();
  WaitCode classify_ipl1();
  WaitCode prime_ipl1(const PieceAnalysis& piece, u32 cut_address, PieceContext& context);
  bool put_read_ipl_at_zero();
  WaitCode run_chain();
  WaitCode check_ipl2_start(u32 last);
  bool ended_by_itself(u32 address);
  bool ipl1_intact();
  u8 ipl1[kIpl1Size] = {};  // as the first Read IPL stored it
  WaitCode check_psw();
  WaitCode run_behind_seek(u32 start, const PieceAnalysis& piece, const char* what, IoResult* io);
  WaitCode note_stores(const PieceAnalysis& piece);
  TrackPosition position;  // the device's track when the next start begins
};

WaitCode Ipl::check_config() {
  u64 s = config.scratch_address;
  if ((s & 7) || config.scratch_size < kScratchMinSize || s + config.scratch_size > (1ULL << 31) ||
      s + config.scratch_size > memory.size()) {
    return REFUSE(WaitCode::kDasdBadConfig, "scratch [0x%llx, +0x%x) is unusable", s,
                  config.scratch_size);
  }
  reserved = config.reserved;
  if (!reserved.add(s, s + config.scratch_size, "scratch area")) {
    return REFUSE(WaitCode::kDasdBadConfig, "too many reserved ranges");
  }
  sense = SenseArea{scratch(kScratchSense), scratch(kScratchSenseData)};
  if (!config.clock) return REFUSE(WaitCode::kDasdBadConfig, "no clock for the IPL's time budget");
  began_us = config.clock->now_us();
  return {};
}

// Step 1: Read IPL, unchained, 24 bytes into absolute 0. Our CCW sits in the
// scratch area as format 1, since the firmware may live above 16 MiB where a
// format-0 CCW could not be addressed by the ORB... nor point back to it.
WaitCode Ipl::read_ipl1() {
  if (!put_ccw1(kScratchReadIpl, ccw_cmd::kReadIpl, 0, ccw_flag::kSuppressLength, kIpl1Size)) {
    return REFUSE(WaitCode::kDasdBadConfig, "cannot write the Read IPL CCW");
  }
  WaitCode v = run(scratch(kScratchReadIpl), CcwFormat::kFormat1, "Read IPL");
  if (v == WaitCode::kDasdNoRecordFound) {
    return REFUSE(WaitCode::kDasdNoIplRecords, "Read IPL found no record 1 on cylinder 0 head 0");
  }
  return v;
}

// Step 2: name the IPL1s the hardware refuses before anything runs. The
// control unit takes only a read of data right after Read IPL (Hercules,
// ckddasd.c ckddasd_execute_ccw: Read IPL opens a Locate Record domain of two
// records, inside which NOP, Seek, Search and a second Read IPL are command
// rejects); everything else about IPL1 is left to the chain analysis.
WaitCode Ipl::classify_ipl1() {
  if (!memory.read(0, ipl1, kIpl1Size)) {
    return REFUSE(WaitCode::kDasdBadConfig, "storage too small for IPL1");
  }
  u64 psw = be::load64(ipl1);
  const u8* rd = ipl1 + kIpl1ReadAt;
  const u8* tic = ipl1 + kIpl1TicAt;
  LOG("IPL1: PSW %08x %08x, CCW %02x %06x %02x %04x, %02x %06x %02x %04x\n",
      static_cast<u32>(psw >> 32), static_cast<u32>(psw), rd[0], be::load24(rd + 1), rd[4],
      be::load16(rd + 6), tic[0], be::load24(tic + 1), tic[4], be::load16(tic + 6));
  bool looks_empty = psw == 0 || !short_psw::has_bit12(psw);
  if (!is_ipl1_read(rd[0]) && looks_empty) {
    // dasdinit writes a PSW without bit 12 and a NOP: "there is no IPL text".
    return REFUSE(WaitCode::kDasdNoIplRecords,
                  "IPL1 holds PSW %016llx and command 0x%02x: no IPL text was written", psw, rd[0]);
  }
  // Any other command at 8 runs right after Read IPL in ccwboot's chain as in
  // the hardware's, so the control unit decides (named_ipl1_reject). A TIC
  // there would give the control unit another CCW than 8: not followed.
  if (is_tic(rd[0])) {
    return REFUSE(WaitCode::kDasdIpl1NotReadTic,
                  "IPL1's CCW at 0x08 is a TIC; after Read IPL the control unit needs a command "
                  "there (a NOP or a read)");
  }
  if (be::load16(rd + 6) == 0) {
    return REFUSE(WaitCode::kDasdIpl1NotReadTic,
                  "IPL1's CCW at 0x08 has count 0 (a program check)");
  }
  AddrRange a = data_area(rd[0], be::load24(rd + 1), be::load16(rd + 6));
  bool tic_survives = (rd[4] & ccw_flag::kSkip) || !a.overlaps(AddrRange::at(kIpl1TicAt, 8));
  // With IDA the data goes where the IDAWs say: left to the chain analysis.
  if (rd[4] & ccw_flag::kIndirect) tic_survives = false;
  // Only command chaining surely fetches the TIC; a data chain reaches it
  // only if the record does not end before the count (else incorrect
  // length ends the IPL), and the walk judges that path (F7).
  if ((rd[4] & ccw_flag::kChainCommand) && !(rd[4] & ccw_flag::kChainData) && tic_survives &&
      is_tic(tic[0]) && be::load24(tic + 1) == 0) {
    return REFUSE(WaitCode::kDasdIpl2AddressZero, "IPL1's TIC at 0x10 points to 0x000000");
  }
  return {};
}

// IPL1's own CCWs (at 8, and 16 when 8 chains straight on) must end a start:
// a patched flag byte there would be rewritten by the Read IPL at 0 before
// the channel fetches it. So the part of the chain up to that CCW runs as a
// format-1 copy in scratch -- Read IPL (CC) and the same CCWs, the last one
// unchained -- which stores exactly what the chain stores up to there.
// Afterwards the chain from 0 replays them (PieceContext).
WaitCode Ipl::prime_ipl1(const PieceAnalysis& piece, u32 cut_address, PieceContext& context) {
  bool ok = put_ccw1(kScratchIpl1, ccw_cmd::kReadIpl, 0,
                     ccw_flag::kChainCommand | ccw_flag::kSuppressLength, kIpl1Size);
  u32 offset = kScratchIpl1 + 8;
  for (u32 at = kIpl1ReadAt; at <= cut_address; at += 8) {
    i32 i = piece.find(at, 0);
    const PieceNode* n = i >= 0 ? &piece.nodes[i] : nullptr;
    // Reached from the CCW before it by plain command chaining, nothing else.
    bool straight = n && n->reachable && !n->data_chained_command &&
                    !(n->flags() & ccw_flag::kChainData) &&
                    !may_present_status_modifier(n->command()) &&
                    (at == cut_address || n->successor_count == 1) &&
                    (at == cut_address || (!n->has_tic[0] && n->target_address[0] == at + 8));
    // With IDA: this start is a format-1 program, whose ORB selects 64-bit
    // IDAWs (arch/orb.h), so the same list would be read another way.
    if (!straight || n->count() == 0 || (n->flags() & ccw_flag::kIndirect)) {
      return REFUSE(WaitCode::kDasdIpl1NotReadTic,
                    "IPL1's CCW at 0x%02x must end a start but is not a plain chained command "
                    "(without IDA)",
                    at);
    }
    u8 flags = n->flags();
    if (at == cut_address) {
      flags = static_cast<u8>(flags & ~(ccw_flag::kChainCommand | ccw_flag::kChainData));
    }
    ok = ok && put_ccw1(offset, n->command(), n->data_address(), flags, n->count());
    offset += 8;
    context.replayed[context.replayed_count++] = at;
  }
  if (!ok) return REFUSE(WaitCode::kDasdBadConfig, "cannot write the IPL1 program");
  IoResult io;
  WaitCode v = run(scratch(kScratchIpl1), CcwFormat::kFormat1, "IPL1 (Read IPL, IPL1's CCWs)", &io);
  return named_ipl1_reject(v, io.ccw_address - 8, scratch(kScratchIpl1));
}

// Did the cut CCW `n` itself store over its own flag byte? (Then the byte
// now holds data from the disk and must not be restored.) A CCW with IDA
// that may store there is not cut (analyze_piece, try_cut).
bool stored_over_own_flags(const PieceNode& n, const IoResult& io) {
  if (!stores_data(n.command()) || (n.flags() & (ccw_flag::kSkip | ccw_flag::kIndirect)))
    return false;
  u32 count = n.count();
  u32 moved = io.residual <= count ? count - io.residual : 0;
  AddrRange a = data_area(n.command(), n.data_address(), static_cast<u16>(moved));
  return a.overlaps(AddrRange::at(n.address + 4, 1));
}

// The Read IPL CCW a chain from 0 starts with: what "Load" puts there.
bool Ipl::put_read_ipl_at_zero() {
  const u8 ccw[8] = {
      ccw_cmd::kReadIpl, 0, 0, 0, ccw_flag::kChainCommand | ccw_flag::kSuppressLength, 0, 0,
      kIpl1Size};
  return memory.write(0, ccw, 8);
}

// May a replayed CCW (IPL1's Read, run again) store the original flag byte
// back over a cut? A channel that fetches as it goes then runs past the cut.
bool cut_undone_by_replay(const PieceAnalysis& piece) {
  for (u32 c = 0; c < piece.cut_count; ++c) {
    u32 flag = piece.nodes[piece.cuts[c]].address + 4;
    for (u32 i = 0; i < piece.node_count; ++i) {
      const PieceNode& n = piece.nodes[i];
      if (n.reachable && n.replayed && n.area().overlaps(AddrRange::at(flag, 1))) return true;
    }
  }
  return false;
}

// The first cut of a chain from 0 among IPL1's CCWs, or -1.
i32 ipl1_cut(const PieceAnalysis& piece) {
  for (u32 c = 0; c < piece.cut_count; ++c) {
    u32 a = piece.nodes[piece.cuts[c]].address;
    if (a >= kIpl1ReadAt && a < kIpl1Size) return static_cast<i32>(a);
  }
  return -1;
}

// Step 3: the chain as a series of starts. The first runs from a Read IPL at
// absolute 0, as "Load" does, so IPL1 and IPL2's first piece run inside the
// channel program Read IPL began and the control unit holds the same state
// (docs/dasd-ipl.md, "One chain from Read IPL"); later pieces are new
// programs that must continue faithfully.
WaitCode Ipl::run_chain() {
  PieceAnalysis& piece = g_piece;
  PieceContext& context = g_context;
  context = PieceContext{};
  context.read_ipl_at_zero = true;
  g_watch.reset();
  g_starts.clear();
  bool from_zero = true;
  bool seek_first = false;  // the next piece needs a Seek to `position` before it
  u8 primed_psw[8] = {};    // 0..7 after IPL1's CCWs ran from scratch
  u32 start = 0;
  for (u32 number = 1;; ++number) {
    // Time, not a count of starts: a linked list of CCW blocks may need
    // thousands, and rings that repeat themselves end below (ProgressWatch).
    if (u64 ran = config.clock->now_us() - began_us; ran > config.time_budget_us) {
      return REFUSE(WaitCode::kDasdTimeBudget,
                    "IPL still running after %u ms and %u chain pieces (next at 0x%06x)",
                    static_cast<u32>(ran / 1000), number - 1, start);
    }
    if (from_zero && !put_read_ipl_at_zero()) {
      return REFUSE(WaitCode::kDasdBadConfig, "cannot write the Read IPL CCW at 0");
    }
    WaitCode v = analyze_piece(memory, start, piece, from_zero ? &context : nullptr);
    result.stats.ccws_analysed += piece.fetches;
    if (v != WaitCode::kNone) return v;
    keep_prefixes(position);  // the walk's table of replay prefixes: position's, then its own
    track_positions(memory, piece, from_zero ? TrackPosition{} : position);
    // vfio-ccw's segments (at most 256 CCWs each): cut where needed. Not for
    // the start that ends among IPL1's CCWs, which runs from scratch.
    if (!(from_zero && context.replayed_count == 0 && ipl1_cut(piece) >= 0)) {
      u32 cuts = piece.cut_count;
      if (WaitCode s = fit_vfio_copy(memory, piece, from_zero ? kIpl1Size : 0, &g_starts);
          s != WaitCode::kNone)
        return s;
      if (piece.cut_count != cuts)
        track_positions(memory, piece, from_zero ? TrackPosition{} : position);
    }
    if (WaitCode b = check_walk_bound(memory, piece); b != WaitCode::kNone) return b;
    if (!from_zero) {
      if (WaitCode f = check_fresh_piece(piece); f != WaitCode::kNone) return f;
    } else if (context.replayed_count) {
      if (piece.replay_back_edge) {
        return REFUSE(WaitCode::kDasdSplitNotFaithful,
                      "IPL2 leads back into IPL1's CCWs, which had to run as a start of their own");
      }
      if (i32 again = ipl1_cut(piece); again >= 0) {
        return REFUSE(WaitCode::kDasdSplitPatchOverwritten,
                      "IPL1's CCW at 0x%02x must end a start, and the Read IPL at 0 rewrites it",
                      static_cast<u32>(again));
      }
      // IPL1's replayed Read stores a cut's chain flag back: a channel that
      // fetches as it goes would run on past the cut (to the chain's end,
      // or for ever in a ring of blocks). Where IPL2 can begin a new
      // program faithfully, it does, and every channel stops at every cut.
      if (cut_undone_by_replay(piece) &&
          check_continuation(memory, result.ipl2_address, "IPL2", &position, &seek_first,
                             /*report=*/false) == WaitCode::kNone) {
        // 0..7 as IPL1's start left them, not the Read IPL CCW put there.
        if (!memory.write(0, primed_psw, 8)) {
          return REFUSE(WaitCode::kDasdBadConfig, "cannot write storage at 0");
        }
        from_zero = false;
        start = result.ipl2_address;
        --number;
        continue;
      }
    }
    if (WaitCode g = guard_piece(piece, reserved, memory.size()); g != WaitCode::kNone) return g;

    if (i32 at = from_zero && context.replayed_count == 0 ? ipl1_cut(piece) : -1; at >= 0) {
      // IPL1's CCWs end this start: run them from scratch, then the chain from 0 again.
      if (WaitCode p = prime_ipl1(piece, static_cast<u32>(at), context); p != WaitCode::kNone)
        return p;
      if (WaitCode s = note_stores(piece); s != WaitCode::kNone) return s;
      if (!memory.read(0, primed_psw, 8)) return REFUSE(WaitCode::kDasdBadConfig, "storage at 0");
      if (WaitCode e = check_ipl2_start(static_cast<u32>(at)); e != WaitCode::kNone) return e;
      position = position_after_ccw(piece, static_cast<u32>(at));
      --number;
      if (ipl1_intact()) continue;
      // IPL1's CCWs stored over 8..23: the Read IPL at 0 would change them
      // again in a rerun. Go on with a new program, as a continuation.
      Fetch f;
      if (WaitCode c = resolve_fetch(memory, static_cast<u32>(at) + 8, f); c != WaitCode::kNone)
        return c;
      if (WaitCode c = check_continuation(memory, f.address, "IPL2", &position, &seek_first);
          c != WaitCode::kNone) {
        return c;
      }
      from_zero = false;
      start = f.address;
      continue;
    }

    u8 saved[kMaxPieceCuts];
    for (u32 c = 0; c < piece.cut_count; ++c) {
      const PieceNode& n = piece.nodes[piece.cuts[c]];
      saved[c] = n.flags();
      u8 cleared = static_cast<u8>(n.flags() & ~ccw_flag::kChainCommand);
      memory.write(n.address + 4, &cleared, 1);
    }
    result.stats.cuts += piece.cut_count;
    ++result.stats.ipl2_pieces;
    // Past the 16th piece only when verbose: a linked list of thousands
    // would spend a tenth of its time budget on console lines.
    if (config.verbose || (piece.cut_count && number <= 16)) {
      u32 runnable = 0;  // CCWs (TICs aside) this start can execute
      for (u32 i = 0; i < piece.node_count; ++i) runnable += piece.nodes[i].reachable;
      if (piece.cut_count) {
        LOG("chain piece %u at 0x%06x: %u CCWs, cut after 0x%06x\n", number, start, runnable,
            piece.nodes[piece.cuts[0]].address);
      } else {
        LOG("chain piece %u at 0x%06x: %u CCWs\n", number, start, runnable);
      }
    }

    u64 seek_key = from_zero ? ~u64{1} : seek_first ? seek_program_key(position, start) : ~u64{0};
    if (!from_zero) g_starts.add(start);
    if (u32 earlier = g_watch.repeats(number, start, seek_key); earlier) {
      return REFUSE(WaitCode::kDasdEndlessLoop,
                    "chain piece %u at 0x%06x would start as piece %u did, with the same "
                    "storage%s: the IPL repeats itself for ever",
                    number, start, earlier, seek_first ? " and behind the same Seek" : "");
    }
    char what[32];
    format(what, sizeof what, "chain piece %u", number);
    IoResult io;
    WaitCode r = seek_first ? run_behind_seek(start, piece, what, &io)
                            : run(start, CcwFormat::kFormat0, what, &io);
    u32 last = io.ccw_address - 8;
    // Put the chain flags back so memory ends as a real IPL leaves it.
    for (u32 c = 0; c < piece.cut_count; ++c) {
      const PieceNode& n = piece.nodes[piece.cuts[c]];
      if (n.address == last && stored_over_own_flags(n, io)) continue;
      memory.write(n.address + 4, &saved[c], 1);
    }
    if (r != WaitCode::kNone) return from_zero ? named_ipl1_reject(r, last, 0) : r;
    if (WaitCode s = note_stores(piece); s != WaitCode::kNone) return s;

    i32 at = piece.find_reachable(last);
    if (at < 0 && cut_undone_by_replay(piece) && ended_by_itself(last)) {
      // A channel that fetches each CCW as it goes (not vfio-ccw) ran past a
      // cut that IPL1's replayed Read had stored back over: it ran the chain
      // as the hardware does, up to the CCW that ends it.
      LOG("chain piece %u ran on to its end at 0x%06x\n", number, last);
      return {};
    }
    if (at < 0) {
      return REFUSE(WaitCode::kDasdUnexpectedEnd,
                    "chain piece %u ended after CCW 0x%06x, which the walk did not reach", number,
                    last);
    }
    // A cut is made only where the CCW has one reachable node (check_cut).
    const PieceNode& end = piece.nodes[at];
    position = position_after_ccw(piece, last);
    if (!end.cut) {
      // A data chain whose record ends before the count does is incorrect
      // length, SLI or not (under CD the channel ignores SLI), so the start
      // fails before this; a CCW that chains never ends a good start here
      // (fuzz finding F5: the simulator had let SLI suppress it).
      if (end.flags() & (ccw_flag::kChainCommand | ccw_flag::kChainData)) {
        return REFUSE(WaitCode::kDasdUnexpectedEnd,
                      "chain piece %u ended at CCW 0x%06x although it chains", number, last);
      }
      return {};  // the chain ended by itself: the IPL is done
    }
    Fetch f;
    if (WaitCode c = resolve_fetch(memory, last + 8, f); c != WaitCode::kNone) return c;
    if (WaitCode c =
            check_continuation(memory, f.address, "the continuation", &position, &seek_first);
        c != WaitCode::kNone) {
      return c;
    }
    from_zero = false;
    start = f.address;
  }
}

// Runs the piece at `start` behind a Seek to the track the device stands on
// and, when the chain left it oriented, the search and skipping reads that
// bring the head back to the same field (docs/dasd-ipl.md, "Orientation"):
// format-0 CCWs in storage the start does not touch, put back as they were
// once it ends. The 3990 then takes the search, Seek Head or read that
// begins the piece, and it finds what it found in the chain.
WaitCode Ipl::run_behind_seek(u32 start, const PieceAnalysis& piece, const char* what,
                              IoResult* io) {
  u8(&program)[kMaxSeekProgram] = g_program;
  u8(&saved)[kMaxSeekProgram] = g_saved;
  u32 slot = 0;
  u32 len = reorientation(position, 0, start, program);
  if (!find_borrowed_slot(piece, reserved, memory.size(), len, &slot)) {
    return REFUSE(WaitCode::kDasdSplitNotFaithful,
                  "%s at 0x%06x needs a Seek before it, and no %u bytes below 16 MiB are free "
                  "of the start's CCWs and data to hold one",
                  what, start, len);
  }
  reorientation(position, slot, start, program);
  if (!memory.read(slot, saved, len) || !memory.write(slot, program, len)) {
    return REFUSE(WaitCode::kDasdBadConfig, "cannot write the Seek at 0x%06x", slot);
  }
  if (config.verbose) {
    LOG("%s starts behind a Seek to %u/%u at 0x%06x (%u bytes)\n", what, position.cylinder,
        position.head, slot, len);
  }
  WaitCode v = run(slot, CcwFormat::kFormat0, what, io);
  memory.write(slot, saved, len);
  return v;
}

// After a start: every area its CCWs may have stored into goes into the
// progress watch. A CCW that may write to the disk changes what later
// pieces read, so the states recorded so far no longer prove a loop.
WaitCode Ipl::note_stores(const PieceAnalysis& piece) {
  bool disk_may_change = false;
  for (u32 i = 0; i < piece.node_count; ++i) {
    const PieceNode& n = piece.nodes[i];
    if (!n.reachable) continue;
    if (stores_data(n.command())) {
      for (const AddrRange& a : piece.areas(n)) g_watch.stored(a);
    }
    disk_may_change = disk_may_change || writes_to_device(n.command());
  }
  if (disk_may_change) g_watch.forget();
  if (!g_watch.settle(memory)) {
    return REFUSE(WaitCode::kDasdBadConfig, "cannot read storage below 16 MiB");
  }
  return {};
}

// Do 8..23 still hold IPL1 as Read IPL stores it? Then a Read IPL at 0
// changes only 0..7, and IPL1's CCWs run again as they ran (PieceContext).
bool Ipl::ipl1_intact() {
  u8 now[kIpl1Size];
  if (!memory.read(0, now, kIpl1Size)) return false;
  for (u32 i = kIpl1ReadAt; i < kIpl1Size; ++i) {
    if (now[i] != ipl1[i]) return false;
  }
  return true;
}

// Does the CCW at `address` end the chain (no command or data chaining)?
bool Ipl::ended_by_itself(u32 address) {
  u8 raw[8];
  if ((address & 7) || !memory.read(address, raw, 8)) return false;
  return !is_tic(raw[0]) && !(raw[4] & (ccw_flag::kChainCommand | ccw_flag::kChainData));
}

// After IPL1's CCWs ran: the chain goes on at the CCW after the last of
// them, as memory is now (IPL1's Read may have replaced the TIC).
WaitCode Ipl::check_ipl2_start(u32 last) {
  Fetch f;
  if (WaitCode v = resolve_fetch(memory, last + 8, f); v != WaitCode::kNone) return v;
  if (f.address == 0 && f.via_tic) {
    return REFUSE(WaitCode::kDasdIpl2AddressZero, "the TIC at 0x%02x now points to 0x000000",
                  last + 8);
  }
  if (f.raw[0] == 0) {
    return REFUSE(WaitCode::kDasdIpl2Empty,
                  "IPL2 at 0x%06x starts with command 0x00 (%02x%02x%02x%02x %02x%02x%02x%02x)",
                  f.address, f.raw[0], f.raw[1], f.raw[2], f.raw[3], f.raw[4], f.raw[5], f.raw[6],
                  f.raw[7]);
  }
  LOG("IPL1 ran; IPL2 starts at 0x%06x\n", f.address);
  result.ipl2_address = f.address;
  g_starts.add(f.address);
  return {};
}

// Step 5: the PSW the IPL leaves at 0.
WaitCode Ipl::check_psw() {
  u8 raw[8];
  if (!memory.read(0, raw, 8)) return REFUSE(WaitCode::kDasdBadIplPsw, "cannot read the PSW at 0");
  result.psw = be::load64(raw);
  return validate_ipl_psw(result.psw, memory.size(), reserved);
}

}  // namespace

DasdIplResult run_dasd_ipl(Channel& channel, GuestMemory& memory, const DasdIplConfig& config) {
  DasdIplResult result;
  Ipl ipl{channel, memory, config, result, {}, {}, {}, 0, {}, {}};
  WaitCode v = ipl.check_config();
  if (v == WaitCode::kNone) v = ipl.read_ipl1();
  if (v == WaitCode::kNone) v = ipl.classify_ipl1();
  if (v == WaitCode::kNone) v = ipl.run_chain();
  if (v == WaitCode::kNone) v = ipl.check_psw();
  result.stats.starts = ipl.io.starts;
  result.stats.sense_starts = ipl.io.sense_starts;
  result.code = v;
  if (v == WaitCode::kNone) {
    LOG("IPL done: PSW %08x %08x after %u starts (%u chain pieces)\n",
        static_cast<u32>(result.psw >> 32), static_cast<u32>(result.psw), result.stats.starts,
        result.stats.ipl2_pieces);
  }
  return result;
}

}  // namespace ccwboot::dasd
