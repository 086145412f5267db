// Decoder of CLZ1, the packed form of ccwboot's image (tools/lzpack/lzpack.py
// writes it; its docstring has the bit format). ccwboot.img for QEMU is a
// small stub plus this payload (src/platform/s390x/unpack): the stub unpacks
// the image at its own load address, applies the relocations and jumps to it.
// The payload is ours, built with the image, but the decoder is bounded all
// the same: it never reads past the stream nor writes past `out_len`.
#pragma once

#include "ccwboot/endian.h"
#include "ccwboot/types.h"

namespace ccwboot::lz {

// The payload's header, in front of the stream (big-endian).
struct UnpackDescriptor {
  static constexpr u32 kHighOffset = 48;  // unpack_start.S reads `high` itself
  u8 raw[64];
  constexpr bool magic_ok() const { return be::load64(raw) == 0x4343574c5a310000ull; }  // CCWLZ1
  constexpr u64 unpacked_size() const { return be::load64(raw + 8); }  // file part, from 0
  constexpr u64 image_memsz() const { return be::load64(raw + 16); }   // with bss
  constexpr u64 entry() const { return be::load64(raw + 24); }         // _start's offset
  constexpr u64 rela_start() const { return be::load64(raw + 32); }    // R_390_RELATIVE table
  constexpr u64 rela_end() const { return be::load64(raw + 40); }
  // Where the stub moves itself.
  constexpr u64 high() const { return be::load64(raw + kHighOffset); }
  constexpr u32 checksum() const { return be::load32(raw + 56); }
  constexpr u32 stream_size() const { return be::load32(raw + 60); }
};
static_assert(sizeof(UnpackDescriptor) == 64);

// Unpacks `in` into exactly `out_len` bytes at `out`. False if the stream
// ends early or a copy reaches before the start of the output.
bool unpack(const u8* in, usize in_len, u8* out, usize out_len);

// Adler-32 (RFC 1950): the two sums mod 65521, b in the high half.
u32 checksum(const u8* p, usize n);

}  // namespace ccwboot::lz
