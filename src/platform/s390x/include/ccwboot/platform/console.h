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
void console_flush();                             // sends a pending partial line
// Before the handoff: flushes, then withdraws ccwboot's event masks (Write
// Event Mask 0, the state a reset leaves), so that the SCLP sends nothing
// more that could raise a service signal for the loaded system. Returns once
// the last request's service signal has been taken. A later write registers
// again.
void console_quiesce();
ConsoleKind console_kind();
// The SCLP's receive mask from Write Event Mask (event types it accepts).
u32 console_sclp_receive_mask();

// Terminal I/O for the boot menu, ASCII console only (QEMU's sclpconsole);
// on a line-mode console there is no terminal and these do nothing.
// Sends exactly these bytes (escape sequences included: no line buffering,
// no CR LF added), after any pending partial line. Blocking.
void console_write_raw(const char* bytes, usize len);
// Registers to receive ASCII console data as well (Write Event Mask). False
// when the console cannot deliver typed input.
bool console_input_begin();
// One Read Event Data: the bytes typed since the last call (at most cap), 0
// when nothing is pending. Does not wait.
usize console_input_poll(u8* buf, usize cap);
// Back to send-only, so the loaded system finds the SCLP as the firmware found it.
void console_input_end();

}  // namespace ccwboot
