// The packed image's C++ half (unpack_start.S is the rest): unpack the image
// to the load address, check it, relocate it as QEMU's loader would.
#include "ccwboot/lz_unpack.h"
#include "ccwboot/platform/elf_rela.h"

using namespace ccwboot;

// Returns the image's entry address, or 0 if anything does not add up.
extern "C" u64 unpack_main(u8* base, const u8* payload, usize payload_len) {
  if (payload_len < sizeof(lz::UnpackDescriptor)) return 0;
  const auto& d = *reinterpret_cast<const lz::UnpackDescriptor*>(payload);
  const u64 size = d.unpacked_size();
  if (!d.magic_ok() || d.stream_size() > payload_len - sizeof d || size > d.high() ||
      d.entry() >= size || d.rela_start() > d.rela_end() || d.rela_end() > size ||
      (d.rela_end() - d.rela_start()) % elf_rela::kSize != 0)
    return 0;
  if (!lz::unpack(payload + sizeof d, d.stream_size(), base, size)) return 0;
  if (lz::checksum(base, size) != d.checksum()) return 0;
  for (u64 r = d.rela_start(); r < d.rela_end(); r += elf_rela::kSize) {
    const u8* rela = base + r;
    const u64 where = be::load64(rela + elf_rela::kOffset);
    if (be::load64(rela + elf_rela::kInfo) != elf_rela::kR390Relative || where > size - 8) return 0;
    be::store64(base + where, reinterpret_cast<u64>(base) + be::load64(rela + elf_rela::kAddend));
  }
  return reinterpret_cast<u64>(base) + d.entry();
}
