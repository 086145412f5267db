// CKD volume model and the Hercules CKD_P370 file format.
#include "ckd_volume.h"

#include <cstdio>
#include <cstring>

#include "ccwboot/endian.h"

namespace ccwboot::sim {
namespace {

constexpr u32 kHomeAddressBytes = 5;  // F CC HH
constexpr u32 kCountBytes = 8;
constexpr u32 kEndMarkerBytes = 8;
constexpr u32 k3390TrackCells = 1729;  // 34-byte cells per 3390 track
constexpr char kMagic[8] = {'C', 'K', 'D', '_', 'P', '3', '7', '0'};

void set_error(std::string* error, const std::string& text) {
  if (error) *error = text;
}

u32 ceil_div(u32 a, u32 b) { return (a + b - 1) / b; }

// Cells one field (key or data) of `len` bytes takes on a 3390: the bytes,
// 6 ECC bytes per 232-byte group and 6 more, in 34-byte cells.
u32 field_cells(u32 len) { return ceil_div(len + 6 * ceil_div(len + 6, 232) + 6, 34); }

u32 le32(const u8* p) {
  return u32{p[0]} | (u32{p[1]} << 8) | (u32{p[2]} << 16) | (u32{p[3]} << 24);
}
void put_le32(u8* p, u32 v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<u8>(v >> (8 * i));
}

}  // namespace

void CkdRecord::count_field(u8 out[8]) const {
  be::store16(out, id.cyl);
  be::store16(out + 2, id.head);
  out[4] = id.record;
  out[5] = static_cast<u8>(key.size());
  be::store16(out + 6, static_cast<u16>(data.size()));
}

CkdVolume::CkdVolume(u32 cylinders) : cylinders_(cylinders), tracks_(cylinders * k3390Heads) {}

const CkdTrack* CkdVolume::track(u32 cyl, u32 head) const {
  return valid_track(cyl, head) ? &tracks_[cyl * k3390Heads + head] : nullptr;
}
CkdTrack* CkdVolume::track(u32 cyl, u32 head) {
  return valid_track(cyl, head) ? &tracks_[cyl * k3390Heads + head] : nullptr;
}

const CkdRecord* CkdVolume::find(u32 cyl, u32 head, u8 record) const {
  const CkdTrack* t = track(cyl, head);
  if (!t) return nullptr;
  for (const CkdRecord& r : t->records)
    if (r.id.record == record) return &r;
  return nullptr;
}

u32 CkdVolume::record_cells(u32 key_length, u32 data_length) {
  u32 cells = 9 + field_cells(data_length);
  if (key_length) cells += 9 + field_cells(key_length);
  return cells;
}

bool CkdVolume::fits(const CkdTrack& t) {
  u32 cells = record_cells(0, static_cast<u32>(t.r0_data.size()));
  u64 bytes = kHomeAddressBytes + kCountBytes + t.r0_data.size() + kEndMarkerBytes;
  for (const CkdRecord& r : t.records) {
    if (r.key.size() > 255 || r.data.size() > 0xFFFF) return false;
    cells += record_cells(static_cast<u32>(r.key.size()), static_cast<u32>(r.data.size()));
    bytes += kCountBytes + r.key.size() + r.data.size();
  }
  return cells <= k3390TrackCells && bytes <= k3390TrackSlot;
}

u32 CkdVolume::image_bytes(u32 cyl, u32 head) const {
  const CkdTrack* t = track(cyl, head);
  if (!t) return 0;
  u64 bytes = kHomeAddressBytes + kCountBytes + t->r0_data.size() + kEndMarkerBytes;
  for (const CkdRecord& r : t->records) bytes += kCountBytes + r.key.size() + r.data.size();
  return static_cast<u32>(bytes);
}

bool CkdVolume::add_record_with_id(u32 cyl, u32 head, const CkdId& id, std::span<const u8> key,
                                   std::span<const u8> data) {
  CkdTrack* t = track(cyl, head);
  if (!t || key.size() > 255 || data.size() > 0xFFFF) return false;
  t->records.push_back(CkdRecord{id, {key.begin(), key.end()}, {data.begin(), data.end()}});
  if (!fits(*t)) {
    t->records.pop_back();
    return false;
  }
  return true;
}

std::optional<u8> CkdVolume::add_record(u32 cyl, u32 head, std::span<const u8> key,
                                        std::span<const u8> data) {
  const CkdTrack* t = track(cyl, head);
  if (!t || t->records.size() >= 255) return std::nullopt;
  u8 number = static_cast<u8>(t->records.size() + 1);
  CkdId id{static_cast<u16>(cyl), static_cast<u16>(head), number};
  if (!add_record_with_id(cyl, head, id, key, data)) return std::nullopt;
  return number;
}

bool CkdVolume::replace_record(u32 cyl, u32 head, u8 record, std::span<const u8> key,
                               std::span<const u8> data) {
  CkdTrack* t = track(cyl, head);
  if (!t || key.size() > 255 || data.size() > 0xFFFF) return false;
  for (CkdRecord& r : t->records) {
    if (r.id.record != record) continue;
    CkdRecord old = r;
    r.key.assign(key.begin(), key.end());
    r.data.assign(data.begin(), data.end());
    if (!fits(*t)) {
      r = std::move(old);
      return false;
    }
    return true;
  }
  return false;
}

void CkdVolume::clear_track(u32 cyl, u32 head) {
  if (CkdTrack* t = track(cyl, head)) *t = CkdTrack{};
}

std::vector<u8> CkdVolume::to_hercules_bytes() const {
  std::vector<u8> out(kHerculesHeaderSize + u64{cylinders_} * k3390Heads * k3390TrackSlot, 0);
  std::memcpy(out.data(), kMagic, 8);
  put_le32(&out[8], k3390Heads);
  put_le32(&out[12], k3390TrackSlot);
  out[16] = k3390DeviceType;
  out[17] = 0;  // file sequence: a single-file volume
  // High cylinder: 0 means "not recorded", as dasdinit writes for one file.
  for (u32 c = 0; c < cylinders_; ++c) {
    for (u32 h = 0; h < k3390Heads; ++h) {
      const CkdTrack& t = tracks_[c * k3390Heads + h];
      u8* p = &out[kHerculesHeaderSize + (u64{c} * k3390Heads + h) * k3390TrackSlot];
      p[0] = t.home_flag;
      be::store16(p + 1, static_cast<u16>(c));
      be::store16(p + 3, static_cast<u16>(h));
      p += kHomeAddressBytes;
      CkdRecord r0{{static_cast<u16>(c), static_cast<u16>(h), 0}, {}, t.r0_data};
      r0.count_field(p);
      p += kCountBytes;
      std::memcpy(p, t.r0_data.data(), t.r0_data.size());
      p += t.r0_data.size();
      for (const CkdRecord& r : t.records) {
        r.count_field(p);
        p += kCountBytes;
        if (!r.key.empty()) std::memcpy(p, r.key.data(), r.key.size());
        p += r.key.size();
        if (!r.data.empty()) std::memcpy(p, r.data.data(), r.data.size());
        p += r.data.size();
      }
      std::memset(p, 0xFF, kEndMarkerBytes);
    }
  }
  return out;
}

std::optional<CkdVolume> CkdVolume::from_hercules_bytes(std::span<const u8> bytes,
                                                        std::string* error) {
  if (bytes.size() < kHerculesHeaderSize || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    set_error(error, "not an uncompressed Hercules CKD image (magic CKD_P370 missing)");
    return std::nullopt;
  }
  u32 heads = le32(&bytes[8]);
  u32 slot = le32(&bytes[12]);
  if (heads != k3390Heads || slot != k3390TrackSlot || bytes[16] != k3390DeviceType) {
    set_error(error, "not a 3390 image (heads " + std::to_string(heads) + ", track size " +
                         std::to_string(slot) + ")");
    return std::nullopt;
  }
  u64 body = bytes.size() - kHerculesHeaderSize;
  u64 cyl_bytes = u64{k3390Heads} * k3390TrackSlot;
  if (body == 0 || body % cyl_bytes != 0) {
    set_error(error, "image size is not a whole number of cylinders");
    return std::nullopt;
  }
  CkdVolume vol(static_cast<u32>(body / cyl_bytes));
  for (u32 c = 0; c < vol.cylinders_; ++c) {
    for (u32 h = 0; h < k3390Heads; ++h) {
      const u8* base = &bytes[kHerculesHeaderSize + (u64{c} * k3390Heads + h) * k3390TrackSlot];
      const u8* end = base + k3390TrackSlot;
      std::string where = "track " + std::to_string(c) + "/" + std::to_string(h) + ": ";
      CkdTrack& t = vol.tracks_[c * k3390Heads + h];
      if (be::load16(base + 1) != c || be::load16(base + 3) != h) {
        set_error(error, where + "home address does not match the track's position");
        return std::nullopt;
      }
      t.home_flag = base[0];
      const u8* p = base + kHomeAddressBytes;
      bool first = true;
      // Each pass consumes a count field and its areas, so it ends within the slot.
      for (;;) {
        if (end - p < static_cast<long>(kCountBytes)) {
          set_error(error, where + "no end-of-track marker");
          return std::nullopt;
        }
        static const u8 kEnd[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
        if (std::memcmp(p, kEnd, 8) == 0) break;
        u8 kl = p[5];
        u16 dl = be::load16(p + 6);
        if (end - p < static_cast<long>(kCountBytes + kl + dl)) {
          set_error(error, where + "record runs past the end of the track");
          return std::nullopt;
        }
        CkdRecord r{{be::load16(p), be::load16(p + 2), p[4]},
                    {p + 8, p + 8 + kl},
                    {p + 8 + kl, p + 8 + kl + dl}};
        p += kCountBytes + kl + dl;
        if (first) {
          if (r.id.record != 0 || kl != 0) {
            set_error(error, where + "first record is not R0");
            return std::nullopt;
          }
          t.r0_data = std::move(r.data);
          first = false;
        } else {
          t.records.push_back(std::move(r));
        }
      }
      if (first) {
        set_error(error, where + "R0 missing");
        return std::nullopt;
      }
    }
  }
  return vol;
}

bool CkdVolume::save_hercules(const std::string& path, std::string* error) const {
  std::vector<u8> bytes = to_hercules_bytes();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    set_error(error, "cannot create " + path);
    return false;
  }
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) set_error(error, "cannot write " + path);
  return ok;
}

std::optional<CkdVolume> CkdVolume::load_hercules(const std::string& path, std::string* error) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    set_error(error, "cannot open " + path);
    return std::nullopt;
  }
  std::vector<u8> bytes;
  u8 buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  std::fclose(f);
  return from_hercules_bytes(bytes, error);
}

}  // namespace ccwboot::sim
