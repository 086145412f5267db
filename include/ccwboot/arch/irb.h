// Interruption-response block stored by TEST SUBCHANNEL (Principles of
// Operation, "Interruption-Response Block"): SCSW (12), ESW (20), ECW (32),
// EMW (32) = 96 bytes.
#pragma once

#include "ccwboot/arch/schib.h"

namespace ccwboot {

struct Irb {
  alignas(4) u8 raw[96];

  constexpr Scsw scsw() const {
    Scsw s{};
    for (int i = 0; i < 12; ++i) s.raw[i] = raw[i];
    return s;
  }
  // Extended-status word: subchannel logout (word 0), extended-report word (word 1), ...
  constexpr const u8* esw() const { return raw + 12; }
  constexpr u32 subchannel_logout() const { return be::load32(raw + 12); }
  constexpr u32 extended_report() const { return be::load32(raw + 16); }
  // Extended-control word: for DASD with concurrent sense, the sense bytes.
  constexpr const u8* ecw() const { return raw + 32; }
  // ERW bit 5 "C": the ECW holds concurrent sense; bits 8-13 its byte count.
  constexpr bool concurrent_sense() const { return raw[16] & 0x04; }
  constexpr u8 sense_count() const { return (raw[17] >> 2) & 0x3f; }
  constexpr const u8* emw() const { return raw + 64; }
};
static_assert(sizeof(Irb) == 96);

}  // namespace ccwboot
