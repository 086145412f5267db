// Subchannel-information block for STSCH/MSCH (Principles of Operation,
// "Subchannel-Information Block"): PMCW (28 bytes), SCSW (12), model area (12).
#pragma once

#include "ccwboot/endian.h"

namespace ccwboot {

namespace pmcw_flag {                         // byte 5 of the PMCW
inline constexpr u8 kEnabled = 0x80;          // E
inline constexpr u8 kLimitMode = 0x60;        // LM
inline constexpr u8 kMeasurementMode = 0x18;  // MM
inline constexpr u8 kMultipathMode = 0x04;    // D
inline constexpr u8 kTimingFacility = 0x02;   // T
inline constexpr u8 kDevnoValid = 0x01;       // V
}  // namespace pmcw_flag

// Subchannel-status word (also the first 12 bytes of the IRB).
struct Scsw {
  u8 raw[12];

  constexpr u8 key() const { return raw[0] >> 4; }
  constexpr bool format1() const { return raw[1] & 0x80; }
  constexpr bool prefetch() const { return raw[1] & 0x40; }
  constexpr u8 function_control() const { return (raw[2] >> 4) & 0x7; }  // start 4, halt 2, clear 1
  constexpr u8 activity_control() const {
    return static_cast<u8>(((raw[2] & 0x0f) << 3) | (raw[3] >> 5));
  }
  constexpr u8 status_control() const { return raw[3] & 0x1f; }
  constexpr bool status_pending() const { return raw[3] & 0x01; }
  constexpr bool subchannel_active() const { return raw[3] & 0x80; }
  constexpr bool device_active() const { return raw[3] & 0x40; }
  constexpr u32 ccw_address() const { return be::load32(raw + 4); }
  constexpr u8 device_status() const { return raw[8]; }
  constexpr u8 subchannel_status() const { return raw[9]; }
  constexpr u16 count() const { return be::load16(raw + 10); }
};
static_assert(sizeof(Scsw) == 12);

namespace scsw_stctl {  // status-control bits (low 5 bits of byte 3)
inline constexpr u8 kAlert = 0x10;
inline constexpr u8 kIntermediate = 0x08;
inline constexpr u8 kPrimary = 0x04;
inline constexpr u8 kSecondary = 0x02;
inline constexpr u8 kStatusPending = 0x01;
}  // namespace scsw_stctl

struct Schib {
  alignas(4) u8 raw[52];

  // PMCW
  constexpr u32 intparm() const { return be::load32(raw); }
  constexpr void set_intparm(u32 v) { be::store32(raw, v); }
  constexpr u8 isc() const { return (raw[4] >> 3) & 0x7; }
  constexpr void set_isc(u8 v) { raw[4] = static_cast<u8>((raw[4] & ~0x38) | ((v & 7) << 3)); }
  constexpr u8 flags() const { return raw[5]; }
  constexpr bool enabled() const { return raw[5] & pmcw_flag::kEnabled; }
  constexpr void set_enabled(bool on) {
    raw[5] = on ? (raw[5] | pmcw_flag::kEnabled) : (raw[5] & ~pmcw_flag::kEnabled);
  }
  constexpr bool devno_valid() const { return raw[5] & pmcw_flag::kDevnoValid; }
  constexpr u16 devno() const { return be::load16(raw + 6); }
  constexpr u8 lpm() const { return raw[8]; }
  constexpr u8 pnom() const { return raw[9]; }
  constexpr u8 lpum() const { return raw[10]; }
  constexpr u8 pim() const { return raw[11]; }
  constexpr u16 mbi() const { return be::load16(raw + 12); }
  constexpr u8 pom() const { return raw[14]; }
  constexpr u8 pam() const { return raw[15]; }
  constexpr u8 chpid(int i) const { return raw[16 + i]; }
  // SCSW
  constexpr Scsw scsw() const {
    Scsw s{};
    for (int i = 0; i < 12; ++i) s.raw[i] = raw[28 + i];
    return s;
  }
};
static_assert(sizeof(Schib) == 52);

// Subsystem-identification word in general register 1 for the I/O
// instructions: 0x0001 in the high half (the "one" bit), then the subchannel
// set in bits 13-14 and the subchannel number.
constexpr u32 make_schid(u8 ssid, u16 schno) {
  return 0x0001'0000u | (u32{static_cast<u8>(ssid & 3)} << 17) | schno;
}
constexpr u8 schid_ssid(u32 schid) { return (schid >> 17) & 3; }
constexpr u16 schid_schno(u32 schid) { return static_cast<u16>(schid); }

}  // namespace ccwboot
