// The volume grammar of volgen.h.
#include "volgen.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "ccwboot/arch/ccw.h"
#include "ccwboot/endian.h"
#include "payload.h"
#include "shapes.h"

namespace ccwboot::sim {
namespace {

constexpr u8 CC = ccw_flag::kChainCommand;
constexpr u8 CD = ccw_flag::kChainData;
constexpr u8 SLI = ccw_flag::kSuppressLength;
constexpr u8 SKIP = ccw_flag::kSkip;
constexpr u8 PCI = ccw_flag::kPci;

constexpr u32 kFirmwareHome = 0x00E00000;
constexpr u8 kSearchIdEqualMt = 0xB1;
constexpr u8 kReadMultipleCkd = 0x5E;  // where ccwboot.ins puts the image in Hercules

// splitmix64: small, fast, and the same on every host.
class Rng {
 public:
  explicit Rng(u64 seed) : s_(seed) {}
  u64 next() {
    u64 z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  u32 below(u32 n) { return n ? static_cast<u32>(next() % n) : 0; }
  u32 range(u32 lo, u32 hi) { return lo + below(hi - lo + 1); }  // inclusive
  bool percent(u32 p) { return below(100) < p; }

 private:
  u64 s_;
};

// A format-0 channel program at a fixed base: CCWs, then the Seek/Search
// arguments they point at. TICs inside the block are kept as indices, so
// CCWs can be inserted at the front.
class Block {
 public:
  struct Ccw {
    u8 cmd;
    u32 addr;  // absolute data address (or TIC target when tic < 0)
    u8 flags;
    u16 count;
    int arg = -1;  // index into args_: the data address is that argument
    int tic = -1;  // TIC to this CCW index of the same block
  };

  explicit Block(u32 base) : base_(base) {}
  u32 base() const { return base_; }
  u32 next() const { return static_cast<u32>(ccws_.size()); }
  u32 addr_of(u32 index) const { return base_ + index * 8; }
  Ccw& at(u32 i) { return ccws_[i]; }
  const Ccw& at(u32 i) const { return ccws_[i]; }
  std::vector<u8>& arg(int i) { return args_[static_cast<size_t>(i)]; }

  u32 add(u8 cmd, u32 addr, u8 flags, u16 count) {
    ccws_.push_back({cmd, addr, flags, count});
    return next() - 1;
  }
  u32 add_arg(u8 cmd, u8 flags, std::vector<u8> a) {
    args_.push_back(std::move(a));
    ccws_.push_back(
        {cmd, 0, flags, static_cast<u16>(args_.back().size()), static_cast<int>(args_.size() - 1)});
    return next() - 1;
  }
  u32 tic_local(u32 index) {
    ccws_.push_back({ccw_cmd::kTic, 0, 0, 0, -1, static_cast<int>(index)});
    return next() - 1;
  }
  u32 seek(u16 cyl, u16 head, u8 flags) {
    std::vector<u8> a(6, 0);
    be::store16(&a[2], cyl);
    be::store16(&a[4], head);
    return add_arg(ccw_cmd::kSeek, flags, a);
  }
  // Search ID Equal and the TIC back to it.
  u32 search(const CkdId& id, u8 flags) {
    std::vector<u8> a(5, 0);
    be::store16(&a[0], id.cyl);
    be::store16(&a[2], id.head);
    a[4] = id.record;
    u32 s = add_arg(ccw_cmd::kSearchIdEqual, flags, a);
    tic_local(s);
    return s;
  }
  void insert_front(const std::vector<Ccw>& seq) {
    for (Ccw& c : ccws_)
      if (c.tic >= 0) c.tic += static_cast<int>(seq.size());
    ccws_.insert(ccws_.begin(), seq.begin(), seq.end());
  }
  void pad_to(u32 count) {
    while (next() < count) ccws_.push_back({0, 0, 0, 0});
  }
  u32 arg_address(int arg) const {
    u32 a = base_ + next() * 8;
    for (int i = 0; i < arg; ++i) a += static_cast<u32>(args_[static_cast<size_t>(i)].size());
    return a;
  }
  u32 size_bytes() const {
    u32 n = next() * 8;
    for (const auto& a : args_) n += static_cast<u32>(a.size());
    return n;
  }
  std::vector<u8> bytes() const {
    std::vector<u8> out;
    for (const Ccw& c : ccws_) {
      u32 addr = c.addr;
      if (c.arg >= 0) addr = arg_address(c.arg);
      if (c.tic >= 0) addr = addr_of(static_cast<u32>(c.tic));
      Ccw0 raw = Ccw0::make(c.cmd, addr, c.flags, c.count);
      out.insert(out.end(), raw.raw, raw.raw + 8);
    }
    for (const auto& a : args_) out.insert(out.end(), a.begin(), a.end());
    return out;
  }
  // Storage this block's input CCWs may write (SKIP excluded).
  void collect_ranges(std::vector<std::pair<u32, u32>>& out) const {
    for (const Ccw& c : ccws_) {
      if (c.arg >= 0 || c.tic >= 0 || is_tic(c.cmd) || c.cmd == 0 || c.count == 0) continue;
      bool input = (c.cmd & 0x03) == 0x02 || (c.cmd & 0x0F) == 0x04 || (c.cmd & 0x0F) == 0x0C;
      if (input && !(c.flags & SKIP)) out.emplace_back(c.addr, c.addr + c.count);
    }
  }

 private:
  u32 base_;
  std::vector<Ccw> ccws_;
  std::vector<std::vector<u8>> args_;
};

constexpr u64 esa_psw(u32 addr) { return 0x0008000080000000ull | addr; }

std::vector<u8> key_of(const char* text) {
  std::string k = ascii_to_ebcdic(text);
  return {k.begin(), k.end()};
}

struct Chunk {
  u32 mem;  // where it belongs in storage
  std::vector<u8> bytes;
};

// Where the device stands after the CCWs emitted so far in one block.
struct Orientation {
  bool valid = false;
  CkdId last{};  // record whose data was read last
  bool mt = false;
};

class Generator {
 public:
  Generator(u64 seed, u32 index, GeneratedVolume& out)
      : rng_(seed * 0x9E3779B97F4A7C15ull ^ (u64{index} << 1) ^ 0x5DEECE66Dull),
        cmds_(seed * 0xD1B54A32D192ED03ull ^ (u64{index} << 1) ^ 0xC0FFEEull),
        out_(out) {}

  void run();

 private:
  // Disk placement: records go on the cursor track while they fit.
  std::optional<CkdId> put(std::span<const u8> key, std::span<const u8> data);
  std::optional<CkdId> reserve();
  static constexpr u32 kReserve = 2048;
  void next_track();
  std::vector<u8> garbage(u32 n) {
    std::vector<u8> g(n);
    for (u8& b : g) b = static_cast<u8>(rng_.next());
    return g;
  }
  u32 chunk_size();
  void feature(const char* name);

  // Emits the CCWs that load `chunk` into block `b`.
  void emit_chunk(Block& b, Orientation& o, const Chunk& chunk);
  // Seek + Search + TIC for record `id` (Seek left out when oriented on its track).
  void orient(Block& b, Orientation& o, const CkdId& id);
  // A Seek/Search/Read group that reads `data` (stored as a new record) to `mem`.
  void emit_record_read(Block& b, Orientation& o, std::span<const u8> data, u32 mem, u8 flags);
  void maybe_pci(Block& b, u32 i) {
    if (rng_.percent(4)) {
      b.at(i).flags |= PCI;
      feature("pci");
    }
  }

  void build_payload_chunks();
  Block build_flat(u32 base);
  Block build_stage(u32 ipl2);
  Block build_overwrite_next(u32 ipl2);
  Block build_rewritten(u32 ipl2);
  Block build_linked(u32 ipl2, bool same_buffer);
  void emit_chunks(Block& b, Orientation& o, size_t first, size_t count);
  void end_chain(Block& b);
  void damage_ipl2(Block& ipl2);

  Rng rng_;
  // Session 5's commands (a multi-track search loop, Read R0 / Read Home
  // Address before R1, Read Multiple CKD before the next head's R1) draw
  // from a stream of their own, so a volume that uses none of them is the
  // one earlier volgens made for the same seed and index.
  Rng cmds_;
  GeneratedVolume& out_;
  u32 cylinders_ = 1;
  u32 cur_cyl_ = 0, cur_head_ = 1;
  u32 records_ = 0;
  std::vector<Chunk> chunks_;
  std::vector<Block> blocks_;  // every block, for the storage ranges
  std::vector<std::pair<u32, u32>> extra_ranges_;
  bool psw_at_0_ = false;
};

void Generator::feature(const char* name) {
  std::string n = name;
  std::string& f = out_.features;
  size_t pos = 0;
  while (pos <= f.size()) {
    size_t end = f.find(',', pos);
    if (end == std::string::npos) end = f.size();
    if (f.compare(pos, end - pos, n) == 0) return;
    pos = end + 1;
  }
  if (!f.empty()) f += ',';
  f += n;
}

void Generator::next_track() {
  cur_head_++;
  if (cur_head_ >= k3390Heads) {
    cur_head_ = 0;
    cur_cyl_++;
  }
}

std::optional<CkdId> Generator::put(std::span<const u8> key, std::span<const u8> data) {
  if (records_ >= kVolgenMaxRecords) return std::nullopt;
  for (int tries = 0; tries < 2 * static_cast<int>(k3390Heads); ++tries) {
    if (cur_cyl_ >= cylinders_) return std::nullopt;
    if (auto r = out_.volume.add_record(cur_cyl_, cur_head_, key, data)) {
      ++records_;
      return CkdId{static_cast<u16>(cur_cyl_), static_cast<u16>(cur_head_), *r};
    }
    next_track();
  }
  return std::nullopt;
}

u32 Generator::chunk_size() {
  u32 k = rng_.below(100);
  if (k < 10) return rng_.range(1, 16);
  if (k < 40) return rng_.range(17, 512);
  if (k < 75) return rng_.range(513, 4096);
  return rng_.range(4097, 20000);
}

void Generator::orient(Block& b, Orientation& o, const CkdId& id) {
  bool on_track = o.valid && o.last.cyl == id.cyl && o.last.head == id.head;
  bool seek = !on_track || rng_.percent(30);
  u32 pick = cmds_.below(100);
  if (seek && id.head > 0 && pick < 6) {
    // A Seek to the head before and Search ID Equal MT + TIC: at the end of
    // that track the search goes on with the record's head (the index mark
    // is clear after the Seek).
    b.seek(id.cyl, static_cast<u16>(id.head - 1), CC);
    b.at(b.search(id, CC)).cmd = kSearchIdEqualMt;
    feature("mtsearch");
  } else if (id.record == 1 && pick < 14) {
    // Read R0 or Read Home Address (SKIP: nothing stored) go back to the
    // start of the track: the next read gets R1.
    if (seek) b.seek(id.cyl, id.head, CC);
    b.add(pick < 10 ? ccw_cmd::kReadRecordZero : ccw_cmd::kReadHomeAddress, 0, CC | SLI | SKIP, 1);
    feature(pick < 10 ? "r0" : "ha");
  } else {
    if (seek) b.seek(id.cyl, id.head, CC);
    b.search(id, CC);
  }
  o.valid = true;
  o.mt = false;
}

void Generator::emit_record_read(Block& b, Orientation& o, std::span<const u8> data, u32 mem,
                                 u8 flags) {
  auto id = put({}, data);
  if (!id) return;
  orient(b, o, *id);
  u32 i = b.add(ccw_cmd::kReadData, mem, flags, static_cast<u16>(data.size()));
  maybe_pci(b, i);
  o.last = *id;
}

// One payload chunk: a record, and the CCWs that read it (plain, multi-track,
// key and data, short or long count with SLI, data chained, SKIP over filler).
void Generator::emit_chunk(Block& b, Orientation& o, const Chunk& c) {
  const u32 n = static_cast<u32>(c.bytes.size());
  u32 how = rng_.below(100);
  std::vector<u8> key, data = c.bytes;
  u32 tail = 0, skip_at = 0, skip_len = 0;
  if (how < 12 && n >= 8) {  // key and data: the record's key holds the first bytes
    u32 kl = rng_.range(1, std::min<u32>(n - 1, 200));
    key.assign(c.bytes.begin(), c.bytes.begin() + kl);
    data.assign(c.bytes.begin() + kl, c.bytes.end());
  } else if (how < 24) {  // short count with SLI: the record is longer
    tail = rng_.range(1, 600);
    auto g = garbage(tail);
    data.insert(data.end(), g.begin(), g.end());
  } else if (how < 32 && n >= 4) {  // SKIP over filler in the middle of a data chain
    skip_at = rng_.range(1, n - 1);
    skip_len = rng_.range(1, 300);
    auto g = garbage(skip_len);
    data.insert(data.begin() + skip_at, g.begin(), g.end());
  }
  if (cur_cyl_ < cylinders_ - 1 && rng_.percent(8)) {
    cur_cyl_++;  // jump to the next cylinder: a Seek that moves the arm
    cur_head_ = rng_.below(k3390Heads);
    feature("cyl");
  }
  auto id = put(key, data);
  if (!id) return;

  // How to get there: the next record of the track needs no search; R1 of
  // the next head after the last record of the previous one can be read by
  // Read Multiple-Track Data.
  bool sequential = o.valid && o.last.cyl == id->cyl && o.last.head == id->head &&
                    id->record == o.last.record + 1 && rng_.percent(70);
  const CkdTrack* prev = o.valid ? out_.volume.track(o.last.cyl, o.last.head) : nullptr;
  const bool after_last = o.valid && id->record == 1 && o.last.cyl == id->cyl &&
                          o.last.head + 1 == id->head && prev &&
                          prev->records.size() == o.last.record && key.empty();
  bool mt = after_last && o.mt && rng_.percent(85);
  // Read Multiple CKD (SKIP) after the last record of a track leaves the
  // head at its end; Hercules reads the next head's R1 for a single-track
  // Read Data there (ckddasd.c, ckd_read_count, CKDORIENT_EOT).
  const bool rmckd = after_last && cmds_.percent(30);
  if (!sequential && !mt && !rmckd) orient(b, o, *id);
  bool use_mt = mt || (key.empty() && rng_.percent(25));
  if (rmckd) {
    b.add(kReadMultipleCkd, 0, CC | SLI | SKIP, 1);
    feature("rmckd");
    use_mt = false;
  }
  u8 cmd = key.empty() ? (use_mt ? ccw_cmd::kReadMultipleTrackData : ccw_cmd::kReadData)
                       : ccw_cmd::kReadKeyData;
  if (!key.empty()) feature("rkd");
  if (use_mt) feature("mt");
  if (sequential) feature("seq");

  if (skip_len) {
    feature("skip");
    u32 i1 = b.add(cmd, c.mem, CD, static_cast<u16>(skip_at));
    u32 i2 = b.add(cmd, c.mem + skip_at, CD | SKIP, static_cast<u16>(skip_len));
    u32 i3 = b.add(cmd, c.mem + skip_at, CC, static_cast<u16>(n - skip_at));
    maybe_pci(b, i1);
    maybe_pci(b, i2);
    maybe_pci(b, i3);
  } else if (n >= 2 && tail == 0 && rng_.percent(20)) {
    // Data chaining in two or three pieces.
    feature("cd");
    u32 pieces = n >= 3 && rng_.percent(40) ? 3 : 2;
    u32 a = rng_.range(1, n - pieces + 1);
    u32 bb = pieces == 3 ? rng_.range(1, n - a - 1) : n - a;
    u32 first = b.add(cmd, c.mem, CD, static_cast<u16>(a));
    maybe_pci(b, first);
    // The continuation's command code is ignored; some loaders leave it 0.
    u8 cont = rng_.percent(30) ? 0 : cmd;
    u32 i2 = b.add(cont, c.mem + a, pieces == 3 ? CD : CC, static_cast<u16>(bb));
    maybe_pci(b, i2);
    if (pieces == 3) b.add(cont, c.mem + a + bb, CC, static_cast<u16>(n - a - bb));
  } else {
    u32 count = n;
    u8 flags = CC;
    if (tail) {
      flags |= SLI;
      feature("short");
    } else if (rng_.percent(15)) {
      count = std::min<u32>(0xFFFF, n + rng_.range(1, 512));
      flags |= SLI;
      feature("long");
    } else if (rng_.percent(30)) {
      flags |= SLI;
    }
    u32 i = b.add(cmd, c.mem, flags, static_cast<u16>(count));
    maybe_pci(b, i);
  }
  o.valid = true;
  o.last = *id;
  o.mt = use_mt;
}

void Generator::emit_chunks(Block& b, Orientation& o, size_t first, size_t count) {
  for (size_t i = first; i < first + count && i < chunks_.size(); ++i) emit_chunk(b, o, chunks_[i]);
}

// The last CCW of a block ends the chain.
void Generator::end_chain(Block& b) {
  if (b.next() == 0) b.add(ccw_cmd::kNop, 0, 0, 1);
  b.at(b.next() - 1).flags &= static_cast<u8>(~(CC | CD));
}

void Generator::build_payload_chunks() {
  u32 entry = out_.payload_start;
  u32 nchunks = rng_.range(1, 10);
  std::vector<u32> sizes;
  u32 total = 0;
  for (u32 i = 0; i < nchunks; ++i) {
    sizes.push_back(chunk_size());
    total += sizes.back();
  }
  if (total < kPayloadCodeSize + 16) {
    sizes.back() += kPayloadCodeSize + 16 - total;
    total = kPayloadCodeSize + 16;
  }
  std::vector<u8> blob =
      make_payload(entry, total, kVolgenPayloadPsw, static_cast<u32>(rng_.next()));
  u32 off = 0;
  for (u32 s : sizes) {
    chunks_.push_back({entry + off, {blob.begin() + off, blob.begin() + off + s}});
    off += s;
  }
  out_.payload_end = entry + total;
}

Block Generator::build_flat(u32 base) {
  Block b(base);
  Orientation o;
  emit_chunks(b, o, 0, chunks_.size());
  return b;
}

// IPL2 reads a stage block elsewhere and TICs to it (zipl's stage 1 pattern).
Block Generator::build_stage(u32 ipl2) {
  const u32 where = 0x3000 + 8 * rng_.below(0x600);
  // Half the time the stage's record comes first on its track and the stage
  // goes on from there without a Seek: its first CCWs rely on where IPL2's
  // Read left the device (a continuation that needs orientation).
  const bool carry_on = rng_.percent(50);
  std::optional<CkdId> id;
  if (carry_on && !(id = reserve())) return build_flat(ipl2);
  Block stage(where);
  Orientation so;
  if (carry_on) {
    so = {true, *id, false};
    feature("carry");
  }
  emit_chunks(stage, so, 0, chunks_.size());
  end_chain(stage);
  Block b(ipl2);
  Orientation o;
  auto bytes = stage.bytes();
  const u8 flags = CC | (rng_.percent(50) ? SLI : 0);
  if (carry_on) {
    out_.volume.replace_record(id->cyl, id->head, id->record, {}, bytes);
    orient(b, o, *id);
    b.add(ccw_cmd::kReadData, where, flags, static_cast<u16>(bytes.size()));
  } else {
    emit_record_read(b, o, bytes, where, flags);
  }
  b.add(ccw_cmd::kTic, where, 0, 0);
  blocks_.push_back(stage);
  return b;
}

// A record whose data is written later (at most kReserve bytes): it keeps
// its place before the records that follow it.
std::optional<CkdId> Generator::reserve() { return put({}, std::vector<u8>(kReserve, 0)); }

// A Read stores the next block right over the CCWs after it (no TIC); on
// disk the CCW after the Read is a NOP that ends the chain. Half the time
// the new CCWs go on from where that Read left the device (no Seek).
Block Generator::build_overwrite_next(u32 ipl2) {
  // IPL2 = Seek, Search, TIC, Read (index 3), NOP: the new block starts at index 4.
  const u32 read_addr = ipl2 + 3 * 8;
  const u32 fresh_base = read_addr + 8;
  const bool self = rng_.percent(25);  // the Read stores over itself too
  auto id = reserve();
  if (!id) return build_flat(ipl2);
  Block fresh(fresh_base);
  Orientation fo;
  if (rng_.percent(50)) {
    fo = {true, *id, false};
    feature("carry");
  }
  emit_chunks(fresh, fo, 0, chunks_.size());
  end_chain(fresh);
  auto fb = fresh.bytes();
  const u32 dest = self ? read_addr : fresh_base;
  const u16 len = static_cast<u16>(fb.size() + (self ? 8 : 0));
  std::vector<u8> data;
  if (self) {
    feature("self");
    Ccw0 again = Ccw0::make(ccw_cmd::kReadData, dest, CC, len);
    data.assign(again.raw, again.raw + 8);
  }
  data.insert(data.end(), fb.begin(), fb.end());
  out_.volume.replace_record(id->cyl, id->head, id->record, {}, data);
  Block b(ipl2);
  b.seek(id->cyl, id->head, CC);
  b.search(*id, CC);
  b.add(ccw_cmd::kReadData, dest, CC, len);
  b.add(ccw_cmd::kNop, 0, 0, 1);  // on disk the chain ends here
  blocks_.push_back(fresh);
  return b;
}

// The TIC target is rewritten several times by reads of the same program
// before the TIC runs: only the last version may run.
Block Generator::build_rewritten(u32 ipl2) {
  u32 where = 0x3000 + 8 * rng_.below(0x600);
  Block real(where);
  Orientation ro;
  emit_chunks(real, ro, 0, chunks_.size());
  end_chain(real);
  Block b(ipl2);
  Orientation o;
  u32 stale = rng_.range(1, 2);
  for (u32 i = 0; i < stale; ++i) {
    Block decoy(where);
    decoy.add(ccw_cmd::kReadData, 0x9000 + 0x100 * i, SLI, 0x80);  // never runs
    auto db = decoy.bytes();
    db.resize(std::max<size_t>(db.size(), rng_.range(8, 64)), 0);
    emit_record_read(b, o, db, where, CC | SLI);
    o.valid = false;  // the next group seeks again
  }
  auto rb = real.bytes();
  emit_record_read(b, o, rb, where, CC);
  b.add(ccw_cmd::kTic, where, 0, 0);
  blocks_.push_back(real);
  return b;
}

// A linked list: each block loads its share of the payload, then reads the
// next block (over itself, or into the other of two buffers) and TICs to it.
Block Generator::build_linked(u32 ipl2, bool same_buffer) {
  u32 links = rng_.range(2, 16);
  const u32 buf[2] = {0x4000 + 8 * rng_.below(0x100), 0x6000 + 8 * rng_.below(0x100)};
  // Share the chunks among the links.
  std::vector<size_t> first(links), count(links, 0);
  for (size_t c = 0; c < chunks_.size(); ++c)
    count[std::min<size_t>(c * links / chunks_.size(), links - 1)]++;
  for (u32 i = 1; i < links; ++i) first[i] = first[i - 1] + count[i - 1];

  // Built from the last block to the first: each one must know where the
  // next lies on disk. With one buffer every block keeps its tail (read
  // next, TIC) at the same index, since the channel fetches the CCW after
  // the Read from the block just read.
  std::vector<Block> bodies;
  u32 tail = 0;
  for (u32 i = 0; i < links; ++i) {
    Block body(same_buffer ? buf[0] : buf[i % 2]);
    Orientation o;
    emit_chunks(body, o, first[i], count[i]);
    tail = std::max(tail, body.next() + 2);
    bodies.push_back(body);
  }
  std::optional<CkdId> next_id;
  u32 next_len = 0;
  for (u32 k = links; k-- > 0;) {
    Block& body = bodies[k];
    const u32 here = body.base();
    const u32 there = same_buffer ? buf[0] : buf[(k + 1) % 2];
    if (!next_id) {
      // The last block: its loads end the chain.
      end_chain(body);
      if (same_buffer) {
        // The previous block's Read at tail+3 is followed by the CCW at
        // tail+4 of this one: a TIC to its start.
        body.pad_to(tail + 4);
        body.add(ccw_cmd::kTic, here, 0, 0);
      }
    } else {
      if (same_buffer) {
        // A block entered by a TIC must not start with one (TIC to TIC).
        if (body.next() == 0) body.add(ccw_cmd::kNop, 0, CC, 1);
        if (body.next() < tail) body.add(ccw_cmd::kTic, here + tail * 8, 0, 0);
        body.pad_to(tail);
      }
      body.seek(next_id->cyl, next_id->head, CC);
      body.search(*next_id, CC);
      body.add(ccw_cmd::kReadData, there, CC | (rng_.percent(30) ? SLI : 0),
               static_cast<u16>(next_len));
      body.add(ccw_cmd::kTic, there, 0, 0);
    }
    auto bytes = body.bytes();
    next_id = put({}, bytes);
    if (!next_id) return build_flat(ipl2);
    next_len = static_cast<u32>(bytes.size());
    (void)here;
  }
  for (const Block& body : bodies) blocks_.push_back(body);
  Block b(ipl2);
  b.seek(next_id->cyl, next_id->head, CC);
  b.search(*next_id, CC);
  const u32 entry = buf[0];
  b.add(ccw_cmd::kReadData, entry, CC, static_cast<u16>(next_len));
  b.add(ccw_cmd::kTic, entry, 0, 0);
  feature(same_buffer ? "reread" : "pingpong");
  return b;
}

// One named damage to the program IPL1 starts (it always runs).
void Generator::damage_ipl2(Block& b) {
  std::vector<u32> reads, seeks, searches, tics;
  for (u32 i = 0; i < b.next(); ++i) {
    const auto& c = b.at(i);
    if (c.cmd == ccw_cmd::kSeek)
      seeks.push_back(i);
    else if (c.cmd == ccw_cmd::kSearchIdEqual)
      searches.push_back(i);
    else if (is_tic(c.cmd))
      tics.push_back(i);
    else if (c.arg < 0 && (c.cmd & 0x03) == 0x02 && !(c.flags & CD))
      reads.push_back(i);
  }
  auto pick = [&](const std::vector<u32>& v) { return v[rng_.below(static_cast<u32>(v.size()))]; };
  for (int attempt = 0; attempt < 8; ++attempt) {
    switch (rng_.below(12)) {
      case 0:
        if (searches.empty()) break;
        b.arg(b.at(pick(searches)).arg)[4] = 0xC8;
        out_.damage = "missing-record";
        return;
      case 1:
        if (seeks.empty()) break;
        be::store16(&b.arg(b.at(pick(seeks)).arg)[2], static_cast<u16>(cylinders_ + rng_.below(5)));
        out_.damage = "seek-outside";
        return;
      case 2: {
        // Chain state after Read IPL: a Define Extent, Set File Mask or a
        // second Read IPL right where IPL1 chains into IPL2.
        u32 k = rng_.below(3);
        u8 cmd = k == 0 ? 0x63 : k == 1 ? 0x1F : ccw_cmd::kReadIpl;
        u16 count = k == 0 ? 16 : k == 1 ? 1 : 24;
        b.insert_front({{cmd, 0x9000, static_cast<u8>(CC | SLI), count}});
        extra_ranges_.emplace_back(0x9000, 0x9000 + count);
        out_.damage = k == 0 ? "define-extent" : k == 1 ? "set-file-mask" : "second-read-ipl";
        return;
      }
      case 3: {
        if (reads.empty()) break;
        const u8 bad[] = {0x00, 0xFF, 0x0B, 0x83};
        b.at(pick(reads)).cmd = bad[rng_.below(4)];
        out_.damage = "invalid-command";
        return;
      }
      case 4:
        if (tics.empty()) break;
        {
          u32 t = pick(tics);
          b.at(t).tic = static_cast<int>(t);
          out_.damage = "tic-to-tic";
        }
        return;
      case 5:
        if (reads.empty()) break;
        b.at(pick(reads)).addr = kFirmwareHome + 8 * rng_.below(0x1000);
        out_.damage = "aim-firmware";
        return;
      case 6:
        if (reads.empty()) break;
        {
          auto& c = b.at(pick(reads));
          c.flags &= static_cast<u8>(~SLI);
          c.count = static_cast<u16>(c.count > 1 ? c.count - 1 : 2);
          out_.damage = "incorrect-length";
        }
        return;
      case 7:
        if (reads.empty()) break;
        b.at(pick(reads)).count = 0;
        out_.damage = "count-zero";
        return;
      case 8:
        if (reads.empty()) break;
        b.at(pick(reads)).flags |= ccw_flag::kIndirect;
        out_.damage = "ida";
        return;
      case 9:
        if (searches.empty()) break;
        b.arg(b.at(pick(searches)).arg)[4] = 0;
        out_.damage = "search-r0";
        return;
      case 10:
        // Endless: rare, since the hardware IPL of it never ends (a
        // Hercules run waits for its time limit).
        if (!rng_.percent(15)) break;
        if (reads.empty() || rng_.percent(50)) {
          b.insert_front({{ccw_cmd::kNop, 0, CC, 1}, {ccw_cmd::kTic, 0, 0, 0, -1, 0}});
          out_.damage = "nop-tic-loop";
        } else {
          // A Read and a TIC back to it: the device reads the track round and round.
          u32 r = pick(reads);
          b.at(r).flags |= CC | SLI;
          Block::Ccw tic{ccw_cmd::kTic, 0, 0, 0, -1, static_cast<int>(r)};
          if (r + 1 < b.next())
            b.at(r + 1) = tic;
          else
            b.tic_local(r);
          out_.damage = "read-tic-loop";
        }
        return;
      case 11:
        if (tics.empty()) break;
        {
          auto& t = b.at(pick(tics));
          u32 target = t.tic >= 0 ? b.addr_of(static_cast<u32>(t.tic)) : t.addr;
          t.tic = -1;
          t.addr = target + 4;
          out_.damage = "odd-tic";
        }
        return;
    }
  }
  out_.damage = "ipl2-zero-cmd";
  b.insert_front({{0, 0, 0, 0}});
}

void Generator::run() {
  cylinders_ = rng_.percent(70) ? 1 : rng_.range(2, kVolgenMaxCylinders);
  out_.volume = CkdVolume(cylinders_);
  out_.payload_start = 0x10000 + 8 * rng_.below(0x4000);
  build_payload_chunks();
  // Track 0 holds IPL1, IPL2 and VOL1; everything else goes from track 0/1 on.
  cur_cyl_ = 0;
  cur_head_ = 1;
  records_ = 3;

  // IPL1's shape first: "notic" and "ldl" put IPL2 into the lowcore (0x10,
  // 0x18), which only suits a short IPL2 (not the flat one).
  u32 s = rng_.below(100);
  out_.ipl1 = s < 58   ? "std"
              : s < 72 ? "nosli"
              : s < 77 ? "rkd"
              : s < 85 ? "mt"
              : s < 93 ? "notic"
                       : "ldl";
  const bool low = out_.ipl1 == "notic" || out_.ipl1 == "ldl";
  const u32 ipl2 = out_.ipl1 == "notic" ? 0x10
                   : out_.ipl1 == "ldl" ? 0x18
                                        : 0x400 + 8 * rng_.below(0x180);

  u32 k = low ? rng_.range(30, 99) : rng_.below(100);
  Block b(ipl2);
  if (k < 30) {
    out_.structure = "flat";
    b = build_flat(ipl2);
  } else if (k < 48) {
    out_.structure = "stage";
    b = build_stage(ipl2);
  } else if (k < 62) {
    out_.structure = "overwrite-next";
    b = build_overwrite_next(ipl2);
  } else if (k < 74) {
    out_.structure = "rewritten";
    b = build_rewritten(ipl2);
  } else if (k < 87) {
    out_.structure = "linked";
    b = build_linked(ipl2, true);
  } else {
    out_.structure = "pingpong";
    b = build_linked(ipl2, false);
  }
  // A PSW record read over absolute 0 at the end; IPL1's PSW then points
  // at the payload's decoy entry, so booting with the wrong PSW shows.
  psw_at_0_ = out_.structure == "flat" && rng_.percent(20);
  if (psw_at_0_) {
    std::vector<u8> psw(8);
    be::store64(psw.data(), esa_psw(out_.payload_start));
    Orientation o;
    emit_record_read(b, o, psw, 0, CC);
    feature("psw0");
  }
  if (out_.structure == "flat") end_chain(b);

  const bool damaged = rng_.percent(20);
  if (damaged) damage_ipl2(b);

  // IPL1: PSW and two CCWs.
  std::vector<u8> ipl2_bytes = b.bytes();
  const u16 len = static_cast<u16>(ipl2_bytes.size());
  std::vector<u8> r1(24, 0);
  const u64 psw = esa_psw(out_.payload_start + (psw_at_0_ ? kPayloadDecoyEntry : 0));
  Ccw0 c1{}, c2{};
  if (out_.ipl1 == "std") {
    c1 = Ccw0::make(ccw_cmd::kReadData, ipl2, CC | SLI, static_cast<u16>(len + rng_.below(64)));
    c2 = Ccw0::make(ccw_cmd::kTic, ipl2, 0, 0);
  } else if (out_.ipl1 == "nosli") {
    c1 = Ccw0::make(ccw_cmd::kReadData, ipl2, CC, len);
    c2 = Ccw0::make(ccw_cmd::kTic, ipl2, 0, 0);
  } else if (out_.ipl1 == "rkd") {
    // Read Key and Data: the key "IPL2" lands in front of IPL2.
    c1 = Ccw0::make(ccw_cmd::kReadKeyData, ipl2 - 4, CC | SLI, static_cast<u16>(len + 4));
    c2 = Ccw0::make(ccw_cmd::kTic, ipl2, 0, 0);
  } else if (out_.ipl1 == "mt") {
    c1 = Ccw0::make(ccw_cmd::kReadMultipleTrackData, ipl2, CC | SLI, len);
    c2 = Ccw0::make(ccw_cmd::kTic, ipl2, 0, 0);
  } else if (out_.ipl1 == "notic") {
    // IPL2 is read over IPL1's own TIC slot: the chain runs straight on at 0x10.
    c1 = Ccw0::make(ccw_cmd::kReadData, 0x10, CC | SLI, len);
    c2 = Ccw0::make(ccw_cmd::kTic, 0x10, 0, 0);  // overwritten before it is fetched
  } else {
    // zipl LDL-like: IPL2 read to 0x18 behind IPL1, whose second CCW chains on.
    c1 = Ccw0::make(ccw_cmd::kReadData, 0x18, CC | SLI, len);
    c2 = Ccw0::make(ccw_cmd::kNop, 0, CC, 1);
  }
  be::store64(&r1[0], psw);
  std::copy(c1.raw, c1.raw + 8, &r1[8]);
  std::copy(c2.raw, c2.raw + 8, &r1[16]);
  if (!damaged && rng_.percent(4)) {
    switch (rng_.below(4)) {
      case 0:
        r1[1] &= 0xF7;  // no bit 12: the machine refuses the IPL PSW
        out_.damage = "bad-psw";
        break;
      case 1:
        r1[8] = ccw_cmd::kSeek;
        out_.damage = "seek-in-ipl1";
        break;
      case 2:
        be::store16(&r1[14], static_cast<u16>(std::max<u32>(8, len / 2u)));
        r1[12] |= SLI;
        out_.damage = "truncated-ipl2";
        break;
      default:
        if (out_.ipl1 == "notic" || out_.ipl1 == "ldl") {
          r1[8] = 0;  // IPL1's Read becomes an invalid command
          out_.damage = "ipl1-zero-cmd";
        } else {
          be::store24(&r1[17], 0);
          out_.damage = "tic-zero";
        }
        break;
    }
  }
  out_.volume.clear_track(0, 0);
  out_.volume.add_record(0, 0, key_of("IPL1"), r1);
  out_.volume.add_record(0, 0, key_of("IPL2"), ipl2_bytes);
  std::vector<u8> vol1(80, 0x40);
  std::string label =
      ascii_to_ebcdic("VOL1VG") + ascii_to_ebcdic(std::to_string(out_.index % 10000));
  std::copy(label.begin(), label.begin() + static_cast<long>(std::min<size_t>(label.size(), 10)),
            vol1.begin());
  out_.volume.add_record(0, 0, key_of("VOL1"), vol1);

  // Storage the volume's CCWs may write.
  std::vector<std::pair<u32, u32>> r = extra_ranges_;
  r.emplace_back(c1.address(), c1.address() + c1.count());
  b.collect_ranges(r);
  for (const Block& blk : blocks_) blk.collect_ranges(r);
  r.emplace_back(out_.payload_start, out_.payload_end);
  r.emplace_back(0, 24);
  std::sort(r.begin(), r.end());
  for (auto [s0, e0] : r) {
    if (e0 <= s0) continue;
    if (!out_.ranges.empty() && s0 <= out_.ranges.back().second)
      out_.ranges.back().second = std::max(out_.ranges.back().second, e0);
    else
      out_.ranges.emplace_back(s0, e0);
  }
}

}  // namespace

std::string GeneratedVolume::summary() const {
  char head[64];
  std::snprintf(head, sizeof head, "%u %ucyl ", index, volume.cylinders());
  return head + ipl1 + " " + structure + " " + (damage.empty() ? "intact" : damage) + " " +
         (features.empty() ? "-" : features);
}

GeneratedVolume generate_volume(u64 seed, u32 index) {
  GeneratedVolume out;
  out.seed = seed;
  out.index = index;
  Generator g(seed, index, out);
  g.run();
  return out;
}

}  // namespace ccwboot::sim
