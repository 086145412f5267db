// One channel program of the DASD IPL, and the name of how it ended.
#include "ccwboot/dasd/dasd_io.h"

#include "ccwboot/format.h"
#include "ccwboot/log.h"

#define LOG_PREFIX "dasd: "

namespace ccwboot::dasd {
namespace {

// Sense byte 1 bits (3990): no record found, end of cylinder.
constexpr u8 kSense1NoRecordFound = 0x08;

// "xxxxxxxx xxxxxxxx ..." for the 32 sense bytes.
void hex_sense(const u8* s, char* out, usize size) {
  usize pos = 0;
  for (u32 i = 0; i < kSenseBytes && pos + 3 < size; ++i) {
    int n =
        format(out + pos, size - pos, (i % 4 == 3 && i + 1 < kSenseBytes) ? "%02x " : "%02x", s[i]);
    pos += static_cast<usize>(n);
  }
}

WaitCode unit_check(Channel& channel, GuestMemory& memory, const SenseArea& area, u32 at,
                    const char* what, IoCounters& counters, u8 (*sense_out)[kSenseBytes]) {
  u8 ccw[8];
  Ccw1 sense =
      Ccw1::make(ccw_cmd::kSense, area.data_address, ccw_flag::kSuppressLength, kSenseBytes);
  for (int i = 0; i < 8; ++i) ccw[i] = sense.raw[i];
  u8 zero[kSenseBytes] = {};
  if (!memory.write(area.data_address, zero, kSenseBytes) ||
      !memory.write(area.ccw_address, ccw, 8)) {
    return REFUSE(WaitCode::kDasdUnitCheck, "%s: unit check at CCW 0x%06x (no room for SENSE)",
                  what, at);
  }
  ++counters.starts;
  ++counters.sense_starts;
  IoResult io = channel.start(area.ccw_address, CcwFormat::kFormat1, true);
  u8 s[kSenseBytes] = {};
  if (!io.ok() || !memory.read(area.data_address, s, kSenseBytes)) {
    return REFUSE(WaitCode::kDasdUnitCheck,
                  "%s: unit check at CCW 0x%06x; SENSE failed too (status %02x/%02x)", what, at,
                  io.device_status, io.subchannel_status);
  }
  if (sense_out) {
    for (u32 i = 0; i < kSenseBytes; ++i) (*sense_out)[i] = s[i];
  }
  char hex[80];
  hex_sense(s, hex, sizeof hex);
  if (s[1] & kSense1NoRecordFound) {
    return REFUSE(WaitCode::kDasdNoRecordFound, "%s: no record found at CCW 0x%06x, sense %s", what,
                  at, hex);
  }
  return REFUSE(WaitCode::kDasdUnitCheck, "%s: unit check at CCW 0x%06x, sense %s", what, at, hex);
}

const char* channel_error_name(u8 sch) {
  if (sch & sch_stat::kProtectionCheck) return "protection check";
  if (sch & sch_stat::kChannelDataCheck) return "channel data check";
  if (sch & sch_stat::kChannelControlCheck) return "channel control check";
  if (sch & sch_stat::kInterfaceControlCheck) return "interface control check";
  if (sch & sch_stat::kChainingCheck) return "chaining check";
  return nullptr;
}

}  // namespace

WaitCode run_program(Channel& channel, GuestMemory& memory, const SenseArea& sense, u32 ccw_address,
                     CcwFormat fmt, const char* what, IoCounters& counters, IoResult* io_out,
                     u8 (*sense_out)[kSenseBytes]) {
  ++counters.starts;
  IoResult io = channel.start(ccw_address, fmt, true);
  // PCI asks for an intermediate interruption while the program goes on; a
  // PCI bit the final status still carries says nothing about how it ended.
  io.subchannel_status &= static_cast<u8>(~sch_stat::kProgramControlledInterruption);
  if (io_out) *io_out = io;
  switch (io.outcome) {
    case IoOutcome::kCompleted: break;
    case IoOutcome::kNotOperational:
      return REFUSE(WaitCode::kDasdNotOperational, "%s: start at 0x%06x: not operational", what,
                    ccw_address);
    case IoOutcome::kBusy:
      return REFUSE(WaitCode::kDasdBusy, "%s: start at 0x%06x: subchannel stayed busy", what,
                    ccw_address);
    case IoOutcome::kTimeout:
      return REFUSE(WaitCode::kDasdIoTimeout, "%s: program at 0x%06x did not end (last CCW 0x%06x)",
                    what, ccw_address, io.ccw_address - 8);
  }
  u32 at = io.ccw_address >= 8 ? io.ccw_address - 8 : 0;
  if (io.device_status & dev_stat::kUnitCheck) {
    return unit_check(channel, memory, sense, at, what, counters, sense_out);
  }
  if (io.subchannel_status & sch_stat::kProgramCheck) {
    return REFUSE(WaitCode::kDasdProgramCheck, "%s: program check at CCW 0x%06x", what, at);
  }
  if (const char* name = channel_error_name(io.subchannel_status)) {
    return REFUSE(WaitCode::kDasdChannelError, "%s: %s at CCW 0x%06x", what, name, at);
  }
  if (io.subchannel_status & sch_stat::kIncorrectLength) {
    return REFUSE(WaitCode::kDasdIncorrectLength,
                  "%s: incorrect length at CCW 0x%06x (residual count %u; SLI off, or CD on, "
                  "under which the channel ignores SLI)",
                  what, at, io.residual);
  }
  if (!io.ok()) {
    return REFUSE(WaitCode::kDasdUnexpectedStatus,
                  "%s: ended at CCW 0x%06x with device status %02x, subchannel status %02x%s", what,
                  at, io.device_status, io.subchannel_status,
                  (io.device_status & dev_stat::kUnitException)
                      ? " (unit exception: the channel could not take the program?)"
                      : "");
  }
  return {};
}

}  // namespace ccwboot::dasd
