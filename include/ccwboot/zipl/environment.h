// zipl's environment block (zipl 2.35; zipl-editenv(8), zipl/boot/stage3.c read
// for facts). zipl writes it as a boot component (here at 0x4f5000) and names it
// in stage 3's parameter block (+64 address, +72 length):
//   "# zIPL Environment Block\n", then lines NAME=VALUE\n, then NULs.
// A NAME that starts with a digit d belongs to site d (0-9); the others form
// the common namespace. At IPL, zipl's stage 3 replaces each ${NAME} in the
// command line with the value of the active site's NAME, else the common
// NAME, else nothing. The active site comes from the loadparm stage 3 reads
// through SCLP: the digit after its first 'S' ("SS": the IPL subchannel's
// subchannel set); none: common only.
// So the expansion is stage 3's work, on every path; a firmware owes it the
// IPL loadparm through SCLP (the platform's IPL block hand-over does that) and
// a block stage 3 can walk: stage 3 trusts it and, on a line without '=' or
// newline, reads past it. ccwboot checks it first and refuses such a block.
// Portable; reads the loaded block through GuestMemory, bounded.
#pragma once

#include "ccwboot/guest_memory.h"
#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"
#include "ccwboot/zipl/stage3.h"

namespace ccwboot::zipl {

inline constexpr u32 kMaxEnvironmentBlock = 64 * 1024;  // zipl writes one 4 KiB block
inline constexpr u32 kEnvironmentSites = 10;

// The site zipl's stage 3 activates for an 8-character ASCII loadparm
// (blanks or NULs pad it), or -1 for none. `ssid`: the IPL subchannel's
// subchannel set, for "SS".
int zipl_site(const char* loadparm, u32 ssid);

struct EnvironmentSummary {
  bool present = false;              // the entry names an environment block
  bool signature = false;            // it starts with zipl's signature (else stage 3 ignores it)
  u32 common = 0;                    // values in the common namespace
  u32 site[kEnvironmentSites] = {};  // values per site
};

// Reads and checks the block stage 3's parameters name. Not present or
// without the signature: kNone (stage 3 skips it, printing "Bad envblk" in the
// second case). kZiplEnvBlockMalformed: outside memory, longer than
// kMaxEnvironmentBlock, a line that is not NAME=VALUE\n, or no NUL to end it.
WaitCode check_environment(GuestMemory& mem, const Stage3Params& params, EnvironmentSummary* out);

}  // namespace ccwboot::zipl
