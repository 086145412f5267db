#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "ccwboot/format.h"

namespace ccwboot {
namespace {

template <typename... Args>
std::string fmt(const char* f, Args... args) {
  char buf[128];
  format(buf, sizeof buf, f, args...);
  return buf;
}

// Our formatter must agree with the host C library on everything it accepts.
template <typename... Args>
void expect_like_libc(const char* f, Args... args) {
  char want[128];
  std::snprintf(want, sizeof want, f, args...);
  EXPECT_EQ(fmt(f, args...), std::string(want)) << "format \"" << f << "\"";
}

TEST(Format, MatchesLibc) {
  expect_like_libc("plain text");
  expect_like_libc("%d %i %u", -42, 17, 4000000000u);
  expect_like_libc("%x %X %#x %08x %-6x|", 0xbeefu, 0xbeefu, 0x1fu, 0xabcu, 0x12u);
  expect_like_libc("%04x.%x.%04x", 0u, 1u, 0x5u);
  expect_like_libc("%s|%8s|%-8s|%.3s", "abc", "right", "left", "truncate");
  expect_like_libc("%c%c%%", 'o', 'k');
  expect_like_libc("%lld %llx %lu %zu", -1234567890123LL, 0x0002000180000000ULL, 77UL, size_t{9});
  expect_like_libc("%016llx", 0xcb0102ULL);
  expect_like_libc("%hhx %hx", 0x1ff, 0x1ffff);
  expect_like_libc("%*d|%-*d|", 5, 3, 4, 2);
  expect_like_libc("%.5d %o %#o", 42, 8u, 8u);
  // Fuzz finding F2: precision wider than any number's digits.
  expect_like_libc("%*.102llo|", 26, 0ULL);
  expect_like_libc("%.40x|%-50.30d|", 0xabcu, -7);
  expect_like_libc("%.0d|%.0x|%#.0o|%#.3o|%5.0u|", 0, 0u, 0u, 8u, 0u);
  expect_like_libc("%#x|%#08x|%#X|", 0u, 0u, 0xabu);
}

TEST(Format, TruncatesAndCounts) {
  char buf[6];
  int n = format(buf, sizeof buf, "LOADPARM=[%s]", "ABC");
  EXPECT_EQ(n, 14);
  EXPECT_STREQ(buf, "LOADP");
  EXPECT_EQ(format(nullptr, 0, "%d", 12345), 5);
}

TEST(Format, NullStringIsSafe) {
  const char* volatile none = nullptr;
  EXPECT_EQ(fmt("%s", none), "(null)");
}

}  // namespace
}  // namespace ccwboot
