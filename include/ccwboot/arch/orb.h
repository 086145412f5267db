// Operation-request block for START SUBCHANNEL (z/Architecture Principles of
// Operation, "Operation-Request Block"). 32 bytes; ccwboot uses words 0-2.
#pragma once

#include "ccwboot/endian.h"

namespace ccwboot {

// Word 1 control bits, as a 32-bit big-endian value.
namespace orb_ctl {
inline constexpr u32 kKeyShift = 28;                    // bits 0-3: storage key
inline constexpr u32 kSuspend = 0x0800'0000;            // bit 4 S
inline constexpr u32 kFormat1 = 0x0080'0000;            // bit 8 F: format-1 CCWs
inline constexpr u32 kPrefetch = 0x0040'0000;           // bit 9 P: unlimited prefetch allowed
inline constexpr u32 kInitialStatus = 0x0020'0000;      // bit 10 I
inline constexpr u32 kAddressLimit = 0x0010'0000;       // bit 11 A
inline constexpr u32 kSuppressSuspended = 0x0008'0000;  // bit 12 U
inline constexpr u32 kIdaw64 = 0x0002'0000;             // bit 14 H: format-2 (64-bit) IDAWs
inline constexpr u32 kIdaw2k = 0x0001'0000;             // bit 15 T: 2K IDAWs
inline constexpr u32 kLpmShift = 8;                     // bits 16-23: logical-path mask
inline constexpr u32 kIncorrectLengthSuppression = 0x0000'0080;  // bit 24 L
inline constexpr u32 kExtension = 0x0000'0001;                   // bit 31 X
}  // namespace orb_ctl

struct Orb {
  alignas(4) u8 raw[32];

  constexpr u32 intparm() const { return be::load32(raw); }
  constexpr u32 control() const { return be::load32(raw + 4); }
  constexpr u32 cpa() const { return be::load32(raw + 8); }
  constexpr void set_intparm(u32 v) { be::store32(raw, v); }
  constexpr void set_control(u32 v) { be::store32(raw + 4, v); }
  constexpr void set_cpa(u32 v) { be::store32(raw + 8, v); }
  constexpr u8 lpm() const { return raw[6]; }
  constexpr bool format1() const { return control() & orb_ctl::kFormat1; }
  constexpr bool prefetch() const { return control() & orb_ctl::kPrefetch; }
};
static_assert(sizeof(Orb) == 32);

// The ORB ccwboot starts every channel program with: key 0, all paths,
// format per `format1`, prefetch bit when asked; format-1 programs also get
// 64-bit IDAW control as QEMU's bios sets it.
constexpr Orb make_orb(u32 intparm, u32 cpa, bool format1, bool prefetch) {
  Orb o{};
  u32 ctl = 0xffu << orb_ctl::kLpmShift;
  if (format1) ctl |= orb_ctl::kFormat1 | orb_ctl::kIdaw64;
  if (prefetch) ctl |= orb_ctl::kPrefetch;
  o.set_intparm(intparm);
  o.set_control(ctl);
  o.set_cpa(cpa);
  return o;
}

}  // namespace ccwboot
