// Track positions over a piece's graph: where each CCW leaves the head.
// track_position.h says what is modelled; docs/dasd-ipl.md, "Orientation".
#include "ccwboot/dasd/track_position.h"

#include "ccwboot/mem.h"
#include "walk_detail.h"

namespace ccwboot::dasd {
namespace {

// The replay prefixes of this walk (ReplayPrefix): as many as the walk
// has nodes; when it is full a new prefix is not made and the track is
// unknown there (refused by name where a continuation needs it).
ReplayPrefix g_prefixes[kMaxPieceFetches];
u32 g_prefix_count = 0;

// 1 + index of the prefix equal to `e`, added if new; 0 if the table is full.
u16 intern(const ReplayPrefix& e) {
  for (u32 i = 0; i < g_prefix_count; ++i) {
    if (memcmp(&g_prefixes[i], &e, sizeof e) == 0) return static_cast<u16>(i + 1);
  }
  if (g_prefix_count == kMaxPieceFetches) return 0;
  g_prefixes[g_prefix_count++] = e;
  return static_cast<u16>(g_prefix_count);
}

// The track stays known, where the head is on it does not. With
// multi-track moves the track is known by replaying them: the moves up to
// the last multi-track one become a prefix (the later ones stay on that
// track), as long as the Seek program can hold it. At the end of the
// track (after Read Multiple CKD) the track itself is in doubt for
// whatever reads a count next, so nothing is kept.
TrackPosition lose_orientation(TrackPosition t) {
  if (t.anchor == Anchor::kEndOfTrack) return {};
  const u32 before = prefix_moves(t);
  u32 moves = t.records;
  while (moves && !t.multitrack_move(before + moves - 1)) --moves;
  // A multi-track search's anchor is itself a move to a track not named.
  const bool keep = moves || t.anchor == Anchor::kRecordMt;
  if (keep) {
    ReplayPrefix e;
    e.parent = t.prefix;
    e.anchor = t.anchor;
    for (int i = 0; i < 5; ++i) e.id[i] = t.id[i];
    e.moves = static_cast<u16>(moves);
    t.prefix = intern(e);
  }
  t.anchor = Anchor::kNone;
  t.records = 0;
  t.phase = Phase::kData;
  for (u8& b : t.id) b = 0;
  if (keep && (!t.prefix || seek_program_ccws(t) > kMaxSeekProgramCcws)) return {};
  return t;
}

TrackPosition join(const TrackPosition& a, const TrackPosition& b) {
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
  // From the end of the track Hercules goes on with the next head (even
  // single-track: ckd_read_count, CKDORIENT_EOT); a 3990 may not.
  if (t.anchor == Anchor::kEndOfTrack) return {};
  if (t.anchor == Anchor::kNone) return multitrack ? TrackPosition{} : t;
  TrackPosition m = t;
  const u32 k = prefix_moves(t) + t.records;  // < kMaxReplayedMoves: t's program fits
  if (multitrack) m.multitrack[k / 8] |= static_cast<u8>(1u << (k % 8));
  ++m.records;
  m.phase = phase;
  // Past what the Seek program holds: a multi-track move may cross from a
  // place not known.
  if (seek_program_ccws(m) > kMaxSeekProgramCcws)
    return multitrack ? TrackPosition{} : lose_orientation(t);
  return m;
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
    case 0x31:  // Search ID Equal (not matched): it read the next count
      // Right after the index point that is R0's, which the reads with
      // SKIP that replay moves skip: not counted.
      if (in.anchor == Anchor::kIndex && in.records == 0) return lose_orientation(in);
      [[fallthrough]];
    case ccw_cmd::kReadCount:
    case ccw_cmd::kReadCount | 0x80: return moved_on(in, Phase::kCount, cmd & 0x80);
    case ccw_cmd::kReadCountKeyData:
    case ccw_cmd::kReadCountKeyData | 0x80: return moved_on(in, Phase::kData, cmd & 0x80);
    case 0xB1:  // Search ID Equal MT, not matched
      // In a loop (a TIC back to it) it goes on scanning, from where the
      // loop began as far as the match is concerned (along()); elsewhere
      // on a track not known.
      if (n.has_tic[0] && n.target_address[0] == n.address) return in;
      return {};
    case ccw_cmd::kReadRecordZero:
    case ccw_cmd::kReadRecordZero | 0x80:
    case ccw_cmd::kReadHomeAddress:
    case ccw_cmd::kReadHomeAddress | 0x80: {
      // Back to the start of this track (multi-track: of the next head,
      // whose number must be known without a replay; past head 14 a unit
      // check), past HA or R0 (Hercules ckddasd.c, cases 0x16 and 0x1A:
      // ckd_seek). Behind multi-track moves the track is the one their
      // replay reaches: they become a prefix, and this anchors anew.
      if ((cmd & 0x80) && (in.replayed() || ++in.head >= 15)) return {};
      in = lose_orientation(in);
      if (in.known())
        in.anchor = (cmd & 0x7F) == ccw_cmd::kReadRecordZero ? Anchor::kRecordZero : Anchor::kIndex;
      break;
    }
    case 0x5E:  // Read Multiple CKD: to the end of this track, from anywhere on it
      // (From the end of the track: the next track's in Hercules; unknown.)
      in = lose_orientation(in);
      if (in.known()) in.anchor = Anchor::kEndOfTrack;
      break;
    default:
      if (!keeps_track(cmd)) return {};
      return in.known() ? lose_orientation(in) : in;
  }
  // A new anchor's command with SKIP must fit in the Seek program too
  // (orientation dropped; at the end of the track nothing is kept).
  return seek_program_ccws(in) <= kMaxSeekProgramCcws ? in : lose_orientation(in);
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
// A multi-track one (0xB1) in a loop scanned from the track `out` names
// on: anchored the same way (kRecordMt), or the track is not known.
TrackPosition along(GuestMemory& memory, const PieceAnalysis& p, const PieceNode& n, u32 e,
                    TrackPosition out) {
  const u8 cmd = n.command();
  if (e != 1 || (cmd != ccw_cmd::kSearchIdEqual && cmd != 0xB1) || !out.known()) return out;
  const bool mt = cmd == 0xB1;
  out = lose_orientation(out);
  const TrackPosition lost = mt ? TrackPosition{} : out;
  u8 id[5];
  if (!out.known() || !stable_argument(memory, p, n, id, 5)) return lost;
  TrackPosition a = out;
  a.anchor = mt ? Anchor::kRecordMt : Anchor::kRecord;
  for (int i = 0; i < 5; ++i) a.id[i] = id[i];
  a.records = 0;
  a.phase = Phase::kCount;
  return seek_program_ccws(a) <= kMaxSeekProgramCcws ? a : lost;
}

}  // namespace

const ReplayPrefix& replay_prefix(u16 index) { return g_prefixes[index - 1]; }

u32 prefix_moves(const TrackPosition& t) {
  u32 n = 0;
  for (u16 p = t.prefix; p; p = replay_prefix(p).parent) n += replay_prefix(p).moves;
  return n;
}

u32 seek_program_ccws(const TrackPosition& t) {
  u32 n = 2;  // the Seek, the TIC
  // Each prefix: its search loop and the anchor's data, a read per move, a NOP.
  for (u16 p = t.prefix; p; p = replay_prefix(p).parent) {
    const ReplayPrefix& e = replay_prefix(p);
    n += 3 * counts_from_record(e.anchor) + e.moves + 1 + anchor_command(e.anchor, e.parent);
  }
  // The same for the anchor, or a Read Count and a NOP for the last move.
  if (t.oriented())
    n += 3 * counts_from_record(t.anchor) + t.records + 1 + anchor_command(t.anchor, t.prefix);
  return n;
}

u32 prefix_list(const TrackPosition& t, u16* list) {
  u32 depth = 0;
  for (u16 p = t.prefix; p; p = replay_prefix(p).parent) ++depth;
  u32 k = depth;
  for (u16 p = t.prefix; p; p = replay_prefix(p).parent) list[--k] = p;
  return depth;
}

void keep_prefixes(TrackPosition& t) {
  // An entry's parent always comes before it in the table, so moving each
  // of t's down to its place in the list overwrites nothing still to be
  // moved.
  static u16 list[kMaxSeekProgramCcws];
  const u32 depth = prefix_list(t, list);
  for (u32 k = 0; k < depth; ++k) {
    g_prefixes[k] = g_prefixes[list[k] - 1];
    g_prefixes[k].parent = static_cast<u16>(k);
  }
  g_prefix_count = depth;
  t.prefix = static_cast<u16>(depth);
}

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
  // Each value only moves up kUnset -> oriented -> track only -> kUnknown,
  // and anchors anew (behind one more prefix) only as often as the Seek
  // program holds prefixes: a move past what it holds drops the
  // orientation, so this ends.
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
