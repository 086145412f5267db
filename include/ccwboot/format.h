// A small printf-style formatter for freestanding code.
// Conversions: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '#',
// width and precision (also '*'), length modifiers h hh l ll z.
#pragma once

#include <stdarg.h>

#include "ccwboot/types.h"

namespace ccwboot {

// Writes at most size-1 characters and a terminating NUL (when size > 0).
// Returns the number of characters the full output would have had.
int vformat(char* buf, usize size, const char* fmt, va_list ap);
int format(char* buf, usize size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

}  // namespace ccwboot
