// Internal to src/core/zipl: the scheme parsers behind BootMap. Each function
// fills BootMap's private state or loads into guest memory, and returns a named
// WaitCode after logging what is wrong.
#pragma once

#include "ccwboot/zipl/boot_map.h"

namespace ccwboot::zipl {

// A decoded block pointer: `count` logical blocks from `block`.
struct Extent {
  u64 block = 0;
  u32 count = 0;
  bool null = true;  // end-of-list marker (SCSI block 0, ECKD 0/0/0)
};

class SchemeParsers {
 public:
  // Reads `count` logical blocks (of map.lbs_) into dst.
  static WaitCode read_logical(BootMap& map, u64 block, u32 count, void* dst, const char* what);
  // Decodes the 16-byte pointer at p in the scheme's format and checks it against
  // the block size and the disk size.
  static WaitCode decode(const BootMap& map, const u8* p, Extent* out, const char* what);

  // ECKD cylinder/head/record at p (5 bytes) to a linear block; false if null or
  // outside the geometry.
  static bool eckd_chs(const BootMap& map, const u8* p, u64* block);
  // zipl's menu text in the stage-2 loader blocks listed by stage 1b: entry names,
  // prompt flag, timeout. Optional: a disk without it boots all the same.
  static void read_eckd_menu(BootMap& map, u64 stage1b_block);

  static WaitCode open_scsi(BootMap& map);
  static WaitCode open_eckd(BootMap& map);
  static WaitCode open_iso(BootMap& map, bool* found);
  // Program table (SCSI) / boot map table (ECKD) that `pointer` names, into
  // map.table_; a null pointer is logged as `null_pointer` says
  // (kZiplBadProgramTable).
  static WaitCode read_program_table(BootMap& map, const Extent& pointer, const char* null_pointer);

  static WaitCode load_components(BootMap& map, u32 entry, GuestMemory& mem,
                                  const LoadLimits& limits, LoadResult* out);
  static WaitCode load_iso(BootMap& map, GuestMemory& mem, const LoadLimits& limits,
                           LoadResult* out);
  // Checks [addr, addr+len) against memory and reserved ranges, then reads
  // `count` logical blocks from `block` there.
  static WaitCode load_extent(BootMap& map, u64 block, u32 count, u64 addr, GuestMemory& mem,
                              const LoadLimits& limits, LoadResult* out);
  static WaitCode check_target(u64 addr, u64 len, GuestMemory& mem, const LoadLimits& limits);
};

inline bool is_eckd(Scheme s) { return s == Scheme::kEckdCdl || s == Scheme::kEckdLdl; }

}  // namespace ccwboot::zipl
