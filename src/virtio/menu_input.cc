// Menu input, see menu_input.h. Without console input the menu can only
// wait out its timeout; that wait is real (TOD clock), so a user watching the
// console sees the menu for the time QEMU was given.
#include "menu_input.h"

#include "hypercall.h"

namespace ccwboot::virtio {

bool menu_input_available() { return false; }

bool menu_read_line(char* buf, u32 size, u32 timeout_ms, u32* len) {
  *len = 0;
  const u64 start = tod_microseconds();
  while (tod_microseconds() - start < u64{timeout_ms} * 1000) {
  }
  return false;
}

}  // namespace ccwboot::virtio
