// Lays out zipl boot maps (SCSI scheme and ECKD CDL) on a raw disk image.
// Field layouts follow zipl's on-disk formats; see docs/zipl-formats.md.
#include "disk_layout.h"

#include <algorithm>
#include <cstring>

namespace ccwboot::mkdisk {
namespace {

void put16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v >> 8);
  p[1] = uint8_t(v);
}
void put32(uint8_t* p, uint32_t v) {
  put16(p, uint16_t(v >> 16));
  put16(p + 2, uint16_t(v));
}
void put64(uint8_t* p, uint64_t v) {
  put32(p, uint32_t(v >> 32));
  put32(p + 4, uint32_t(v));
}
uint64_t get64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

// ASCII to EBCDIC for the few characters labels and menus use.
uint8_t to_ebcdic(char c) {
  if (c >= 'A' && c <= 'I') return uint8_t(0xc1 + (c - 'A'));
  if (c >= 'J' && c <= 'R') return uint8_t(0xd1 + (c - 'J'));
  if (c >= 'S' && c <= 'Z') return uint8_t(0xe2 + (c - 'S'));
  if (c >= 'a' && c <= 'i') return uint8_t(0x81 + (c - 'a'));
  if (c >= 'j' && c <= 'r') return uint8_t(0x91 + (c - 'j'));
  if (c >= 's' && c <= 'z') return uint8_t(0xa2 + (c - 's'));
  if (c >= '0' && c <= '9') return uint8_t(0xf0 + (c - '0'));
  switch (c) {
    case '.': return 0x4b;
    case '-': return 0x60;
    case '_': return 0x6d;
    case ':': return 0x7a;
    case ' ': return 0x40;
    case '(': return 0x4d;
    case ')': return 0x5d;
    case '/': return 0x61;
    default: return 0x40;  // space and anything else
  }
}

const uint8_t kZiplMagic[4] = {'z', 'I', 'P', 'L'};
const uint8_t kIpl1[4] = {0xc9, 0xd7, 0xd3, 0xf1};
const uint8_t kIpl2[4] = {0xc9, 0xd7, 0xd3, 0xf2};
const uint8_t kVol1[4] = {0xe5, 0xd6, 0xd3, 0xf1};

constexpr uint8_t kComponentExecute = 0x01;
constexpr uint8_t kComponentLoad = 0x02;

// A disk being laid out: blocks handed out in order.
class Disk {
 public:
  Disk(uint32_t block_size, uint64_t first_free) : bs_(block_size), next_(first_free) {
    img_.resize(first_free * block_size);
  }
  uint64_t alloc(uint64_t blocks) {
    uint64_t b = next_;
    next_ += blocks;
    img_.resize(next_ * bs_);
    return b;
  }
  uint8_t* at(uint64_t block) { return &img_[block * bs_]; }
  uint32_t block_size() const { return bs_; }
  std::vector<uint8_t> take(uint64_t min_size) {
    if (img_.size() < min_size) img_.resize((min_size + bs_ - 1) / bs_ * bs_);
    return std::move(img_);
  }

 private:
  uint32_t bs_;
  uint64_t next_;
  std::vector<uint8_t> img_;
};

struct Range {
  uint64_t block;
  uint32_t count;
};

// Copies data into fresh blocks and splits them into pointer-sized ranges.
// `track` > 0 keeps ranges inside one track (ECKD pointers address one track).
std::vector<Range> store_data(Disk& disk, const std::vector<uint8_t>& data, uint32_t max_per_ptr,
                              uint32_t track) {
  const uint32_t bs = disk.block_size();
  const uint64_t blocks = (data.size() + bs - 1) / bs;
  const uint64_t first = disk.alloc(blocks);
  std::memcpy(disk.at(first), data.data(), data.size());
  std::vector<Range> ranges;
  for (uint64_t b = first; b < first + blocks;) {
    uint64_t n = std::min<uint64_t>(max_per_ptr, first + blocks - b);
    if (track) n = std::min<uint64_t>(n, track - b % track);
    ranges.push_back({b, uint32_t(n)});
    b += n;
  }
  return ranges;
}

// Writes block-pointer list blocks for `ranges`; returns the first list block.
// Each list block keeps its last slot for the pointer to the next list block,
// and a zero pointer ends the list (the rules QEMU's bios and zipl's loaders use).
template <typename PutPtr>
uint64_t store_list(Disk& disk, const std::vector<Range>& ranges, PutPtr put_ptr) {
  const uint32_t slots = disk.block_size() / 16;
  const uint32_t per_block = slots - 1;
  const uint64_t nblocks = std::max<uint64_t>(1, (ranges.size() + per_block - 1) / per_block);
  const uint64_t first = disk.alloc(nblocks);
  for (uint64_t lb = 0; lb < nblocks; ++lb) {
    uint8_t* blk = disk.at(first + lb);
    for (uint32_t s = 0; s < per_block; ++s) {
      uint64_t i = lb * per_block + s;
      if (i >= ranges.size()) break;
      put_ptr(blk + 16 * s, ranges[i].block, ranges[i].count);
    }
    if (lb + 1 < nblocks) put_ptr(blk + 16 * per_block, first + lb + 1, 0);
  }
  return first;
}

bool check_spec(const DiskSpec& spec, std::string* error) {
  if (spec.programs.empty() || spec.programs.size() > 30) {
    *error = "need between 1 and 30 boot entries";
    return false;
  }
  if (spec.default_index >= spec.programs.size()) {
    *error = "default entry out of range";
    return false;
  }
  for (const Program& p : spec.programs) {
    if (p.components.empty()) {
      *error = "entry '" + p.name + "' has no components";
      return false;
    }
    for (const Component& c : p.components) {
      if (c.data.empty()) {
        *error = "entry '" + p.name + "' has an empty component";
        return false;
      }
    }
  }
  return true;
}

// SCSI block pointer: block number (64), block size (16), block count - 1 (16).
void put_scsi_ptr(uint8_t* p, uint32_t bs, uint64_t block, uint32_t count) {
  std::memset(p, 0, 16);
  put64(p, block);
  put16(p + 8, uint16_t(bs));
  put16(p + 10, uint16_t(count ? count - 1 : 0));
}

// ECKD block pointer: cylinder (16), head (16), record (8, from 1), block size (16),
// block count - 1 (8), 8 reserved bytes. Linear block b on the guessed geometry.
void put_eckd_ptr(uint8_t* p, uint64_t block, uint32_t count) {
  std::memset(p, 0, 16);
  const uint64_t per_cyl = uint64_t(kEckdHeads) * kEckdBlocksPerTrack;
  const uint64_t cyl = block / per_cyl;
  const uint64_t head = (block / kEckdBlocksPerTrack) % kEckdHeads;
  const uint64_t rec = block % kEckdBlocksPerTrack + 1;
  // Cylinders above 65535 keep their high 12 bits in the head field.
  put16(p, uint16_t(cyl & 0xffff));
  put16(p + 2, uint16_t(((cyl >> 16) << 4) | head));
  p[4] = uint8_t(rec);
  put16(p + 5, uint16_t(kEckdBlockSize));
  p[7] = uint8_t(count ? count - 1 : 0);
}

// Component table (SCSI) / boot map script (ECKD): a 32-byte "zIPL" header, then
// 32-byte entries: block pointer (16), 7 pad bytes, type, address or PSW (64).
template <typename PutPtr>
uint64_t store_program(Disk& disk, const Program& prog, uint32_t max_per_ptr, uint32_t track,
                       PutPtr put_ptr, std::string* error) {
  const uint32_t bs = disk.block_size();
  if (32 * (prog.components.size() + 2) > bs) {
    *error = "entry '" + prog.name + "' has too many components for one table block";
    return 0;
  }
  std::vector<uint64_t> lists;
  for (const Component& c : prog.components)
    lists.push_back(store_list(disk, store_data(disk, c.data, max_per_ptr, track), put_ptr));
  const uint64_t table = disk.alloc(1);
  uint8_t* t = disk.at(table);
  std::memcpy(t, kZiplMagic, 4);
  t[4] = 0x00;  // IPL program (not a dump)
  uint8_t* e = t + 32;
  for (size_t i = 0; i < prog.components.size(); ++i, e += 32) {
    put_ptr(e, lists[i], 1);
    e[23] = kComponentLoad;
    put64(e + 24, prog.components[i].address);
  }
  e[23] = kComponentExecute;
  put64(e + 24, prog.psw);
  return table;
}

}  // namespace

std::vector<uint8_t> write_scsi_disk(const DiskSpec& spec, std::string* error) {
  if (!check_spec(spec, error)) return {};
  const uint32_t bs = spec.block_size;
  if (bs != 512 && bs != 1024 && bs != 2048 && bs != 4096) {
    *error = "block size must be 512, 1024, 2048 or 4096";
    return {};
  }
  const uint32_t max_ptr = std::clamp<uint32_t>(spec.max_blocks_per_pointer, 1, 65536);
  auto ptr = [bs](uint8_t* p, uint64_t block, uint32_t count) {
    put_scsi_ptr(p, bs, block, count);
  };

  // Leave the first 64 KiB to the master boot record and a partition table area.
  Disk disk(bs, 65536 / bs);
  std::vector<uint64_t> tables;
  for (const Program& p : spec.programs) {
    tables.push_back(store_program(disk, p, max_ptr, 0, ptr, error));
    if (!tables.back()) return {};
  }
  // Program table: "zIPL" header (16 bytes), then one pointer per entry; entry 0
  // is the default, a zero pointer ends the table.
  const uint64_t pt = disk.alloc(1);
  uint8_t* t = disk.at(pt);
  std::memcpy(t, kZiplMagic, 4);
  put_scsi_ptr(t + 16, bs, tables[spec.default_index], 1);
  for (size_t i = 0; i < tables.size(); ++i) put_scsi_ptr(t + 16 * (i + 2), bs, tables[i], 1);

  // Master boot record at block 0: magic, layout version 1, pointer to the program table.
  uint8_t* mbr = disk.at(0);
  std::memcpy(mbr, kZiplMagic, 4);
  put32(mbr + 4, 1);
  put_scsi_ptr(mbr + 16, bs, pt, 1);
  return disk.take(spec.min_size);
}

std::vector<uint8_t> write_eckd_cdl_disk(const DiskSpec& spec, std::string* error) {
  return write_eckd_disk(spec, /*ldl=*/false, error);
}

std::vector<uint8_t> write_eckd_disk(const DiskSpec& spec, bool ldl, std::string* error) {
  if (!check_spec(spec, error)) return {};
  const uint32_t max_ptr = std::clamp<uint32_t>(spec.max_blocks_per_pointer, 1, 256);
  auto ptr = [](uint8_t* p, uint64_t block, uint32_t count) { put_eckd_ptr(p, block, count); };

  // Track 0 holds IPL1, IPL2, VOL1 (and the VTOC on a real volume); the boot map
  // starts on track 2 as it would inside a partition.
  Disk disk(kEckdBlockSize, 2 * kEckdBlocksPerTrack);
  std::vector<uint64_t> scripts;
  for (const Program& p : spec.programs) {
    scripts.push_back(store_program(disk, p, max_ptr, kEckdBlocksPerTrack, ptr, error));
    if (!scripts.back()) return {};
  }
  // Boot map table: "zIPL" header (16 bytes), then one ECKD pointer per entry.
  const uint64_t bmt = disk.alloc(1);
  uint8_t* t = disk.at(bmt);
  std::memcpy(t, kZiplMagic, 4);
  put_eckd_ptr(t + 16, scripts[spec.default_index], 1);
  for (size_t i = 0; i < scripts.size(); ++i) put_eckd_ptr(t + 16 * (i + 2), scripts[i], 1);
  // Stage 1b lists the stage-2 loader blocks (seek arguments from offset 768). Our
  // stage 2 holds only what firmware reads from it: zipl's menu text, starting with
  // the EBCDIC banner "zIPL...", the prompt flag 140 and the timeout 138 bytes
  // before it, then " N. name" lines, each NUL-terminated, ended by an empty one.
  const uint64_t s2 = disk.alloc(1);
  {
    uint8_t* m = disk.at(s2);
    const size_t banner = 256;
    put16(m + banner - 140, spec.menu_prompt ? 1 : 0);
    put16(m + banner - 138, uint16_t(spec.menu_timeout));
    std::vector<std::string> lines = {
        "zIPL interactive boot menu",
        " 0. default (" + spec.programs[spec.default_index].name + ")"};
    for (size_t i = 0; i < spec.programs.size(); ++i)
      lines.push_back((i + 1 < 10 ? " " : "") + std::to_string(i + 1) + ". " +
                      spec.programs[i].name);
    size_t pos = banner;
    for (const std::string& l : lines) {
      if (pos + l.size() + 2 > kEckdBlockSize) {
        *error = "menu text does not fit in one stage-2 block";
        return {};
      }
      for (char c : l) m[pos++] = to_ebcdic(c);
      m[pos++] = 0;
    }
    m[pos] = 0;  // empty line: end of the menu
  }
  const uint64_t s1b = disk.alloc(1);
  {
    uint8_t tmp[16];
    put_eckd_ptr(tmp, s2, 1);
    std::memcpy(disk.at(s1b) + 768 + 2, tmp, 5);  // seek argument: cylinder, head, record
  }

  uint8_t s1b_seek[16], bmt_ptr[16];
  put_eckd_ptr(s1b_seek, s1b, 1);
  put_eckd_ptr(bmt_ptr, bmt, 1);
  // The zIPL section (CDL, in IPL2) and the boot info (LDL, in block 0) have the
  // same layout: magic, version 1, pointer type 0 = IPL, device 0 = ECKD, flags
  // 1 = 64-bit, then the pointer to the boot map table.
  auto zipl_section = [&](uint8_t* zs) {
    std::memcpy(zs, kZiplMagic, 4);
    zs[4] = 1;
    zs[5] = 0;
    zs[6] = 0;
    zs[7] = 0x01;
    std::memcpy(zs + 8, bmt_ptr, 16);
  };
  if (!ldl) {
    // Block 0: IPL1 record (key "IPL1", 24 data bytes: an IPL PSW and a read chain on
    // real hardware; virtio firmware only checks the key).
    uint8_t* ipl1 = disk.at(0);
    std::memcpy(ipl1, kIpl1, 4);
    put64(ipl1 + 4, kPswLoad | 0x2000);
    // Block 1: IPL2 record: key "IPL2", stage-1 area with the seek argument of stage 1b
    // at 76 (pad, then cylinder, head, record at 78), the zIPL section at 92.
    uint8_t* ipl2 = disk.at(1);
    std::memcpy(ipl2, kIpl2, 4);
    std::memcpy(ipl2 + 78, s1b_seek, 5);
    zipl_section(ipl2 + 92);
    // Block 2: volume label: key "VOL1", then "VOL1" and the volume serial.
    uint8_t* vol = disk.at(2);
    std::memcpy(vol, kVol1, 4);
    std::memcpy(vol + 4, kVol1, 4);
    for (size_t i = 0; i < 6; ++i)
      vol[8 + i] = to_ebcdic(i < spec.volser.size() ? spec.volser[i] : ' ');
  } else {
    // Block 0: 24 bytes of IPL PSW and channel program, stage 1 (its seek argument
    // of stage 1b at 96, cylinder/head/record at 98), the boot info at 0x70.
    uint8_t* b0 = disk.at(0);
    put64(b0, kPswLoad | 0x2000);
    std::memcpy(b0 + 98, s1b_seek, 5);
    zipl_section(b0 + 0x70);
    // Block 2: the Linux volume label "LNX1" and the volume serial (EBCDIC).
    const uint8_t lnx1[4] = {0xd3, 0xd5, 0xe7, 0xf1};
    uint8_t* vol = disk.at(2);
    std::memcpy(vol, lnx1, 4);
    for (size_t i = 0; i < 6; ++i)
      vol[4 + i] = to_ebcdic(i < spec.volser.size() ? spec.volser[i] : ' ');
    std::memset(vol + 10, 0x40, 69);  // reserved, EBCDIC blanks
    vol[79] = 0x40;                   // LDL version 1
  }
  return disk.take(spec.min_size);
}

bool linux_program(const LinuxSpec& spec, Program* out, std::string* error) {
  const auto& k = spec.kernel;
  if (k.size() < kParmCommandLine + 16 || std::memcmp(&k[kEntrySignature], "S390EP", 6) != 0) {
    *error = "not an s390x Linux kernel image (no S390EP signature at 0x10008)";
    return false;
  }
  Component image;
  image.address = kKernelLoadAddress;
  image.data.assign(k.begin() + kKernelLoadAddress, k.end());
  uint8_t* parm = image.data.data() - kKernelLoadAddress;  // index by kernel offsets
  uint64_t max_cmdline = get64(parm + kParmMaxCmdline);
  if (max_cmdline == 0 || max_cmdline > 4096) max_cmdline = 896;  // legacy kernels
  if (spec.parmline.size() + 1 > max_cmdline) {
    *error = "parameter line longer than the kernel accepts (" + std::to_string(max_cmdline - 1) +
             " bytes)";
    return false;
  }
  std::memset(parm + kParmCommandLine, 0, max_cmdline);
  std::memcpy(parm + kParmCommandLine, spec.parmline.data(), spec.parmline.size());

  uint64_t initrd_addr = spec.initrd_address;
  const uint64_t kernel_end = kKernelLoadAddress + image.data.size();
  if (initrd_addr == 0)
    initrd_addr = std::max<uint64_t>(32ULL << 20, (kernel_end + 0xfffff) & ~0xfffffULL);
  if (!spec.initrd.empty() && initrd_addr < kernel_end) {
    *error = "initrd address overlaps the kernel image";
    return false;
  }
  put64(parm + kParmInitrdStart, spec.initrd.empty() ? 0 : initrd_addr);
  put64(parm + kParmInitrdSize, spec.initrd.size());

  Program p;
  p.name = spec.name;
  p.components.push_back(std::move(image));
  if (!spec.initrd.empty()) p.components.push_back({spec.initrd, initrd_addr});
  p.psw = kPswLoad | kKernelLoadAddress;
  *out = std::move(p);
  return true;
}

namespace {

// ISO 9660 numbers: little-endian, or both-endian (LE then BE) where the format says so.
void le16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v);
  p[1] = uint8_t(v >> 8);
}
void le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}
void both32(uint8_t* p, uint32_t v) {
  le32(p, v);
  put32(p + 4, v);
}
void both16(uint8_t* p, uint16_t v) {
  le16(p, v);
  put16(p + 2, v);
}

// A directory record: length, extent, size, flags, volume sequence, name.
size_t iso_dir_record(uint8_t* p, uint32_t extent, uint32_t size, bool dir,
                      const std::string& name) {
  const size_t len = (33 + name.size() + 1) & ~size_t{1};
  p[0] = uint8_t(len);
  both32(p + 2, extent);
  both32(p + 10, size);
  p[25] = dir ? 0x02 : 0x00;
  both16(p + 28, 1);
  p[32] = uint8_t(name.size());
  std::memcpy(p + 33, name.data(), name.size());
  return len;
}

}  // namespace

std::vector<uint8_t> write_iso_image(const LinuxSpec& spec, std::string* error) {
  constexpr uint32_t kSec = 2048;
  const auto& k = spec.kernel;
  if (k.size() < kParmCommandLine + 16 || std::memcmp(&k[kEntrySignature], "S390EP", 6) != 0) {
    *error = "not an s390x Linux kernel image (no S390EP signature at 0x10008)";
    return {};
  }
  // The boot image: kernel file from offset 0 (IPL PSW and channel program included,
  // which is how firmware recognises it), initrd at the next 1 MiB boundary.
  std::vector<uint8_t> image = k;
  const uint64_t initrd_at = spec.initrd.empty() ? 0 : (k.size() + 0xfffff) & ~0xfffffULL;
  if (!spec.initrd.empty()) {
    image.resize(initrd_at);
    image.insert(image.end(), spec.initrd.begin(), spec.initrd.end());
  }
  uint64_t max_cmdline = get64(&image[kParmMaxCmdline]);
  if (max_cmdline == 0 || max_cmdline > 4096) max_cmdline = 896;
  if (spec.parmline.size() + 1 > max_cmdline) {
    *error = "parameter line too long";
    return {};
  }
  std::memset(&image[kParmCommandLine], 0, max_cmdline);
  std::memcpy(&image[kParmCommandLine], spec.parmline.data(), spec.parmline.size());
  put64(&image[kParmInitrdStart], initrd_at);
  put64(&image[kParmInitrdSize], spec.initrd.size());

  // Sectors: 16 primary descriptor, 17 El Torito boot record, 18 terminator,
  // 19 boot catalogue, 20 root directory, 21.. the boot image.
  const uint32_t kRoot = 20, kImage = 21;
  const uint32_t image_secs = uint32_t((image.size() + kSec - 1) / kSec);
  const uint32_t total = kImage + image_secs;
  std::vector<uint8_t> iso(size_t(total) * kSec, 0);
  auto sec = [&](uint32_t n) { return &iso[size_t(n) * kSec]; };
  auto descriptor = [&](uint32_t n, uint8_t type) {
    uint8_t* d = sec(n);
    d[0] = type;
    std::memcpy(d + 1, "CD001", 5);
    d[6] = 1;
    return d;
  };
  uint8_t* pvd = descriptor(16, 1);
  std::memset(pvd + 8, ' ', 32);   // system identifier
  std::memset(pvd + 40, ' ', 32);  // volume identifier
  std::memcpy(pvd + 40, "CCWBOOT_MKDISK", 14);
  both32(pvd + 80, total);  // volume space size
  both16(pvd + 120, 1);     // volume set size
  both16(pvd + 124, 1);     // volume sequence number
  both16(pvd + 128, kSec);  // logical block size
  iso_dir_record(pvd + 156, kRoot, kSec, true, std::string(1, '\0'));
  pvd[881] = 1;  // file structure version
  uint8_t* br = descriptor(17, 0);
  std::memcpy(br + 7, "EL TORITO SPECIFICATION", 23);
  le32(br + 0x47, 19);
  descriptor(18, 255);

  uint8_t* cat = sec(19);
  cat[0] = 0x01;  // validation entry
  cat[1] = 0x00;  // platform: x86 (there is no s390 id; firmware ignores it)
  cat[30] = 0x55;
  cat[31] = 0xaa;
  uint16_t sum = 0;
  for (int i = 0; i < 32; i += 2) sum = uint16_t(sum + (cat[i] | (cat[i + 1] << 8)));
  le16(cat + 28, uint16_t(0x10000 - sum));
  uint8_t* ent = cat + 32;
  ent[0] = 0x88;  // bootable, no emulation, load segment 0
  const uint32_t virt = uint32_t(std::min<uint64_t>(0xffff, (image.size() + 511) / 512));
  le16(ent + 6, uint16_t(virt));
  le32(ent + 8, kImage);

  uint8_t* root = sec(kRoot);
  size_t off = iso_dir_record(root, kRoot, kSec, true, std::string(1, '\0'));
  off += iso_dir_record(root + off, kRoot, kSec, true, std::string(1, '\1'));
  iso_dir_record(root + off, kImage, uint32_t(image.size()), false, "CDBOOT.IMG;1");
  std::memcpy(sec(kImage), image.data(), image.size());
  return iso;
}

}  // namespace ccwboot::mkdisk
