// Where the device's head stands during an IPL piece, as the walk can tell
// from the CCWs that ran (docs/dasd-ipl.md, "Orientation"): the model a
// continuation's Seek program (seek_program.h) is built from.
#pragma once

#include "ccwboot/guest_memory.h"
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
// moves (bit m-1 for move m) that were multi-track, and the skipping reads
// that replay them are multi-track too, so the device crosses to the same
// track the chain's read crossed to. Then `cylinder`/`head` name the
// anchor's track (the Seek's), not necessarily the one the device stands
// on. Losing the orientation there keeps the replay as a prefix
// (`pre_anchor`, `pre_id`, `pre_multitrack`: the moves from that anchor
// up to the last multi-track one, which reach the device's track), and a
// Search ID Equal that matches then anchors anew behind it: the Seek
// program replays the prefix, clears the index mark with a NOP and runs a
// Search ID Equal loop on the new id. One prefix only: multi-track moves
// after it lose the track when the orientation goes.
//
// Every default below is the enumeration's zero value, so the static
// PieceAnalysis and the walk's position table are zero-initialised and sit
// in .bss, not (48 KiB of them) in the image file.
enum class PositionState : u8 { kUnknown, kUnset, kKnown };
enum class Anchor : u8 { kNone, kIndex, kRecord };
enum class Phase : u8 { kData, kCount };
inline constexpr u8 kMaxRecordsMoved = 8;  // beyond: orientation unknown
struct TrackPosition {
  PositionState state = PositionState::kUnknown;
  u16 cylinder = 0;
  u16 head = 0;
  Anchor anchor = Anchor::kNone;  // kNone: the orientation on the track is not known
  u8 id[5] = {};                  // kRecord: the record id the search matched (CCHHR)
  u8 records = 0;
  Phase phase = Phase::kData;
  u8 multitrack = 0;  // bit m-1: move m was a multi-track read
  // The index mark may be set: since the last command that clears it (all
  // but Read Count, Read Sector and the ID/key searches), a search or Read
  // Count ran and may have passed the index point (ccw_class.h,
  // keeps_index_mark). A new program starts with the mark clear.
  bool index_mark = false;
  Anchor pre_anchor = Anchor::kNone;  // the prefix, when pre_multitrack is not 0
  u8 pre_id[5] = {};
  u8 pre_multitrack = 0;
  constexpr bool known() const { return state == PositionState::kKnown; }
  constexpr bool oriented() const { return known() && anchor != Anchor::kNone; }
  // The track is reached only by replaying multi-track moves.
  constexpr bool replayed() const { return (multitrack | pre_multitrack) != 0; }
  static constexpr TrackPosition at(u16 cylinder, u16 head) {
    return {PositionState::kKnown, cylinder, head,  Anchor::kIndex, {}, 0,
            Phase::kData,          0,        false, Anchor::kNone,  {}, 0};
  }
  constexpr bool operator==(const TrackPosition&) const = default;
};
static_assert(TrackPosition{}.state == PositionState{} && TrackPosition{}.phase == Phase{} &&
                  TrackPosition{}.anchor == Anchor{},
              "TrackPosition's defaults must be all-zero (.bss, not .data)");

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
