// What the network protocols need from a network device: send a frame, poll
// for a received one, a clock. The image implements it with virtio-net-ccw;
// host tests with a simulated DHCP/TFTP server.
#pragma once

#include "ccwboot/net/frame.h"
#include "ccwboot/types.h"

namespace ccwboot::net {

class NetLink {
 public:
  // Sends one Ethernet frame (without FCS). False if the device refused it.
  virtual bool send(const u8* frame, u32 len) = 0;
  // The next received frame, or nullptr when none is waiting. The frame stays
  // valid until the next call of receive().
  virtual const u8* receive(u32* len) = 0;
  // Monotonic microseconds.
  virtual u64 now_us() = 0;
  virtual const Mac& mac() const = 0;

 protected:
  ~NetLink() = default;
};

}  // namespace ccwboot::net
