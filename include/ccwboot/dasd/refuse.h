// How the DASD IPL core fails: every check returns a WaitCode (kNone = go
// on), and the check that finds the problem logs its evidence right there.
#pragma once

#include <stdarg.h>

#include "ccwboot/wait_codes.h"

namespace ccwboot::dasd {

// Logs "dasd: <code name>: <printf-style detail>" and returns `code`.
WaitCode refuse(WaitCode code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// refuse() when `report` is set; otherwise only `code`, with no line: for a
// check run as a probe, whose failure the caller may still get around.
WaitCode refuse_if(bool report, WaitCode code, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace ccwboot::dasd
