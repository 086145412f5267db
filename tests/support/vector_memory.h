// Guest memory backed by a vector, for host tests: every byte is in bytes(),
// and devices may store into it directly when allow_direct is set.
#pragma once

#include <cstring>
#include <vector>

#include "ccwboot/guest_memory.h"

namespace ccwboot::testing {

class VectorMemory : public GuestMemory {
 public:
  explicit VectorMemory(u64 size) : bytes_(size, 0) {}

  bool read(u64 addr, void* dst, u32 len) override {
    if (!inside(addr, len)) return false;
    std::memcpy(dst, bytes_.data() + addr, len);
    return true;
  }
  bool write(u64 addr, const void* src, u32 len) override {
    if (!inside(addr, len)) return false;
    std::memcpy(bytes_.data() + addr, src, len);
    return true;
  }
  u64 size() const override { return bytes_.size(); }
  void* direct(u64 addr, u64 len) override {
    return allow_direct && inside(addr, len) ? bytes_.data() + addr : nullptr;
  }
  bool allow_direct = false;

  std::vector<u8>& bytes() { return bytes_; }
  const std::vector<u8>& bytes() const { return bytes_; }
  // [addr, addr + data.size()) holds `data`.
  bool holds(u64 addr, const std::vector<u8>& data) const {
    return inside(addr, data.size()) &&
           std::memcmp(bytes_.data() + addr, data.data(), data.size()) == 0;
  }
  // Nothing was written to [start, end) (the part inside storage).
  bool all_zero(u64 start, u64 end) const {
    for (u64 a = start; a < end && a < bytes_.size(); ++a)
      if (bytes_[a] != 0) return false;
    return true;
  }

 private:
  bool inside(u64 addr, u64 len) const {
    return addr <= bytes_.size() && len <= bytes_.size() - addr;
  }
  std::vector<u8> bytes_;
};

}  // namespace ccwboot::testing
