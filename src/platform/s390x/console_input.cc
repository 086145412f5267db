// Typed input from QEMU's sclpconsole, see ccwboot/platform/console.h.
//
// The SCLP delivers typed characters as "ASCII console data" events once the
// firmware registers to receive them (Write Event Mask: receive mask). They
// are fetched with Read Event Data, which answers "no event" (0x60f0) when
// nothing is pending. The console registers send-only at start-up; the menu
// adds the receive mask only while it waits for keys, and drops it again so
// the loaded system starts from the state it would after QEMU's bios.
#include "ccwboot/endian.h"
#include "ccwboot/mem.h"
#include "ccwboot/platform/console.h"
#include "sclp.h"

namespace ccwboot {
namespace {

constexpr u32 kCmdReadEventData = 0x00770005;
constexpr u32 kSccbHeader = 8;
constexpr u32 kEvbufHeader = 6;
constexpr int kMaxEventsPerRead = 64;  // bound on the event buffers one SCCB may claim

bool g_receiving = false;

bool set_masks(u32 receive, u32 send) {
  u8* s = sclp::sccb();
  memset(s, 0, 8 + 4 + 4 * 4);
  // header(8) reserved(2) mask length(2), then cp receive, cp send, sclp receive, sclp send.
  be::store16(s, 8 + 4 + 4 * 4);
  be::store16(s + 10, 4);
  be::store32(s + 12, receive);
  be::store32(s + 16, send);
  return sclp::call(sclp::kCmdWriteEventMask) == sclp::kRespNormalCompletion;
}

}  // namespace

bool console_input_begin() {
  if (console_kind() != ConsoleKind::kAscii) return false;
  if (g_receiving) return true;
  const u32 ascii = sclp::event_mask_bit(sclp::kEventAsciiConsole);
  g_receiving = set_masks(ascii, ascii);
  return g_receiving;
}

void console_input_end() {
  if (!g_receiving) return;
  const u32 ascii = sclp::event_mask_bit(sclp::kEventAsciiConsole);
  set_masks(0, ascii);
  g_receiving = false;
}

usize console_input_poll(u8* buf, usize cap) {
  if (!g_receiving || cap == 0) return 0;
  u8* s = sclp::sccb();
  memset(s, 0, sclp::kSccbSize);
  be::store16(s, static_cast<u16>(sclp::kSccbSize));
  if (sclp::call(kCmdReadEventData) != sclp::kRespNormalCompletion) return 0;
  const u32 total = be::load16(s);
  if (total > sclp::kSccbSize) return 0;
  usize n = 0;
  u32 off = kSccbHeader;
  // Event buffers: length(2) type(1) flags(1) reserved(2) data.
  for (int i = 0; i < kMaxEventsPerRead && off + kEvbufHeader <= total; ++i) {
    const u32 len = be::load16(s + off);
    if (len < kEvbufHeader || off + len > total) break;
    if (s[off + 2] == sclp::kEventAsciiConsole) {
      for (u32 j = off + kEvbufHeader; j < off + len && n < cap; ++j) buf[n++] = s[j];
    }
    off += len;
  }
  return n;
}

}  // namespace ccwboot
