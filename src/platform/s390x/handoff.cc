// Starting the loaded system: diag 308 load-normal through a trampoline, or
// (Hercules 3.13, no diag 308) back to ESA/390 and LPSW of the PSW at 0.
#include "ccwboot/platform/handoff.h"

#include "ccwboot/arch/lowcore.h"
#include "ccwboot/arch/psw.h"
#include "ccwboot/be.h"
#include "ccwboot/log.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/console.h"
#include "ccwboot/platform/panic.h"
#include "cpu.h"

namespace ccwboot {
namespace {

u8* absolute_zero() { return cpu::real_ptr(0); }

// Does diag 308 exist? Subcode 6 (store IPL parameters) into a scratch page
// is harmless; a program check means the instruction is not implemented.
// Probed once: on Hercules each probe logs a specification exception.
alignas(4096) u8 g_probe_page[4096];
enum class Diag308 : u8 { kUnknown, kAvailable, kMissing };
Diag308 g_diag308 = Diag308::kUnknown;

bool diag308_available() {
  if (g_diag308 == Diag308::kUnknown) diag308_store_ipl_parameters(g_probe_page);
  return g_diag308 == Diag308::kAvailable;
}

}  // namespace

long diag308_store_ipl_parameters(u8* page) {
  long rc = diag308_try(reinterpret_cast<u64>(page), 6);
  g_diag308 = rc == -1 ? Diag308::kMissing : Diag308::kAvailable;
  return rc;
}

[[noreturn]] void handoff_to_ipl_psw(u32 schid, u64 ipl_psw) {
  if (!short_psw::has_bit12(ipl_psw)) {
    panic(WaitCode::kInvalidIplPsw, "PSW %08x %08x", short_psw::mask_word(ipl_psw),
          short_psw::address_word(ipl_psw));
  }
  if (current_prefix() != 0) restore_prefix();
  u8* lc = absolute_zero();
  be::store32(lc + lowcore::kSubchannelId, schid);
  be::store32(lc + lowcore::kIoIntParam, 0);

  log_printf("ccwboot: starting the loaded system, PSW %08x %08x\n",
             short_psw::mask_word(ipl_psw), short_psw::address_word(ipl_psw));

  if (diag308_available()) {
    console_flush();
    // The short PSW at 0 that diag 308 will load: 64-bit mode (EA+BA, bit 12
    // as the short format requires), address = the trampoline.
    handoff_saved_psw = ipl_psw;
    u64 tramp = reinterpret_cast<u64>(&handoff_trampoline);
    be::store64(lc, short_psw::make(0x0008'0001u, 0x8000'0000u | static_cast<u32>(tramp)));
    handoff_diag308_load_normal();
    // Came back: the reset was refused. Put the system's PSW back first.
    be::store64(lc, ipl_psw);
    panic(WaitCode::kHandoffFailed, "diag 308 subcode 1 returned");
  }

  log_printf("ccwboot: diag 308 is not available here (Hercules?): "
             "switching to ESA/390 and loading the PSW at 0 as a native IPL does\n");
  console_flush();
  be::store64(lc, ipl_psw);
  handoff_esa390_lpsw();
}

}  // namespace ccwboot
