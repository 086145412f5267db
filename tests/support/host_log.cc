#include "host_log.h"

#include <cstdarg>
#include <cstdio>

#include "ccwboot/format.h"
#include "ccwboot/log.h"

namespace ccwboot {
namespace {
std::string& buffer() {
  static std::string log;
  return log;
}
bool echo = false;
}  // namespace

void log_printf(const char* fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vformat(line, sizeof line, fmt, ap);
  va_end(ap);
  buffer() += line;
  if (echo) std::fputs(line, stderr);
}

namespace testing {
const std::string& captured_log() { return buffer(); }
void clear_log() { buffer().clear(); }
std::string logged_refusal(WaitCode code) {
  const std::string& log = buffer();
  const usize at = log.rfind(wait_code_info(code).name);
  if (at == std::string::npos) return "";
  const usize begin = log.rfind('\n', at) == std::string::npos ? 0 : log.rfind('\n', at) + 1;
  const usize end = log.find('\n', at);
  return log.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}
void set_log_echo(bool on) { echo = on; }
}  // namespace testing
}  // namespace ccwboot
