// Linux command-line placement, see ccwboot/menu/kernel_cmdline.h.
#include "ccwboot/menu/kernel_cmdline.h"

#include "ccwboot/endian.h"
#include "ccwboot/log.h"

#define LOG_PREFIX "menu: "

namespace ccwboot::menu {
namespace {

constexpr u8 kSignature[6] = {'S', '3', '9', '0', 'E', 'P'};

// The kernel's command-line buffer size from a header at `header` (the
// image's 0x10000 + 0x430 once in place): 0 means a legacy kernel.
WaitCode header_size(GuestMemory& mem, u64 field, u64* size) {
  u8 b[8] = {};
  if (!mem.read(field, b, sizeof b)) return WaitCode::kCmdlineBadSize;
  *size = be::load64(b);
  if (*size > kMaxCmdlineSize || *size == 1) {
    LOG("the kernel's command-line size at 0x%llx is %llu bytes: implausible\n", field, *size);
    return WaitCode::kCmdlineBadSize;
  }
  return WaitCode::kNone;
}

bool has_signature(GuestMemory& mem, u64 addr) {
  u8 sig[sizeof kSignature] = {};
  if (!mem.read(addr, sig, sizeof sig)) return false;
  for (u32 i = 0; i < sizeof sig; ++i)
    if (sig[i] != kSignature[i]) return false;
  return true;
}

// zipl's stage 3 will copy the line from its parm_addr: edit it there.
WaitCode inspect_stage3(GuestMemory& mem, u64 entry_address, KernelCmdline* out) {
  u8 p[64] = {};
  if (!mem.read(kZiplStage3Params, p, sizeof p)) return WaitCode::kCmdlineBadSize;
  const u64 parm_addr = be::load64(p);
  const u64 image_addr = be::load64(p + 56);
  // The image still carries its 64 KiB header: the kernel's mark and size
  // field sit 64 KiB above where they will be once stage 3 has run.
  const u64 header = image_addr + kKernelHeaderSize;
  if (image_addr >= mem.size() || !has_signature(mem, header + (kLinuxSignature - kLinuxEntry))) {
    LOG("the entry runs zipl's stage 3 (0x%llx) for an image at 0x%llx that is not "
        "a Linux kernel\n",
        entry_address, image_addr);
    return WaitCode::kCmdlineNotLinux;
  }
  if (parm_addr == kZiplStage3Unset) {
    LOG("zipl wrote this entry without a parameter line (stage 3 has none to "
        "pass on)\n");
    return WaitCode::kCmdlineStage3;
  }
  u64 size = 0;
  if (WaitCode rc = header_size(mem, header + (kLinuxCmdlineSize - kLinuxEntry), &size);
      rc != WaitCode::kNone)
    return rc;
  out->via_stage3 = true;
  out->address = parm_addr;
  out->buffer_size = kZiplStage3CmdlineSize;
  if (size != 0 && size < kZiplStage3CmdlineSize) {
    out->buffer_size = static_cast<u32>(size);
    out->size_from_header = true;
  }
  if (parm_addr < kLinuxEntry || parm_addr + out->buffer_size > mem.size()) {
    LOG("stage 3's parameter line at 0x%llx is outside memory\n", parm_addr);
    return WaitCode::kCmdlineBadSize;
  }
  return WaitCode::kNone;
}

}  // namespace

WaitCode inspect_kernel_cmdline(GuestMemory& mem, u64 entry_address, KernelCmdline* out) {
  *out = KernelCmdline{};
  if (entry_address >= kZiplStage3Start && entry_address < kZiplStage3End) {
    return inspect_stage3(mem, entry_address, out);
  }
  if (entry_address != kLinuxEntry || !has_signature(mem, kLinuxSignature)) {
    LOG("the entry starts at 0x%llx without Linux's S390EP mark at 0x%llx: "
        "not a Linux kernel\n",
        entry_address, kLinuxSignature);
    return WaitCode::kCmdlineNotLinux;
  }
  u64 size = 0;
  if (WaitCode rc = header_size(mem, kLinuxCmdlineSize, &size); rc != WaitCode::kNone) return rc;
  out->size_from_header = size != 0;
  out->buffer_size = size != 0 ? static_cast<u32>(size) : kLegacyCmdlineSize;
  if (kLinuxCmdline + out->buffer_size > mem.size()) {
    LOG("the kernel's %u-byte command line at 0x%llx is outside memory\n", out->buffer_size,
        kLinuxCmdline);
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
  u64 addr = k.address;
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
    LOG("the parameter line is %u bytes; this kernel takes at most %u (%s)\n", len, k.max_length(),
        k.via_stage3         ? "zipl's stage 3 copies 896 bytes"
        : k.size_from_header ? "its header at 0x10430"
                             : "legacy size, no header field");
    return WaitCode::kCmdlineTooLong;
  }
  const char nul = '\0';
  if ((len > 0 && !mem.write(k.address, line, len)) || !mem.write(k.address + len, &nul, 1))
    return WaitCode::kCmdlineBadSize;
  return WaitCode::kNone;
}

}  // namespace ccwboot::menu
