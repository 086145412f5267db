// IPL parameter block as stored by diag 308 subcode 6 (CCW type and QEMU's
// SCSI type). Offsets from the Principles of Operation / QEMU's layout, see
// docs/qemu-loading.md.
#pragma once

#include "ccwboot/endian.h"

namespace ccwboot {

inline constexpr u32 kIplbMaxSize = 4096;

namespace iplb_type {
inline constexpr u8 kFcp = 0x00;
inline constexpr u8 kCcw = 0x02;
inline constexpr u8 kQemuScsi = 0xff;
}  // namespace iplb_type

// Decoded view of the fields ccwboot uses.
struct IplParameters {
  bool valid = false;
  u8 type = 0;
  bool loadparm_valid = false;
  // The flag is on and the field is not all zero bytes: QEMU 9.2+ leaves a
  // device's loadparm zero when neither the device nor the machine set one,
  // and then the SCLP loadparm applies (docs/boot-order.md).
  bool loadparm_set = false;
  char loadparm[9] = {};  // ASCII, NUL terminated, trailing blanks kept
  u8 ssid = 0;            // subchannel set of the IPL device (CCW and QEMU SCSI types)
  u16 devno = 0;          // device number of the IPL device (CCW and QEMU SCSI types)
  // QEMU SCSI type only: the LUN behind the virtio-scsi controller.
  u32 scsi_lun = 0;
  u16 scsi_target = 0;
  u16 scsi_channel = 0;
};

// Decodes a stored IPL parameter block. `len` is the number of bytes at
// `raw`. Unknown or truncated blocks decode as !valid.
IplParameters decode_iplb(const u8* raw, u32 len);

// EBCDIC (code page 037) to ASCII for loadparm characters; unknown bytes map to '.'.
char ebcdic_to_ascii(u8 c);

}  // namespace ccwboot
