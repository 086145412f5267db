// Decoding and encoding of the boot-map fuzz targets' input (disk_input.h).
#include "disk_input.h"

#include <algorithm>
#include <cstring>

#include "ccwboot/endian.h"

namespace ccwboot::fuzz {

DiskInput decode_disk_input(const u8* data, std::size_t size) {
  DiskInput d;
  if (size < 5) return d;
  d.block_size = 512u << (data[0] & 3);
  d.eckd_geometry = data[0] & 4;
  d.entry = (data[0] >> 3) % 31;
  d.blocks = std::min<u32>(be::load32(data + 1), kMaxDiskBlocks);
  std::size_t pos = 5;
  const u64 disk_bytes = d.blocks * d.block_size;
  while (size - pos >= 6 && d.chunks.size() < kMaxDiskChunks) {
    const u64 offset = be::load32(data + pos);
    u32 len = be::load16(data + pos + 4);
    pos += 6;
    len = static_cast<u32>(std::min<std::size_t>(len, size - pos));
    const u8* bytes = data + pos;
    pos += len;
    if (offset >= disk_bytes) continue;
    len = static_cast<u32>(std::min<u64>(len, disk_bytes - offset));
    if (len) d.chunks.push_back({offset, bytes, len});
  }
  return d;
}

void read_disk_bytes(const DiskInput& disk, u64 offset, u8* dst, u32 len) {
  std::memset(dst, 0, len);
  for (const DiskChunk& c : disk.chunks) {
    const u64 start = std::max(offset, c.offset);
    const u64 end = std::min(offset + len, c.offset + c.length);
    if (start < end) std::memcpy(dst + (start - offset), c.bytes + (start - c.offset), end - start);
  }
}

std::vector<u8> encode_disk_input(const std::vector<u8>& image, u32 block_size, bool eckd,
                                  u32 entry) {
  std::vector<u8> out(5);
  const u32 size_code = block_size == 4096   ? 3
                        : block_size == 2048 ? 2
                        : block_size == 1024 ? 1
                                             : 0;
  out[0] = static_cast<u8>(size_code | (eckd ? 4 : 0) | (entry % 31) << 3);
  be::store32(out.data() + 1, static_cast<u32>((image.size() + block_size - 1) / block_size));
  // Runs of non-zero data; zero gaps shorter than a chunk header stay inside.
  std::size_t i = 0;
  while (i < image.size()) {
    if (image[i] == 0) {
      ++i;
      continue;
    }
    std::size_t end = i, zeros = 0;
    while (end < image.size() && end - i < 0xffff && zeros < 8) {
      zeros = image[end] == 0 ? zeros + 1 : 0;
      ++end;
    }
    end -= zeros;
    u8 h[6];
    be::store32(h, static_cast<u32>(i));
    be::store16(h + 4, static_cast<u16>(end - i));
    out.insert(out.end(), h, h + 6);
    out.insert(out.end(), image.begin() + static_cast<std::ptrdiff_t>(i),
               image.begin() + static_cast<std::ptrdiff_t>(end));
    i = end;
  }
  return out;
}

}  // namespace ccwboot::fuzz
