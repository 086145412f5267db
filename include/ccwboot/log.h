// Console output for portable code. The image prints through the SCLP; host
// builds print to a buffer that tests can read (tests/support).
//
// A file's messages start with its prefix, set once per file after its
// includes, as Linux's boot_fmt does:
//   #define LOG_PREFIX "zipl: "
//   LOG("no boot map on block %llu\n", block);       // "zipl: no boot map ..."
//   return REFUSE(WaitCode::kX, "CCW at 0x%06x", at);  // "zipl: kX: CCW at ..."
// The prefix joins the format string at compile time: no cost per call.
// log_printf stays for text that is not a message (the menu) or that
// continues a line.
#pragma once

#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot {

// printf-style, see format.h for the accepted conversions.
void log_printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Logs "<prefix><code name>: <detail>" as one line and returns `code`: a
// failure is named and explained where it is found. Use REFUSE().
WaitCode refuse(const char* prefix, WaitCode code, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

// refuse() when `report` is set; otherwise only `code`, with no line: for a
// check run as a probe, whose failure the caller may still get around.
WaitCode refuse_if(bool report, const char* prefix, WaitCode code, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));

}  // namespace ccwboot

#define LOG(fmt, ...) ::ccwboot::log_printf(LOG_PREFIX fmt __VA_OPT__(, ) __VA_ARGS__)
#define REFUSE(code, fmt, ...) ::ccwboot::refuse(LOG_PREFIX, code, fmt __VA_OPT__(, ) __VA_ARGS__)
#define REFUSE_IF(report, code, fmt, ...) \
  ::ccwboot::refuse_if(report, LOG_PREFIX, code, fmt __VA_OPT__(, ) __VA_ARGS__)
