// SENSE ID (0xE4) data (Principles of Operation / Common I/O Device Commands):
// byte 0 0xFF, CU type (2), CU model (1), device type (2), device model (1),
// reserved (1), then up to 8 command-information words (CIWs, 4 bytes each).
#pragma once

#include "ccwboot/endian.h"

namespace ccwboot {

inline constexpr u32 kSenseIdMaxSize = 8 + 8 * 4;  // basic data + 8 CIWs

struct SenseIdData {
  alignas(4) u8 raw[kSenseIdMaxSize];

  // A device that implements SENSE ID stores 0xFF in byte 0.
  constexpr bool valid() const { return raw[0] == 0xff; }
  constexpr u16 cu_type() const { return be::load16(raw + 1); }
  constexpr u8 cu_model() const { return raw[3]; }
  constexpr u16 dev_type() const { return be::load16(raw + 4); }
  constexpr u8 dev_model() const { return raw[6]; }
  // CIW i: byte 0 bits 0-1 must be 01 (format), bits 4-7 type; byte 1 command; bytes 2-3 count.
  constexpr bool ciw_valid(int i) const { return (raw[8 + 4 * i] & 0xc0) == 0x40; }
  constexpr u8 ciw_type(int i) const { return raw[8 + 4 * i] & 0x0f; }
  constexpr u8 ciw_command(int i) const { return raw[8 + 4 * i + 1]; }
  constexpr u16 ciw_count(int i) const { return be::load16(raw + 8 + 4 * i + 2); }
};
static_assert(sizeof(SenseIdData) == kSenseIdMaxSize);

// Control-unit types ccwboot dispatches on.
namespace cu_type {
inline constexpr u16 k3990 = 0x3990;    // ECKD DASD control unit
inline constexpr u16 k2107 = 0x2107;    // DS8000 DASD control unit
inline constexpr u16 kVirtio = 0x3832;  // virtio-ccw
}  // namespace cu_type

constexpr bool is_dasd_cu(u16 cu) { return cu == cu_type::k3990 || cu == cu_type::k2107; }

}  // namespace ccwboot
