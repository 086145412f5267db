// What ccwboot hands to zipl's stage 3 in stage 2's place (BOOT_IMAGE=).
#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <vector>

#include "ccwboot/endian.h"
#include "ccwboot/zipl/stage3.h"
#include "vector_memory.h"

namespace ccwboot::zipl {
namespace {

using ccwboot::testing::VectorMemory;

constexpr u64 kMemory = 1 << 20;

// The extra area up to its NUL.
std::vector<u8> extra(const VectorMemory& m) {
  std::vector<u8> out;
  for (u64 a = kStage3ExtraArea; m.bytes()[a] != 0; ++a) out.push_back(m.bytes()[a]);
  return out;
}

// " BOOT_IMAGE=" in EBCDIC (Python: " BOOT_IMAGE=".encode("cp500")), then the digits.
std::vector<u8> boot_image(std::initializer_list<u8> digits) {
  static const u8 kPrefix[] = {0x40, 0xc2, 0xd6, 0xd6, 0xe3, 0x6d,
                               0xc9, 0xd4, 0xc1, 0xc7, 0xc5, 0x7e};
  std::vector<u8> v(kPrefix, kPrefix + sizeof kPrefix);
  for (u8 d : digits) v.push_back(d);
  return v;
}

// The parameter block of trixie's CDL disk (zipl 2.35), as loaded at 0x9000.
void put_params(VectorMemory& m, u64 extra_parm, u64 envblk_addr = 0x4f5000) {
  const u64 v[10] = {0x4e5000, 0x500000, 0xf5809,     0x0008000080010000ull,     extra_parm, 0,
                     0x4d5000, 0x10000,  envblk_addr, envblk_addr ? 0x1000u : 0u};
  for (int i = 0; i < 10; ++i) be::store64(&m.bytes()[kStage3Params + 8 * i], v[i]);
}

TEST(Stage3, ParamsOnlyForAStage3Entry) {
  VectorMemory m(kMemory);
  put_params(m, 1);
  Stage3Params p;
  EXPECT_FALSE(read_stage3_params(m, 0x10000, &p));  // a kernel started directly (mkdisk)
  EXPECT_FALSE(read_stage3_params(m, 0xe000, &p));
  ASSERT_TRUE(read_stage3_params(m, 0xa050, &p));
  EXPECT_EQ(p.parm_addr, 0x4e5000u);
  EXPECT_EQ(p.initrd_addr, 0x500000u);
  EXPECT_EQ(p.load_psw, 0x0008000080010000ull);
  EXPECT_EQ(p.extra_parm, 1u);
  EXPECT_EQ(p.image_addr, 0x10000u);
  EXPECT_EQ(p.envblk_addr, 0x4f5000u);
  EXPECT_EQ(p.envblk_len, 0x1000u);
}

TEST(Stage3, BootImageForDasdEntries) {
  VectorMemory m(kMemory);
  put_params(m, 1);
  // Whatever lay there before must not reach the command line.
  std::memset(&m.bytes()[kStage3ExtraArea], 0xc1, 2000);
  Stage3Params p;
  ASSERT_TRUE(read_stage3_params(m, 0xa000, &p));
  ASSERT_TRUE(pass_boot_image(m, p, 0));
  EXPECT_EQ(extra(m), boot_image({0xf0}));
  EXPECT_EQ(m.bytes()[kStage3ExtraArea + kStage3ExtraSize - 1], 0);
  EXPECT_EQ(m.bytes()[kStage3ExtraArea + 13], 0);
  ASSERT_TRUE(pass_boot_image(m, p, 2));
  EXPECT_EQ(extra(m), boot_image({0xf2}));
  ASSERT_TRUE(pass_boot_image(m, p, 30));
  EXPECT_EQ(extra(m), boot_image({0xf3, 0xf0}));
}

TEST(Stage3, NothingForScsiEntries) {
  VectorMemory m(kMemory);
  put_params(m, 0);
  Stage3Params p;
  ASSERT_TRUE(read_stage3_params(m, 0xa000, &p));
  EXPECT_FALSE(pass_boot_image(m, p, 1));
  EXPECT_EQ(m.bytes()[kStage3ExtraArea], 0);
}

}  // namespace
}  // namespace ccwboot::zipl
