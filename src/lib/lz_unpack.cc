// CLZ1 decoder (include/ccwboot/lz_unpack.h; format in tools/lzpack/lzpack.py).
// Written for few instructions per byte: the stub runs it under TCG at every
// start of QEMU.
#include "ccwboot/lz_unpack.h"

namespace ccwboot::lz {
namespace {

// Whole bytes and tag bits from one stream; reading past the end sets !ok
// and yields zeros (a zero-filled gamma run then stops at its 31-bit bound).
class Reader {
 public:
  Reader(const u8* p, usize n) : p_(p), end_(p + n) {}
  bool ok() const { return ok_; }
  u32 byte() {
    if (p_ == end_) {
      ok_ = false;
      return 0;
    }
    return *p_++;
  }
  u32 bit() {
    if (left_ == 0) {
      tag_ = byte();
      left_ = 8;
    }
    --left_;
    return (tag_ >> left_) & 1;
  }
  // Elias gamma; more than 31 significant bits is a broken stream.
  u32 gamma() {
    u32 zeros = 0;
    while (bit() == 0) {
      if (++zeros > 30) {
        ok_ = false;
        return 1;
      }
    }
    u32 v = 1;
    while (zeros--) v = (v << 1) | bit();
    return v;
  }

 private:
  const u8* p_;
  const u8* end_;
  u32 tag_ = 0;
  u32 left_ = 0;
  bool ok_ = true;
};

}  // namespace

bool unpack(const u8* in, usize in_len, u8* out, usize out_len) {
  Reader s(in, in_len);
  usize n = 0;
  while (n < out_len) {
    if (s.bit() == 0) {
      out[n++] = static_cast<u8>(s.byte());
    } else {
      const usize length = usize{s.gamma()} + 1;
      const usize offset = ((usize{s.gamma()} - 1) << 8 | s.byte()) + 1;
      if (!s.ok() || offset > n || length > out_len - n) return false;
      const u8* from = out + n - offset;
      u8* to = out + n;
      for (usize i = 0; i < length; ++i) to[i] = from[i];  // byte by byte: copies may overlap
      n += length;
    }
    if (!s.ok()) return false;
  }
  return true;
}

u32 checksum(const u8* p, usize n) {
  // Adler-32 (RFC 1950). 5552 bytes is the most that can be summed before b
  // could pass 2^32, so the modulo is taken once per block, not per byte.
  u32 a = 1, b = 0;
  while (n > 0) {
    usize block = n < 5552 ? n : 5552;
    n -= block;
    while (block--) {
      a += *p++;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return b << 16 | a;
}

}  // namespace ccwboot::lz
