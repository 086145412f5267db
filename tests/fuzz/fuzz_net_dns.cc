// Fuzz target: a DNS response to ccwboot's A query for option 66's host name
// (dns_parse_response), on arbitrary bytes.
//
// Invariants (abort on violation):
//  - no read outside [data, data+size) (ASan; the input buffer is exact);
//  - an address is only reported for a response (QR) to our id with rcode 0;
//  - the result does not depend on the case of the name asked for.
#include <cstdint>
#include "ccwboot/endian.h"
#include "ccwboot/net/dns.h"
#include "fuzz_check.h"

using namespace ccwboot;
using namespace ccwboot::net;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const u32 len = size > 1500 ? 1500 : static_cast<u32>(size);
  constexpr u16 kId = 0x6363;
  const char* name = "tftp.sim";
  u32 addr = 0, addr2 = 0;
  u8 rcode = 0, rcode2 = 0;
  const DnsResult r = dns_parse_response(data, len, kId, name, &addr, &rcode);
  const DnsResult r2 = dns_parse_response(data, len, kId, "TFTP.Sim.", &addr2, &rcode2);
  FUZZ_CHECK(r == r2 && (r != DnsResult::kAddress || addr == addr2),
             "the answer depends on the case of the name (%d, %d)", static_cast<int>(r),
             static_cast<int>(r2));
  if (r == DnsResult::kAddress) {
    FUZZ_CHECK(len >= 12 && be::load16(data) == kId && (data[2] & 0x80) && rcode == 0,
               "an address from a response that is not ours or not a success");
  }
  return 0;
}
