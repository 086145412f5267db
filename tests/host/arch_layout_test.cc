// Byte-by-byte layouts of the architecture structures the platform layer
// uses (z/Architecture Principles of Operation: ORB, SCHIB/PMCW, SCSW/IRB,
// PSW, SENSE ID data, subsystem-identification word, lowcore offsets).
#include <gtest/gtest.h>

#include "ccwboot/arch/irb.h"
#include "ccwboot/arch/lowcore.h"
#include "ccwboot/arch/orb.h"
#include "ccwboot/arch/psw.h"
#include "ccwboot/arch/schib.h"
#include "ccwboot/arch/sense_id.h"

namespace ccwboot {
namespace {

template <usize N>
void expect_bytes(const u8 (&got)[N], std::initializer_list<u8> want) {
  usize i = 0;
  for (u8 w : want) {
    EXPECT_EQ(got[i], w) << "byte " << i;
    ++i;
  }
  for (; i < N; ++i) EXPECT_EQ(got[i], 0) << "byte " << i << " (should be zero)";
}

// ORB word 1 for a format-0 program without prefetch: key 0, LPM FF
// (hercules.md: "ORB word 1 0000FF00").
TEST(OrbLayout, Format0NoPrefetch) {
  Orb o = make_orb(0x00010000, 0x00000800, false, false);
  expect_bytes(o.raw, {0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x08, 0x00});
  EXPECT_FALSE(o.format1());
  EXPECT_FALSE(o.prefetch());
  EXPECT_EQ(o.lpm(), 0xff);
}

// Format 1 with prefetch: F (bit 8) 0x0080, P (bit 9) 0x0040, 64-bit IDAW
// control (bit 14) 0x0002 in the first halfword of word 1.
TEST(OrbLayout, Format1Prefetch) {
  Orb o = make_orb(0x12345678, 0x7fe12340, true, true);
  expect_bytes(o.raw, {0x12, 0x34, 0x56, 0x78, 0x00, 0xc2, 0xff, 0x00, 0x7f, 0xe1, 0x23, 0x40});
  EXPECT_TRUE(o.format1());
  EXPECT_TRUE(o.prefetch());
  EXPECT_EQ(o.cpa(), 0x7fe12340u);
}

// PMCW word 1: bits 2-4 ISC, bit 8 E, bit 15 V, bits 16-31 device number.
TEST(SchibLayout, PmcwFields) {
  Schib s{};
  s.raw[5] = pmcw_flag::kDevnoValid;
  s.raw[6] = 0x01, s.raw[7] = 0x20;  // devno 0120
  s.raw[11] = 0x80;                  // PIM
  s.raw[16] = 0x42;                  // CHPID 0
  EXPECT_TRUE(s.devno_valid());
  EXPECT_FALSE(s.enabled());
  EXPECT_EQ(s.devno(), 0x0120);
  EXPECT_EQ(s.pim(), 0x80);
  EXPECT_EQ(s.chpid(0), 0x42);
  s.set_isc(3);
  s.set_enabled(true);
  s.set_intparm(0x00010000);
  expect_bytes(s.raw, {0x00, 0x01, 0x00, 0x00, 0x18, 0x81, 0x01, 0x20, 0x00, 0x00, 0x00, 0x80, 0, 0,
                       0, 0, 0x42});
  EXPECT_EQ(s.isc(), 3);
  s.set_enabled(false);
  EXPECT_EQ(s.raw[5], 0x01);
}

TEST(SchibLayout, ScswAtOffset28) {
  Schib s{};
  s.raw[28 + 3] = 0x07;  // primary, secondary, status pending
  s.raw[28 + 8] = 0x0c;  // CE + DE
  Scsw w = s.scsw();
  EXPECT_TRUE(w.status_pending());
  EXPECT_EQ(w.device_status(), 0x0c);
}

// SCSW as stored by TSCH at the end of a start function: function control
// start (0x40 in byte 2), status control primary|secondary|pending (0x07),
// CCW address, CE+DE, residual count.
TEST(IrbLayout, Scsw) {
  Irb irb{};
  const u8 scsw[12] = {0x00, 0xc0, 0x40, 0x07, 0x00, 0x00, 0x20, 0x18, 0x0c, 0x40, 0x00, 0x10};
  for (int i = 0; i < 12; ++i) irb.raw[i] = scsw[i];
  Scsw s = irb.scsw();
  EXPECT_TRUE(s.format1());
  EXPECT_TRUE(s.prefetch());
  EXPECT_EQ(s.function_control(), 4);
  EXPECT_EQ(s.status_control(),
            scsw_stctl::kPrimary | scsw_stctl::kSecondary | scsw_stctl::kStatusPending);
  EXPECT_EQ(s.activity_control(), 0);
  EXPECT_EQ(s.ccw_address(), 0x2018u);
  EXPECT_EQ(s.device_status(), 0x0c);
  EXPECT_EQ(s.subchannel_status(), 0x40);
  EXPECT_EQ(s.count(), 0x10);
}

TEST(IrbLayout, ActivityControlSpansBytes2And3) {
  Irb irb{};
  irb.raw[2] = 0x04;  // start pending (bit 21)
  irb.raw[3] = 0x80;  // subchannel active (bit 24)
  EXPECT_EQ(irb.scsw().activity_control(), (0x04 << 3) | 0x04);
  EXPECT_TRUE(irb.scsw().subchannel_active());
}

// ESW format 0: word 1 is the extended-report word; bit 5 (C) = concurrent
// sense in the ECW, bits 8-13 the sense count.
TEST(IrbLayout, ExtendedReportWord) {
  Irb irb{};
  irb.raw[16] = 0x04;
  irb.raw[17] = 32 << 2;
  irb.raw[32] = 0x80;  // first sense byte: command reject
  EXPECT_TRUE(irb.concurrent_sense());
  EXPECT_EQ(irb.sense_count(), 32);
  EXPECT_EQ(irb.ecw()[0], 0x80);
  EXPECT_EQ(irb.ecw() - irb.raw, 32);
  EXPECT_EQ(irb.emw() - irb.raw, 64);
}

// The panic path's PSW: wait (bit 14) + EA + BA, address 0xcb0102.
TEST(PswLayout, DisabledWait) {
  Psw p = Psw::make(psw_mask::kDisabledWait, 0xcb0102);
  expect_bytes(p.raw, {0x00, 0x02, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                       0xcb, 0x01, 0x02});
  EXPECT_EQ(psw_mask::kDisabledWait, 0x0002000180000000ULL);
  EXPECT_EQ(psw_mask::kIo, 0x0200000000000000ULL);
  EXPECT_EQ(psw_mask::kExternal, 0x0100000000000000ULL);
}

// ESA/390 IPL PSW as in hercules.md's hand-made chain: 00080000 80002000.
TEST(PswLayout, ShortPsw) {
  u64 psw = short_psw::make(0x00080000, 0x80002000);
  EXPECT_TRUE(short_psw::has_bit12(psw));
  EXPECT_TRUE(short_psw::addressing31(psw));
  EXPECT_EQ(short_psw::instruction_address(psw), 0x2000u);
  EXPECT_FALSE(short_psw::has_bit12(short_psw::make(0x00000000, 0x00002000)));
  EXPECT_FALSE(short_psw::addressing31(short_psw::make(0x00080000, 0x00002000)));
}

// SENSE ID of a Hercules 3390 behind a 3990-C2 (hercules.md):
// FF3990C2 33900200 40FA0100.
TEST(SenseIdLayout, Hercules3390) {
  SenseIdData d{};
  const u8 raw[12] = {0xff, 0x39, 0x90, 0xc2, 0x33, 0x90, 0x02, 0x00, 0x40, 0xfa, 0x01, 0x00};
  for (int i = 0; i < 12; ++i) d.raw[i] = raw[i];
  EXPECT_TRUE(d.valid());
  EXPECT_EQ(d.cu_type(), 0x3990);
  EXPECT_EQ(d.cu_model(), 0xc2);
  EXPECT_EQ(d.dev_type(), 0x3390);
  EXPECT_EQ(d.dev_model(), 0x02);
  EXPECT_TRUE(d.ciw_valid(0));
  EXPECT_EQ(d.ciw_type(0), 0);
  EXPECT_EQ(d.ciw_command(0), 0xfa);
  EXPECT_EQ(d.ciw_count(0), 0x100);
  EXPECT_FALSE(d.ciw_valid(1));
  EXPECT_TRUE(is_dasd_cu(d.cu_type()));
  EXPECT_FALSE(is_dasd_cu(cu_type::kVirtio));
}

// Subsystem-identification word: "one" bit 15, ssid in bits 13-14.
TEST(SchidLayout, Encoding) {
  EXPECT_EQ(make_schid(0, 0), 0x00010000u);  // Hercules: device 0120 = SID 00010000
  EXPECT_EQ(make_schid(1, 5), 0x00030005u);
  EXPECT_EQ(make_schid(3, 0xffff), 0x0007ffffu);
  EXPECT_EQ(schid_ssid(0x00030005), 1);
  EXPECT_EQ(schid_schno(0x00030005), 5);
}

TEST(LowcoreLayout, Offsets) {
  EXPECT_EQ(lowcore::kSubchannelId, 0xb8u);
  EXPECT_EQ(lowcore::kIoIntParam, 0xbcu);
  EXPECT_EQ(lowcore::kExtCode, 0x86u);
  EXPECT_EQ(lowcore::kProgramCode, 0x8eu);
  EXPECT_EQ(lowcore::kExternalNewPsw, 0x1b0u);
  EXPECT_EQ(lowcore::kProgramNewPsw, 0x1d0u);
  EXPECT_EQ(lowcore::kIoNewPsw, 0x1f0u);
  EXPECT_EQ(lowcore::kNewPswsEnd - lowcore::kNewPswsStart, 6u * 16);
  EXPECT_EQ(lowcore::kProgramOldPsw, 0x150u);
}

}  // namespace
}  // namespace ccwboot
