// Vring layout and the driver-side ring operations, checked byte by byte
// against the virtio 1.0 split-ring layout (2.6) in both byte orders.
#include <gtest/gtest.h>

#include <vector>

#include "ccwboot/virtio/virtio_ccw.h"
#include "ccwboot/virtio/vring.h"

namespace ccwboot::virtio {
namespace {

TEST(VringLayout, LegacyLayoutPutsUsedRingOnAlignment) {
  VringLayout l = vring_layout(128, 4096);
  EXPECT_EQ(l.num, 128u);
  EXPECT_EQ(l.desc_offset, 0u);
  EXPECT_EQ(l.avail_offset, 2048u);  // 128 * 16
  EXPECT_EQ(l.used_offset, 4096u);   // 2048 + 4 + 256 + 2 = 2310 → 4096
  EXPECT_EQ(l.total, 4096u + 4 + 8 * 128 + 2);
  VringLayout big = vring_layout(256, 4096);
  EXPECT_EQ(big.avail_offset, 4096u);
  EXPECT_EQ(big.used_offset, 8192u);  // 4096 + 518 → 8192
}

TEST(VringLayout, RejectsInvalidSizes) {
  EXPECT_EQ(vring_layout(0, 4096).num, 0u);
  EXPECT_EQ(vring_layout(100, 4096).num, 0u);    // not a power of two
  EXPECT_EQ(vring_layout(65536, 4096).num, 0u);  // above the spec's maximum
  EXPECT_EQ(vring_layout(8, 3000).num, 0u);      // alignment not a power of two
  EXPECT_EQ(vring_layout(1, 1).total, 16u + (4 + 2 + 2) + (4 + 8 + 2));
}

u16 le16(const u8* p) { return static_cast<u16>(p[0] | (p[1] << 8)); }
u16 be16(const u8* p) { return static_cast<u16>((p[0] << 8) | p[1]); }
u32 le32(const u8* p) { return le16(p) | (u32{le16(p + 2)} << 16); }
u64 le64(const u8* p) { return le32(p) | (u64{le32(p + 4)} << 32); }
u64 be64(const u8* p) {
  u64 v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

TEST(Vring, SubmitWritesChainAndAvailEntryLittleEndian) {
  VringLayout l = vring_layout(8, 4096);
  std::vector<u8> mem(l.total, 0xee);
  Vring r;
  r.init(mem.data(), l, true);
  EXPECT_EQ(le16(&mem[l.avail_offset]), kAvailNoInterrupt);
  const VringBuffer chain[3] = {{0x1000, 16, false}, {0x123456789a, 4096, true}, {0x2000, 1, true}};
  ASSERT_TRUE(r.submit(chain, 3));
  const u8* d = &mem[l.desc_offset];
  EXPECT_EQ(le64(d), 0x1000u);
  EXPECT_EQ(le32(d + 8), 16u);
  EXPECT_EQ(le16(d + 12), desc_flag::kNext);
  EXPECT_EQ(le16(d + 14), 1u);
  EXPECT_EQ(le64(d + 16), 0x123456789aull);
  EXPECT_EQ(le16(d + 16 + 12), desc_flag::kNext | desc_flag::kWrite);
  EXPECT_EQ(le16(d + 16 + 14), 2u);
  EXPECT_EQ(le16(d + 32 + 12), desc_flag::kWrite);  // last: no NEXT
  EXPECT_EQ(le16(&mem[l.avail_offset + 2]), 1u);    // avail idx
  EXPECT_EQ(le16(&mem[l.avail_offset + 4]), 0u);    // ring[0] = head 0
  EXPECT_EQ(r.avail_idx(), 1u);
}

TEST(Vring, LegacyRingIsBigEndian) {
  VringLayout l = vring_layout(4, 4096);
  std::vector<u8> mem(l.total);
  Vring r;
  r.init(mem.data(), l, false);
  const VringBuffer one[1] = {{0x0102030405060708ull, 0x200, true}};
  ASSERT_TRUE(r.submit(one, 1));
  EXPECT_EQ(be64(&mem[0]), 0x0102030405060708ull);
  EXPECT_EQ(be16(&mem[12]), desc_flag::kWrite);
  EXPECT_EQ(be16(&mem[l.avail_offset + 2]), 1u);
  EXPECT_EQ(be16(&mem[l.avail_offset]), kAvailNoInterrupt);
}

TEST(Vring, PollUsedSeesOnlyWhatTheDeviceReturned) {
  VringLayout l = vring_layout(4, 4096);
  std::vector<u8> mem(l.total);
  Vring r;
  r.init(mem.data(), l, true);
  const VringBuffer one[1] = {{0x1000, 512, true}};
  u32 id = 99, len = 99;
  for (u32 round = 0; round < 70000; ++round) {  // past the 16-bit index wrap
    ASSERT_TRUE(r.submit(one, 1));
    ASSERT_FALSE(r.poll_used(&id, &len)) << round;
    // Device: used.ring[idx % num] = {0, 512}; used.idx++.
    u8* used = &mem[l.used_offset];
    const u16 idx = le16(used + 2);
    u8* elem = used + 4 + 8 * (idx % 4);
    elem[0] = 0;
    elem[1] = elem[2] = elem[3] = 0;
    elem[4] = 0x00;
    elem[5] = 0x02;
    elem[6] = elem[7] = 0;
    used[2] = static_cast<u8>(idx + 1);
    used[3] = static_cast<u8>((idx + 1) >> 8);
    ASSERT_TRUE(r.poll_used(&id, &len)) << round;
    EXPECT_EQ(id, 0u);
    EXPECT_EQ(len, 512u);
    ASSERT_FALSE(r.poll_used(&id, &len));
  }
  EXPECT_EQ(r.avail_idx(), static_cast<u16>(70000));
}

TEST(Vring, PostKeepsSeveralSingleBuffersAvailable) {
  VringLayout l = vring_layout(8, 4096);
  std::vector<u8> mem(l.total);
  Vring r;
  r.init(mem.data(), l, false);  // legacy: big-endian
  for (u16 d = 0; d < 3; ++d) ASSERT_TRUE(r.post(d, {0x10000u + d * 0x800u, 0x800, true}));
  EXPECT_FALSE(r.post(8, {1, 1, true}));
  EXPECT_EQ(r.avail_idx(), 3u);
  // Descriptor 2: address, length, flags WRITE and no NEXT (big-endian).
  const u8* d2 = &mem[l.desc_offset + 32];
  EXPECT_EQ(d2[5], 0x01);  // 0x11000
  EXPECT_EQ(d2[6], 0x10);
  EXPECT_EQ(d2[10], 0x08);
  EXPECT_EQ(d2[13], desc_flag::kWrite);
  EXPECT_EQ(d2[15], 0);
  // avail.ring[] lists descriptors 0, 1, 2 in order.
  const u8* avail = &mem[l.avail_offset];
  EXPECT_EQ(avail[5], 0);
  EXPECT_EQ(avail[7], 1);
  EXPECT_EQ(avail[9], 2);
  // The device returns descriptor 1 first: poll_used says which one.
  u8* used = &mem[l.used_offset];
  used[4 + 3] = 1;     // id 1
  used[4 + 6] = 0x01;  // len 0x100
  used[3] = 1;         // idx 1
  u32 id = 0, len = 0;
  ASSERT_TRUE(r.poll_used(&id, &len));
  EXPECT_EQ(id, 1u);
  EXPECT_EQ(len, 0x100u);
  ASSERT_TRUE(r.post(1, {0x10800, 0x800, true}));  // back on the ring
  EXPECT_EQ(avail[4 + 2 * 3 + 1], 1);
}

TEST(Vring, RejectsChainsLongerThanTheRing) {
  VringLayout l = vring_layout(2, 4096);
  std::vector<u8> mem(l.total);
  Vring r;
  r.init(mem.data(), l, true);
  const VringBuffer three[3] = {{1, 1, false}, {2, 2, true}, {3, 3, true}};
  EXPECT_FALSE(r.submit(three, 3));
  EXPECT_FALSE(r.submit(three, 0));
  EXPECT_EQ(r.avail_idx(), 0u);
}

TEST(VirtioCcwBlocks, ControlBlockLayouts) {
  // SET_VQ revision 1: desc, reserved, index, num, avail, used (big-endian).
  VqInfo q = VqInfo::make(0x1122334455667788ull, 0, 256, 0x1000, 0x2000);
  EXPECT_EQ(be64(q.raw), 0x1122334455667788ull);
  EXPECT_EQ(be16(q.raw + 12), 0u);
  EXPECT_EQ(be16(q.raw + 14), 256u);
  EXPECT_EQ(be64(q.raw + 16), 0x1000u);
  EXPECT_EQ(be64(q.raw + 24), 0x2000u);
  VqInfoLegacy lq = VqInfoLegacy::make(0x6400000, 4096, 0, 128);
  EXPECT_EQ(be64(lq.raw), 0x6400000u);
  EXPECT_EQ(lq.raw[10], 0x10);  // align 4096 = 00 00 10 00
  EXPECT_EQ(be16(lq.raw + 14), 128u);
  // Feature bits are little-endian, the index follows.
  FeatureDesc f = FeatureDesc::make(0x00000001, 1);
  EXPECT_EQ(f.raw[0], 1);
  EXPECT_EQ(f.raw[3], 0);
  EXPECT_EQ(f.raw[4], 1);
  EXPECT_EQ(f.bits(), 1u);
  RevisionInfo rev = RevisionInfo::make(1);
  EXPECT_EQ(rev.raw[0], 0);
  EXPECT_EQ(rev.raw[1], 1);
  EXPECT_EQ(be16(rev.raw + 2), 0u);
  VqConfig c = VqConfig::make(0);
  c.raw[2] = 0x01;
  c.raw[3] = 0x00;
  EXPECT_EQ(c.max_size(), 256u);
}

}  // namespace
}  // namespace ccwboot::virtio
