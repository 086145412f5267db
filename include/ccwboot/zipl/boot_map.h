// zipl boot maps on a block device: find the scheme from block 0, list the boot
// entries, load one entry into guest memory and return its start PSW.
//
// Schemes (docs/zipl-formats.md describes every structure):
//   SCSI       block 0 holds the "zIPL" master boot record -> program table ->
//              component tables (load / execute entries) -> block-pointer lists.
//   ECKD CDL   block 0 "IPL1", block 1 "IPL2" with a zIPL section pointing at the
//              boot map table; block pointers are cylinder/head/record.
//   ECKD LDL   boot info ("zIPL") at offset 0x70 of block 0, label "LNX1"/"CMS1"
//              (or none) in block 2.
//   ISO 9660   El Torito boot catalogue; the boot image is loaded and started as
//              a Linux kernel (parm area tells where the initrd is).
//
// Use:
//   static ccwboot::zipl::BootMap map;        // ~30 KiB of scratch, keep it static
//   WaitCode rc = map.open(disk);             // reads the tables, fills menu()
//   ... pick entry (0 = default; loadparm N = entry N) ...
//   rc = map.load(n, memory, limits, &result); // writes the components
//   ... hand off: result.psw is the 8-byte ESA/390 short PSW to load ...
//
// The disk is untrusted: every loop over disk data is bounded, every address is
// checked against the memory size and the caller's reserved ranges before a
// single byte is written, and every failure is a WaitCode in 0x0300-0x033f with
// a log_printf message that says what is wrong.
#pragma once

#include "ccwboot/addr_range.h"
#include "ccwboot/guest_memory.h"
#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"
#include "ccwboot/block_device.h"

namespace ccwboot::zipl {

enum class Scheme : u8 { kNone, kScsi, kEckdCdl, kEckdLdl, kIso9660 };
const char* scheme_name(Scheme s);
// The same as menus say it: "SCSI scheme", ..., "no boot map".
const char* scheme_label(Scheme s);

// Program table slots: 0 is the default, 1..30 the numbered entries (loadparm).
inline constexpr u32 kMaxEntries = 31;
inline constexpr u32 kMaxNameLength = 63;

// An entry number as a loadparm or a menu answer spells it: decimal digits
// only, leading zeros allowed (QEMU's bios reads loadparm "0002" as 2). From
// 1000 up the value stays 1000: no entry, and no device of the menu, is that
// large, and the number cannot overflow. False when `len` is 0 or a
// character is not a digit.
constexpr bool parse_entry_number(const char* s, u32 len, u32* out) {
  if (len == 0) return false;
  u32 v = 0;
  for (u32 i = 0; i < len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<u32>(s[i] - '0');
    if (v > 1000) v = 1000;
  }
  *out = v;
  return true;
}
// Largest block the parsers handle (zipl's own limit).
inline constexpr u32 kMaxBlockSize = 4096;
// Bounds for hostile disks.
inline constexpr u32 kMaxComponents = 64;          // load entries per boot entry
inline constexpr u32 kMaxBlockListBlocks = 16384;  // block-pointer list blocks per component
inline constexpr u32 kMaxMenuBytes = 8192;         // zipl menu text scanned

struct BootEntry {
  bool present = false;                // slot in use on the disk
  char name[kMaxNameLength + 1] = {};  // from the disk's menu text ("" if the disk has none)
};

struct BootMenu {
  Scheme scheme = Scheme::kNone;
  u32 logical_block_size = 0;           // block size the map's pointers count in
  BootEntry entries[kMaxEntries] = {};  // index = entry number; entries[0] = default
  u32 highest_entry = 0;                // highest numbered entry present (0: only default)
  bool has_names = false;               // the disk carries menu text (zipl ECKD stage 2)
  bool prompt = false;                  // zipl menu "prompt" flag from the disk
  u32 timeout_seconds = 0;              // zipl menu timeout from the disk (0: none)
  u32 default_entry = 0;                // numbered entry the default is a copy of (0: unknown)
  char volser[7] = {};                  // ECKD volume serial, ASCII ("" if none)
};

struct LoadLimits {
  // Guest memory the boot map must not write: the firmware's image, stack,
  // I/O buffers, the prefix area in use.
  ReservedSet reserved;
  // Lowest address a component may be written to. zipl maps load at 0x10000 and
  // above; an El Torito Linux image loads at 0 (its IPL PSW and lowcore), so the
  // default allows everything and the hand-off must restore what it writes at 0.
  u64 min_address = 0;
};

struct LoadResult {
  u64 psw = 0;            // execute entry as stored: ESA/390 short PSW (mask | address)
  u64 entry_address = 0;  // psw & 0x7fffffff
  u32 components = 0;     // load components written
  u64 bytes_loaded = 0;
  u64 lowest = 0;  // lowest and highest+1 guest address written
  u64 highest = 0;
};

class BootMap {
 public:
  // Reads block 0 and the tables it leads to; afterwards menu() lists the entries.
  // Does not write guest memory.
  WaitCode open(BlockDevice& dev);

  const BootMenu& menu() const { return menu_; }

  // Loads boot entry `entry` (0 = default) into `mem` and reports its start PSW.
  // open() must have succeeded. On error, memory may hold a partial load but
  // nothing inside a reserved range or outside [min_address, mem.size()).
  WaitCode load(u32 entry, GuestMemory& mem, const LoadLimits& limits, LoadResult* out);

 private:
  // Implementation state; see src/core/zipl/*.cc.
  friend class SchemeParsers;
  BlockDevice* dev_ = nullptr;
  BootMenu menu_;
  u32 lbs_ = 0;    // logical block size the pointers count in
  u32 heads_ = 0;  // ECKD geometry (for cylinder/head/record pointers)
  u32 blocks_per_track_ = 0;
  u64 table_block_ = 0;                // program table / boot map table (logical block)
  u64 entry_block_[kMaxEntries] = {};  // component table per entry (logical block)
  // ISO: boot image location (logical blocks of lbs_) and size in bytes.
  u64 iso_image_block_ = 0;
  u64 iso_image_bytes_ = 0;
  u64 iso_load_address_ = 0;
  alignas(8) u8 table_[kMaxBlockSize] = {};       // program / component table
  alignas(8) u8 list_[kMaxBlockSize] = {};        // block-pointer list being walked
  alignas(8) u8 bounce_[4 * kMaxBlockSize] = {};  // data on its way to guest memory
};

}  // namespace ccwboot::zipl
