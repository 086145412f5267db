// The tiny s390 program every shape loads: it sums the bytes of the filler
// that follows it and ends in a disabled wait — the shape's PSW when the sum
// matches, kPayloadBadPsw when the IPL loaded something else.
//
// Hand-encoded, valid in ESA/390 and in z/Architecture 31-bit mode (BASR, L,
// SR, IC, AR, LA, BCT, C, BC, LPSW with 8-byte ESA-format PSWs). Layout from
// the entry address E (8-aligned):
//   E+0x00 code          E+0x30 success PSW   E+0x38 bad-sum PSW
//   E+0x40 filler start  E+0x44 filler length E+0x48 expected sum
//   E+0x50 decoy entry (loads kPayloadDecoyPsw)   E+0x58 decoy PSW
//   E+0x100 filler (pseudo-random bytes) up to the blob's end
#pragma once

#include <vector>

#include "ccwboot/types.h"

namespace ccwboot::sim {

inline constexpr u32 kPayloadCodeSize = 0x100;
inline constexpr u32 kPayloadDecoyEntry = 0x50;

// `entry`: where the blob will be loaded; `size` > kPayloadCodeSize;
// `seed` varies the filler.
std::vector<u8> make_payload(u32 entry, u32 size, u64 success_psw, u32 seed);

}  // namespace ccwboot::sim
