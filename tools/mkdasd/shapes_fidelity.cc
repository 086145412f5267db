// Shapes of issue 8's session-4 classes (docs/dasd-ipl.md, "Data chaining"
// and "Orientation"): a CCW run both as a command and as a data-chain
// continuation (fuzz finding F7), and a continuation after a multi-track read.
#include "shape_builder.h"

namespace ccwboot::sim::shape_detail {

constexpr u32 kJunkAddress = 0x1F00;  // below the payload: bytes nobody checks

// F7's class, good: Seek 0/1, Search R1 + TIC; a Read Data (CD, 16 bytes)
// of R1 whose data chain goes on in X, a Read Key and Data (CC + SLI) of
// the payload's size: R1's other bytes (a decoy) land where the payload
// belongs. Then Search ID Equal R3: the next count is R2's, no match, so
// the TIC after it runs X again -- as a command now, reading R2 (the
// payload) over the decoy -- and the Search, now facing R3, matches and
// skips the TIC to the NOP that ends the chain. X is walked both ways.
// `exact_end`: R1 holds only the 16 bytes; the record ends where the CD
// count does, and the channel still fetches X, which gets no data (SLI and
// no CD: no incorrect length) and chains on (Hercules 3.13, channel.c).
CkdVolume make_data_chain_then_command(const ShapeOptions& o, u32 n, bool exact_end) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  p.ccw(ccw_cmd::kReadData, kJunkAddress, CD, 16);
  u32 x = p.next();
  p.ccw(ccw_cmd::kReadKeyData, kPayloadAddress, CC | SLI, u16len(blob.size()));
  p.search(0, 1, 3);
  p.tic_to(x);
  p.ccw(ccw_cmd::kNop, 0, 0, 1);
  auto ipl2 = p.bytes();
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  std::vector<u8> r1(16, 0x5A);
  if (!exact_end) r1.resize(16 + blob.size(), 0xEE);  // X as a continuation: exactly its count
  add_data(v, 0, 1, r1);
  add_data(v, 0, 1, blob);
  add_data(v, 0, 1, std::vector<u8>(16, 0x33));
  return v;
}

// F7 itself, bad: IPL1's Read (CD + SLI) asks for 48 bytes more than IPL2
// holds, and the TIC after it points to 0. The record ends first: under CD
// the channel ignores SLI, so the IPL ends in incorrect length (Hercules
// 3.13) and the TIC is never used. Had the record been longer, the data
// chain would go on in IPL1's PSW at 0, read as a CCW: a chain through
// storage the Read IPL rewrites, which no prefetched start can run; ccwboot
// refuses it by name before it starts.
CkdVolume make_ipl1_data_chain_tic0(const ShapeOptions& o) {
  Program p(kIpl2Address);
  p.read_record(0, 1, 1, kPayloadAddress, 4096, 0);
  auto ipl2 = p.bytes();
  std::vector<u8> r(24);
  be::store64(&r[0], esa_psw(kPayloadAddress));
  Ccw0 read = Ccw0::make(ccw_cmd::kReadData, kIpl2Address, CD | SLI, u16len(ipl2.size() + 48));
  Ccw0 tic = Ccw0::make(ccw_cmd::kTic, 0, 0, 0);
  std::copy(read.raw, read.raw + 8, &r[8]);
  std::copy(tic.raw, tic.raw + 8, &r[16]);
  CkdVolume v(cylinders(o, 1));
  write_track0(v, r, ipl2, o);
  add_data(v, 0, 1, std::vector<u8>(4096, 0x77));
  return v;
}

// Multi-track, good: Seek 0/2, Search R1 + TIC, Read Data of R1 (16 bytes,
// the only record of 0/2), then Read Data MT (0x86) of the next record: the
// track has none, so the device goes on with head 3 and reads its R1 --
// new CCWs -- right over the CCW after the read. The chain is cut there;
// the continuation (Read Data of the next record: R2 of 0/3, the payload)
// runs behind Seek 0/2, Search R1 + TIC, Read Data and Read Data MT with
// SKIP, which leave the device where the chain's reads left it.
// `then_search`: after the multi-track read the chain searches for R2 of
// the track it crossed to and reads it over the CCWs after itself; the
// continuation reads the next record (R3, the payload) behind Seek 0/2,
// Search 0/2/1 + TIC, Read Data and Read Data MT with SKIP (the prefix, to
// 0/3), a NOP, Search 0/3/2 + TIC and Read Data with SKIP.
// `searches` 2, bad: the same once more -- R2 of 0/3 read, Read Data MT to
// 0/4, Search 0/4/2 + TIC, the Read over the CCWs after itself -- so the
// second search follows multi-track moves made after the first one's
// anchor: the replay would need two prefixes, and ccwboot keeps one. The
// hardware boots it; ccwboot refuses the cut by name
// (kDasdSplitNotFaithful).
CkdVolume make_multitrack_continuation(const ShapeOptions& o, u32 n, u32 searches) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 2);
  p.search_loop(0, 2, 1);
  p.ccw(ccw_cmd::kReadData, kJunkAddress, CC | SLI, 16);
  for (u32 s = 0; s < searches; ++s) {
    if (s > 0) p.ccw(ccw_cmd::kReadData, kJunkAddress, CC | SLI, 16);  // R2 of the last track
    p.ccw(ccw_cmd::kReadMultipleTrackData, kJunkAddress + 16, CC | SLI, 16);
    p.search_loop(0, static_cast<u16>(3 + s), 2);
  }
  u32 read = p.next();
  u32 new_ccws = p.addr_of(read + 1);
  Program fresh(new_ccws);
  fresh.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  auto fresh_bytes = fresh.bytes();
  p.ccw(searches ? ccw_cmd::kReadData : ccw_cmd::kReadMultipleTrackData, new_ccws, CC,
        u16len(fresh_bytes.size()));
  p.ccw(ccw_cmd::kNop, 0, 0, 1);  // on disk; the read replaces it
  auto ipl2 = p.bytes();
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 2, std::vector<u8>(16, 0x22));
  for (u32 s = 0; s < searches; ++s) {
    add_data(v, 0, static_cast<u16>(3 + s), std::vector<u8>(16, 0x33));
    if (s + 1 < searches) add_data(v, 0, static_cast<u16>(3 + s), std::vector<u8>(16, 0x44));
  }
  const u16 last = static_cast<u16>(searches ? 2 + searches : 3);
  add_data(v, 0, last, fresh_bytes);
  add_data(v, 0, last, blob);
  return v;
}

}  // namespace ccwboot::sim::shape_detail
