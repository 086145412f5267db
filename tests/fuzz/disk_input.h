// The byte encoding of the boot-map fuzz targets' input: a disk image given
// as its non-zero pieces, so a 100 KB ISO or a one-cylinder ECKD disk (mostly
// zeros) is a few KB the fuzzer can mutate where it matters.
//
//   byte 0       options: bits 0-1 block size 512 << n; bit 2 the device
//                reports 3390 ECKD geometry; bits 3-7 the entry to load
//                (0 default, 1..30 numbered; 31 -> 0)
//   bytes 1-4    disk size in blocks, big-endian (at most kMaxDiskBlocks)
//   then chunks until the input ends, each:
//     offset     4 bytes, big-endian: byte offset into the disk
//     length     2 bytes, big-endian
//     bytes      `length` bytes (fewer if the input ends), written over the
//                zero disk in order; bytes past the disk's end are dropped
#pragma once

#include <cstddef>
#include <vector>

#include "ccwboot/types.h"

namespace ccwboot::fuzz {

inline constexpr u32 kMaxDiskBlocks = 1u << 20;
inline constexpr u32 kMaxDiskChunks = 256;

struct DiskChunk {
  u64 offset;
  const u8* bytes;
  u32 length;
};

struct DiskInput {
  u32 block_size = 512;
  bool eckd_geometry = false;
  u32 entry = 0;
  u64 blocks = 0;
  std::vector<DiskChunk> chunks;  // point into the input buffer
};

DiskInput decode_disk_input(const u8* data, std::size_t size);

// Copies disk bytes [offset, offset + len) into dst (zeros where no chunk is).
void read_disk_bytes(const DiskInput& disk, u64 offset, u8* dst, u32 len);

// Encodes a disk image (trailing blocks of zeros and zero runs are not stored).
std::vector<u8> encode_disk_input(const std::vector<u8>& image, u32 block_size, bool eckd,
                                  u32 entry);

}  // namespace ccwboot::fuzz
