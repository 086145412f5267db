// Shapes for the findings of the Hercules differential fuzzer (docs/fuzzing.md,
// "Findings of the Hercules runs"): each is the smallest chain that shows the
// class of one generated volume, so the regression no longer rests on a seed.
#include "shape_builder.h"

namespace ccwboot::sim::shape_detail {

// The format-1 IDAWs that put `size` bytes at `dest`: the first names
// `dest` (any byte), every later one the next 2 KiB boundary.
std::vector<u8> idaws_for(u32 dest, u32 size) {
  constexpr u32 kBlock = 0x800;
  std::vector<u8> out;
  for (u32 a = dest; a < dest + size; a = (a + kBlock) & ~(kBlock - 1)) {
    u8 w[4];
    be::store32(w, a);
    out.insert(out.end(), w, w + 4);
  }
  return out;
}

// IPL2 `p` followed by word-aligned `list` (at offset `at_least` or later);
// the CCW `read` names the list.
std::vector<u8> with_idaw_list(const Program& p, u32 read, const std::vector<u8>& list,
                               size_t at_least = 0) {
  auto ipl2 = p.bytes();
  ipl2.resize(std::max((ipl2.size() + 3) & ~size_t{3}, at_least), 0);  // IDAWs are word aligned
  be::store24(&ipl2[read * 8 + 1], kIpl2Address + static_cast<u32>(ipl2.size()));
  ipl2.insert(ipl2.end(), list.begin(), list.end());
  return ipl2;
}

// H6 (volume 1000:4): IPL2 = Seek 0/1, Search 0/1/1 + TIC, Read Data of the
// payload with IDA. The Read's address names a list of format-1 IDAWs after
// IPL2's arguments: 0x1f80 (the first may name any byte: 128 bytes up to
// the 2 KiB boundary), then 0x2000, 0x2800 and 0x3000; the hardware stores
// the payload there. The bad variants spoil one IDAW the data reaches:
// kBeyondStorage names 0x7ffff800 (past any storage: the hardware
// program-checks, vfio-ccw could not pin it), kOffBoundary names 0x2810
// instead of 0x2800 (the hardware program-checks there, after 0x1f80..0x27ff).
CkdVolume make_ida_read(const ShapeOptions& o, u32 n, IdaVariant variant) {
  std::vector<u8> blob = make_payload(kIdaPayload, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  u32 read = p.next();
  p.ccw(ccw_cmd::kReadData, 0, ccw_flag::kIndirect, u16len(blob.size()));
  std::vector<u8> list = idaws_for(kIdaPayload, static_cast<u32>(blob.size()));
  if (variant == IdaVariant::kBeyondStorage) be::store32(&list[8], 0x7FFFF800);
  if (variant == IdaVariant::kOffBoundary) be::store32(&list[8], 0x2810);
  auto ipl2 = with_idaw_list(p, read, list);
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kIdaPayload, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, blob);
  return v;
}

// An IDA Read that stores over the CCWs after it (overwrite_no_tic through
// IDAWs): IPL2 = Seek 0/1, Search R1 + TIC, Read R1 with IDA (CC), NOP. Its
// one IDAW (at 0x880) names the NOP's address: in storage the Read leaves a
// Seek/Search/Read group there that loads the payload; on disk the chain
// would end at the NOP.
CkdVolume make_ida_overwrite(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  u32 read = p.next();
  u32 new_ccws = p.addr_of(read + 1);
  Program fresh(new_ccws);
  fresh.read_record(0, 2, 1, kPayloadAddress, u16len(blob.size()), 0);
  auto fresh_bytes = fresh.bytes();
  p.ccw(ccw_cmd::kReadData, 0, ccw_flag::kIndirect | CC, u16len(fresh_bytes.size()));
  p.ccw(ccw_cmd::kNop, 0, 0, 1);
  // The list at 0x880, past what the Read stores (it is read once, before).
  auto ipl2 = with_idaw_list(p, read, idaws_for(new_ccws, u16len(fresh_bytes.size())), 0x80);
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, fresh_bytes);
  add_data(v, 0, 2, blob);
  return v;
}

// Scattered IDAW blocks (loader corpus, seed 1 volume 6): IPL2 = Seek 0/1,
// Search R1 + TIC, TIC to 0x1010, where a Read of R1 with IDA (CC, its list
// at 0x1000) and a NOP sit. The first IDAW names the NOP (0x1018) up to the
// 2 KiB boundary, the
// second the block at 0x800, IPL2's start, which has run by then. R1 puts a
// Seek/Search/Read group that loads the payload over the NOP, and filler
// over 0x800..0xfff. The blocks' span covers the Read's own CCW, which must
// end the start; only the blocks are stored.
CkdVolume make_ida_scattered(const ShapeOptions& o, u32 n) {
  constexpr u32 kList = 0x1000, kRead = 0x1010, kBoundary = 0x1800;
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  p.ccw(ccw_cmd::kTic, kRead, 0, 0);
  auto ipl2 = p.bytes();
  Program fresh(kRead + 8);
  fresh.read_record(0, 2, 1, kPayloadAddress, u16len(blob.size()), 0);
  std::vector<u8> r1 = fresh.bytes();
  r1.resize(kBoundary - (kRead + 8) + 0x800, 0xEE);
  ipl2.resize(kBoundary - kIpl2Address, 0);
  Ccw0 read = Ccw0::make(ccw_cmd::kReadData, kList, ccw_flag::kIndirect | CC, u16len(r1.size()));
  Ccw0 nop = Ccw0::make(ccw_cmd::kNop, 0, 0, 1);
  std::copy(read.raw, read.raw + 8, &ipl2[kRead - kIpl2Address]);
  std::copy(nop.raw, nop.raw + 8, &ipl2[kRead + 8 - kIpl2Address]);
  be::store32(&ipl2[kList - kIpl2Address], kRead + 8);
  be::store32(&ipl2[kList + 4 - kIpl2Address], kIpl2Address);
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, r1);
  add_data(v, 0, 2, blob);
  return v;
}

// An IDAW list that an earlier Read of the same chain rewrites: IPL2 = Seek
// 0/1, Search R1 + TIC, Read R1 (the IDAWs that put the payload at 0x1f80)
// over the list, Search R2 + TIC, Read R2 (the payload) with IDA. The list
// in IPL2 names 0x6000 on: a channel that ran the list as it stood at the
// start (vfio-ccw's copy) would store the payload there, and the payload's
// checksum at 0x1f80 would fail.
CkdVolume make_ida_list_rewritten(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kIdaPayload, kSingleBlob, good_psw(n), n);
  std::vector<u8> right = idaws_for(kIdaPayload, static_cast<u32>(blob.size()));
  std::vector<u8> stale = idaws_for(0x6000 - 0x80, static_cast<u32>(blob.size()));
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  u32 rewrite = p.next();
  p.ccw(ccw_cmd::kReadData, 0, CC | SLI, u16len(right.size()));
  p.search_loop(0, 1, 2);
  u32 read = p.next();
  p.ccw(ccw_cmd::kReadData, 0, ccw_flag::kIndirect, u16len(blob.size()));
  auto ipl2 = with_idaw_list(p, read, stale);
  std::copy(&ipl2[read * 8 + 1], &ipl2[read * 8 + 4], &ipl2[rewrite * 8 + 1]);  // same list
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kIdaPayload, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, right);
  add_data(v, 0, 1, blob);
  return v;
}

// H7 (1000:646) and H7b (1000:2410): Seek 0/1, Search R1 + TIC, Read R1 (the
// payload's first 2 KiB), then Search R2 + a TIC that points `tic_offset`
// bytes past that Search: 8 is the TIC itself (a TIC to a TIC), 4 an odd
// address inside the Search. Right after R1 the next count field is R2's,
// so the Search matches at once, the channel skips the TIC and never
// fetches it, and the rest of the payload loads.
CkdVolume make_search_tic_back(const ShapeOptions& o, u32 n, u32 tic_offset) {
  constexpr u32 kFirst = 2048;
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.read_record(0, 1, 1, kPayloadAddress, u16len(kFirst), CC);
  u32 search = p.next();
  p.search_loop(0, 1, 2);
  p.ccw(ccw_cmd::kReadData, kPayloadAddress + kFirst, 0, u16len(blob.size() - kFirst));
  auto ipl2 = p.bytes();
  be::store24(&ipl2[(search + 1) * 8 + 1], p.addr_of(search) + tic_offset);
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, slice(blob, 0, kFirst));
  add_data(v, 0, 1, slice(blob, kFirst, blob.size() - kFirst));
  return v;
}

// H8 (9000:2118): Seek 0/1, Search R1 + TIC, then a Read (CC + SLI) whose
// data starts at its own CCW; on disk a NOP after it ends the chain. R1
// holds the same Read with another flags byte (CC alone), then Seek 0/2,
// Search + TIC and the payload Read, which the channel runs next. A split
// must cut right after the Read, and whatever it patched in that CCW must
// leave the byte the Read stored (the load range starts at IPL2 so the
// Hercules test compares it too).
CkdVolume make_read_over_itself(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  const u32 self = p.addr_of(p.next());
  Program fresh(self + 8);
  fresh.read_record(0, 2, 1, kPayloadAddress, u16len(blob.size()), 0);
  auto fresh_bytes = fresh.bytes();
  const u16 count = u16len(8 + fresh_bytes.size());
  p.ccw(ccw_cmd::kReadData, self, CC | SLI, count);
  p.ccw(ccw_cmd::kNop, 0, 0, 1);
  auto ipl2 = p.bytes();
  Ccw0 stored = Ccw0::make(ccw_cmd::kReadData, self, CC, count);
  std::vector<u8> record(stored.raw, stored.raw + 8);
  record.insert(record.end(), fresh_bytes.begin(), fresh_bytes.end());
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, record);
  add_data(v, 0, 2, blob);
  return v;
}

}  // namespace ccwboot::sim::shape_detail
