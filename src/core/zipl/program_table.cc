// The part SCSI and ECKD boot maps share (only their block pointers differ):
//   program table   "zIPL" + 12 bytes, then one 16-byte pointer per entry
//                   (slot 0 = default, slot N = loadparm N) to a component table;
//   component table 32-byte header ("zIPL", type 0 = IPL), then 32-byte entries:
//                   pointer (16), 7 pad bytes, type (2 load, 1 execute, 3 signature),
//                   load address or start PSW (64);
//   block list      16-byte pointers to data blocks, loaded one after the other
//                   from the load address; a null pointer ends the list and the
//                   last slot of a list block, if used, continues the list in
//                   another block.
#include "ccwboot/arch/psw.h"
#include "ccwboot/endian.h"
#include "ccwboot/log.h"
#include "parsers.h"

#define LOG_PREFIX "zipl: "

namespace ccwboot::zipl {
namespace {

constexpr u32 kTableHeader = 16;
constexpr u32 kComponentHeader = 32;
constexpr u32 kComponentEntry = 32;
constexpr u8 kTypeExecute = 0x01;
constexpr u8 kComponentHeaderDump = 0x01;  // header type: 0 IPL, 1 dump
constexpr u8 kTypeLoad = 0x02;
constexpr u8 kTypeSignature = 0x03;

bool is_zipl(const u8* p) { return p[0] == 'z' && p[1] == 'I' && p[2] == 'P' && p[3] == 'L'; }

}  // namespace

WaitCode SchemeParsers::read_program_table(BootMap& map, const Extent& pointer,
                                           const char* null_pointer) {
  if (pointer.null) {
    LOG("%s\n", null_pointer);
    return WaitCode::kZiplBadProgramTable;
  }
  map.table_block_ = pointer.block;
  if (WaitCode rc = read_logical(map, map.table_block_, 1, map.table_, "the program table");
      rc != WaitCode::kNone)
    return rc;
  if (!is_zipl(map.table_)) {
    LOG("the program table at block %llu has no zIPL magic\n", map.table_block_);
    return WaitCode::kZiplBadProgramTable;
  }
  const u32 slots = (map.lbs_ - kTableHeader) / 16;
  u32 present = 0;
  for (u32 i = 0; i < kMaxEntries && i < slots; ++i) {
    Extent e;
    if (WaitCode rc = decode(map, map.table_ + kTableHeader + 16 * i, &e, "a program table entry");
        rc != WaitCode::kNone)
      return rc;
    if (e.null) continue;
    map.entry_block_[i] = e.block;
    map.menu_.entries[i].present = true;
    map.menu_.entries[i].name[0] = '\0';
    ++present;
    if (i > 0) map.menu_.highest_entry = i;
  }
  if (present == 0) {
    LOG("the program table has no entries\n");
    return WaitCode::kZiplBadProgramTable;
  }
  if (!map.menu_.entries[0].present) {
    LOG("the program table has no default entry (slot 0)\n");
    return WaitCode::kZiplBadProgramTable;
  }
  // zipl's default is a copy of one numbered entry: find which one.
  for (u32 i = 1; i <= map.menu_.highest_entry; ++i)
    if (map.menu_.entries[i].present && map.entry_block_[i] == map.entry_block_[0]) {
      map.menu_.default_entry = i;
      break;
    }
  return WaitCode::kNone;
}

WaitCode SchemeParsers::load_components(BootMap& map, u32 entry, GuestMemory& mem,
                                        const LoadLimits& limits, LoadResult* out) {
  u8* const table = map.table_;
  if (WaitCode rc = read_logical(map, map.entry_block_[entry], 1, table, "the component table");
      rc != WaitCode::kNone)
    return rc;
  // zipl marks a dump record's component table with type 1 (a stand-alone dump tool):
  // never start it as an operating system.
  if (is_zipl(table) && table[4] == kComponentHeaderDump) {
    LOG("entry %u is a zipl dump record (stand-alone dump tool), not a boot entry\n", entry);
    return WaitCode::kZiplDumpRecord;
  }
  if (!is_zipl(table) || table[4] != 0x00) {
    LOG("entry %u: the component table at block %llu has no zIPL IPL header\n", entry,
        map.entry_block_[entry]);
    return WaitCode::kZiplBadComponentTable;
  }
  const u32 slots = (map.lbs_ - kComponentHeader) / kComponentEntry;
  const u32 list_slots = map.lbs_ / 16;
  for (u32 i = 0; i < slots; ++i) {
    const u8* ce = table + kComponentHeader + kComponentEntry * i;
    const u8 type = ce[23];
    const u64 value = be::load64(ce + 24);
    if (type == kTypeExecute) {
      const u64 addr = short_psw::instruction_address(value);
      if (!short_psw::has_bit12(value) || addr >= mem.size()) {
        LOG("entry %u: start PSW 0x%016llx is not a short PSW inside memory\n", entry, value);
        return WaitCode::kZiplBadPsw;
      }
      if (const ReservedRange* r = limits.reserved.find_overlap(AddrRange::at(addr, 1))) {
        LOG("entry %u: start PSW 0x%016llx points into %s\n", entry, value, r->name);
        return WaitCode::kZiplBadPsw;
      }
      out->psw = value;
      out->entry_address = addr;
      return WaitCode::kNone;
    }
    if (type == kTypeSignature) {
      // Secure-IPL signatures: ccwboot does not verify them (as QEMU's bios on DASD).
      LOG("entry %u: skipping a signature component (not verified)\n", entry);
      continue;
    }
    if (type != kTypeLoad) {
      LOG("entry %u: component %u has unknown type 0x%02x\n", entry, i, type);
      return WaitCode::kZiplUnknownComponent;
    }
    if (++out->components > kMaxComponents) {
      LOG("entry %u: more than %u load components\n", entry, kMaxComponents);
      return WaitCode::kZiplTooManyComponents;
    }
    Extent list;
    if (WaitCode rc = decode(map, ce, &list, "a component's block list pointer");
        rc != WaitCode::kNone)
      return rc;
    if (list.null) {
      LOG("entry %u: component %u has no block list\n", entry, i);
      return WaitCode::kZiplBadBlockPointer;
    }
    u64 addr = value;
    u64 list_block = list.block;
    bool more = true;
    // The last few list blocks visited: a continuation back to one of them is a
    // loop, reported at once; longer cycles end at the memory or the count bound.
    u64 recent[8] = {};
    for (u32 visited = 0; more; ++visited) {
      if (visited >= kMaxBlockListBlocks) {
        LOG("entry %u: component %u's block list runs over %u blocks (a loop?)\n", entry, i,
            kMaxBlockListBlocks);
        return WaitCode::kZiplBlockListTooLong;
      }
      for (u32 r = 0; r < 8 && r < visited; ++r)
        if (recent[r] == list_block) {
          LOG("entry %u: component %u's block list loops back to block %llu\n", entry, i,
              list_block);
          return WaitCode::kZiplBlockListTooLong;
        }
      recent[visited % 8] = list_block;
      if (WaitCode rc = read_logical(map, list_block, 1, map.list_, "a block list");
          rc != WaitCode::kNone)
        return rc;
      more = false;
      for (u32 s = 0; s < list_slots; ++s) {
        Extent x;
        if (WaitCode rc = decode(map, map.list_ + 16 * s, &x, "a data block pointer");
            rc != WaitCode::kNone)
          return rc;
        if (x.null) break;
        if (s == list_slots - 1) {  // the last slot continues the list
          list_block = x.block;
          more = true;
          break;
        }
        if (WaitCode rc = load_extent(map, x.block, x.count, addr, mem, limits, out);
            rc != WaitCode::kNone)
          return rc;
        addr += u64{x.count} * map.lbs_;
      }
    }
  }
  LOG("entry %u: the component table ends without an execute entry\n", entry);
  return WaitCode::kZiplNoExecuteEntry;
}

}  // namespace ccwboot::zipl
