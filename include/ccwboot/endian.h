// Byte order on byte arrays, the one definition: big-endian (architecture
// structures, channel and SCLP control blocks, SCSI CDBs) and little-endian
// (virtio 1.0 rings and configuration, ISO 9660 and El Torito numbers).
// Layouts are byte arrays read through these, so they are the same on s390x
// and on the little-endian host (no bitfields, no packed-struct tricks).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

namespace be {

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

}  // namespace be

namespace le {

constexpr u16 load16(const u8* p) { return static_cast<u16>(p[0] | (p[1] << 8)); }
constexpr u32 load32(const u8* p) { return u32{load16(p)} | (u32{load16(p + 2)} << 16); }
constexpr u64 load64(const u8* p) { return u64{load32(p)} | (u64{load32(p + 4)} << 32); }

constexpr void store16(u8* p, u16 v) {
  p[0] = static_cast<u8>(v);
  p[1] = static_cast<u8>(v >> 8);
}
constexpr void store32(u8* p, u32 v) {
  store16(p, static_cast<u16>(v));
  store16(p + 2, static_cast<u16>(v >> 16));
}
constexpr void store64(u8* p, u64 v) {
  store32(p, static_cast<u32>(v));
  store32(p + 4, static_cast<u32>(v >> 32));
}

}  // namespace le

// The order chosen at run time: a virtio-ccw device in legacy mode (revision
// 0) uses the guest's big-endian order, a virtio 1.0 device little-endian.
namespace endian {

constexpr u16 load16(const u8* p, bool little) { return little ? le::load16(p) : be::load16(p); }
constexpr u32 load32(const u8* p, bool little) { return little ? le::load32(p) : be::load32(p); }
constexpr u64 load64(const u8* p, bool little) { return little ? le::load64(p) : be::load64(p); }
constexpr void store16(u8* p, u16 v, bool little) {
  little ? le::store16(p, v) : be::store16(p, v);
}
constexpr void store32(u8* p, u32 v, bool little) {
  little ? le::store32(p, v) : be::store32(p, v);
}
constexpr void store64(u8* p, u64 v, bool little) {
  little ? le::store64(p, v) : be::store64(p, v);
}

}  // namespace endian

}  // namespace ccwboot
