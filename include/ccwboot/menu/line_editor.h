// A one-line editor for a terminal: the kernel parameter line of a boot entry,
// or the answer typed at the boot menu. Portable; it sees Keys (keys.h) and
// draws through a TermOutput, so host tests drive it with strings and read
// back both the buffer and the bytes sent to the terminal.
//
// Drawing: the line is shown on one terminal row through a window of
// kViewWidth columns that scrolls with the cursor ('<' / '>' mark text
// outside it), so a 4 KiB line never wraps and a redraw is "CR, prompt,
// window, erase to end of line, CR, cursor forward". Only ANSI sequences every
// VT100-like terminal has are used (EL "ESC [ K", CUF "ESC [ n C").
#pragma once

#include "ccwboot/menu/keys.h"
#include "ccwboot/types.h"

namespace ccwboot::menu {

// Where the editor's bytes go. The image writes them to the ASCII console
// unchanged (no line buffering, no CR LF added); blocking.
class TermOutput {
 public:
  virtual void write(const char* bytes, u32 len) = 0;

 protected:
  ~TermOutput() = default;
};

class LineEditor {
 public:
  // Bytes the buffer holds. A kernel whose own limit is larger is limited to
  // this (and told so by the caller); typing beyond it is refused.
  static constexpr u32 kCapacity = 8192;
  static constexpr u32 kViewWidth = 64;
  static constexpr u32 kMaxPrompt = 24;

  enum class Status : u8 {
    kEditing,    // keep feeding keys
    kAccepted,   // Enter, and the line is within the limit
    kTooLong,    // Enter, but the line is longer than the limit: still editing
    kCancelled,  // Ctrl-C or Esc
  };

  // Starts editing `text` (len bytes, printable ASCII expected) with the
  // cursor at its end. `limit`: the longest line Enter accepts, in bytes
  // (without a terminating NUL). Text longer than kCapacity is cut to it and
  // reported by truncated_at_start().
  void begin(const char* text, u32 len, u32 limit, const char* prompt);

  Status apply(const Key& k);

  // Draws the prompt and the visible part of the line, cursor in place.
  void render(TermOutput& out);

  const char* text() const { return buf_; }  // NUL-terminated
  u32 length() const { return len_; }
  u32 cursor() const { return cursor_; }
  u32 limit() const { return limit_; }
  // The last key tried to insert into a full buffer and was refused.
  bool refused_full() const { return refused_full_; }
  bool truncated_at_start() const { return truncated_at_start_; }
  // The text differs from what begin() was given.
  bool changed() const;

 private:
  bool insert(char c);
  void erase(u32 from, u32 to);  // [from, to)

  char buf_[kCapacity + 1] = {};
  char original_[kCapacity + 1] = {};
  char prompt_[kMaxPrompt + 1] = {};
  u32 len_ = 0;
  u32 original_len_ = 0;
  u32 cursor_ = 0;
  u32 limit_ = 0;
  u32 scroll_ = 0;  // first visible byte
  bool refused_full_ = false;
  bool truncated_at_start_ = false;
};

}  // namespace ccwboot::menu
