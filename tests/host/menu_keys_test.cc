// Key decoding: the bytes xterm, tmux and a pipe send for each editing key.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ccwboot/menu/keys.h"

namespace ccwboot::menu {
namespace {

std::vector<Key> decode(const std::string& bytes, bool idle_at_end = false) {
  KeyDecoder d;
  std::vector<Key> keys;
  for (char c : bytes) {
    Key out[2];
    u32 n = d.feed(static_cast<u8>(c), out);
    for (u32 i = 0; i < n; ++i) keys.push_back(out[i]);
  }
  Key k;
  if (idle_at_end && d.idle(&k)) keys.push_back(k);
  return keys;
}

std::vector<KeyKind> kinds(const std::string& bytes, bool idle_at_end = false) {
  std::vector<KeyKind> v;
  for (const Key& k : decode(bytes, idle_at_end)) v.push_back(k.kind);
  return v;
}

using K = KeyKind;

TEST(MenuKeys, PrintableAndEnter) {
  auto keys = decode("a Z~\r");
  ASSERT_EQ(keys.size(), 5u);
  EXPECT_EQ(keys[0].kind, K::kChar);
  EXPECT_EQ(keys[0].ch, 'a');
  EXPECT_EQ(keys[1].ch, ' ');
  EXPECT_EQ(keys[3].ch, '~');
  EXPECT_EQ(keys[4].kind, K::kEnter);
}

TEST(MenuKeys, CrLfIsOneEnterButLfAloneCounts) {
  EXPECT_EQ(kinds("\r\n"), (std::vector<K>{K::kEnter}));
  EXPECT_EQ(kinds("\n\n"), (std::vector<K>{K::kEnter, K::kEnter}));
  EXPECT_EQ(kinds("\r\r"), (std::vector<K>{K::kEnter, K::kEnter}));
  EXPECT_EQ(kinds("\rx\n"), (std::vector<K>{K::kEnter, K::kChar, K::kEnter}));
}

TEST(MenuKeys, CursorKeysInCsiAndSs3Form) {
  EXPECT_EQ(kinds("\x1b[A\x1b[B\x1b[C\x1b[D"),
            (std::vector<K>{K::kUp, K::kDown, K::kRight, K::kLeft}));
  EXPECT_EQ(kinds("\x1bOA\x1bOB\x1bOC\x1bOD"),
            (std::vector<K>{K::kUp, K::kDown, K::kRight, K::kLeft}));
  EXPECT_EQ(kinds("\x1b[H\x1b[F\x1bOH\x1bOF"),
            (std::vector<K>{K::kHome, K::kEnd, K::kHome, K::kEnd}));
  EXPECT_EQ(kinds("\x1b[1~\x1b[7~\x1b[4~\x1b[8~\x1b[3~"),
            (std::vector<K>{K::kHome, K::kHome, K::kEnd, K::kEnd, K::kDelete}));
}

TEST(MenuKeys, ModifiersKeepTheKey) {
  // Ctrl-Left (xterm): ESC [ 1 ; 5 D; Ctrl-Delete: ESC [ 3 ; 5 ~
  EXPECT_EQ(kinds("\x1b[1;5D\x1b[3;5~"), (std::vector<K>{K::kLeft, K::kDelete}));
}

TEST(MenuKeys, ControlKeys) {
  EXPECT_EQ(
      kinds("\x7f\x08\x15\x0b\x17\x01\x05\x02\x06\x04\x03"),
      (std::vector<K>{K::kBackspace, K::kBackspace, K::kKillToStart, K::kKillToEnd, K::kKillWord,
                      K::kHome, K::kEnd, K::kLeft, K::kRight, K::kDelete, K::kCancel}));
}

TEST(MenuKeys, LoneEscapeNeedsAPause) {
  EXPECT_TRUE(kinds("\x1b").empty());
  EXPECT_EQ(kinds("\x1b", true), (std::vector<K>{K::kCancel}));
  // ESC then a byte that starts no sequence: the ESC stood alone.
  auto keys = decode("\x1bx");
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].kind, K::kCancel);
  EXPECT_EQ(keys[1].ch, 'x');
  EXPECT_EQ(kinds("\x1b\x1b[D"), (std::vector<K>{K::kCancel, K::kLeft}));
  // A finished sequence leaves nothing for idle().
  EXPECT_EQ(kinds("\x1b[D", true), (std::vector<K>{K::kLeft}));
}

TEST(MenuKeys, UnknownAndOverlongSequencesAreDropped) {
  EXPECT_EQ(kinds("\x1b[15~a"), (std::vector<K>{K::kChar}));       // F5
  EXPECT_EQ(kinds("\x1b[<0;12;5Ma"), (std::vector<K>{K::kChar}));  // mouse report
  std::string longseq = "\x1b[" + std::string(40, '1') + "Db";
  // The decoder gives up inside the sequence; what follows is still decoded
  // and nothing wedges: the final 'b' arrives as a key.
  auto keys = decode(longseq);
  ASSERT_FALSE(keys.empty());
  EXPECT_EQ(keys.back().kind, K::kChar);
  EXPECT_EQ(keys.back().ch, 'b');
  // Bytes above ASCII and other controls are no keys.
  EXPECT_TRUE(kinds("\x80\xff\x07\x00").empty());
}

}  // namespace
}  // namespace ccwboot::menu
