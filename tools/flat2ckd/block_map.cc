#include "block_map.h"

namespace ccwboot::sim {

namespace {
constexpr u32 kBlocksPerCylinder = kBlocksPerTrack * k3390Heads;
}  // namespace

RecordShape record_shape(DasdLayout layout, u32 block) {
  if (layout == DasdLayout::kCdl) {
    if (block == 0) return {4, 24};                                                // IPL1
    if (block == 1) return {4, 144};                                               // IPL2
    if (block == 2) return {4, 80};                                                // VOL1
    if (block >= kBlocksPerTrack && block < 2 * kBlocksPerTrack) return {44, 96};  // DSCB
  }
  return {0, kDasdBlockSize};
}

std::optional<CkdVolume> volume_from_blocks(DasdLayout layout, std::span<const u8> flat,
                                            std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<CkdVolume> {
    if (error) *error = why;
    return std::nullopt;
  };
  const u64 cylinder_bytes = u64{kBlocksPerCylinder} * kDasdBlockSize;
  if (flat.empty() || flat.size() % cylinder_bytes != 0) {
    return fail("image size " + std::to_string(flat.size()) +
                " is not a whole number of 3390 cylinders (" + std::to_string(cylinder_bytes) +
                " bytes each)");
  }
  const u64 cylinders = flat.size() / cylinder_bytes;
  if (cylinders > 65520) return fail("more cylinders than a 3390 image can address");
  CkdVolume volume(static_cast<u32>(cylinders));
  const u32 blocks = static_cast<u32>(flat.size() / kDasdBlockSize);
  for (u32 b = 0; b < blocks; ++b) {
    const u32 track = b / kBlocksPerTrack;
    const RecordShape shape = record_shape(layout, b);
    auto block = flat.subspan(u64{b} * kDasdBlockSize, kDasdBlockSize);
    auto key = block.first(shape.key_length);
    auto data = block.subspan(shape.key_length, shape.data_length);
    auto record = volume.add_record(track / k3390Heads, track % k3390Heads, key, data);
    if (!record || *record != b % kBlocksPerTrack + 1) {
      return fail("block " + std::to_string(b) + " does not fit its track");
    }
  }
  return volume;
}

}  // namespace ccwboot::sim
