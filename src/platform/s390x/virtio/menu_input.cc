// Menu input, see menu_input.h.
//
// QEMU's sclpconsole delivers typed characters as SCLP "ASCII console data"
// events. The console (platform) registers only to send them; while the menu
// waits, this file also registers to receive them (Write Event Mask), polls
// Read Event Data, and registers back to send-only afterwards. On a
// line-mode console (Hercules, sclplmconsole) input is not read: the menu
// waits out its timeout and the default boots.
#include "menu_input.h"

#include "../sclp.h"
#include "ccwboot/be.h"
#include "ccwboot/platform/console.h"
#include "hypercall.h"

namespace ccwboot::virtio {
namespace {

constexpr u32 kCmdReadEventData = 0x00770005;
constexpr u32 kPollIntervalUs = 20'000;

void clear_sccb() {
  volatile u8* s = sclp::sccb();
  for (u32 i = 0; i < sclp::kSccbSize; ++i) s[i] = 0;
}

bool set_masks(u32 receive, u32 send) {
  clear_sccb();
  u8* s = sclp::sccb();
  be::store16(s, 8 + 4 + 4 * 4);
  be::store16(s + 10, 4);
  be::store32(s + 12, receive);
  be::store32(s + 16, send);
  return sclp::call(sclp::kCmdWriteEventMask) == sclp::kRespNormalCompletion;
}

// Appends the characters of pending ASCII console events to buf. Returns
// true when a line end arrived (or the buffer is full).
bool read_events(char* buf, u32 size, u32* len) {
  clear_sccb();
  u8* s = sclp::sccb();
  be::store16(s, static_cast<u16>(sclp::kSccbSize));
  const u16 resp = sclp::call(kCmdReadEventData);
  if (resp != sclp::kRespNormalCompletion) return false;
  const u32 total = be::load16(s);
  u32 off = 8;
  bool line_end = false;
  // Event buffers: length(2) type(1) flags(1) reserved(2) data. Bounded by
  // the SCCB's own length and size.
  for (int n = 0; n < 64 && off + 6 <= total && total <= sclp::kSccbSize; ++n) {
    const u32 evlen = be::load16(s + off);
    if (evlen < 6 || off + evlen > total) break;
    if (s[off + 2] == sclp::kEventAsciiConsole) {
      for (u32 i = off + 6; i < off + evlen; ++i) {
        const char c = static_cast<char>(s[i]);
        if (c == '\n' || c == '\r') {
          line_end = true;
          break;
        }
        if (*len < size) buf[(*len)++] = c;
      }
    }
    off += evlen;
  }
  return line_end || *len >= size;
}

}  // namespace

bool menu_input_available() { return console_kind() == ConsoleKind::kAscii; }

bool menu_read_line(char* buf, u32 size, u32 timeout_ms, u32* len) {
  *len = 0;
  const u64 start = tod_microseconds();
  const u64 limit = u64{timeout_ms} * 1000;
  const bool input = menu_input_available();
  const u32 ascii = sclp::event_mask_bit(sclp::kEventAsciiConsole);
  if (input && !set_masks(ascii, ascii)) return false;
  bool got_line = false;
  u64 next_poll = start;
  while (timeout_ms == 0 || tod_microseconds() - start < limit) {
    if (!input) continue;  // nothing to read: just wait out the timeout
    const u64 now = tod_microseconds();
    if (now < next_poll) continue;
    next_poll = now + kPollIntervalUs;
    if (read_events(buf, size, len)) {
      got_line = true;
      break;
    }
  }
  if (input) set_masks(0, ascii);
  return got_line;
}

}  // namespace ccwboot::virtio
