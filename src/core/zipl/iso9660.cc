// ISO 9660 install media with an El Torito boot catalogue. The boot image of an
// s390x ISO is a Linux kernel image with its initrd and parameter line inside; it
// is loaded at its load segment (0) and started like an IPLed kernel.
//   sector 16..   volume descriptors: type, "CD001", version; the El Torito boot
//                 record (type 0, "EL TORITO SPECIFICATION") holds the catalogue
//                 sector (LE32 at 0x47); the primary descriptor (type 1) the root
//                 directory record at 156.
//   catalogue     validation entry (header 1, key 55 AA, 16-bit words sum to 0),
//                 default entry (0x88 bootable, load segment LE16 at 2, sector
//                 count LE16 at 6 in 512-byte units, image sector LE32 at 8), then
//                 section headers (0x90/0x91) and their entries.
// Numbers in ISO 9660 are little endian (or both-endian; the LE half is used).
#include "ccwboot/arch/psw.h"
#include "ccwboot/endian.h"
#include "ccwboot/log.h"
#include "parsers.h"

#define LOG_PREFIX "zipl: "

namespace ccwboot::zipl {
namespace {

constexpr u32 kSector = 2048;
constexpr u32 kFirstDescriptor = 16;
constexpr u32 kMaxDescriptors = 32;
constexpr u32 kMaxDirSectors = 4096;  // directory sectors scanned for the image size
constexpr u32 kMaxDirDepth = 8;
constexpr u64 kLinuxEntry = 0x10000;

bool equal(const u8* p, const char* s) {
  for (; *s; ++s, ++p)
    if (*p != static_cast<u8>(*s)) return false;
  return true;
}

}  // namespace

// Finds the size of the file whose extent starts at `lba` by walking the directory
// tree from the root (bounded in depth and sectors read). Returns 0 if not found.
static u64 iso_file_size(BootMap& map, u32 root_lba, u32 root_len, u32 lba, u8* buf) {
  struct Dir {
    u32 lba, len;
  } stack[kMaxDirDepth];
  u32 depth = 0, sectors = 0;
  stack[depth++] = {root_lba, root_len};
  while (depth > 0) {
    const Dir d = stack[--depth];
    const u32 nsec = (d.len + kSector - 1) / kSector;
    for (u32 s = 0; s < nsec; ++s) {
      if (++sectors > kMaxDirSectors) return 0;
      if (SchemeParsers::read_logical(map, u64{d.lba} + s, 1, buf, "an ISO directory") !=
          WaitCode::kNone)
        return 0;
      for (u32 off = 0; off + 34 <= kSector;) {
        const u8* r = buf + off;
        const u32 rlen = r[0];
        if (rlen == 0) break;  // rest of the sector is padding
        if (rlen < 34 || off + rlen > kSector) break;
        const u32 ext = le::load32(r + 2), size = le::load32(r + 10), name_len = r[32];
        const bool dir = (r[25] & 0x02) != 0;
        const bool dot = name_len == 1 && (r[33] == 0 || r[33] == 1);
        if (!dir && ext == lba) return size;
        if (dir && !dot && depth < kMaxDirDepth) stack[depth++] = {ext, size};
        off += rlen;
      }
    }
  }
  return 0;
}

WaitCode SchemeParsers::open_iso(BootMap& map, bool* found) {
  *found = false;
  const u32 saved_lbs = map.lbs_;
  if (map.dev_->block_size() > kSector) return WaitCode::kNone;
  map.lbs_ = kSector;
  u8* buf = map.list_;
  u32 catalog = 0, root_lba = 0, root_len = 0;
  bool boot_record = false;
  for (u32 i = 0; i < kMaxDescriptors; ++i) {
    if (read_logical(map, kFirstDescriptor + i, 1, buf, "an ISO volume descriptor") !=
            WaitCode::kNone ||
        !equal(buf + 1, "CD001")) {
      if (i == 0) {  // not an ISO image: let the ECKD probe look at the disk
        map.lbs_ = saved_lbs;
        return WaitCode::kNone;
      }
      break;
    }
    *found = true;
    if (buf[0] == 0 && equal(buf + 7, "EL TORITO SPECIFICATION")) {
      boot_record = true;
      catalog = le::load32(buf + 0x47);
    } else if (buf[0] == 1) {
      root_lba = le::load32(buf + 156 + 2);
      root_len = le::load32(buf + 156 + 10);
    } else if (buf[0] == 255) {
      break;  // set terminator
    }
  }
  map.menu_.scheme = Scheme::kIso9660;
  if (!boot_record) {
    LOG("the ISO 9660 image has no El Torito boot record\n");
    return WaitCode::kIsoNoBootRecord;
  }
  if (WaitCode rc = read_logical(map, catalog, 1, buf, "the El Torito boot catalogue");
      rc != WaitCode::kNone)
    return rc;
  u16 sum = 0;
  for (u32 i = 0; i < 32; i += 2) sum = static_cast<u16>(sum + le::load16(buf + i));
  if (buf[0] != 0x01 || buf[30] != 0x55 || buf[31] != 0xaa || sum != 0) {
    LOG("the El Torito validation entry is invalid (header %u, key %02x%02x, sum %u)\n", buf[0],
        buf[30], buf[31], sum);
    return WaitCode::kIsoBadBootCatalog;
  }
  // The default entry, then any section entries: take the first bootable one.
  const u8* chosen = nullptr;
  for (u32 off = 32; off + 32 <= kSector && chosen == nullptr; off += 32) {
    const u8* e = buf + off;
    if (e[0] == 0x88 && le::load32(e + 8) != 0)
      chosen = e;  // section headers (0x90/0x91) are skipped
  }
  if (chosen == nullptr) {
    LOG("the El Torito catalogue has no bootable entry\n");
    return WaitCode::kIsoNoBootImage;
  }
  const u32 image_lba = le::load32(chosen + 8);
  const u64 segment = le::load16(chosen + 2);
  u64 bytes = iso_file_size(map, root_lba, root_len, image_lba, map.table_);
  if (bytes == 0)
    bytes = u64{le::load16(chosen + 6)} * 512;  // size not in a directory: trust the entry
  if (bytes == 0) {
    LOG("the El Torito boot image has size 0\n");
    return WaitCode::kIsoBadBootImage;
  }
  const u64 disk_sectors = map.dev_->block_count() / (kSector / map.dev_->block_size());
  const u64 nsec = (bytes + kSector - 1) / kSector;
  if (map.dev_->block_count() != 0 &&
      (image_lba >= disk_sectors || nsec > disk_sectors - image_lba)) {
    LOG("the El Torito boot image (sector %u, %llu bytes) runs past the end of the disk\n",
        image_lba, bytes);
    return WaitCode::kIsoBadBootImage;
  }
  map.iso_image_block_ = image_lba;
  map.iso_image_bytes_ = bytes;
  map.iso_load_address_ = segment * 16;
  map.menu_.entries[0].present = true;
  map.menu_.highest_entry = 0;
  return WaitCode::kNone;
}

WaitCode SchemeParsers::load_iso(BootMap& map, GuestMemory& mem, const LoadLimits& limits,
                                 LoadResult* out) {
  const u64 nsec = (map.iso_image_bytes_ + kSector - 1) / kSector;
  const u64 base = map.iso_load_address_;
  for (u64 done = 0; done < nsec;) {
    const u32 n = static_cast<u32>(nsec - done < 256 ? nsec - done : 256);
    if (WaitCode rc = load_extent(map, map.iso_image_block_ + done, n, base + done * kSector, mem,
                                  limits, out);
        rc != WaitCode::kNone)
      return rc;
    done += n;
  }
  out->components = 1;
  // A Linux image carries "S390EP" at 0x10008 and starts at 0x10000; anything else
  // starts with its IPL PSW.
  u8 sig[8] = {};
  u8 psw[8] = {};
  if (map.iso_image_bytes_ >= 0x10010 && mem.read(base + 0x10008, sig, 6) && equal(sig, "S390EP")) {
    out->psw = short_psw::make_start(static_cast<u32>(base + kLinuxEntry));
  } else if (mem.read(base, psw, 8) && short_psw::has_bit12(be::load64(psw))) {
    out->psw = be::load64(psw);
  } else {
    LOG("the El Torito boot image has neither a Linux entry nor an IPL PSW\n");
    return WaitCode::kIsoBadBootImage;
  }
  out->entry_address = short_psw::instruction_address(out->psw);
  if (out->entry_address >= mem.size()) {
    LOG("the El Torito boot image starts at 0x%llx, outside memory\n", out->entry_address);
    return WaitCode::kIsoBadBootImage;
  }
  return WaitCode::kNone;
}

}  // namespace ccwboot::zipl
