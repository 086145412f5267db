// Where a loaded Linux kernel reads its command line, and how long it may be
// (the s390 Linux image protocol, docs/zipl-formats.md):
//   0x10000  entry point ("startup"), the execute PSW of a zipl Linux entry
//   0x10008  "S390EP": the image is a Linux kernel
//   0x10430  u64: the size of the kernel's command-line buffer, NUL included
//            (0 on kernels older than the field: 896 bytes)
//   0x10480  the command line, NUL-terminated ASCII
// Portable: works on GuestMemory after BootMap::load() and before the hand-off.
#pragma once

#include "ccwboot/guest_memory.h"
#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::menu {

inline constexpr u64 kLinuxEntry = 0x10000;
inline constexpr u64 kLinuxSignature = 0x10008;     // "S390EP"
inline constexpr u64 kLinuxCmdlineSize = 0x10430;   // u64 buffer size
inline constexpr u64 kLinuxCmdline = 0x10480;       // the line itself
inline constexpr u32 kLegacyCmdlineSize = 896;      // when 0x10430 holds 0
// A size field above this is not a kernel's (Linux allows up to 1 MiB at most
// through CONFIG_COMMAND_LINE_SIZE; larger means the image is not what it seems).
inline constexpr u64 kMaxCmdlineSize = 1u << 20;
// zipl's stage-3 loader (0xa000, entered at 0xa050) copies the parameter line
// from its own area to 0x10480 when it runs: a line written there first
// would be overwritten.
inline constexpr u64 kZiplStage3Start = 0xa000;
inline constexpr u64 kZiplStage3End = 0xd000;

struct KernelCmdline {
  u32 buffer_size = 0;            // bytes at 0x10480, NUL included
  bool size_from_header = false;  // false: the header field was 0, legacy size
  u32 max_length() const { return buffer_size - 1; }
};

// Checks that the entry loaded into `mem` starts a Linux kernel whose command
// line ccwboot can set, and reads its limit. `entry_address` is the address
// of the entry's start PSW. Errors: kCmdlineStage3 (zipl stage 3 would
// overwrite the line), kCmdlineNotLinux (not a kernel: a raw program),
// kCmdlineBadSize (size field implausible or the buffer outside memory).
WaitCode inspect_kernel_cmdline(GuestMemory& mem, u64 entry_address, KernelCmdline* out);

// The line the kernel would see now (up to its NUL, at most max_length()
// bytes) into buf (cap bytes, NUL-terminated); *len = its length.
WaitCode read_kernel_cmdline(GuestMemory& mem, const KernelCmdline& k, char* buf, u32 cap,
                             u32* len);

// Writes `line` (len bytes) and its NUL at 0x10480. A line longer than
// max_length() is refused with kCmdlineTooLong and nothing is written.
WaitCode write_kernel_cmdline(GuestMemory& mem, const KernelCmdline& k, const char* line, u32 len);

}  // namespace ccwboot::menu
