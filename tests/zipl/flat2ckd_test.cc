// The dasd driver's block-to-record mapping used to turn zipl's flat images
// into Hercules volumes (tools/flat2ckd).
#include <gtest/gtest.h>

#include <vector>

#include "block_map.h"

namespace ccwboot::sim {
namespace {

constexpr size_t kCylinderBytes = size_t{kBlocksPerTrack} * k3390Heads * kDasdBlockSize;

// Each block starts with its number so a misplaced record shows.
std::vector<u8> numbered_blocks(size_t cylinders) {
  std::vector<u8> flat(cylinders * kCylinderBytes, 0);
  for (size_t b = 0; b < flat.size() / kDasdBlockSize; ++b) {
    flat[b * kDasdBlockSize] = static_cast<u8>(b >> 8);
    flat[b * kDasdBlockSize + 1] = static_cast<u8>(b);
  }
  return flat;
}

TEST(Flat2Ckd, CdlSpecialRecordsCarryKeyThenData) {
  auto flat = numbered_blocks(2);
  // Block 1 (IPL2): key 'IPL2' (EBCDIC), then 144 data bytes.
  const u8 ipl2[4] = {0xC9, 0xD7, 0xD3, 0xF2};
  std::copy(ipl2, ipl2 + 4, flat.begin() + kDasdBlockSize);
  flat[kDasdBlockSize + 4] = 0xAB;
  std::string error;
  auto v = volume_from_blocks(DasdLayout::kCdl, flat, &error);
  ASSERT_TRUE(v) << error;
  const CkdRecord* r2 = v->find(0, 0, 2);
  ASSERT_NE(r2, nullptr);
  EXPECT_EQ(r2->key, std::vector<u8>(ipl2, ipl2 + 4));
  ASSERT_EQ(r2->data.size(), 144u);
  EXPECT_EQ(r2->data[0], 0xAB);
  EXPECT_EQ(v->find(0, 0, 1)->data.size(), 24u);
  EXPECT_EQ(v->find(0, 0, 3)->data.size(), 80u);
  // Blocks 3-11: plain 4 KiB records on track 0.
  const CkdRecord* r4 = v->find(0, 0, 4);
  ASSERT_NE(r4, nullptr);
  EXPECT_TRUE(r4->key.empty());
  EXPECT_EQ(r4->data.size(), kDasdBlockSize);
  EXPECT_EQ(r4->data[1], 3);
  // Track 1: DSCBs, 44-byte key + 96 data bytes.
  const CkdRecord* dscb = v->find(0, 1, 1);
  ASSERT_NE(dscb, nullptr);
  EXPECT_EQ(dscb->key.size(), 44u);
  EXPECT_EQ(dscb->key[1], 12);
  EXPECT_EQ(dscb->data.size(), 96u);
  EXPECT_EQ(v->track(0, 1)->records.size(), 12u);
  // Track 2 onwards: block n is track n / 12, record n % 12 + 1.
  const CkdRecord* r = v->find(1, 3, 5);  // block (15 + 3) * 12 + 4 = 220
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->data[0], 220 >> 8);
  EXPECT_EQ(r->data[1], 220 & 0xFF);
}

TEST(Flat2Ckd, LdlIsUniform) {
  auto flat = numbered_blocks(1);
  std::string error;
  auto v = volume_from_blocks(DasdLayout::kLdl, flat, &error);
  ASSERT_TRUE(v) << error;
  for (u8 rec = 1; rec <= 12; ++rec) {
    const CkdRecord* r = v->find(0, 0, rec);
    ASSERT_NE(r, nullptr);
    EXPECT_TRUE(r->key.empty());
    EXPECT_EQ(r->data.size(), kDasdBlockSize);
    EXPECT_EQ(r->data[1], rec - 1);
  }
  EXPECT_EQ(v->find(0, 1, 1)->data.size(), kDasdBlockSize);
}

TEST(Flat2Ckd, RefusesPartialCylinder) {
  std::vector<u8> flat(kCylinderBytes + kDasdBlockSize, 0);
  std::string error;
  EXPECT_FALSE(volume_from_blocks(DasdLayout::kLdl, flat, &error));
  EXPECT_NE(error.find("whole number of 3390 cylinders"), std::string::npos);
  EXPECT_FALSE(volume_from_blocks(DasdLayout::kCdl, {}, &error));
}

}  // namespace
}  // namespace ccwboot::sim
