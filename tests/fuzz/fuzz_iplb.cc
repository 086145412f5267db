// Fuzz target: decode_iplb() on arbitrary bytes, as diag 308 could store them.
//
// Invariants (abort on violation):
//  - no read outside [data, data+size) (ASan; the input buffer is exact);
//  - a valid block had a stored length within [24, 4096] and <= size;
//  - the loadparm is 8 printable ASCII characters and NUL terminated;
//  - ssid is 0..3; for the CCW type devno is the big-endian word at 0x6e;
//  - decoding is a function of the stored block alone: the same bytes with
//    extra trailing bytes decode the same when the stored length fits.
#include <cstdint>
#include <cstring>
#include <vector>

#include "ccwboot/arch/iplb.h"
#include "ccwboot/endian.h"
#include "fuzz_check.h"

using namespace ccwboot;

namespace {

bool same(const IplParameters& a, const IplParameters& b) {
  return a.valid == b.valid && a.type == b.type && a.loadparm_valid == b.loadparm_valid &&
         std::memcmp(a.loadparm, b.loadparm, sizeof a.loadparm) == 0 && a.ssid == b.ssid &&
         a.devno == b.devno;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const u32 len = size > kIplbMaxSize + 64 ? kIplbMaxSize + 64 : static_cast<u32>(size);
  IplParameters p = decode_iplb(data, len);
  if (!p.valid) return 0;

  FUZZ_CHECK(len >= 24, "valid block from %u bytes", len);
  const u32 stored = be::load32(data);
  FUZZ_CHECK(stored >= 24 && stored <= kIplbMaxSize && stored <= len,
             "valid block with stored length %u (buffer %u)", stored, len);
  FUZZ_CHECK(p.loadparm[8] == '\0', "loadparm not terminated");
  for (int i = 0; i < 8; ++i)
    FUZZ_CHECK(p.loadparm[i] >= 0x20 && p.loadparm[i] < 0x7f, "loadparm[%d] = 0x%02x", i,
               static_cast<unsigned>(static_cast<unsigned char>(p.loadparm[i])));
  FUZZ_CHECK(p.ssid <= 3, "ssid %u", p.ssid);
  FUZZ_CHECK(p.type == data[0x0c], "type %u vs byte 0x%02x", p.type, data[0x0c]);
  if (p.type == iplb_type::kCcw)
    FUZZ_CHECK(p.devno == be::load16(data + 0x6e), "devno %04x", p.devno);

  // Trailing bytes after the stored block must not change the result.
  std::vector<u8> longer(data, data + len);
  longer.resize(len + 16, 0xa5);
  IplParameters q = decode_iplb(longer.data(), static_cast<u32>(longer.size()));
  FUZZ_CHECK(same(p, q), "decode depends on bytes past the stored length");
  return 0;
}
