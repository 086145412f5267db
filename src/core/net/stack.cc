// IPv4/UDP/ARP over one link, see ccwboot/net/stack.h.
#include "ccwboot/net/stack.h"

namespace ccwboot::net {

bool Stack::poll_once(u16 port) {
  u32 len = 0;
  const u8* f = link_.receive(&len);
  if (f == nullptr) return false;
  ArpView arp;
  if (parse_arp(f, len, &arp)) {
    // Any ARP packet from the host we resolve tells us its MAC.
    if (cached_ip_ != 0 && arp.sender_ip == cached_ip_) {
      cached_mac_ = arp.sender_mac;
      cached_ = true;
    }
    // Someone (the TFTP server's host) asks for us: answer, or it drops our data.
    if (arp.op == 1 && cfg_.ip != 0 && arp.target_ip == cfg_.ip) {
      u32 n = build_arp(arp_, 2, link_.mac(), cfg_.ip, arp.sender_mac, arp.sender_ip);
      link_.send(arp_, n);
    }
    return false;
  }
  if (!parse_udp(f, len, &rx_) || rx_.dst_port != port) return false;
  // Before we have an address, DHCP answers may come to any address of ours.
  return cfg_.ip == 0 || rx_.dst_ip == cfg_.ip || rx_.dst_ip == kBroadcastIp;
}

const UdpView* Stack::wait_udp(u16 port, u64 deadline_us) {
  do {
    if (poll_once(port)) return &rx_;
  } while (link_.now_us() < deadline_us);
  return nullptr;
}

bool Stack::resolve(u32 ip, Mac* out, u64 deadline_us) {
  const bool off_link =
      cfg_.netmask != 0 && cfg_.router != 0 && ((ip ^ cfg_.ip) & cfg_.netmask) != 0;
  const u32 hop = off_link ? cfg_.router : ip;
  if (!cached_ || cached_ip_ != hop) {
    cached_ = false;
    cached_ip_ = hop;
    u64 next_try = 0;
    while (!cached_) {
      const u64 now = link_.now_us();
      if (now >= deadline_us) return false;
      if (now >= next_try) {
        u32 n = build_arp(arp_, 1, link_.mac(), cfg_.ip, Mac{}, hop);
        link_.send(arp_, n);
        next_try = now + 250'000;  // ask again four times a second
      }
      poll_once(0);
    }
  }
  *out = cached_mac_;
  return true;
}

bool Stack::send_udp(u32 dst_ip, u16 src_port, u16 dst_port, u32 len, u64 deadline_us) {
  Mac dst = kBroadcastMac;
  if (dst_ip != kBroadcastIp && !resolve(dst_ip, &dst, deadline_us)) return false;
  const u32 n = build_udp(tx_, link_.mac(), dst, cfg_.ip, dst_ip, src_port, dst_port, len);
  return n != 0 && link_.send(tx_, n);
}

}  // namespace ccwboot::net
