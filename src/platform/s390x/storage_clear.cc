// Clearing storage with plain eight-byte stores.
#include "ccwboot/platform/storage_clear.h"

#include "cpu.h"

namespace ccwboot {
namespace {

constexpr u64 kPage = 4096;

// One STG per doubleword, never MVCL, XC or MVCLE (the compiler would turn a
// plain zeroing loop into memset): QEMU's TCG checks a store against the code
// it translated from that page, and drops that code, only for the bytes it
// knows are written. Its MVCL/XC/MVCLE helpers (7.2) tell it the first byte
// only, so the previous system's translated code would stay cached for the
// page, and every later store to the page would take TCG's slow path (the
// Debian kernel's decompressor then runs for minutes).
void clear_page(u64 addr) {
  volatile u64* p = reinterpret_cast<volatile u64*>(cpu::real_ptr(addr));
  for (u32 i = 0; i < kPage / 8; i += 8) {
    p[i] = 0;
    p[i + 1] = 0;
    p[i + 2] = 0;
    p[i + 3] = 0;
    p[i + 4] = 0;
    p[i + 5] = 0;
    p[i + 6] = 0;
    p[i + 7] = 0;
  }
}

}  // namespace

void clear_pages(AddrRange r, u64* pages) {
  for (u64 a = r.start; a + kPage <= r.end; a += kPage) {
    clear_page(a);
    ++*pages;
  }
}

}  // namespace ccwboot
