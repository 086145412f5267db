// Channel I/O on a real (or emulated) subchannel, image only.
//
// SubchannelIo is the image's Channel: start() issues START SUBCHANNEL with
// an ORB built by make_orb() (key 0, LPM 0xff, format-0 or format-1 CCWs,
// prefetch bit when asked, 64-bit IDAWs for format 1) and then polls TEST
// SUBCHANNEL with I/O interruptions disabled until the start function has
// ended (primary status or alert status without intermediate).
//   - cc 1/2 on SSCH (status pending / busy): the pending status is cleared
//     with TSCH and the start retried (1 ms apart when busy), at most
//     kBusyRetries times → kBusy.
//   - cc 3 on SSCH or TSCH: kNotOperational.
//   - no final status within the timeout (TOD-clock based): kTimeout; the
//     subchannel is then cleared (CSCH) so it does not write memory later.
// The IRB of the last TSCH stays available through irb() (the ESW/ECW carry
// concurrent sense, the extended-report word, ...).
#pragma once

#include "ccwboot/arch/irb.h"
#include "ccwboot/arch/schib.h"
#include "ccwboot/channel.h"

namespace ccwboot {

class SubchannelIo : public Channel {
 public:
  static constexpr u32 kBusyRetries = 64;
  static constexpr u32 kDefaultTimeoutMs = 10'000;

  explicit SubchannelIo(u32 schid, u32 timeout_ms = kDefaultTimeoutMs)
      : schid_(schid), timeout_ms_(timeout_ms) {}

  IoResult start(u32 ccw_address, CcwFormat fmt, bool prefetch) override;

  u32 schid() const { return schid_; }
  const Irb& irb() const { return irb_; }
  void set_timeout_ms(u32 ms) { timeout_ms_ = ms; }

 private:
  u32 schid_;
  u32 timeout_ms_;
  Irb irb_{};
};

// Lower-level helpers on one subchannel (image only).
// Each returns the condition code of the instruction (3 = not operational).
int store_subchannel(u32 schid, Schib* schib);   // STSCH
int modify_subchannel(u32 schid, Schib* schib);  // MSCH
int test_subchannel(u32 schid, Irb* irb);        // TSCH
int clear_subchannel(u32 schid);                 // CSCH

// STSCH, set E (enabled), the ISC and the interruption parameter, MSCH,
// STSCH again to check. Returns false if the subchannel cannot be enabled.
// The interruption parameter ccwboot uses is the schid itself.
bool enable_subchannel(u32 schid, u8 isc = 3);

}  // namespace ccwboot
