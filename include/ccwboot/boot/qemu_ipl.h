// QEMU's IPL parameters at absolute 0xcc (not architected; QEMU writes them
// before the firmware starts). 28 bytes, big-endian:
//   +0x00 u8  flags        0x80 -boot menu=on, 0x40 the disk's zipl menu allowed
//   +0x01 u8  index        QEMU 9.2+'s own bios counts its position in the chain
//                          here; QEMU writes 0
//   +0x04 u64 (7.2: netboot start address; 9.2+: reserved)
//   +0x0c u32 menu timeout (ms, -boot splash-time)
//   +0x12 u16 chain_len    9.2+: IPLBs after the first (the bootindex devices 2..8)
//   +0x14 u64 next_iplb    9.2+: absolute address of the first of them; they
//                          follow each other, 4 KiB each, just below the page
//                          of the firmware's entry point
// QEMU 7.2 leaves chain_len and next_iplb zero; so does 9.2+ when at most one
// device has a bootindex, and after a re-IPL the guest chose (diag 308 set).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::boot {

inline constexpr u32 kQemuIplAddress = 0xcc;
inline constexpr u32 kQemuIplSize = 28;
inline constexpr u32 kIplbPageSize = 4096;  // each chained IPLB takes one page

struct QemuIplParameters {
  u8 flags = 0;
  u8 index = 0;
  u32 menu_timeout_ms = 0;
  u16 chain_len = 0;
  u64 next_iplb = 0;
};

// `raw`: the kQemuIplSize bytes read from absolute kQemuIplAddress.
QemuIplParameters decode_qemu_ipl_parameters(const u8* raw);

}  // namespace ccwboot::boot
