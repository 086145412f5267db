// Clearing storage a previous system left (docs/boot-order.md, "Re-IPL: the
// storage left behind"), image only.
#pragma once

#include "ccwboot/addr_range.h"

namespace ccwboot {

// Sets every 4 KiB page of absolute [r.start, r.end) (page aligned, outside
// 0-8K, prefix 0) to zero; adds the number of pages to *pages. Every page is
// written, zero or not: a page the previous system ran code from and then
// zeroed still has that code in QEMU's translation cache, and only stores
// into the page drop it.
void clear_pages(AddrRange r, u64* pages);

}  // namespace ccwboot
