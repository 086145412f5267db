// Monotonic time for bounds that must not be counts (docs/dasd-ipl.md,
// "Bounds"). The image implements it with the TOD clock; the host simulator
// with a simulated clock that advances per channel operation, so tests are
// deterministic.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

class Clock {
 public:
  // Microseconds since an arbitrary point; never decreases.
  virtual u64 now_us() = 0;

 protected:
  ~Clock() = default;
};

}  // namespace ccwboot
