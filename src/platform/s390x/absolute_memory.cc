// Absolute storage access with a moved prefix, and moving the prefix.
#include "ccwboot/platform/absolute_memory.h"

#include "ccwboot/arch/lowcore.h"
#include "ccwboot/platform/image.h"
#include "ccwboot/mem.h"
#include "cpu.h"

namespace ccwboot {
namespace {

alignas(8192) u8 g_prefix_area[lowcore::kSize];
u64 g_storage_size = 0;

// Absolute address -> real address under prefix p (PoP "Prefixing").
u64 absolute_to_real(u64 a, u64 p) {
  if (p == 0) return a;
  if (a < lowcore::kSize) return a + p;
  if (a >= p && a < p + lowcore::kSize) return a - p;
  return a;
}

// Copies between absolute storage and a firmware buffer, splitting at the
// 8K boundaries where the real/absolute mapping changes.
bool copy_absolute(u64 addr, u8* buf, u32 len, bool to_storage) {
  u64 size = storage_size();
  if (addr > size || len > size - addr) return false;
  u64 p = current_prefix();
  while (len > 0) {
    u64 chunk = len;
    u64 boundary = 0;
    if (addr < lowcore::kSize)
      boundary = lowcore::kSize;
    else if (p != 0 && addr < p)
      boundary = p;
    else if (p != 0 && addr < p + lowcore::kSize)
      boundary = p + lowcore::kSize;
    if (boundary != 0 && addr + chunk > boundary) chunk = boundary - addr;
    u8* real = cpu::real_ptr(absolute_to_real(addr, p));
    if (to_storage)
      memcpy(real, buf, chunk);
    else
      memcpy(buf, real, chunk);
    addr += chunk;
    buf += chunk;
    len -= static_cast<u32>(chunk);
  }
  return true;
}

}  // namespace

bool AbsoluteMemory::read(u64 addr, void* dst, u32 len) {
  return copy_absolute(addr, static_cast<u8*>(dst), len, false);
}
bool AbsoluteMemory::write(u64 addr, const void* src, u32 len) {
  return copy_absolute(addr, const_cast<u8*>(static_cast<const u8*>(src)), len, true);
}
u64 AbsoluteMemory::size() const { return storage_size(); }

void* AbsoluteMemory::direct(u64 addr, u64 len) {
  const AddrRange target = AddrRange::at(addr, len);
  if (target.empty() || target.end > storage_size()) return nullptr;
  if (target.overlaps({0, lowcore::kSize}) ||
      target.overlaps(AddrRange::at(current_prefix(), lowcore::kSize)) ||
      target.overlaps(image_range())) {
    return nullptr;
  }
  return reinterpret_cast<void*>(static_cast<usize>(addr));
}

AbsoluteMemory& absolute_memory() {
  static AbsoluteMemory m;
  return m;
}

void set_storage_size(u64 bytes) { g_storage_size = bytes; }

u64 storage_size() { return g_storage_size != 0 ? g_storage_size : image_range().end; }

u64 firmware_prefix_area() { return reinterpret_cast<u64>(g_prefix_area); }

u64 current_prefix() { return cpu::stpx(); }

void move_prefix(u64 new_prefix) {
  // The new PSWs are read at real addresses; under the current prefix those
  // are reachable directly. Copy them to the same offsets of the new page.
  const u8* cur = cpu::real_ptr(0);
  u8* next = cpu::real_ptr(new_prefix);
  // new_prefix is absolute; it lies outside 0-8K and outside the current
  // prefix page, so real == absolute for it.
  memcpy(next + lowcore::kNewPswsStart, cur + lowcore::kNewPswsStart,
         lowcore::kNewPswsEnd - lowcore::kNewPswsStart);
  cpu::spx(static_cast<u32>(new_prefix));
}

void restore_prefix() { cpu::spx(0); }

void restore_prefix_with_new_psws() {
  u64 p = current_prefix();
  if (p != 0) {
    // Real addresses under prefix p: the moved lowcore is real 0, and
    // absolute 0-8K is real p (its mapping is swapped with the prefix page).
    memcpy(cpu::real_ptr(p + lowcore::kNewPswsStart), cpu::real_ptr(lowcore::kNewPswsStart),
           lowcore::kNewPswsEnd - lowcore::kNewPswsStart);
  }
  cpu::spx(0);
}

}  // namespace ccwboot
