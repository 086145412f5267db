#include <gtest/gtest.h>

#include "ccwboot/arch/ccw.h"
#include "ccwboot/endian.h"

namespace ccwboot {
namespace {

TEST(BigEndian, LoadsAndStores) {
  u8 b[8] = {};
  be::store64(b, 0x0102030405060708ULL);
  EXPECT_EQ(b[0], 0x01);
  EXPECT_EQ(b[7], 0x08);
  EXPECT_EQ(be::load32(b + 2), 0x03040506u);
  be::store24(b, 0xabcdef);
  EXPECT_EQ(b[0], 0xab);
  EXPECT_EQ(be::load24(b), 0xabcdefu);
}

TEST(LittleEndian, LoadsAndStores) {
  u8 b[8] = {};
  le::store64(b, 0x0102030405060708ULL);
  EXPECT_EQ(b[0], 0x08);
  EXPECT_EQ(b[7], 0x01);
  EXPECT_EQ(le::load32(b + 2), 0x03040506u);
  EXPECT_EQ(le::load16(b), 0x0708u);
  EXPECT_EQ(le::load64(b), 0x0102030405060708ULL);
}

// Run-time order (virtio: legacy big-endian, virtio 1.0 little-endian).
TEST(ChosenEndian, FollowsTheFlag) {
  u8 b[4] = {};
  endian::store32(b, 0x11223344u, true);
  EXPECT_EQ(b[0], 0x44);
  EXPECT_EQ(endian::load32(b, true), 0x11223344u);
  EXPECT_EQ(endian::load32(b, false), 0x44332211u);
  endian::store16(b, 0xabcd, false);
  EXPECT_EQ(b[0], 0xab);
  EXPECT_EQ(endian::load16(b, false), 0xabcdu);
}

// Format-0 CCW: Read Data into 0x000800, CC+SLI, count 0x0100 (PoP figure "CCW format 0").
TEST(CcwLayout, Format0ByteByByte) {
  Ccw0 c = Ccw0::make(ccw_cmd::kReadData, 0x000800,
                      ccw_flag::kChainCommand | ccw_flag::kSuppressLength, 0x100);
  const u8 want[8] = {0x06, 0x00, 0x08, 0x00, 0x60, 0x00, 0x01, 0x00};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(c.raw[i], want[i]) << "byte " << i;
  CcwFields f = decode_ccw(c.raw, CcwFormat::kFormat0);
  EXPECT_EQ(f.command, 0x06);
  EXPECT_EQ(f.address, 0x800u);
  EXPECT_EQ(f.flags, 0x60);
  EXPECT_EQ(f.count, 0x100);
}

// Format-1 CCW: command, flags, count, then a 31-bit address.
TEST(CcwLayout, Format1ByteByByte) {
  Ccw1 c = Ccw1::make(ccw_cmd::kSenseId, 0x7e12340, ccw_flag::kSuppressLength, 12);
  const u8 want[8] = {0xe4, 0x20, 0x00, 0x0c, 0x07, 0xe1, 0x23, 0x40};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(c.raw[i], want[i]) << "byte " << i;
  EXPECT_TRUE(is_tic(0x08));
  EXPECT_TRUE(is_tic(0x18));
  EXPECT_FALSE(is_tic(0x06));
}

}  // namespace
}  // namespace ccwboot
