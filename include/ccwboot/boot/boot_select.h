// Which boot-map entry to start: from the loadparm, QEMU's menu request and
// the disk's own menu settings. Portable (host-tested); the image feeds it the
// loadparm from the IPL parameter block / SCLP and the flags QEMU leaves in
// the lowcore (0xcc, 0xd8).
#pragma once

#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"
#include "ccwboot/zipl/boot_map.h"

namespace ccwboot::virtio {

// QEMU's IPL flags byte at absolute 0xcc.
namespace qipl_flag {
inline constexpr u8 kMenuFromCommandLine = 0x80;  // -boot menu=on (timeout at 0xd8, ms)
inline constexpr u8 kMenuFromZipl = 0x40;         // use the disk's own zipl menu settings
}  // namespace qipl_flag

struct MenuRequest {
  u8 flags = 0;        // qipl_flag bits
  u32 timeout_ms = 0;  // -boot splash-time, 0 if not given
};

struct Selection {
  WaitCode error = WaitCode::kNone;  // kLoadparmNoSuchEntry when the entry is not on the disk
  u32 entry = 0;                     // entry to boot (0 = default) unless a menu choice replaces it
  bool show_menu = false;
  u32 menu_timeout_ms = 0;        // how long the menu waits; 0 = no timeout given
  const char* reason = "";        // why (for the console)
  bool ignored_loadparm = false;  // a loadparm without leading digits was ignored
  int site = -1;                  // zipl site from a trailing S<d> (0-9), -1 if none
};

// `loadparm`: 8 ASCII characters (trailing blanks or NULs are padding).
// Rules (as QEMU's bios applies them):
//   "PROMPT"        → menu, no timeout
//   leading digits N → entry N (must exist on the disk); what follows them is
//                      ignored (QEMU's bios reads the number the same way)
//   N S<d> or S<d>  → entry N (or the default) and zipl site d, which is for
//                      the loaded system (docs/boot-order.md)
//   anything else   → ignored, as if blank (QEMU's bios boots the default too)
//   blank           → menu if QEMU was asked for one (-boot menu=on, its
//                     timeout) or if QEMU allows the disk's zipl menu and the
//                     disk asks for a prompt (its timeout); else the default.
Selection select_boot_entry(const char* loadparm, const MenuRequest& request,
                            const zipl::BootMenu& menu);

}  // namespace ccwboot::virtio
