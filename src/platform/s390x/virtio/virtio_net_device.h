// A virtio-net-ccw device as the network boot's link: receive queue 0 with
// kRxBuffers buffers kept posted, transmit queue 1 with one frame in flight,
// the MAC from the configuration (VIRTIO_NET_F_MAC). Polled, no interrupts.
// Image only.
#pragma once

#include "ccwboot/boot_device.h"
#include "ccwboot/net/link.h"
#include "virtio_ccw_transport.h"

namespace ccwboot::virtio {

class NetDevice final : public net::NetLink {
 public:
  static constexpr u32 kRxBuffers = 32;
  static constexpr u32 kBufferSize = 2048;  // virtio-net header + a full frame

  explicit NetDevice(const BootDevice& dev) : dev_(dev), transport_(dev.schid) {}

  // Sets the device up, posts the receive buffers, reads the MAC. Prints what failed.
  WaitCode open();
  // Resets the device: it no longer writes our buffers (before hand-off or fallback).
  void close() { transport_.reset(); }

  bool send(const u8* frame, u32 len) override;
  const u8* receive(u32* len) override;
  u64 now_us() override;
  const net::Mac& mac() const override { return mac_; }

 private:
  BootDevice dev_;
  CcwTransport transport_;
  Vring tx_;
  net::Mac mac_;
  u32 header_ = 12;    // virtio_net_hdr: 12 bytes for virtio 1.0, 10 for legacy
  int pending_ = -1;   // receive buffer handed out by receive(), reposted on the next call
  u64 last_kick_ = 0;  // TOD microseconds of the last receive-queue notification
};

}  // namespace ccwboot::virtio
