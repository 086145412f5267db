// The numbers the assembly files (start.S, unpack/unpack_start.S) need,
// taken from the C++ headers that define them, as Linux's asm-offsets does.
// Compiled to assembly only (-S), never linked: each ASM_CONST leaves a line
// "->NAME value" in the output, which cmake/asm_offsets.cmake turns into
// asm_offsets.h (#define NAME value) in the build tree.
#include "ccwboot/arch/lowcore.h"
#include "ccwboot/arch/psw.h"
#include "ccwboot/lz_unpack.h"
#include "ccwboot/platform/elf_rela.h"
#include "ccwboot/wait_codes.h"

#define ASM_CONST(name, value) \
  asm volatile("\n.ascii \"->" #name " %0\"" : : "i"(static_cast<unsigned long long>(value)))

namespace ccwboot {

void asm_offsets() {
  // Lowcore fields start.S reads and writes.
  ASM_CONST(LC_IPL_PSW, lowcore::kIplPsw);
  ASM_CONST(LC_EXT_NEW_PSW, lowcore::kExternalNewPsw);
  ASM_CONST(LC_PGM_NEW_PSW, lowcore::kProgramNewPsw);

  // A z/Architecture PSW: its size and where its address starts.
  ASM_CONST(PSW_SIZE, sizeof(Psw));
  ASM_CONST(PSW_ADDRESS, Psw::kAddressOffset);

  // PSW masks (first 8 bytes of a z/Architecture PSW).
  ASM_CONST(PSW_MASK_64BIT, psw_mask::k64Bit);
  ASM_CONST(PSW_MASK_DISABLED_WAIT, psw_mask::kDisabledWait);
  ASM_CONST(PSW_MASK_EXTERNAL_WAIT, psw_mask::kExternalWait);

  // Disabled-wait addresses of the codes the assembly stops with.
  ASM_CONST(WAIT_INTERNAL, wait_psw_address(WaitCode::kInternal));
  ASM_CONST(WAIT_RELOCATION_FAILED, wait_psw_address(WaitCode::kRelocationFailed));
  ASM_CONST(WAIT_UNPACK_FAILED, wait_psw_address(WaitCode::kUnpackFailed));
  // The whole ESA/390 disabled-wait PSW for a CPU that stays in ESA/390 mode.
  ASM_CONST(ESA_PSW_WAIT_NO_ZARCH,
            short_psw::make_disabled_wait(wait_psw_address(WaitCode::kNoZArchitecture)));

  // Relocation entries (start.S applies them when loaded raw).
  ASM_CONST(RELA_SIZE, elf_rela::kSize);
  ASM_CONST(RELA_OFFSET, elf_rela::kOffset);
  ASM_CONST(RELA_TYPE, elf_rela::kType);
  ASM_CONST(RELA_ADDEND, elf_rela::kAddend);
  ASM_CONST(R_390_RELATIVE, elf_rela::kR390Relative);

  // The packed image's descriptor (unpack_start.S).
  ASM_CONST(UNPACK_DESC_HIGH, lz::UnpackDescriptor::kHighOffset);
}

}  // namespace ccwboot
