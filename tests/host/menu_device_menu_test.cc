// The multi-device menu: what it lists and which answers pick what.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "ccwboot/menu/device_menu.h"
#include "host_log.h"

namespace ccwboot::menu {
namespace {

void two_entries(MenuDevice* d, bool names) {
  d->entries.scheme = names ? zipl::Scheme::kEckdLdl : zipl::Scheme::kScsi;
  for (u32 i = 0; i <= 2; ++i) d->entries.entries[i].present = true;
  if (names) {
    std::strcpy(d->entries.entries[1].name, "debian");
    std::strcpy(d->entries.entries[2].name, "rescue");
    d->entries.has_names = true;
  }
  d->entries.highest_entry = 2;
  d->entries.default_entry = 1;
}

// Device 1 fails (no boot map), device 2 and 3 have two entries each.
DeviceMenu three_devices() {
  DeviceMenu m;
  m.add(0, 0x0001, DeviceKind::kVirtioBlk)->error = WaitCode::kZiplNoBootMap;
  two_entries(m.add(0, 0x0002, DeviceKind::kVirtioBlk), true);
  two_entries(m.add(0, 0x0003, DeviceKind::kVirtioScsi), false);
  return m;
}

Choice parse(const DeviceMenu& m, const std::string& s) {
  return m.parse(s.data(), static_cast<u32>(s.size()));
}

TEST(DeviceMenu, ListsEveryDeviceInOrderWithErrors) {
  DeviceMenu m = three_devices();
  testing::clear_log();
  m.print();
  const std::string& out = testing::captured_log();
  EXPECT_NE(out.find("3 devices in boot order"), std::string::npos) << out;
  EXPECT_NE(out.find(" device 1: 0.0.0001 virtio-blk: cannot boot: "), std::string::npos) << out;
  EXPECT_NE(out.find("(kZiplNoBootMap 0x0303)"), std::string::npos) << out;
  EXPECT_NE(out.find(" device 2: 0.0.0002 virtio-blk (ECKD LDL)"), std::string::npos) << out;
  EXPECT_NE(out.find("   2.1  debian"), std::string::npos) << out;
  EXPECT_NE(out.find("   2.2  rescue"), std::string::npos) << out;
  EXPECT_NE(out.find("   2.0  default (entry 1)"), std::string::npos) << out;
  EXPECT_NE(out.find(" device 3: 0.0.0003 virtio-scsi (SCSI scheme)"), std::string::npos) << out;
  EXPECT_NE(out.find("   3.2  (entry 2, the disk has no names)"), std::string::npos) << out;
  EXPECT_LT(out.find("device 1"), out.find("device 2"));
  EXPECT_LT(out.find("device 2"), out.find("device 3"));
}

TEST(DeviceMenu, OneDeviceKeepsPlainNumbers) {
  DeviceMenu m;
  two_entries(m.add(0, 0x0001, DeviceKind::kVirtioBlk), false);
  testing::clear_log();
  m.print();
  const std::string& out = testing::captured_log();
  EXPECT_NE(out.find("ccwboot boot menu (SCSI scheme) on 0.0.0001, virtio-blk:"), std::string::npos)
      << out;
  EXPECT_NE(out.find("     1  (entry 1"), std::string::npos) << out;
  EXPECT_NE(out.find("     0  default (entry 1)"), std::string::npos) << out;
  EXPECT_EQ(out.find("1.1"), std::string::npos) << out;
}

TEST(DeviceMenu, DasdWithItsOwnLoaderIsOneEntry) {
  DeviceMenu m;
  m.add(0, 0x0120, DeviceKind::kDasd)->own_loader = true;
  two_entries(m.add(0, 0x0002, DeviceKind::kVirtioBlk), true);
  testing::clear_log();
  m.print();
  EXPECT_NE(testing::captured_log().find("   1.1  IPL (the volume's own loader"), std::string::npos)
      << testing::captured_log();
  Choice c = parse(m, "1.1");
  EXPECT_EQ(c.kind, Choice::Kind::kEntry);
  EXPECT_EQ(c.device, 0u);
  EXPECT_EQ(parse(m, "1.2").kind, Choice::Kind::kInvalid);
  // Its loader reads whatever parameters it has after the hand-off.
  c = parse(m, "e 1.1");
  EXPECT_EQ(c.kind, Choice::Kind::kInvalid);
  EXPECT_NE(std::string(c.why).find("cannot be edited"), std::string::npos) << c.why;
}

TEST(DeviceMenu, DasdWithItsZiplEntriesListedPicksThemWithoutEditing) {
  DeviceMenu m;
  MenuDevice* d = m.add(0, 0x0120, DeviceKind::kDasd);
  two_entries(d, true);
  d->entries.scheme = zipl::Scheme::kEckdCdl;
  MenuDevice* other = m.add(0, 0x0121, DeviceKind::kDasd);
  other->own_loader = true;
  other->map_error = WaitCode::kZiplEckdNoZiplSection;
  testing::clear_log();
  m.print();
  const std::string& out = testing::captured_log();
  EXPECT_NE(out.find(" device 1: 0.0.0120 DASD (ECKD CDL, zipl boots the entry from the loadparm)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("   1.2  rescue"), std::string::npos) << out;
  EXPECT_NE(out.find("   2.1  IPL (the volume's own loader; its zipl entries cannot be listed: "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("kZiplEckdNoZiplSection)"), std::string::npos) << out;
  EXPECT_TRUE(m.device(0).entry_by_loadparm());
  EXPECT_FALSE(m.device(1).entry_by_loadparm());
  Choice c = parse(m, "1.2");
  EXPECT_EQ(c.kind, Choice::Kind::kEntry);
  EXPECT_EQ(c.entry, 2u);
  EXPECT_EQ(parse(m, "2.1").kind, Choice::Kind::kEntry);
  c = parse(m, "e 1.2");
  EXPECT_EQ(c.kind, Choice::Kind::kInvalid);
  EXPECT_NE(std::string(c.why).find("DASD entries cannot be edited"), std::string::npos) << c.why;
}

TEST(DeviceMenu, NetworkDeviceIsOneEntry) {
  DeviceMenu m;
  two_entries(m.add(0, 0x0001, DeviceKind::kVirtioBlk), false);
  m.add(0, 0x0003, DeviceKind::kNetwork)->own_loader = true;
  testing::clear_log();
  m.print();
  const std::string& out = testing::captured_log();
  EXPECT_NE(out.find(" device 2: 0.0.0003 network (network boot)"), std::string::npos) << out;
  EXPECT_NE(out.find("   2.1  network boot"), std::string::npos) << out;
  EXPECT_EQ(parse(m, "2.1").kind, Choice::Kind::kEntry);
  EXPECT_EQ(parse(m, "2.3").kind, Choice::Kind::kInvalid);
}

TEST(DeviceMenu, NetworkDeviceListsItsPxelinuxLabels) {
  DeviceMenu m;
  MenuDevice* net = m.add(0, 0x0003, DeviceKind::kNetwork);
  two_entries(net, true);
  net->entries.scheme = zipl::Scheme::kNone;  // pxe_menu() sets no scheme
  MenuDevice* kernel = m.add(0, 0x0004, DeviceKind::kNetwork);
  kernel->own_loader = true;
  kernel->map_error = WaitCode::kMenuNetNotAConfig;
  testing::clear_log();
  m.print();
  const std::string& out = testing::captured_log();
  EXPECT_NE(out.find(" device 1: 0.0.0003 network (pxelinux.cfg)"), std::string::npos) << out;
  EXPECT_NE(out.find("   1.2  rescue"), std::string::npos) << out;
  EXPECT_NE(out.find("   2.1  network boot (its boot file is a kernel or a .INS list)"),
            std::string::npos)
      << out;
  Choice c = parse(m, "e 1.2");
  EXPECT_EQ(c.kind, Choice::Kind::kEntry);  // append lines can be edited
  EXPECT_TRUE(c.edit);
  EXPECT_EQ(c.entry, 2u);
  EXPECT_EQ(parse(m, "2.1").kind, Choice::Kind::kEntry);
  EXPECT_EQ(parse(m, "e 2.1").kind, Choice::Kind::kInvalid);
}

TEST(DeviceMenu, AnswersPickDeviceAndEntry) {
  DeviceMenu m = three_devices();
  Choice c = parse(m, "3.2");
  EXPECT_EQ(c.kind, Choice::Kind::kEntry);
  EXPECT_EQ(c.device, 2u);
  EXPECT_EQ(c.entry, 2u);
  EXPECT_FALSE(c.edit);
  // A plain number is an entry of the first device that has entries.
  c = parse(m, " 2\r\n");
  EXPECT_EQ(c.kind, Choice::Kind::kEntry);
  EXPECT_EQ(c.device, 1u);
  EXPECT_EQ(c.entry, 2u);
  c = parse(m, "2.0");
  EXPECT_EQ(c.kind, Choice::Kind::kEntry);
  EXPECT_EQ(c.entry, 0u);
  EXPECT_EQ(parse(m, "").kind, Choice::Kind::kDefault);
  EXPECT_EQ(parse(m, " \r").kind, Choice::Kind::kDefault);
}

TEST(DeviceMenu, EditAnswers) {
  DeviceMenu m = three_devices();
  Choice c = parse(m, "e 3.1");
  EXPECT_EQ(c.kind, Choice::Kind::kEntry);
  EXPECT_TRUE(c.edit);
  EXPECT_EQ(c.device, 2u);
  EXPECT_EQ(c.entry, 1u);
  c = parse(m, "e2");
  EXPECT_TRUE(c.edit);
  EXPECT_EQ(c.device, 1u);
  EXPECT_EQ(c.entry, 2u);
  c = parse(m, "E");
  EXPECT_EQ(c.kind, Choice::Kind::kEntry);
  EXPECT_TRUE(c.edit);
  EXPECT_EQ(c.device, 1u);  // the first device with entries, its default
  EXPECT_EQ(c.entry, 0u);
}

TEST(DeviceMenu, WrongAnswersSayWhy) {
  DeviceMenu m = three_devices();
  EXPECT_STREQ(parse(m, "7").why, "the device has no such entry");
  EXPECT_STREQ(parse(m, "1.1").why, "that device cannot boot (its error is listed above)");
  EXPECT_STREQ(parse(m, "4.1").why, "no such device");
  EXPECT_STREQ(parse(m, "0.1").why, "no such device");
  EXPECT_STREQ(parse(m, "x").why, "not an entry (type N or D.N)");
  EXPECT_STREQ(parse(m, "2.").why, "not an entry (type N or D.N)");
  EXPECT_STREQ(parse(m, "1234").why, "the device has no such entry");
  EXPECT_EQ(parse(m, "e 9").kind, Choice::Kind::kInvalid);
  DeviceMenu none;
  none.add(0, 1, DeviceKind::kVirtioBlk)->error = WaitCode::kVirtioIoError;
  EXPECT_STREQ(parse(none, "1").why, "no device has boot entries");
  EXPECT_EQ(none.first_usable(), 1u);
}

TEST(DeviceMenu, HoldsAtMostEightDevices) {
  DeviceMenu m;
  for (u32 i = 0; i < kMaxMenuDevices; ++i)
    EXPECT_NE(m.add(0, static_cast<u16>(i), DeviceKind::kVirtioBlk), nullptr);
  EXPECT_EQ(m.add(0, 99, DeviceKind::kVirtioBlk), nullptr);
  EXPECT_EQ(m.count(), kMaxMenuDevices);
}

}  // namespace
}  // namespace ccwboot::menu
