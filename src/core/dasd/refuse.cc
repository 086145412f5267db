// A refusal's one console line.
#include "ccwboot/dasd/refuse.h"

#include "ccwboot/format.h"
#include "ccwboot/log.h"

namespace ccwboot::dasd {
namespace {

WaitCode log_refusal(WaitCode code, const char* fmt, va_list ap) {
  char detail[192];
  vformat(detail, sizeof detail, fmt, ap);
  log_printf("dasd: %s: %s\n", wait_code_info(code).name, detail);
  return code;
}

}  // namespace

WaitCode refuse(WaitCode code, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_refusal(code, fmt, ap);
  va_end(ap);
  return code;
}

WaitCode refuse_if(bool report, WaitCode code, const char* fmt, ...) {
  if (!report) return code;
  va_list ap;
  va_start(ap, fmt);
  log_refusal(code, fmt, ap);
  va_end(ap);
  return code;
}

}  // namespace ccwboot::dasd
