// IPv4 over one Ethernet link, just enough for DHCP and TFTP: sends UDP
// datagrams (resolving the next hop with ARP), receives the UDP datagrams
// addressed to one port, and answers ARP requests for our address while it
// waits. Every wait ends at a deadline on the link's clock.
#pragma once

#include "ccwboot/net/frame.h"
#include "ccwboot/net/link.h"

namespace ccwboot::net {

struct Ipv4Config {
  u32 ip = 0;       // 0 until DHCP gave us one
  u32 netmask = 0;  // 0: everything is on-link
  u32 router = 0;   // 0: none
};

class Stack {
 public:
  explicit Stack(NetLink& link) : link_(link) {}

  NetLink& link() { return link_; }
  Ipv4Config& config() { return cfg_; }

  // Where the payload of the next datagram goes (kMaxUdpPayload bytes).
  u8* tx_payload() { return tx_ + kUdpPayload; }

  // Sends the payload at tx_payload(). A broadcast goes to the broadcast MAC;
  // anything else to the next hop's MAC (ARP, bounded by `deadline_us`).
  bool send_udp(u32 dst_ip, u16 src_port, u16 dst_port, u32 len, u64 deadline_us);

  // The next datagram for `port` (any source), or nullptr at the deadline.
  // Valid until the next call of wait_udp() or send_udp().
  const UdpView* wait_udp(u16 port, u64 deadline_us);

  // The MAC of `ip`'s next hop (router when off-link); false at the deadline.
  bool resolve(u32 ip, Mac* out, u64 deadline_us);

 private:
  // One frame from the link: answers ARP, records ARP replies, and returns
  // true with rx_ filled for a UDP datagram to `port`.
  bool poll_once(u16 port);

  NetLink& link_;
  Ipv4Config cfg_;
  u32 cached_ip_ = 0;
  Mac cached_mac_;
  bool cached_ = false;
  UdpView rx_;
  alignas(8) u8 tx_[kMaxFrame] = {};
  alignas(8) u8 arp_[64] = {};
};

}  // namespace ccwboot::net
