// The IPL chain shapes of shapes.h, built record by record.
#include "shapes.h"

#include <array>
#include <vector>

#include "ccwboot/arch/ccw.h"
#include "ccwboot/be.h"
#include "payload.h"

namespace ccwboot::sim {
namespace {

constexpr u8 CC = ccw_flag::kChainCommand;
constexpr u8 CD = ccw_flag::kChainData;
constexpr u8 SLI = ccw_flag::kSuppressLength;

constexpr u32 kIpl2Address = 0x800;
constexpr u32 kPayloadAddress = 0x2000;
constexpr u32 kLow8kPayload = 0x200;
constexpr u32 kLow8kIpl2 = 0x3000;
constexpr u32 kStage1bAddress = 0x1000;
constexpr u32 kFirmwareAddress = 0x00E00000;
constexpr u32 kMultitrackRecord = 12288;

constexpr u64 good_psw(u32 n) { return 0x000A000080C0DE00ull | (u64{n} << 4); }

// Payload sizes (code block + checksummed filler).
constexpr u32 kSingleBlob = 4096 + kPayloadCodeSize;
constexpr u32 kZipl3Blob = 9000 + kPayloadCodeSize;
constexpr u32 kMultitrackBlob = 5 * kMultitrackRecord;
constexpr u32 kLow8kBlob = 0x2000 - kLow8kPayload;

// A format-0 channel program laid out at `base`: CCWs first, then the
// Seek/Search arguments they point at.
class Program {
 public:
  explicit Program(u32 base) : base_(base) {}

  // Index of the next CCW; its address is addr_of(index).
  u32 next() const { return static_cast<u32>(ccws_.size()); }
  u32 addr_of(u32 index) const { return base_ + index * 8; }

  void ccw(u8 cmd, u32 addr, u8 flags, u16 count) {
    ccws_.push_back({cmd, addr, flags, count, -1});
  }
  void tic_to(u32 index) { ccw(ccw_cmd::kTic, addr_of(index), 0, 0); }
  void seek(u16 cyl, u16 head, u8 flags = CC) {
    std::vector<u8> a(6, 0);
    be::store16(&a[2], cyl);
    be::store16(&a[4], head);
    arg_ccw(ccw_cmd::kSeek, flags, a);
  }
  // Search ID Equal + TIC back to it: the orientation loop.
  void search_loop(u16 cyl, u16 head, u8 rec) {
    std::vector<u8> a(5, 0);
    be::store16(&a[0], cyl);
    be::store16(&a[2], head);
    a[4] = rec;
    u32 search = next();
    arg_ccw(ccw_cmd::kSearchIdEqual, CC, a);
    tic_to(search);
  }
  // Seek, search loop and a Read Data of one record.
  void read_record(u16 cyl, u16 head, u8 rec, u32 dest, u16 count, u8 read_flags) {
    seek(cyl, head);
    search_loop(cyl, head, rec);
    ccw(ccw_cmd::kReadData, dest, read_flags, count);
  }

  std::vector<u8> bytes() const {
    u32 arg_base = base_ + next() * 8;
    std::vector<u8> out(ccws_.size() * 8);
    std::vector<u8> args;
    for (size_t i = 0; i < ccws_.size(); ++i) {
      const Entry& e = ccws_[i];
      u32 addr = e.addr;
      if (e.arg >= 0) addr = arg_base + arg_offsets_[static_cast<size_t>(e.arg)];
      Ccw0 c = Ccw0::make(e.cmd, addr, e.flags, e.count);
      std::copy(c.raw, c.raw + 8, &out[i * 8]);
    }
    for (const auto& a : args_) out.insert(out.end(), a.begin(), a.end());
    return out;
  }

 private:
  struct Entry {
    u8 cmd;
    u32 addr;
    u8 flags;
    u16 count;
    int arg;  // index into args_, or -1 for an absolute address
  };
  void arg_ccw(u8 cmd, u8 flags, const std::vector<u8>& a) {
    arg_offsets_.push_back(args_size_);
    args_size_ += static_cast<u32>(a.size());
    args_.push_back(a);
    ccws_.push_back(
        {cmd, 0, flags, static_cast<u16>(a.size()), static_cast<int>(args_.size() - 1)});
  }

  u32 base_;
  std::vector<Entry> ccws_;
  std::vector<std::vector<u8>> args_;
  std::vector<u32> arg_offsets_;
  u32 args_size_ = 0;
};

std::vector<u8> ipl1(u64 psw, u8 read_cmd, u32 ipl2_addr, u16 ipl2_len, u32 tic_target) {
  std::vector<u8> r(24);
  be::store64(&r[0], psw);
  Ccw0 read = Ccw0::make(read_cmd, ipl2_addr, CC | SLI, ipl2_len);
  Ccw0 tic = Ccw0::make(ccw_cmd::kTic, tic_target, 0, 0);
  std::copy(read.raw, read.raw + 8, &r[8]);
  std::copy(tic.raw, tic.raw + 8, &r[16]);
  return r;
}

constexpr u64 esa_psw(u32 addr) { return 0x0008000080000000ull | addr; }

std::vector<u8> vol1_label(const std::string& volser) {
  std::vector<u8> d(80, 0x40);
  std::string head = ascii_to_ebcdic("VOL1");
  std::string ser = ascii_to_ebcdic((volser + "      ").substr(0, 6));
  std::copy(head.begin(), head.end(), d.begin());
  std::copy(ser.begin(), ser.end(), d.begin() + 4);
  // VTOC pointer CCHHR 0/1/1 (there is no VTOC; IPL does not look).
  const u8 vtoc[5] = {0, 0, 0, 1, 1};
  std::copy(vtoc, vtoc + 5, d.begin() + 11);
  std::string owner = ascii_to_ebcdic("CCWBOOT");
  std::copy(owner.begin(), owner.end(), d.begin() + 41);
  return d;
}

std::vector<u8> key(const char* text) {
  std::string k = ascii_to_ebcdic(text);
  return {k.begin(), k.end()};
}

// Track 0: R1 IPL1, R2 IPL2, R3 VOL1, as dasdinit lays them out.
void write_track0(CkdVolume& v, const std::vector<u8>& ipl1_data, const std::vector<u8>& ipl2_data,
                  const ShapeOptions& o) {
  v.add_record(0, 0, key("IPL1"), ipl1_data);
  v.add_record(0, 0, key("IPL2"), ipl2_data);
  v.add_record(0, 0, key("VOL1"), vol1_label(o.volser));
}

void add_data(CkdVolume& v, u16 cyl, u16 head, std::span<const u8> data) {
  v.add_record(cyl, head, {}, data);
}

std::span<const u8> slice(const std::vector<u8>& b, size_t off, size_t len) {
  return std::span<const u8>(b).subspan(off, len);
}

u16 u16len(size_t n) { return static_cast<u16>(n); }

// The requested size, but never less than the shape needs.
u32 cylinders(const ShapeOptions& o, u32 minimum) {
  return o.cylinders > minimum ? o.cylinders : minimum;
}

// Standard IPL1: read R2 (IPL2) to `ipl2_addr` and TIC there.
std::vector<u8> std_ipl1(u32 entry, const std::vector<u8>& ipl2, u32 ipl2_addr) {
  return ipl1(esa_psw(entry), ccw_cmd::kReadData, ipl2_addr, u16len(ipl2.size()), ipl2_addr);
}

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
  std::vector<u8> rec(8);
  Ccw0 fresh = Ccw0::make(ccw_cmd::kReadData, kPayloadAddress, 0, u16len(blob.size()));
  std::copy(fresh.raw, fresh.raw + 8, rec.begin());
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
    case Shape::kSingle:
      return make_single(o, n);
    case Shape::kZipl3:
      return make_zipl3(o, n);
    case Shape::kPswAt0:
      return make_psw_at_0(o, n);
    case Shape::kMultitrack:
      return make_multitrack(o, n);
    case Shape::kOverwriteNoTic:
      return make_overwrite_no_tic(o, n);
    case Shape::kLow8k:
      return make_low_8k(o, n);
    case Shape::kUnformatted:
      return make_unformatted(o);
    case Shape::kIpl1NotRead:
      return make_ipl1_not_read(o);
    case Shape::kIpl2Zero:
      return make_ipl2_zero(o);
    case Shape::kTicLoop:
      return make_tic_loop(o);
    case Shape::kNoRecord:
      return make_no_record(o, n);
    case Shape::kAimFirmware:
      return make_aim_firmware(o, 7);
    case Shape::kDataChainSplit:
      return make_data_chain_split(o, 8);
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
