// Program-status words (Principles of Operation, "Program-Status Word"):
// the 16-byte z/Architecture PSW and the 8-byte ESA/390-format PSW that sits
// at absolute 0 after an IPL.
#pragma once

#include "ccwboot/endian.h"

namespace ccwboot {

namespace psw_mask {                          // bits of the first 8 bytes of a z/Architecture PSW
inline constexpr u64 kPer = 1ULL << 62;       // bit 1 R
inline constexpr u64 kDat = 1ULL << 58;       // bit 5 T
inline constexpr u64 kIo = 1ULL << 57;        // bit 6 IO interrupts
inline constexpr u64 kExternal = 1ULL << 56;  // bit 7 EX interrupts
inline constexpr u64 kMachineCheck = 1ULL << 50;        // bit 13 M
inline constexpr u64 kWait = 1ULL << 49;                // bit 14 W
inline constexpr u64 kProblemState = 1ULL << 48;        // bit 15 P
inline constexpr u64 kExtendedAddressing = 1ULL << 32;  // bit 31 EA
inline constexpr u64 kBasicAddressing = 1ULL << 31;     // bit 32 BA
inline constexpr u64 k64Bit = kExtendedAddressing | kBasicAddressing;
// A disabled wait in 64-bit mode: what ccwboot's panic path loads.
inline constexpr u64 kDisabledWait = kWait | k64Bit;  // 0x0002000180000000
// Enabled for external interruptions only, waiting (the SCLP service signal).
inline constexpr u64 kExternalWait = kExternal | kWait | k64Bit;  // 0x0102000180000000
}  // namespace psw_mask

struct Psw {
  static constexpr u32 kAddressOffset = 8;  // the mask's 8 bytes, then the address
  alignas(8) u8 raw[16];

  constexpr u64 mask() const { return be::load64(raw); }
  constexpr u64 address() const { return be::load64(raw + kAddressOffset); }
  constexpr void set_mask(u64 v) { be::store64(raw, v); }
  constexpr void set_address(u64 v) { be::store64(raw + kAddressOffset, v); }

  static constexpr Psw make(u64 mask, u64 address) {
    Psw p{};
    p.set_mask(mask);
    p.set_address(address);
    return p;
  }
};
static_assert(sizeof(Psw) == 16);

// ESA/390-format ("short") PSW, 8 bytes: bit 12 must be one; bit 32 is the
// 31-bit addressing-mode bit, the low 31 bits the instruction address.
namespace short_psw {
// First word.
inline constexpr u32 kBit12 = 0x0008'0000;                             // the ESA/390-format marker
inline constexpr u32 kWait = static_cast<u32>(psw_mask::kWait >> 32);  // bit 14 W
inline constexpr u32 kExtendedAddressing = 0x0000'0001;  // bit 31 EA (z/Architecture only)
// Bits 0, 2-4 and 24-31 must be zero in an ESA/390 PSW (PoP, "Program-Status Word").
inline constexpr u32 kMustBeZero = 0xB800'00FF;
// Second word.
inline constexpr u32 kAddressing31 = 0x8000'0000;  // bit 32 BA: 31-bit addressing
inline constexpr u64 kAddressMask = 0x7fff'ffffULL;

constexpr u32 mask_word(u64 psw) { return static_cast<u32>(psw >> 32); }
constexpr u32 address_word(u64 psw) { return static_cast<u32>(psw); }
constexpr u32 instruction_address(u64 psw) { return static_cast<u32>(psw & kAddressMask); }
constexpr bool addressing31(u64 psw) { return address_word(psw) & kAddressing31; }
// A valid short PSW for a loaded system has bit 12 on (PoP: "valid ESA/390 PSW").
constexpr bool has_bit12(u64 psw) { return mask_word(psw) & kBit12; }
constexpr u64 make(u32 mask_word, u32 address_word) {
  return (u64{mask_word} << 32) | address_word;
}
// The PSW a loaded system starts with: bit 12, 31-bit addressing, `address`.
constexpr u64 make_start(u32 address) { return make(kBit12, kAddressing31 | address); }
// An ESA/390 disabled wait whose address carries `code`.
constexpr u64 make_disabled_wait(u32 code) { return make(kBit12 | kWait, kAddressing31 | code); }
}  // namespace short_psw

}  // namespace ccwboot
