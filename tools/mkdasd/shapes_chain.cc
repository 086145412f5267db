// Shapes for the DASD refusal classes (docs/mkdasd.md): chain context after
// Read IPL, flags, and IPL1s that are not "PSW, Read, TIC". Each good one
// boots natively in Hercules; each bad one fails there too.
#include "shape_builder.h"

namespace ccwboot::sim::shape_detail {
namespace {

constexpr u8 PCI = ccw_flag::kPci;
constexpr u8 SKIP = ccw_flag::kSkip;

// Track 0 with IPL1, IPL2 and then the payload as R3 (before VOL1): the
// record IPL2 reads "next" without a Seek.
CkdVolume track0_with_payload(const ShapeOptions& o, const std::vector<u8>& ipl1_data,
                              const std::vector<u8>& ipl2, const std::vector<u8>& blob) {
  CkdVolume v(cylinders(o, 1));
  v.add_record(0, 0, key("IPL1"), ipl1_data);
  v.add_record(0, 0, key("IPL2"), ipl2);
  v.add_record(0, 0, {}, blob);
  v.add_record(0, 0, key("VOL1"), vol1_label(o.volser));
  return v;
}

}  // namespace

// IPL2 = Read Data of the record after IPL2. In the hardware's chain the
// device is oriented behind R2; a new program would be rejected (no Seek) or
// read another record.
CkdVolume make_read_next_ipl2(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  auto ipl2 = p.bytes();
  return track0_with_payload(o, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, blob);
}

// IPL2 = Search ID Equal 0/0/3 + TIC back, Read Data: Read IPL is the
// "Seek" the 3990 wants before a search; a new program would be rejected.
CkdVolume make_search_first_ipl2(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.search_loop(0, 0, 3);
  p.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  auto ipl2 = p.bytes();
  return track0_with_payload(o, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, blob);
}

// IPL2 starts with `command` (Define Extent, Set File Mask, Read IPL), which
// the control unit rejects for the rest of the chain Read IPL began. As a
// new program it would be accepted and the payload would load.
CkdVolume make_after_read_ipl(const ShapeOptions& o, u8 command, u16 count) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(1), 1);
  Program p(kIpl2Address);
  p.ccw(command, 0x1F00, CC | SLI, count);  // argument: zeros at 0x1F00
  p.read_record(0, 1, 1, kPayloadAddress, u16len(blob.size()), 0);
  auto ipl2 = p.bytes();
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, blob);
  return v;
}

// The single shape with PCI on each IPL2 CCW: intermediate interruptions
// while the chain goes on.
CkdVolume make_pci_flag(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.read_record(0, 1, 1, kPayloadAddress, u16len(blob.size()), 0);
  auto ipl2 = p.bytes();
  for (u32 i = 0; i < p.next(); ++i) {
    if (!is_tic(ipl2[i * 8])) ipl2[i * 8 + 4] |= PCI;
  }
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, blob);
  return v;
}

// Seek, Search R1 + TIC, Read R1 with SKIP "into" 0 (junk that would ruin
// the PSW), then Read Data of R2, the payload: SKIP moves past R1 without
// storing, and the CCW still chains.
CkdVolume make_skip_flag(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 1);
  p.ccw(ccw_cmd::kReadData, 0, CC | SKIP, 8);
  p.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  auto ipl2 = p.bytes();
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, std::vector<u8>(8, 0xEE));
  add_data(v, 0, 1, blob);
  return v;
}

// IPL1 = PSW (into the decoy), Read R2 to 0x18 (CC), Read R3 = payload (CC):
// no TIC. The chain goes on at 0x18, which R2 filled with a Read Data of the
// next record (R4: the real PSW) into 0.
CkdVolume make_ipl1_chain_on(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program stage(0x18);
  stage.ccw(ccw_cmd::kReadData, 0, SLI, 8);
  auto stage_bytes = stage.bytes();
  std::vector<u8> r(24);
  be::store64(&r[0], esa_psw(kPayloadAddress + kPayloadDecoyEntry));
  Ccw0 first = Ccw0::make(ccw_cmd::kReadData, 0x18, CC | SLI, u16len(stage_bytes.size()));
  Ccw0 second = Ccw0::make(ccw_cmd::kReadData, kPayloadAddress, CC | SLI, u16len(blob.size()));
  std::copy(first.raw, first.raw + 8, &r[8]);
  std::copy(second.raw, second.raw + 8, &r[16]);
  CkdVolume v(cylinders(o, 1));
  v.add_record(0, 0, key("IPL1"), r);
  v.add_record(0, 0, key("IPL2"), stage_bytes);
  v.add_record(0, 0, {}, blob);
  std::vector<u8> psw(8);
  be::store64(psw.data(), esa_psw(kPayloadAddress));
  v.add_record(0, 0, {}, psw);
  v.add_record(0, 0, key("VOL1"), vol1_label(o.volser));
  return v;
}

// zipl's LDL stage 0 (s390-tools boot/eckd0_ldl.S): IPL1 = PSW, Read Record
// 0 (back to the start of the track), Read Data of R1 again into 0 with
// command chaining; R1 goes on past 24 bytes with stage 1 at 0x18, which
// the chain runs next: Seek, Search, Read of the payload.
CkdVolume make_ldl_stage0(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program stage1(0x18);
  stage1.read_record(0, 1, 1, kPayloadAddress, u16len(blob.size()), 0);
  auto s1 = stage1.bytes();
  std::vector<u8> r1(24);
  be::store64(&r1[0], esa_psw(kPayloadAddress));
  Ccw0 r0 = Ccw0::make(0x16, 0x1F00, CC | SLI, 16);
  Ccw0 again = Ccw0::make(ccw_cmd::kReadData, 0, CC | SLI, u16len(24 + s1.size()));
  std::copy(r0.raw, r0.raw + 8, &r1[8]);
  std::copy(again.raw, again.raw + 8, &r1[16]);
  r1.insert(r1.end(), s1.begin(), s1.end());
  CkdVolume v(cylinders(o, 1));
  v.add_record(0, 0, {}, r1);  // LDL: no keys on track 0
  v.add_record(0, 0, {}, vol1_label(o.volser));
  add_data(v, 0, 1, blob);
  return v;
}

// IPL1 reads IPL2 with Read Key and Data (key "IPL2" lands just before
// 0x800) and a count that ends before the record does, with SLI: the record
// is padded with junk CCWs that must not load.
CkdVolume make_ipl1_read_key_data(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.read_record(0, 1, 1, kPayloadAddress, u16len(blob.size()), 0);
  auto ipl2 = p.bytes();
  std::vector<u8> record = ipl2;
  record.insert(record.end(), 64, 0xEE);
  u32 key_len = 4;
  std::vector<u8> r = ipl1(esa_psw(kPayloadAddress), ccw_cmd::kReadKeyData, kIpl2Address - key_len,
                           u16len(key_len + ipl2.size()), kIpl2Address);
  CkdVolume v(cylinders(o, 1));
  write_track0(v, r, record, o);
  add_data(v, 0, 1, blob);
  return v;
}

// A loader's linked list of CCW blocks, all run at one buffer: block k
// seeks, searches for block k+1 (Search ID + TIC back), reads it over itself
// and TICs to it -- the Read rewrites the Search/TIC loop that just ran and
// the TIC after it, so only a cut right after the Read is faithful. The last
// block reads the payload. `ring`: the last block reads block 1 again, for
// ever (IPL2 is then block 1).
CkdVolume make_linked_list(const ShapeOptions& o, u32 n, u32 blocks, bool ring) {
  constexpr u32 kBuffer = 0x1000;
  constexpr u32 kPerTrack = 10;  // the fuzz input format keeps at most 11 records a track
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  u32 count = blocks;
  // Block k >= 1: track 1 + (k-1)/10 (counted from cylinder 0 head 0 on,
  // 15 heads a cylinder), record (k-1)%10 + 1.
  auto track_of = [](u32 t) {
    return std::pair<u16, u16>{static_cast<u16>(t / 15), static_cast<u16>(t % 15)};
  };
  auto where = [&](u32 k) {
    return std::pair<u32, u8>{1 + (k - 1) / kPerTrack, static_cast<u8>((k - 1) % kPerTrack + 1)};
  };
  u32 payload_track = 1 + count / kPerTrack + 1;
  auto block = [&](u32 k) {  // block k (0 = IPL2) reads block k+1, or the payload
    Program b(kBuffer);
    u32 next = ring && k == count ? 1 : k + 1;
    // Every block: Seek, Search + TIC back, Read, TIC to the buffer -- the
    // previous block's Read goes on at +32 of the block it just read.
    if (!ring && k == count) {
      auto [cyl, head] = track_of(payload_track);
      b.read_record(cyl, head, 1, kPayloadAddress, u16len(blob.size()), 0);
    } else {
      auto [track, rec] = where(next);
      auto [cyl, head] = track_of(track);
      b.read_record(cyl, head, rec, kBuffer, 128, CC | SLI);
    }
    b.ccw(ccw_cmd::kTic, kBuffer, 0, 0);
    auto bytes = b.bytes();
    bytes.resize(128, 0);
    return bytes;
  };
  CkdVolume v(cylinders(o, payload_track / 15 + 1));
  auto ipl2 = block(ring ? 1 : 0);
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kBuffer), ipl2, o);
  for (u32 k = 1; k <= count; ++k) {
    auto [cyl, head] = track_of(where(k).first);
    add_data(v, cyl, head, block(k));
  }
  if (!ring) add_data(v, track_of(payload_track).first, track_of(payload_track).second, blob);
  return v;
}

// IPL2: Seek 0/1, then Read Data of the next record and a TIC back to the
// Read: the device reads round the track for ever, the chain never ends.
CkdVolume make_read_tic_loop(const ShapeOptions& o) {
  Program p(kIpl2Address);
  p.seek(0, 1);
  u32 read = p.next();
  p.ccw(ccw_cmd::kReadData, 0x3000, CC | SLI, 64);
  p.tic_to(read);
  auto ipl2 = p.bytes();
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, std::vector<u8>(64, 0x11));
  add_data(v, 0, 1, std::vector<u8>(64, 0x22));
  return v;
}

// IPL2: Seek 0/2, Search 0/2/1 + TIC, Read R1 over the CCWs right after it
// (kReadNext: R1 holds just a Read Data of the next record, the payload)
// (on disk a NOP that ends the chain). R1 holds the next CCWs: Search ID
// Equal 0/2/2 + TIC back -- no Seek -- and Read Data of the payload; with
// `seek_head` they begin with a Seek Head to head 3 instead, and the
// search and payload are on head 3. In the chain the Seek 0/2 still counts
// for them; a cut right after the Read is the only faithful one, and its
// continuation needs that Seek again (hercfuzz finding H5's class).
CkdVolume make_search_continuation(const ShapeOptions& o, u32 n, Continuation kind) {
  bool seek_head = kind == Continuation::kSeekHead;
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  u16 head = seek_head ? 3 : 2;
  Program p(kIpl2Address);
  p.seek(0, 2);
  p.search_loop(0, 2, 1);
  u32 new_ccws = p.addr_of(p.next() + 1);
  Program fresh(new_ccws);
  if (seek_head) {
    fresh.ccw(0x1B, 0, CC, 6);  // address patched below
  }
  u32 search = fresh.next();
  if (kind != Continuation::kReadNext) {
    fresh.ccw(ccw_cmd::kSearchIdEqual, 0, CC, 5);  // address patched below
    fresh.tic_to(search);
  }
  fresh.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  auto bytes = fresh.bytes();
  if (kind == Continuation::kReadNext) {
    // Read Data of the record after R1: the payload, R2.
    p.ccw(ccw_cmd::kReadData, new_ccws, CC, u16len(bytes.size()));
    p.ccw(ccw_cmd::kNop, 0, 0, 1);
    auto ipl2 = p.bytes();
    CkdVolume v(cylinders(o, 1));
    write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
    add_data(v, 0, 2, bytes);
    add_data(v, 0, 2, blob);
    add_data(v, 0, 2, std::vector<u8>(64, 0x44));  // what a read from another place gets
    return v;
  }
  // Arguments after the CCWs: [Seek Head BBCCHH] Search CCHHR.
  u32 arg_at = new_ccws + static_cast<u32>(bytes.size());
  if (seek_head) {
    be::store24(&bytes[1], arg_at);
    std::vector<u8> a(6, 0);
    be::store16(&a[4], head);
    bytes.insert(bytes.end(), a.begin(), a.end());
  }
  u32 search_arg = new_ccws + static_cast<u32>(bytes.size());
  be::store24(&bytes[search * 8 + 1], search_arg);
  const u8 id[5] = {0, 0, 0, static_cast<u8>(head), 2};
  bytes.insert(bytes.end(), id, id + 5);
  p.ccw(ccw_cmd::kReadData, new_ccws, CC, u16len(bytes.size()));
  p.ccw(ccw_cmd::kNop, 0, 0, 1);
  auto ipl2 = p.bytes();
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 2, bytes);
  if (seek_head) add_data(v, 0, head, std::vector<u8>(16, 0x33));
  add_data(v, 0, head, blob);
  return v;
}

namespace {

// The record groups of long_chain, many_segments and hazard_past_cut: group
// k reads record g = k % records of the payload (64 bytes; past
// kLongChainGroups, the fuzz input's record limit, the same records again),
// which lies on head 1 + g / 6 as R(g % 6 + 1), and begins with a Seek there.
class RecordGroups {
 public:
  static constexpr u32 kRecord = 64;

  RecordGroups(u32 n, u32 groups)
      : groups_(groups),
        records_(std::min(groups, kLongChainGroups)),
        blob_(make_payload(kPayloadAddress, records_ * kRecord, good_psw(n), n)) {}

  u32 records() const { return records_; }
  static u16 head(u32 g) { return static_cast<u16>(1 + g / kPerTrack); }
  static u8 rec(u32 g) { return static_cast<u8>(g % kPerTrack + 1); }
  // Where record g goes in storage.
  static u32 to(u32 g) { return kPayloadAddress + g * kRecord; }
  // The chain flag of group k's last CCW: none on the last group's.
  u8 chain(u32 k) const { return k + 1 < groups_ ? CC : 0; }

  // Each group's Seek, then what `body(k, g)` adds to it.
  template <class Body>
  void program(Program& p, Body body) const {
    for (u32 k = 0; k < groups_; ++k) {
      u32 g = k % records_;
      p.seek(0, head(g));
      body(k, g);
    }
  }

  // Track 0 with IPL1 and `ipl2`, then the records on their tracks, each as
  // `edit(g, data)` leaves it.
  template <class Edit>
  CkdVolume volume(const ShapeOptions& o, const std::vector<u8>& ipl2, Edit edit) const {
    CkdVolume v(cylinders(o, 1));
    write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
    for (u32 g = 0; g < records_; ++g) {
      auto r = slice(blob_, g * kRecord, kRecord);
      std::vector<u8> data(r.begin(), r.end());
      edit(g, data);
      add_data(v, 0, head(g), data);
    }
    return v;
  }
  CkdVolume volume(const ShapeOptions& o, const std::vector<u8>& ipl2) const {
    return volume(o, ipl2, [](u32, std::vector<u8>&) {});
  }

 private:
  static constexpr u32 kPerTrack = 6;
  u32 groups_;
  u32 records_;
  std::vector<u8> blob_;
};

}  // namespace

// One start of IPL2 that reads many records over many tracks: `groups`
// groups of Seek, Search ID Equal + TIC back and a Read Data that scatters
// its 64-byte record over `pieces` CCWs by data chaining (CD, ..., CC), 6
// records a track from head 1 on. All of IPL2 is one vfio-ccw segment (the
// TICs go back into it): more than 256 CCWs (CCWCHAIN_LEN_MAX) need a cut
// for vfio-ccw. (The fuzz input format holds at most 64 records, hence data
// chaining or reading the same records again rather than more records.)
CkdVolume make_long_chain(const ShapeOptions& o, u32 n, u32 groups, u32 pieces) {
  const RecordGroups rg(n, groups);
  const u32 piece = RecordGroups::kRecord / pieces;  // data-chained Reads per record
  Program p(kIpl2Address);
  rg.program(p, [&](u32 k, u32 g) {
    p.search_loop(0, rg.head(g), rg.rec(g));
    for (u32 j = 0; j + 1 < pieces; ++j)
      p.ccw(ccw_cmd::kReadData, rg.to(g) + j * piece, CD, static_cast<u16>(piece));
    p.ccw(ccw_cmd::kReadData, rg.to(g) + RecordGroups::kRecord - piece, rg.chain(k),
          static_cast<u16>(piece));
  });
  return rg.volume(o, p.bytes());
}

// One start of IPL2 that reads `groups` records over 8 tracks, each group
// its own vfio-ccw segment: Seek, Search ID Equal + TIC back, Read Data
// (64 bytes, the payload's records in turn, read again past 48), and a TIC
// to the next group, which starts a new segment. More segments and CCW
// fetches than one start's analysis holds: ccwboot ends a start at the
// last faithful point within them, and the next goes on. With `ring`, each
// group is Seek, Read Data (R1 of its track, into one buffer) and the TIC,
// and the last TIC goes back to the first group: the chain never ends.
CkdVolume make_many_segments(const ShapeOptions& o, u32 n, u32 groups, bool ring) {
  constexpr u32 kBuffer = 0x3000;
  const RecordGroups rg(n, groups);
  Program p(kIpl2Address);
  rg.program(p, [&](u32 k, u32 g) {
    if (ring) {
      p.ccw(ccw_cmd::kReadData, kBuffer, CC, static_cast<u16>(RecordGroups::kRecord));
    } else {
      p.search_loop(0, rg.head(g), rg.rec(g));
      p.ccw(ccw_cmd::kReadData, rg.to(g), rg.chain(k), static_cast<u16>(RecordGroups::kRecord));
    }
    if (ring && k + 1 == groups) {
      p.tic_to(0);
    } else if (k + 1 < groups) {
      p.tic_to(p.next() + 1);  // the next group: a segment of its own
    }
  });
  return rg.volume(o, p.bytes());
}

// long_chain with one Read a record, 70 groups (281 CCWs, one segment):
// group 30 reads its record by a data chain whose first CCW stores 8 bytes
// over group 66's Read CCW -- behind group 66's search, and past the cut
// vfio-ccw's 256-CCW rule needs anyway. On disk group 66's Read goes to a
// decoy buffer; the record puts the Read to its place in the payload
// there. No cut at the store (a data chain) or before the fetch (a search)
// is faithful, but the 256-CCW cut falls between them: the next start
// fetches the new CCW.
CkdVolume make_hazard_past_cut(const ShapeOptions& o, u32 n) {
  constexpr u32 kRecord = RecordGroups::kRecord, kDecoy = 0x7000;
  constexpr u32 kWriter = 30, kTarget = 66;
  const RecordGroups rg(n, kHazardPastCutGroups);
  // Where group 66's Read sits: 4 CCWs a group, one more in group 20.
  const u32 target_read = kIpl2Address + (kTarget * 4 + 1 + 3) * 8;
  Program p(kIpl2Address);
  rg.program(p, [&](u32 k, u32 g) {
    p.search_loop(0, rg.head(g), rg.rec(g));
    if (k == kWriter) {
      p.ccw(ccw_cmd::kReadData, target_read, CD, 8);
      p.ccw(ccw_cmd::kReadData, rg.to(g), rg.chain(k), static_cast<u16>(kRecord));
    } else if (k == kTarget) {
      p.ccw(ccw_cmd::kReadData, kDecoy, rg.chain(k), static_cast<u16>(kRecord));
    } else {
      p.ccw(ccw_cmd::kReadData, rg.to(g), rg.chain(k), static_cast<u16>(kRecord));
    }
  });
  Ccw0 real =
      Ccw0::make(ccw_cmd::kReadData, rg.to(kTarget % rg.records()), CC, static_cast<u16>(kRecord));
  return rg.volume(o, p.bytes(), [&](u32 g, std::vector<u8>& r) {
    if (g == kWriter) r.insert(r.begin(), real.raw, real.raw + 8);
  });
}

// Track 0/1 holds R1 = the payload and R2 = CCWs: Search ID Equal R1 + TIC
// back, Read Data R1 (the payload). IPL2 reads R2 over the CCWs at X, and
// the chain reaches X through a search loop, so the only faithful cut is
// right before X; the continuation is that search loop, run behind a Seek
// and what brings the head back. Then only the index mark differs: the
// 3990 ends the search at the second index point unless a command between
// cleared the mark (Hercules ckddasd.c).
//  - `set` false: Seek 0/1, Search R2 (+TIC), Read Data R2 to X, Read
//    Count (passes the index point: R2 is the last record), NOP (clears the
//    mark), X. The search at X passes the index point once more and finds
//    R1: the hardware boots. ccwboot's way back ends with a Read Count that
//    passes the index point too, so it puts a NOP after it.
//  - `set` true: Seek 0/1, Search R2 (+TIC), Read Data R2 to X, Search R1
//    (+TIC: passes the index point), Read Count (R2's count), X. The search
//    at X meets the index point a second time: no record found on the
//    hardware. A new program starts with the mark clear and would find R1:
//    ccwboot refuses by name (kDasdSplitNotFaithful).
CkdVolume make_index_mark(const ShapeOptions& o, u32 n, bool set) {
  constexpr u32 kCountBuffer = 0x3000;
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.search_loop(0, 1, 2);
  const u32 read_r2 = p.next();
  p.ccw(ccw_cmd::kReadData, 0, CC, 0);  // address and count set below
  if (set) p.search_loop(0, 1, 1);
  p.ccw(ccw_cmd::kReadCount, kCountBuffer, CC | SLI, 8);
  if (!set) p.ccw(ccw_cmd::kNop, 0, CC, 1);
  const u32 x = p.addr_of(p.next());
  for (int k = 0; k < 4; ++k) p.ccw(ccw_cmd::kNop, 0, 0, 1);  // on disk: the chain ends here
  Program fresh(x);
  fresh.search_loop(0, 1, 1);
  fresh.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  auto r2 = fresh.bytes();
  auto ipl2 = p.bytes();
  Ccw0 rd = Ccw0::make(ccw_cmd::kReadData, x, CC, u16len(r2.size()));
  std::copy(rd.raw, rd.raw + 8, &ipl2[read_r2 * 8]);
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, blob);
  add_data(v, 0, 1, r2);
  return v;
}

// IPL2: Seek 0/1, Search ID Equal on R0 (matches at once: the channel skips
// the next CCW), a TIC forward to a NOP (never taken), Read Data of R0 with
// SKIP, Read Data of R1, the payload. The hardware boots it. vfio-ccw ends
// the first segment at the forward TIC, so the skip steps past the copy:
// ccwboot refuses it by name (kDasdSegmentOverrun).
CkdVolume make_segment_overrun(const ShapeOptions& o, u32 n) {
  std::vector<u8> blob = make_payload(kPayloadAddress, kSingleBlob, good_psw(n), n);
  constexpr u32 kNopAt = kIpl2Address + 0x100;
  Program p(kIpl2Address);
  p.seek(0, 1);
  p.ccw(ccw_cmd::kSearchIdEqual, 0, CC, 5);  // address set below
  p.ccw(ccw_cmd::kTic, kNopAt, 0, 0);
  p.ccw(ccw_cmd::kReadData, 0x3000, CC | SLI | ccw_flag::kSkip, 8);
  p.ccw(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  auto ipl2 = p.bytes();
  be::store24(&ipl2[8 + 1], kIpl2Address + static_cast<u32>(ipl2.size()));
  const u8 r0_id[5] = {0, 0, 0, 1, 0};
  ipl2.insert(ipl2.end(), r0_id, r0_id + 5);
  ipl2.resize(kNopAt - kIpl2Address + 8, 0);
  Ccw0 nop = Ccw0::make(ccw_cmd::kNop, 0, 0, 1);
  std::copy(nop.raw, nop.raw + 8, ipl2.end() - 8);
  CkdVolume v(cylinders(o, 1));
  write_track0(v, std_ipl1(kPayloadAddress, ipl2, kIpl2Address), ipl2, o);
  add_data(v, 0, 1, blob);
  return v;
}

}  // namespace ccwboot::sim::shape_detail
