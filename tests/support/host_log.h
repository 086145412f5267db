// Host builds collect log_printf output here so tests can check messages.
#pragma once

#include <string>

#include "ccwboot/wait_codes.h"

namespace ccwboot::testing {

// Everything logged since the last clear.
const std::string& captured_log();
void clear_log();
// The last logged line that names `code` (a refusal's evidence), without
// its newline; empty if there is none.
std::string logged_refusal(WaitCode code);
// Echo log lines to stderr as they are written (off by default).
void set_log_echo(bool on);

}  // namespace ccwboot::testing
