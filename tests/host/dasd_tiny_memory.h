// A small guest memory for the DASD core's unit tests (64 KiB unless told),
// and a way to put a format-0 CCW into it.
#pragma once

#include "ccwboot/arch/ccw.h"
#include "vector_memory.h"

namespace ccwboot::dasd {

class TinyMemory : public testing::VectorMemory {
 public:
  explicit TinyMemory(u32 size = 0x10000) : VectorMemory(size) {}
  void ccw(u32 at, u8 cmd, u32 addr, u8 flags, u16 count) {
    Ccw0 c = Ccw0::make(cmd, addr, flags, count);
    write(at, c.raw, 8);
  }
};

}  // namespace ccwboot::dasd
