// CKD volume model and Hercules image format.
#include "ckd_volume.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "shapes.h"

namespace ccwboot::sim {
namespace {

std::string temp_path(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/ccwboot_sim_" + std::to_string(::getpid()) + "_" +
         name;
}

std::vector<u8> file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::vector<u8> ebcdic(const char* s) {
  std::string e = ascii_to_ebcdic(s);
  return {e.begin(), e.end()};
}

TEST(CkdVolume, LoadsDasdinitVolumeAndRoundTripsItByteForByte) {
  std::string path = temp_path("dasdinit.3390");
  std::string cmd = std::string(CCWBOOT_DASDINIT) + " " + path + " 3390 VOL001 1 >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "dasdinit not available";
  std::vector<u8> original = file_bytes(path);
  ASSERT_EQ(original.size(), 852992u);
  std::string error;
  auto vol = CkdVolume::load_hercules(path, &error);
  std::remove(path.c_str());
  ASSERT_TRUE(vol) << error;
  EXPECT_EQ(vol->cylinders(), 1u);
  const CkdRecord* r1 = vol->find(0, 0, 1);
  const CkdRecord* r2 = vol->find(0, 0, 2);
  const CkdRecord* r3 = vol->find(0, 0, 3);
  ASSERT_TRUE(r1 && r2 && r3);
  EXPECT_EQ(r1->key, ebcdic("IPL1"));
  EXPECT_EQ(r1->data.size(), 24u);
  EXPECT_EQ(r2->key, ebcdic("IPL2"));
  EXPECT_EQ(r2->data, std::vector<u8>(144, 0));
  EXPECT_EQ(r3->key, ebcdic("VOL1"));
  ASSERT_EQ(r3->data.size(), 80u);
  EXPECT_EQ(std::vector<u8>(r3->data.begin() + 4, r3->data.begin() + 10), ebcdic("VOL001"));
  EXPECT_EQ(vol->find(0, 0, 4), nullptr);
  EXPECT_EQ(vol->to_hercules_bytes(), original);
}

TEST(CkdVolume, SavedShapeRoundTripsThroughTheFile) {
  std::string path = temp_path("shape.3390");
  CkdVolume vol = make_shape(Shape::kMultitrack);
  ASSERT_TRUE(vol.save_hercules(path));
  std::vector<u8> bytes = file_bytes(path);
  EXPECT_EQ(bytes, vol.to_hercules_bytes());
  EXPECT_EQ(bytes.size(), 512u + 2u * 15u * 56832u);
  auto back = CkdVolume::load_hercules(path);
  std::remove(path.c_str());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to_hercules_bytes(), bytes);
  ASSERT_TRUE(back->find(1, 0, 1));
  EXPECT_EQ(back->find(1, 0, 1)->data, vol.find(1, 0, 1)->data);
}

TEST(CkdVolume, HeaderAndTrackLayoutFollowTheHerculesFormat) {
  CkdVolume vol(1);
  const u8 key[] = {1, 2};
  const u8 data[] = {9, 8, 7};
  ASSERT_EQ(vol.add_record(0, 1, key, data), u8{1});
  std::vector<u8> b = vol.to_hercules_bytes();
  EXPECT_EQ(std::string(b.begin(), b.begin() + 8), "CKD_P370");
  EXPECT_EQ(b[8], 15);
  EXPECT_EQ(b[12] | (b[13] << 8) | (b[14] << 16), 56832);
  EXPECT_EQ(b[16], 0x90);
  const u8* t = &b[512 + 56832];                                     // track 0/1
  const u8 expect[] = {0,    0,    0,    0,    1,                    // HA
                       0,    0,    0,    1,    0,    0,    0,    8,  // R0 count
                       0,    0,    0,    0,    0,    0,    0,    0,  // R0 data
                       0,    0,    0,    1,    1,    2,    0,    3,  // R1 count
                       1,    2,    9,    8,    7,                    // key, data
                       0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0};
  EXPECT_TRUE(std::equal(std::begin(expect), std::end(expect), t));
  EXPECT_EQ(vol.image_bytes(0, 1), 5u + 16u + 13u + 8u);
}

TEST(CkdVolume, TrackCapacityIsThe3390s) {
  CkdVolume vol(1);
  std::vector<u8> big(k3390MaxRecordData, 0x5A);
  EXPECT_TRUE(vol.add_record(0, 1, {}, big));
  EXPECT_FALSE(vol.add_record(0, 1, {}, std::vector<u8>(1, 0)));  // the track is full
  std::vector<u8> too_big(k3390MaxRecordData + 1, 0);
  EXPECT_FALSE(vol.add_record(0, 2, {}, too_big));
  // Twelve 4 KiB records fit on a 3390 track, a thirteenth does not.
  std::vector<u8> four_k(4096, 1);
  for (int i = 0; i < 12; ++i) EXPECT_TRUE(vol.add_record(0, 3, {}, four_k)) << i;
  EXPECT_FALSE(vol.add_record(0, 3, {}, four_k));
  EXPECT_FALSE(vol.add_record(1, 0, {}, four_k));   // no cylinder 1
  EXPECT_FALSE(vol.add_record(0, 15, {}, four_k));  // no head 15
}

TEST(CkdVolume, RejectsMalformedImages) {
  CkdVolume vol(1);
  vol.add_record(0, 0, {}, std::vector<u8>(100, 1));
  std::vector<u8> good = vol.to_hercules_bytes();
  std::string error;
  ASSERT_TRUE(CkdVolume::from_hercules_bytes(good, &error)) << error;

  std::vector<u8> bad = good;
  bad[0] = 'X';
  EXPECT_FALSE(CkdVolume::from_hercules_bytes(bad, &error));
  EXPECT_NE(error.find("CKD_P370"), std::string::npos);

  bad = good;
  bad.resize(bad.size() - 1);
  EXPECT_FALSE(CkdVolume::from_hercules_bytes(bad, &error));

  bad = good;  // R1's data length claims more than the track slot holds
  bad[512 + 5 + 16 + 6] = 0xFF;
  bad[512 + 5 + 16 + 7] = 0xFF;
  EXPECT_FALSE(CkdVolume::from_hercules_bytes(bad, &error));
  EXPECT_NE(error.find("past the end"), std::string::npos);

  bad = good;  // no end-of-track marker anywhere in the slot
  std::fill(bad.begin() + 512 + 5 + 16 + 8 + 100, bad.begin() + 512 + 56832, 0);
  EXPECT_FALSE(CkdVolume::from_hercules_bytes(bad, &error));

  bad = good;  // home address of the wrong track
  bad[512 + 56832 + 4] = 7;
  EXPECT_FALSE(CkdVolume::from_hercules_bytes(bad, &error));
}

TEST(CkdVolume, RecordsKeepArbitraryCountFieldIds) {
  CkdVolume vol(1);
  ASSERT_TRUE(vol.add_record_with_id(0, 1, CkdId{7, 3, 42}, {}, std::vector<u8>(4, 2)));
  auto back = CkdVolume::from_hercules_bytes(vol.to_hercules_bytes());
  ASSERT_TRUE(back);
  const CkdRecord* r = back->find(0, 1, 42);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, (CkdId{7, 3, 42}));
}

}  // namespace
}  // namespace ccwboot::sim
