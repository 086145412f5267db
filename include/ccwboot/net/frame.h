// Ethernet II frames carrying ARP or IPv4/UDP: building and checking them.
// Portable (host-tested, fuzzed). Every parser takes the received length and
// reads nothing beyond it; a frame that fails any check is dropped (false).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::net {

inline constexpr u32 kEthHeader = 14;
inline constexpr u32 kIpHeader = 20;  // we send no IP options
inline constexpr u32 kUdpHeader = 8;
inline constexpr u32 kUdpPayload = kEthHeader + kIpHeader + kUdpHeader;  // 42
inline constexpr u32 kMaxFrame = 1514;  // Ethernet MTU 1500 + header, no FCS
inline constexpr u32 kMaxUdpPayload = kMaxFrame - kUdpPayload;  // 1472
inline constexpr u16 kEtherIpv4 = 0x0800;
inline constexpr u16 kEtherArp = 0x0806;
inline constexpr u32 kBroadcastIp = 0xffffffff;

struct Mac {
  u8 b[6] = {};
};
inline constexpr Mac kBroadcastMac = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
bool same_mac(const Mac& a, const Mac& b);

// A received UDP datagram (pointers into the frame).
struct UdpView {
  Mac src_mac;
  u32 src_ip = 0, dst_ip = 0;
  u16 src_port = 0, dst_port = 0;
  const u8* payload = nullptr;
  u32 length = 0;
};

// An ARP request or reply for IPv4 over Ethernet.
struct ArpView {
  u16 op = 0;  // 1 request, 2 reply
  Mac sender_mac;
  u32 sender_ip = 0, target_ip = 0;
};

// Internet checksum (RFC 1071) of `len` bytes, folded, not complemented.
u16 ones_sum(const u8* p, u32 len, u32 start);

// Fills Ethernet, IPv4 and UDP headers in front of the `payload_len` bytes
// already at frame + kUdpPayload. Returns the frame length (0 if too long).
u32 build_udp(u8* frame, const Mac& src_mac, const Mac& dst_mac, u32 src_ip, u32 dst_ip,
              u16 src_port, u16 dst_port, u32 payload_len);

// An ARP packet (request: target MAC zero, sent to broadcast). Returns the length.
u32 build_arp(u8* frame, u16 op, const Mac& src_mac, u32 src_ip, const Mac& dst_mac, u32 dst_ip);

// IPv4/UDP in an Ethernet frame: version 4, header length 20..60 within the
// frame, total length within the frame, header checksum right, not a fragment,
// protocol 17, UDP length within the IP payload, UDP checksum right when sent.
bool parse_udp(const u8* frame, u32 len, UdpView* out);
bool parse_arp(const u8* frame, u32 len, ArpView* out);

}  // namespace ccwboot::net
