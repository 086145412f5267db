// virtio-blk reads over queue 0, see virtio_blk_device.h.
#include "virtio_blk_device.h"

#include "ccwboot/arch/sense_id.h"
#include "ccwboot/format.h"
#include "ccwboot/log.h"
#include "ccwboot/virtio/virtio_ccw.h"

#define LOG_PREFIX "virtio-blk: "

namespace ccwboot::virtio {
namespace {

// Request header and status byte live in firmware memory next to the ring.
alignas(16) u8 g_header[kBlkHeaderSize];
alignas(8) u8 g_status;

u64 address_of(const void* p) { return reinterpret_cast<u64>(p); }

}  // namespace

WaitCode BlkDevice::open() {
  if (dev_.cu_type != cu_type::kVirtio || dev_.cu_model != kDeviceIdBlock) {
    LOG("device %x.%x.%04x is virtio type %u, not a disk (2 blk, 8 scsi)\n", 0, dev_.ssid,
        dev_.devno, dev_.cu_model);
    return WaitCode::kVirtioNotBlock;
  }
  if (WaitCode w = transport_.start(); w != WaitCode::kNone) return w;
  u8 raw[kBlkConfigReadLength] = {};
  if (!transport_.read_config(raw, sizeof(raw))) {
    LOG("could not read the virtio-blk configuration\n");
    transport_.reset();
    return WaitCode::kVirtioSetupRejected;
  }
  config_ = decode_blk_config(raw, sizeof(raw), transport_.little_endian());
  LOG("0.%u.%04x: revision %d, %llu blocks of %u bytes, geometry %u/%u/%u (%s)\n", dev_.ssid,
      dev_.devno, transport_.revision(), static_cast<unsigned long long>(block_count()),
      config_.block_size, config_.cylinders, config_.heads, config_.sectors,
      disk_shape_name(classify_disk(config_)));
  if (!block_size_supported(config_.block_size)) {
    LOG("block size %u is not supported\n", config_.block_size);
    transport_.reset();
    return WaitCode::kVirtioBadBlockSize;
  }
  return WaitCode::kNone;
}

bool BlkDevice::eckd_geometry(u32* heads, u32* blocks_per_track) const {
  if (classify_disk(config_) != DiskShape::kEckd) return false;
  *heads = config_.heads;
  *blocks_per_track = config_.sectors;
  return true;
}

WaitCode BlkDevice::read(u64 block, u32 count, void* dst) {
  if (WaitCode w = check_read_range(*this, block, count); w != WaitCode::kNone) return w;
  const u32 sectors_per_block = config_.block_size / kSectorSize;
  u64 sector = block * sectors_per_block;
  u64 left = u64{count} * config_.block_size;
  auto* out = static_cast<u8*>(dst);
  while (left != 0) {
    const u32 bytes =
        left > CcwTransport::kMaxTransfer ? CcwTransport::kMaxTransfer : static_cast<u32>(left);
    if (WaitCode w = read_chunk(sector, bytes, out); w != WaitCode::kNone) return w;
    sector += bytes / kSectorSize;
    out += bytes;
    left -= bytes;
  }
  return WaitCode::kNone;
}

WaitCode BlkDevice::read_chunk(u64 sector, u32 bytes, void* dst) {
  make_read_header(g_header, sector, transport_.little_endian());
  g_status = 0xff;  // the device overwrites it; 0xff means "never answered"
  const VringBuffer chain[3] = {
      {address_of(g_header), kBlkHeaderSize, false},
      {address_of(dst), bytes, true},
      {address_of(&g_status), 1, true},
  };
  char what[64];
  format(what, sizeof what, "read of sector %llu (%u bytes)",
         static_cast<unsigned long long>(sector), bytes);
  if (WaitCode w = transport_.transfer(chain, 3, what); w != WaitCode::kNone) return w;
  const u8 status = *static_cast<volatile u8*>(&g_status);
  if (status != kBlkStatusOk) {
    LOG("read of sector %llu (%u bytes) failed with status %u\n",
        static_cast<unsigned long long>(sector), bytes, status);
    return WaitCode::kVirtioIoError;
  }
  return WaitCode::kNone;
}

}  // namespace ccwboot::virtio
