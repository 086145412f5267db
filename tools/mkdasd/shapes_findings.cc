// Shapes for the findings of the Hercules differential fuzzer (docs/fuzzing.md,
// "Findings of the Hercules runs"): each is the smallest chain that shows the
// class of one generated volume, so the regression no longer rests on a seed.
#include "shape_builder.h"

namespace ccwboot::sim::shape_detail {

// H6 (volume 1000:4): IPL2 = Seek 0/1, Search 0/1/1 + TIC, Read Data of the
// payload with IDA. The Read's address names a list of format-1 IDAWs after
// IPL2's arguments: 0x1f80 (the first may name any byte: 128 bytes up to
// the 2 KiB boundary), then 0x2000, 0x2800 and 0x3000. The hardware stores
// the payload there; ccwboot does not follow IDAW lists and refuses by name.
CkdVolume make_ida_read(const ShapeOptions& o, u32 n) {
  constexpr u32 kBlock = 0x800;
  std::vector<u8> blob = make_payload(kIdaPayload, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  u32 read = p.next();
  p.ccw(ccw_cmd::kReadData, 0, ccw_flag::kIndirect, u16len(blob.size()));
  auto ipl2 = p.bytes();
  ipl2.resize((ipl2.size() + 3) & ~size_t{3}, 0);  // IDAWs are word aligned
  be::store24(&ipl2[read * 8 + 1], kIpl2Address + static_cast<u32>(ipl2.size()));
  const u32 end = kIdaPayload + static_cast<u32>(blob.size());
  for (u32 a = kIdaPayload; a < end; a = (a + kBlock) & ~(kBlock - 1)) {
    u8 w[4];
    be::store32(w, a);
    ipl2.insert(ipl2.end(), w, w + 4);
  }
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kIdaPayload, ipl2, kIpl2Address), ipl2, o);
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
