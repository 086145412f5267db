// zipl's stage-3 parameter block and the extra-parameter area (ccwboot/zipl/stage3.h).
#include "ccwboot/zipl/stage3.h"

#include "ccwboot/endian.h"
#include "ccwboot/mem.h"

namespace ccwboot::zipl {
namespace {

// The few characters " BOOT_IMAGE=<digits>" needs, in EBCDIC (code page 037/500).
u8 to_ebcdic(char c) {
  if (c >= '0' && c <= '9') return static_cast<u8>(0xf0 + (c - '0'));
  if (c >= 'A' && c <= 'I') return static_cast<u8>(0xc1 + (c - 'A'));
  if (c >= 'J' && c <= 'R') return static_cast<u8>(0xd1 + (c - 'J'));
  if (c >= 'S' && c <= 'Z') return static_cast<u8>(0xe2 + (c - 'S'));
  if (c == '_') return 0x6d;
  if (c == '=') return 0x7e;
  return 0x40;  // blank
}

}  // namespace

bool read_stage3_params(GuestMemory& mem, u64 entry_address, Stage3Params* out) {
  if (entry_address < kStage3Start || entry_address >= kStage3End) return false;
  u8 raw[80];
  if (!mem.read(kStage3Params, raw, sizeof raw)) return false;
  Stage3Params p;
  p.parm_addr = be::load64(raw + 0);
  p.initrd_addr = be::load64(raw + 8);
  p.initrd_len = be::load64(raw + 16);
  p.load_psw = be::load64(raw + 24);
  p.extra_parm = be::load64(raw + 32);
  p.flags = be::load64(raw + 40);
  p.image_len = be::load64(raw + 48);
  p.image_addr = be::load64(raw + 56);
  p.envblk_addr = be::load64(raw + 64);
  p.envblk_len = be::load64(raw + 72);
  *out = p;
  return true;
}

bool pass_boot_image(GuestMemory& mem, const Stage3Params& params, u32 entry) {
  if (params.extra_parm == 0) return false;
  char text[24] = " BOOT_IMAGE=";
  u32 n = 12;
  char digits[10];
  u32 d = 0;
  do {
    digits[d++] = static_cast<char>('0' + entry % 10);
    entry /= 10;
  } while (entry != 0 && d < sizeof digits);
  while (d > 0) text[n++] = digits[--d];
  u8 area[kStage3ExtraSize];
  memset(area, 0, sizeof area);
  for (u32 i = 0; i < n; ++i) area[i] = to_ebcdic(text[i]);
  return mem.write(kStage3ExtraArea, area, sizeof area);
}

}  // namespace ccwboot::zipl
