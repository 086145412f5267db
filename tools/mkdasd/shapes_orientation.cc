// Shapes of issue 8's orientation after many record moves (docs/dasd-ipl.md,
// "Orientation"): a continuation that reads "the next record" after more
// moves than the old count of 8, up to the Seek program's own bound.
#include "shape_builder.h"

namespace ccwboot::sim::shape_detail {

constexpr u32 kRunJunk = 0x1F00;     // below the payload: bytes nobody checks
constexpr u32 kBlockJunk = 0x10000;  // 4 KiB blocks nobody checks

// A 3390 track of 4 KiB blocks holds 12 (Hercules dasdtab.c's 3390 factors
// in dasdutil.c's capacity_calc): track 0/1 holds R1-R12, 4,096 bytes
// each, R12 the payload. IPL2: Seek 0/1, Search R1 + TIC, then 12 Read
// Data of "the next record" in turn. The read of R6 stores its first 8
// bytes -- a Read Data of the payload -- over the 12th read's CCW (a NOP on
// disk), so the chain is cut before that fetch: after the 11th read, 10
// records past the search's R1. The continuation reads R12 behind Seek
// 0/1, Search R1 + TIC and 11 Read Data with SKIP.
CkdVolume make_twelve_records(const ShapeOptions& o, u32 n) {
  constexpr u32 kBlock = 4096, kRecords = 12, kWriter = 6;
  std::vector<u8> blob = make_payload(kPayloadAddress, kBlock, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  const u32 last = p.next() + kRecords - 1;  // the 12th read
  for (u32 r = 1; r < kRecords; ++r) {
    if (r == kWriter)
      p.ccw(ccw_cmd::kReadData, p.addr_of(last), CC | SLI, 8);
    else
      p.ccw(ccw_cmd::kReadData, kBlockJunk, CC, kBlock);
  }
  p.ccw(ccw_cmd::kNop, 0, 0, 1);  // on disk; R6 replaces it
  auto ipl2 = p.bytes();
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  for (u32 r = 1; r < kRecords; ++r) {
    std::vector<u8> block(kBlock, static_cast<u8>(0x10 + r));
    if (r == kWriter) {
      Ccw0 read = Ccw0::make(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(kBlock));
      std::copy(read.raw, read.raw + 8, block.begin());
    }
    add_data(v, 0, 1, block);
  }
  add_data(v, 0, 1, blob);
  return v;
}

// `reads` Read Multiple-Track Data (0x86) of "the next record" from R1 of
// 0/1 on, over tracks of 25 records of 64 bytes, then one more for the
// payload. IPL2: Seek 0/1, Search R1 + TIC, the reads.
// `group` 0: all in one segment (more than 256 CCWs): ccwboot cuts where
// vfio-ccw's 256-CCW rule and the Seek program's own allow, and the
// continuation reads the next record behind the replay of every move.
// `group` k: a TIC on to the next CCW after every k reads (segments of
// their own), and the last read stores its first 8 bytes -- the payload's
// Read MT Data -- over the NOP after it: the only cut is there, after
// `reads` - 1 moves past R1.
CkdVolume make_multitrack_run(const ShapeOptions& o, u32 n, u32 reads, u32 group) {
  constexpr u32 kPerTrack = 25, kRecord = 64;
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Ccw0 payload_read =
      Ccw0::make(ccw_cmd::kReadMultipleTrackData, kPayloadAddress, 0, u16len(blob.size()));
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  for (u32 i = 0; i < reads; ++i) {
    if (group && i > 0 && i % group == 0) p.tic_to(p.next() + 1);
    const bool writer = group && i + 1 == reads;
    p.ccw(ccw_cmd::kReadMultipleTrackData, writer ? p.addr_of(p.next() + 1) : kRunJunk, CC | SLI,
          writer ? 8 : 16);
  }
  if (group)
    p.ccw(ccw_cmd::kNop, 0, 0, 1);  // on disk; the last read replaces it
  else
    p.ccw(payload_read.raw[0], kPayloadAddress, 0, u16len(blob.size()));
  auto ipl2 = p.bytes();
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  for (u32 i = 0; i < reads; ++i) {
    std::vector<u8> r(kRecord, static_cast<u8>(i));
    if (group && i + 1 == reads) std::copy(payload_read.raw, payload_read.raw + 8, r.begin());
    add_data(v, 0, static_cast<u16>(1 + i / kPerTrack), r);
  }
  add_data(v, 0, static_cast<u16>(1 + reads / kPerTrack), blob);
  return v;
}

}  // namespace ccwboot::sim::shape_detail
