// Console output for portable code. The image prints through the SCLP; host
// builds print to a buffer that tests can read (tests/support).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

// printf-style, see format.h for the accepted conversions.
void log_printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace ccwboot
