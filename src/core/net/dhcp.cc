// DHCP client, see ccwboot/net/dhcp.h.
#include "ccwboot/net/dhcp.h"

#include "ccwboot/endian.h"
#include "ccwboot/log.h"

#define LOG_PREFIX "net: "

namespace ccwboot::net {
namespace {

constexpr u32 kCookie = 0x63825363;
constexpr u32 kFixed = 236;  // BOOTP header up to the options
constexpr u32 kOptions = kFixed + 4;

void copy_string(char* dst, u32 cap, const u8* src, u32 len) {
  u32 n = 0;
  while (n < len && n + 1 < cap && src[n] != 0) {
    dst[n] = static_cast<char>(src[n]);
    ++n;
  }
  dst[n] = 0;
}

}  // namespace

u32 dhcp_build(u8* p, u8 type, u32 xid, const Mac& mac, u32 requested_ip, u32 server_id) {
  for (u32 i = 0; i < kOptions; ++i) p[i] = 0;
  p[0] = 1;  // BOOTREQUEST
  p[1] = 1;  // Ethernet
  p[2] = 6;
  be::store32(p + 4, xid);
  be::store16(p + 10, 0x8000);  // broadcast the answer: we have no address yet
  for (int i = 0; i < 6; ++i) p[28 + i] = mac.b[i];
  be::store32(p + kFixed, kCookie);
  u8* o = p + kOptions;
  *o++ = 53, *o++ = 1, *o++ = type;
  if (requested_ip != 0) {
    *o++ = 50, *o++ = 4;
    be::store32(o, requested_ip);
    o += 4;
  }
  if (server_id != 0) {
    *o++ = 54, *o++ = 4;
    be::store32(o, server_id);
    o += 4;
  }
  // Parameter request list: subnet, router, name servers, server id, TFTP
  // server, bootfile.
  static const u8 kWanted[] = {55, 6, 1, 3, 6, 54, 66, 67};
  for (u8 b : kWanted) *o++ = b;
  *o++ = 255;
  // Pad to the 300 bytes BOOTP servers expect.
  u32 len = static_cast<u32>(o - p);
  while (len < 300) p[len++] = 0;
  return len;
}

bool dhcp_parse(const u8* p, u32 len, u32 xid, const Mac& mac, DhcpLease* l) {
  if (len < kOptions || p[0] != 2 || be::load32(p + 4) != xid) return false;
  for (int i = 0; i < 6; ++i)
    if (p[28 + i] != mac.b[i]) return false;
  if (be::load32(p + kFixed) != kCookie) return false;
  *l = DhcpLease{};
  l->your_ip = be::load32(p + 16);
  l->next_server = be::load32(p + 20);
  copy_string(l->server_name, sizeof l->server_name, p + 44, 64);
  copy_string(l->bootfile, sizeof l->bootfile, p + 108, 128);
  for (u32 i = kOptions; i < len;) {
    const u8 code = p[i++];
    if (code == 0) continue;
    if (code == 255) break;
    if (i >= len) return false;
    const u32 n = p[i++];
    if (n > len - i) return false;
    const u8* v = p + i;
    i += n;
    switch (code) {
      case 53:
        if (n >= 1) l->type = v[0];
        break;
      case 1:
        if (n >= 4) l->netmask = be::load32(v);
        break;
      case 3:
        if (n >= 4) l->router = be::load32(v);
        break;
      case 54:
        if (n >= 4) l->server_id = be::load32(v);
        break;
      case 6:
        for (u32 k = 0; k + 4 <= n && l->dns_count < 3; k += 4)
          l->dns[l->dns_count++] = be::load32(v + k);
        break;
      case 66:
        copy_string(l->server_name, sizeof l->server_name, v, n);
        l->server_name_option = true;
        break;
      case 67: copy_string(l->bootfile, sizeof l->bootfile, v, n); break;
      default: break;
    }
  }
  return l->type != 0;
}

bool parse_ipv4(const char* s, u32* out) {
  u32 ip = 0;
  for (int part = 0; part < 4; ++part) {
    u32 v = 0, digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 4)
      v = v * 10 + static_cast<u32>(*s++ - '0'), ++digits;
    if (digits == 0 || digits > 3 || v > 255) return false;
    ip = (ip << 8) | v;
    if (part < 3 && *s++ != '.') return false;
  }
  if (*s != 0) return false;
  *out = ip;
  return true;
}

u32 dhcp_tftp_server(const DhcpLease& l) {
  u32 ip = 0;
  if (parse_ipv4(l.server_name, &ip)) return ip;
  if (l.next_server != 0) return l.next_server;
  return l.server_id;
}

WaitCode dhcp_run(Stack& st, u32 xid, u32 total_ms, DhcpLease* lease) {
  NetLink& link = st.link();
  const u64 end = link.now_us() + u64{total_ms} * 1000;
  u64 wait = 500'000;  // doubles per retry, capped at 4 s
  u32 offered = 0, server = 0;
  for (u32 tries = 0; link.now_us() < end && tries < 16; ++tries) {
    const u8 type = offered ? dhcp_type::kRequest : dhcp_type::kDiscover;
    const u32 n = dhcp_build(st.tx_payload(), type, xid, link.mac(), offered, server);
    st.send_udp(kBroadcastIp, kDhcpClientPort, kDhcpServerPort, n, end);
    u64 deadline = link.now_us() + wait;
    if (deadline > end) deadline = end;
    if (wait < 4'000'000) wait *= 2;
    while (const UdpView* u = st.wait_udp(kDhcpClientPort, deadline)) {
      DhcpLease l;
      if (u->src_port != kDhcpServerPort || !dhcp_parse(u->payload, u->length, xid, link.mac(), &l))
        continue;
      if (!offered && l.type == dhcp_type::kOffer && l.your_ip != 0) {
        offered = l.your_ip;
        server = l.server_id;
        tries = 0;  // the server is there: the request gets its own retries
        break;
      }
      if (offered && l.type == dhcp_type::kNak) {
        LOG("DHCP server refused the offered address; starting over\n");
        offered = server = 0;
        break;
      }
      if (offered && l.type == dhcp_type::kAck && l.your_ip == offered) {
        *lease = l;
        st.config().ip = l.your_ip;
        st.config().netmask = l.netmask;
        st.config().router = l.router;
        return WaitCode::kNone;
      }
    }
  }
  return WaitCode::kNetNoDhcp;
}

}  // namespace ccwboot::net
