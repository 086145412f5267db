// Vector-backed absolute storage with a log of channel writes into watched ranges.
#include "sim_memory.h"

#include <algorithm>
#include <cstring>

#include "ccwboot/endian.h"

namespace ccwboot::sim {

SimMemory::SimMemory(u64 size) : bytes_(size, 0) {}

bool SimMemory::read(u64 addr, void* dst, u32 len) {
  if (!contains(addr, len)) return false;
  if (len) std::memcpy(dst, bytes_.data() + addr, len);
  return true;
}

bool SimMemory::write(u64 addr, const void* src, u32 len) {
  if (!contains(addr, len)) return false;
  if (len) std::memcpy(bytes_.data() + addr, src, len);
  return true;
}

bool SimMemory::channel_write(u64 addr, const void* src, u32 len) {
  if (!contains(addr, len)) return false;
  for (const Range& w : watches_) {
    if (len && addr < w.end && w.start < addr + len) {
      WatchHit hit{addr, len, w.start, w.end};
      hits_.push_back(hit);
      if (hook_) hook_(hit);
    }
  }
  if (len) std::memcpy(bytes_.data() + addr, src, len);
  channel_bytes_ += len;
  return true;
}

u32 SimMemory::load32(u64 addr) const { return contains(addr, 4) ? be::load32(&bytes_[addr]) : 0; }
u64 SimMemory::load64(u64 addr) const { return contains(addr, 8) ? be::load64(&bytes_[addr]) : 0; }
void SimMemory::store32(u64 addr, u32 v) {
  if (contains(addr, 4)) be::store32(&bytes_[addr], v);
}
void SimMemory::store64(u64 addr, u64 v) {
  if (contains(addr, 8)) be::store64(&bytes_[addr], v);
}

void SimMemory::clear() {
  std::fill(bytes_.begin(), bytes_.end(), 0);
  hits_.clear();
  channel_bytes_ = 0;
}

void SimMemory::watch(u64 start, u64 end) {
  if (start < end) watches_.push_back({start, end});
}
void SimMemory::clear_watches() { watches_.clear(); }

}  // namespace ccwboot::sim
