// printf-style formatting into a bounded buffer (see ccwboot/format.h).
#include "ccwboot/format.h"

namespace ccwboot {
namespace {

// Output cursor that counts everything but stores only what fits.
struct Sink {
  char* buf;
  usize size;
  usize len = 0;

  void put(char c) {
    if (len + 1 < size) buf[len] = c;
    ++len;
  }
  void pad(char c, int n) {
    while (n-- > 0) put(c);
  }
};

struct Spec {
  bool left = false;
  bool zero = false;
  bool alt = false;
  int width = 0;
  int precision = -1;
};

void put_string(Sink& out, const Spec& spec, const char* s) {
  if (s == nullptr) s = "(null)";
  int n = 0;
  while (s[n] != '\0' && (spec.precision < 0 || n < spec.precision)) ++n;
  if (!spec.left) out.pad(' ', spec.width - n);
  for (int i = 0; i < n; ++i) out.put(s[i]);
  if (spec.left) out.pad(' ', spec.width - n);
}

void put_number(Sink& out, const Spec& spec, u64 value, unsigned base, bool upper, bool negative) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[24];
  int n = 0;
  const bool is_zero = value == 0;
  // C prints no digits for a zero value with precision 0.
  while (value != 0 || (n == 0 && spec.precision != 0)) {
    tmp[n++] = digits[value % base];
    value /= base;
  }
  // Precision zeros are emitted, not buffered, so any precision is honoured.
  int zeros = spec.precision > n ? spec.precision - n : 0;

  const char* prefix = negative ? "-" : "";
  if (spec.alt && base == 16 && !is_zero) prefix = upper ? "0X" : "0x";
  // '#' with octal guarantees one leading zero, wherever it comes from.
  if (spec.alt && base == 8 && zeros == 0 && (n == 0 || tmp[n - 1] != '0')) prefix = "0";
  int prefix_len = 0;
  while (prefix[prefix_len] != '\0') ++prefix_len;

  int padding = spec.width - n - zeros - prefix_len;
  bool zero_pad = spec.zero && !spec.left && spec.precision < 0;
  if (!spec.left && !zero_pad) out.pad(' ', padding);
  for (int i = 0; i < prefix_len; ++i) out.put(prefix[i]);
  if (zero_pad) out.pad('0', padding);
  out.pad('0', zeros);
  while (n > 0) out.put(tmp[--n]);
  if (spec.left) out.pad(' ', padding);
}

}  // namespace

int vformat(char* buf, usize size, const char* fmt, va_list ap) {
  Sink out{buf, size};
  for (const char* p = fmt; *p != '\0'; ++p) {
    if (*p != '%') {
      out.put(*p);
      continue;
    }
    Spec spec;
    for (++p;; ++p) {
      if (*p == '-')
        spec.left = true;
      else if (*p == '0')
        spec.zero = true;
      else if (*p == '#')
        spec.alt = true;
      else
        break;
    }
    if (*p == '*') {
      spec.width = va_arg(ap, int);
      if (spec.width < 0) {
        spec.left = true;
        spec.width = -spec.width;
      }
      ++p;
    } else {
      while (*p >= '0' && *p <= '9') spec.width = spec.width * 10 + (*p++ - '0');
    }
    if (*p == '.') {
      ++p;
      spec.precision = 0;
      if (*p == '*') {
        spec.precision = va_arg(ap, int);
        ++p;
      } else {
        while (*p >= '0' && *p <= '9') spec.precision = spec.precision * 10 + (*p++ - '0');
      }
    }
    int longs = 0;  // -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t
    for (;; ++p) {
      if (*p == 'l')
        ++longs;
      else if (*p == 'z')
        longs = 2;
      else if (*p == 'h')
        --longs;
      else
        break;
    }
    auto get_unsigned = [&]() -> u64 {
      if (longs >= 2) return va_arg(ap, unsigned long long);
      if (longs == 1) return va_arg(ap, unsigned long);
      unsigned v = va_arg(ap, unsigned);
      if (longs == -1) return static_cast<unsigned short>(v);
      if (longs <= -2) return static_cast<unsigned char>(v);
      return v;
    };
    switch (*p) {
      case 'd':
      case 'i': {
        i64 v;
        // va_arg must name the type that was passed: long long and long
        // differ even where both are 64 bits (tidy sees clones).
        // NOLINTBEGIN(bugprone-branch-clone)
        if (longs >= 2)
          v = va_arg(ap, long long);
        else if (longs == 1)
          v = va_arg(ap, long);
        else
          v = va_arg(ap, int);
        // NOLINTEND(bugprone-branch-clone)
        if (longs == -1) v = static_cast<short>(v);
        // %hhd prints the argument converted to signed char, as printf does.
        if (longs <= -2) v = static_cast<signed char>(v);  // NOLINT(bugprone-signed-char-misuse)
        u64 mag = v < 0 ? 0 - static_cast<u64>(v) : static_cast<u64>(v);
        put_number(out, spec, mag, 10, false, v < 0);
        break;
      }
      case 'u': put_number(out, spec, get_unsigned(), 10, false, false); break;
      case 'x': put_number(out, spec, get_unsigned(), 16, false, false); break;
      case 'X': put_number(out, spec, get_unsigned(), 16, true, false); break;
      case 'o': put_number(out, spec, get_unsigned(), 8, false, false); break;
      case 'p': {
        spec.alt = true;
        put_number(out, spec, reinterpret_cast<u64>(va_arg(ap, void*)), 16, false, false);
        break;
      }
      case 'c': {
        char c[2] = {static_cast<char>(va_arg(ap, int)), '\0'};
        Spec s = spec;
        s.precision = 1;
        put_string(out, s, c);
        break;
      }
      case 's': put_string(out, spec, va_arg(ap, const char*)); break;
      case '%': out.put('%'); break;
      case '\0': --p; break;  // lone '%' at the end: stop cleanly
      default:                // unknown conversion: show it as written
        out.put('%');
        out.put(*p);
        break;
    }
  }
  if (size > 0) buf[out.len < size ? out.len : size - 1] = '\0';
  return static_cast<int>(out.len);
}

int format(char* buf, usize size, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vformat(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

}  // namespace ccwboot
