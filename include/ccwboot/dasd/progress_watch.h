// Proof that an IPL makes no progress: the chain pieces of a DASD IPL are a
// deterministic machine. What a piece does depends only on where it starts,
// on storage and on the disk (which does not change); the device's track
// only matters when ccwboot starts the piece behind a Seek to it, and every
// other piece sets its own position (docs/dasd-ipl.md, "Bounds"). So when a
// piece is about to start where an earlier one started, behind the same
// Seek, with storage as it was then, the IPL repeats itself for ever: a ring
// of CCW blocks that reread each other ends here after one round, not at a
// count of starts that a long, legitimate linked list could pass.
//
// Storage is compared through a 64-bit fingerprint: a hash per 4 KiB granule
// of the format-0 reach (16 MiB) that a piece may have stored into, summed
// over those granules. Granules no piece stored into are what they were when
// the watch began. Two equal fingerprints with different storage need a
// 64-bit hash collision.
#pragma once

#include "ccwboot/addr_range.h"
#include "ccwboot/dasd/key_slots.h"
#include "ccwboot/guest_memory.h"

namespace ccwboot::dasd {

inline constexpr u32 kWatchGranule = 4096;
inline constexpr u32 kWatchGranules = (1u << 24) / kWatchGranule;
inline constexpr u32 kWatchMaxStarts = 4096;  // fingerprints kept (pieces beyond: not compared)

class ProgressWatch {
 public:
  void reset();
  // Before a piece starts at `start` (`seek` = the state the Seek it runs
  // behind restores, or a constant): the number (1-based) of an earlier piece that began in
  // the same state, or 0. Records this piece's state as number `number`.
  u32 repeats(u32 number, u32 start, u64 seek);
  // After a start: its CCWs may have stored into `area` (an over-estimate is
  // fine; a store left out is not). Call after ccwboot put back its own
  // patches.
  void stored(AddrRange area);
  // Forgets every recorded state (the disk may have changed: a piece could
  // write to it).
  void forget();
  // Folds the granules marked by stored() since the last call into the
  // fingerprint. False when storage cannot be read.
  bool settle(GuestMemory& memory);

 private:
  u64 storage_ = 0;                                // sum of mix(granule, hash) over dirty granules
  u64 hash_[kWatchGranules] = {};                  // of each dirty granule (0: not dirty)
  u8 pending_[kWatchGranules / 8] = {};            // marked since the last settle()
  KeySlots<u64, kWatchMaxStarts> seen_;            // each recorded state (key_slots.h)
  u32 seen_number_[decltype(seen_)::kSlots] = {};  // the piece that recorded it
};

}  // namespace ccwboot::dasd
