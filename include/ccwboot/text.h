// Character classes and word scanning for the small text formats ccwboot
// reads (pxelinux.cfg, .INS lists, loadparms, zipl menus). ASCII only: EBCDIC
// text is converted before it gets here.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::text {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
constexpr char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Index of the end of the line starting at `i`: its '\n' or NUL, or `len`.
constexpr u32 line_end(const char* t, u32 i, u32 len) {
  while (i < len && t[i] != '\n' && t[i] != 0) ++i;
  return i;
}

// First index at or after `i` (before `end`) that is not blank.
constexpr u32 skip_blanks(const char* t, u32 i, u32 end) {
  while (i < end && is_blank(t[i])) ++i;
  return i;
}

// First index at or after `i` (before `end`) that is blank: the end of a word.
constexpr u32 word_end(const char* t, u32 i, u32 end) {
  while (i < end && !is_blank(t[i])) ++i;
  return i;
}

}  // namespace ccwboot::text
