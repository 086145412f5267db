// Boot entry selection, see ccwboot/boot/boot_select.h.
#include "ccwboot/boot/boot_select.h"

#include "ccwboot/log.h"

namespace ccwboot::virtio {
namespace {

constexpr u32 kLoadparmLength = 8;

bool is_blank(char c) { return c == ' ' || c == '\0'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length without trailing padding; leading blanks are kept (they make the value invalid).
u32 trimmed_length(const char* s, u32 max) {
  u32 n = 0;
  while (n < max && s[n] != '\0') ++n;
  while (n > 0 && is_blank(s[n - 1])) --n;
  return n;
}

bool equals(const char* s, u32 n, const char* word) {
  u32 i = 0;
  for (; i < n; ++i) {
    if (word[i] == '\0' || word[i] != s[i]) return false;
  }
  return word[i] == '\0';
}

// Digits only, value below kMaxEntries (larger numbers cannot be entries).
bool parse_entry_number(const char* s, u32 n, u32* out) {
  if (n == 0) return false;
  u32 v = 0;
  for (u32 i = 0; i < n; ++i) {
    if (!is_digit(s[i])) return false;
    v = v * 10 + static_cast<u32>(s[i] - '0');
    if (v >= 1000) v = 1000;  // saturate; anything this large is no entry
  }
  *out = v;
  return true;
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
    while (digits < n && is_digit(loadparm[digits])) ++digits;
    u32 entry = 0;
    // zipl's site selector S<d> (after the entry number, or alone) is for the
    // loaded system's environment block, never an entry.
    if (digits + 2 == n && loadparm[digits] == 'S' && is_digit(loadparm[digits + 1])) {
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
    parse_entry_number(loadparm, digits, &entry);
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

void print_boot_menu(const zipl::BootMenu& menu) {
  log_printf("ccwboot boot menu (%s):\n", zipl::scheme_label(menu.scheme));
  for (u32 i = 1; i < zipl::kMaxEntries; ++i) {
    const zipl::BootEntry& e = menu.entries[i];
    if (!e.present) continue;
    if (e.name[0] != '\0') {
      log_printf("  %2u  %s\n", i, e.name);
    } else {
      log_printf("  %2u  (entry %u, the disk has no names)\n", i, i);
    }
  }
  if (menu.default_entry != 0) {
    log_printf("   0  default (entry %u)\n", menu.default_entry);
  } else {
    log_printf("   0  default\n");
  }
}

bool parse_menu_choice(const char* text, u32 len, const zipl::BootMenu& menu, u32* entry) {
  u32 start = 0;
  while (start < len && (is_blank(text[start]) || text[start] == '\n' || text[start] == '\r')) {
    ++start;
  }
  u32 end = len;
  while (end > start &&
         (is_blank(text[end - 1]) || text[end - 1] == '\n' || text[end - 1] == '\r')) {
    --end;
  }
  if (end == start) {
    *entry = 0;
    return entry_present(menu, 0);
  }
  u32 v = 0;
  if (!parse_entry_number(text + start, end - start, &v) || !entry_present(menu, v)) return false;
  *entry = v;
  return true;
}

}  // namespace ccwboot::virtio
