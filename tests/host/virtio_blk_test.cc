// virtio-blk configuration decoding, disk-shape rules, the read header and
// the drivers' range check.
#include <gtest/gtest.h>

#include "ccwboot/block_device.h"
#include "ccwboot/virtio/blk.h"
#include "host_log.h"

namespace ccwboot::virtio {
namespace {

// capacity 0x0000000000004e20 (20000 sectors), geometry 20/255/63, blk_size 512.
constexpr u8 kLittle[32] = {0x20, 0x4e, 0,   0,  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                            20,   0,    255, 63, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
constexpr u8 kBig[32] = {0, 0,  0,  0,  0, 0, 0x4e, 0x20, 0, 0, 0, 0, 0, 0, 0, 0,
                         0, 20, 15, 12, 0, 0, 0x10, 0,    0, 0, 0, 0, 0, 0, 0, 0};

TEST(BlkConfig, DecodesVirtio1LittleEndian) {
  BlkConfig c = decode_blk_config(kLittle, sizeof(kLittle), true);
  EXPECT_EQ(c.capacity_sectors, 20000u);
  EXPECT_EQ(c.cylinders, 20u);
  EXPECT_EQ(c.heads, 255u);
  EXPECT_EQ(c.sectors, 63u);
  EXPECT_EQ(c.block_size, 512u);
  EXPECT_EQ(block_count(c), 20000u);
  EXPECT_EQ(classify_disk(c), DiskShape::kScsi);
}

TEST(BlkConfig, DecodesLegacyBigEndianDasdImage) {
  BlkConfig c = decode_blk_config(kBig, sizeof(kBig), false);
  EXPECT_EQ(c.capacity_sectors, 20000u);
  EXPECT_EQ(c.cylinders, 20u);
  EXPECT_EQ(c.block_size, 4096u);
  EXPECT_EQ(block_count(c), 2500u);  // 8 sectors a block
  EXPECT_EQ(classify_disk(c), DiskShape::kEckd);
}

TEST(BlkConfig, WrongByteOrderGivesNonsense) {
  // The same bytes read with the wrong order must not look like the right disk.
  BlkConfig c = decode_blk_config(kLittle, sizeof(kLittle), false);
  EXPECT_NE(c.capacity_sectors, 20000u);
  EXPECT_FALSE(block_size_supported(c.block_size));
  EXPECT_EQ(block_count(c), 0u);
}

TEST(BlkConfig, ZeroBlockSizeMeans512AndShortReadsAreSafe) {
  u8 raw[32] = {};
  raw[0] = 8;
  BlkConfig c = decode_blk_config(raw, sizeof(raw), true);
  EXPECT_EQ(c.block_size, 512u);
  EXPECT_EQ(classify_disk(c), DiskShape::kUnknown);
  BlkConfig short_read = decode_blk_config(kLittle, 8, true);
  EXPECT_EQ(short_read.capacity_sectors, 20000u);
  EXPECT_EQ(short_read.heads, 0u);
  EXPECT_EQ(short_read.block_size, 512u);
}

TEST(BlkConfig, EckdSectorsPerTrackTable) {
  EXPECT_EQ(eckd_sectors_per_track(512), 49);
  EXPECT_EQ(eckd_sectors_per_track(1024), 33);
  EXPECT_EQ(eckd_sectors_per_track(2048), 21);
  EXPECT_EQ(eckd_sectors_per_track(4096), 12);
  EXPECT_EQ(eckd_sectors_per_track(8192), 0);
  BlkConfig c{};
  c.heads = 15;
  c.sectors = 12;
  c.block_size = 512;  // 12 sectors is 4096-byte formatting, not 512
  EXPECT_EQ(classify_disk(c), DiskShape::kUnknown);
  EXPECT_FALSE(block_size_supported(8192));
  EXPECT_FALSE(block_size_supported(0));
}

TEST(BlkRequest, ReadHeaderBothOrders) {
  u8 h[kBlkHeaderSize];
  make_read_header(h, 0x0102030405060708ull, true);
  const u8 le[16] = {0, 0, 0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1};
  for (int i = 0; i < 16; ++i) EXPECT_EQ(h[i], le[i]) << i;
  make_read_header(h, 0x0102030405060708ull, false);
  const u8 be[16] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
  for (int i = 0; i < 16; ++i) EXPECT_EQ(h[i], be[i]) << i;
}

// A device of `blocks` 512-byte blocks whose reads would all succeed.
class TenBlocks final : public BlockDevice {
 public:
  WaitCode read(u64, u32, void*) override { return WaitCode::kNone; }
  u32 block_size() const override { return 512; }
  u64 block_count() const override { return 10; }
};

TEST(ReadRange, OnlyBlocksOnTheDevice) {
  TenBlocks d;
  EXPECT_EQ(check_read_range(d, 0, 10), WaitCode::kNone);
  EXPECT_EQ(check_read_range(d, 8, 2), WaitCode::kNone);
  testing::clear_log();
  EXPECT_EQ(check_read_range(d, 9, 2), WaitCode::kVirtioReadPastEnd);
  EXPECT_NE(testing::captured_log().find("disk: read of blocks 9+2 beyond the device's 10 blocks"),
            std::string::npos)
      << testing::captured_log();
  EXPECT_EQ(check_read_range(d, 10, 0), WaitCode::kVirtioReadPastEnd);
  // No wrap-around: a start near 2^64 or a count near 2^32.
  EXPECT_EQ(check_read_range(d, ~u64{0}, 2), WaitCode::kVirtioReadPastEnd);
  EXPECT_EQ(check_read_range(d, 1, 0xffffffffu), WaitCode::kVirtioReadPastEnd);
}

}  // namespace
}  // namespace ccwboot::virtio
