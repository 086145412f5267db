// DNS A-record lookup for DHCP option 66 (include/ccwboot/net/dns.h).
#include "ccwboot/net/dns.h"

#include "ccwboot/endian.h"
#include "ccwboot/log.h"

#define LOG_PREFIX "net: "

namespace ccwboot::net {
namespace {

constexpr u32 kHeader = 12;
constexpr u16 kTypeA = 1, kClassIn = 1;

// ASCII case folding; DNS compares names without case (RFC 4343).
u8 lower(u8 c) { return c >= 'A' && c <= 'Z' ? static_cast<u8>(c - 'A' + 'a') : c; }

// Compares the (possibly compressed) name at p[at] with the dotted `name`,
// case-insensitively, and sets *next to the first byte after the name in
// place. False if it differs or is malformed (*malformed set).
bool name_equals(const u8* p, u32 len, u32 at, const char* name, u32* next, bool* malformed) {
  u32 jumps = 0, labels = 0, pos = at;
  bool jumped = false, same = true;
  const char* n = name;
  *malformed = true;
  for (;;) {
    if (pos >= len || ++labels > kDnsMaxLabels) return false;
    const u8 b = p[pos];
    if ((b & 0xc0) == 0xc0) {
      if (pos + 1 >= len || ++jumps > kDnsMaxJumps) return false;
      if (!jumped) *next = pos + 2;
      jumped = true;
      pos = static_cast<u32>((b & 0x3f) << 8 | p[pos + 1]);
      continue;
    }
    if (b & 0xc0) return false;  // the reserved label types
    ++pos;
    if (b == 0) break;
    if (b > len - pos) return false;
    if (n != name) {  // between labels the name has a dot
      if (*n == '.')
        ++n;
      else
        same = false;
    }
    for (u32 i = 0; i < b; ++i)
      same = same && *n != 0 && lower(static_cast<u8>(*n++)) == lower(p[pos + i]);
    pos += b;
  }
  if (!jumped) *next = pos;
  *malformed = false;
  if (*n == '.') ++n;  // the query may name the root explicitly
  return same && *n == 0;
}

}  // namespace

u32 dns_build_query(u8* out, u32 cap, u16 id, const char* name) {
  u32 total = 0;
  while (name[total] && total <= kDnsMaxName) ++total;
  if (total > 0 && name[total - 1] == '.') --total;  // the root, written as a final dot
  if (total == 0 || total > kDnsMaxName || cap < kHeader + total + 2 + 4) return 0;
  be::store16(out, id);
  be::store16(out + 2, 0x0100);  // standard query, recursion desired
  be::store16(out + 4, 1);       // one question
  be::store16(out + 6, 0);
  be::store32(out + 8, 0);
  u32 o = kHeader;
  for (u32 i = 0; i < total;) {
    u32 l = 0;
    while (i + l < total && name[i + l] != '.') ++l;
    if (l == 0 || l > 63) return 0;
    out[o++] = static_cast<u8>(l);
    for (u32 k = 0; k < l; ++k) out[o++] = static_cast<u8>(name[i + k]);
    i += l;
    if (i < total && ++i == total) return 0;  // "a..": an empty last label
  }
  out[o++] = 0;
  be::store16(out + o, kTypeA);
  be::store16(out + o + 2, kClassIn);
  return o + 4;
}

DnsResult dns_parse_response(const u8* p, u32 len, u16 id, const char* name, u32* addr, u8* rcode) {
  if (len < kHeader) return DnsResult::kMalformed;
  const u16 flags = be::load16(p + 2);
  if (be::load16(p) != id || !(flags & 0x8000) || ((flags >> 11) & 0xf) != 0)
    return DnsResult::kNotOurs;
  if (be::load16(p + 4) != 1) return DnsResult::kNotOurs;  // our one question, echoed
  *rcode = static_cast<u8>(flags & 0xf);
  bool malformed = false;
  u32 pos = 0;
  if (!name_equals(p, len, kHeader, name, &pos, &malformed))
    return malformed ? DnsResult::kMalformed : DnsResult::kNotOurs;
  if (pos + 4 > len) return DnsResult::kMalformed;
  if (be::load16(p + pos) != kTypeA || be::load16(p + pos + 2) != kClassIn)
    return DnsResult::kNotOurs;
  pos += 4;
  if (*rcode != 0) return DnsResult::kNoAddress;
  const u32 answers = be::load16(p + 6);
  // The first A record in the answer section: its owner is our name or an
  // alias the server followed for us (CNAME records come first).
  for (u32 r = 0; r < answers && r < kDnsMaxRecords; ++r) {
    u32 next = 0;
    name_equals(p, len, pos, "", &next, &malformed);
    if (malformed || next + 10 > len) return DnsResult::kMalformed;
    const u16 type = be::load16(p + next), cls = be::load16(p + next + 2);
    const u32 rdlen = be::load16(p + next + 8);
    pos = next + 10;
    if (rdlen > len - pos) return DnsResult::kMalformed;
    if (type == kTypeA && cls == kClassIn && rdlen == 4) {
      *addr = be::load32(p + pos);
      return DnsResult::kAddress;
    }
    pos += rdlen;
  }
  return DnsResult::kNoAddress;
}

WaitCode dns_resolve(Stack& st, const u32* servers, u32 count, const char* name, u16 id,
                     u32 total_ms, u32* addr) {
  NetLink& link = st.link();
  const u64 end = link.now_us() + u64{total_ms} * 1000;
  const u16 port = static_cast<u16>(0xc000 | (id & 0x3fff));
  if (count > kDnsMaxServers) count = kDnsMaxServers;
  u8 rcode = 0;
  for (u32 round = 0; round < 2 && count > 0; ++round) {
    for (u32 s = 0; s < count && link.now_us() < end; ++s) {
      const u32 n = dns_build_query(st.tx_payload(), kMaxUdpPayload, id, name);
      if (n == 0) {
        LOG("'%s' is not a host name\n", name);
        return WaitCode::kNetDnsFailed;
      }
      if (!st.send_udp(servers[s], port, kDnsPort, n, end)) continue;
      u64 deadline = link.now_us() + (round == 0 ? 1'000'000 : 2'000'000);
      if (deadline > end) deadline = end;
      while (const UdpView* u = st.wait_udp(port, deadline)) {
        if (u->src_ip != servers[s] || u->src_port != kDnsPort) continue;
        const DnsResult r = dns_parse_response(u->payload, u->length, id, name, addr, &rcode);
        if (r == DnsResult::kAddress) return WaitCode::kNone;
        if (r == DnsResult::kNoAddress) {
          LOG("DNS: no address for '%s' (response code %u)\n", name, rcode);
          return WaitCode::kNetDnsFailed;
        }
      }
    }
  }
  LOG("DNS: no answer for '%s' from %u name server%s\n", name, count, count == 1 ? "" : "s");
  return WaitCode::kNetDnsFailed;
}

}  // namespace ccwboot::net
