// ECKD layouts of a DASD seen through virtio-blk. Blocks are the DASD's records
// in order; block pointers are cylinder/head/record triples on that geometry.
//   CDL: block 0 IPL1 record, block 1 IPL2 record with the zIPL section at 92
//        (magic, version, type, device type, flags, boot map table pointer),
//        block 2 the VOL1 label.
//   LDL: boot info ("zIPL", version 1, IPL, ECKD, flags, pointer) at 0x70 of
//        block 0; block 2 holds "LNX1"/"CMS1" or nothing (unlabelled).
#include "ccwboot/arch/iplb.h"
#include "ccwboot/endian.h"
#include "ccwboot/log.h"
#include "parsers.h"

#define LOG_PREFIX "zipl: "

namespace ccwboot::zipl {
namespace {

constexpr u8 kIpl1[4] = {0xc9, 0xd7, 0xd3, 0xf1};  // "IPL1" in EBCDIC
constexpr u8 kVol1[4] = {0xe5, 0xd6, 0xd3, 0xf1};  // "VOL1"
constexpr u8 kLnx1[4] = {0xd3, 0xd5, 0xe7, 0xf1};  // "LNX1"
constexpr u8 kCms1[4] = {0xc3, 0xd4, 0xe2, 0xf1};  // "CMS1"
constexpr u32 kZiplSectionOffset = 92;             // in the IPL2 record
constexpr u32 kBootInfoOffset = 0x70;              // in block 0 of an LDL disk
constexpr u8 kBootInfoDump = 1;                    // boot info / zIPL section type: 0 IPL, 1 dump
constexpr u32 kGuessedHeads = 15;

bool match4(const u8* p, const u8* m) {
  return p[0] == m[0] && p[1] == m[1] && p[2] == m[2] && p[3] == m[3];
}
bool is_zipl(const u8* p) { return p[0] == 'z' && p[1] == 'I' && p[2] == 'P' && p[3] == 'L'; }

// Records per 3390 track for each block size (QEMU's bios guesses the same).
u32 records_per_track(u32 block_size) {
  switch (block_size) {
    case 512: return 49;
    case 1024: return 33;
    case 2048: return 21;
    default: return 12;
  }
}

}  // namespace

WaitCode SchemeParsers::open_eckd(BootMap& map) {
  u32 heads = 0, bpt = 0;
  if (map.dev_->eckd_geometry(&heads, &bpt) && heads > 0 && heads <= 16 && bpt > 0 && bpt <= 255) {
    map.heads_ = heads;
    map.blocks_per_track_ = bpt;
  } else {
    // No DASD geometry: like QEMU's bios, assume a 3390 with 4-KiB records.
    map.lbs_ = 4096;
    map.heads_ = kGuessedHeads;
    map.blocks_per_track_ = records_per_track(4096);
  }
  if (WaitCode rc = read_logical(map, 0, 1, map.table_, "block 0"); rc != WaitCode::kNone)
    return rc;

  u8* blk = map.table_;
  Extent bmt;
  u64 stage1b = 0;
  bool has_stage1b = false;
  if (match4(blk, kIpl1)) {
    map.menu_.scheme = Scheme::kEckdCdl;
    if (WaitCode rc = read_logical(map, 1, 1, blk, "the IPL2 record"); rc != WaitCode::kNone)
      return rc;
    // Stage 1 in IPL2 names the stage-1b block (seek argument at 76): the way to the menu.
    has_stage1b = eckd_chs(map, blk + 78, &stage1b);
    const u8* zs = blk + kZiplSectionOffset;
    if (!is_zipl(zs)) {
      LOG("no zIPL section in the IPL2 record (volume not prepared by zipl)\n");
      return WaitCode::kZiplEckdNoZiplSection;
    }
    if (zs[6] != 0) {
      LOG("the zIPL section in IPL2 is for device type %u, not ECKD\n", zs[6]);
      return WaitCode::kZiplEckdNoZiplSection;
    }
    if (zs[5] == kBootInfoDump) {
      LOG("the zIPL section in IPL2 describes a dump record, not a boot map\n");
      return WaitCode::kZiplDumpRecord;
    }
    if (WaitCode rc = decode(map, zs + 8, &bmt, "the boot map table pointer in IPL2");
        rc != WaitCode::kNone)
      return rc;
    if (WaitCode rc = read_logical(map, 2, 1, blk, "the volume label"); rc != WaitCode::kNone)
      return rc;
    if (!match4(blk, kVol1) || !match4(blk + 4, kVol1)) {
      LOG("block 2 holds no VOL1 volume label\n");
      return WaitCode::kZiplEckdBadLabel;
    }
    for (u32 i = 0; i < 6; ++i) map.menu_.volser[i] = ebcdic_to_ascii(blk[8 + i]);
  } else {
    const bool boot_info = is_zipl(blk + kBootInfoOffset);
    const u8* label = map.list_;
    if (WaitCode rc = read_logical(map, 2, 1, map.list_, "block 2"); rc != WaitCode::kNone)
      return rc;
    const bool labelled = match4(label, kLnx1) || match4(label, kCms1);
    if (!boot_info) {
      LOG("block 0 holds neither a zIPL record, an IPL1 record nor LDL boot info%s\n",
          labelled ? " (the LDL volume has no boot loader)" : "");
      return WaitCode::kZiplNoBootMap;
    }
    if (labelled)
      for (u32 i = 0; i < 6; ++i) map.menu_.volser[i] = ebcdic_to_ascii(label[4 + i]);
    map.menu_.scheme = Scheme::kEckdLdl;
    // Stage 1 in block 0 names stage 1b (seek argument at 96): the way to the menu.
    has_stage1b = eckd_chs(map, blk + 98, &stage1b);
    const u8* bi = blk + kBootInfoOffset;
    if (bi[4] == 1 && bi[5] == kBootInfoDump) {
      LOG("the LDL boot info describes a dump record, not a boot map\n");
      return WaitCode::kZiplDumpRecord;
    }
    if (bi[4] != 1 || bi[5] != 0 || bi[6] != 0) {
      LOG("LDL boot info has version %u, type %u, device %u (expected 1, 0 IPL, 0 ECKD)\n", bi[4],
          bi[5], bi[6]);
      return WaitCode::kZiplEckdBadBootInfo;
    }
    if (WaitCode rc = decode(map, bi + 8, &bmt, "the boot map table pointer in the boot info");
        rc != WaitCode::kNone)
      return rc;
  }
  if (WaitCode rc = read_program_table(map, bmt, "the boot record has no boot map table pointer");
      rc != WaitCode::kNone)
    return rc;
  if (has_stage1b) read_eckd_menu(map, stage1b);
  return WaitCode::kNone;
}

}  // namespace ccwboot::zipl
