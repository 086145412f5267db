// The loadparm that picks a DASD volume's zipl entry, see
// ccwboot/menu/dasd_loadparm.h.
#include "ccwboot/menu/dasd_loadparm.h"

#include "ccwboot/endian.h"

namespace ccwboot::menu {
namespace {

constexpr u8 kEbcdicBlank = 0x40;
constexpr u8 kEbcdicZero = 0xf0;  // '0'..'9' are 0xf0..0xf9
constexpr u8 kFlagLoadparmValid = 0x80;

}  // namespace

void dasd_entry_loadparm(u32 entry, u8 out[8]) {
  for (u32 i = 0; i < 8; ++i) out[i] = kEbcdicBlank;
  char digits[10];
  u32 n = 0;
  do {
    digits[n++] = static_cast<char>(entry % 10);
    entry /= 10;
  } while (entry != 0 && n < 8);
  for (u32 i = 0; i < n; ++i) out[i] = static_cast<u8>(kEbcdicZero + digits[n - 1 - i]);
}

void encode_ccw_iplb(u8 ssid, u16 devno, const u8 loadparm[8], u8* out) {
  for (u32 i = 0; i < kCcwIplbLength; ++i) out[i] = 0;
  be::store32(out + 0x00, kCcwIplbLength);      // the whole block
  be::store32(out + 0x08, kCcwIplbLength - 8);  // the CCW part
  out[0x0c] = 0x02;                             // type: CCW
  out[0x0d] = kFlagLoadparmValid;
  for (u32 i = 0; i < 8; ++i) out[0x10 + i] = loadparm[i];
  out[0x6d] = static_cast<u8>(ssid & 3);
  be::store16(out + 0x6e, devno);
}

WaitCode check_loadparm_delivered(u32 entry, const u8 read_back[8]) {
  u32 value = 0;
  u32 digits = 0;
  for (; digits < 8; ++digits) {
    const u8 c = read_back[digits];
    if (c < kEbcdicZero || c > kEbcdicZero + 9) break;
    value = value * 10 + (c - kEbcdicZero);
  }
  if (digits == 0 || value != entry) return WaitCode::kMenuLoadparmNotDelivered;
  return WaitCode::kNone;
}

}  // namespace ccwboot::menu
