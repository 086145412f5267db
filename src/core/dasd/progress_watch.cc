// Fingerprints of the IPL's state at each chain piece (progress_watch.h).
#include "ccwboot/dasd/progress_watch.h"

#include "ccwboot/endian.h"

namespace ccwboot::dasd {
namespace {

constexpr u64 kMul = 0x9E3779B97F4A7C15ull;

u64 mix(u64 x) {
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  x *= kMul;
  return x ^ (x >> 32);
}

u8 g_granule[kWatchGranule];

}  // namespace

void ProgressWatch::reset() {
  storage_ = 0;
  for (u64& h : hash_) h = 0;
  for (u8& p : pending_) p = 0;
  forget();
}

void ProgressWatch::forget() { seen_.clear(); }

u32 ProgressWatch::repeats(u32 number, u32 start, u64 seek) {
  u64 state = mix(storage_ ^ mix(mix(seek) ^ start)) | 1;  // never 0 (a free slot)
  u32 i = seen_.slot(state);
  if (seen_.used(i)) return seen_number_[i];
  if (seen_.put(i, state)) seen_number_[i] = number;
  return 0;
}

void ProgressWatch::stored(AddrRange area) {
  if (area.empty()) return;
  u64 first = area.start / kWatchGranule;
  u64 last = (area.end - 1) / kWatchGranule;
  // Past 16 MiB a format-0 area may wrap to 0 (mark both); storage above
  // the reach can feed no format-0 program but a write to the disk, and a
  // piece that can write to the disk resets the watch (dasd_ipl.cc).
  if (last - first >= kWatchGranules) last = first + kWatchGranules - 1;
  for (u64 g = first; g <= last; ++g) {
    u64 k = g % kWatchGranules;
    pending_[k / 8] |= static_cast<u8>(1u << (k % 8));
  }
}

bool ProgressWatch::settle(GuestMemory& memory) {
  for (u32 g = 0; g < kWatchGranules; ++g) {
    if (!pending_[g / 8]) {
      g |= 7;  // none of these eight
      continue;
    }
    if (!(pending_[g / 8] >> (g % 8) & 1)) continue;
    pending_[g / 8] &= static_cast<u8>(~(1u << (g % 8)));
    u64 base = u64{g} * kWatchGranule;
    u32 len = kWatchGranule;
    if (base >= memory.size()) continue;
    if (memory.size() - base < len) len = static_cast<u32>(memory.size() - base);
    if (!memory.read(base, g_granule, len)) return false;
    u64 h = mix(g + 1);
    // A word at a time (one load on s390x: this runs at every start, over
    // every granule a start stored into); the tail of storage byte by byte.
    u32 i = 0;
    for (; i + 8 <= len; i += 8) h = (h ^ be::load64(g_granule + i)) * kMul;
    if (i < len) {
      u64 w = 0;
      for (; i < len; ++i) w = w << 8 | g_granule[i];
      h = (h ^ w) * kMul;
    }
    h = mix(h) | 1;  // never 0: 0 means "not dirty"
    if (hash_[g]) storage_ -= mix(hash_[g] ^ g);
    hash_[g] = h;
    storage_ += mix(h ^ g);
  }
  return true;
}

}  // namespace ccwboot::dasd
