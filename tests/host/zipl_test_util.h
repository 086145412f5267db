// Shared helpers of the zipl_*_test.cc files: a disk backed by a vector (the
// guest memory is vector_memory.h's), and byte-level accessors to corrupt tool-made images.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "ccwboot/guest_memory.h"
#include "ccwboot/block_device.h"
#include "disk_layout.h"
#include "vector_memory.h"

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

using ccwboot::testing::VectorMemory;

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
