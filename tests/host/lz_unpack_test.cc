// CLZ1 decoder (the packed ccwboot.img's payload): hand-built streams for each
// rule and each refusal, and one stream written by tools/lzpack/lzpack.py.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ccwboot/lz_unpack.h"

namespace ccwboot::lz {
namespace {

// Writes the format as lzpack.py's docstring states it (MSB first).
class Stream {
 public:
  Stream& put(u32 v, int width) {
    for (int i = width - 1; i >= 0; --i) {
      if (bits_ % 8 == 0) bytes_.push_back(0);
      if ((v >> i) & 1) bytes_.back() |= static_cast<u8>(0x80 >> (bits_ % 8));
      ++bits_;
    }
    return *this;
  }
  Stream& gamma(u32 v) {
    int w = 0;
    while ((v >> w) > 1) ++w;
    return put(0, w).put(v, w + 1);
  }
  Stream& literal(char c) { return put(0, 1).put(static_cast<u8>(c), 8); }
  Stream& copy(u32 length, u32 offset) {
    return put(1, 1).gamma(length - 1).gamma(((offset - 1) >> 8) + 1).put((offset - 1) & 0xff, 8);
  }
  const std::vector<u8>& bytes() const { return bytes_; }

 private:
  std::vector<u8> bytes_;
  int bits_ = 0;
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
  const u8 packed[] = {0x31, 0x98, 0xce, 0xe6, 0x23, 0x79, 0xbc, 0xe8, 0x20, 0x8e,
                       0x83, 0x88, 0x44, 0x06, 0x18, 0x26, 0x80, 0x4f, 0x31};
  std::string out(text.size(), '\0');
  ASSERT_TRUE(unpack(packed, sizeof packed, reinterpret_cast<u8*>(out.data()), out.size()));
  EXPECT_EQ(out, text);
  EXPECT_FALSE(unpack(packed, sizeof packed - 1, reinterpret_cast<u8*>(out.data()), out.size()));
}

TEST(LzUnpack, ChecksumIsAdler32) {
  const std::string w = "Wikipedia";  // Adler-32's textbook example
  EXPECT_EQ(checksum(reinterpret_cast<const u8*>(w.data()), w.size()), 0x11E60398u);
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
