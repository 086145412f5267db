// vfio-ccw's copy of a start and the cuts that keep its segments at 256
// CCWs; vfio_copy.h has the driver's rules this follows.
#include "ccwboot/dasd/vfio_copy.h"

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

bool runs_in_piece(const PieceAnalysis& p, u32 address) {
  i32 i = p.find(address);
  return i >= 0 && p.nodes[i].reachable;
}

// Counts the segment at `head` as ccwchain_calc_length does and checks what
// the copy of it pins.
WaitCode count_segment(GuestMemory& memory, const PieceAnalysis& p, VfioSegment& s) {
  if (u64{s.head} + kVfioCopyWindow > memory.size()) {
    return REFUSE(WaitCode::kDasdPrefetchCopyFails,
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
      return REFUSE(WaitCode::kDasdPrefetchCopyFails, "cannot read the CCW at 0x%06x", at);
    }
    ++s.count;
    if (!is_tic(raw[0])) {
      // IDA on a CCW the piece runs is the memory guard's to name.
      if ((raw[4] & ccw_flag::kIndirect) && !runs_in_piece(p, at)) {
        return REFUSE(WaitCode::kDasdPrefetchCopyFails,
                      "vfio-ccw copies the CCW at 0x%06x, which never runs but has the IDA flag",
                      at);
      }
      u32 data = be::load24(raw + 1);
      u32 count = be::load16(raw + 6);
      // A CCW the piece runs is the memory guard's (it names the range);
      // one it never runs is pinned all the same.
      if (moves_data(raw) && u64{data} + count > memory.size() && !runs_in_piece(p, at)) {
        return REFUSE(WaitCode::kDasdPrefetchCopyFails,
                      "vfio-ccw pins [0x%06x, +0x%x) for the CCW at 0x%06x, which never runs; "
                      "storage ends at 0x%llx",
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
WaitCode copy_from(GuestMemory& memory, const PieceAnalysis& p, VfioCopy& c, u32 index) {
  // The stack holds (segment, next CCW to look at for a TIC).
  u32 stack_seg[kMaxVfioSegments], stack_pos[kMaxVfioSegments];
  u32 depth = 0;
  if (WaitCode v = count_segment(memory, p, c.segments[index]); v != WaitCode::kNone) return v;
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
      return REFUSE(WaitCode::kDasdChainTooLong,
                    "vfio-ccw would copy more than %u segments for the start at 0x%06x",
                    kMaxVfioSegments, p.start);
    }
    VfioSegment& n = c.segments[c.count];
    n = VfioSegment{target, 0};
    if (WaitCode v = count_segment(memory, p, n); v != WaitCode::kNone) return v;
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
      if (!in[i] || !n.reachable || n.cut) continue;
      for (u32 s = 0; s < c.count; ++s) {
        if (!(in[i] >> s & 1)) continue;
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

// A cut at node `i`, in the too-long segment at `head`: the next start can
// take up its continuation, and no path of the channel passes the cut
// within that segment's copy.
bool cut_fits(GuestMemory& memory, PieceAnalysis& p, u32 head, u32 i) {
  static VfioCopy trial;
  if (!try_cut(p, i)) return false;
  const PieceNode& n = p.nodes[i];
  Fetch f;
  bool seek = false;
  bool ok = resolve_fetch(memory, n.address + 8, f, /*report=*/false) == WaitCode::kNone &&
            check_continuation(memory, f.address, "the continuation", &n.position_after, &seek,
                               /*report=*/false) == WaitCode::kNone;
  if (ok) {
    trial.count = 1;
    trial.segments[0] = VfioSegment{p.start, 0};
    u32 node = 0, fetch = 0;
    ok = copy_from(memory, p, trial, 0) == WaitCode::kNone;
    i32 over = ok ? find_overrun(p, trial, &node, &fetch) : -1;
    ok = ok && !(over >= 0 && trial.segments[over].head == head);
  }
  if (!ok) undo_cut(p);
  return ok;
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
  return copy_from(memory, piece, out, 0);
}

WaitCode fit_vfio_copy(GuestMemory& memory, PieceAnalysis& p, u32 min_cut) {
  static VfioCopy copy;
  // Each round removes one too-long segment or refuses; a cut needs a free
  // slot, so at most kMaxPieceCuts rounds.
  for (;;) {
    if (WaitCode v = build_vfio_copy(memory, p, copy); v != WaitCode::kNone) return v;
    i32 longest = -1;
    for (u32 k = 0; k < copy.count && longest < 0; ++k) {
      if (copy.segments[k].too_long()) longest = static_cast<i32>(k);
    }
    if (longest < 0) break;
    const u32 head = copy.segments[longest].head;
    bool cut = false;
    // The latest faithful point within the first 256 CCWs: fewest starts.
    for (u32 k = kVfioSegmentMax; k-- > 0 && !cut;) {
      u32 at = head + k * 8;
      i32 i = p.find(at);
      if (i < 0 || at < min_cut) continue;
      cut = cut_fits(memory, p, head, static_cast<u32>(i));
    }
    if (!cut) {
      return REFUSE(WaitCode::kDasdSegmentTooLong,
                    "vfio-ccw would copy more than %u chained CCWs from 0x%06x in one segment, "
                    "and none of its first %u CCWs that the chain runs can end a start faithfully",
                    kVfioSegmentMax, head, kVfioSegmentMax);
    }
  }
  u32 node = 0, fetch = 0;
  if (i32 s = find_overrun(p, copy, &node, &fetch); s >= 0) {
    return REFUSE(WaitCode::kDasdSegmentOverrun,
                  "after CCW 0x%06x the channel fetches 0x%06x, past the end of vfio-ccw's copy "
                  "of the segment at 0x%06x (%u CCWs); it would run host memory there",
                  node, fetch, copy.segments[s].head, copy.segments[s].copied());
  }
  return {};
}

}  // namespace ccwboot::dasd
