// Host builds collect log_printf output here so tests can check messages.
#pragma once

#include <string>

namespace ccwboot::testing {

// Everything logged since the last clear.
const std::string& captured_log();
void clear_log();
// Echo log lines to stderr as they are written (off by default).
void set_log_echo(bool on);

}  // namespace ccwboot::testing
