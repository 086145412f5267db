// The loadparm that picks a DASD volume's zipl entry, and the IPL block that
// carries it (diag 308 subcode 5).
#include <gtest/gtest.h>

#include "ccwboot/arch/iplb.h"
#include "ccwboot/menu/dasd_loadparm.h"

namespace ccwboot::menu {
namespace {

TEST(DasdLoadparm, EntryNumbersLeftJustifiedBlankPadded) {
  u8 lp[8];
  dasd_entry_loadparm(2, lp);
  const u8 two[8] = {0xf2, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40};
  EXPECT_EQ(0, memcmp(lp, two, 8));
  dasd_entry_loadparm(0, lp);
  EXPECT_EQ(lp[0], 0xf0);
  EXPECT_EQ(lp[1], 0x40);
  dasd_entry_loadparm(30, lp);
  EXPECT_EQ(lp[0], 0xf3);
  EXPECT_EQ(lp[1], 0xf0);
  EXPECT_EQ(lp[2], 0x40);
}

TEST(DasdLoadparm, TheIplBlockDecodesAsTheVolumeWithItsLoadparm) {
  u8 lp[8];
  dasd_entry_loadparm(12, lp);
  u8 block[kCcwIplbLength + 8];
  for (u8& b : block) b = 0xee;
  encode_ccw_iplb(1, 0x0120, lp, block);
  EXPECT_EQ(block[kCcwIplbLength], 0xee);  // nothing past its length
  const IplParameters p = decode_iplb(block, kCcwIplbLength);
  ASSERT_TRUE(p.valid);
  EXPECT_EQ(p.type, iplb_type::kCcw);
  EXPECT_TRUE(p.loadparm_set);
  EXPECT_STREQ(p.loadparm, "12      ");
  EXPECT_EQ(p.ssid, 1);
  EXPECT_EQ(p.devno, 0x0120);
}

TEST(DasdLoadparm, TheSameEntryReadBackIsDelivered) {
  u8 lp[8];
  dasd_entry_loadparm(3, lp);
  EXPECT_EQ(check_loadparm_delivered(3, lp), WaitCode::kNone);
  // QEMU may give the blanks back as NULs: only the number counts, as for zipl.
  const u8 nul_padded[8] = {0xf3, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(check_loadparm_delivered(3, nul_padded), WaitCode::kNone);
}

TEST(DasdLoadparm, ADifferentReadBackIsRefused) {
  u8 lp[8];
  dasd_entry_loadparm(2, lp);
  EXPECT_EQ(check_loadparm_delivered(3, lp), WaitCode::kMenuLoadparmNotDelivered);
  const u8 blank[8] = {0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40};
  EXPECT_EQ(check_loadparm_delivered(0, blank), WaitCode::kMenuLoadparmNotDelivered);
  const u8 prompt[8] = {0xd7, 0xd9, 0xd6, 0xd4, 0xd7, 0xe3, 0x40, 0x40};
  EXPECT_EQ(check_loadparm_delivered(1, prompt), WaitCode::kMenuLoadparmNotDelivered);
}

}  // namespace
}  // namespace ccwboot::menu
