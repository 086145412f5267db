// Shared helpers of the zipl_*_test.cc files: a disk and a guest memory backed by
// vectors, and byte-level accessors to corrupt tool-made images.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "ccwboot/guest_memory.h"
#include "ccwboot/block_device.h"
#include "disk_layout.h"

namespace ccwboot::zipl::testing {

class VectorDisk final : public BlockDevice {
 public:
  VectorDisk(std::vector<uint8_t> img, uint32_t bs, bool report_size = true)
      : img_(std::move(img)), bs_(bs), report_size_(report_size) {}
  WaitCode read(u64 block, u32 count, void* dst) override {
    ++reads;
    const u64 off = block * bs_, len = u64{count} * bs_;
    if (block > (1ULL << 40) || off + len > img_.size()) return WaitCode::kZiplReadFailed;
    std::memcpy(dst, img_.data() + off, len);
    return WaitCode::kNone;
  }
  u32 block_size() const override { return bs_; }
  u64 block_count() const override { return report_size_ ? img_.size() / bs_ : 0; }
  bool eckd_geometry(u32* heads, u32* bpt) const override {
    if (!geometry) return false;
    *heads = 15;
    *bpt = 12;
    return true;
  }
  std::vector<uint8_t>& bytes() { return img_; }
  int reads = 0;
  bool geometry = false;

 private:
  std::vector<uint8_t> img_;
  u32 bs_;
  bool report_size_;
};

class VectorMemory final : public GuestMemory {
 public:
  explicit VectorMemory(u64 size) : mem_(size, 0) {}
  bool read(u64 addr, void* dst, u32 len) override {
    if (addr + len > mem_.size()) return false;
    std::memcpy(dst, mem_.data() + addr, len);
    return true;
  }
  bool write(u64 addr, const void* src, u32 len) override {
    if (addr + len > mem_.size()) return false;
    std::memcpy(mem_.data() + addr, src, len);
    return true;
  }
  u64 size() const override { return mem_.size(); }
  // With `allow_direct`, devices store into the vector themselves.
  void* direct(u64 addr, u64 len) override {
    if (!allow_direct || addr > mem_.size() || len > mem_.size() - addr) return nullptr;
    return mem_.data() + addr;
  }
  bool allow_direct = false;
  bool holds(u64 addr, const std::vector<uint8_t>& data) const {
    return addr + data.size() <= mem_.size() &&
           std::memcmp(mem_.data() + addr, data.data(), data.size()) == 0;
  }
  bool all_zero(u64 start, u64 end) const {
    for (u64 a = start; a < end && a < mem_.size(); ++a)
      if (mem_[a]) return false;
    return true;
  }

 private:
  std::vector<uint8_t> mem_;
};

inline std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = uint8_t(rng() | 1);  // never zero: a missing block shows
  return v;
}

inline uint64_t rd64(const std::vector<uint8_t>& v, size_t off) {
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x = (x << 8) | v[off + i];
  return x;
}
inline void wr64(std::vector<uint8_t>& v, size_t off, uint64_t x) {
  for (int i = 7; i >= 0; --i, x >>= 8) v[off + i] = uint8_t(x);
}
inline void wr16(std::vector<uint8_t>& v, size_t off, uint16_t x) {
  v[off] = uint8_t(x >> 8);
  v[off + 1] = uint8_t(x);
}

// A test program: two payload components and a start PSW, distinct per seed.
inline mkdisk::Program payload_program(const char* name, uint32_t seed, size_t size_a = 70000,
                                       size_t size_b = 3000) {
  mkdisk::Program p;
  p.name = name;
  p.components.push_back({random_bytes(size_a, seed), 0x10000});
  p.components.push_back({random_bytes(size_b, seed + 100), 0x200000 + 0x1000 * seed});
  p.psw = mkdisk::kPswLoad | (0x10000 + 8 * seed);
  return p;
}

}  // namespace ccwboot::zipl::testing
