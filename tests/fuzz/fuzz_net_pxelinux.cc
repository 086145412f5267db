// Fuzz target: the text files a TFTP server hands to the network boot —
// pxelinux.cfg (parse_pxelinux, pxe_menu, entry selection) and .INS load
// lists (parse_ins) — on arbitrary bytes.
//
// Invariants (abort on violation):
//  - no read outside [data, data+size) (ASan);
//  - at most kPxeMaxEntries labels; every span (label, kernel, initrd,
//    append) lies inside the first min(size, kPxeMaxText) bytes;
//  - the default entry is 0 or a label number; the menu lists exactly the
//    labels, names NUL-terminated, entry 0 present iff there are labels;
//  - a loadparm selects an existing entry or fails with kLoadparmNoSuchEntry;
//  - .INS: at most kInsMaxEntries files, spans inside the text, addresses
//    below 2^40, and a failure names a line.
#include <cstdint>
#include <cstring>

#include "ccwboot/net/ins.h"
#include "ccwboot/net/pxelinux.h"
#include "ccwboot/boot/boot_select.h"
#include "fuzz_check.h"

using namespace ccwboot;
using namespace ccwboot::net;

namespace {

void check_span(TextSpan s, u32 len, const char* what) {
  FUZZ_CHECK(u32{s.offset} + s.length <= len, "%s span %u+%u beyond %u bytes", what, s.offset,
             s.length, len);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* text = reinterpret_cast<const char*>(data);
  const u32 len = size > 65536 ? 65536 : static_cast<u32>(size);
  static PxeConfig cfg;
  const bool ok = parse_pxelinux(text, len, &cfg);
  const u32 used = len < kPxeMaxText ? len : kPxeMaxText;
  FUZZ_CHECK(cfg.count <= kPxeMaxEntries, "%u labels", cfg.count);
  FUZZ_CHECK(cfg.default_entry <= cfg.count, "default %u of %u", cfg.default_entry, cfg.count);
  bool any_kernel = false;
  for (u32 e = 0; e < cfg.count; ++e) {
    check_span(cfg.entries[e].label, used, "label");
    check_span(cfg.entries[e].kernel, used, "kernel");
    check_span(cfg.entries[e].initrd, used, "initrd");
    check_span(cfg.entries[e].append, used, "append");
    any_kernel |= cfg.entries[e].kernel.length != 0;
  }
  FUZZ_CHECK(ok == any_kernel, "parse result %d with kernel present %d", ok, any_kernel);
  static zipl::BootMenu menu;
  pxe_menu(text, cfg, &menu);
  FUZZ_CHECK(menu.highest_entry == cfg.count, "menu lists %u of %u", menu.highest_entry, cfg.count);
  FUZZ_CHECK(menu.entries[0].present == (cfg.count != 0), "default entry presence");
  for (u32 e = 0; e < zipl::kMaxEntries; ++e) {
    FUZZ_CHECK(std::memchr(menu.entries[e].name, 0, sizeof menu.entries[e].name) != nullptr,
               "name %u not terminated", e);
    FUZZ_CHECK(menu.entries[e].present == (e == 0 ? cfg.count != 0 : e <= cfg.count),
               "entry %u presence", e);
  }
  if (cfg.count) {
    static const char* const kLoadparms[] = {"        ", "1       ", "30      ", "PROMPT  "};
    for (const char* lp : kLoadparms) {
      virtio::Selection s = virtio::select_boot_entry(lp, {}, menu);
      FUZZ_CHECK(s.error == WaitCode::kNone ? s.entry <= cfg.count
                                            : s.error == WaitCode::kLoadparmNoSuchEntry,
                 "loadparm %s: entry %u error %u", lp, s.entry, static_cast<unsigned>(s.error));
    }
  }

  static InsList ins;
  u32 bad = 0;
  const bool ins_ok = parse_ins(text, len, &ins, &bad);
  const u32 ins_used = len < kInsMaxText ? len : kInsMaxText;
  FUZZ_CHECK(ins.count <= kInsMaxEntries, "%u .INS files", ins.count);
  FUZZ_CHECK(ins_ok ? ins.count > 0 && bad == 0 : bad > 0, ".INS result %d, bad line %u", ins_ok,
             bad);
  check_span(ins.title, ins_used, ".INS title");
  for (u32 i = 0; i < ins.count; ++i) {
    check_span(ins.entries[i].file, ins_used, ".INS file");
    FUZZ_CHECK(ins.entries[i].file.length > 0, "empty .INS file name");
    FUZZ_CHECK(ins.entries[i].address < (u64{1} << 40), ".INS address %llx",
               static_cast<unsigned long long>(ins.entries[i].address));
  }
  return 0;
}
