// Boot entry selection, see ccwboot/boot/boot_select.h.
#include "ccwboot/boot/boot_select.h"

#include "ccwboot/text.h"

namespace ccwboot::virtio {
namespace {

constexpr u32 kLoadparmLength = 8;

bool is_padding(char c) { return c == ' ' || c == '\0'; }

// Length without trailing padding; leading blanks are kept (they make the value invalid).
u32 trimmed_length(const char* s, u32 max) {
  u32 n = 0;
  while (n < max && s[n] != '\0') ++n;
  while (n > 0 && is_padding(s[n - 1])) --n;
  return n;
}

bool equals(const char* s, u32 n, const char* word) {
  u32 i = 0;
  for (; i < n; ++i) {
    if (word[i] == '\0' || word[i] != s[i]) return false;
  }
  return word[i] == '\0';
}

bool entry_present(const zipl::BootMenu& menu, u32 entry) {
  return entry < zipl::kMaxEntries && menu.entries[entry].present;
}

}  // namespace

Selection select_boot_entry(const char* loadparm, const MenuRequest& request,
                            const zipl::BootMenu& menu) {
  Selection s{};
  const u32 n = trimmed_length(loadparm, kLoadparmLength);
  if (n != 0) {
    if (equals(loadparm, n, "PROMPT")) {
      s.show_menu = true;
      s.reason = "loadparm PROMPT";
      return s;
    }
    // Leading digits name the entry; like QEMU's bios, anything after them is
    // ignored, and a loadparm without leading digits selects the default.
    u32 digits = 0;
    while (digits < n && text::is_digit(loadparm[digits])) ++digits;
    u32 entry = 0;
    // zipl's site selector S<d> (after the entry number, or alone) is for the
    // loaded system's environment block, never an entry.
    if (digits + 2 == n && loadparm[digits] == 'S' && text::is_digit(loadparm[digits + 1])) {
      s.site = loadparm[digits + 1] - '0';
    }
    if (digits == 0 && s.site >= 0) {
      s.reason = "default entry (the loadparm names only a zipl site)";
      return s;
    }
    if (digits == 0) {
      s.ignored_loadparm = true;
      s.reason = "loadparm is not an entry number or PROMPT; default entry";
      return s;
    }
    zipl::parse_entry_number(loadparm, digits, &entry);
    if (!entry_present(menu, entry)) {
      s.error = WaitCode::kLoadparmNoSuchEntry;
      s.entry = entry;
      s.reason = "loadparm names an entry the disk does not have";
      return s;
    }
    s.entry = entry;
    s.reason = "loadparm";
    return s;
  }
  if (request.flags & qipl_flag::kMenuFromCommandLine) {
    s.show_menu = true;
    s.menu_timeout_ms = request.timeout_ms;
    s.reason = "-boot menu=on";
    return s;
  }
  if ((request.flags & qipl_flag::kMenuFromZipl) && menu.prompt) {
    s.show_menu = true;
    s.menu_timeout_ms = menu.timeout_seconds * 1000;
    s.reason = "the disk's zipl menu";
    return s;
  }
  s.reason = "default entry";
  return s;
}

}  // namespace ccwboot::virtio
