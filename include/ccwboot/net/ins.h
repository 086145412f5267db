// .INS load lists (as on s390x install media, e.g. Debian's generic.ins):
// a first line starting with "* " (a title), then one "FILE ADDRESS" per line,
// the address in hex with 0x or in decimal; empty lines and further '*' lines
// are skipped. Each file is loaded at its address, in order. Portable, bounded.
#pragma once

#include "ccwboot/net/pxelinux.h"

namespace ccwboot::net {

inline constexpr u32 kInsMaxEntries = 16;
inline constexpr u32 kInsMaxText = 4096;

struct InsEntry {
  TextSpan file;
  u64 address = 0;
};

struct InsList {
  InsEntry entries[kInsMaxEntries];
  u32 count = 0;
  TextSpan title;
};

bool is_ins_file(const u8* text, u32 len);

// False (with `bad_line` = 1-based line number) for a line without a file and
// an address, an address that is not a number below 2^40, or more than
// kInsMaxEntries files; also false for a list without files.
bool parse_ins(const char* text, u32 len, InsList* out, u32* bad_line);

}  // namespace ccwboot::net
