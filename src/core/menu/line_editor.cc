// The line editor, see ccwboot/menu/line_editor.h.
#include "ccwboot/menu/line_editor.h"

namespace ccwboot::menu {
namespace {

bool is_space(char c) { return c == ' '; }

// Appends the decimal digits of v.
u32 put_number(char* p, u32 v) {
  char tmp[10];
  u32 n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (u32 i = 0; i < n; ++i) p[i] = tmp[n - 1 - i];
  return n;
}

}  // namespace

void LineEditor::begin(const char* text, u32 len, u32 limit, const char* prompt) {
  truncated_at_start_ = len > kCapacity;
  if (len > kCapacity) len = kCapacity;
  for (u32 i = 0; i < len; ++i) buf_[i] = original_[i] = text[i];
  buf_[len] = original_[len] = '\0';
  len_ = original_len_ = cursor_ = len;
  limit_ = limit;
  scroll_ = 0;
  refused_full_ = false;
  u32 p = 0;
  while (prompt != nullptr && prompt[p] != '\0' && p < kMaxPrompt) {
    prompt_[p] = prompt[p];
    ++p;
  }
  prompt_[p] = '\0';
}

bool LineEditor::changed() const {
  if (len_ != original_len_) return true;
  for (u32 i = 0; i < len_; ++i)
    if (buf_[i] != original_[i]) return true;
  return false;
}

bool LineEditor::insert(char c) {
  if (len_ >= kCapacity) return false;
  for (u32 i = len_; i > cursor_; --i) buf_[i] = buf_[i - 1];
  buf_[cursor_++] = c;
  buf_[++len_] = '\0';
  return true;
}

void LineEditor::erase(u32 from, u32 to) {
  if (to > len_) to = len_;
  if (from >= to) return;
  const u32 n = to - from;
  for (u32 i = from; i + n <= len_; ++i) buf_[i] = buf_[i + n];  // moves the NUL too
  len_ -= n;
  if (cursor_ > to)
    cursor_ -= n;
  else if (cursor_ > from)
    cursor_ = from;
}

LineEditor::Status LineEditor::apply(const Key& k) {
  refused_full_ = false;
  switch (k.kind) {
    case KeyKind::kChar: refused_full_ = !insert(k.ch); break;
    case KeyKind::kBackspace:
      if (cursor_ > 0) erase(cursor_ - 1, cursor_);
      break;
    case KeyKind::kDelete: erase(cursor_, cursor_ + 1); break;
    case KeyKind::kLeft:
      if (cursor_ > 0) --cursor_;
      break;
    case KeyKind::kRight:
      if (cursor_ < len_) ++cursor_;
      break;
    case KeyKind::kHome: cursor_ = 0; break;
    case KeyKind::kEnd: cursor_ = len_; break;
    case KeyKind::kKillToStart: erase(0, cursor_); break;
    case KeyKind::kKillToEnd: erase(cursor_, len_); break;
    case KeyKind::kKillWord: {
      u32 from = cursor_;
      while (from > 0 && is_space(buf_[from - 1])) --from;
      while (from > 0 && !is_space(buf_[from - 1])) --from;
      erase(from, cursor_);
      break;
    }
    case KeyKind::kEnter: return len_ > limit_ ? Status::kTooLong : Status::kAccepted;
    case KeyKind::kCancel: return Status::kCancelled;
    case KeyKind::kUp:
    case KeyKind::kDown:
    case KeyKind::kNone: break;
  }
  return Status::kEditing;
}

void LineEditor::render(TermOutput& out) {
  // Keep the cursor inside the window, with a few characters of context.
  constexpr u32 kMargin = 8;
  if (cursor_ < scroll_ + (scroll_ > 0 ? kMargin : 0)) {
    scroll_ = cursor_ > kMargin ? cursor_ - kMargin : 0;
  } else if (cursor_ > scroll_ + kViewWidth - 1) {
    scroll_ = cursor_ - (kViewWidth - 1);
  }
  if (scroll_ > len_) scroll_ = len_;
  char line[kMaxPrompt + kViewWidth + 32];
  u32 n = 0;
  line[n++] = '\r';
  for (u32 i = 0; prompt_[i] != '\0'; ++i) line[n++] = prompt_[i];
  line[n++] = scroll_ > 0 ? '<' : ' ';
  const u32 end = len_ < scroll_ + kViewWidth ? len_ : scroll_ + kViewWidth;
  for (u32 i = scroll_; i < end; ++i) line[n++] = buf_[i];
  line[n++] = end < len_ ? '>' : ' ';
  line[n++] = '\x1b';
  line[n++] = '[';
  line[n++] = 'K';
  // Back to column 0, then forward to the cursor's column.
  u32 prompt_len = 0;
  while (prompt_[prompt_len] != '\0') ++prompt_len;
  const u32 column = prompt_len + 1 + (cursor_ - scroll_);
  line[n++] = '\r';
  line[n++] = '\x1b';
  line[n++] = '[';
  n += put_number(line + n, column);
  line[n++] = 'C';
  out.write(line, n);
}

}  // namespace ccwboot::menu
