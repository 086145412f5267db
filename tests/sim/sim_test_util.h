// Small builders shared by the simulator tests.
#pragma once

#include <initializer_list>
#include <vector>

#include "ccwboot/arch/ccw.h"
#include "ccwboot/endian.h"
#include "sim_memory.h"

namespace ccwboot::sim::testutil {

inline void put_ccw0(SimMemory& m, u32 addr, u8 cmd, u32 data, u8 flags, u16 count) {
  Ccw0 c = Ccw0::make(cmd, data, flags, count);
  m.write(addr, c.raw, 8);
}

inline void put_bytes(SimMemory& m, u32 addr, std::initializer_list<u8> bytes) {
  std::vector<u8> v(bytes);
  m.write(addr, v.data(), static_cast<u32>(v.size()));
}

inline void put_seek_arg(SimMemory& m, u32 addr, u16 cyl, u16 head) {
  u8 a[6] = {0, 0, 0, 0, 0, 0};
  be::store16(a + 2, cyl);
  be::store16(a + 4, head);
  m.write(addr, a, 6);
}

inline void put_search_arg(SimMemory& m, u32 addr, u16 cyl, u16 head, u8 rec) {
  u8 a[5];
  be::store16(a, cyl);
  be::store16(a + 2, head);
  a[4] = rec;
  m.write(addr, a, 5);
}

inline std::vector<u8> filled(size_t n, u8 v) { return std::vector<u8>(n, v); }

}  // namespace ccwboot::sim::testutil
