// SCLP console, image only (portable code uses ccwboot/log.h).
//
// console_init() registers with the SCLP (Write Event Mask) and picks the
// event type the SCLP says it accepts: ASCII console data (0x1a, QEMU's
// sclpconsole) or line-mode message data (0x02, Hercules and QEMU's
// sclplmconsole) -- see docs/console.md. console_write() sends text with
// Write Event Data and waits for the service-signal interruption.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

enum class ConsoleKind : u8 { kNone, kAscii, kLineMode };

ConsoleKind console_init();
void console_write(const char* text, usize len);  // buffered per line
void console_flush();  // sends a pending partial line
ConsoleKind console_kind();
// The SCLP's receive mask from Write Event Mask (event types it accepts).
u32 console_sclp_receive_mask();

}  // namespace ccwboot
