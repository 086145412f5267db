// What a zipl loader hands to zipl's own stage-3 program, which the boot map's
// execute entry starts (zipl/boot/stage3.c and stage2's menu.c, read for facts;
// docs/zipl-disks.md "zipl's own conventions"):
//   0x9000  the stage-3 parameter block, big-endian u64s: parm_addr (+0),
//           initrd address (+8) and length (+16), the kernel's PSW (+24),
//           extra_parm (+32: "a loader with a menu ran before me"), flags
//           (+40), image length (+48) and address (+56); zipl 2.35 adds the
//           environment block's address (+64) and length (+72), 0 before.
//   0xE000  the "extra parameters" area, EBCDIC, NUL-terminated. zipl's
//           stage 2 (the DASD menu code) clears it, puts what the operator
//           typed after an entry number there and appends " BOOT_IMAGE=<n>",
//           n the entry it boots (0: the default). Stage 3 appends the area to
//           the parameter line only when extra_parm is set, which zipl writes
//           for DASD entries (CDL, LDL) and not for SCSI, whose hardware
//           loader has no stage 2.
// On the virtio path ccwboot starts stage 3 directly (as QEMU's bios does), so
// stage 2's part falls to ccwboot: without it a DASD-layout disk would show no
// BOOT_IMAGE= on a virtio disk but show it when IPLed as a DASD.
// Portable: works on GuestMemory after BootMap::load() and before the hand-off.
#pragma once

#include "ccwboot/guest_memory.h"
#include "ccwboot/types.h"

namespace ccwboot::zipl {

inline constexpr u64 kStage3Params = 0x9000;
inline constexpr u64 kStage3Start = 0xa000;  // stage 3's load range; its entry lies inside
inline constexpr u64 kStage3End = 0xe000;
inline constexpr u64 kStage3ExtraArea = 0xe000;
// The smaller of zipl's two extra-area sizes (2.16: 896, 2.35: 0x400).
inline constexpr u32 kStage3ExtraSize = 896;
inline constexpr u64 kStage3Unset = ~0ULL;  // an address zipl left unspecified

struct Stage3Params {
  u64 parm_addr = kStage3Unset;
  u64 initrd_addr = 0;
  u64 initrd_len = 0;
  u64 load_psw = 0;
  u64 extra_parm = 0;
  u64 flags = 0;
  u64 image_len = 0;
  u64 image_addr = 0;
  u64 envblk_addr = 0;  // 0 or all ones: no environment block (zipl before 2.35)
  u64 envblk_len = 0;
};

// True when the loaded entry starts zipl's stage 3 (its start address inside
// 0xa000-0xdfff); then *out holds the parameter block read from 0x9000.
bool read_stage3_params(GuestMemory& mem, u64 entry_address, Stage3Params* out);

// Stage 2's part for an entry whose parameters ask for extra parameters:
// clears the extra area and writes " BOOT_IMAGE=<entry>" there in EBCDIC.
// Entries without extra_parm (SCSI) are left alone. Returns true when written.
bool pass_boot_image(GuestMemory& mem, const Stage3Params& params, u32 entry);

}  // namespace ccwboot::zipl
