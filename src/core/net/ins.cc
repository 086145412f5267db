// .INS load lists, see ccwboot/net/ins.h.
#include "ccwboot/net/ins.h"

#include "ccwboot/text.h"

namespace ccwboot::net {
namespace {

int digit(char c, u32 base) {
  int d = -1;
  if (c >= '0' && c <= '9')
    d = c - '0';
  else if (c >= 'a' && c <= 'f')
    d = c - 'a' + 10;
  else if (c >= 'A' && c <= 'F')
    d = c - 'A' + 10;
  return d >= 0 && static_cast<u32>(d) < base ? d : -1;
}

bool parse_address(const char* p, u32 len, u64* out) {
  u32 base = 10;
  if (len > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) base = 16, p += 2, len -= 2;
  if (len == 0 || len > 16) return false;
  u64 v = 0;
  for (u32 i = 0; i < len; ++i) {
    int d = digit(p[i], base);
    if (d < 0) return false;
    v = v * base + static_cast<u32>(d);
    if (v >= (u64{1} << 40)) return false;
  }
  *out = v;
  return true;
}

}  // namespace

bool is_ins_file(const u8* t, u32 len) { return len >= 2 && t[0] == '*' && t[1] == ' '; }

bool parse_ins(const char* t, u32 len, InsList* out, u32* bad_line) {
  *out = InsList{};
  *bad_line = 0;
  if (len > kInsMaxText) len = kInsMaxText;
  u32 line = 0;
  for (u32 i = 0; i < len;) {
    const u32 end = text::line_end(t, i, len);
    ++line;
    const u32 f = text::skip_blanks(t, i, end);
    const u32 fend = text::word_end(t, f, end);
    const u32 a = text::skip_blanks(t, fend, end);
    const u32 aend = text::word_end(t, a, end);
    const u32 rest = text::skip_blanks(t, aend, end);
    if (line == 1 && t[i] == '*') {
      out->title = {static_cast<u16>(i + 2 < end ? i + 2 : end),
                    static_cast<u16>(end > i + 2 ? end - i - 2 : 0)};
    } else if (f == end || t[f] == '*') {
      // empty line or comment
    } else {
      InsEntry e;
      e.file = {static_cast<u16>(f), static_cast<u16>(fend - f)};
      if (a == aend || rest != end || out->count == kInsMaxEntries ||
          !parse_address(t + a, aend - a, &e.address)) {
        *bad_line = line;
        return false;
      }
      out->entries[out->count++] = e;
    }
    i = end + 1;
    if (end < len && t[end] == 0) break;
  }
  if (out->count == 0) *bad_line = line ? line : 1;  // no files (an empty text is line 1)
  return out->count != 0;
}

}  // namespace ccwboot::net
