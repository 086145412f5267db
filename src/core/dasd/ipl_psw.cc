// The IPL PSW at absolute 0: is it loadable, and what z/Architecture PSW
// runs the system the way the ESA/390 PSW would.
#include "ccwboot/dasd/ipl_psw.h"

#include "ccwboot/log.h"

#define LOG_PREFIX "dasd: "

namespace ccwboot::dasd {

WaitCode validate_ipl_psw(u64 psw, u64 storage_size, const ReservedSet& reserved) {
  u32 mask = short_psw::mask_word(psw);
  u32 addr_word = short_psw::address_word(psw);
  u32 hi = mask;
  if (psw == 0) {
    return REFUSE(WaitCode::kDasdBadIplPsw, "the PSW at 0 is all zero: the IPL loaded no PSW");
  }
  if (!short_psw::has_bit12(psw)) {
    return REFUSE(WaitCode::kDasdBadIplPsw,
                  "PSW %08x %08x: bit 12 is off, so it is not an ESA/390-format PSW", hi,
                  addr_word);
  }
  if (mask & short_psw::kMustBeZero) {
    return REFUSE(WaitCode::kDasdBadIplPsw, "PSW %08x %08x has bits set that must be zero", hi,
                  addr_word);
  }
  bool wait = mask & short_psw::kWait;
  u32 ia = short_psw::instruction_address(psw);
  if (!short_psw::addressing31(psw) && (ia & 0x7F00'0000u)) {
    return REFUSE(WaitCode::kDasdBadIplPsw,
                  "PSW %08x %08x: 24-bit mode with an address above 16 MiB", hi, addr_word);
  }
  if (ia & 1) {
    return REFUSE(WaitCode::kDasdBadIplPsw, "PSW %08x %08x: odd instruction address", hi,
                  addr_word);
  }
  if (wait) return {};  // a wait PSW's address is a code, not a place to run
  if (ia >= storage_size) {
    return REFUSE(WaitCode::kDasdBadIplPsw, "PSW %08x %08x points past the end of storage (0x%llx)",
                  hi, addr_word, storage_size);
  }
  if (const ReservedRange* r = reserved.find_overlap(AddrRange::at(ia, 2))) {
    return REFUSE(WaitCode::kGuardPswIntoFirmware,
                  "PSW %08x %08x would run ccwboot's %s [0x%llx, 0x%llx)", hi, addr_word, r->name,
                  r->start, r->end);
  }
  return {};
}

Psw ipl_psw_to_zarch(u64 psw) {
  u64 mask = u64{short_psw::mask_word(psw) & ~short_psw::kBit12} << 32;
  return Psw::make(mask | psw_mask::kBasicAddressing, short_psw::instruction_address(psw));
}

}  // namespace ccwboot::dasd
