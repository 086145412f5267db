// pxelinux.cfg parsing, see ccwboot/net/pxelinux.h.
#include "ccwboot/net/pxelinux.h"

#include "ccwboot/text.h"

namespace ccwboot::net {
namespace {

bool keyword(const char* p, u32 len, const char* kw) {
  u32 i = 0;
  for (; kw[i]; ++i)
    if (i >= len || text::to_lower(p[i]) != kw[i]) return false;
  return i == len;
}

bool same_text(const char* text, TextSpan a, TextSpan b) {
  if (a.length != b.length) return false;
  for (u32 i = 0; i < a.length; ++i)
    if (text[a.offset + i] != text[b.offset + i]) return false;
  return true;
}

}  // namespace

bool is_pxelinux_cfg(const u8* t, u32 len) {
  static const char kMagic[] = "# pxelinux";
  if (len < sizeof kMagic - 1) return false;
  for (u32 i = 0; i + 1 < sizeof kMagic; ++i)
    if (text::to_lower(static_cast<char>(t[i])) != kMagic[i]) return false;
  return true;
}

bool parse_pxelinux(const char* t, u32 len, PxeConfig* out) {
  *out = PxeConfig{};
  if (len > kPxeMaxText) len = kPxeMaxText;
  TextSpan default_label;
  bool skipping = false;  // inside a label beyond the limit
  for (u32 i = 0; i < len;) {
    const u32 end = text::line_end(t, i, len);
    const u32 k = text::skip_blanks(t, i, end);
    const u32 kend = text::word_end(t, k, end);
    const u32 a = text::skip_blanks(t, kend, end);
    u32 aend = end;
    while (aend > a && text::is_blank(t[aend - 1])) --aend;
    const TextSpan arg{static_cast<u16>(a), static_cast<u16>(aend - a)};
    const char* kw = t + k;
    const u32 kwlen = kend - k;
    PxeEntry* cur = out->count && !skipping ? &out->entries[out->count - 1] : nullptr;
    if (kwlen == 0 || t[k] == '#') {
      // empty line or comment
    } else if (keyword(kw, kwlen, "default")) {
      default_label = arg;
    } else if (keyword(kw, kwlen, "label")) {
      skipping = out->count == kPxeMaxEntries;
      if (skipping)
        ++out->ignored_lines;
      else
        out->entries[out->count++].label = arg;
    } else if (cur && (keyword(kw, kwlen, "kernel") || keyword(kw, kwlen, "linux"))) {
      cur->kernel = arg;
    } else if (cur && keyword(kw, kwlen, "initrd")) {
      cur->initrd = arg;
    } else if (cur && keyword(kw, kwlen, "append")) {
      cur->append = arg;
    } else {
      ++out->ignored_lines;
    }
    i = end + 1;
    if (end < len && t[end] == 0) break;  // text ends at a NUL
  }
  for (u32 e = 0; e < out->count; ++e)
    if (default_label.length && same_text(t, out->entries[e].label, default_label)) {
      out->default_entry = e + 1;
      break;
    }
  for (u32 e = 0; e < out->count; ++e)
    if (out->entries[e].kernel.length) return true;
  return false;
}

void span_copy(const char* text, TextSpan s, char* out, u32 cap) {
  u32 n = 0;
  for (; n < s.length && n + 1 < cap; ++n) out[n] = text[s.offset + n];
  out[n] = 0;
}

void pxe_menu(const char* text, const PxeConfig& cfg, zipl::BootMenu* menu) {
  *menu = zipl::BootMenu{};
  menu->has_names = true;
  menu->highest_entry = cfg.count;
  menu->default_entry = cfg.default_entry ? cfg.default_entry : 1;
  for (u32 e = 0; e < cfg.count; ++e) {
    menu->entries[e + 1].present = true;
    span_copy(text, cfg.entries[e].label, menu->entries[e + 1].name, zipl::kMaxNameLength + 1);
  }
  if (cfg.count) {
    menu->entries[0].present = true;
    span_copy(text, cfg.entries[menu->default_entry - 1].label, menu->entries[0].name,
              zipl::kMaxNameLength + 1);
  }
}

}  // namespace ccwboot::net
