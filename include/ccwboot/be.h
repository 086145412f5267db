// Big-endian loads and stores on byte arrays. Architecture structures are
// byte arrays read through these, so their layout is the same on s390x and on
// the little-endian host (no bitfields, no packed-struct tricks).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::be {

constexpr u16 load16(const u8* p) { return static_cast<u16>((p[0] << 8) | p[1]); }
constexpr u32 load32(const u8* p) {
  return (u32{p[0]} << 24) | (u32{p[1]} << 16) | (u32{p[2]} << 8) | u32{p[3]};
}
constexpr u64 load64(const u8* p) { return (u64{load32(p)} << 32) | load32(p + 4); }

constexpr void store16(u8* p, u16 v) {
  p[0] = static_cast<u8>(v >> 8);
  p[1] = static_cast<u8>(v);
}
constexpr void store32(u8* p, u32 v) {
  p[0] = static_cast<u8>(v >> 24);
  p[1] = static_cast<u8>(v >> 16);
  p[2] = static_cast<u8>(v >> 8);
  p[3] = static_cast<u8>(v);
}
constexpr void store64(u8* p, u64 v) {
  store32(p, static_cast<u32>(v >> 32));
  store32(p + 4, static_cast<u32>(v));
}

// 24-bit fields (format-0 CCW data addresses, CKD cylinder numbers in some records).
constexpr u32 load24(const u8* p) { return (u32{p[0]} << 16) | (u32{p[1]} << 8) | u32{p[2]}; }
constexpr void store24(u8* p, u32 v) {
  p[0] = static_cast<u8>(v >> 16);
  p[1] = static_cast<u8>(v >> 8);
  p[2] = static_cast<u8>(v);
}

}  // namespace ccwboot::be
