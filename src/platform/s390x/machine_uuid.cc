// The machine's UUID from STSI 3.2.2, its manufacturer from STSI 1.1.1
// (include/ccwboot/arch/sysib.h).
#include "ccwboot/platform/machine_uuid.h"

#include "ccwboot/arch/sysib.h"
#include "cpu.h"

namespace ccwboot {
namespace {
alignas(4096) u8 g_sysib[4096];  // STSI stores a whole page
}  // namespace

bool read_machine_uuid(u8 uuid[16]) {
  u64 r0 = 0;  // function code 0: the current configuration level
  if (cpu::stsi(g_sysib, &r0, 0) != 0 || ((r0 >> 28) & 0xf) < 3) return false;
  r0 = (u64{3} << 28) | 2;  // function code 3, selector 1 = 2; selector 2 = 2
  if (cpu::stsi(g_sysib, &r0, 2) != 0) return false;
  return arch::sysib322_uuid(g_sysib, uuid);
}

bool machine_is_qemu_tcg() {
  u64 r0 = (u64{1} << 28) | 1;  // function code 1, selector 1 = 1; selector 2 = 1
  if (cpu::stsi(g_sysib, &r0, 1) != 0) return false;
  return arch::sysib111_manufacturer_is_qemu(g_sysib);
}

}  // namespace ccwboot
