// The boot menu across devices: before the boot order runs, every
// device in it is asked for its entries, and the owner picks device and entry.
//
// When: loadparm PROMPT (no timeout), or a blank loadparm with -boot menu=on
// (QEMU's splash-time), or a blank loadparm and QEMU allowing the disk's zipl
// menu and the first device's map asking for a prompt (its timeout) -- the
// rules of virtio::select_boot_entry, applied to the boot order. With one
// device the virtio path shows the same menu itself; this pass is for two or
// more. A device whose entries cannot be read is listed with its error. A DASD
// volume's zipl entries are read over channel I/O; the one picked boots the
// hardware's way, by replaying the IPL with loadparm N for zipl's stage 2
// (platform/dasd_menu.h). A volume whose map cannot be read is one entry,
// "IPL", with the reason. A network device lists its pxelinux.cfg's labels
// (DHCP and TFTP of the config, bounded by their own timeouts); one whose boot
// file is a kernel or a .INS list is one entry.
#include "menu_pass.h"

#include "ccwboot/arch/lowcore.h"
#include "ccwboot/arch/sense_id.h"
#include "ccwboot/endian.h"
#include "ccwboot/boot/boot_select.h"
#include "ccwboot/log.h"
#include "ccwboot/menu/device_menu.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/boot_menu.h"
#include "ccwboot/platform/dasd_menu.h"
#include "ccwboot/platform/subchannel_io.h"
#include "ccwboot/virtio/virtio_ccw.h"

#define LOG_PREFIX "ccwboot: "

namespace ccwboot {
namespace {

MenuDecision g_decision;
menu::DeviceMenu g_menu;

bool is_dasd(const BootDevice& d) { return is_dasd_cu(d.cu_type); }

bool loadparm_is(const char* lp, const char* word) {
  u32 i = 0;
  for (; word[i] != '\0'; ++i)
    if (lp[i] != word[i]) return false;
  for (; i < 8; ++i)
    if (lp[i] != ' ' && lp[i] != '\0') return false;
  return true;
}

// Lists one device: its entries, or why it has none.
void probe(const boot::BootTarget& t, menu::MenuDevice* d) {
  const BootDevice& dev = t.dev;
  if (is_dasd(dev)) {
    d->kind = menu::DeviceKind::kDasd;
    d->map_error = dasd_read_menu(dev, &d->entries);
    d->own_loader = d->map_error != WaitCode::kNone;
    return;
  }
  if (dev.cu_type == cu_type::kVirtio && dev.cu_model == virtio::kDeviceIdNet) {
    d->kind = menu::DeviceKind::kNetwork;
    if (!enable_subchannel(dev.schid)) {
      d->error = WaitCode::kEnableSubchannelFailed;
      return;
    }
    const WaitCode rc = net_read_menu(t, &d->entries);
    if (rc == WaitCode::kMenuNetNotAConfig) {
      d->own_loader = true;  // a kernel or a .INS list: one entry
      d->map_error = rc;
    } else {
      d->error = rc;
    }
    return;
  }
  if (dev.cu_type == cu_type::kVirtio && dev.cu_model == virtio::kDeviceIdScsi) {
    d->kind = menu::DeviceKind::kVirtioScsi;
  }
  if (!enable_subchannel(dev.schid)) {
    d->error = WaitCode::kEnableSubchannelFailed;
    return;
  }
  d->error = virtio_read_menu(t, &d->entries);
}

}  // namespace

const MenuDecision& menu_decision() { return g_decision; }

int boot_menu_pass(const boot::BootOrder& order) {
  const int count = order.count;
  const char* loadparm = order.target[0].loadparm;
  if (count < 2) return -1;  // one device: its boot path shows the menu itself
  const bool prompt = loadparm_is(loadparm, "PROMPT");
  if (!prompt && !loadparm_is(loadparm, "")) return -1;  // the loadparm picks the entry
  u8 flags = 0;
  u8 timeout[4] = {};
  absolute_memory().read(lowcore::kQemuIplFlags, &flags, 1);
  absolute_memory().read(lowcore::kQemuMenuTimeout, timeout, 4);
  bool wanted = prompt || (flags & virtio::qipl_flag::kMenuFromCommandLine) != 0;
  u32 timeout_ms = prompt ? 0 : be::load32(timeout);
  const bool zipl_allowed = (flags & virtio::qipl_flag::kMenuFromZipl) != 0;

  // Only the first device's own zipl prompt can still ask for the menu; a
  // DASD's prompt is its own stage 2's to show, after the IPL, and a
  // pxelinux.cfg has none (reading it would cost a DHCP and TFTP round).
  const BootDevice& first = order.target[0].dev;
  if (!wanted && (!zipl_allowed || is_dasd(first) ||
                  (first.cu_type == cu_type::kVirtio && first.cu_model == virtio::kDeviceIdNet)))
    return -1;
  g_menu.clear();
  for (int i = 0; i < count; ++i) {
    const BootDevice& dev = order.target[i].dev;
    menu::MenuDevice* d = g_menu.add(dev.ssid, dev.devno, menu::DeviceKind::kVirtioBlk);
    if (d == nullptr) break;
    probe(order.target[i], d);
    if (i == 0 && !wanted) {
      if (d->error != WaitCode::kNone || d->own_loader || !d->entries.prompt) return -1;
      wanted = true;
      timeout_ms = d->entries.timeout_seconds * 1000;
    }
  }
  menu::Choice c;
  // Until an answer can be carried out (a DASD entry needs its loadparm taken).
  for (int round = 0; round < 4; ++round) {
    c = run_boot_menu(g_menu, timeout_ms);
    if (c.kind != menu::Choice::Kind::kEntry || !g_menu.device(c.device).entry_by_loadparm()) break;
    end_menu_input();
    if (dasd_deliver_entry(order.target[c.device].dev, c.entry) == WaitCode::kNone) break;
    LOG("IPL with loadparm %u to boot that entry; please choose again\n", c.entry);
    c = menu::Choice{};
    timeout_ms = 0;
  }
  g_decision.made = true;
  if (c.kind != menu::Choice::Kind::kEntry) return -1;  // the default: the boot order as it is
  const BootDevice& chosen = order.target[c.device].dev;
  if (g_menu.device(c.device).entry_by_loadparm()) {
    LOG("booting 0.%x.%04x entry %u", static_cast<unsigned>(chosen.ssid),
        static_cast<unsigned>(chosen.devno), c.entry);
    const zipl::BootMenu& e = g_menu.device(c.device).entries;
    const u32 shown = c.entry != 0 ? c.entry : e.default_entry;
    if (shown < zipl::kMaxEntries && e.entries[shown].name[0] != '\0')
      log_printf(" \"%s\"", e.entries[shown].name);
    log_printf(" through the volume's own IPL (zipl's loader takes loadparm %u)\n", c.entry);
  }
  g_decision.schid = chosen.schid;
  g_decision.entry = g_menu.device(c.device).own_loader ? 0 : c.entry;
  g_decision.edit = c.edit;
  if (g_menu.device(c.device).own_loader) end_menu_input();
  return static_cast<int>(c.device);
}

}  // namespace ccwboot
