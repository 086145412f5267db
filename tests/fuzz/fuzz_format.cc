// Fuzz target: ccwboot's printf-style formatter (src/lib/format.cc).
//
// The input is decoded into one conversion with its flags, width, precision,
// length modifier and argument, written between literal text, and formatted
// into a buffer of fuzzer-chosen size. Only format strings ccwboot's own code
// could write are built (no argument may be missing), so every crash is a
// formatter bug, not a misuse.
//
// Invariants (abort on violation):
//  - no out-of-bounds access (ASan), no undefined behaviour (UBSan);
//  - the return value is the length of the untruncated output, and a small
//    buffer receives exactly its prefix, NUL terminated; size 0 writes nothing;
//  - for the conversions ccwboot promises to format like C (d i u x X o s c
//    with '-', '0', width, precision, h/hh/l/ll/z) the output equals the host
//    C library's snprintf, except where format.h documents a difference.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ccwboot/format.h"
#include "fuzz_check.h"

using namespace ccwboot;

namespace {

struct Reader {
  const uint8_t* p;
  size_t n;
  uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  uint64_t u64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | byte();
    return v;
  }
};

constexpr char kConversions[] = "diuxXocs%p";
const char* const kLengths[] = {"", "h", "hh", "l", "ll", "z"};

// Formats `fmt` with one argument of the type the conversion wants, with
// either our formatter or the C library's.
template <typename F>
int call(F&& f, char conv, int length, bool star_w, int w, bool star_p, int prec, uint64_t v,
         const char* s) {
  auto with_args = [&](auto arg) {
    if (star_w && star_p) return f(w, prec, arg);
    if (star_w) return f(w, arg);
    if (star_p) return f(prec, arg);
    return f(arg);
  };
  switch (conv) {
    case 's': return with_args(s);
    case 'p': return with_args(reinterpret_cast<void*>(static_cast<uintptr_t>(v)));
    case 'c': return with_args(static_cast<int>(static_cast<unsigned char>(v)));
    case '%': return with_args(0);  // unused argument, harmless for both
    default: break;
  }
  const bool is_signed = conv == 'd' || conv == 'i';
  switch (length) {
    case 3:
      return is_signed ? with_args(static_cast<long>(v)) : with_args(static_cast<unsigned long>(v));
    case 4:
    case 5:
      return is_signed ? with_args(static_cast<long long>(v))
                       : with_args(static_cast<unsigned long long>(v));
    default:
      return is_signed ? with_args(static_cast<int>(v)) : with_args(static_cast<unsigned>(v));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in{data, size};
  const char conv = kConversions[in.byte() % (sizeof kConversions - 1)];
  const uint8_t flags = in.byte();
  const bool left = flags & 1, zero = flags & 2, alt = flags & 4;
  const bool star_w = flags & 8, star_p = flags & 16, has_w = flags & 32, has_p = flags & 64;
  int w = static_cast<int8_t>(in.byte());     // '*' widths may be negative
  int prec = static_cast<int8_t>(in.byte());  // '*' precisions may be negative too
  const int length = in.byte() % 6;
  const uint64_t value = in.u64();
  const size_t bufsize = in.byte();
  // The rest: a string argument for %s (NUL stops it) and literal text.
  std::string rest(reinterpret_cast<const char*>(in.p), in.n);
  std::string arg = rest.substr(0, rest.find('\0'));
  std::string lit;
  for (char c : rest.substr(0, 16))
    if (c != '%' && c != '\0') lit += c;

  std::string fmt = lit + "%";
  if (conv == '%') {  // no flags: C leaves "%5%" undefined
    fmt += "%" + lit;
  } else {
    if (left) fmt += '-';
    if (zero) fmt += '0';
    if (alt) fmt += '#';
    if (star_w)
      fmt += '*';
    else if (has_w)
      fmt += std::to_string(w < 0 ? -w : w);
    if (star_p)
      fmt += ".*";
    else if (has_p)
      fmt += "." + std::to_string(prec < 0 ? -prec : prec);
    if (conv != 's' && conv != 'c' && conv != 'p' && conv != '%') fmt += kLengths[length];
    fmt += conv;
    fmt += lit;
  }

  auto ours = [&](char* buf, size_t n) {
    return [&, buf, n](auto... args) { return format(buf, n, fmt.c_str(), args...); };
  };
  // Room for the whole output: the %s argument is as long as the input, plus
  // at most a 127-column width or a number, and twice 16 bytes of literal text.
  std::vector<char> big(arg.size() + 1024);
  char small[256 + 1];
  std::memset(small, 0x5a, sizeof small);
  const int full =
      call(ours(big.data(), big.size()), conv, length, star_w, w, star_p, prec, value, arg.c_str());
  const int part =
      call(ours(small, bufsize), conv, length, star_w, w, star_p, prec, value, arg.c_str());

  FUZZ_CHECK(full >= 0 && full < static_cast<int>(big.size()), "length %d for \"%s\"", full,
             fmt.c_str());
  FUZZ_CHECK(static_cast<int>(std::strlen(big.data())) == full,
             "return %d but strlen %zu for \"%s\"", full, std::strlen(big.data()), fmt.c_str());
  FUZZ_CHECK(part == full, "return %d with size %zu, %d with a big buffer, \"%s\"", part, bufsize,
             full, fmt.c_str());
  if (bufsize == 0) {
    FUZZ_CHECK(static_cast<uint8_t>(small[0]) == 0x5a, "size 0 buffer written, \"%s\"",
               fmt.c_str());
  } else {
    const size_t kept = static_cast<size_t>(full) < bufsize ? full : bufsize - 1;
    FUZZ_CHECK(std::memcmp(small, big.data(), kept) == 0 && small[kept] == '\0',
               "size %zu: not the NUL-terminated prefix of the full output, \"%s\"", bufsize,
               fmt.c_str());
    FUZZ_CHECK(static_cast<uint8_t>(small[bufsize]) == 0x5a, "wrote past size %zu", bufsize);
  }

  // Differential check against C, on the documented common subset: no %p
  // (glibc spells NULL "(nil)"), no %c of NUL (ccwboot drops it), no '0' with
  // %s/%c (undefined in C). Precision above 24 digits and zero precision with a
  // zero value are compared too since finding F2 was fixed.
  const bool comparable = conv != 'p' && !(zero && (conv == 's' || conv == 'c')) &&
                          !(conv == 'c' && static_cast<uint8_t>(value) == 0);
  if (comparable) {
    std::vector<char> ref(big.size());
    auto libc = [&](auto... args) {
      return std::snprintf(ref.data(), ref.size(), fmt.c_str(), args...);
    };
    const int r = call(libc, conv, length, star_w, w, star_p, prec, value, arg.c_str());
    FUZZ_CHECK(r == full && std::strcmp(ref.data(), big.data()) == 0,
               "\"%s\" (value 0x%llx, w %d, prec %d): ours \"%s\" (%d), C \"%s\" (%d)", fmt.c_str(),
               static_cast<unsigned long long>(value), w, prec, big.data(), full, ref.data(), r);
  }
  return 0;
}
