// Shapes of the DASD commands the position model follows since session 5
// (docs/dasd-ipl.md, "Orientation"): Read Multiple Count, Key and Data,
// Read Track, Read Record 0 and Read Home Address after a multi-track move,
// a search after Read R0 or from the index point, multi-track searches.
#include "shape_builder.h"

namespace ccwboot::sim::shape_detail {
namespace {

constexpr u32 kJunk = 0x1F00;          // below the payload: bytes nobody checks
constexpr u32 kFresh = 0x1000;         // where a read puts the continuation's CCWs
constexpr u8 kReadMultipleCkd = 0x5E;  // Read Multiple Count, Key and Data
constexpr u8 kReadTrack = 0xDE;        // Read Track
constexpr u8 kSearchIdEqualMt = 0xB1;  // Search ID Equal, multi-track

// IPL2 `p` (at kIpl2Address) with `tail` bytes appended (arguments the
// CCWs point at), IPL1 and track 0 written.
CkdVolume with_ipl2(const ShapeOptions& o, const std::vector<u8>& ipl2, u32 cyls = 1) {
  CkdVolume v(cylinders(o, cyls));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  return v;
}

}  // namespace

// Read Multiple CKD, good: Seek 0/1, Search R1 + TIC, then 0x5E reads every
// record after R1 to the end of the track -- R2's count and its data, new
// CCWs -- to kFresh - 8, and the TIC after it runs them. `next` false: they
// begin with a Seek of their own (0/2, Search, Read the payload). `next`
// true: a Read Data of "the next record": the head stands at the end of
// 0/1, so Hercules goes on with head 2 and reads its R1, the payload
// (ckddasd.c, ckd_read_count, CKDORIENT_EOT); the continuation runs behind
// Seek 0/1 and 0x5E with SKIP, which leave the device the same way.
CkdVolume make_read_multiple_ckd(const ShapeOptions& o, u32 n, bool next) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program fresh(kFresh);
  if (next)
    fresh.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  else
    fresh.read_record(0, 2, 1, kPayloadAddress, u16len(blob.size()), 0);
  auto fresh_bytes = fresh.bytes();
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  p.ccw(kReadMultipleCkd, kFresh - 8, CC | SLI, u16len(8 + fresh_bytes.size()));
  p.ccw(ccw_cmd::kTic, kFresh, 0, 0);
  CkdVolume v = with_ipl2(o, p.bytes());
  add_data(v, 0, 1, std::vector<u8>(16, 0x11));
  add_data(v, 0, 1, fresh_bytes);
  add_data(v, 0, 2, blob);
  return v;
}

// Read Track, bad: the 3990 takes it only in the domain of a Locate Record
// for Read Tracks (Hercules ckddasd.c, case 0xDE), which an IPL chain never
// has (Define Extent is rejected after Read IPL): command reject.
CkdVolume make_read_track(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  p.ccw(kReadTrack, kPayloadAddress, SLI, u16len(blob.size() + 64));
  CkdVolume v = with_ipl2(o, p.bytes());
  add_data(v, 0, 1, blob);
  return v;
}

// Read R0 (`home` false) or Read Home Address (`home` true) after a
// multi-track move, good: Seek 0/2, Search R1 + TIC, Read Data of R1 (the
// track's only record), Read Data MT (to 0/3, its R1), then 0x16 / 0x1A,
// which go back to the start of 0/3, the track the device stands on. The
// Read Data after it reads R1 of 0/3 again -- one CCW -- over the CCW
// after itself, which reads the next record (R2, the payload). The
// continuation runs behind Seek 0/2, Search R1 + TIC, Read Data and Read
// Data MT with SKIP (to 0/3), Read R0 / Read HA with SKIP and Read Data
// with SKIP.
CkdVolume make_index_after_multitrack(const ShapeOptions& o, u32 n, bool home) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 2);
  p.search_loop(0, 2, 1);
  p.ccw(ccw_cmd::kReadData, kJunk, CC | SLI, 16);
  p.ccw(ccw_cmd::kReadMultipleTrackData, kJunk + 16, CC | SLI, 16);
  p.ccw(home ? ccw_cmd::kReadHomeAddress : ccw_cmd::kReadRecordZero, kJunk + 32, CC | SLI, 16);
  u32 read = p.next();
  Program fresh(p.addr_of(read + 1));
  fresh.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  auto fresh_bytes = fresh.bytes();
  p.ccw(ccw_cmd::kReadData, p.addr_of(read + 1), CC, u16len(fresh_bytes.size()));
  p.ccw(ccw_cmd::kNop, 0, 0, 1);  // on disk; the read replaces it
  CkdVolume v = with_ipl2(o, p.bytes());
  add_data(v, 0, 2, std::vector<u8>(16, 0x22));
  add_data(v, 0, 3, fresh_bytes);
  add_data(v, 0, 3, blob);
  return v;
}

// A search right after Read R0 compares R1's count, good: Seek 0/1, then
// Read R0 stores its count and data over the two CCWs after the TIC that
// follows it, and the TIC runs R0's data: one CCW, a Search ID Equal of
// 0/1/1, not in a loop. It matches R1 and skips the Seek 0/2 after it; the
// Read Data after that reads R1 of 0/1, the payload. Behind a bare Seek
// 0/1 the search would compare R0 and fail, and the Read would read a
// decoy from 0/2: the continuation needs Read R0 with SKIP as well.
CkdVolume make_search_after_r0(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);  // 0
  const u32 r0_data = p.addr_of(4);
  p.ccw(ccw_cmd::kReadRecordZero, r0_data - 8, CC | SLI, 16);          // 1
  p.ccw(ccw_cmd::kTic, r0_data, 0, 0);                                 // 2
  p.ccw(ccw_cmd::kNop, 0, 0, 1);                                       // 3: R0's count lands here
  p.ccw(ccw_cmd::kNop, 0, 0, 1);                                       // 4: R0's data, the Search
  p.seek(0, 2);                                                        // 5: skipped on a match
  p.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));  // 6
  std::vector<u8> ipl2 = p.bytes();
  const u32 arg = kIpl2Address + static_cast<u32>(ipl2.size());
  const u8 id[5] = {0, 0, 0, 1, 1};
  ipl2.insert(ipl2.end(), id, id + 5);
  Ccw0 search = Ccw0::make(ccw_cmd::kSearchIdEqual, arg, CC, 5);
  CkdVolume v = with_ipl2(o, ipl2);
  v.track(0, 1)->r0_data.assign(search.raw, search.raw + 8);
  add_data(v, 0, 1, blob);
  add_data(v, 0, 2, std::vector<u8>(blob.size(), 0xDC));  // the decoy
  return v;
}

// Multi-track search, good: Seek 0/1 and a Search ID Equal MT of 0/2/1
// with a TIC back: 0/1 holds no such record, so at its end the search goes
// on with head 2 (R0, then R1, which matches; Hercules ckddasd.c,
// ckd_read_count), and the Read Data after it reads the payload. `cut`:
// the Read Data reads one CCW over the CCW after itself, which reads the
// next record (R2, the payload): the continuation needs the track the
// search crossed to, which ccwboot does not follow (kDasdSplitNotFaithful;
// the hardware boots it).
CkdVolume make_multitrack_search(const ShapeOptions& o, u32 n, bool cut) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  std::vector<u8> a = {0, 0, 0, 2, 1};
  u32 at = p.next();
  p.ccw(kSearchIdEqualMt, 0, CC, 5);  // argument patched below
  p.tic_to(at);
  u32 read = p.next();
  Program fresh(p.addr_of(read + 1));
  fresh.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  auto fresh_bytes = fresh.bytes();
  if (cut) {
    p.ccw(ccw_cmd::kReadData, p.addr_of(read + 1), CC, u16len(fresh_bytes.size()));
    p.ccw(ccw_cmd::kNop, 0, 0, 1);  // on disk; the read replaces it
  } else {
    p.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  }
  std::vector<u8> ipl2 = p.bytes();
  const u32 arg = kIpl2Address + static_cast<u32>(ipl2.size());
  ipl2.insert(ipl2.end(), a.begin(), a.end());
  Ccw0 search = Ccw0::make(kSearchIdEqualMt, arg, CC, 5);
  std::copy(search.raw, search.raw + 8, ipl2.begin() + 8 * at);
  CkdVolume v = with_ipl2(o, ipl2);
  add_data(v, 0, 1, std::vector<u8>(16, 0x11));
  if (cut) add_data(v, 0, 2, fresh_bytes);
  add_data(v, 0, 2, blob);
  return v;
}

}  // namespace ccwboot::sim::shape_detail
