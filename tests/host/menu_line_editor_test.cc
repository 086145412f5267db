// The line editor: each editing key on a parameter line, the limit, and what
// the terminal is sent.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ccwboot/menu/line_editor.h"

namespace ccwboot::menu {
namespace {

struct Screen : TermOutput {
  std::string bytes;
  void write(const char* b, u32 n) override { bytes.append(b, n); }
};

// Feeds terminal bytes through the decoder into the editor; returns the last status.
LineEditor::Status type(LineEditor& ed, const std::string& bytes) {
  KeyDecoder d;
  LineEditor::Status st = LineEditor::Status::kEditing;
  for (char c : bytes) {
    Key out[2];
    u32 n = d.feed(static_cast<u8>(c), out);
    for (u32 i = 0; i < n; ++i) st = ed.apply(out[i]);
  }
  return st;
}

std::unique_ptr<LineEditor> editor(const std::string& text, u32 limit = 895) {
  auto ed = std::make_unique<LineEditor>();
  ed->begin(text.data(), static_cast<u32>(text.size()), limit, "> ");
  return ed;
}

const std::string kLine = "console=ttysclp0 ccwboot.entry=2 ccwboot.disk=a";

TEST(LineEditor, StartsWithTheCursorAtTheEnd) {
  auto ed = editor(kLine);
  EXPECT_EQ(std::string(ed->text()), kLine);
  EXPECT_EQ(ed->cursor(), kLine.size());
  EXPECT_FALSE(ed->changed());
}

TEST(LineEditor, AppendAWord) {
  auto ed = editor(kLine);
  EXPECT_EQ(type(*ed, " ccwboot.added=yes\r"), LineEditor::Status::kAccepted);
  EXPECT_EQ(std::string(ed->text()), kLine + " ccwboot.added=yes");
  EXPECT_TRUE(ed->changed());
}

TEST(LineEditor, DeleteAWordWithCtrlW) {
  auto ed = editor(kLine);
  // Cursor after "ccwboot.entry=2 ": Home, then 32 x Right.
  std::string keys = "\x1b[H";
  for (int i = 0; i < 33; ++i) keys += "\x1b[C";
  keys += "\x17";  // Ctrl-W: "ccwboot.entry=2 " goes
  EXPECT_EQ(type(*ed, keys + "\r"), LineEditor::Status::kAccepted);
  EXPECT_EQ(std::string(ed->text()), "console=ttysclp0 ccwboot.disk=a");
}

TEST(LineEditor, BackspaceDeleteAndCursorKeys) {
  auto ed = editor("abcdef");
  type(*ed, "\x7f");  // backspace at the end
  EXPECT_EQ(std::string(ed->text()), "abcde");
  type(*ed, "\x1b[D\x1b[D\x7f");  // two left, backspace: 'c' goes
  EXPECT_EQ(std::string(ed->text()), "abde");
  EXPECT_EQ(ed->cursor(), 2u);
  type(*ed, "\x1b[3~");  // delete under the cursor: 'd'
  EXPECT_EQ(std::string(ed->text()), "abe");
  type(*ed, "X");
  EXPECT_EQ(std::string(ed->text()), "abXe");
  type(*ed, "\x1bOH\x7f");  // backspace at the start does nothing
  EXPECT_EQ(std::string(ed->text()), "abXe");
  EXPECT_EQ(ed->cursor(), 0u);
  type(*ed, "\x1b[F\x1b[3~");  // delete at the end does nothing
  EXPECT_EQ(std::string(ed->text()), "abXe");
  type(*ed, "\x1b[C\x1b[C");  // right at the end stays there
  EXPECT_EQ(ed->cursor(), 4u);
}

TEST(LineEditor, KillKeys) {
  auto ed = editor("one two three");
  type(*ed, "\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D");  // before "three"
  type(*ed, "\x0b");                            // Ctrl-K: "three" goes
  EXPECT_EQ(std::string(ed->text()), "one two ");
  type(*ed, "\x1b[D\x1b[D\x15");  // Ctrl-U from before "o " kills "one tw"
  EXPECT_EQ(std::string(ed->text()), "o ");
  EXPECT_EQ(ed->cursor(), 0u);
  auto all = editor("a b c");
  type(*all, "\x15");  // Ctrl-U at the end empties the line
  EXPECT_EQ(all->length(), 0u);
  EXPECT_EQ(type(*all, "\r"), LineEditor::Status::kAccepted);
}

TEST(LineEditor, CancelKeepsNothing) {
  auto ed = editor(kLine);
  EXPECT_EQ(type(*ed, "xyz\x03"), LineEditor::Status::kCancelled);
  auto esc = editor(kLine);
  KeyDecoder d;
  Key out[2];
  ASSERT_EQ(d.feed(0x1b, out), 0u);
  ASSERT_TRUE(d.idle(&out[0]));  // a lone Esc, once the input pauses
  EXPECT_EQ(esc->apply(out[0]), LineEditor::Status::kCancelled);
}

TEST(LineEditor, LongerThanTheLimitIsRefusedOnEnter) {
  auto ed = editor("0123456789", 12);
  EXPECT_EQ(type(*ed, "ab\r"), LineEditor::Status::kAccepted);
  EXPECT_EQ(type(*ed, "c\r"), LineEditor::Status::kTooLong);
  // Nothing was cut: the line still holds every byte typed, and after a
  // backspace Enter takes it.
  EXPECT_EQ(std::string(ed->text()), "0123456789abc");
  EXPECT_EQ(type(*ed, "\x7f\r"), LineEditor::Status::kAccepted);
  EXPECT_EQ(std::string(ed->text()), "0123456789ab");
}

TEST(LineEditor, AFullBufferRefusesKeysVisibly) {
  std::string big(LineEditor::kCapacity - 1, 'x');
  auto ed = editor(big, 100000);
  type(*ed, "y");
  EXPECT_FALSE(ed->refused_full());
  type(*ed, "z");
  EXPECT_TRUE(ed->refused_full());
  EXPECT_EQ(ed->length(), LineEditor::kCapacity);
  EXPECT_EQ(ed->text()[LineEditor::kCapacity - 1], 'y');
  type(*ed, "\x7f");
  EXPECT_FALSE(ed->refused_full());
}

TEST(LineEditor, RendersOneRowWithTheCursorInPlace) {
  auto ed = editor("root=/dev/sda");
  Screen s;
  ed->render(s);
  // CR, prompt, no left marker, the text, no right marker, erase to end of
  // line, CR and forward to column 2 + 1 + 13.
  EXPECT_EQ(s.bytes, "\r>  root=/dev/sda \x1b[K\r\x1b[16C");
  type(*ed, "\x1b[H");
  s.bytes.clear();
  ed->render(s);
  EXPECT_EQ(s.bytes, "\r>  root=/dev/sda \x1b[K\r\x1b[3C");
}

TEST(LineEditor, ALongLineScrollsInsideTheWindow) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "word" + std::to_string(i) + " ";
  auto ed = editor(text, 4000);
  Screen s;
  ed->render(s);
  // The end is visible, the start is marked as scrolled away.
  EXPECT_EQ(s.bytes.substr(0, 4), "\r> <");
  EXPECT_NE(s.bytes.find("word29 "), std::string::npos);
  EXPECT_EQ(s.bytes.find("word0 "), std::string::npos);
  EXPECT_LE(s.bytes.size(), 2u + LineEditor::kViewWidth + 20);
  type(*ed, "\x01");  // Home
  s.bytes.clear();
  ed->render(s);
  EXPECT_EQ(s.bytes.substr(0, 10), "\r>  word0 ");
  EXPECT_NE(s.bytes.find(">\x1b[K"), std::string::npos);  // more to the right
  EXPECT_NE(s.bytes.find("\r\x1b[3C"), std::string::npos);
}

}  // namespace
}  // namespace ccwboot::menu
