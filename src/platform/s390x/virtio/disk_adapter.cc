// zipl::BlockDevice over virtio-blk, see disk_adapter.h.
#include "disk_adapter.h"

#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/image.h"

namespace ccwboot::virtio {
namespace {

constexpr u64 kLowcoreSize = 0x2000;

}  // namespace

bool DiskAdapter::read(u64 block, u32 count, void* dst) {
  WaitCode w = disk_.read(block, count, dst);
  if (w != WaitCode::kNone && last_error_ == WaitCode::kNone) last_error_ = w;
  return w == WaitCode::kNone;
}

bool DiskAdapter::eckd_geometry(u32* heads, u32* blocks_per_track) const {
  return disk_.eckd_geometry(heads, blocks_per_track);
}

bool DiskAdapter::read_to_guest(u64 block, u32 count, GuestMemory& mem, u64 addr, u8* bounce,
                                u32 bounce_size) {
  const u64 len = u64{count} * block_size();
  const u64 prefix = current_prefix();
  // Absolute and real addresses differ only in the two prefix-swapped areas;
  // the firmware's own memory is the parser's business (reserved ranges), but
  // refuse it here too rather than DMA over ourselves.
  const AddrRange target = AddrRange::at(addr, len);
  const bool direct = &mem == &absolute_memory() && !target.overlaps({0, kLowcoreSize}) &&
                      !target.overlaps(AddrRange::at(prefix, kLowcoreSize)) &&
                      !image_range().overlaps(target) && addr + len <= mem.size();
  if (!direct) {
    return zipl::BlockDevice::read_to_guest(block, count, mem, addr, bounce, bounce_size);
  }
  return read(block, count, reinterpret_cast<void*>(static_cast<usize>(addr)));
}

}  // namespace ccwboot::virtio
