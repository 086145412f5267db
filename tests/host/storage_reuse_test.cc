// storage_reuse (src/core/boot/storage_reuse.cc): recognising storage a
// previous system used, and which ranges the firmware clears then.
#include "ccwboot/boot/storage_reuse.h"

#include <gtest/gtest.h>

#include <vector>

#include "ccwboot/arch/lowcore.h"

namespace ccwboot::boot {
namespace {

std::vector<u8> fresh_lowcore() {
  // As QEMU starts the firmware: zero but for its IPL parameters at 0xcc.
  std::vector<u8> lc(lowcore::kSize, 0);
  for (u32 i = 0xcc; i < 0xcc + 28; ++i) lc[i] = 0x5a;
  return lc;
}

TEST(StorageReuse, FreshStorageWasNotUsed) {
  auto lc = fresh_lowcore();
  EXPECT_FALSE(storage_was_used(lc.data(), lowcore::kSize));
  // An IPL PSW at 0 (Hercules loads ccwboot.psw there) is no sign of use.
  lc[0] = 0x00;
  lc[1] = 0x08;
  lc[4] = 0x80;
  EXPECT_FALSE(storage_was_used(lc.data(), lowcore::kSize));
}

TEST(StorageReuse, AnyNewPswMeansUsed) {
  for (u32 at = lowcore::kNewPswsStart; at < lowcore::kNewPswsEnd; ++at) {
    auto lc = fresh_lowcore();
    lc[at] = 1;
    EXPECT_TRUE(storage_was_used(lc.data(), lowcore::kSize)) << "byte 0x" << std::hex << at;
  }
  // Bytes just outside the new PSWs do not count.
  auto lc = fresh_lowcore();
  lc[lowcore::kNewPswsStart - 1] = 1;
  lc[lowcore::kNewPswsEnd] = 1;
  EXPECT_FALSE(storage_was_used(lc.data(), lowcore::kSize));
}

TEST(StorageReuse, ShortSnapshotIsNotEvidence) {
  std::vector<u8> lc(lowcore::kNewPswsEnd - 1, 0xff);
  EXPECT_FALSE(storage_was_used(lc.data(), static_cast<u32>(lc.size())));
}

TEST(StorageReuse, ClearsAroundTheFirmwareAboveTheLowcore) {
  AddrRange out[2];
  // 512 MiB, firmware at 0x1fe00000 with an unaligned end.
  ASSERT_EQ(storage_to_clear(512u << 20, {0x1fe00000, 0x1feb1234}, out), 2u);
  EXPECT_EQ(out[0].start, lowcore::kSize);
  EXPECT_EQ(out[0].end, 0x1fe00000u);
  EXPECT_EQ(out[1].start, 0x1feb2000u);  // the firmware's last page is kept whole
  EXPECT_EQ(out[1].end, 512u << 20);
}

TEST(StorageReuse, FirmwareAtTheTopLeavesOneRange) {
  AddrRange out[2];
  ASSERT_EQ(storage_to_clear(0x800000, {0x700800, 0x800000}, out), 1u);
  EXPECT_EQ(out[0].start, lowcore::kSize);
  EXPECT_EQ(out[0].end, 0x700000u);  // widened down to its page
}

TEST(StorageReuse, FirmwareOutsideStorageOrEmpty) {
  AddrRange out[2];
  ASSERT_EQ(storage_to_clear(0x800000, {0x900000, 0xa00000}, out), 1u);
  EXPECT_EQ(out[0].end, 0x800000u);
  ASSERT_EQ(storage_to_clear(0x800000, {}, out), 1u);
  EXPECT_EQ(out[0].start, lowcore::kSize);
  // A partial top page is not cleared; storage smaller than the lowcore: nothing.
  ASSERT_EQ(storage_to_clear(0x800800, {}, out), 1u);
  EXPECT_EQ(out[0].end, 0x800000u);
  EXPECT_EQ(storage_to_clear(0x1000, {}, out), 0u);
}

}  // namespace
}  // namespace ccwboot::boot
