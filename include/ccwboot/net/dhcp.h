// DHCP client (RFC 2131/2132): DISCOVER, OFFER, REQUEST, ACK. Portable.
// The parser reads only the datagram it is given: options are walked with
// their lengths checked against the end, strings are copied bounded and
// NUL-terminated.
#pragma once

#include "ccwboot/net/stack.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::net {

inline constexpr u16 kDhcpServerPort = 67;
inline constexpr u16 kDhcpClientPort = 68;
inline constexpr u32 kMaxBootfile = 128;
inline constexpr u32 kMaxServerName = 64;

namespace dhcp_type {
inline constexpr u8 kDiscover = 1, kOffer = 2, kRequest = 3, kAck = 5, kNak = 6;
}

struct DhcpLease {
  u8 type = 0;                            // option 53
  u32 your_ip = 0;                        // yiaddr
  u32 next_server = 0;                    // siaddr
  u32 server_id = 0;                      // option 54
  u32 netmask = 0;                        // option 1
  u32 router = 0;                         // option 3 (first)
  char server_name[kMaxServerName] = {};  // option 66, else sname
  bool server_name_option = false;        // server_name came from option 66
  u32 dns[3] = {};                        // option 6: name servers
  u32 dns_count = 0;
  char bootfile[kMaxBootfile] = {};  // option 67, else file
};

// Writes a DISCOVER (requested_ip == 0) or a REQUEST for `requested_ip` from
// `server_id` into `out`. Returns its length.
u32 dhcp_build(u8* out, u8 type, u32 xid, const Mac& mac, u32 requested_ip, u32 server_id);

// A BOOTREPLY for transaction `xid` and hardware address `mac` with the magic
// cookie; fills `lease`. False for anything else or a malformed packet.
bool dhcp_parse(const u8* p, u32 len, u32 xid, const Mac& mac, DhcpLease* lease);

// The TFTP server: option 66 or sname when it is a dotted IPv4 address, else
// siaddr, else the DHCP server itself. 0 if none is known. (Option 66 as a
// host name is resolved by the caller: dns_resolve.)
u32 dhcp_tftp_server(const DhcpLease& lease);

// "a.b.c.d" -> address; false unless exactly that form.
bool parse_ipv4(const char* s, u32* out);

// The whole exchange on `stack`: retries DISCOVER and REQUEST with growing
// timeouts, at most `total_ms` in all. On success the stack is configured
// (address, netmask, router) and `lease` holds the ACK.
WaitCode dhcp_run(Stack& stack, u32 xid, u32 total_ms, DhcpLease* lease);

}  // namespace ccwboot::net
