// CLZ1 decoder (the packed ccwboot.img's payload): hand-built streams for each
// rule and each refusal, and one stream written by tools/lzpack/lzpack.py.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ccwboot/lz_unpack.h"

namespace ccwboot::lz {
namespace {

// Writes the format as lzpack.py's docstring states it: whole bytes in order,
// bits into a tag byte that is appended when the previous one is full.
class Stream {
 public:
  Stream& bit(u32 b) {
    if (free_ == 0) {
      tag_ = bytes_.size();
      bytes_.push_back(0);
      free_ = 8;
    }
    --free_;
    bytes_[tag_] |= static_cast<u8>((b & 1) << free_);
    return *this;
  }
  Stream& put(u32 v, int width) {
    for (int i = width - 1; i >= 0; --i) bit(v >> i);
    return *this;
  }
  Stream& byte(u8 v) {
    bytes_.push_back(v);
    return *this;
  }
  Stream& gamma(u32 v) {
    int w = 0;
    while ((v >> w) > 1) ++w;
    return put(0, w).put(v, w + 1);
  }
  Stream& literal(char c) { return bit(0).byte(static_cast<u8>(c)); }
  Stream& copy(u32 length, u32 offset) {
    return bit(1).gamma(length - 1).gamma(((offset - 1) >> 8) + 1).byte((offset - 1) & 0xff);
  }
  const std::vector<u8>& bytes() const { return bytes_; }

 private:
  std::vector<u8> bytes_;
  usize tag_ = 0;
  int free_ = 0;
};

std::string run(const Stream& s, usize out_len, bool* ok) {
  std::string out(out_len, '\0');
  *ok = unpack(s.bytes().data(), s.bytes().size(), reinterpret_cast<u8*>(out.data()), out_len);
  return out;
}

TEST(LzUnpack, LiteralsAndOverlappingCopies) {
  Stream s;
  s.literal('a').literal('b').copy(5, 2).literal('!');
  bool ok = false;
  EXPECT_EQ(run(s, 8, &ok), "abababa!");
  EXPECT_TRUE(ok);
}

TEST(LzUnpack, FarCopyUsesTheHighOffsetBits) {
  Stream s;
  s.literal('x');
  for (int i = 0; i < 299; ++i) s.literal('.');
  s.copy(3, 300);  // high part 1: gamma(2)
  bool ok = false;
  std::string out = run(s, 303, &ok);
  ASSERT_TRUE(ok);
  EXPECT_EQ(out.substr(300), "x..");
}

TEST(LzUnpack, RefusesACopyBeforeTheStart) {
  Stream s;
  s.literal('a').copy(2, 2);
  bool ok = true;
  run(s, 3, &ok);
  EXPECT_FALSE(ok);
}

TEST(LzUnpack, RefusesACopyPastTheOutput) {
  Stream s;
  s.literal('a').copy(4, 1);
  bool ok = true;
  run(s, 3, &ok);
  EXPECT_FALSE(ok);
}

TEST(LzUnpack, RefusesAStreamThatEndsEarly) {
  Stream s;
  s.literal('a').literal('b');
  bool ok = true;
  run(s, 3, &ok);
  EXPECT_FALSE(ok);
}

TEST(LzUnpack, RefusesAGammaCodeOfMoreThan31Bits) {
  Stream s;
  s.literal('a').put(1, 1).put(0, 31).put(1, 1).put(0, 31);
  bool ok = true;
  run(s, 40, &ok);
  EXPECT_FALSE(ok);
}

TEST(LzUnpack, DecodesWhatLzpackWrote) {
  // python3 tools/lzpack/lzpack.py --raw IN OUT, IN being the text below.
  const std::string text =
      "ccwboot ccwboot ccwboot! aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ccwboot";
  const u8 packed[] = {0x00, 0x63, 0x63, 0x77, 0x62, 0x6f, 0x6f, 0x74, 0x20, 0x8e,
                       0x88, 0x07, 0x21, 0x20, 0x61, 0x26, 0xcf, 0x00, 0x31};
  std::string out(text.size(), '\0');
  ASSERT_TRUE(unpack(packed, sizeof packed, reinterpret_cast<u8*>(out.data()), out.size()));
  EXPECT_EQ(out, text);
  EXPECT_FALSE(unpack(packed, sizeof packed - 1, reinterpret_cast<u8*>(out.data()), out.size()));
}

TEST(LzUnpack, ChecksumIsAdler32) {
  const std::string w = "Wikipedia";  // Adler-32's textbook example
  EXPECT_EQ(checksum(reinterpret_cast<const u8*>(w.data()), w.size()), 0x11E60398u);
  // Longer than one 5552-byte block, all 0xff: the sums' worst case.
  std::vector<u8> ff(100000, 0xff);
  u32 a = 1, b = 0;
  for (u8 x : ff) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  EXPECT_EQ(checksum(ff.data(), ff.size()), b << 16 | a);
}

TEST(LzUnpack, DescriptorFields) {
  UnpackDescriptor d{};
  const u8 magic[] = {'C', 'C', 'W', 'L', 'Z', '1', 0, 0};
  for (usize i = 0; i < 8; ++i) d.raw[i] = magic[i];
  be::store64(d.raw + 48, 0x1d000);
  be::store32(d.raw + 60, 1234);
  EXPECT_TRUE(d.magic_ok());
  EXPECT_EQ(d.high(), 0x1d000u);
  EXPECT_EQ(d.stream_size(), 1234u);
  d.raw[5] = '2';
  EXPECT_FALSE(d.magic_ok());
}

}  // namespace
}  // namespace ccwboot::lz
