// pxelinux.cfg files (the subset QEMU's bios reads): `default LABEL`,
// `label NAME`, `kernel FILE` (or `linux`), `initrd FILE`, `append ARGS`.
// Keywords are case-insensitive, '#' starts a comment line, other keywords
// (timeout, prompt, menu ...) are ignored. Portable, bounded: the text is at
// most kPxeMaxText bytes, at most kPxeMaxEntries labels; entries point into
// the text, nothing is copied.
#pragma once

#include "ccwboot/types.h"
#include "ccwboot/zipl/boot_map.h"

namespace ccwboot::net {

inline constexpr u32 kPxeMaxText = 8192;
inline constexpr u32 kPxeMaxEntries = zipl::kMaxEntries - 1;  // numbered 1..30 like zipl's

struct TextSpan {
  u16 offset = 0;
  u16 length = 0;
};

struct PxeEntry {
  TextSpan label, kernel, initrd, append;
};

struct PxeConfig {
  PxeEntry entries[kPxeMaxEntries];
  u32 count = 0;
  u32 default_entry = 0;  // 1-based; 0 when `default` names no label (then entry 1)
  u32 ignored_lines = 0;  // labels beyond the limit, unknown keywords
};

// True if `text` starts with "# pxelinux" (any case), as QEMU's bios checks.
bool is_pxelinux_cfg(const u8* text, u32 len);

// Parses `len` bytes (cut at kPxeMaxText). Returns false if no label has a kernel.
bool parse_pxelinux(const char* text, u32 len, PxeConfig* out);

// Copies a span as a NUL-terminated string (cut to cap-1).
void span_copy(const char* text, TextSpan s, char* out, u32 cap);

// The entries as a boot menu (names = labels, entry 0 = the default), so the
// same loadparm and menu rules pick one as on a disk.
void pxe_menu(const char* text, const PxeConfig& cfg, zipl::BootMenu* menu);

}  // namespace ccwboot::net
