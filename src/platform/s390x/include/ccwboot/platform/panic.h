// The one way the image stops on an error, image only.
//
// panic(code, fmt, ...) prints
//   ccwboot: <message of code>: <detail formatted from fmt>
//   ccwboot: check: <hint of code>
// on the console, restores prefix 0, then loads the disabled-wait PSW
// 0x0002000180000000 / wait_psw_address(code). QEMU reports it as
// "Guest crashed on cpu 0: disabled-wait" + "PSW: ..."; Hercules as HHCCP011I.
// `fmt` may be nullptr or "" for no detail.
#pragma once

#include "ccwboot/wait_codes.h"

namespace ccwboot {

[[noreturn]] void panic(WaitCode code, const char* detail_fmt, ...)
    __attribute__((format(printf, 2, 3)));

// Loads the disabled-wait PSW for `code` without printing anything.
[[noreturn]] void disabled_wait(WaitCode code);

}  // namespace ccwboot
