// Decoding of QEMU's IPL parameters, see ccwboot/boot/qemu_ipl.h.
#include "ccwboot/boot/qemu_ipl.h"

#include "ccwboot/endian.h"

namespace ccwboot::boot {

QemuIplParameters decode_qemu_ipl_parameters(const u8* raw) {
  QemuIplParameters q;
  q.flags = raw[0x00];
  q.index = raw[0x01];
  q.menu_timeout_ms = be::load32(raw + 0x0c);
  q.chain_len = be::load16(raw + 0x12);
  q.next_iplb = be::load64(raw + 0x14);
  return q;
}

}  // namespace ccwboot::boot
