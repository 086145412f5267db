// Track positions over a piece's graph: where each CCW leaves the head.
// track_position.h says what is modelled; docs/dasd-ipl.md, "Orientation".
#include "ccwboot/dasd/track_position.h"

#include "walk_detail.h"

namespace ccwboot::dasd {
namespace {

// The track stays known, where the head is on it does not. With
// multi-track moves the track is known by replaying them: the moves up to
// the last multi-track one become the prefix (the later ones stay on that
// track), unless there is one already.
TrackPosition lose_orientation(TrackPosition t) {
  if (t.multitrack) {
    if (t.pre_multitrack) return {};
    t.pre_anchor = t.anchor;
    for (int i = 0; i < 5; ++i) t.pre_id[i] = t.id[i];
    t.pre_multitrack = t.multitrack;
    t.multitrack = 0;
  }
  t.anchor = Anchor::kNone;
  t.records = 0;
  t.phase = Phase::kData;
  for (u8& b : t.id) b = 0;
  return t;
}

TrackPosition join(TrackPosition a, TrackPosition b) {
  if (a.state == PositionState::kUnset || a == b) return b;
  if (b.state == PositionState::kUnset) return a;
  if (a.known() && b.known() && a.cylinder == b.cylinder && a.head == b.head) {
    // Same track (after multi-track moves: the same prefix), orientation unknown.
    TrackPosition j = lose_orientation(a), k = lose_orientation(b);
    j.index_mark = k.index_mark = a.index_mark || b.index_mark;
    if (j.known() && j == k) return j;
  }
  return {};
}

// The argument bytes of `n` as the device will read them, if memory now
// holds them and no earlier writer of the start may change them.
bool stable_argument(GuestMemory& memory, const PieceAnalysis& p, const PieceNode& n, u8* arg,
                     u32 len) {
  if (n.data_chained_command || (n.flags() & ccw_flag::kChainData) || n.count() < len) return false;
  if (n.flags() & ccw_flag::kIndirect) return false;  // through IDAWs: not followed
  if (writers_overlap(p, n.written_in, n.data_address(), len)) return false;
  return memory.read(n.data_address(), arg, len);
}

// The head moves on to the next record's count (`count`) or past its data;
// `multitrack`: a multi-track command, which at the end of the track goes
// on with the next head (Hercules ckddasd.c, ckd_read_count and
// mt_advance), so the track is known only through the replay.
TrackPosition moved_on(TrackPosition t, Phase phase, bool multitrack = false) {
  if (t.anchor == Anchor::kNone) return multitrack ? TrackPosition{} : t;
  // Past the count, a multi-track move may cross from a place not known.
  if (t.records == kMaxRecordsMoved) return multitrack ? TrackPosition{} : lose_orientation(t);
  if (multitrack) t.multitrack = static_cast<u8>(t.multitrack | 1u << t.records);
  ++t.records;
  t.phase = phase;
  return t;
}

// Where the device stands after `n` ran, having stood at `in` before (for
// a search, when it did not match: the next CCW runs). The index mark is
// after()'s.
TrackPosition moved(GuestMemory& memory, const PieceAnalysis& p, const PieceNode& n,
                    TrackPosition in) {
  u8 cmd = n.command();
  u8 arg[6];
  // A data-chained CCW goes on with the same record.
  if (n.data_chained_command) return in;
  switch (cmd) {
    case ccw_cmd::kReadIpl: {
      TrackPosition t = TrackPosition::at(0, 0);
      return moved_on(t, Phase::kData);  // R1's data
    }
    case 0x13:  // Recalibrate
      return TrackPosition::at(0, 0);
    case ccw_cmd::kSeek:
    case 0x0B:  // Seek Cylinder
      if (!stable_argument(memory, p, n, arg, 6) || be::load16(arg) != 0) return {};
      return TrackPosition::at(be::load16(arg + 2), be::load16(arg + 4));
    case 0x1B:  // Seek Head: the cylinder stays
      if (!in.known() || !stable_argument(memory, p, n, arg, 6) || be::load16(arg) != 0) return {};
      return TrackPosition::at(in.cylinder, be::load16(arg + 4));
    case ccw_cmd::kNop:
    case ccw_cmd::kSense:
    case ccw_cmd::kSenseId:
    case 0x64:  // Read Device Characteristics
      return in;
    case ccw_cmd::kReadData:
    case ccw_cmd::kReadKeyData:
    case ccw_cmd::kReadData | 0x80:
    case ccw_cmd::kReadKeyData | 0x80:
      // Oriented to a count: that record's data (no move, on this track);
      // else the next record's.
      if (in.anchor != Anchor::kNone && in.phase == Phase::kCount) {
        in.phase = Phase::kData;
        return in;
      }
      return moved_on(in, Phase::kData, cmd & 0x80);
    case ccw_cmd::kReadCount:
    case ccw_cmd::kReadCount | 0x80:
    case 0x31:  // Search ID Equal (not matched): it read the next count
      return moved_on(in, Phase::kCount, cmd & 0x80);
    case ccw_cmd::kReadCountKeyData:
    case ccw_cmd::kReadCountKeyData | 0x80: return moved_on(in, Phase::kData, cmd & 0x80);
    case ccw_cmd::kReadRecordZero:
    case ccw_cmd::kReadRecordZero | 0x80: {
      // R0 of this track (multi-track: of the next head); the next read
      // gets R1. The device's track must be known without a replay.
      if (!in.known() || in.replayed()) return {};
      u16 head = in.head;
      if ((cmd & 0x80) && ++head >= 15) return {};  // end of cylinder: a unit check
      return TrackPosition::at(in.cylinder, head);
    }
    default:
      if (!keeps_track(cmd)) return {};
      return in.known() ? lose_orientation(in) : in;
  }
}

// The same with the index mark: a command that keeps it and reads counts
// (a search, Read Count) may have passed the index point, so the mark may
// be set after it; every other command clears it as it begins (a Read
// Data that passes the index point then is mirrored by the Read Data with
// SKIP that brings the head back over the same field, which clears it
// too). A data-chained CCW goes on with the command before it.
TrackPosition after(GuestMemory& memory, const PieceAnalysis& p, const PieceNode& n,
                    TrackPosition in) {
  TrackPosition t = moved(memory, p, n, in);
  if (!n.data_chained_command) t.index_mark = keeps_index_mark(n.command()) && t.known();
  return t;
}

// What edge `e` of `n` carries: after a Search ID Equal of five bytes that
// matched (the skip to the CCW after next), the head is right after the
// count of the record with that id, wherever it was on the track before.
// After multi-track moves the track is the one their replay (the prefix)
// reaches.
TrackPosition along(GuestMemory& memory, const PieceAnalysis& p, const PieceNode& n, u32 e,
                    TrackPosition out) {
  if (e != 1 || n.command() != ccw_cmd::kSearchIdEqual || !out.known()) return out;
  out = lose_orientation(out);
  u8 id[5];
  if (!out.known() || !stable_argument(memory, p, n, id, 5)) return out;
  out.anchor = Anchor::kRecord;
  for (int i = 0; i < 5; ++i) out.id[i] = id[i];
  out.records = 0;
  out.phase = Phase::kCount;
  return out;
}

}  // namespace

void track_positions(GuestMemory& memory, PieceAnalysis& p, TrackPosition entry) {
  static TrackPosition in[kMaxPieceFetches];
  // A node is looked at again only when what reaches it changed: what
  // after() and along() give depends on that alone, and joining the same
  // value into a successor again changes nothing.
  static bool dirty[kMaxPieceFetches];
  for (u32 i = 0; i < p.node_count; ++i) {
    in[i] = {PositionState::kUnset};
    p.nodes[i].position_after = {PositionState::kUnset};
    dirty[i] = false;
  }
  if (p.node_count == 0) return;
  in[0] = entry;
  dirty[0] = true;
  // Each value only moves up kUnset -> oriented -> track only -> kUnknown
  // (a count past kMaxRecordsMoved drops the orientation), so this ends.
  for (bool changed = true; changed;) {
    changed = false;
    for (u32 i = 0; i < p.node_count; ++i) {
      PieceNode& n = p.nodes[i];
      if (!dirty[i]) continue;
      dirty[i] = false;
      if (!n.reachable || in[i].state == PositionState::kUnset) continue;
      TrackPosition out = after(memory, p, n, in[i]);
      if (!(n.position_after == out)) {
        n.position_after = out;
        changed = true;
      }
      if (n.stops()) continue;
      for (u32 e = 0; e < n.successor_count; ++e) {
        if (n.successor[e] == kDangling) continue;
        TrackPosition& s = in[n.successor[e]];
        TrackPosition j = join(s, along(memory, p, n, e, out));
        if (!(j == s)) {
          s = j;
          dirty[n.successor[e]] = true;
          changed = true;
        }
      }
    }
  }
}

TrackPosition position_after_ccw(const PieceAnalysis& p, u32 address) {
  TrackPosition t{PositionState::kUnset};
  for (u32 i = 0; i < p.node_count; ++i) {
    const PieceNode& n = p.nodes[i];
    if (n.address == address && n.reachable) t = join(t, n.position_after);
  }
  return t.state == PositionState::kUnset ? TrackPosition{} : t;
}

}  // namespace ccwboot::dasd
