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
  while (c + 16 + kCopyWindow <= limit) {  // the program starts at slot + 16
    AddrRange slot = AddrRange::at(c, bytes);
    if (const ReservedRange* r = reserved.find_overlap(slot)) {
      c = past(r->end);
      continue;
    }
    u64 next = 0;
    for (u32 i = 0; i < piece.node_count && !next; ++i) {
      const PieceNode& n = piece.nodes[i];
      if (!n.reachable) continue;
      AddrRange used[5] = {AddrRange::at(n.address, 8), n.area(), n.idal, {}, {}};
      for (u32 e = 0; e < n.successor_count; ++e) {
        if (n.has_tic[e]) used[3 + e] = AddrRange::at(n.tic_address[e], 8);
      }
      for (const AddrRange& u : used) {
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
  for (u32 i = 0; i < 16; ++i) out[i] = 0;
  be::store16(out + 2, t.cylinder);
  be::store16(out + 4, t.head);
  for (u32 i = 0; i < 5; ++i) out[6 + i] = t.id[i], out[11 + i] = t.pre_id[i];
  u32 at = 16;
  auto put = [&](u8 cmd, u32 addr, u8 flags, u16 count) {
    Ccw0 c = Ccw0::make(cmd, addr, flags, count);
    for (int i = 0; i < 8; ++i) out[at + i] = c.raw[i];
    at += 8;
  };
  // From `anchor` (its id at `id`): `reads` Read Data with SKIP. Read r
  // passes move r (from a record: read 0 is the anchor's own data, no
  // move) or move r + 1 (from the index point); a move the chain made with
  // a multi-track read is replayed multi-track (bit m-1 of `mt` for move
  // m), so it crosses to the next head exactly where the chain's read did.
  auto replay = [&](Anchor anchor, u32 id, u32 reads, u32 mt) {
    const u32 from_record = anchor == Anchor::kRecord;
    if (from_record) {
      put(ccw_cmd::kSearchIdEqual, id, ccw_flag::kChainCommand, 5);
      put(ccw_cmd::kTic, slot + at - 8, 0, 0);
    }
    for (u32 r = 0; r < reads; ++r) {
      u32 move = r + 1 - from_record;
      u8 cmd = static_cast<u8>(ccw_cmd::kReadData | (move && (mt >> (move - 1) & 1) ? 0x80 : 0));
      put(cmd, slot, kSkipRead, 1);
    }
  };
  put(ccw_cmd::kSeek, slot, ccw_flag::kChainCommand, 6);
  if (t.pre_multitrack) {
    // Through the last multi-track move: the mask's bit width, counted
    // (std::bit_width costs 72 B more: z900 has no FLOGR instruction).
    u32 moves = 0;
    for (u32 m = t.pre_multitrack; m; m >>= 1) ++moves;
    replay(t.pre_anchor, slot + 11, moves + (t.pre_anchor == Anchor::kRecord), t.pre_multitrack);
    put(ccw_cmd::kNop, 0, ccw_flag::kChainCommand, 1);
  }
  bool counts = false;
  if (t.oriented()) {
    // From the anchor (a record's count, or the index point = "data" of
    // nothing), each Read Data passes one more data field; a Read Count
    // stops at the last count.
    counts = t.phase == Phase::kCount && t.records > 0;
    u32 datas = t.records + (t.anchor == Anchor::kRecord) - counts;
    if (t.phase == Phase::kCount && t.records == 0) datas = 0;
    replay(t.anchor, slot + 6, datas, t.multitrack);
    if (counts) {
      u8 mt = (t.multitrack >> (t.records - 1) & 1) ? 0x80 : 0;
      put(static_cast<u8>(ccw_cmd::kReadCount | mt), slot, kSkipRead, 1);
    }
  }
  if (counts && !t.index_mark) put(ccw_cmd::kNop, 0, ccw_flag::kChainCommand, 1);
  put(ccw_cmd::kTic, start, 0, 0);
  return at;
}

}  // namespace ccwboot::dasd
