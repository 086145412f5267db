// A refusal's one console line (REFUSE in log.h).
#include "ccwboot/log.h"

#include <stdarg.h>

#include "ccwboot/format.h"

namespace ccwboot {
namespace {

WaitCode log_refusal(const char* prefix, WaitCode code, const char* fmt, va_list ap) {
  char detail[192];
  vformat(detail, sizeof detail, fmt, ap);
  log_printf("%s%s: %s\n", prefix, wait_code_info(code).name, detail);
  return code;
}

}  // namespace

WaitCode refuse(const char* prefix, WaitCode code, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_refusal(prefix, code, fmt, ap);
  va_end(ap);
  return code;
}

WaitCode refuse_if(bool report, const char* prefix, WaitCode code, const char* fmt, ...) {
  if (!report) return code;
  va_list ap;
  va_start(ap, fmt);
  log_refusal(prefix, code, fmt, ap);
  va_end(ap);
  return code;
}

}  // namespace ccwboot
