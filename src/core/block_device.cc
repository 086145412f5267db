// Reading disk blocks into guest memory, see ccwboot/block_device.h.
#include "ccwboot/block_device.h"

#include "ccwboot/log.h"

#define LOG_PREFIX "disk: "

namespace ccwboot {

WaitCode check_read_range(const BlockDevice& dev, u64 block, u32 count) {
  const u64 blocks = dev.block_count();
  if (block < blocks && count <= blocks - block) return WaitCode::kNone;
  LOG("read of blocks %llu+%u beyond the device's %llu blocks\n",
      static_cast<unsigned long long>(block), count, static_cast<unsigned long long>(blocks));
  return WaitCode::kVirtioReadPastEnd;
}

WaitCode read_to_guest(BlockDevice& dev, u64 block, u32 count, GuestMemory& mem, u64 addr,
                       u8* bounce, u32 bounce_size) {
  const u32 bs = dev.block_size();
  if (void* direct = mem.direct(addr, u64{count} * bs)) return dev.read(block, count, direct);
  if (bs == 0 || bounce_size < bs) {
    LOG("no bounce buffer for %u-byte blocks\n", bs);
    return WaitCode::kInternal;
  }
  const u32 per_chunk = bounce_size / bs;
  while (count > 0) {
    const u32 n = count < per_chunk ? count : per_chunk;
    if (WaitCode w = dev.read(block, n, bounce); w != WaitCode::kNone) return w;
    if (!mem.write(addr, bounce, n * bs)) {
      LOG("guest memory refused %u bytes at 0x%llx\n", n * bs, addr);
      return WaitCode::kZiplReadFailed;
    }
    block += n;
    count -= n;
    addr += u64{n} * bs;
  }
  return WaitCode::kNone;
}

}  // namespace ccwboot
