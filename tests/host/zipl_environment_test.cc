// zipl's environment block: the site a loadparm activates, and the check
// before stage 3 walks the block.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "ccwboot/zipl/environment.h"
#include "host_log.h"
#include "vector_memory.h"

namespace ccwboot::zipl {
namespace {

using ccwboot::testing::VectorMemory;

constexpr u64 kMemory = 8 << 20;

constexpr u64 kAt = 0x4f5000;
// What zipl 2.35 wrote for make-zipl-disk.py --environment (read back from the disk).
const char kZiplBlock[] =
    "# zIPL Environment Block\n2WHERE=only-two\n2SITE=two\nWHERE=everywhere\nSITE=common\n"
    "1SITE=one\n";

Stage3Params block(VectorMemory& m, const std::string& text, u64 len = 0x1000) {
  std::memcpy(&m.bytes()[kAt], text.data(), text.size());
  Stage3Params p;
  p.envblk_addr = kAt;
  p.envblk_len = len;
  return p;
}

TEST(ZiplSite, AsStage3ReadsTheLoadparm) {
  EXPECT_EQ(zipl_site("        ", 0), -1);
  EXPECT_EQ(zipl_site("S1      ", 0), 1);
  EXPECT_EQ(zipl_site("2S2     ", 0), 2);
  EXPECT_EQ(zipl_site("12S0    ", 0), 0);
  EXPECT_EQ(zipl_site("S12     ", 0), 1);  // stage 3 matches the first digit only
  EXPECT_EQ(zipl_site("SS      ", 3), 3);  // the IPL subchannel's subchannel set
  EXPECT_EQ(zipl_site("1S      ", 0), -1);
  EXPECT_EQ(zipl_site("SX1     ", 0), -1);  // only the first 'S' counts
  EXPECT_EQ(zipl_site("PROMPT  ", 0), -1);
  EXPECT_EQ(zipl_site("1234567S", 0), -1);  // nothing after the last character
  const char nuls[8] = {'S', '4', 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(zipl_site(nuls, 0), 4);
}

TEST(ZiplEnvironment, ZiplsOwnBlock) {
  VectorMemory m(kMemory);
  const Stage3Params p = block(m, kZiplBlock);
  EnvironmentSummary s;
  ASSERT_EQ(check_environment(m, p, &s), WaitCode::kNone);
  EXPECT_TRUE(s.present);
  EXPECT_TRUE(s.signature);
  EXPECT_EQ(s.common, 2u);
  EXPECT_EQ(s.site[1], 1u);
  EXPECT_EQ(s.site[2], 2u);
  EXPECT_EQ(s.site[0], 0u);
}

TEST(ZiplEnvironment, EmptyBlockAndNone) {
  VectorMemory m(kMemory);
  EnvironmentSummary s;
  Stage3Params p = block(m, "# zIPL Environment Block\n");
  ASSERT_EQ(check_environment(m, p, &s), WaitCode::kNone);
  EXPECT_TRUE(s.signature);
  EXPECT_EQ(s.common, 0u);
  p.envblk_addr = 0;  // zipl 2.16: no block
  ASSERT_EQ(check_environment(m, p, &s), WaitCode::kNone);
  EXPECT_FALSE(s.present);
  p.envblk_addr = kStage3Unset;
  ASSERT_EQ(check_environment(m, p, &s), WaitCode::kNone);
  EXPECT_FALSE(s.present);
}

TEST(ZiplEnvironment, WithoutSignatureStage3SkipsIt) {
  VectorMemory m(kMemory);
  EnvironmentSummary s;
  const Stage3Params p = block(m, "# GRUB Environment Block\nX=1\n");
  ASSERT_EQ(check_environment(m, p, &s), WaitCode::kNone);
  EXPECT_TRUE(s.present);
  EXPECT_FALSE(s.signature);
}

TEST(ZiplEnvironment, DamagedBlocksAreRefused) {
  const char* damaged[] = {
      "# zIPL Environment Block\nNOEQUALS\nX=1\n",  // a line without '=': stage 3 pairs wrongly
      "# zIPL Environment Block\nX=1",              // the last value has no newline
      "# zIPL Environment Block\n=1\n",             // no name
      "# zIPL Environment Block\n\nX=1\n",          // an empty line
  };
  for (const char* text : damaged) {
    VectorMemory m(kMemory);
    EnvironmentSummary s;
    const Stage3Params p = block(m, text);
    EXPECT_EQ(check_environment(m, p, &s), WaitCode::kZiplEnvBlockMalformed) << text;
  }
}

TEST(ZiplEnvironment, NoNulInsideTheBlock) {
  VectorMemory m(kMemory);
  EnvironmentSummary s;
  std::string text = "# zIPL Environment Block\n";
  while (text.size() < 0x1000) text += "A=1\n";
  const Stage3Params p = block(m, text.substr(0, 0x1000));
  EXPECT_EQ(check_environment(m, p, &s), WaitCode::kZiplEnvBlockMalformed);
}

TEST(ZiplEnvironment, ImpossiblePlaceOrLength) {
  VectorMemory m(kMemory);
  EnvironmentSummary s;
  Stage3Params p = block(m, kZiplBlock);
  p.envblk_len = kMaxEnvironmentBlock + 1;
  EXPECT_EQ(check_environment(m, p, &s), WaitCode::kZiplEnvBlockMalformed);
  p.envblk_len = 8;  // shorter than the signature
  EXPECT_EQ(check_environment(m, p, &s), WaitCode::kZiplEnvBlockMalformed);
  p.envblk_addr = m.size() - 0x800;
  p.envblk_len = 0x1000;
  EXPECT_EQ(check_environment(m, p, &s), WaitCode::kZiplEnvBlockMalformed);
}

}  // namespace
}  // namespace ccwboot::zipl
