// The IPL chain shapes of shapes.h, built record by record.
#include "shapes.h"

#include "shape_builder.h"

namespace ccwboot::sim {
namespace {

using namespace shape_detail;  // NOLINT: the builder vocabulary of every shape

CkdVolume make_single(const ShapeOptions& o, u32 n) {
  CkdVolume v(cylinders(o, 1));
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.read_record(0, 1, 1, kPayloadAddress, u16len(blob.size()), 0);
  auto ipl2 = p.bytes();
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, blob);
  return v;
}

CkdVolume make_zipl3(const ShapeOptions& o, u32 n) {
  CkdVolume v(cylinders(o, 1));
  std::vector<u8> blob = make_payload(kPayloadAddress, kZipl3Blob, good_psw(n), n);
  const u32 half = 4096;
  // Stage 1b: two records of the payload on track 0/2.
  Program s(kStage1bAddress);
  s.read_record(0, 2, 1, kPayloadAddress, u16len(half), CC);
  s.search_loop(0, 2, 2);
  s.ccw(ccw_cmd::kReadData, kPayloadAddress + half, 0, u16len(blob.size() - half));
  auto stage1b = s.bytes();
  // IPL2 reads stage 1b over where it then TICs: the zipl stage-1 pattern.
  Program p(kIpl2Address);
  p.read_record(0, 1, 1, kStage1bAddress, u16len(stage1b.size()), CC);
  p.ccw(ccw_cmd::kTic, kStage1bAddress, 0, 0);
  auto ipl2 = p.bytes();
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, stage1b);
  add_data(v, 0, 2, slice(blob, 0, half));
  add_data(v, 0, 2, slice(blob, half, blob.size() - half));
  return v;
}

CkdVolume make_psw_at_0(const ShapeOptions& o, u32 n) {
  CkdVolume v(cylinders(o, 1));
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.read_record(0, 1, 1, kPayloadAddress, u16len(blob.size()), CC);
  p.search_loop(0, 1, 2);
  p.ccw(ccw_cmd::kReadData, 0, 0, 8);
  auto ipl2 = p.bytes();
  // IPL1's PSW enters the decoy; only IPL2's PSW reaches the real entry.
  write_track0(v, std_ipl1(kPayloadAddress + kPayloadDecoyEntry, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, blob);
  std::vector<u8> psw(8);
  be::store64(psw.data(), esa_psw(kPayloadAddress));
  add_data(v, 0, 1, psw);
  return v;
}

CkdVolume make_multitrack(const ShapeOptions& o, u32 n) {
  CkdVolume v(cylinders(o, 2));
  std::vector<u8> blob = make_payload(kPayloadAddress, kMultitrackBlob, good_psw(n), n);
  const u32 r = kMultitrackRecord;
  // Four records over heads 1 and 2 read by Read Multiple-Track Data, the
  // fifth on cylinder 1 by its own Seek/Search/Read group.
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  for (u32 i = 0; i < 4; ++i)
    p.ccw(ccw_cmd::kReadMultipleTrackData, kPayloadAddress + i * r, CC, u16len(r));
  p.read_record(1, 0, 1, kPayloadAddress + 4 * r, u16len(r), 0);
  auto ipl2 = p.bytes();
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, slice(blob, 0, r));
  add_data(v, 0, 1, slice(blob, r, r));
  add_data(v, 0, 2, slice(blob, 2 * r, r));
  add_data(v, 0, 2, slice(blob, 3 * r, r));
  add_data(v, 1, 0, slice(blob, 4 * r, r));
  return v;
}

CkdVolume make_overwrite_no_tic(const ShapeOptions& o, u32 n) {
  CkdVolume v(cylinders(o, 1));
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  // IPL2: Seek, Search+TIC, then a Read whose data lands on the CCWs right
  // after it. On disk those are a NOP that ends the chain; in storage, after
  // the Read, a Seek/Search/Read group that loads the payload.
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  u32 read_index = p.next();
  u32 new_ccws = p.addr_of(read_index + 1);
  Program fresh(new_ccws);
  fresh.read_record(0, 2, 1, kPayloadAddress, u16len(blob.size()), 0);
  auto fresh_bytes = fresh.bytes();
  p.ccw(ccw_cmd::kReadData, new_ccws, CC, u16len(fresh_bytes.size()));
  p.ccw(ccw_cmd::kNop, 0, 0, 1);
  auto ipl2 = p.bytes();
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, fresh_bytes);
  add_data(v, 0, 2, blob);
  return v;
}

CkdVolume make_low_8k(const ShapeOptions& o, u32 n) {
  CkdVolume v(cylinders(o, 1));
  std::vector<u8> blob = make_payload(kLow8kPayload, kLow8kBlob, good_psw(n), n);
  Program p(kLow8kIpl2);
  p.read_record(0, 1, 1, kLow8kPayload, u16len(blob.size()), CC);
  p.search_loop(0, 1, 2);
  p.ccw(ccw_cmd::kReadData, 0, 0, 8);
  auto ipl2 = p.bytes();
  write_track0(v, std_ipl1(kLow8kPayload, ipl2, kLow8kIpl2), ipl2, o);
  add_data(v, 0, 1, blob);
  std::vector<u8> psw(8);
  be::store64(psw.data(), esa_psw(kLow8kPayload));
  add_data(v, 0, 1, psw);
  return v;
}

// dasdinit's track 0: an IPL1 whose PSW is invalid and whose only CCW is a NOP.
CkdVolume make_unformatted(const ShapeOptions& o) {
  CkdVolume v(cylinders(o, 1));
  std::vector<u8> ipl1_data = {0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f,
                               0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
                               0,    0,    0,    0,    0,    0,    0,    0};
  write_track0(v, ipl1_data, std::vector<u8>(144, 0), o);
  return v;
}

CkdVolume make_ipl1_not_read(const ShapeOptions& o) {
  CkdVolume v(cylinders(o, 1));
  Program p(kIpl2Address);
  p.ccw(ccw_cmd::kNop, 0, 0, 1);
  auto ipl2 = p.bytes();
  // A Seek where IPL1's Read belongs.
  write_track0(v, ipl1(esa_psw(kPayloadAddress), ccw_cmd::kSeek, kIpl2Address, 6, kIpl2Address),
               ipl2, o);
  return v;
}

CkdVolume make_ipl2_zero(const ShapeOptions& o) {
  CkdVolume v(cylinders(o, 1));
  std::vector<u8> ipl2(144, 0);
  write_track0(v, ipl1(esa_psw(kPayloadAddress), ccw_cmd::kReadData, kIpl2Address, 144, 0), ipl2,
               o);
  return v;
}

CkdVolume make_tic_loop(const ShapeOptions& o) {
  CkdVolume v(cylinders(o, 1));
  Program p(kIpl2Address);
  p.ccw(ccw_cmd::kNop, 0, CC, 1);
  p.tic_to(0);
  auto ipl2 = p.bytes();
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  return v;
}

CkdVolume make_no_record(const ShapeOptions& o, u32 n) {
  CkdVolume v(cylinders(o, 1));
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.read_record(0, 1, 9, kPayloadAddress, u16len(blob.size()), 0);  // there is no R9
  auto ipl2 = p.bytes();
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, blob);
  return v;
}

CkdVolume make_aim_firmware(const ShapeOptions& o, u32 n) {
  CkdVolume v(cylinders(o, 1));
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.read_record(0, 1, 1, kPayloadAddress, u16len(blob.size()), CC);
  p.search_loop(0, 1, 2);
  p.ccw(ccw_cmd::kReadData, kFirmwareAddress, 0, 256);
  auto ipl2 = p.bytes();
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, blob);
  add_data(v, 0, 1, std::vector<u8>(256, 0xEE));
  return v;
}

CkdVolume make_data_chain_split(const ShapeOptions& o, u32 n) {
  CkdVolume v(cylinders(o, 1));
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  // A Read with data chaining whose first 8 bytes land on the very CCW it
  // chains data to: the channel fetches the new CCW, which sends the rest
  // to the payload address. The old one would send it elsewhere.
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  u32 read_index = p.next();
  u32 chained = p.addr_of(read_index + 1);
  p.ccw(ccw_cmd::kReadData, chained, CD, 8);
  p.ccw(ccw_cmd::kReadData, 0x4000, 0, u16len(blob.size()));  // the stale continuation
  auto ipl2 = p.bytes();
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  Ccw0 fresh = Ccw0::make(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  std::vector<u8> rec(fresh.raw, fresh.raw + 8);
  rec.reserve(8 + blob.size());  // GCC 12's -Warray-bounds misreads a growing insert here
  rec.insert(rec.end(), blob.begin(), blob.end());
  add_data(v, 0, 1, rec);
  return v;
}

constexpr ShapeInfo kShapes[] = {
    {Shape::kSingle, "single", true, true, false, good_psw(1), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "IPL1 Read IPL2 + TIC; IPL2 Seek, Search+TIC, Read payload"},
    {Shape::kZipl3, "zipl3", true, true, true, good_psw(2), kPayloadAddress,
     kPayloadAddress + kZipl3Blob, "IPL2 reads a stage-1b program and TICs to it"},
    {Shape::kPswAt0, "psw_at_0", true, true, false, good_psw(3), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "IPL2 reads a new PSW over absolute 0"},
    {Shape::kMultitrack, "multitrack", true, true, false, good_psw(4), kPayloadAddress,
     kPayloadAddress + kMultitrackBlob,
     "payload on heads 1-2 read by Read Multiple-Track Data, and on cylinder 1"},
    {Shape::kOverwriteNoTic, "overwrite_no_tic", true, true, true, good_psw(5), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "a Read overwrites the CCWs right after it (no TIC)"},
    {Shape::kLow8k, "low_8k", true, true, false, good_psw(6), kLow8kPayload,
     kLow8kPayload + kLow8kBlob, "payload at 0x200..0x1fff and the PSW at 0"},
    {Shape::kUnformatted, "unformatted", false, false, false, 0, 0, 0,
     "dasdinit's track 0: invalid IPL1 PSW and a NOP"},
    {Shape::kIpl1NotRead, "ipl1_not_read", false, false, false, 0, 0, 0,
     "IPL1 holds a Seek where the Read belongs"},
    {Shape::kIpl2Zero, "ipl2_zero", false, false, false, 0, 0, 0,
     "IPL1's TIC goes to 0 and IPL2 is all zeros"},
    {Shape::kTicLoop, "tic_loop", false, false, false, 0, 0, 0, "IPL2 is NOP, TIC back: endless"},
    {Shape::kNoRecord, "no_record", false, false, false, 0, 0, 0,
     "IPL2 searches for record 9 of a track holding one record"},
    {Shape::kAimFirmware, "aim_firmware", false, true, false, good_psw(7), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "IPL2 also reads 256 bytes to 0x00E00000"},
    {Shape::kDataChainSplit, "data_chain_split", false, true, true, good_psw(8), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "a data-chained Read overwrites its own continuation CCW"},
    {Shape::kReadNextIpl2, "read_next_ipl2", true, true, false, good_psw(14), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "IPL2 is one Read Data of the record after it (no Seek)", true},
    {Shape::kSearchFirstIpl2, "search_first_ipl2", true, true, false, good_psw(15), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "IPL2 starts with Search ID + TIC, no Seek before it", true},
    {Shape::kDxAfterIpl, "dx_after_ipl", false, false, false, 0, 0, 0,
     "IPL2 starts with Define Extent: command reject after Read IPL"},
    {Shape::kSfmAfterIpl, "sfm_after_ipl", false, false, false, 0, 0, 0,
     "IPL2 starts with Set File Mask: command reject after Read IPL"},
    {Shape::kReadIplAgain, "read_ipl_again", false, false, false, 0, 0, 0,
     "IPL2 starts with a second Read IPL: command reject"},
    {Shape::kPciFlag, "pci_flag", true, true, false, good_psw(19), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "single, with PCI on every IPL2 CCW"},
    {Shape::kSkipFlag, "skip_flag", true, true, false, good_psw(20), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "a SKIP read of a junk record over the PSW, then the payload"},
    {Shape::kIpl1ChainOn, "ipl1_chain_on", true, true, false, good_psw(21), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "IPL1 without TIC: two reads, then on at 0x18", true},
    {Shape::kLdlStage0, "ldl_stage0", true, true, false, good_psw(22), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "zipl LDL stage 0: Read R0, Read R1 over 0, on at 0x18", true},
    {Shape::kIpl1ReadKeyData, "ipl1_read_kd", true, true, false, good_psw(23), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "IPL1 reads IPL2 by Read Key and Data, short count + SLI"},
    {Shape::kLinkedList, "linked_list", true, true, true, good_psw(24), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "50 CCW blocks over 5 tracks, each read over the running one after its Search/TIC"},
    {Shape::kReadTicLoop, "read_tic_loop", false, false, false, 0, 0, 0,
     "IPL2: Seek, Read Data + TIC back to it, for ever"},
    {Shape::kBlockRing, "block_ring", false, false, false, 0, 0, 0,
     "two CCW blocks that read each other over themselves, for ever"},
    {Shape::kSearchContinuation, "search_continuation", true, true, true, good_psw(27),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "a Read stores Search ID + TIC, Read after itself: the continuation needs the Seek back"},
    {Shape::kSeekHeadContinuation, "seek_head_continuation", true, true, true, good_psw(28),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "a Read stores Seek Head, Search ID + TIC, Read after itself"},
    {Shape::kReadNextContinuation, "read_next_continuation", true, true, true, good_psw(29),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "a Read stores a Read Data of the next record after itself"},
    {Shape::kIdaRead, "ida_read", true, true, false, good_psw(30), kIdaPayload,
     kIdaPayload + kSingleBlob, "the payload Read uses IDA: format-1 IDAWs from 0x1f80 (H6)"},
    {Shape::kSearchTicSelf, "search_tic_self", true, true, false, good_psw(31), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "a Search that matches at once; its TIC points at itself (H7)"},
    {Shape::kSearchTicOdd, "search_tic_odd", true, true, false, good_psw(32), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "a Search that matches at once; its TIC points into it, at an odd address (H7b)"},
    {Shape::kReadOverItself, "read_over_itself", true, true, true, good_psw(33), kIpl2Address,
     kPayloadAddress + kSingleBlob,
     "a Read stores over its own CCW (another flags byte) and the CCWs after it (H8)"},
    {Shape::kLongChain, "long_chain", true, true, true, good_psw(34), kPayloadAddress,
     kPayloadAddress + kLongChainGroups * 64,
     "IPL2: 48 Seek/Search/TIC/Read groups over 8 tracks, 336 CCWs in one segment"},
    // needs_split: a single prefetched start of IPL2 runs past vfio-ccw's copy.
    {Shape::kSegmentOverrun, "segment_overrun", false, true, true, good_psw(35), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "Search R0 skips the forward TIC that ends the segment: under vfio-ccw, host memory"},
    {Shape::kVeryLongChain, "very_long_chain", true, true, true, good_psw(36), kPayloadAddress,
     kPayloadAddress + kLongChainGroups * 64,
     "IPL2: 130 Seek/Search/TIC/Read groups (48 records, read again) over 8 tracks, 520 CCWs, "
     "650 fetches, in one segment"},
    {Shape::kManySegments, "many_segments", true, true, true, good_psw(37), kPayloadAddress,
     kPayloadAddress + kLongChainGroups * 64,
     "IPL2: 100 Seek/Search/TIC/Read groups, each its own segment (forward TICs), 600 fetches",
     false, false, true},
    {Shape::kSegmentRing, "segment_ring", false, false, false, 0, 0, 0,
     "192 Seek/Read segments in a ring (576 fetches): rereads its records for ever"},
    {Shape::kHazardPastCut, "hazard_past_cut", true, true, true, good_psw(39), kPayloadAddress,
     kPayloadAddress + kLongChainGroups * 64,
     "IPL2: 70 groups in one segment; group 30's data chain stores group 66's Read CCW"},
    {Shape::kDataChainThenCommand, "data_chain_then_command", true, true, false, good_psw(40),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "a CCW continues a data chain, then runs as a command (F7's class, walked both ways)"},
    {Shape::kIpl1DataChainTic0, "ipl1_data_chain_tic0", false, false, false, 0, 0, 0,
     "IPL1's Read (CD + SLI) outlasts IPL2, TIC to 0 (F7): incorrect length"},
    {Shape::kMultitrackContinuation, "multitrack_continuation", true, true, true, good_psw(42),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "a Read Data MT crosses to the next head and stores the CCWs after itself"},
    {Shape::kMultitrackSearchContinuation, "multitrack_search_continuation", true, true, true,
     good_psw(43), kPayloadAddress, kPayloadAddress + kSingleBlob,
     "a search after a multi-track move, then a read over the CCWs after itself"},
    {Shape::kIndexMarkNop, "index_mark_nop", true, true, true, good_psw(44), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "a Read Count passes the index point, a NOP clears the mark; the CCWs after it search"},
    {Shape::kIndexMarkCut, "index_mark_cut", false, false, false, 0, 0, 0,
     "a search passed the index point, a Read Count; the CCWs after it search: no record found"},
    {Shape::kSegmentRingOdd, "segment_ring_odd", false, false, false, 0, 0, 0,
     "199 Seek/Read segments in a ring: ends within two rounds, the cuts line up"},
    {Shape::kDataChainExactEnd, "data_chain_exact_end", true, true, false, good_psw(47),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "data_chain_then_command, R1 ending where the CD count does: X still fetched, no data"},
    {Shape::kIdaOverwrite, "ida_overwrite", true, true, true, good_psw(48), kPayloadAddress,
     kPayloadAddress + kSingleBlob, "an IDA Read stores the CCWs after it through its IDAW (H6)"},
    {Shape::kIdaListRewritten, "ida_list_rewritten", true, true, true, good_psw(49), kIdaPayload,
     kIdaPayload + kSingleBlob, "a Read rewrites the IDAW list of the payload's IDA Read (H6)"},
    {Shape::kIdaBeyondStorage, "ida_beyond_storage", false, false, false, 0, 0, 0,
     "the payload's second IDAW names 0x7ffff800, past the end of storage (H6)"},
    {Shape::kIdaOffBoundary, "ida_off_boundary", false, false, false, 0, 0, 0,
     "the payload's third IDAW names 0x2810, off a 2 KiB boundary (H6)"},
    {Shape::kLongLinkedList, "long_linked_list", true, true, true, good_psw(52), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "linked_list with 2,000 CCW blocks over 200 tracks (14 cylinders): 2,003 starts"},
    {Shape::kLongBlockRing, "long_block_ring", false, false, false, 0, 0, 0,
     "8,000 CCW blocks that read each other in a ring, for ever: the time budget ends it"},
    {Shape::kMultitrackSearchTwice, "multitrack_search_twice", true, true, true, good_psw(54),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "multitrack_search_continuation, then a second multi-track move and search: two prefixes"},
    {Shape::kReadMultipleCkd, "read_multiple_ckd", true, true, true, good_psw(55), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "Read Multiple CKD reads the rest of the track: new CCWs, which begin with a Seek"},
    {Shape::kReadTrack, "read_track", false, false, false, 0, 0, 0,
     "Read Track outside a Locate Record (Read Tracks) domain: command reject"},
    {Shape::kMultitrackSearch, "multitrack_search", true, true, false, good_psw(57),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "Search ID Equal MT + TIC crosses to the next head and finds the payload's record"},
    {Shape::kMultitrackSearchCut, "multitrack_search_cut", true, true, true, good_psw(58),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "multitrack_search, then a Read over the CCWs after itself: the search loop is replayed"},
    {Shape::kTwelveRecords, "twelve_records", true, true, true, good_psw(59), kPayloadAddress,
     kPayloadAddress + 4096,
     "12 4 KiB records read after one search; R6 stores the 12th read's CCW (10 moves)"},
    {Shape::kMultitrackRun, "multitrack_run", true, true, true, good_psw(60), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "300 Read MT Data over 13 tracks in one segment: cut where the Seek program fits"},
    {Shape::kReplayLimit, "replay_limit", true, true, true, good_psw(61), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "the last of 251 Read MT Data stores the next CCW: the longest Seek program (255 CCWs)"},
    {Shape::kReplayPastLimit, "replay_past_limit", false, true, true, good_psw(62), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "replay_limit with 252 reads: one move more than one Seek program replays"},
    {Shape::kMultitrackSearchDeep, "multitrack_search_deep", true, true, true, good_psw(63),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "multitrack_search_twice with four multi-track moves and searches: four prefixes"},
    {Shape::kReadMultipleCkdNext, "read_multiple_ckd_next", true, true, true, good_psw(64),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "Read Multiple CKD reads new CCWs; they read the next record: R1 of the next head"},
    {Shape::kReadR0AfterMultitrack, "read_r0_after_multitrack", true, true, true, good_psw(65),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "Read R0 after a multi-track move; a Read stores the CCWs after itself"},
    {Shape::kReadHaAfterMultitrack, "read_ha_after_multitrack", true, true, true, good_psw(66),
     kPayloadAddress, kPayloadAddress + kSingleBlob,
     "Read Home Address after a multi-track move; a Read stores the CCWs after itself"},
    {Shape::kSearchAfterR0, "search_after_r0", true, true, true, good_psw(67), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "Read R0 stores a Search ID Equal (no loop) that must compare R1, not R0"},
    {Shape::kIdaScattered, "ida_scattered", true, true, true, good_psw(68), kPayloadAddress,
     kPayloadAddress + kSingleBlob,
     "an IDA Read's two blocks lie apart, its own CCW between them; it stores the CCWs after it"},
};

}  // namespace

std::span<const ShapeInfo> all_shapes() { return kShapes; }

const ShapeInfo& shape_info(Shape shape) {
  for (const ShapeInfo& s : kShapes)
    if (s.shape == shape) return s;
  return kShapes[0];
}

std::optional<Shape> shape_from_name(std::string_view name) {
  for (const ShapeInfo& s : kShapes)
    if (name == s.name) return s.shape;
  return std::nullopt;
}

CkdVolume make_shape(Shape shape, const ShapeOptions& o) {
  // The payload's success PSW number is the shape's position + 1.
  u32 n = static_cast<u32>(shape) + 1;
  switch (shape) {
    case Shape::kSingle: return make_single(o, n);
    case Shape::kZipl3: return make_zipl3(o, n);
    case Shape::kPswAt0: return make_psw_at_0(o, n);
    case Shape::kMultitrack: return make_multitrack(o, n);
    case Shape::kOverwriteNoTic: return make_overwrite_no_tic(o, n);
    case Shape::kLow8k: return make_low_8k(o, n);
    case Shape::kUnformatted: return make_unformatted(o);
    case Shape::kIpl1NotRead: return make_ipl1_not_read(o);
    case Shape::kIpl2Zero: return make_ipl2_zero(o);
    case Shape::kTicLoop: return make_tic_loop(o);
    case Shape::kNoRecord: return make_no_record(o, n);
    case Shape::kAimFirmware: return make_aim_firmware(o, 7);
    case Shape::kDataChainSplit: return make_data_chain_split(o, 8);
    case Shape::kReadNextIpl2: return make_read_next_ipl2(o, n);
    case Shape::kSearchFirstIpl2: return make_search_first_ipl2(o, n);
    case Shape::kDxAfterIpl: return make_after_read_ipl(o, 0x63, 16);
    case Shape::kSfmAfterIpl: return make_after_read_ipl(o, 0x1F, 1);
    case Shape::kReadIplAgain: return make_after_read_ipl(o, ccw_cmd::kReadIpl, 24);
    case Shape::kPciFlag: return make_pci_flag(o, n);
    case Shape::kSkipFlag: return make_skip_flag(o, n);
    case Shape::kIpl1ChainOn: return make_ipl1_chain_on(o, n);
    case Shape::kLdlStage0: return make_ldl_stage0(o, n);
    case Shape::kIpl1ReadKeyData: return make_ipl1_read_key_data(o, n);
    case Shape::kLinkedList: return make_linked_list(o, n, 50, false);
    case Shape::kReadTicLoop: return make_read_tic_loop(o);
    case Shape::kBlockRing: return make_linked_list(o, n, 2, true);
    case Shape::kSearchContinuation: return make_search_continuation(o, n, Continuation::kSearch);
    case Shape::kSeekHeadContinuation:
      return make_search_continuation(o, n, Continuation::kSeekHead);
    case Shape::kReadNextContinuation:
      return make_search_continuation(o, n, Continuation::kReadNext);
    case Shape::kIdaRead: return make_ida_read(o, n, IdaVariant::kGood);
    case Shape::kSearchTicSelf: return make_search_tic_back(o, n, 8);
    case Shape::kSearchTicOdd: return make_search_tic_back(o, n, 4);
    case Shape::kReadOverItself: return make_read_over_itself(o, n);
    case Shape::kLongChain: return make_long_chain(o, n, kLongChainGroups, 4);
    case Shape::kSegmentOverrun: return make_segment_overrun(o, n);
    case Shape::kVeryLongChain: return make_long_chain(o, n, kVeryLongChainGroups, 1);
    case Shape::kManySegments: return make_many_segments(o, n, kManySegmentsGroups, false);
    case Shape::kSegmentRing: return make_many_segments(o, n, kSegmentRingGroups, true);
    case Shape::kHazardPastCut: return make_hazard_past_cut(o, n);
    case Shape::kDataChainThenCommand: return make_data_chain_then_command(o, n, false);
    case Shape::kDataChainExactEnd: return make_data_chain_then_command(o, n, true);
    case Shape::kIpl1DataChainTic0: return make_ipl1_data_chain_tic0(o);
    case Shape::kMultitrackContinuation: return make_multitrack_continuation(o, n, 0);
    case Shape::kMultitrackSearchContinuation: return make_multitrack_continuation(o, n, 1);
    case Shape::kIndexMarkNop: return make_index_mark(o, n, false);
    case Shape::kIndexMarkCut: return make_index_mark(o, n, true);
    case Shape::kSegmentRingOdd: return make_many_segments(o, n, kSegmentRingOddGroups, true);
    case Shape::kIdaOverwrite: return make_ida_overwrite(o, n);
    case Shape::kIdaListRewritten: return make_ida_list_rewritten(o, n);
    case Shape::kIdaBeyondStorage: return make_ida_read(o, n, IdaVariant::kBeyondStorage);
    case Shape::kIdaOffBoundary: return make_ida_read(o, n, IdaVariant::kOffBoundary);
    case Shape::kLongLinkedList: return make_linked_list(o, n, kLongLinkedListBlocks, false);
    case Shape::kLongBlockRing: return make_linked_list(o, n, kLongBlockRingBlocks, true);
    case Shape::kMultitrackSearchTwice: return make_multitrack_continuation(o, n, 2);
    case Shape::kReadMultipleCkd: return make_read_multiple_ckd(o, n, false);
    case Shape::kReadTrack: return make_read_track(o, n);
    case Shape::kMultitrackSearch: return make_multitrack_search(o, n, false);
    case Shape::kMultitrackSearchCut: return make_multitrack_search(o, n, true);
    case Shape::kTwelveRecords: return make_twelve_records(o, n);
    case Shape::kMultitrackRun: return make_multitrack_run(o, n, kMultitrackRunReads, 0);
    case Shape::kReplayLimit: return make_multitrack_run(o, n, kReplayLimitReads, kReplayGroup);
    case Shape::kReplayPastLimit:
      return make_multitrack_run(o, n, kReplayLimitReads + 1, kReplayGroup);
    case Shape::kMultitrackSearchDeep: return make_multitrack_continuation(o, n, 4);
    case Shape::kReadMultipleCkdNext: return make_read_multiple_ckd(o, n, true);
    case Shape::kReadR0AfterMultitrack: return make_index_after_multitrack(o, n, false);
    case Shape::kReadHaAfterMultitrack: return make_index_after_multitrack(o, n, true);
    case Shape::kSearchAfterR0: return make_search_after_r0(o, n);
    case Shape::kIdaScattered: return make_ida_scattered(o, n);
  }
  return CkdVolume(1);
}

std::string ascii_to_ebcdic(std::string_view text) {
  std::string out;
  for (char ch : text) {
    u8 c = static_cast<u8>(ch);
    u8 e = 0x6F;  // '?'
    if (c >= '0' && c <= '9')
      e = static_cast<u8>(0xF0 + (c - '0'));
    else if (c >= 'A' && c <= 'I')
      e = static_cast<u8>(0xC1 + (c - 'A'));
    else if (c >= 'J' && c <= 'R')
      e = static_cast<u8>(0xD1 + (c - 'J'));
    else if (c >= 'S' && c <= 'Z')
      e = static_cast<u8>(0xE2 + (c - 'S'));
    else if (c >= 'a' && c <= 'i')
      e = static_cast<u8>(0x81 + (c - 'a'));
    else if (c >= 'j' && c <= 'r')
      e = static_cast<u8>(0x91 + (c - 'j'));
    else if (c >= 's' && c <= 'z')
      e = static_cast<u8>(0xA2 + (c - 's'));
    else if (c == ' ')
      e = 0x40;
    else if (c == '.')
      e = 0x4B;
    else if (c == '-')
      e = 0x60;
    else if (c == '_')
      e = 0x6D;
    out.push_back(static_cast<char>(e));
  }
  return out;
}

}  // namespace ccwboot::sim
