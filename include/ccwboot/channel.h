// One subchannel, as the portable boot logic drives it: start a channel
// program that already sits in guest memory and wait until it has ended.
// The image implements this with SSCH/TSCH; the host simulator with a model
// of a 3390 behind a real-channel or a vfio-ccw-prefetch channel.
#pragma once

#include "ccwboot/arch/ccw.h"
#include "ccwboot/types.h"

namespace ccwboot {

// Unit status bits (SCSW byte 8) and subchannel status bits (SCSW byte 9).
namespace dev_stat {
inline constexpr u8 kAttention = 0x80;
inline constexpr u8 kStatusModifier = 0x40;
inline constexpr u8 kControlUnitEnd = 0x20;
inline constexpr u8 kBusy = 0x10;
inline constexpr u8 kChannelEnd = 0x08;
inline constexpr u8 kDeviceEnd = 0x04;
inline constexpr u8 kUnitCheck = 0x02;
inline constexpr u8 kUnitException = 0x01;
}  // namespace dev_stat
namespace sch_stat {
inline constexpr u8 kProgramControlledInterruption = 0x80;
inline constexpr u8 kIncorrectLength = 0x40;
inline constexpr u8 kProgramCheck = 0x20;
inline constexpr u8 kProtectionCheck = 0x10;
inline constexpr u8 kChannelDataCheck = 0x08;
inline constexpr u8 kChannelControlCheck = 0x04;
inline constexpr u8 kInterfaceControlCheck = 0x02;
inline constexpr u8 kChainingCheck = 0x01;
}  // namespace sch_stat

// How a start ended.
enum class IoOutcome : u8 {
  kCompleted,       // status arrived (check the status bytes for errors)
  kNotOperational,  // cc 3 on start, or the device vanished
  kBusy,            // the subchannel stayed busy past the retry bound
  kTimeout,         // no status within the wait bound
};

struct IoResult {
  IoOutcome outcome = IoOutcome::kCompleted;
  u8 device_status = 0;      // dev_stat bits
  u8 subchannel_status = 0;  // sch_stat bits
  u32 ccw_address = 0;       // SCSW CCW address: last CCW executed + 8
  u16 residual = 0;          // SCSW residual count of the last CCW

  // Clean end of a channel program: channel end + device end, nothing else.
  constexpr bool ok() const {
    return outcome == IoOutcome::kCompleted && subchannel_status == 0 &&
           (device_status &
            ~(dev_stat::kChannelEnd | dev_stat::kDeviceEnd | dev_stat::kControlUnitEnd)) == 0;
  }
  constexpr bool unit_check() const {
    return outcome == IoOutcome::kCompleted && (device_status & dev_stat::kUnitCheck);
  }
};

class Channel {
 public:
  // Starts the channel program at absolute `ccw_address` (CCWs of format
  // `fmt`, key 0, all paths) and waits for its final status. `prefetch` asks
  // for the ORB prefetch bit; vfio-ccw behaves as if it were always set.
  virtual IoResult start(u32 ccw_address, CcwFormat fmt, bool prefetch) = 0;

 protected:
  ~Channel() = default;
};

}  // namespace ccwboot
