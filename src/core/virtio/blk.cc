// virtio-blk configuration and request header, see ccwboot/virtio/blk.h.
#include "ccwboot/virtio/blk.h"

#include "ccwboot/endian.h"

namespace ccwboot::virtio {

BlkConfig decode_blk_config(const u8* raw, u32 len, bool little_endian) {
  BlkConfig c{};
  // Offsets: capacity 0, size_max 8, seg_max 12, geometry 16 (cyl 16, heads
  // 18, sectors 19), blk_size 20, physical_block_exp 24.
  if (len >= 8) c.capacity_sectors = endian::load64(raw, little_endian);
  if (len >= 20) {
    c.cylinders = endian::load16(raw + 16, little_endian);
    c.heads = raw[18];
    c.sectors = raw[19];
  }
  if (len >= 24) c.block_size = endian::load32(raw + 20, little_endian);
  if (len >= 25) c.physical_block_exp = raw[24];
  if (c.block_size == 0) c.block_size = kSectorSize;
  return c;
}

DiskShape classify_disk(const BlkConfig& c) {
  if (c.heads == 255 && c.sectors == 63 && c.block_size == 512) return DiskShape::kScsi;
  if (c.heads == 15 && c.sectors != 0 && c.sectors == eckd_sectors_per_track(c.block_size)) {
    return DiskShape::kEckd;
  }
  return DiskShape::kUnknown;
}

const char* disk_shape_name(DiskShape s) {
  switch (s) {
    case DiskShape::kScsi: return "SCSI-like";
    case DiskShape::kEckd: return "ECKD (DASD image)";
    case DiskShape::kUnknown: break;
  }
  return "unknown";
}

void make_read_header(u8 out[kBlkHeaderSize], u64 sector, bool little_endian) {
  endian::store32(out, kBlkRequestIn, little_endian);
  endian::store32(out + 4, 0, little_endian);
  endian::store64(out + 8, sector, little_endian);
}

}  // namespace ccwboot::virtio
