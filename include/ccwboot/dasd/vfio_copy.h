// What vfio-ccw makes of a start, and cutting a piece so that it can start
// there (docs/dasd-ipl.md, "vfio-ccw's copy"). The facts come from Linux's
// drivers/s390/cio/vfio_ccw_cp.c (read, not copied):
//  - At the start the driver copies the program segment by segment. A
//    segment begins at the ORB's address or a TIC target and counts CCWs
//    while they chain (CC or CD) or are a TIC back into the CCWs counted so
//    far; it ends with the first CCW that does neither. A format-0 TIC
//    counts as unchained (the driver clears its flags).
//  - 2 KiB are copied from every segment's first CCW; a segment that would
//    hold more than 256 CCWs (CCWCHAIN_LEN_MAX) fails the whole start.
//  - Every TIC of a copied segment whose target lies in no segment copied
//    so far starts a new one there (depth first); there is no limit.
//  - The data area of every copied CCW that transfers data (count not 0,
//    not NOP, no SKIP on a read or sense) is pinned, count bytes forward
//    from its address, whether the CCW runs or not.
//  - With IDA (current kernels, format-0 programs too) the IDAW list is
//    copied instead, as many format-1 IDAWs as 2 KiB blocks the count
//    spans, and the page of each IDAW is pinned (idaw_list.h).
//  - The channel then runs the copy: a TIC goes to the first segment that
//    holds its target, and everything else steps through the same copy.
//    Stepping past a copy's end runs host memory, not the guest's CCW.
#pragma once

#include "ccwboot/dasd/chain_walk.h"
#include "ccwboot/dasd/key_slots.h"
#include "ccwboot/dasd/progress_watch.h"  // kWatchMaxStarts

namespace ccwboot::dasd {

inline constexpr u32 kVfioSegmentMax = 256;   // CCWCHAIN_LEN_MAX
inline constexpr u32 kVfioCopyWindow = 2048;  // bytes copied from each segment's start
inline constexpr u32 kMaxVfioSegments = 64;   // ccwboot's bound (the driver has none)

struct VfioSegment {
  u32 head = 0;   // guest address of its first CCW
  u32 count = 0;  // CCWs; kVfioSegmentMax + 1 when the driver would refuse it
  constexpr bool too_long() const { return count > kVfioSegmentMax; }
  constexpr u32 copied() const { return count > kVfioSegmentMax ? kVfioSegmentMax : count; }
  // The driver's test for a TIC target: from the first to the last CCW, inclusive.
  constexpr bool holds(u32 a) const { return a >= head && a <= head + (copied() - 1) * 8; }
};

struct VfioCopy {
  VfioSegment segments[kMaxVfioSegments];
  u32 count = 0;
  // The segment a TIC to `address` enters: the first that holds it, or -1.
  i32 find(u32 address) const;
};

// The segments the driver copies for a start of `piece` (analysed, with its
// cuts) at piece.start, from memory as it is now with the cuts' command
// chaining cleared. A too-long segment is recorded, not refused. Errors:
// a copy window, or the pinned data area (with IDA: the IDAW list, read 8
// bytes per IDAW, and every IDAW's page) of a CCW the piece never runs,
// outside storage (kDasdPrefetchCopyFails); more than
// kMaxVfioSegments segments (kDasdChainTooLong).
WaitCode build_vfio_copy(GuestMemory& memory, const PieceAnalysis& piece, VfioCopy& out);

// Makes the start of `piece` one the driver copies and runs as a real
// channel would: every segment at most 256 CCWs, cut where needed at a
// faithful point (try_cut, and a continuation check_continuation accepts),
// no cut below `min_cut` (IPL1's CCWs end starts their own way); the channel
// never steps past a copy's end on any path the walk found. Refuses by
// name: kDasdSegmentTooLong (no faithful cut), kDasdSegmentOverrun (a path
// leaves a copy), and build_vfio_copy's errors. Run after track_positions.
//
// `earlier` (or null): where earlier starts of the chain began (IPL2
// included). Of the faithful cuts a bound allows, one whose continuation
// begins where an earlier start did is taken first: a ring of CCWs longer
// than a start then meets its own start again within two rounds, where
// ProgressWatch sees it repeat, instead of after as many starts as the ring
// has cut points. A set of at most kWatchMaxStarts addresses (past them it
// stops growing), asked at every start and candidate cut.
class StartList {
 public:
  void clear() { slots_.clear(); }
  // Notes a start at `a`, once.
  void add(u32 a) {
    u32 i = slots_.slot(a + 1);
    if (!slots_.used(i)) slots_.put(i, a + 1);
  }
  bool holds(u32 a) const { return slots_.used(slots_.slot(a + 1)); }
  bool empty() const { return !slots_.count(); }

 private:
  KeySlots<u32, kWatchMaxStarts> slots_;  // address + 1 (addresses are 31-bit)
};
WaitCode fit_vfio_copy(GuestMemory& memory, PieceAnalysis& piece, u32 min_cut,
                       const StartList* earlier = nullptr);

}  // namespace ccwboot::dasd
