// Reading a format-1 IDAW list as the channel of the IPL does; idaw_list.h
// has the rules and their sources.
#include "ccwboot/dasd/idaw_list.h"

#include "ccwboot/endian.h"

namespace ccwboot::dasd {

AddrRange IdawList::block(u32 k) const {
  u32 total = count ? count : 1;
  u32 first = kIdawBlock - (idaw[0] & (kIdawBlock - 1));
  if (first > total) first = total;
  if (k == 0) return AddrRange::at(idaw[0], first);
  u32 done = first + (k - 1) * kIdawBlock;
  if (done >= total) return {};
  u32 left = total - done;
  return AddrRange::at(idaw[k], left < kIdawBlock ? left : kIdawBlock);
}

void read_idaw_list(GuestMemory& memory, u32 list, u16 count, IdawList& out) {
  u64 size = memory.size();
  u8 w[4];
  u32 first = memory.read(list, w, 4) ? be::load32(w) : 0;
  u32 total = count ? count : 1;
  out.list = list;
  out.count = count;
  out.words = ((first & (kIdawBlock - 1)) + total + kIdawBlock - 1) / kIdawBlock;  // <= 33
  out.usable = out.words;
  out.uncopyable = u64{list} + 8 * out.words > size;
  out.unpinnable = (list & 3) != 0;
  out.unpinned = kMaxIdaws;
  for (u32 k = 0; k < out.words; ++k) {
    bool in_storage = memory.read(u64{list} + 4 * k, w, 4);
    out.idaw[k] = in_storage ? be::load32(w) : 0;
    // Bit 0 set names storage past 2 GiB: past the end too.
    bool past_end = out.block(k).end > size;
    out.unpinnable |= past_end;
    if (past_end && out.unpinned == kMaxIdaws) out.unpinned = k;
    bool faulty = (list & 3) || !in_storage || past_end || (k && (out.idaw[k] & (kIdawBlock - 1)));
    if (faulty && out.usable == out.words) out.usable = k;
  }
}

}  // namespace ccwboot::dasd
