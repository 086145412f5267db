// Where a loaded Linux kernel reads its command line, and how long it may be
// (the s390 Linux image protocol, docs/zipl-formats.md):
//   0x10000  entry point ("startup"), the execute PSW of a zipl Linux entry
//   0x10008  "S390EP": the image is a Linux kernel
//   0x10430  u64: the size of the kernel's command-line buffer, NUL included
//            (0 on kernels older than the field: 896 bytes)
//   0x10480  the command line, NUL-terminated ASCII
// An entry written by the real zipl starts its stage-3 loader instead, which
// puts the line there itself when it runs (zipl/boot/stage3.c, read for facts):
//   0x9000   stage 3's parameter block: u64 parm_addr (+0, all ones: none),
//            initrd address (+8) and length (+16), the kernel's PSW (+24),
//            extra-parameter flag (+32), flags (+40), image length (+48) and
//            address (+56)
//   the kernel image is loaded whole (64 KiB header first) at image_addr; stage 3
//   moves it down by 64 KiB, then copies 896 bytes from parm_addr to 0x10480
//   and ends them with a NUL at 895: its limit is 895 characters, whatever the
//   kernel's own. So for such an entry the line goes to parm_addr.
// Portable: works on GuestMemory after BootMap::load() and before the hand-off.
#pragma once

#include "ccwboot/guest_memory.h"
#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::menu {

inline constexpr u64 kLinuxEntry = 0x10000;
inline constexpr u64 kLinuxSignature = 0x10008;    // "S390EP"
inline constexpr u64 kLinuxCmdlineSize = 0x10430;  // u64 buffer size
inline constexpr u64 kLinuxCmdline = 0x10480;      // the line itself
inline constexpr u32 kLegacyCmdlineSize = 896;     // when 0x10430 holds 0
// A size field above this is not a kernel's (Linux allows up to 1 MiB at most
// through CONFIG_COMMAND_LINE_SIZE; larger means the image is not what it seems).
inline constexpr u64 kMaxCmdlineSize = 1u << 20;
// zipl's stage-3 loader: loaded at 0xa000 (entered at 0xa050 and nearby),
// its parameter block at 0x9000.
inline constexpr u64 kZiplStage3Start = 0xa000;
inline constexpr u64 kZiplStage3End = 0xe000;
inline constexpr u64 kZiplStage3Params = 0x9000;
inline constexpr u64 kZiplStage3Unset = ~0ULL;      // parm_addr when zipl wrote no line
inline constexpr u32 kZiplStage3CmdlineSize = 896;  // bytes stage 3 copies, NUL included
inline constexpr u64 kKernelHeaderSize = 0x10000;   // what stage 3 cuts off the image

struct KernelCmdline {
  u64 address = kLinuxCmdline;    // where the line is written (stage 3: its parm_addr)
  u32 buffer_size = 0;            // bytes there, NUL included
  bool size_from_header = false;  // the limit is the kernel's header field (0x10430)
  bool via_stage3 = false;        // zipl's stage 3 copies the line (limit 895)
  u32 max_length() const { return buffer_size - 1; }
};

// Checks that the entry loaded into `mem` starts a Linux kernel whose command
// line ccwboot can set, and reads its limit. `entry_address` is the address
// of the entry's start PSW. Errors: kCmdlineStage3 (a stage-3 entry without
// a parameter line to replace), kCmdlineNotLinux (not a kernel: a raw program),
// kCmdlineBadSize (size field implausible or the buffer outside memory).
WaitCode inspect_kernel_cmdline(GuestMemory& mem, u64 entry_address, KernelCmdline* out);

// The line the kernel would see now (up to its NUL, at most max_length()
// bytes) into buf (cap bytes, NUL-terminated); *len = its length.
WaitCode read_kernel_cmdline(GuestMemory& mem, const KernelCmdline& k, char* buf, u32 cap,
                             u32* len);

// Writes `line` (len bytes) and its NUL at k.address. A line longer than
// max_length() is refused with kCmdlineTooLong and nothing is written.
WaitCode write_kernel_cmdline(GuestMemory& mem, const KernelCmdline& k, const char* line, u32 len);

}  // namespace ccwboot::menu
