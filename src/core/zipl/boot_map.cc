// BootMap: scheme detection from block 0, and the block/pointer/memory checks
// every scheme shares.
#include "ccwboot/zipl/boot_map.h"

#include "ccwboot/endian.h"
#include "ccwboot/log.h"
#include "parsers.h"

#define LOG_PREFIX "zipl: "

namespace ccwboot::zipl {

const char* scheme_name(Scheme s) {
  switch (s) {
    case Scheme::kScsi: return "SCSI";
    case Scheme::kEckdCdl: return "ECKD CDL";
    case Scheme::kEckdLdl: return "ECKD LDL";
    case Scheme::kIso9660: return "ISO 9660";
    case Scheme::kNone: break;
  }
  return "none";
}

const char* scheme_label(Scheme s) {
  return s == Scheme::kScsi ? "SCSI scheme" : s == Scheme::kNone ? "no boot map" : scheme_name(s);
}

WaitCode SchemeParsers::read_logical(BootMap& map, u64 block, u32 count, void* dst,
                                     const char* what) {
  const u32 factor = map.lbs_ / map.dev_->block_size();
  if (block > (~0ULL >> 16)) {
    LOG("%s at block %llu is beyond any disk\n", what, block);
    return WaitCode::kZiplReadFailed;
  }
  if (WaitCode w = map.dev_->read(block * factor, count * factor, dst); w != WaitCode::kNone) {
    LOG("cannot read %s at block %llu (%u blocks of %u bytes)\n", what, block, count, map.lbs_);
    return w;
  }
  return WaitCode::kNone;
}

WaitCode SchemeParsers::decode(const BootMap& map, const u8* p, Extent* out, const char* what) {
  u32 size = 0;
  if (is_eckd(map.menu_.scheme)) {
    // cylinder (16), head (16, high 12 bits extend the cylinder), record (8), size, count-1
    const u64 cyl = be::load16(p) + (u64{be::load16(p + 2) & 0xfff0u} << 12);
    const u32 head = be::load16(p + 2) & 0xf;
    const u32 rec = p[4];
    size = be::load16(p + 5);
    if (cyl == 0 && head == 0 && rec == 0) {
      *out = Extent{};
      return WaitCode::kNone;
    }
    if (head >= map.heads_ || rec == 0 || rec > map.blocks_per_track_) {
      LOG("%s points to cylinder %llu head %u record %u, outside the geometry "
          "(%u heads, %u records per track)\n",
          what, cyl, head, rec, map.heads_, map.blocks_per_track_);
      return WaitCode::kZiplEckdBadAddress;
    }
    out->block = (cyl * map.heads_ + head) * map.blocks_per_track_ + rec - 1;
    out->count = u32{p[7]} + 1;
  } else {
    // block number (64), size (16), count-1 (16)
    out->block = be::load64(p);
    size = be::load16(p + 8);
    out->count = u32{be::load16(p + 10)} + 1;
    if (out->block == 0) {
      *out = Extent{};
      return WaitCode::kNone;
    }
  }
  out->null = false;
  if (size != map.lbs_) {
    LOG("%s has block size %u, the disk has %u-byte blocks\n", what, size, map.lbs_);
    return WaitCode::kZiplBadBlockPointer;
  }
  const u64 blocks = map.dev_->block_count() / (map.lbs_ / map.dev_->block_size());
  if (map.dev_->block_count() != 0 && (out->block >= blocks || out->count > blocks - out->block)) {
    LOG("%s points to blocks %llu..%llu, the disk has %llu blocks\n", what, out->block,
        out->block + out->count - 1, blocks);
    return WaitCode::kZiplBadBlockPointer;
  }
  return WaitCode::kNone;
}

WaitCode SchemeParsers::check_target(u64 addr, u64 len, GuestMemory& mem,
                                     const LoadLimits& limits) {
  const u64 end = addr + len;
  if (end < addr || addr < limits.min_address || end > mem.size()) {
    LOG("component data 0x%llx..0x%llx is outside guest memory 0x%llx..0x%llx\n", addr, end,
        limits.min_address, mem.size());
    return WaitCode::kZiplLoadOutsideMemory;
  }
  if (const ReservedRange* r = limits.reserved.find_overlap({addr, end})) {
    LOG("component data 0x%llx..0x%llx overlaps %s at 0x%llx..0x%llx\n", addr, end, r->name,
        r->start, r->end);
    return WaitCode::kZiplLoadReserved;
  }
  return WaitCode::kNone;
}

WaitCode SchemeParsers::load_extent(BootMap& map, u64 block, u32 count, u64 addr, GuestMemory& mem,
                                    const LoadLimits& limits, LoadResult* out) {
  const u64 len = u64{count} * map.lbs_;
  if (WaitCode rc = check_target(addr, len, mem, limits); rc != WaitCode::kNone) return rc;
  const u32 factor = map.lbs_ / map.dev_->block_size();
  if (WaitCode w = read_to_guest(*map.dev_, block * factor, count * factor, mem, addr, map.bounce_,
                                 sizeof(map.bounce_));
      w != WaitCode::kNone) {
    LOG("cannot load blocks %llu..%llu to 0x%llx\n", block, block + count - 1, addr);
    return w;
  }
  if (out->bytes_loaded == 0 || addr < out->lowest) out->lowest = addr;
  if (addr + len > out->highest) out->highest = addr + len;
  out->bytes_loaded += len;
  return WaitCode::kNone;
}

WaitCode BootMap::open(BlockDevice& dev) {
  dev_ = &dev;
  menu_ = BootMenu{};
  for (auto& e : entry_block_) e = 0;
  const u32 dbs = dev.block_size();
  if (dbs != 512 && dbs != 1024 && dbs != 2048 && dbs != 4096) {
    LOG("the disk has %u-byte blocks; only 512, 1024, 2048 and 4096 boot\n", dbs);
    return WaitCode::kZiplBadBlockSize;
  }
  lbs_ = dbs;
  if (WaitCode rc = SchemeParsers::read_logical(*this, 0, 1, table_, "block 0");
      rc != WaitCode::kNone)
    return rc;

  WaitCode rc;
  if (table_[0] == 'z' && table_[1] == 'I' && table_[2] == 'P' && table_[3] == 'L') {
    rc = SchemeParsers::open_scsi(*this);
  } else {
    bool iso = false;
    rc = SchemeParsers::open_iso(*this, &iso);
    if (!iso) rc = SchemeParsers::open_eckd(*this);
  }
  if (rc != WaitCode::kNone) return rc;
  menu_.logical_block_size = lbs_;
  return WaitCode::kNone;
}

WaitCode BootMap::load(u32 entry, GuestMemory& mem, const LoadLimits& limits, LoadResult* out) {
  *out = LoadResult{};
  if (menu_.scheme == Scheme::kNone || dev_ == nullptr) {
    LOG("no boot map has been read from this disk\n");
    return WaitCode::kZiplNoBootMap;
  }
  if (entry >= kMaxEntries || !menu_.entries[entry].present) {
    LOG("boot entry %u does not exist on this disk (highest entry %u)\n", entry,
        menu_.highest_entry);
    return WaitCode::kZiplNoSuchEntry;
  }
  if (menu_.scheme == Scheme::kIso9660) return SchemeParsers::load_iso(*this, mem, limits, out);
  return SchemeParsers::load_components(*this, entry, mem, limits, out);
}

}  // namespace ccwboot::zipl
