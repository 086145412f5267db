// DNS (RFC 1035), just enough to turn DHCP option 66's TFTP server name into
// an address: one A query with recursion desired, to the name servers DHCP
// gave (option 6). Portable and fuzzed (fuzz_net_dns). The response is
// untrusted: every offset is checked against its length, compressed names
// follow at most kDnsMaxJumps pointers and kDnsMaxLabels labels, at most
// kDnsMaxRecords answer records are looked at.
#pragma once

#include "ccwboot/net/stack.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::net {

inline constexpr u16 kDnsPort = 53;
inline constexpr u32 kDnsMaxName = 253;  // a host name's text, without the final dot
inline constexpr u32 kDnsMaxJumps = 16;
inline constexpr u32 kDnsMaxLabels = 128;
inline constexpr u32 kDnsMaxRecords = 32;
inline constexpr u32 kDnsMaxServers = 3;

// A standard query for the A record of `name` ("host.example.org"; a final
// dot is allowed) into `out` (room for `cap` bytes). Its length, or 0 when
// the name is not a host name (labels of 1..63 characters, 253 in all).
u32 dns_build_query(u8* out, u32 cap, u16 id, const char* name);

enum class DnsResult : u8 {
  kAddress,    // *addr holds the first A record of the answer
  kNoAddress,  // a valid answer without an A record (or NXDOMAIN: *rcode 3)
  kNotOurs,    // another id, not a response, or another question
  kMalformed,  // lengths or names that do not add up
};

// Reads a response to the query `id` for `name`.
DnsResult dns_parse_response(const u8* p, u32 len, u16 id, const char* name, u32* addr, u8* rcode);

// Asks each server in turn (1 s, then 2 s), at most `total_ms` in all.
// kNetDnsFailed (logged) when no server gives an address.
WaitCode dns_resolve(Stack& stack, const u32* servers, u32 count, const char* name, u16 id,
                     u32 total_ms, u32* addr);

}  // namespace ccwboot::net
