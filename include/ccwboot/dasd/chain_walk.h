// Analysis of one piece of a format-0 IPL channel program, done on memory as
// it is just before the start (docs/dasd-ipl.md, "Splitting").
//
// The walk follows every way the channel can go from the start address:
// command and data chaining to the next CCW, TICs, and -- after a CCW that
// may present status modifier (a search, or a command we do not know) --
// the skip to the CCW after next. It then finds every fetch that would come
// *after* a CCW earlier in the same start has stored data over it (the CCW's
// 8 bytes, or the TIC that leads to it): under vfio-ccw's prefetch the
// channel would run the stale copy, on real hardware the new bytes. The
// piece is cut just before the first such fetch, by clearing the command-
// chaining flag of the CCW that leads to it; the cut is refused by name
// where a new start could not continue exactly as the chain would have.
#pragma once

#include "ccwboot/dasd/ccw_class.h"
#include "ccwboot/dasd/memory_guard.h"
#include "ccwboot/dasd/track_position.h"
#include "ccwboot/guest_memory.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::dasd {

inline constexpr u32 kMaxPieceFetches = 512;  // CCW fetches (TICs included) per piece
// CCWs storing data per piece: as many as there can be CCWs, so a long
// legitimate chain (hundreds of reads in one start) is never refused for it.
inline constexpr u32 kMaxPieceWriters = kMaxPieceFetches;
inline constexpr u32 kMaxPieceCuts = 16;  // chain flags cleared per piece
inline constexpr u32 kMaxPieceErrors = 8;
// An edge whose fetch failed (TIC to TIC, outside storage): it still counts
// for the hazard check, since a cut before it makes the failure moot.
inline constexpr u16 kDangling = 0xFFFF;  // distinct parked problems (the last slot is shared)

// A CCW reached by the walk (never a TIC: TICs sit on the edges).
struct PieceNode {
  u32 address = 0;
  u8 raw[8] = {};
  u8 successor_count = 0;
  bool has_tic[2] = {};        // the edge goes through a TIC ...
  u32 tic_address[2] = {};     // ... sitting here
  u16 successor[2] = {};       // node index of the CCW the edge reaches, or kDangling
  u32 target_address[2] = {};  // where that CCW sits
  u16 writer_plus1 = 0;        // 1 + index into the writer bits when the CCW stores data
  bool reachable = false;      // from the start, given the cuts so far
  bool cut = false;            // its chain flag is cleared for this start
  bool deferred = false;       // an onward fetch is stale and no faithful cut at it or at
                               // its writer exists: a later, earlier cut (vfio_copy.h,
                               // fit_vfio_copy) must leave it unreachable, or the piece is
                               // refused with deferred_code
  u8 deferred_edge = 0;
  WaitCode deferred_code = WaitCode::kNone;
  bool writer_overflow = false;  // stores data, but past kMaxPieceWriters
  bool clip_to_psw = false;      // the Read IPL at 0 of a chain from 0: changes only 0..7
  bool replayed = false;         // ran in the previous start of the same chain from 0: its
                                 // stores repeat bytes memory already holds (PieceContext)
  u8 data_chained_command = 0;   // nonzero: reached by data chaining, continuing this command
  // Set by the analysis once the commands are known: where it moves data
  // (area()); with IDA the IDAW list vfio-ccw copies at the start, and why no
  // start runs it as the hardware does (guard_piece names it):
  // kGuardIndirectData (a read backward: vfio-ccw counts the IDAWs
  // forwards), kGuardBadIdaw (IdawList::unfit), kDasdIdawListRewritten (it
  // stores over its own IDAW list).
  AddrRange data;
  AddrRange idal;
  WaitCode ida_problem = WaitCode::kNone;
  u8 ida_words = 0;     // kGuardBadIdaw: the IDAWs the count spans,
  u8 ida_unpinned = 0;  // and the first one vfio-ccw cannot pin (ida_words: none)
  // With IDA: its blocks, adjacent ones merged, at PieceAnalysis::ida_ranges
  // [ida_first, ida_first + ida_ranges); 0 ranges: the area is exact (or the
  // pool was full and the span stands, an over-estimate).
  u16 ida_first = 0;
  u8 ida_ranges = 0;
  bool reached_by_command = false;  // reached as the start or by command chaining / TIC
  u8 error_plus1 = 0;               // 1 + index into PieceAnalysis::errors: a problem found past
                                    // this CCW (reported only if the CCW stays reachable)
  u64 written_in[kMaxPieceWriters / 64] = {};  // writers that may run before it
  TrackPosition position_after;                // set by track_positions()

  constexpr bool is_writer() const { return writer_plus1 != 0; }
  // The walk goes no further from here in this start: a cut, or a deferred
  // problem (which must not stay reachable).
  constexpr bool stops() const { return cut || deferred; }
  constexpr u32 writer() const { return writer_plus1 - 1u; }
  // The command the channel carries out for this CCW: its own, or, when it
  // is reached by data chaining, the command of the CCW that began the data
  // chain (the channel ignores the new CCW's command code then).
  constexpr u8 command() const { return data_chained_command ? data_chained_command : raw[0]; }
  constexpr u8 flags() const { return raw[4]; }
  constexpr u16 count() const { return be::load16(raw + 6); }
  constexpr u32 data_address() const { return be::load24(raw + 1); }
  // Its data area; with IDA the span from the first to the last byte of the
  // IDAW blocks the channel may use (before the first IDAW it program-checks
  // on). Where the blocks lie apart, PieceAnalysis::moves_over() and
  // areas() answer for the blocks themselves.
  constexpr AddrRange area() const { return data; }
};

// A problem found past a CCW during the walk. It is logged (and returned)
// only if that CCW is still reachable once the cuts are made.
struct ParkedProblem {
  WaitCode code = WaitCode::kNone;
  u32 from = 0;   // the CCW the walk came from
  u32 fetch = 0;  // the fetch that failed, or the CCW reached two ways
};

// IDA blocks per piece (PieceNode::ida_first): a list of scattered 2 KiB
// blocks takes one range each; past the pool a CCW keeps its span.
inline constexpr u32 kMaxIdaRanges = 256;

// The ranges a CCW moves data over: its area(), or its IDA blocks.
struct AreaList {
  const AddrRange* first = nullptr;
  u32 count = 0;
  const AddrRange* begin() const { return first; }
  const AddrRange* end() const { return first + count; }
};

struct PieceAnalysis {
  u32 start = 0;
  PieceNode nodes[kMaxPieceFetches];
  u32 node_count = 0;
  u32 fetches = 0;  // nodes + TIC fetches seen
  u16 writer_node[kMaxPieceWriters] = {};
  AddrRange writer_area[kMaxPieceWriters] = {};  // what each writer may change
  u32 writer_count = 0;
  u16 cuts[kMaxPieceCuts] = {};
  u32 cut_count = 0;
  ParkedProblem errors[kMaxPieceErrors] = {};
  u32 error_count = 0;
  // With a PieceContext: a CCW that is not replayed leads back into the
  // replayed prefix, so the prefix would run twice and its stores could
  // differ the second time (the caller must not rerun from 0).
  bool replay_back_edge = false;

  // Node index of the CCW at `address` (the first of its nodes), or -1. A
  // CCW may have two nodes: run as a command, and reached by data chaining
  // (PieceNode::data_chained_command).
  i32 find(u32 address) const;
  // The node of the CCW at `address` run as a command (`continuing` 0) or
  // continuing the data chain of command `continuing`, or -1.
  i32 find(u32 address, u8 continuing) const;
  // The first reachable node at `address`, or -1.
  i32 find_reachable(u32 address) const;

  AddrRange ida_ranges[kMaxIdaRanges] = {};
  u32 ida_range_count = 0;
  AreaList areas(const PieceNode& n) const {
    if (n.ida_ranges) return {ida_ranges + n.ida_first, n.ida_ranges};
    return {&n.data, n.data.empty() ? 0u : 1u};
  }
  // Does `n` move data over any byte of `q`?
  bool moves_over(const PieceNode& n, const AddrRange& q) const {
    if (!n.area().overlaps(q)) return false;
    for (const AddrRange& r : areas(n))
      if (r.overlaps(q)) return true;
    return false;
  }
};

// The first CCW a fetch at `address` really runs: itself, or the target of
// the TIC sitting there. Errors: outside storage / unaligned (kDasdBadCcwAddress),
// TIC to TIC (kDasdTicToTic), logged unless `report` is false (a probe).
struct Fetch {
  u32 address = 0;  // of the CCW run
  u8 raw[8] = {};
  bool via_tic = false;
  u32 tic_address = 0;
};
WaitCode resolve_fetch(GuestMemory& memory, u32 address, Fetch& out, bool report = true);

// What memory already holds when a piece is the whole chain started again
// from the Read IPL at absolute 0 (docs/dasd-ipl.md, "One chain from Read
// IPL"). The Read IPL there stores IPL1 over 0..23, of which 8..23 are
// already IPL1 (the first, unchained Read IPL put them there), so only its
// stores over 0..7 (the PSW over our CCW) can change what a later fetch
// sees. CCWs at `replayed` addresses ran in the previous start of the same
// chain, from the same device state, and store the same bytes again.
inline constexpr u32 kMaxReplayed = kMaxPieceFetches;
struct PieceContext {
  bool read_ipl_at_zero = false;
  u32 replayed[kMaxReplayed] = {};
  u32 replayed_count = 0;
  bool is_replayed(u32 address) const;
};

// Walks and cuts the piece starting at `start` (a non-TIC CCW). On success
// `out` lists the reachable CCWs and the cuts to apply; every reachable
// CCW's data area and address are then ready for the memory guard.
WaitCode analyze_piece(GuestMemory& memory, u32 start, PieceAnalysis& out,
                       const PieceContext* context = nullptr);

// The walk stops at kMaxPieceFetches, and a stale fetch with no faithful
// cut at it or at its writer is deferred (PieceNode::deferred):
// analyze_piece() leaves both to this check, run after the cuts that
// fit_vfio_copy() makes (for vfio-ccw's 256-CCW segments and for the
// walk's budget: the rest is the next piece's to analyse). A problem node
// still reachable: kDasdChainTooLong past the bound, the deferred cut's
// own code otherwise.
WaitCode check_walk_bound(GuestMemory& memory, const PieceAnalysis& piece);
// The first reachable node carrying a problem check_walk_bound() would
// refuse, or -1.
i32 first_open_problem(const PieceAnalysis& piece);

// One more cut, after the analysis (vfio_copy.h: a segment too long for
// vfio-ccw): the start also ends after reachable node `index`. Done only where
// a cut is faithful as analyze_piece judges it (command chaining, no data
// chain, no status modifier, no chain state, no other store over the flag
// byte); then reachability is redone and true returned. undo_cut() takes the
// last one back.
bool try_cut(PieceAnalysis& piece, u32 index);
void undo_cut(PieceAnalysis& piece);

// A fresh start (a continuation after a cut) has lost the chain state that
// Read IPL set up: the control unit rejects Define Extent, Set File Mask,
// Locate Record and Read IPL for the rest of the hardware IPL's chain, but
// accepts them in a new program. Refuses (kDasdSplitLosesChainState) a
// continuation piece that can reach one of them.
WaitCode check_fresh_piece(const PieceAnalysis& piece);

// Memory guard over a whole analysed piece (every reachable CCW, the TICs on
// its edges, their data areas; with IDA the IDAW list and blocks' span).
WaitCode guard_piece(const PieceAnalysis& piece, const ReservedSet& reserved, u64 storage_size);

}  // namespace ccwboot::dasd
