// Keys from the bytes a terminal sends: printable ASCII, control keys and the
// ANSI/VT100 escape sequences of the cursor keys (CSI "ESC [" and SS3 "ESC O"
// forms, as xterm, tmux and the Linux console send them). Portable: the image
// feeds it the bytes of SCLP ASCII-console events, host tests feed strings.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::menu {

enum class KeyKind : u8 {
  kNone,         // nothing (yet): inside a sequence, or a byte that is no key
  kChar,         // printable ASCII 0x20-0x7e in Key::ch
  kEnter,        // CR, LF, or CR LF (counted once)
  kBackspace,    // DEL 0x7f or BS 0x08 (Ctrl-H)
  kDelete,       // ESC [ 3 ~ or Ctrl-D: the character under the cursor
  kLeft,         // ESC [ D, ESC O D, Ctrl-B
  kRight,        // ESC [ C, ESC O C, Ctrl-F
  kUp,           // ESC [ A, ESC O A, Ctrl-P
  kDown,         // ESC [ B, ESC O B, Ctrl-N
  kHome,         // ESC [ H, ESC O H, ESC [ 1 ~, ESC [ 7 ~, Ctrl-A
  kEnd,          // ESC [ F, ESC O F, ESC [ 4 ~, ESC [ 8 ~, Ctrl-E
  kKillToStart,  // Ctrl-U: delete from the start of the line to the cursor
  kKillToEnd,    // Ctrl-K: delete from the cursor to the end of the line
  kKillWord,     // Ctrl-W: delete the word before the cursor
  kCancel,       // Ctrl-C, or ESC on its own (see KeyDecoder::idle)
};

struct Key {
  KeyKind kind = KeyKind::kNone;
  char ch = 0;  // for kChar
};

// Byte-at-a-time decoder. A lone ESC cannot be told from the start of a
// sequence by its bytes alone: the caller reports a pause in the input with
// idle(), which turns a pending ESC into kCancel. Escape sequences it does not
// know (function keys, mouse reports) are consumed and yield nothing; their
// length is bounded (kMaxSequence), so garbage cannot wedge the decoder.
class KeyDecoder {
 public:
  static constexpr u32 kMaxSequence = 16;  // bytes after "ESC [" before giving up

  // Feeds one byte. Returns the number of keys it completes (0, 1 or 2: an
  // ESC followed by a byte that starts no sequence gives kCancel and then
  // that byte's key) and stores them in out[0..].
  u32 feed(u8 byte, Key out[2]);
  // The input paused: a pending lone ESC becomes kCancel. Returns true then.
  bool idle(Key* out);
  // Forgets any partial sequence (e.g. when the menu starts).
  void reset();

 private:
  enum class State : u8 { kGround, kEscape, kCsi, kSs3 };
  Key ground(u8 byte);
  Key finish_csi(u8 final_byte);

  State state_ = State::kGround;
  u32 param_ = 0;            // first numeric parameter of a CSI sequence
  bool param_done_ = false;  // a ';' ended the first parameter
  u32 seq_len_ = 0;          // bytes consumed inside the current sequence
  bool last_was_cr_ = false;
};

}  // namespace ccwboot::menu
