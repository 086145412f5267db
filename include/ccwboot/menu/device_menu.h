// The boot menu across devices: every device in boot order with its entries
// (or the error that kept them from being read), and the owner's answer.
// Portable: the platform fills it while it probes the devices, prints it, and
// feeds it the typed answer; host tests do the same with made-up devices.
//
// Answers (blanks around them are ignored):
//   ""            the default: what would boot without the menu
//   "N"           entry N of the first device that has entries (0 = its default)
//   "D.N"         entry N of device D (1-based, as listed)
//   "e", "e N", "e D.N"   the same entry, with its kernel parameters edited first
//                         ("e" alone: the first device's default entry); refused
//                         for DASD entries and "IPL" entries, whose parameters
//                         their own loader reads after ccwboot has handed over
#pragma once

#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"
#include "ccwboot/zipl/boot_map.h"

namespace ccwboot::menu {

enum class DeviceKind : u8 {
  kVirtioBlk,
  kVirtioScsi,
  kDasd,
  kNetwork
};  // 0 first: a zeroed menu stays in .bss
const char* device_kind_name(DeviceKind k);

inline constexpr u32 kMaxMenuDevices = 8;  // QEMU passes at most 8 boot devices
inline constexpr u32 kMaxAnswer = 16;      // bytes of a menu answer that are read

struct MenuDevice {
  u8 ssid = 0;
  u16 devno = 0;
  DeviceKind kind = DeviceKind::kVirtioBlk;
  WaitCode error = WaitCode::kNone;  // its entries could not be read: listed with this
  // One entry, "IPL": the device's own loader picks what boots (a DASD
  // volume whose zipl boot map could not be read, map_error says why).
  bool own_loader = false;
  WaitCode map_error = WaitCode::kNone;
  zipl::BootMenu entries;  // meaningful when error == kNone and !own_loader
  // DASD with its zipl entries listed: the IPL is replayed and zipl's own
  // stage 2 boots entry N from the loadparm (menu/dasd_loadparm.h), so the
  // parameters cannot be edited here (stage 2 loads them after the hand-off).
  bool entry_by_loadparm() const { return kind == DeviceKind::kDasd && !own_loader; }
};

struct Choice {
  enum class Kind : u8 { kInvalid, kDefault, kEntry };
  Kind kind = Kind::kInvalid;
  bool edit = false;     // open the kernel parameter editor before booting
  u32 device = 0;        // index into DeviceMenu (kEntry)
  u32 entry = 0;         // zipl entry number, 0 = the device's default (kEntry)
  const char* why = "";  // kInvalid: what is wrong with the answer
};

class DeviceMenu {
 public:
  void clear() { count_ = 0; }
  // A new device at the end of the list; nullptr when the menu is full.
  MenuDevice* add(u8 ssid, u16 devno, DeviceKind kind);
  u32 count() const { return count_; }
  const MenuDevice& device(u32 i) const { return devices_[i]; }
  // First device whose entries can be booted; count() if none.
  u32 first_usable() const;
  bool usable(u32 i) const { return i < count_ && devices_[i].error == WaitCode::kNone; }

  // Prints the menu (log_printf). One device: entries numbered "N" under
  // "ccwboot boot menu (<scheme>)". More: a line per device in boot order,
  // entries numbered "D.N", failed devices with their error.
  void print() const;

  Choice parse(const char* text, u32 len) const;

 private:
  MenuDevice devices_[kMaxMenuDevices];
  u32 count_ = 0;
};

}  // namespace ccwboot::menu
