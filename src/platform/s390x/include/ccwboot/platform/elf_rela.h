// The image's relocations: ELF64 RELA entries (big-endian), all of type
// R_390_RELATIVE (mkimage.py refuses others). start.S applies them when the
// image was loaded raw; the packed image's stub (unpack/unpack_main.cc)
// applies them after unpacking, as QEMU's loader does for an ELF.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::elf_rela {

inline constexpr u32 kSize = 24;          // one Elf64_Rela
inline constexpr u32 kOffset = 0;         // r_offset (u64): where, from the image start
inline constexpr u32 kInfo = 8;           // r_info (u64): symbol << 32 | type
inline constexpr u32 kType = 12;          // r_info's low word: the type
inline constexpr u32 kAddend = 16;        // r_addend (u64)
inline constexpr u32 kR390Relative = 12;  // type: image start + addend

}  // namespace ccwboot::elf_rela
