// CLZ1 decoder (include/ccwboot/lz_unpack.h; format in tools/lzpack/lzpack.py).
#include "ccwboot/lz_unpack.h"

namespace ccwboot::lz {
namespace {

// MSB-first bit reader that refuses to read past the end.
class Bits {
 public:
  Bits(const u8* p, usize n) : p_(p), end_bits_(static_cast<u64>(n) * 8) {}
  bool ok() const { return ok_; }
  u32 bit() {
    if (pos_ >= end_bits_) {
      ok_ = false;
      return 1;  // ends gamma codes' zero runs
    }
    const u32 b = (p_[pos_ >> 3] >> (7 - (pos_ & 7))) & 1;
    ++pos_;
    return b;
  }
  u32 bits(u32 width) {
    u32 v = 0;
    for (u32 i = 0; i < width; ++i) v = (v << 1) | bit();
    return v;
  }
  // Elias gamma, at most 31 significant bits (more is a broken stream).
  u32 gamma() {
    u32 zeros = 0;
    while (bit() == 0) {
      if (++zeros > 30) {
        ok_ = false;
        return 1;
      }
    }
    return (1u << zeros) | bits(zeros);
  }

 private:
  const u8* p_;
  u64 end_bits_;
  u64 pos_ = 0;
  bool ok_ = true;
};

}  // namespace

bool unpack(const u8* in, usize in_len, u8* out, usize out_len) {
  Bits s(in, in_len);
  usize n = 0;
  while (n < out_len) {
    if (s.bit() == 0) {
      out[n++] = static_cast<u8>(s.bits(8));
    } else {
      const usize length = usize{s.gamma()} + 1;
      const usize offset = ((usize{s.gamma()} - 1) << 8 | s.bits(8)) + 1;
      if (!s.ok() || offset > n || length > out_len - n) return false;
      for (usize i = 0; i < length; ++i, ++n) out[n] = out[n - offset];
    }
    if (!s.ok()) return false;
  }
  return true;
}

u32 checksum(const u8* p, usize n) {
  u32 a = 1, b = 0;  // Adler-32 (RFC 1950)
  for (usize i = 0; i < n; ++i) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

}  // namespace ccwboot::lz
