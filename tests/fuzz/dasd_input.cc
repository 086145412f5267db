// Decoding and encoding of fuzz_dasd_ipl's input (format in dasd_input.h).
#include "dasd_input.h"

#include <algorithm>
#include <span>

#include "ccwboot/endian.h"

namespace ccwboot::fuzz {
namespace {
constexpr std::size_t kRecordHeader = 8;
}

DasdFuzzInput decode_dasd_input(const u8* data, std::size_t size) {
  if (size == 0) return DasdFuzzInput{};
  const u8 options = data[0];
  const u32 cylinders = 1 + (options & 3);
  DasdFuzzInput in{sim::CkdVolume(cylinders), static_cast<u8>((options >> 2) & 3)};
  std::size_t pos = 1;
  std::vector<u8> record_data;
  for (u32 n = 0; n < kMaxFuzzRecords && size - pos >= kRecordHeader; ++n) {
    const u8* h = data + pos;
    pos += kRecordHeader;
    const u32 cyl = h[0] % cylinders;
    const u32 head = h[1] % sim::k3390Heads;
    const u8 rec = h[2];
    const u32 key_len = std::min<std::size_t>(h[3], size - pos);
    const u32 data_len = be::load16(h + 4);
    std::span<const u8> key(data + pos, key_len);
    pos += key_len;
    const u32 stored =
        static_cast<u32>(std::min<std::size_t>({be::load16(h + 6), data_len, size - pos}));
    record_data.assign(data_len, 0);
    std::copy_n(data + pos, stored, record_data.begin());
    pos += stored;
    const sim::CkdId id{static_cast<u16>(cyl), static_cast<u16>(head), rec};
    in.volume.add_record_with_id(cyl, head, id, key, record_data);  // dropped if it does not fit
  }
  return in;
}

std::vector<u8> encode_dasd_input(const sim::CkdVolume& volume, u32 cylinders, u8 layout) {
  cylinders = std::clamp<u32>(std::min(cylinders, volume.cylinders()), 1, kMaxFuzzCylinders);
  std::vector<u8> out;
  out.push_back(static_cast<u8>((cylinders - 1) | (layout & 3) << 2));
  for (u32 cyl = 0; cyl < cylinders; ++cyl) {
    for (u32 head = 0; head < sim::k3390Heads; ++head) {
      const sim::CkdTrack* t = volume.track(cyl, head);
      for (const sim::CkdRecord& r : t->records) {
        std::size_t stored = r.data.size();
        while (stored > 0 && r.data[stored - 1] == 0) --stored;
        u8 h[kRecordHeader] = {static_cast<u8>(cyl), static_cast<u8>(head), r.id.record,
                               static_cast<u8>(r.key.size())};
        be::store16(h + 4, static_cast<u16>(r.data.size()));
        be::store16(h + 6, static_cast<u16>(stored));
        out.insert(out.end(), h, h + kRecordHeader);
        out.insert(out.end(), r.key.begin(), r.key.end());
        out.insert(out.end(), r.data.begin(), r.data.begin() + static_cast<std::ptrdiff_t>(stored));
      }
    }
  }
  return out;
}

}  // namespace ccwboot::fuzz
