// SCLP console: ASCII console events (0x1a) where the SCLP takes them (QEMU's
// sclpconsole), line-mode message events (0x02) otherwise (Hercules, QEMU's
// sclplmconsole). docs/console.md records which emulator accepts what.
#include "ccwboot/platform/console.h"

#include <stdarg.h>

#include "ccwboot/endian.h"
#include "ccwboot/format.h"
#include "ccwboot/log.h"
#include "ccwboot/mem.h"
#include "sclp.h"

namespace ccwboot {
namespace {

ConsoleKind g_kind = ConsoleKind::kNone;
u32 g_sclp_receive_mask = 0;
bool g_initialised = false;

// Output is collected per line: line-mode messages are whole lines anyway,
// and one SERVC per line keeps the console fast.
constexpr usize kLineMax = 200;
char g_line[kLineMax];
usize g_line_len = 0;

// ASCII to EBCDIC for the printable range 0x20-0x7e: code page 1047 for
// the brackets and caret, which both Hercules 3.13 and QEMU's line-mode
// console translate back (037's 0xba/0xbb they do not).
constexpr u8 kAsciiToEbcdic[95] = {
    0x40, 0x5a, 0x7f, 0x7b, 0x5b, 0x6c, 0x50, 0x7d, 0x4d, 0x5d, 0x5c, 0x4e, 0x6b, 0x60, 0x4b, 0x61,
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0x7a, 0x5e, 0x4c, 0x7e, 0x6e, 0x6f,
    0x7c, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6,
    0xd7, 0xd8, 0xd9, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xad, 0xe0, 0xbd, 0x5f, 0x6d,
    0x79, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96,
    0x97, 0x98, 0x99, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xc0, 0x4f, 0xd0, 0xa1};

u8 to_ebcdic(char c) {
  u8 u = static_cast<u8>(c);
  return (u >= 0x20 && u <= 0x7e) ? kAsciiToEbcdic[u - 0x20] : 0x4b;  // '.'
}

// Event buffer header: length(2) type(1) flags(1) reserved(2).
constexpr u32 kSccbHeader = 8;
constexpr u32 kEvbufHeader = 6;

void send_ascii_line(const char* text, usize len) {
  u8* s = sclp::sccb();
  memset(s, 0, kSccbHeader + kEvbufHeader + len + 2);
  u8* ev = s + kSccbHeader;
  u8* data = ev + kEvbufHeader;
  usize n = 0;
  for (usize i = 0; i < len; ++i) data[n++] = static_cast<u8>(text[i]);
  data[n++] = '\r';
  data[n++] = '\n';
  be::store16(ev, static_cast<u16>(kEvbufHeader + n));
  ev[2] = sclp::kEventAsciiConsole;
  be::store16(s, static_cast<u16>(kSccbHeader + kEvbufHeader + n));
  sclp::call(sclp::kCmdWriteEventData);
}

// Line-mode message: event buffer, message-data block header, general object
// (all zero but length/type), one message-text object with the EBCDIC line.
void send_linemode_line(const char* text, usize len) {
  constexpr u32 kMdbHeader = 12;
  constexpr u32 kGo = 56;
  constexpr u32 kMtoHeader = 12;
  if (len == 0) {  // an empty MTO may be dropped: send one blank
    text = " ";
    len = 1;
  }
  u32 mto_len = kMtoHeader + static_cast<u32>(len);
  u32 mdb_len = kMdbHeader + kGo + mto_len;
  u32 ev_len = kEvbufHeader + mdb_len;
  u8* s = sclp::sccb();
  memset(s, 0, kSccbHeader + ev_len);
  be::store16(s, static_cast<u16>(kSccbHeader + ev_len));
  u8* ev = s + kSccbHeader;
  be::store16(ev, static_cast<u16>(ev_len));
  ev[2] = sclp::kEventMessage;
  u8* mdb = ev + kEvbufHeader;
  be::store16(mdb, static_cast<u16>(mdb_len));
  be::store16(mdb + 2, 1);           // MDB type
  be::store32(mdb + 4, 0xd4c4c240);  // "MDB " in EBCDIC
  be::store32(mdb + 8, 1);           // revision
  u8* go = mdb + kMdbHeader;
  be::store16(go, kGo);
  be::store16(go + 2, 1);  // general object
  u8* mto = go + kGo;
  be::store16(mto, static_cast<u16>(mto_len));
  be::store16(mto + 2, 4);       // message-text object
  be::store16(mto + 4, 0x1000);  // line type: end of text
  for (usize i = 0; i < len; ++i) mto[kMtoHeader + i] = to_ebcdic(text[i]);
  sclp::call(sclp::kCmdWriteEventData);
}

void send_line(const char* text, usize len) {
  if (g_kind == ConsoleKind::kAscii)
    send_ascii_line(text, len);
  else if (g_kind == ConsoleKind::kLineMode)
    send_linemode_line(text, len);
}

void flush_line() {
  send_line(g_line, g_line_len);
  g_line_len = 0;
}

}  // namespace

ConsoleKind console_init() {
  if (g_initialised) return g_kind;
  g_initialised = true;
  u32 ascii = sclp::event_mask_bit(sclp::kEventAsciiConsole);
  u32 msg = sclp::event_mask_bit(sclp::kEventMessage);
  // Offer both; the SCLP answers with what it can receive.
  u32 accepted = sclp::write_event_mask(ascii | msg);
  g_sclp_receive_mask = accepted;
  if (accepted & ascii) {
    g_kind = ConsoleKind::kAscii;
  } else if (accepted & msg) {
    g_kind = ConsoleKind::kLineMode;
  }
  // Register only the chosen type, so that the SCLP does not expect the other.
  if (g_kind == ConsoleKind::kAscii) sclp::write_event_mask(ascii);
  if (g_kind == ConsoleKind::kLineMode) sclp::write_event_mask(msg);
  return g_kind;
}

ConsoleKind console_kind() { return g_kind; }
u32 console_sclp_receive_mask() { return g_sclp_receive_mask; }

void console_write(const char* text, usize len) {
  if (!g_initialised) console_init();
  for (usize i = 0; i < len; ++i) {
    char c = text[i];
    if (c == '\n') {
      flush_line();
    } else if (c != '\r') {
      if (g_line_len == kLineMax) flush_line();
      g_line[g_line_len++] = c;
    }
  }
}

void console_write_raw(const char* bytes, usize len) {
  if (!g_initialised) console_init();
  if (g_kind != ConsoleKind::kAscii) return;
  if (g_line_len > 0) flush_line();
  // One event per piece; a piece stays well inside the 4 KiB SCCB.
  constexpr usize kPiece = 1024;
  while (len > 0) {
    const usize n = len < kPiece ? len : kPiece;
    u8* s = sclp::sccb();
    memset(s, 0, kSccbHeader + kEvbufHeader + n);
    u8* ev = s + kSccbHeader;
    for (usize i = 0; i < n; ++i) ev[kEvbufHeader + i] = static_cast<u8>(bytes[i]);
    be::store16(ev, static_cast<u16>(kEvbufHeader + n));
    ev[2] = sclp::kEventAsciiConsole;
    be::store16(s, static_cast<u16>(kSccbHeader + kEvbufHeader + n));
    sclp::call(sclp::kCmdWriteEventData);
    bytes += n;
    len -= n;
  }
}

void console_flush() {
  if (g_line_len > 0) flush_line();
}

void console_quiesce() {
  console_flush();
  if (g_kind != ConsoleKind::kNone) sclp::write_event_mask(0);
  g_initialised = false;
  g_kind = ConsoleKind::kNone;
}

void log_printf(const char* fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vformat(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  usize len = static_cast<usize>(n) < sizeof buf ? static_cast<usize>(n) : sizeof buf - 1;
  console_write(buf, len);
}

}  // namespace ccwboot
