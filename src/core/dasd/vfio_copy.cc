// vfio-ccw's copy of a start and the cuts that keep its segments at 256
// CCWs; vfio_copy.h has the driver's rules this follows.
#include "ccwboot/dasd/vfio_copy.h"

#include "ccwboot/dasd/continuation.h"
#include "ccwboot/log.h"

#define LOG_PREFIX "dasd: "

namespace ccwboot::dasd {
namespace {

// The CCW at `address` as the driver copies it: the cuts' command chaining
// cleared, a format-0 TIC's flags dropped.
bool copied_ccw(GuestMemory& memory, const PieceAnalysis& p, u32 address, u8 raw[8]) {
  if (!memory.read(address, raw, 8)) return false;
  for (u32 c = 0; c < p.cut_count; ++c) {
    if (p.nodes[p.cuts[c]].address == address) raw[4] &= static_cast<u8>(~ccw_flag::kChainCommand);
  }
  if (is_tic(raw[0])) raw[4] = 0;
  return true;
}

// The driver pins the data area unless nothing moves (ccw_does_data_transfer).
bool moves_data(const u8 raw[8]) {
  u8 cmd = raw[0];
  if (be::load16(raw + 6) == 0 || cmd == ccw_cmd::kNop) return false;
  if (!(raw[4] & ccw_flag::kSkip)) return true;
  return !(is_read_class(cmd) || is_read_backward(cmd) || is_sense_class(cmd));
}

bool runs_in_piece(const PieceAnalysis& p, u32 address) { return p.find_reachable(address) >= 0; }

// Counts the segment at `head` as ccwchain_calc_length does and checks what
// the copy of it pins.
WaitCode count_segment(GuestMemory& memory, const PieceAnalysis& p, VfioSegment& s, bool report) {
  if (u64{s.head} + kVfioCopyWindow > memory.size()) {
    return REFUSE_IF(report, WaitCode::kDasdPrefetchCopyFails,
                     "vfio-ccw copies 2 KiB of CCWs from 0x%06x, past the end of storage (0x%llx)",
                     s.head, static_cast<unsigned long long>(memory.size()));
  }
  s.count = 0;
  for (;;) {
    if (s.count == kVfioSegmentMax) {  // the 256th chains on: the driver refuses
      s.count = kVfioSegmentMax + 1;
      break;
    }
    u32 at = s.head + s.count * 8;
    u8 raw[8];
    if (!copied_ccw(memory, p, at, raw)) {
      return REFUSE_IF(report, WaitCode::kDasdPrefetchCopyFails, "cannot read the CCW at 0x%06x",
                       at);
    }
    ++s.count;
    if (!is_tic(raw[0])) {
      u32 data = be::load24(raw + 1);
      u32 count = be::load16(raw + 6);
      // A CCW the piece runs is the memory guard's (it names the range);
      // one it never runs is copied and pinned all the same -- with IDA its
      // IDAW list (8 bytes read per IDAW) and the page of every IDAW.
      // With IDA its IDAW list is copied and every IDAW's page pinned:
      // not followed for a CCW that never runs (refused, as vfio-ccw may).
      bool unpinnable =
          (raw[4] & ccw_flag::kIndirect) || (moves_data(raw) && u64{data} + count > memory.size());
      if (unpinnable && !runs_in_piece(p, at)) {
        return REFUSE_IF(report, WaitCode::kDasdPrefetchCopyFails,
                         "vfio-ccw pins [0x%06x, +0x%x) (or IDAWs) for the CCW at 0x%06x, which "
                         "never runs; storage ends at 0x%llx",
                         data, count, at, static_cast<unsigned long long>(memory.size()));
      }
    }
    bool chains = !is_tic(raw[0]) && (raw[4] & (ccw_flag::kChainCommand | ccw_flag::kChainData));
    u32 target = be::load24(raw + 1);
    bool tic_back = is_tic(raw[0]) && target >= s.head && target <= at;
    if (!chains && !tic_back) break;
  }
  return {};
}

// Segment `index` and, depth first, every segment its TICs start.
WaitCode copy_from(GuestMemory& memory, const PieceAnalysis& p, VfioCopy& c, u32 index,
                   bool report) {
  // The stack holds (segment, next CCW to look at for a TIC).
  u32 stack_seg[kMaxVfioSegments], stack_pos[kMaxVfioSegments];
  u32 depth = 0;
  if (WaitCode v = count_segment(memory, p, c.segments[index], report); v != WaitCode::kNone)
    return v;
  stack_seg[depth] = index;
  stack_pos[depth++] = 0;
  while (depth) {
    VfioSegment& s = c.segments[stack_seg[depth - 1]];
    u32& pos = stack_pos[depth - 1];
    if (pos >= s.copied()) {
      --depth;
      continue;
    }
    u8 raw[8];
    copied_ccw(memory, p, s.head + pos * 8, raw);  // read before: inside the window
    ++pos;
    if (!is_tic(raw[0])) continue;
    u32 target = be::load24(raw + 1);
    if (c.find(target) >= 0) continue;
    if (c.count == kMaxVfioSegments) {
      return REFUSE_IF(report, WaitCode::kDasdChainTooLong,
                       "vfio-ccw would copy more than %u segments for the start at 0x%06x, and no "
                       "CCW in the first %u can end it faithfully",
                       kMaxVfioSegments, p.start, kMaxVfioSegments);
    }
    VfioSegment& n = c.segments[c.count];
    n = VfioSegment{target, 0};
    if (WaitCode v = count_segment(memory, p, n, report); v != WaitCode::kNone) return v;
    stack_seg[depth] = c.count++;
    stack_pos[depth++] = 0;
  }
  return {};
}

// Where the channel can be: node `i` in the copy of segment `s`, one bit per
// segment. Returns the segment of the first path that steps past a copy's
// end (*node_out, *fetch_out say where), or -1.
i32 find_overrun(const PieceAnalysis& p, const VfioCopy& c, u32* node_out, u32* fetch_out) {
  static u64 in[kMaxPieceFetches];
  static_assert(kMaxVfioSegments <= 64, "one bit per segment");
  for (u32 i = 0; i < p.node_count; ++i) in[i] = 0;
  if (p.node_count == 0) return -1;
  in[0] = 1;  // the start: the first CCW of segment 0
  for (bool changed = true; changed;) {
    changed = false;
    for (u32 i = 0; i < p.node_count; ++i) {
      const PieceNode& n = p.nodes[i];
      if (!in[i] || !n.reachable || n.stops()) continue;
      // The segments it can be in, in increasing order, visiting only the
      // set bits; read anew after each (a TIC back to the CCW itself may
      // add a higher one on the way, which this pass then sees).
      for (u64 bits = in[i]; bits;) {
        const u32 s = static_cast<u32>(__builtin_ctzll(bits));
        bits = s == 63 ? 0 : in[i] & ~((u64{2} << s) - 1);
        const VfioSegment& seg = c.segments[s];
        for (u32 e = 0; e < n.successor_count; ++e) {
          if (n.successor[e] == kDangling) continue;
          u32 next = n.has_tic[e] ? n.tic_address[e] : n.target_address[e];
          if (next < seg.head || next >= seg.head + seg.copied() * 8) {
            *node_out = n.address;
            *fetch_out = next;
            return static_cast<i32>(s);
          }
          i32 to = n.has_tic[e] ? c.find(n.target_address[e]) : static_cast<i32>(s);
          if (to < 0) {  // a TIC the copy did not follow: cannot be, but do not guess
            *node_out = n.address;
            *fetch_out = n.target_address[e];
            return static_cast<i32>(s);
          }
          u64& t = in[n.successor[e]];
          if (!(t >> to & 1)) {
            t |= u64{1} << to;
            changed = true;
          }
        }
      }
    }
  }
  return -1;
}

// What a cut must achieve: end the too-long segment at `head` (the
// 256-CCW rule), bring the copy within kMaxVfioSegments, or leave the
// problem node `problem` (check_walk_bound's) unreachable.
struct FitGoal {
  enum Kind : u8 { kSegmentLength, kSegmentCount, kProblem } kind;
  u32 head = 0;
  u32 problem = 0;
};

VfioCopy g_copy, g_trial;  // the start's copy, and a candidate cut's
// find_overrun() over g_trial: the overrun segment (or -1) and where.
struct Overrun {
  i32 segment = -1;
  u32 node = 0, fetch = 0;
};
Overrun g_trial_overrun;

// For a deferred stale fetch at `q`: does a CCW that stores over it still
// run in this start? A cut anywhere from that store to the fetch is
// faithful and removes the hazard (the next start fetches the CCW anew); a
// cut before every such store only hands the same hazard to the next start.
// Past the walk's budget there is no store to wait for.
bool writer_runs(const PieceAnalysis& p, const PieceNode& q) {
  if (!q.deferred) return true;
  u32 e = q.deferred_edge;
  AddrRange target = AddrRange::at(q.target_address[e], 8);
  AddrRange tic = q.has_tic[e] ? AddrRange::at(q.tic_address[e], 8) : AddrRange{};
  // (A stale IDAW list is not looked for: then no cut fits, and the start
  // is refused by name.)
  for (u32 w = 0; w < p.writer_count; ++w) {
    const PieceNode& wn = p.nodes[p.writer_node[w]];
    if (wn.reachable && (p.moves_over(wn, target) || p.moves_over(wn, tic))) return true;
  }
  return false;
}

// A cut at node `i`: the next start can take up its continuation, the
// copy of the start with the cut is one the driver takes (then in
// g_trial), no path of the channel passes the cut within the copy of its
// segment, a deferred stale fetch it leaves to the next start has its
// store in this one (else the next start meets the same hazard), and the
// cut does what `goal` needs. The continuation is judged first: it does
// not depend on the cut, and try_cut's reachability pass is the dearer
// test. Otherwise the cut is taken back.
bool cut_fits(GuestMemory& memory, PieceAnalysis& p, u32 i, const FitGoal& goal) {
  static u16 deferred[kMaxPieceFetches];
  const PieceNode& n = p.nodes[i];
  Fetch f;
  bool seek = false;
  if (resolve_fetch(memory, n.address + 8, f, /*report=*/false) != WaitCode::kNone ||
      check_continuation(memory, f.address, "the continuation", &n.position_after, &seek,
                         /*report=*/false) != WaitCode::kNone)
    return false;
  u32 deferred_count = 0;
  for (u32 k = 0; k < p.node_count; ++k) {
    if (p.nodes[k].deferred && p.nodes[k].reachable)
      deferred[deferred_count++] = static_cast<u16>(k);
  }
  if (!try_cut(p, i)) return false;
  g_trial.count = 1;
  g_trial.segments[0] = VfioSegment{p.start, 0};
  Overrun& o = g_trial_overrun;
  bool ok = copy_from(memory, p, g_trial, 0, /*report=*/false) == WaitCode::kNone;
  o.segment = ok ? find_overrun(p, g_trial, &o.node, &o.fetch) : -1;
  const i32 over = o.segment;
  if (goal.kind == FitGoal::kSegmentLength) {
    ok = ok && !(over >= 0 && g_trial.segments[over].head == goal.head);
  } else {
    ok = ok && !(over >= 0 && g_trial.segments[over].holds(n.address));
    if (goal.kind == FitGoal::kProblem) ok = ok && !p.nodes[goal.problem].reachable;
  }
  for (u32 k = 0; k < deferred_count && ok; ++k) {
    const PieceNode& q = p.nodes[deferred[k]];
    ok = q.reachable || writer_runs(p, q);
  }
  if (!ok) undo_cut(p);
  return ok;
}

// Does the start that follows a cut at `n` begin where an earlier start
// of the chain did (vfio_copy.h, StartList)?
bool continues_at_earlier_start(GuestMemory& memory, const PieceNode& n, const StartList& earlier) {
  Fetch f;
  return resolve_fetch(memory, n.address + 8, f, /*report=*/false) == WaitCode::kNone &&
         earlier.holds(f.address);
}

// A cut search's first pass (0) looks only for cuts that continue at an
// earlier start: none without earlier starts.
int first_pass(const StartList* earlier) { return earlier && !earlier->empty() ? 0 : 1; }

// The latest faithful cut (in walk order, fewest starts) that does what
// `goal` needs, at no CCW below `min_cut`; for kSegmentCount, only CCWs in
// the segments the copy holds so far. One whose continuation begins where
// an earlier start did comes first. The cut is kept, its copy in g_trial.
bool cut_for_budget(GuestMemory& memory, PieceAnalysis& p, u32 min_cut, const FitGoal& goal,
                    const StartList* earlier) {
  for (int pass = first_pass(earlier); pass < 2; ++pass) {
    for (u32 i = p.node_count; i-- > 0;) {
      const PieceNode& n = p.nodes[i];
      if (!n.reachable || n.stops() || n.address < min_cut) continue;
      if (goal.kind == FitGoal::kSegmentCount && g_copy.find(n.address) < 0) continue;
      if (pass == 0 && !continues_at_earlier_start(memory, n, *earlier)) continue;
      if (cut_fits(memory, p, i, goal)) return true;
    }
  }
  return false;
}

}  // namespace

i32 VfioCopy::find(u32 address) const {
  for (u32 i = 0; i < count; ++i) {
    if (segments[i].holds(address)) return static_cast<i32>(i);
  }
  return -1;
}

WaitCode build_vfio_copy(GuestMemory& memory, const PieceAnalysis& piece, VfioCopy& out) {
  out.count = 1;
  out.segments[0] = VfioSegment{piece.start, 0};
  return copy_from(memory, piece, out, 0, /*report=*/true);
}

WaitCode fit_vfio_copy(GuestMemory& memory, PieceAnalysis& p, u32 min_cut,
                       const StartList* earlier) {
  VfioCopy& copy = g_copy;
  copy.count = 1;
  copy.segments[0] = VfioSegment{p.start, 0};
  WaitCode built = copy_from(memory, p, copy, 0, /*report=*/false);
  // Set when `copy` is a trial whose overrun search is in g_trial_overrun.
  bool overrun_known = false;
  // Each round makes one cut or refuses; a cut needs a free slot, so at
  // most kMaxPieceCuts rounds. After a cut, the trial copy made for it is
  // the copy of the start as it now stands.
  for (;;) {
    if (built == WaitCode::kDasdChainTooLong && copy.count == kMaxVfioSegments) {
      // More segments than ccwboot follows: end the start within them.
      if (!cut_for_budget(memory, p, min_cut, FitGoal{FitGoal::kSegmentCount}, earlier)) {
        return build_vfio_copy(memory, p, copy);  // names it
      }
      copy = g_trial;
      overrun_known = true;
      built = WaitCode::kNone;
      continue;
    }
    if (built != WaitCode::kNone) return build_vfio_copy(memory, p, copy);  // names it
    i32 longest = -1;
    for (u32 k = 0; k < copy.count && longest < 0; ++k) {
      if (copy.segments[k].too_long()) longest = static_cast<i32>(k);
    }
    if (longest >= 0) {
      const u32 head = copy.segments[longest].head;
      bool cut = false;
      // The latest faithful point within the first 256 CCWs: fewest starts
      // (one that goes on where an earlier start began first).
      for (int pass = first_pass(earlier); pass < 2 && !cut; ++pass) {
        for (u32 k = kVfioSegmentMax; k-- > 0 && !cut;) {
          u32 at = head + k * 8;
          i32 i = p.find_reachable(at);
          if (i < 0 || at < min_cut) continue;
          if (pass == 0 && !continues_at_earlier_start(memory, p.nodes[i], *earlier)) continue;
          cut = cut_fits(memory, p, static_cast<u32>(i), FitGoal{FitGoal::kSegmentLength, head});
        }
      }
      if (!cut && first_open_problem(p) >= 0) {
        // A stale fetch no cut removes: that, not the length, is what
        // stands in the way.
        if (WaitCode v = check_walk_bound(memory, p); v != WaitCode::kNone) return v;
      }
      if (!cut) {
        return REFUSE(WaitCode::kDasdSegmentTooLong,
                      "vfio-ccw would copy more than %u chained CCWs from 0x%06x in one segment, "
                      "and none of its first %u CCWs that the chain runs can end a start "
                      "faithfully",
                      kVfioSegmentMax, head, kVfioSegmentMax);
      }
      copy = g_trial;
      overrun_known = true;
      continue;
    }
    // A CCW past the walk's budget, or a stale fetch no cut at it could
    // remove, still reachable: end the start before it, faithfully.
    i32 q = first_open_problem(p);
    if (q < 0) break;
    if (!cut_for_budget(memory, p, min_cut, FitGoal{FitGoal::kProblem, 0, static_cast<u32>(q)},
                        earlier)) {
      return check_walk_bound(memory, p);  // names it
    }
    copy = g_trial;
    overrun_known = true;
  }
  Overrun o = g_trial_overrun;
  if (!overrun_known) o.segment = find_overrun(p, copy, &o.node, &o.fetch);
  if (const i32 s = o.segment; s >= 0) {
    const u32 node = o.node, fetch = o.fetch;
    // Most often not a search at all but a command ccwboot does not know,
    // which it must assume may skip the next CCW: say so, since a 3990
    // rejects a command it does not know.
    const i32 at = p.find(node);
    const u8 cmd = at >= 0 ? p.nodes[at].command() : 0;
    if (!is_dasd_search(cmd)) {
      return REFUSE(WaitCode::kDasdSegmentOverrun,
                    "CCW 0x%06x has command 0x%02x, which ccwboot does not know (a 3990 rejects "
                    "a command it does not know); if it skipped the next CCW as a search does, the "
                    "channel would fetch 0x%06x, past the end of vfio-ccw's copy of the segment at "
                    "0x%06x",
                    node, cmd, fetch, copy.segments[s].head);
    }
    return REFUSE(WaitCode::kDasdSegmentOverrun,
                  "after CCW 0x%06x the channel fetches 0x%06x, past the end of vfio-ccw's copy "
                  "of the segment at 0x%06x (%u CCWs); it would run host memory there",
                  node, fetch, copy.segments[s].head, copy.segments[s].copied());
  }
  return {};
}

}  // namespace ccwboot::dasd
