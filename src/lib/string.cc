// The few C library routines the compiler and ccwboot expect in a freestanding
// image (GCC may emit calls to memcpy/memset/memmove/memcmp on its own).
// memcpy and memset are the platform's (src/platform/s390x/mem_long.cc).
#include "ccwboot/mem.h"

using ccwboot::u8;
using ccwboot::usize;

extern "C" {

void* memmove(void* dst, const void* src, usize n) {
  auto* d = static_cast<u8*>(dst);
  const auto* s = static_cast<const u8*>(src);
  if (d < s) {
    while (n-- > 0) *d++ = *s++;
  } else {
    while (n-- > 0) d[n] = s[n];
  }
  return dst;
}

int memcmp(const void* a, const void* b, usize n) {
  const auto* x = static_cast<const u8*>(a);
  const auto* y = static_cast<const u8*>(b);
  for (; n > 0; --n, ++x, ++y) {
    if (*x != *y) return *x < *y ? -1 : 1;
  }
  return 0;
}

usize strlen(const char* s) {
  usize n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

int strcmp(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return static_cast<u8>(*a) - static_cast<u8>(*b);
}

int strncmp(const char* a, const char* b, usize n) {
  for (; n > 0; --n, ++a, ++b) {
    if (*a != *b || *a == '\0') return static_cast<u8>(*a) - static_cast<u8>(*b);
  }
  return 0;
}

}  // extern "C"
