// SYSIB 3.2.2 (STORE SYSTEM INFORMATION, function code 3, selectors 2.2): the
// virtual machines the configuration runs in, innermost first. Each 64-byte
// descriptor carries the VM's UUID at +48 (QEMU fills it from -uuid; all
// zero when none was given).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::arch {

inline constexpr u32 kSysib322Count = 31;  // number of VM descriptors that follow
inline constexpr u32 kSysib322Vm = 32;     // the first descriptor
inline constexpr u32 kSysib322VmSize = 64;
inline constexpr u32 kSysib322VmUuid = 48;  // 16 bytes within a descriptor

// The innermost VM's UUID from a stored SYSIB 3.2.2 (4096 bytes); false when
// there is no descriptor or the UUID is all zero (none assigned).
inline bool sysib322_uuid(const u8* sysib, u8 uuid[16]) {
  if (sysib[kSysib322Count] == 0) return false;
  bool any = false;
  for (u32 i = 0; i < 16; ++i) {
    uuid[i] = sysib[kSysib322Vm + kSysib322VmUuid + i];
    any = any || uuid[i] != 0;
  }
  return any;
}

// SYSIB 1.1.1 (function code 1, selectors 1.1): the basic machine; its
// manufacturer (16 EBCDIC characters) at +32. QEMU's TCG stores "QEMU"
// padded with blanks; under KVM the real machine answers (e.g. "IBM").
inline constexpr u32 kSysib111Manufacturer = 32;

inline bool sysib111_manufacturer_is_qemu(const u8* sysib) {
  static constexpr u8 kQemu[16] = {0xd8, 0xc5, 0xd4, 0xe4, 0x40, 0x40, 0x40, 0x40,
                                   0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40};
  for (u32 i = 0; i < 16; ++i) {
    if (sysib[kSysib111Manufacturer + i] != kQemu[i]) return false;
  }
  return true;
}

}  // namespace ccwboot::arch
