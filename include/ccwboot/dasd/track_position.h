// Where the device's head stands during an IPL piece, as the walk can tell
// from the CCWs that ran (docs/dasd-ipl.md, "Orientation"): the model a
// continuation's Seek program (seek_program.h) is built from.
#pragma once

#include "ccwboot/guest_memory.h"
#include "ccwboot/mem.h"
#include "ccwboot/types.h"

namespace ccwboot::dasd {

struct PieceAnalysis;

// Where the access mechanism stands (cylinder and head), as far as the walk
// can tell from the CCWs that ran: a Seek whose argument no earlier CCW of
// the start rewrites, Read IPL (0/0), and commands that stay on their track.
// Paths that disagree leave it unknown.
//
// On a known track, also the record orientation -- which field passes
// under the head next -- counted from an anchor: the index point (after a
// Seek) or the count of the record a Search ID Equal matched. `records` is
// how many records the head moved on from the anchor since, `phase` whether
// the last field passed was that record's count or its data. A Seek, a
// Search ID Equal loop on the anchor's id and that many skipping reads
// bring the device back to the same place (docs/dasd-ipl.md, "Orientation").
//
// A multi-track read (Read Data, Read Key and Data, Read Count, Read Count
// Key and Data with bit 0x80) of "the next record" moves to the next head
// when the track has no record left. Which track that leaves is a matter of
// the disk's layout, but not which *move* it was: `multitrack` marks the
// moves that were multi-track, and the skipping reads that replay them are
// multi-track too, so the device crosses to the same track the chain's
// read crossed to. Then `cylinder`/`head` name the Seek's track, not
// necessarily the one the device stands on. Losing the orientation there
// keeps the replay as a *prefix* (ReplayPrefix: the moves from that anchor
// up to the last multi-track one, which reach the device's track), and a
// Search ID Equal that matches then anchors anew behind it: the Seek
// program replays the prefixes, each followed by a NOP that clears the
// index mark, and runs a Search ID Equal loop on the new id. Prefixes
// chain (a list, newest last) as deep as the Seek program holds.
//
// The bound on all of it is the Seek program itself (seek_program.h): it
// runs as one vfio-ccw segment, at most 256 CCWs (CCWCHAIN_LEN_MAX), and
// each move replayed costs one CCW. A move that would make it longer drops
// the orientation (a multi-track one the track too). No count of records
// on a track bounds it: a single-track read past the last record wraps to
// R1, a multi-track one goes on with the next head (86 records of a 3390
// track at most, Hercules dasdtab.c's factors, but 15 tracks a cylinder).
//
// More anchors, each replayed by one command with SKIP where the Seek
// program puts the anchor (after the prefix, if any): the index point of
// the device's track (a Seek, or Read Home Address in the chain: replayed
// by Read HA behind a prefix); right after R0 (Read R0: a search then
// compares R1, not R0 as after a Seek); the end of the track (Read
// Multiple CKD: what the next command that reads a count does there
// differs -- Hercules goes on with the next head -- so nothing is counted
// on from it). And the count of the record a multi-track Search ID Equal
// loop (0xB1 + TIC back) matched: it scans from the track the position
// names on, across heads; the Seek program scans from that track's index
// point (Read HA behind a prefix) with the same loop, which stops on the
// same record as long as record ids are unique on the cylinder (real
// volumes: CCHHR, the track's own address). The device's track is then
// known only through that replay.
//
// Every default below is the enumeration's zero value, so the static
// PieceAnalysis and the walk's position table are zero-initialised and sit
// in .bss, not in the image file.
enum class PositionState : u8 { kUnknown, kUnset, kKnown };
enum class Anchor : u8 { kNone, kIndex, kRecord, kRecordZero, kEndOfTrack, kRecordMt };
// A search loop on a record's id replays it (the first read with SKIP is
// that record's data).
constexpr bool counts_from_record(Anchor a) {
  return a == Anchor::kRecord || a == Anchor::kRecordMt;
}
// The one CCW with SKIP that replays an anchor other than a record's, or
// goes to the index point before a multi-track search loop; the index
// point needs none right behind the Seek, only behind a prefix.
constexpr u32 anchor_command(Anchor a, bool behind_prefix) {
  return a == Anchor::kRecordZero || a == Anchor::kEndOfTrack ||
         ((a == Anchor::kIndex || a == Anchor::kRecordMt) && behind_prefix);
}
enum class Phase : u8 { kData, kCount };
inline constexpr u32 kMaxSeekProgramCcws = 256;  // one vfio-ccw segment (CCWCHAIN_LEN_MAX)
// Moves a Seek program can replay (each a CCW, besides the Seek and the TIC).
inline constexpr u32 kMaxReplayedMoves = kMaxSeekProgramCcws - 2;
struct TrackPosition {
  PositionState state = PositionState::kUnknown;
  Anchor anchor = Anchor::kNone;  // kNone: the orientation on the track is not known
  Phase phase = Phase::kData;
  // The index mark may be set: since the last command that clears it (all
  // but Read Count, Read Sector and the ID/key searches), a search or Read
  // Count ran and may have passed the index point (ccw_class.h,
  // keeps_index_mark). A new program starts with the mark clear.
  bool index_mark = false;
  u8 records = 0;  // moves since the anchor
  u8 id[5] = {};   // kRecord: the record id the search matched (CCHHR)
  u16 cylinder = 0;
  u16 head = 0;
  u16 prefix = 0;  // 1 + index of the newest ReplayPrefix (replay_prefix()), 0: none
  // Bit k: move k + 1 of the replay (the prefixes' moves first, then the
  // anchor's) was a multi-track read.
  u8 multitrack[(kMaxReplayedMoves + 7) / 8] = {};
  constexpr bool known() const { return state == PositionState::kKnown; }
  constexpr bool oriented() const { return known() && anchor != Anchor::kNone; }
  constexpr bool multitrack_move(u32 k) const { return multitrack[k / 8] >> (k % 8) & 1; }
  // The track is reached only by replaying multi-track moves.
  constexpr bool replayed() const {
    u64 any = prefix;
    for (u8 w : multitrack) any |= w;
    return any != 0 || anchor == Anchor::kRecordMt;
  }
  static constexpr TrackPosition at(u16 cylinder, u16 head) {
    TrackPosition t;
    t.state = PositionState::kKnown;
    t.cylinder = cylinder;
    t.head = head;
    t.anchor = Anchor::kIndex;
    return t;
  }
  // Byte for byte: there is no padding (a defaulted == compares the mask
  // byte by byte, a third of the walk's time).
  bool operator==(const TrackPosition& o) const { return memcmp(this, &o, sizeof o) == 0; }
};
static_assert(sizeof(TrackPosition) == 16 + sizeof(TrackPosition::multitrack), "no padding");
static_assert(TrackPosition{}.state == PositionState{} && TrackPosition{}.phase == Phase{} &&
                  TrackPosition{}.anchor == Anchor{},
              "TrackPosition's defaults must be all-zero (.bss, not .data)");

// The moves from an anchor through the last multi-track one, replayed
// before a later anchor's search. Kept once each in a table the walk
// shares (equal lists have equal indexes, so TrackPosition compares them
// by index); track_positions adds to it, keep_prefixes trims it.
struct ReplayPrefix {  // no padding: compared as bytes
  u16 parent = 0;      // 1 + index of the prefix before it, 0: none
  Anchor anchor = Anchor::kNone;
  u8 id[5] = {};
  u16 moves = 0;  // replayed: through the last multi-track one
};
static_assert(sizeof(ReplayPrefix) == 10, "no padding");
const ReplayPrefix& replay_prefix(u16 index);  // index: TrackPosition::prefix, not 0
// t's prefixes, oldest first, into `list` (kMaxSeekProgramCcws / 2 at
// most: each takes a read and a NOP); returns how many.
u32 prefix_list(const TrackPosition& t, u16* list);
// Moves the prefixes of `t` replay before its anchor's.
u32 prefix_moves(const TrackPosition& t);
// The Read Data with SKIP that bring the head from t's anchor back over
// the fields the chain's reads passed, and whether a Read Count ends it.
constexpr bool ends_on_count(const TrackPosition& t) {
  return t.phase == Phase::kCount && t.records > 0;
}
constexpr u32 replay_reads(const TrackPosition& t) {
  if (t.phase == Phase::kCount && t.records == 0) return 0;
  return t.records + counts_from_record(t.anchor) - ends_on_count(t);
}
// CCWs of the Seek program that gives t back (seek_program.h), or one or
// two more (counted as if it ended with a Read Count and a NOP): at most
// kMaxSeekProgramCcws for every position the walk keeps.
u32 seek_program_ccws(const TrackPosition& t);
// Drops every prefix from the table but t's, which move to its front (t's
// index follows). Before a walk: `t` is the position the caller keeps.
void keep_prefixes(TrackPosition& t);

// Fills every reachable node's position_after, for a start that begins
// with the device at `entry`. Seek arguments are read from memory as it is
// before the start (an argument an earlier CCW of the start may rewrite
// gives "unknown").
void track_positions(GuestMemory& memory, PieceAnalysis& piece, TrackPosition entry);

// Where the device stands once the CCW at `address` has run (its
// position_after, joined over its reachable nodes: run as a command and as
// a data-chain continuation); unknown if no node there is reachable.
TrackPosition position_after_ccw(const PieceAnalysis& piece, u32 address);

}  // namespace ccwboot::dasd
