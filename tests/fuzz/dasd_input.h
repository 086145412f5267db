// The byte encoding of fuzz_dasd_ipl's input: a small 3390 volume given as a
// flat list of records, so that the fuzzer mutates IPL records, channel
// programs and payload directly instead of a 850 KB Hercules image.
//
//   byte 0       options: bits 0-1 = cylinders - 1 (1..4 cylinders),
//                bits 2-3 = memory layout (see fuzz_dasd_ipl.cc), rest 0
//   then records, until the input ends, each:
//     cyl, head, rec, key length   1 byte each (cyl mod cylinders, head mod 15)
//     data length                  2 bytes, big-endian (the record's DL)
//     stored length                2 bytes, big-endian: data bytes present
//     key bytes, then min(stored, data length) data bytes; the rest of the
//     data area is zero (keeps big, mostly empty records cheap to encode)
//
// A record whose track would overflow is dropped, as mkdasd would refuse it;
// records after the first kMaxFuzzRecords are ignored (every IPL shape has
// fewer than 10, and track-capacity checks are quadratic in the count).
// The record's count field is (cyl, head, rec) of its track, so duplicate and
// out-of-order record numbers are possible (hostile volumes).
#pragma once

#include <cstddef>
#include <vector>

#include "ccwboot/types.h"
#include "ckd_volume.h"

namespace ccwboot::fuzz {

inline constexpr u32 kMaxFuzzCylinders = 4;
inline constexpr u32 kMaxFuzzRecords = 64;

struct DasdFuzzInput {
  sim::CkdVolume volume{1};
  u8 layout = 0;  // memory layout variant, 0..3
};

DasdFuzzInput decode_dasd_input(const u8* data, std::size_t size);

// Encodes the records of the first `cylinders` cylinders of `volume`
// (trailing zero data bytes are not stored). Used to build the seed corpus.
std::vector<u8> encode_dasd_input(const sim::CkdVolume& volume, u32 cylinders, u8 layout);

}  // namespace ccwboot::fuzz
