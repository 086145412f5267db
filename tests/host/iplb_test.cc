// IPL parameter block decoding (src/core/boot/iplb.cc) against hand-made blocks
// laid out as QEMU 7.2 stores them with diag 308 subcode 6.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "ccwboot/arch/iplb.h"

namespace ccwboot {
namespace {

// A CCW-type block: length 200, version 1 at 0x07, block-0 length at 0x08,
// type 0x02 at 0x0c, flags 0x80 (loadparm valid), loadparm "LINUX1  " (EBCDIC),
// ssid at 0x6d, devno at 0x6e.
std::vector<u8> ccw_block(u8 ssid, u16 devno, bool loadparm_valid = true) {
  std::vector<u8> b(4096, 0);
  b[0x00] = 0x00, b[0x01] = 0x00, b[0x02] = 0x00, b[0x03] = 200;
  b[0x07] = 0x01;
  b[0x0b] = 200 - 8;
  b[0x0c] = 0x02;
  b[0x0d] = loadparm_valid ? 0x80 : 0x00;
  const u8 lp[8] = {0xd3, 0xc9, 0xd5, 0xe4, 0xe7, 0xf1, 0x40, 0x40};  // "LINUX1  "
  std::memcpy(&b[0x10], lp, 8);
  b[0x6d] = ssid;
  b[0x6e] = static_cast<u8>(devno >> 8);
  b[0x6f] = static_cast<u8>(devno);
  return b;
}

TEST(Iplb, DecodesCcwType) {
  auto b = ccw_block(1, 0x0005);
  IplParameters p = decode_iplb(b.data(), static_cast<u32>(b.size()));
  ASSERT_TRUE(p.valid);
  EXPECT_EQ(p.type, iplb_type::kCcw);
  EXPECT_EQ(p.ssid, 1);
  EXPECT_EQ(p.devno, 0x0005);
  EXPECT_TRUE(p.loadparm_valid);
  EXPECT_STREQ(p.loadparm, "LINUX1  ");
}

TEST(Iplb, LoadparmFlagOff) {
  auto b = ccw_block(0, 0xe000, false);
  IplParameters p = decode_iplb(b.data(), static_cast<u32>(b.size()));
  ASSERT_TRUE(p.valid);
  EXPECT_FALSE(p.loadparm_valid);
  EXPECT_EQ(p.devno, 0xe000);
}

TEST(Iplb, SsidUsesLowTwoBits) {
  auto b = ccw_block(0xff, 0x1234);
  IplParameters p = decode_iplb(b.data(), static_cast<u32>(b.size()));
  ASSERT_TRUE(p.valid);
  EXPECT_EQ(p.ssid, 3);
}

TEST(Iplb, QemuScsiTypeKeepsDevno) {
  auto b = ccw_block(0, 0x0002);
  b[0x0c] = 0xff;
  IplParameters p = decode_iplb(b.data(), static_cast<u32>(b.size()));
  ASSERT_TRUE(p.valid);
  EXPECT_EQ(p.type, iplb_type::kQemuScsi);
  EXPECT_EQ(p.devno, 0x0002);
}

TEST(Iplb, RejectsTruncatedAndOversized) {
  auto b = ccw_block(0, 1);
  EXPECT_FALSE(decode_iplb(b.data(), 16).valid);   // buffer shorter than the header
  EXPECT_FALSE(decode_iplb(b.data(), 100).valid);  // stored length 200 > buffer 100
  EXPECT_FALSE(decode_iplb(nullptr, 4096).valid);
  b[3] = 0x10;  // stored length 16: no room for the loadparm
  EXPECT_FALSE(decode_iplb(b.data(), 4096).valid);
  b[2] = 0x20, b[3] = 0x00;  // 8 KiB > kIplbMaxSize
  EXPECT_FALSE(decode_iplb(b.data(), 4096).valid);
}

TEST(Iplb, CcwTypeTooShortForDevno) {
  auto b = ccw_block(0, 0x1234);
  b[3] = 0x60;  // length 96 ends before ssid/devno at 0x6d..0x6f
  IplParameters p = decode_iplb(b.data(), 4096);
  EXPECT_FALSE(p.valid);
}

TEST(Iplb, EbcdicToAscii) {
  EXPECT_EQ(ebcdic_to_ascii(0xc1), 'A');
  EXPECT_EQ(ebcdic_to_ascii(0xe9), 'Z');
  EXPECT_EQ(ebcdic_to_ascii(0x81), 'a');
  EXPECT_EQ(ebcdic_to_ascii(0xf9), '9');
  EXPECT_EQ(ebcdic_to_ascii(0x40), ' ');
  EXPECT_EQ(ebcdic_to_ascii(0x00), ' ');
  EXPECT_EQ(ebcdic_to_ascii(0xff), '.');
}

}  // namespace
}  // namespace ccwboot
