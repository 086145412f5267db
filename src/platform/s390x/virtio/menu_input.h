// Reading a menu answer from the console, with a timeout. Image only.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::virtio {

// How long a menu without a timeout waits when no answer can be read.
inline constexpr u32 kMenuDefaultTimeoutMs = 5000;

// True when the console can deliver typed input (SCLP ASCII console).
bool menu_input_available();

// Waits up to `timeout_ms` (0 = no limit) for one line of input; stores at
// most `size` bytes in `buf` and their number in `len`. Returns false on
// timeout (or, without input, once the timeout has passed).
bool menu_read_line(char* buf, u32 size, u32 timeout_ms, u32* len);

}  // namespace ccwboot::virtio
