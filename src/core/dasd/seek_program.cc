// The Seek program a continuation runs behind: seek_program.h;
// docs/dasd-ipl.md, "Orientation".
#include "ccwboot/dasd/seek_program.h"

#include "ccwboot/arch/ccw.h"
#include "ccwboot/dasd/ccw_class.h"

namespace ccwboot::dasd {

bool find_borrowed_slot(const PieceAnalysis& piece, const ReservedSet& reserved, u64 size,
                        u32 bytes, u32* out) {
  constexpr u64 kCopyWindow = 2048, kFormat0Reach = 1ULL << 24;
  u64 limit = size < kFormat0Reach ? size : kFormat0Reach;
  u64 c = 0x200;  // above the architected low core
  auto past = [](u64 end) { return (end + 7) & ~u64{7}; };
  // Every retry moves c past the end of a range it overlapped, so at most
  // one retry per range.
  while (c + (bytes > kCopyWindow ? bytes : kCopyWindow) <= limit) {
    AddrRange slot = AddrRange::at(c, bytes);
    if (const ReservedRange* r = reserved.find_overlap(slot)) {
      c = past(r->end);
      continue;
    }
    u64 next = 0;
    for (u32 i = 0; i < piece.node_count && !next; ++i) {
      const PieceNode& n = piece.nodes[i];
      if (!n.reachable) continue;
      AddrRange used[4] = {AddrRange::at(n.address, 8), n.idal, {}, {}};
      for (u32 e = 0; e < n.successor_count; ++e) {
        if (n.has_tic[e]) used[2 + e] = AddrRange::at(n.tic_address[e], 8);
      }
      for (const AddrRange& u : used) {
        if (u.overlaps(slot)) next = past(u.end);
      }
      for (const AddrRange& u : piece.areas(n)) {
        if (u.overlaps(slot)) next = past(u.end);
      }
    }
    if (!next) {
      *out = static_cast<u32>(c);
      return true;
    }
    c = next;
  }
  return false;
}

u32 reorientation(const TrackPosition& t, u32 slot, u32 start, u8 (&out)[kMaxSeekProgram]) {
  constexpr u8 kSkipRead = ccw_flag::kChainCommand | ccw_flag::kSuppressLength | ccw_flag::kSkip;
  static u16 list[kMaxSeekProgramCcws];
  const u32 depth = prefix_list(t, list);
  // The arguments follow the CCWs: the Seek's, then each search's id.
  const u32 args = 8 * seek_program_ccws(t);
  out[args] = out[args + 1] = 0;
  be::store16(out + args + 2, t.cylinder);
  be::store16(out + args + 4, t.head);
  u32 arg = args + 6;
  u32 at = 0;
  auto put = [&](u8 cmd, u32 addr, u8 flags, u16 count) {
    Ccw0 c = Ccw0::make(cmd, addr, flags, count);
    for (int i = 0; i < 8; ++i) out[at + i] = c.raw[i];
    at += 8;
  };
  // From `anchor` (record `id`): `reads` Read Data with SKIP. Read r
  // passes move r (from a record: read 0 is the anchor's own data, no
  // move) or move r + 1 (from the index point); a move the chain made with
  // a multi-track read is replayed multi-track (move m since this anchor
  // is bit `before` + m - 1), so it crosses to the next head exactly where
  // the chain's read did. The anchor itself: one command with SKIP that
  // goes there from anywhere on the track (anchor_command: Read HA, the
  // index point -- right behind the Seek, at 8, the head is there already;
  // Read R0: past R0; Read Multiple CKD: the end of the track); on a
  // record, a Search ID Equal loop (multi-track: from the index point).
  auto replay = [&](Anchor anchor, const u8* id, u32 reads, u32 before) {
    const u32 from_record = counts_from_record(anchor);
    if (anchor_command(anchor, at > 8)) {
      static constexpr u8 kAnchorCommand[] = {0,    ccw_cmd::kReadHomeAddress,
                                              0,    ccw_cmd::kReadRecordZero,
                                              0x5E, ccw_cmd::kReadHomeAddress};
      put(kAnchorCommand[static_cast<u8>(anchor)], slot, kSkipRead, 1);
    }
    if (from_record) {
      for (u32 i = 0; i < 5; ++i) out[arg + i] = id[i];
      put(anchor == Anchor::kRecordMt ? 0xB1 : ccw_cmd::kSearchIdEqual, slot + arg,
          ccw_flag::kChainCommand, 5);
      put(ccw_cmd::kTic, slot + at - 8, 0, 0);
      arg += 5;
    }
    for (u32 r = 0; r < reads; ++r) {
      u32 move = r + 1 - from_record;
      bool mt = move && t.multitrack_move(before + move - 1);
      put(static_cast<u8>(ccw_cmd::kReadData | (mt ? 0x80 : 0)), slot, kSkipRead, 1);
    }
  };
  put(ccw_cmd::kSeek, slot + args, ccw_flag::kChainCommand, 6);
  u32 before = 0;  // moves replayed so far
  for (u32 k = 0; k < depth; ++k) {
    // Through its last multi-track move, then a NOP that clears the index mark.
    const ReplayPrefix& e = replay_prefix(list[k]);
    replay(e.anchor, e.id, e.moves + counts_from_record(e.anchor), before);
    before += e.moves;
    put(ccw_cmd::kNop, 0, ccw_flag::kChainCommand, 1);
  }
  bool counts = false;
  if (t.oriented()) {
    // From the anchor (a record's count, or the index point = "data" of
    // nothing), each Read Data passes one more data field; a Read Count
    // stops at the last count.
    counts = ends_on_count(t);
    replay(t.anchor, t.id, replay_reads(t), before);
    if (counts) {
      u8 mt = t.multitrack_move(before + t.records - 1) ? 0x80 : 0;
      put(static_cast<u8>(ccw_cmd::kReadCount | mt), slot, kSkipRead, 1);
    }
  }
  if (counts && !t.index_mark) put(ccw_cmd::kNop, 0, ccw_flag::kChainCommand, 1);
  put(ccw_cmd::kTic, start, 0, 0);
  // seek_program_ccws counts a CCW or two more than some programs need.
  for (; at < args; ++at) out[at] = 0;
  return arg;
}

}  // namespace ccwboot::dasd
