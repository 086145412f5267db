// Indirect data addressing in the IPL chain: the IDAW list a CCW with the
// IDA flag names, read as the channel of a hardware IPL reads it
// (docs/dasd-ipl.md, "Indirect data addressing").
//
// The IPL's ORB is all zero (Hercules ipl.c), and ccwboot starts IPL2's
// pieces as format-0 programs without the format-2-IDAW bit (arch/orb.h): so
// the IDAWs are format 1 -- a word each, bit 0 zero, a 31-bit address -- and
// each covers a 2 KiB block. The first may name any byte and covers up to
// the next 2 KiB boundary; every later one must name a boundary. The channel
// fetches an IDAW only when the data reaches it, and program-checks when the
// IDAW is not word aligned or outside storage, has bit 0 set, names storage
// past the end, or (after the first) is off a 2 KiB boundary (Hercules
// channel.c, fetch_idaw and copy_iobuf; PoP, "Indirect Data Addressing").
//
// vfio-ccw (drivers/s390/cio/vfio_ccw_cp.c, ccw_count_idaws, get_guest_idal,
// ccwchain_fetch_ccw) counts the IDAWs the count spans from the first
// IDAW's offset, copies that many at the start (reading 8 bytes per IDAW),
// pins the page of every one of them and runs a copy of the list: a later
// rewrite of the list by the program is not seen.
#pragma once

#include "ccwboot/addr_range.h"
#include "ccwboot/guest_memory.h"

namespace ccwboot::dasd {

inline constexpr u32 kIdawBlock = 2048;
// 65,535 bytes starting at the last byte of a block span 33 blocks.
inline constexpr u32 kMaxIdaws = 33;

struct IdawList {
  u32 list = 0;              // where the list sits: the CCW's data address
  u16 count = 0;             // the CCW's count
  u32 words = 0;             // IDAWs the count spans: what vfio-ccw copies and pins
  u32 idaw[kMaxIdaws] = {};  // 0 where the word lies past the end of storage
  // The IDAWs before the first one the channel program-checks on (all of
  // them if none does).
  u32 usable = 0;
  // What vfio-ccw cannot do as the hardware does: read the list it copies
  // (8 bytes per IDAW) from storage; pin the page of every IDAW (one past
  // the end of storage, bit 0 set included, fails the start where the
  // hardware program-checks only if the data reaches it); or an unaligned
  // list (the hardware program-checks, vfio-ccw runs its aligned copy). Off
  // a 2 KiB boundary is not here: vfio-ccw keeps each IDAW's offset, so its
  // channel program-checks where the hardware does.
  bool uncopyable = false;
  bool unpinnable = false;
  u32 unpinned = kMaxIdaws;  // the first IDAW whose page lies past storage (kMaxIdaws: none)

  // The bytes IDAW k moves (k < words).
  AddrRange block(u32 k) const;
  // What vfio-ccw copies at the start: `words` IDAWs.
  AddrRange list_range() const { return AddrRange::at(list, u64{words} * 4); }
  // No start under vfio-ccw runs it as the hardware does (`moves`: data moves).
  bool unfit(bool moves) const { return uncopyable || (moves && unpinnable); }
};

// Reads the IDAW list of a CCW with the IDA flag whose data address is `list`
// and count `count` (0 counts as 1, as in vfio-ccw), from memory as it is.
void read_idaw_list(GuestMemory& memory, u32 list, u16 count, IdawList& out);

}  // namespace ccwboot::dasd
