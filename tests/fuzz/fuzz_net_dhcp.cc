// Fuzz target: what arrives from the network before a single byte is trusted —
// Ethernet/IPv4/UDP/ARP frames (parse_udp, parse_arp) and DHCP replies
// (dhcp_parse) — on arbitrary bytes.
//
// Invariants (abort on violation):
//  - no read outside [data, data+size) (ASan; the input buffer is exact);
//  - a parsed UDP payload lies inside the frame, after the 42 header bytes;
//  - re-framing a parsed datagram (build_udp) and parsing it again gives the
//    same addresses, ports and payload (the parser and builder agree);
//  - a parsed DHCP lease has a message type, and its strings are
//    NUL-terminated inside their arrays; the TFTP server it names is one of
//    the lease's own addresses (option 66/sname as text, siaddr, server id).
#include <cstdint>
#include <cstring>
#include <vector>

#include "ccwboot/net/dhcp.h"
#include "fuzz_check.h"

using namespace ccwboot;
using namespace ccwboot::net;

namespace {

constexpr u32 kXid = 0x63637762;
const Mac kMac{{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}};

bool terminated(const char* s, size_t cap) { return std::memchr(s, 0, cap) != nullptr; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const u32 len = size > 4096 ? 4096 : static_cast<u32>(size);
  UdpView u;
  if (parse_udp(data, len, &u)) {
    FUZZ_CHECK(u.payload >= data + kUdpPayload && u.payload + u.length <= data + len,
               "UDP payload at +%td, %u bytes, outside the %u-byte frame", u.payload - data,
               u.length, len);
    if (u.length <= kMaxUdpPayload) {
      std::vector<u8> f(kMaxFrame);
      std::memcpy(f.data() + kUdpPayload, u.payload, u.length);
      const u32 n = build_udp(f.data(), u.src_mac, kMac, u.src_ip, u.dst_ip, u.src_port, u.dst_port,
                              u.length);
      UdpView v;
      FUZZ_CHECK(parse_udp(f.data(), n, &v), "a re-framed datagram does not parse");
      FUZZ_CHECK(v.src_ip == u.src_ip && v.dst_ip == u.dst_ip && v.src_port == u.src_port &&
                     v.dst_port == u.dst_port && v.length == u.length &&
                     std::memcmp(v.payload, u.payload, u.length) == 0,
                 "re-framed datagram differs");
    }
  }
  ArpView a;
  if (parse_arp(data, len, &a)) FUZZ_CHECK(a.op == 1 || a.op == 2, "ARP op %u", a.op);

  DhcpLease l;
  if (dhcp_parse(data, len, kXid, kMac, &l)) {
    FUZZ_CHECK(l.type != 0, "lease without a message type");
    FUZZ_CHECK(terminated(l.bootfile, sizeof l.bootfile), "bootfile not terminated");
    FUZZ_CHECK(terminated(l.server_name, sizeof l.server_name), "server name not terminated");
    u32 named = 0;
    const u32 server = dhcp_tftp_server(l);
    FUZZ_CHECK(server == l.next_server || server == l.server_id ||
                   (parse_ipv4(l.server_name, &named) && server == named),
               "TFTP server %08x is none of the lease's addresses", server);
  }
  return 0;
}
