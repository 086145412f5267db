// Hand-encoded payload program (layout in payload.h).
#include "payload.h"

#include "ccwboot/endian.h"
#include "shapes.h"

namespace ccwboot::sim {

std::vector<u8> make_payload(u32 entry, u32 size, u64 success_psw, u32 seed) {
  std::vector<u8> b(size, 0);
  // Base register 12 = E+2 after BASR; displacements below are from there.
  const u8 code[] = {
      0x0D, 0xC0,              // E+00 BASR 12,0
      0x58, 0x20, 0xC0, 0x3E,  // E+02 L    2,START(12)     E+40
      0x58, 0x30, 0xC0, 0x42,  // E+06 L    3,LEN(12)       E+44
      0x1B, 0x44,              // E+0A SR   4,4
      0x1B, 0x55,              // E+0C SR   5,5
      0x43, 0x50, 0x20, 0x00,  // E+0E IC   5,0(0,2)        loop
      0x1A, 0x45,              // E+12 AR   4,5
      0x41, 0x20, 0x20, 0x01,  // E+14 LA   2,1(0,2)
      0x46, 0x30, 0xC0, 0x0C,  // E+18 BCT  3,loop(12)      E+0E
      0x59, 0x40, 0xC0, 0x46,  // E+1C C    4,SUM(12)       E+48
      0x47, 0x70, 0xC0, 0x26,  // E+20 BC   7,bad(12)       E+28
      0x82, 0x00, 0xC0, 0x2E,  // E+24 LPSW GOOD(12)        E+30
      0x82, 0x00, 0xC0, 0x36,  // E+28 LPSW BAD(12)         E+38
  };
  std::copy(code, code + sizeof code, b.begin());
  be::store64(&b[0x30], success_psw);
  be::store64(&b[0x38], kPayloadBadPsw);
  const u32 filler = size - kPayloadCodeSize;
  be::store32(&b[0x40], entry + kPayloadCodeSize);
  be::store32(&b[0x44], filler);
  const u8 decoy[] = {
      0x0D, 0xC0,              // E+50 BASR 12,0
      0x82, 0x00, 0xC0, 0x06,  // E+52 LPSW DECOY(12)       E+58
  };
  std::copy(decoy, decoy + sizeof decoy, b.begin() + kPayloadDecoyEntry);
  be::store64(&b[0x58], kPayloadDecoyPsw);
  // Filler: a 32-bit LCG, so misplaced or missing data changes the sum.
  u32 x = 0x9E3779B9u ^ (seed * 0x85EBCA6Bu);
  u32 sum = 0;
  for (u32 i = kPayloadCodeSize; i < size; ++i) {
    x = x * 1664525u + 1013904223u;
    b[i] = static_cast<u8>(x >> 24);
    sum += b[i];
  }
  be::store32(&b[0x48], sum);
  return b;
}

}  // namespace ccwboot::sim
