// Starting the loaded system so that the machine looks as after its own IPL:
// diag 308 load-normal through a trampoline, or (no diag 308, or a diag 308
// that returns without a reset) the same state set by hand, back to ESA/390
// and LPSW of the PSW at 0. docs/dasd-ipl.md, "Handoff".
#include "ccwboot/platform/handoff.h"

#include "ccwboot/arch/irb.h"
#include "ccwboot/arch/lowcore.h"
#include "ccwboot/arch/psw.h"
#include "ccwboot/arch/schib.h"
#include "ccwboot/endian.h"
#include "ccwboot/log.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/console.h"
#include "ccwboot/platform/panic.h"
#include "cpu.h"

#define LOG_PREFIX "ccwboot: "

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

// The IPL subchannel as a hardware IPL leaves it: what a subchannel reset
// leaves (interruption parameter 0, ISC 0, no limit, measurement, multipath
// or timing mode, logical path mask = the installed paths), then enabled by
// the IPL. Hercules' native IPL (ipl.c load_ipl) and QEMU's css_reset_sch
// give the same. Bounded: a status still pending is taken and MSCH retried.
bool set_ipl_subchannel_state(u32 schid) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    Schib schib{};
    if (cpu::stsch(schid, &schib) != 0) return false;
    schib.set_intparm(0);
    schib.raw[4] = 0;  // ISC 0 (the rest of the byte is reserved)
    schib.raw[5] = static_cast<u8>(pmcw_flag::kEnabled | (schib.raw[5] & pmcw_flag::kDevnoValid));
    schib.raw[8] = schib.pim();  // LPM
    int cc = cpu::msch(schid, &schib);
    if (cc == 0) return true;
    if (cc == 3) return false;
    if (cc == 1) {  // status pending: clear it and try again
      Irb irb{};
      cpu::tsch(schid, &irb);
    }
  }
  return false;
}

// For the trampoline: the reset of diag 308 disables every subchannel.
u32 g_handoff_schid = 0;

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
  // Everything that can cause an interruption (console output and its
  // service signal, the diag 308 probe) happens with the prefix moved into
  // the firmware, so that none of it lands in the loaded system's lowcore.
  u64 fw_prefix = firmware_prefix_area();
  if (current_prefix() == 0) {
    // The loaded data may have replaced the new PSWs at absolute 0-8K (the
    // virtio paths load there at prefix 0): the program-check one is made
    // anew in the moved lowcore; the SCLP wait writes its external one itself.
    move_prefix(fw_prefix);
    u8* moved = cpu::real_ptr(0);
    be::store64(moved + lowcore::kProgramNewPsw, psw_mask::k64Bit);
    be::store64(moved + lowcore::kProgramNewPsw + 8, reinterpret_cast<u64>(&program_check_entry));
  }
  bool diag308 = diag308_available();
  LOG("starting the loaded system, PSW %08x %08x, %s\n", short_psw::mask_word(ipl_psw),
      short_psw::address_word(ipl_psw),
      diag308 ? "diag 308 load normal (if it returns without a reset: "
                "initial CPU state by hand, ESA/390, LPSW)"
              : "no diag 308 here: initial CPU state by hand, ESA/390, LPSW "
                "as a native IPL ends");
  if (!set_ipl_subchannel_state(schid)) {
    panic(WaitCode::kHandoffFailed, "subchannel %08x", static_cast<unsigned>(schid));
  }
  // The last console output: after it no SCLP event may reach the loaded
  // system's lowcore, so the event masks are withdrawn (a reset leaves none).
  console_quiesce();
  g_handoff_schid = schid;

  cpu::spx(0);
  u8* lc = absolute_zero();
  // What the machine's IPL stores besides the data it read.
  be::store32(lc + lowcore::kSubchannelId, schid);
  be::store32(lc + lowcore::kIoIntParam, 0);

  if (diag308) {
    // The short PSW at 0 that diag 308 will load: 64-bit mode (EA+BA, bit 12
    // as the short format requires), address = the trampoline, which puts
    // the system's 8 bytes back.
    handoff_saved_psw = ipl_psw;
    u64 tramp = reinterpret_cast<u64>(&handoff_trampoline);
    be::store64(lc, short_psw::make(short_psw::kBit12 | short_psw::kExtendedAddressing,
                                    short_psw::kAddressing31 | static_cast<u32>(tramp)));
    handoff_diag308_load_normal();
    // Returned without a reset (Hercules 4.x does so for subcode 1): do by
    // hand what the reset would have done.
  }
  // The system's PSW at 0 for LPSW (after a DASD IPL it is there already:
  // the same 8 bytes again).
  be::store64(lc, ipl_psw);
  handoff_esa390_lpsw();
}

}  // namespace ccwboot

// Called by handoff_trampoline after the diag 308 reset, prefix 0, on the
// firmware's stack: re-enable the IPL subchannel the reset disabled. Nothing
// here may store into lowcore; a failure cannot be reported any more without
// writing there, so the system starts with the subchannel as the reset left it.
extern "C" void handoff_after_reset() {
  ccwboot::set_ipl_subchannel_state(ccwboot::g_handoff_schid);
}
