// Channel command words, formats 0 and 1 (z/Architecture Principles of
// Operation, "Channel-Command Word"). Both are 8 bytes, kept as raw bytes.
#pragma once

#include "ccwboot/endian.h"

namespace ccwboot {

// CCW flag bits (byte 4 of format 0, byte 1 of format 1).
namespace ccw_flag {
inline constexpr u8 kChainData = 0x80;       // CD
inline constexpr u8 kChainCommand = 0x40;    // CC
inline constexpr u8 kSuppressLength = 0x20;  // SLI
inline constexpr u8 kSkip = 0x10;            // SKIP
inline constexpr u8 kPci = 0x08;             // PCI
inline constexpr u8 kIndirect = 0x04;        // IDA
inline constexpr u8 kSuspend = 0x02;         // S
}  // namespace ccw_flag

// Command codes ccwboot issues or has to understand (DASD and common).
namespace ccw_cmd {
inline constexpr u8 kWrite = 0x01;
inline constexpr u8 kReadIpl = 0x02;
inline constexpr u8 kNop = 0x03;
inline constexpr u8 kSense = 0x04;
inline constexpr u8 kReadData = 0x06;
inline constexpr u8 kSeek = 0x07;
inline constexpr u8 kTic = 0x08;
inline constexpr u8 kReadCount = 0x12;
inline constexpr u8 kReadRecordZero = 0x16;
inline constexpr u8 kReadHomeAddress = 0x1A;
inline constexpr u8 kReadCountKeyData = 0x1E;
inline constexpr u8 kSearchIdEqual = 0x31;
inline constexpr u8 kSearchHomeAddressEqual = 0x39;
inline constexpr u8 kReadMultipleTrackData = 0x86;
inline constexpr u8 kReadKeyData = 0x0E;
inline constexpr u8 kSenseId = 0xE4;
}  // namespace ccw_cmd

// Format-0 CCW: command(8) data address(24) flags(8) reserved(8) count(16).
struct Ccw0 {
  u8 raw[8];

  constexpr u8 command() const { return raw[0]; }
  constexpr u32 address() const { return be::load24(raw + 1); }
  constexpr u8 flags() const { return raw[4]; }
  constexpr u16 count() const { return be::load16(raw + 6); }

  constexpr void set_command(u8 v) { raw[0] = v; }
  constexpr void set_address(u32 v) { be::store24(raw + 1, v); }
  constexpr void set_flags(u8 v) { raw[4] = v; }
  constexpr void set_count(u16 v) { be::store16(raw + 6, v); }

  static constexpr Ccw0 make(u8 cmd, u32 addr, u8 flags, u16 count) {
    Ccw0 c{};
    c.set_command(cmd);
    c.set_address(addr);
    c.set_flags(flags);
    c.set_count(count);
    return c;
  }
};
static_assert(sizeof(Ccw0) == 8);

// Format-1 CCW: command(8) flags(8) count(16) data address(32, bit 0 zero).
struct Ccw1 {
  u8 raw[8];

  constexpr u8 command() const { return raw[0]; }
  constexpr u8 flags() const { return raw[1]; }
  constexpr u16 count() const { return be::load16(raw + 2); }
  constexpr u32 address() const { return be::load32(raw + 4); }

  constexpr void set_command(u8 v) { raw[0] = v; }
  constexpr void set_flags(u8 v) { raw[1] = v; }
  constexpr void set_count(u16 v) { be::store16(raw + 2, v); }
  constexpr void set_address(u32 v) { be::store32(raw + 4, v); }

  static constexpr Ccw1 make(u8 cmd, u32 addr, u8 flags, u16 count) {
    Ccw1 c{};
    c.set_command(cmd);
    c.set_flags(flags);
    c.set_count(count);
    c.set_address(addr);
    return c;
  }
};
static_assert(sizeof(Ccw1) == 8);

enum class CcwFormat : u8 { kFormat0 = 0, kFormat1 = 1 };

// A CCW decoded into format-independent fields.
struct CcwFields {
  u8 command;
  u8 flags;
  u16 count;
  u32 address;
};

constexpr CcwFields decode_ccw(const u8 raw[8], CcwFormat fmt) {
  if (fmt == CcwFormat::kFormat0) {
    Ccw0 c{{raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7]}};
    return {c.command(), c.flags(), c.count(), c.address()};
  }
  Ccw1 c{{raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7]}};
  return {c.command(), c.flags(), c.count(), c.address()};
}

// A TIC is recognised by the low four bits of the command code (x'x8').
constexpr bool is_tic(u8 command) { return (command & 0x0F) == ccw_cmd::kTic; }

}  // namespace ccwboot
