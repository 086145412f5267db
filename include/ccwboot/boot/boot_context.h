// The boot context: everything the firmware is told about this IPL, read and
// decoded once at start-up and handed to every boot path (DASD, virtio disk,
// network). Portable; the platform fills it (src/platform/s390x/main.cc).
// docs/boot-order.md.
#pragma once

#include "ccwboot/arch/iplb.h"
#include "ccwboot/boot/qemu_ipl.h"
#include "ccwboot/guest_memory.h"
#include "ccwboot/types.h"

namespace ccwboot::boot {

// QEMU 9.2+ passes up to 8 boot devices (bootindex order).
inline constexpr int kMaxBootDevices = 8;

struct BootContext {
  QemuIplParameters qipl;              // flags, menu timeout, chain (0xcc)
  char sclp_loadparm[9] = "        ";  // the machine loadparm (SCLP Read SCP Info), ASCII
  // [0]: the block diag 308 subcode 6 stored; [1..]: QEMU's chain, in
  // bootindex order. Blocks that do not decode are left out (and noted).
  IplParameters iplb[kMaxBootDevices];
  u64 iplb_address[kMaxBootDevices] = {};  // absolute address of each raw block
  u8 iplb_position[kMaxBootDevices] = {};  // its place in QEMU's boot order (0 = first)
  int iplb_count = 0;                      // 0: QEMU passed no IPLB, the scan decides
  bool chain = false;  // QEMU announced a chain (more than one bootindex device)
};

// Fills `ctx` from what the platform read:
//   qipl_raw       kQemuIplSize bytes from absolute 0xcc
//   first_iplb     the block diag 308 subcode 6 stored (nullptr: none), at
//                  absolute address first_address, first_len bytes readable
//   sclp_loadparm  8 EBCDIC bytes from SCLP Read SCP Info (nullptr: none)
//   mem            guest memory, where QEMU's chain is read from (each block
//                  once, bounded by chain_len <= 7 and by storage)
void load_boot_context(BootContext* ctx, const u8* qipl_raw, const u8* first_iplb, u32 first_len,
                       u64 first_address, const u8* sclp_loadparm, GuestMemory& mem);

}  // namespace ccwboot::boot
