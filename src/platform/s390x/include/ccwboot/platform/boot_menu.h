// The boot menu on the console (image only): shows a menu::DeviceMenu, reads
// the owner's answer key by key, opens a loaded kernel's command line in the
// line editor, and states what boots before the hand-off. The decisions
// (answers, limits, placement) are the portable code in ccwboot/menu/; this
// is their console and memory plumbing.
//
// Input is QEMU's sclpconsole (SCLP ASCII console events); keys typed while
// one step ends are kept for the next (an answer and the edit keys may arrive
// in one burst). On a line-mode console (Hercules, sclplmconsole) no key can
// be read: the menu waits out its timeout and the default boots.
#pragma once

#include "ccwboot/guest_memory.h"
#include "ccwboot/menu/device_menu.h"
#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot {

// How long a menu without a timeout waits when the console cannot read input.
inline constexpr u32 kMenuNoInputTimeoutMs = 5000;

// Shows `m` and returns the owner's choice. With timeout_ms != 0 the default
// (Choice::Kind::kDefault) boots when it passes without a key; any key stops
// the countdown. timeout_ms == 0 waits for an answer. Blocking.
menu::Choice run_boot_menu(const menu::DeviceMenu& m, u32 timeout_ms);

struct EditResult {
  enum class Kind : u8 { kAccepted, kCancelled, kRefused };
  Kind kind = Kind::kRefused;
  WaitCode why = WaitCode::kNone;  // kRefused: the kCmdline* code (already explained)
  bool changed = false;            // kAccepted: the line differs from the disk's
};

// The entry just loaded into `mem`, started at `entry_address`: opens its
// kernel command line in the editor and, when the owner accepts the line
// (Enter), writes it where the kernel reads it. Blocking.
EditResult edit_kernel_parameters(GuestMemory& mem, u64 entry_address, u8 ssid, u16 devno,
                                  u32 entry);

// The last line accepted by edit_kernel_parameters (NUL-terminated).
const char* edited_kernel_parameters();

// The console line before the jump, naming device, entry and edits, e.g.
//   ccwboot: booting 0.0.0002 entry 2 "rescue" with edited parameters: ...
// and the end of console input (the loaded system gets a send-only SCLP).
// `entry` 0 is the default; `default_entry` names the numbered entry it is a
// copy of (0 when the disk does not say).
void announce_boot(u8 ssid, u16 devno, u32 entry, u32 default_entry, const char* name,
                   const EditResult* edit);

// Drops console input without booting (a boot path that fails after the menu).
void end_menu_input();

}  // namespace ccwboot
