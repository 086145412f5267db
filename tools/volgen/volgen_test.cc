// The volume generator: deterministic, representable in the fuzz encoding,
// and plausible — an undamaged volume with a plain IPL1 boots in the
// simulator's hardware IPL and its payload finds its own bytes intact.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "dasd_input.h"
#include "hardware_ipl.h"
#include "payload_cpu.h"
#include "volgen.h"

using namespace ccwboot;
using namespace ccwboot::sim;

namespace {

constexpr u64 kSeed = 20261202;
constexpr u32 kVolumes = 200;

bool same_volume(const CkdVolume& a, const CkdVolume& b) {
  return a.to_hercules_bytes() == b.to_hercules_bytes();
}

}  // namespace

TEST(Volgen, SameSeedSameVolumeOtherSeedOtherVolume) {
  for (u32 i = 0; i < 20; ++i) {
    GeneratedVolume a = generate_volume(kSeed, i), b = generate_volume(kSeed, i);
    EXPECT_TRUE(same_volume(a.volume, b.volume)) << i;
    EXPECT_EQ(a.summary(), b.summary());
    EXPECT_FALSE(same_volume(a.volume, generate_volume(kSeed + 1, i).volume)) << i;
  }
}

TEST(Volgen, EveryVolumeFitsTheFuzzEncodingRecordForRecord) {
  for (u32 i = 0; i < kVolumes; ++i) {
    SCOPED_TRACE(i);
    GeneratedVolume g = generate_volume(kSeed, i);
    ASSERT_LE(g.volume.cylinders(), fuzz::kMaxFuzzCylinders);
    auto bytes = fuzz::encode_dasd_input(g.volume, g.volume.cylinders(), 0);
    fuzz::DasdFuzzInput in = fuzz::decode_dasd_input(bytes.data(), bytes.size());
    EXPECT_TRUE(same_volume(in.volume, g.volume));
    EXPECT_FALSE(g.ranges.empty());
    EXPECT_LT(g.payload_start, g.payload_end);
  }
}

TEST(Volgen, UndamagedVolumesBootInTheSimulatorsHardwareIpl) {
  std::map<std::string, int> seen;
  for (u32 i = 0; i < kVolumes; ++i) {
    GeneratedVolume g = generate_volume(kSeed, i);
    seen[g.structure]++;
    seen["ipl1 " + g.ipl1]++;
    seen[g.damage.empty() ? "intact" : "damaged"]++;
    // Read Key and Data after Read IPL is a Hercules command reject (the
    // simulator follows it); PCI is judged by Hercules, not here.
    if (!g.damage.empty() || g.ipl1 == "rkd") continue;
    SCOPED_TRACE(g.summary());
    SimMemory memory(16u << 20);
    HardwareIplResult hw = hardware_ipl(g.volume, memory);
    ASSERT_TRUE(hw.ok) << hw.error;
    PayloadRun p = run_payload(memory, hw.psw);
    EXPECT_TRUE(p.waited) << p.error;
    EXPECT_EQ(p.psw, kVolgenPayloadPsw);
  }
  // Every structure and IPL1 shape shows up, and about one volume in five is damaged.
  for (const char* k : {"flat", "stage", "overwrite-next", "rewritten", "linked", "pingpong",
                        "ipl1 std", "ipl1 nosli", "ipl1 rkd", "ipl1 mt", "ipl1 notic", "ipl1 ldl"})
    EXPECT_GT(seen[k], 0) << k;
  EXPECT_GT(seen["damaged"], static_cast<int>(kVolumes / 10));
  EXPECT_LT(seen["damaged"], static_cast<int>(kVolumes / 3));
}
