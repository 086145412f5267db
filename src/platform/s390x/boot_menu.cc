// The boot menu's console side, see ccwboot/platform/boot_menu.h.
#include "ccwboot/platform/boot_menu.h"

#include "ccwboot/log.h"
#include "ccwboot/menu/kernel_cmdline.h"
#include "ccwboot/menu/line_editor.h"
#include "ccwboot/platform/console.h"
#include "cpu.h"

#define LOG_PREFIX "ccwboot: "

namespace ccwboot {
namespace {

constexpr u64 kPollIntervalMs = 10;
constexpr u64 kEscapePauseMs = 100;  // a lone ESC: nothing followed it for this long
constexpr int kMaxWrongAnswers = 16;

struct Terminal : menu::TermOutput {
  void write(const char* bytes, u32 len) override { console_write_raw(bytes, len); }
};

// Keys from the console, with what was read but not yet used kept for the
// next step (an answer and the edit keys may arrive in one SCLP event).
class Keyboard {
 public:
  bool pending() const { return key_pos_ < key_count_ || pos_ < len_; }

  // The next key; false when `deadline` (TOD, 0 = none) passes first.
  bool next(menu::Key* out, u64 deadline) {
    for (;;) {
      if (key_pos_ < key_count_) {
        *out = keys_[key_pos_++];
        return true;
      }
      if (pos_ < len_) {
        key_count_ = decoder_.feed(buf_[pos_++], keys_);
        key_pos_ = 0;
        continue;
      }
      const u64 now = cpu::stck();
      if (deadline != 0 && now >= deadline) return false;
      len_ = console_input_poll(buf_, sizeof buf_);
      pos_ = 0;
      if (len_ > 0) {
        last_input_ = now;
        continue;
      }
      if (now - last_input_ > cpu::tod_ms(kEscapePauseMs) && decoder_.idle(out)) return true;
      const u64 until = now + cpu::tod_ms(kPollIntervalMs);
      while (cpu::stck() < until) {
      }
    }
  }

 private:
  u8 buf_[4096];
  usize len_ = 0;
  usize pos_ = 0;
  menu::KeyDecoder decoder_;
  menu::Key keys_[2];
  u32 key_count_ = 0;
  u32 key_pos_ = 0;
  u64 last_input_ = 0;
};

Keyboard g_keyboard;
menu::LineEditor g_editor;  // the menu answer, then the parameter line
Terminal g_terminal;

void newline() { console_write_raw("\r\n", 2); }

void wait_ms(u64 ms) {
  const u64 until = cpu::stck() + cpu::tod_ms(ms);
  while (cpu::stck() < until) {
  }
}

}  // namespace

menu::Choice run_boot_menu(const menu::DeviceMenu& m, u32 timeout_ms) {
  menu::Choice def;
  def.kind = menu::Choice::Kind::kDefault;
  m.print();
  if (!console_input_begin()) {
    // No way to read an answer on this console: don't wait forever.
    const u32 t = timeout_ms != 0 ? timeout_ms : kMenuNoInputTimeoutMs;
    LOG("this console cannot read input; booting the default in %u s\n", (t + 999) / 1000);
    wait_ms(t);
    return def;
  }
  if (timeout_ms != 0) {
    log_printf("Please choose (default will boot in %u seconds; any key stops the countdown):\n",
               (timeout_ms + 999) / 1000);
  } else {
    log_printf("Please choose:\n");
  }
  log_printf(
      "  N or D.N and Enter boots that entry, e N edits its kernel parameters first,\n"
      "  Enter alone boots the default\n");
  u64 deadline = timeout_ms != 0 ? cpu::stck() + cpu::tod_ms(timeout_ms) : 0;
  int wrong = 0;
  g_editor.begin("", 0, menu::kMaxAnswer, "boot> ");
  for (;;) {
    if (!g_keyboard.pending()) g_editor.render(g_terminal);
    menu::Key k;
    if (!g_keyboard.next(&k, deadline)) {
      newline();
      LOG("no choice made, booting the default entry\n");
      return def;
    }
    deadline = 0;  // any key stops the countdown
    switch (g_editor.apply(k)) {
      case menu::LineEditor::Status::kEditing: continue;
      case menu::LineEditor::Status::kCancelled:
        g_editor.begin("", 0, menu::kMaxAnswer, "boot> ");
        continue;
      case menu::LineEditor::Status::kTooLong:
      case menu::LineEditor::Status::kAccepted: break;
    }
    g_editor.render(g_terminal);  // the whole answer on screen (and in logs)
    newline();
    const menu::Choice c = m.parse(g_editor.text(), g_editor.length());
    if (c.kind != menu::Choice::Kind::kInvalid) return c;
    LOG("no entry '%s': %s; please choose again\n", g_editor.text(),
        g_editor.length() > menu::kMaxAnswer ? "too long" : c.why);
    if (++wrong >= kMaxWrongAnswers) {
      LOG("%d wrong answers, booting the default entry\n", wrong);
      return def;
    }
    g_editor.begin("", 0, menu::kMaxAnswer, "boot> ");
  }
}

EditResult edit_kernel_parameters(GuestMemory& mem, u64 entry_address, u8 ssid, u16 devno,
                                  u32 entry) {
  EditResult r;
  menu::KernelCmdline k;
  r.why = menu::inspect_kernel_cmdline(mem, entry_address, &k);
  if (r.why != WaitCode::kNone) {
    LOG("entry %u cannot be edited: %s\n", entry, wait_code_info(r.why).message);
    return r;
  }
  static char current[menu::LineEditor::kCapacity + 1];
  u32 len = 0;
  r.why = menu::read_kernel_cmdline(mem, k, current, sizeof current, &len);
  if (r.why != WaitCode::kNone) return r;
  u32 limit = k.max_length();
  if (limit > menu::LineEditor::kCapacity) {
    LOG("the kernel takes %u bytes; the editor holds %u\n", limit, menu::LineEditor::kCapacity);
    limit = menu::LineEditor::kCapacity;
  }
  LOG("kernel parameters of 0.%x.%04x entry %u, at most %u bytes (%s).\n",
      static_cast<unsigned>(ssid), static_cast<unsigned>(devno), entry, limit,
      k.via_stage3         ? "zipl's stage 3 passes it on, 896 bytes"
      : k.size_from_header ? "the kernel's header at 0x10430"
                           : "legacy kernel, 896 bytes");
  log_printf("  Left/Right/Home/End move, Backspace/Delete erase, Ctrl-U erases to the start,\n");
  log_printf("  Ctrl-K to the end, Ctrl-W a word; Enter boots, Esc or Ctrl-C goes back\n");
  g_editor.begin(current, len, limit, "> ");
  bool told_full = false;
  for (;;) {
    if (!g_keyboard.pending()) g_editor.render(g_terminal);
    menu::Key key;
    g_keyboard.next(&key, 0);
    const menu::LineEditor::Status st = g_editor.apply(key);
    if (g_editor.refused_full()) {
      if (!told_full) {
        newline();
        LOG("the editor holds at most %u bytes; the key was refused\n",
            menu::LineEditor::kCapacity);
      }
      told_full = true;
      continue;
    }
    told_full = false;
    if (st == menu::LineEditor::Status::kEditing) continue;
    g_editor.render(g_terminal);
    newline();
    if (st == menu::LineEditor::Status::kCancelled) {
      LOG("parameters left unchanged; back to the menu\n");
      r.kind = EditResult::Kind::kCancelled;
      return r;
    }
    if (st == menu::LineEditor::Status::kTooLong) {
      LOG("refused: the line is %u bytes, this kernel takes at most %u (%s); "
          "shorten it, or Esc to go back\n",
          g_editor.length(), limit,
          k.via_stage3         ? "zipl's stage 3 passes on 896 bytes"
          : k.size_from_header ? "its header at 0x10430"
                               : "legacy size");
      continue;
    }
    r.why = menu::write_kernel_cmdline(mem, k, g_editor.text(), g_editor.length());
    if (r.why != WaitCode::kNone) return r;
    r.kind = EditResult::Kind::kAccepted;
    r.changed = g_editor.changed();
    return r;
  }
}

const char* edited_kernel_parameters() { return g_editor.text(); }

void announce_boot(u8 ssid, u16 devno, u32 entry, u32 default_entry, const char* name,
                   const EditResult* edit) {
  end_menu_input();
  LOG("booting 0.%x.%04x entry %u", static_cast<unsigned>(ssid), static_cast<unsigned>(devno),
      entry != 0 ? entry : default_entry);
  if (entry == 0) log_printf(" (the default)");
  if (name != nullptr && name[0] != '\0') log_printf(" \"%s\"", name);
  if (edit != nullptr && edit->kind == EditResult::Kind::kAccepted && edit->changed) {
    // The line may be kilobytes: past log_printf's buffer, straight to the console.
    log_printf(" with edited parameters: ");
    const char* p = g_editor.text();
    console_write(p, g_editor.length());
    log_printf("\n");
  } else if (edit != nullptr && edit->kind == EditResult::Kind::kAccepted) {
    log_printf(" with its own parameters (opened in the editor, not changed)\n");
  } else {
    log_printf("\n");
  }
}

void end_menu_input() { console_input_end(); }

}  // namespace ccwboot
