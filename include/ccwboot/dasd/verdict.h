// A named outcome with one console line of detail: what every check of the
// DASD IPL core returns (kNone = go on).
#pragma once

#include "ccwboot/wait_codes.h"

namespace ccwboot::dasd {

struct Verdict {
  WaitCode code = WaitCode::kNone;
  char detail[192] = {};
  constexpr bool ok() const { return code == WaitCode::kNone; }
};

// A failing verdict with a printf-style detail line.
Verdict refuse(WaitCode code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace ccwboot::dasd
