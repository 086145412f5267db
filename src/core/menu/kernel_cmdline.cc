// Linux command-line placement, see ccwboot/menu/kernel_cmdline.h.
#include "ccwboot/menu/kernel_cmdline.h"

#include "ccwboot/be.h"
#include "ccwboot/log.h"

namespace ccwboot::menu {
namespace {

constexpr u8 kSignature[6] = {'S', '3', '9', '0', 'E', 'P'};

}  // namespace

WaitCode inspect_kernel_cmdline(GuestMemory& mem, u64 entry_address, KernelCmdline* out) {
  *out = KernelCmdline{};
  if (entry_address >= kZiplStage3Start && entry_address < kZiplStage3End) {
    log_printf("menu: the entry starts at 0x%llx, zipl's stage-3 loader, which puts the disk's "
               "own parameter line at 0x%llx\n",
               entry_address, kLinuxCmdline);
    return WaitCode::kCmdlineStage3;
  }
  u8 sig[sizeof kSignature] = {};
  const bool readable = mem.read(kLinuxSignature, sig, sizeof sig);
  bool is_linux = readable && entry_address == kLinuxEntry;
  for (u32 i = 0; is_linux && i < sizeof sig; ++i) is_linux = sig[i] == kSignature[i];
  if (!is_linux) {
    log_printf("menu: the entry starts at 0x%llx without Linux's S390EP mark at 0x%llx: "
               "not a Linux kernel\n",
               entry_address, kLinuxSignature);
    return WaitCode::kCmdlineNotLinux;
  }
  u8 field[8] = {};
  if (!mem.read(kLinuxCmdlineSize, field, sizeof field)) return WaitCode::kCmdlineBadSize;
  const u64 size = be::load64(field);
  if (size > kMaxCmdlineSize || size == 1) {
    log_printf("menu: the kernel's command-line size at 0x%llx is %llu bytes: implausible\n",
               kLinuxCmdlineSize, size);
    return WaitCode::kCmdlineBadSize;
  }
  out->size_from_header = size != 0;
  out->buffer_size = size != 0 ? static_cast<u32>(size) : kLegacyCmdlineSize;
  if (kLinuxCmdline + out->buffer_size > mem.size()) {
    log_printf("menu: the kernel's %u-byte command line at 0x%llx is outside memory\n",
               out->buffer_size, kLinuxCmdline);
    return WaitCode::kCmdlineBadSize;
  }
  return WaitCode::kNone;
}

WaitCode read_kernel_cmdline(GuestMemory& mem, const KernelCmdline& k, char* buf, u32 cap,
                             u32* len) {
  *len = 0;
  if (cap == 0) return WaitCode::kInternal;
  buf[0] = '\0';
  if (k.buffer_size == 0) return WaitCode::kCmdlineBadSize;
  // Read in pieces so a large kernel buffer needs no large scratch.
  u64 addr = kLinuxCmdline;
  const u32 max = k.max_length() < cap - 1 ? k.max_length() : cap - 1;
  while (*len < max) {
    char piece[128];
    u32 n = max - *len < sizeof piece ? max - *len : sizeof piece;
    if (!mem.read(addr, piece, n)) return WaitCode::kCmdlineBadSize;
    for (u32 i = 0; i < n; ++i) {
      if (piece[i] == '\0') {
        buf[*len] = '\0';
        return WaitCode::kNone;
      }
      buf[(*len)++] = piece[i];
    }
    addr += n;
  }
  buf[*len] = '\0';
  return WaitCode::kNone;
}

WaitCode write_kernel_cmdline(GuestMemory& mem, const KernelCmdline& k, const char* line, u32 len) {
  if (k.buffer_size == 0) return WaitCode::kCmdlineBadSize;
  if (len > k.max_length()) {
    log_printf("menu: the parameter line is %u bytes; this kernel takes at most %u (%s)\n", len,
               k.max_length(),
               k.size_from_header ? "its header at 0x10430" : "legacy size, no header field");
    return WaitCode::kCmdlineTooLong;
  }
  const char nul = '\0';
  if ((len > 0 && !mem.write(kLinuxCmdline, line, len)) || !mem.write(kLinuxCmdline + len, &nul, 1))
    return WaitCode::kCmdlineBadSize;
  return WaitCode::kNone;
}

}  // namespace ccwboot::menu
