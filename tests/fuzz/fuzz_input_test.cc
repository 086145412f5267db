// The fuzz targets' input encodings must carry a seed volume or disk through
// unchanged, or the seed corpus would not start the fuzzer where it claims.
#include <gtest/gtest.h>

#include "dasd_input.h"
#include "disk_input.h"
#include "disk_layout.h"
#include "shapes.h"

using namespace ccwboot;

namespace {

u32 record_count(const sim::CkdVolume& v) {
  u32 n = 0;
  for (u32 c = 0; c < v.cylinders(); ++c)
    for (u32 h = 0; h < sim::k3390Heads; ++h) n += static_cast<u32>(v.track(c, h)->records.size());
  return n;
}

}  // namespace

// Every shape within the input's limits; the few beyond them (the long
// programs of the time-budget class) get no seed (make_dasd_seeds).
TEST(DasdFuzzInput, EveryShapeRoundTripsRecordForRecord) {
  u32 round_tripped = 0;
  for (const sim::ShapeInfo& info : sim::all_shapes()) {
    SCOPED_TRACE(info.name);
    const sim::CkdVolume v = sim::make_shape(info.shape);
    if (v.cylinders() > fuzz::kMaxFuzzCylinders || record_count(v) > fuzz::kMaxFuzzRecords) {
      continue;
    }
    ++round_tripped;
    const auto bytes = fuzz::encode_dasd_input(v, v.cylinders(), 2);
    const fuzz::DasdFuzzInput in = fuzz::decode_dasd_input(bytes.data(), bytes.size());
    EXPECT_EQ(in.layout, 2);
    ASSERT_EQ(in.volume.cylinders(), v.cylinders());
    for (u32 c = 0; c < v.cylinders(); ++c) {
      for (u32 h = 0; h < sim::k3390Heads; ++h) {
        const auto& want = v.track(c, h)->records;
        const auto& got = in.volume.track(c, h)->records;
        ASSERT_EQ(got.size(), want.size()) << "track " << c << "/" << h;
        for (size_t i = 0; i < want.size(); ++i) {
          EXPECT_TRUE(got[i].id == want[i].id);
          EXPECT_EQ(got[i].key, want[i].key);
          EXPECT_EQ(got[i].data, want[i].data);
        }
      }
    }
  }
  // Only the long-chain shapes (thousands of records, hundreds of reads on
  // one track) exceed the fuzz input; the rest must not be skipped.
  EXPECT_GE(round_tripped, sim::all_shapes().size() * 9 / 10);
}

TEST(DasdFuzzInput, TruncatedAndEmptyInputsDecodeToSmallVolumes) {
  const fuzz::DasdFuzzInput empty = fuzz::decode_dasd_input(nullptr, 0);
  EXPECT_EQ(empty.volume.cylinders(), 1u);
  // A header that promises 0x1000 data bytes with only 3 present: zero-filled.
  const u8 short_record[] = {0x00, 0, 0, 1, 0, 0x10, 0x00, 0x10, 0x00, 0xaa, 0xbb, 0xcc};
  const fuzz::DasdFuzzInput in = fuzz::decode_dasd_input(short_record, sizeof short_record);
  const sim::CkdRecord* r = in.volume.find(0, 0, 1);
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->data.size(), 0x1000u);
  EXPECT_EQ(r->data[0], 0xaa);
  EXPECT_EQ(r->data[2], 0xcc);
  EXPECT_EQ(r->data[3], 0x00);
}

TEST(DiskFuzzInput, ScsiDiskRoundTripsByteForByte) {
  mkdisk::DiskSpec spec;
  spec.block_size = 512;
  std::vector<uint8_t> code(3000);
  for (size_t i = 0; i < code.size(); ++i) code[i] = static_cast<uint8_t>(i * 13 + 1);
  spec.programs = {{"one", {{code, 0x10000}}, mkdisk::kPswLoad | 0x10000}};
  std::string error;
  const std::vector<uint8_t> image = mkdisk::write_scsi_disk(spec, &error);
  ASSERT_FALSE(image.empty()) << error;
  const auto bytes = fuzz::encode_disk_input(image, 512, true, 5);
  EXPECT_LT(bytes.size(), image.size() / 4);  // zeros are not stored
  const fuzz::DiskInput in = fuzz::decode_disk_input(bytes.data(), bytes.size());
  EXPECT_EQ(in.block_size, 512u);
  EXPECT_TRUE(in.eckd_geometry);
  EXPECT_EQ(in.entry, 5u);
  ASSERT_EQ(in.blocks * 512, image.size());
  std::vector<uint8_t> back(image.size());
  fuzz::read_disk_bytes(in, 0, back.data(), static_cast<u32>(back.size()));
  EXPECT_EQ(back, image);
}
