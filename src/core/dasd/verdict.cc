// Building a named refusal with a formatted detail line.
#include <stdarg.h>

#include "ccwboot/dasd/verdict.h"
#include "ccwboot/format.h"

namespace ccwboot::dasd {

Verdict refuse(WaitCode code, const char* fmt, ...) {
  Verdict v;
  v.code = code;
  va_list ap;
  va_start(ap, fmt);
  vformat(v.detail, sizeof v.detail, fmt, ap);
  va_end(ap);
  return v;
}

}  // namespace ccwboot::dasd
