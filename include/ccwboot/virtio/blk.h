// virtio-blk pieces that do not touch hardware: the configuration space, the
// request header, block-size and disk-shape rules. Portable (host-tested).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::virtio {

// virtio-blk always addresses 512-byte sectors, whatever its block size.
inline constexpr u32 kSectorSize = 512;

// Configuration space fields ccwboot reads (first 32 bytes).
inline constexpr u32 kBlkConfigReadLength = 32;

struct BlkConfig {
  u64 capacity_sectors = 0;  // in 512-byte sectors
  u16 cylinders = 0;
  u8 heads = 0;
  u8 sectors = 0;      // per track
  u32 block_size = 0;  // logical block size in bytes, 512 if the device gives none
  u8 physical_block_exp = 0;
};

// Decodes `len` bytes of configuration space. `little_endian` is true for a
// virtio 1.0 device; legacy devices on s390x use big-endian. A block size of
// 0 (device did not set one) reads as 512.
BlkConfig decode_blk_config(const u8* raw, u32 len, bool little_endian);

// Logical block sizes the boot path accepts (the ones zipl and QEMU's bios use).
constexpr bool block_size_supported(u32 bs) {
  return bs == 512 || bs == 1024 || bs == 2048 || bs == 4096;
}

// Disk blocks on the device (capacity is in 512-byte sectors).
constexpr u64 block_count(const BlkConfig& c) {
  return block_size_supported(c.block_size) ? c.capacity_sectors / (c.block_size / kSectorSize) : 0;
}

// How the disk looks to an IPL loader (QEMU's bios uses the same rules):
// 255 heads / 63 sectors / 512 bytes is a SCSI-like disk; 15 heads and the
// ECKD sectors-per-track for the block size is a DASD image; anything else
// is unknown and the loader has to try both layouts.
enum class DiskShape : u8 { kScsi, kEckd, kUnknown };
DiskShape classify_disk(const BlkConfig& c);
const char* disk_shape_name(DiskShape s);

// Sectors per track of a 3390 formatted with the given block size (0 if none).
constexpr u8 eckd_sectors_per_track(u32 bs) {
  return bs == 512 ? 49 : bs == 1024 ? 33 : bs == 2048 ? 21 : bs == 4096 ? 12 : 0;
}

// The 16-byte request header of a read (type IN, priority 0, start sector).
inline constexpr u32 kBlkRequestIn = 0;
inline constexpr u32 kBlkHeaderSize = 16;
void make_read_header(u8 out[kBlkHeaderSize], u64 sector, bool little_endian);

// Request status byte the device writes last.
inline constexpr u8 kBlkStatusOk = 0;
inline constexpr u8 kBlkStatusIoErr = 1;
inline constexpr u8 kBlkStatusUnsupported = 2;

}  // namespace ccwboot::virtio
