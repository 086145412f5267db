// The boot menu across devices (issue 14): before the boot order runs, every
// device in it is asked for its entries, and the owner picks device and entry.
//
// When: loadparm PROMPT (no timeout), or a blank loadparm with -boot menu=on
// (QEMU's splash-time), or a blank loadparm and QEMU allowing the disk's zipl
// menu and the first device's map asking for a prompt (its timeout) -- the
// rules of virtio::select_boot_entry, applied to the boot order. With one
// device the virtio path shows the same menu itself; this pass is for two or
// more. A device whose entries cannot be read is listed with its error. DASD
// volumes boot through their own IPL program (its loader has the menu), so
// they are one entry; so is a network device (its menu comes from the server).
#include "menu_pass.h"

#include "ccwboot/arch/lowcore.h"
#include "ccwboot/arch/sense_id.h"
#include "ccwboot/endian.h"
#include "ccwboot/boot/boot_select.h"
#include "ccwboot/log.h"
#include "ccwboot/menu/device_menu.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/boot_menu.h"
#include "ccwboot/platform/subchannel_io.h"
#include "ccwboot/virtio/virtio_ccw.h"

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
    d->own_loader = true;
    return;
  }
  if (dev.cu_type == cu_type::kVirtio && dev.cu_model == virtio::kDeviceIdNet) {
    d->kind = menu::DeviceKind::kNetwork;
    d->own_loader = true;
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

  g_menu.clear();
  for (int i = 0; i < count; ++i) {
    const BootDevice& dev = order.target[i].dev;
    menu::MenuDevice* d = g_menu.add(dev.ssid, dev.devno, menu::DeviceKind::kVirtioBlk);
    if (d == nullptr) break;
    probe(order.target[i], d);
    if (i == 0 && !wanted) {
      // Only the first device's own zipl prompt can still ask for the menu.
      if (!zipl_allowed || d->error != WaitCode::kNone || d->own_loader || !d->entries.prompt)
        return -1;
      wanted = true;
      timeout_ms = d->entries.timeout_seconds * 1000;
    }
  }
  const menu::Choice c = run_boot_menu(g_menu, timeout_ms);
  g_decision.made = true;
  if (c.kind != menu::Choice::Kind::kEntry) return -1;  // the default: the boot order as it is
  const BootDevice& chosen = order.target[c.device].dev;
  g_decision.schid = chosen.schid;
  g_decision.entry = g_menu.device(c.device).own_loader ? 0 : c.entry;
  g_decision.edit = c.edit;
  if (c.edit && g_menu.device(c.device).own_loader) {
    log_printf("ccwboot: 0.%x.%04x boots its own loader; there are no parameters to edit here\n",
               static_cast<unsigned>(chosen.ssid), static_cast<unsigned>(chosen.devno));
    g_decision.edit = false;
  }
  if (g_menu.device(c.device).own_loader) end_menu_input();
  return static_cast<int>(c.device);
}

}  // namespace ccwboot
