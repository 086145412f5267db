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

}  // namespace ccwboot::arch
