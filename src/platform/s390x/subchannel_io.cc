// START SUBCHANNEL / TEST SUBCHANNEL channel I/O with bounded waits.
#include "ccwboot/platform/subchannel_io.h"

#include "ccwboot/arch/orb.h"
#include "cpu.h"

namespace ccwboot {
namespace {

bool deadline_passed(u64 deadline) { return cpu::stck() >= deadline; }

}  // namespace

int store_subchannel(u32 schid, Schib* schib) { return cpu::stsch(schid, schib); }
int modify_subchannel(u32 schid, Schib* schib) { return cpu::msch(schid, schib); }
int test_subchannel(u32 schid, Irb* irb) { return cpu::tsch(schid, irb); }
int clear_subchannel(u32 schid) { return cpu::csch(schid); }

bool enable_subchannel(u32 schid, u8 isc) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    Schib schib{};
    if (cpu::stsch(schid, &schib) != 0) return false;
    if (schib.enabled() && schib.isc() == isc && schib.intparm() == schid) return true;
    schib.set_enabled(true);
    schib.set_isc(isc);
    schib.set_intparm(schid);
    int cc = cpu::msch(schid, &schib);
    if (cc == 3) return false;
    if (cc == 1) {  // status pending: clear it and try again
      Irb irb{};
      cpu::tsch(schid, &irb);
    }
  }
  return false;
}

IoResult SubchannelIo::start(u32 ccw_address, CcwFormat fmt, bool prefetch) {
  IoResult r;
  Orb orb = make_orb(schid_, ccw_address, fmt == CcwFormat::kFormat1, prefetch);
  u32 attempt = 0;
  for (;; ++attempt) {
    if (attempt == kBusyRetries) {
      r.outcome = IoOutcome::kBusy;
      return r;
    }
    int cc = cpu::ssch(schid_, &orb);
    if (cc == 0) break;
    if (cc == 3) {
      r.outcome = IoOutcome::kNotOperational;
      return r;
    }
    // cc 1: status pending from earlier (e.g. an unsolicited device end) —
    // take it and start again. cc 2: busy — give it a millisecond.
    cpu::tsch(schid_, &irb_);
    if (cc == 2) {
      u64 until = cpu::stck() + cpu::tod_ms(1);
      while (!deadline_passed(until)) {
      }
    }
  }

  // Poll TSCH with I/O interruptions disabled until the start function has
  // ended; collect the device status across primary and secondary status.
  u64 deadline = cpu::stck() + cpu::tod_ms(timeout_ms_);
  u8 dstat = 0, cstat = 0;
  for (;;) {
    int cc = cpu::tsch(schid_, &irb_);
    if (cc == 3) {
      r.outcome = IoOutcome::kNotOperational;
      return r;
    }
    if (cc == 0) {
      Scsw s = irb_.scsw();
      dstat |= s.device_status();
      cstat |= s.subchannel_status();
      r.ccw_address = s.ccw_address();
      r.residual = s.count();
      u8 stctl = s.status_control();
      bool final_status = (stctl & (scsw_stctl::kPrimary | scsw_stctl::kAlert)) != 0 ||
                          (stctl & scsw_stctl::kSecondary) != 0;
      bool device_done =
          (dstat & (dev_stat::kDeviceEnd | dev_stat::kUnitCheck | dev_stat::kUnitException)) != 0 ||
          cstat != 0 || (stctl & scsw_stctl::kAlert) != 0;
      if (final_status && device_done) break;
    }
    if (deadline_passed(deadline)) {
      // Stop the program so it cannot write memory later, then drain its status.
      cpu::csch(schid_);
      u64 drain = cpu::stck() + cpu::tod_ms(100);
      while (cpu::tsch(schid_, &irb_) == 1 && !deadline_passed(drain)) {
      }
      r.outcome = IoOutcome::kTimeout;
      return r;
    }
  }
  r.outcome = IoOutcome::kCompleted;
  r.device_status = dstat;
  r.subchannel_status = cstat;
  return r;
}

}  // namespace ccwboot
