// Ethernet / ARP / IPv4 / UDP framing, see ccwboot/net/frame.h.
#include "ccwboot/net/frame.h"

#include "ccwboot/endian.h"

namespace ccwboot::net {
namespace {

constexpr u8 kProtoUdp = 17;
constexpr u8 kTtl = 64;

void put_mac(u8* p, const Mac& m) {
  for (int i = 0; i < 6; ++i) p[i] = m.b[i];
}
Mac get_mac(const u8* p) {
  Mac m;
  for (int i = 0; i < 6; ++i) m.b[i] = p[i];
  return m;
}
u16 finish(u32 sum) { return static_cast<u16>(~sum); }

}  // namespace

bool same_mac(const Mac& a, const Mac& b) {
  for (int i = 0; i < 6; ++i)
    if (a.b[i] != b.b[i]) return false;
  return true;
}

u16 ones_sum(const u8* p, u32 len, u32 sum) {
  for (u32 i = 0; i + 1 < len; i += 2) sum += be::load16(p + i);
  if (len & 1) sum += u32{p[len - 1]} << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<u16>(sum);
}

u32 build_udp(u8* f, const Mac& src_mac, const Mac& dst_mac, u32 src_ip, u32 dst_ip, u16 src_port,
              u16 dst_port, u32 payload_len) {
  if (payload_len > kMaxUdpPayload) return 0;
  put_mac(f, dst_mac);
  put_mac(f + 6, src_mac);
  be::store16(f + 12, kEtherIpv4);
  u8* ip = f + kEthHeader;
  const u32 ip_len = kIpHeader + kUdpHeader + payload_len;
  for (u32 i = 0; i < kIpHeader; ++i) ip[i] = 0;
  ip[0] = 0x45;
  be::store16(ip + 2, static_cast<u16>(ip_len));
  be::store16(ip + 6, 0x4000);  // don't fragment
  ip[8] = kTtl;
  ip[9] = kProtoUdp;
  be::store32(ip + 12, src_ip);
  be::store32(ip + 16, dst_ip);
  be::store16(ip + 10, finish(ones_sum(ip, kIpHeader, 0)));
  u8* udp = ip + kIpHeader;
  const u32 udp_len = kUdpHeader + payload_len;
  be::store16(udp, src_port);
  be::store16(udp + 2, dst_port);
  be::store16(udp + 4, static_cast<u16>(udp_len));
  be::store16(udp + 6, 0);
  // Pseudo header: addresses, protocol, UDP length.
  u32 pseudo =
      (src_ip >> 16) + (src_ip & 0xffff) + (dst_ip >> 16) + (dst_ip & 0xffff) + kProtoUdp + udp_len;
  u16 c = finish(ones_sum(udp, udp_len, pseudo));
  be::store16(udp + 6, c == 0 ? 0xffff : c);
  return kEthHeader + ip_len;
}

u32 build_arp(u8* f, u16 op, const Mac& src_mac, u32 src_ip, const Mac& dst_mac, u32 dst_ip) {
  put_mac(f, op == 1 ? kBroadcastMac : dst_mac);
  put_mac(f + 6, src_mac);
  be::store16(f + 12, kEtherArp);
  u8* a = f + kEthHeader;
  be::store16(a, 1);  // Ethernet
  be::store16(a + 2, kEtherIpv4);
  a[4] = 6;
  a[5] = 4;
  be::store16(a + 6, op);
  put_mac(a + 8, src_mac);
  be::store32(a + 14, src_ip);
  put_mac(a + 18, op == 1 ? Mac{} : dst_mac);
  be::store32(a + 24, dst_ip);
  return 60;  // minimum Ethernet payload (28 bytes of ARP, padded)
}

bool parse_arp(const u8* f, u32 len, ArpView* out) {
  if (len < kEthHeader + 28 || be::load16(f + 12) != kEtherArp) return false;
  const u8* a = f + kEthHeader;
  if (be::load16(a) != 1 || be::load16(a + 2) != kEtherIpv4 || a[4] != 6 || a[5] != 4) return false;
  out->op = be::load16(a + 6);
  out->sender_mac = get_mac(a + 8);
  out->sender_ip = be::load32(a + 14);
  out->target_ip = be::load32(a + 24);
  return out->op == 1 || out->op == 2;
}

bool parse_udp(const u8* f, u32 len, UdpView* out) {
  if (len < kEthHeader + kIpHeader || be::load16(f + 12) != kEtherIpv4) return false;
  const u8* ip = f + kEthHeader;
  const u32 avail = len - kEthHeader;
  const u32 ihl = (ip[0] & 0x0f) * 4u;
  if ((ip[0] >> 4) != 4 || ihl < kIpHeader || ihl > avail) return false;
  const u32 total = be::load16(ip + 2);
  if (total < ihl + kUdpHeader || total > avail) return false;
  if ((be::load16(ip + 6) & 0x3fff) != 0) return false;  // a fragment: not reassembled
  if (ip[9] != kProtoUdp || ones_sum(ip, ihl, 0) != 0xffff) return false;
  const u8* udp = ip + ihl;
  const u32 udp_len = be::load16(udp + 4);
  if (udp_len < kUdpHeader || udp_len > total - ihl) return false;
  out->src_ip = be::load32(ip + 12);
  out->dst_ip = be::load32(ip + 16);
  if (be::load16(udp + 6) != 0) {
    u32 pseudo = (out->src_ip >> 16) + (out->src_ip & 0xffff) + (out->dst_ip >> 16) +
                 (out->dst_ip & 0xffff) + kProtoUdp + udp_len;
    if (ones_sum(udp, udp_len, pseudo) != 0xffff) return false;
  }
  out->src_mac = get_mac(f + 6);
  out->src_port = be::load16(udp);
  out->dst_port = be::load16(udp + 2);
  out->payload = udp + kUdpHeader;
  out->length = udp_len - kUdpHeader;
  return true;
}

}  // namespace ccwboot::net
