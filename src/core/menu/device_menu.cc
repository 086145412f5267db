// The multi-device boot menu, see ccwboot/menu/device_menu.h.
#include "ccwboot/menu/device_menu.h"

#include "ccwboot/log.h"

namespace ccwboot::menu {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0'; }

// Digits in [p, end) to a number (an entry or a device).
bool number(const char* p, const char* end, u32* out) {
  return zipl::parse_entry_number(p, static_cast<u32>(end - p), out);
}

void print_entries(const MenuDevice& d, u32 number_of_device) {
  char label[8];
  auto make_label = [&](u32 entry) {
    // "  N" for a single device, "D.N" with several.
    u32 n = 0;
    if (number_of_device != 0) {
      label[n++] = static_cast<char>('0' + number_of_device);
      label[n++] = '.';
    }
    if (entry >= 10) label[n++] = static_cast<char>('0' + entry / 10);
    label[n++] = static_cast<char>('0' + entry % 10);
    label[n] = '\0';
    return label;
  };
  if (d.own_loader && d.kind == DeviceKind::kNetwork &&
      d.map_error == WaitCode::kMenuNetNotAConfig) {
    log_printf("  %4s  network boot (its boot file is a kernel or a .INS list)\n", make_label(1));
    return;
  }
  if (d.own_loader && d.kind == DeviceKind::kNetwork) {
    log_printf("  %4s  network boot (its entries come from the server when it starts)\n",
               make_label(1));
    return;
  }
  if (d.own_loader && d.map_error != WaitCode::kNone) {
    const WaitCodeInfo info = wait_code_info(d.map_error);
    log_printf("  %4s  IPL (the volume's own loader; its zipl entries cannot be listed: %s, %s)\n",
               make_label(1), info.message, info.name);
    return;
  }
  if (d.own_loader) {
    log_printf("  %4s  IPL (the volume's own loader; the loadparm picks its entry)\n",
               make_label(1));
    return;
  }
  const zipl::BootMenu& m = d.entries;
  for (u32 i = 1; i < zipl::kMaxEntries; ++i) {
    const zipl::BootEntry& e = m.entries[i];
    if (!e.present) continue;
    if (e.name[0] != '\0') {
      log_printf("  %4s  %s\n", make_label(i), e.name);
    } else {
      log_printf("  %4s  (entry %u, the disk has no names)\n", make_label(i), i);
    }
  }
  if (m.default_entry != 0) {
    log_printf("  %4s  default (entry %u)\n", make_label(0), m.default_entry);
  } else {
    log_printf("  %4s  default\n", make_label(0));
  }
}

// What the entries come from: the boot map's scheme, or the device's own loader.
const char* source_label(const MenuDevice& d) {
  if (d.entry_by_loadparm()) {
    switch (d.entries.scheme) {
      case zipl::Scheme::kEckdLdl: return "ECKD LDL, zipl boots the entry from the loadparm";
      default: return "ECKD CDL, zipl boots the entry from the loadparm";
    }
  }
  if (!d.own_loader && d.kind == DeviceKind::kNetwork) return "pxelinux.cfg";
  if (!d.own_loader) return zipl::scheme_label(d.entries.scheme);
  return d.kind == DeviceKind::kNetwork ? "network boot" : "DASD IPL";
}

bool entry_exists(const MenuDevice& d, u32 entry) {
  if (d.own_loader) return entry <= 1;
  return entry < zipl::kMaxEntries && d.entries.entries[entry].present;
}

}  // namespace

const char* device_kind_name(DeviceKind k) {
  switch (k) {
    case DeviceKind::kDasd: return "DASD";
    case DeviceKind::kVirtioBlk: return "virtio-blk";
    case DeviceKind::kVirtioScsi: return "virtio-scsi";
    case DeviceKind::kNetwork: return "network";
  }
  return "device";
}

MenuDevice* DeviceMenu::add(u8 ssid, u16 devno, DeviceKind kind) {
  if (count_ >= kMaxMenuDevices) return nullptr;
  MenuDevice& d = devices_[count_++];
  d = MenuDevice{};
  d.ssid = ssid;
  d.devno = devno;
  d.kind = kind;
  return &d;
}

u32 DeviceMenu::first_usable() const {
  for (u32 i = 0; i < count_; ++i)
    if (usable(i)) return i;
  return count_;
}

void DeviceMenu::print() const {
  if (count_ == 1 && usable(0)) {
    const MenuDevice& d = devices_[0];
    log_printf("ccwboot boot menu (%s) on 0.%x.%04x, %s:\n", source_label(d),
               static_cast<unsigned>(d.ssid), static_cast<unsigned>(d.devno),
               device_kind_name(d.kind));
    print_entries(d, 0);
    return;
  }
  log_printf("ccwboot boot menu: %u device%s in boot order\n", count_, count_ == 1 ? "" : "s");
  for (u32 i = 0; i < count_; ++i) {
    const MenuDevice& d = devices_[i];
    if (d.error != WaitCode::kNone) {
      const WaitCodeInfo info = wait_code_info(d.error);
      log_printf(" device %u: 0.%x.%04x %s: cannot boot: %s (%s 0x%04x)\n", i + 1,
                 static_cast<unsigned>(d.ssid), static_cast<unsigned>(d.devno),
                 device_kind_name(d.kind), info.message, info.name, static_cast<unsigned>(d.error));
      continue;
    }
    log_printf(" device %u: 0.%x.%04x %s (%s)\n", i + 1, static_cast<unsigned>(d.ssid),
               static_cast<unsigned>(d.devno), device_kind_name(d.kind), source_label(d));
    print_entries(d, i + 1);
  }
}

Choice DeviceMenu::parse(const char* text, u32 len) const {
  Choice c;
  const char* p = text;
  const char* end = text + len;
  while (p < end && is_blank(*p)) ++p;
  while (end > p && is_blank(end[-1])) --end;
  if (p == end) {
    c.kind = Choice::Kind::kDefault;
    return c;
  }
  if (*p == 'e' || *p == 'E') {
    c.edit = true;
    ++p;
    while (p < end && is_blank(*p)) ++p;
  }
  u32 device = first_usable();
  u32 entry = 0;
  const char* dot = p;
  while (dot < end && *dot != '.') ++dot;
  if (p == end) {
    // "e" alone: the first usable device's default entry.
  } else if (dot < end) {
    u32 d = 0;
    if (!number(p, dot, &d) || !number(dot + 1, end, &entry)) {
      c.why = "not an entry (type N or D.N)";
      return c;
    }
    if (d == 0 || d > count_) {
      c.why = "no such device";
      return c;
    }
    device = d - 1;
  } else if (!number(p, end, &entry)) {
    c.why = "not an entry (type N or D.N)";
    return c;
  }
  if (device >= count_) {
    c.why = "no device has boot entries";
    return c;
  }
  if (!usable(device)) {
    c.why = "that device cannot boot (its error is listed above)";
    return c;
  }
  if (!entry_exists(devices_[device], entry)) {
    c.why = "the device has no such entry";
    return c;
  }
  if (c.edit && devices_[device].kind == DeviceKind::kDasd) {
    c.why =
        "DASD entries cannot be edited: zipl's loader on the volume reads their parameters "
        "after the IPL is handed over (type the entry without e)";
    return c;
  }
  if (c.edit && devices_[device].own_loader) {
    c.why = "that entry is the device's own loader: it has no parameters to edit";
    return c;
  }
  c.kind = Choice::Kind::kEntry;
  c.device = device;
  c.entry = entry;
  return c;
}

}  // namespace ccwboot::menu
