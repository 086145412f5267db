// ISO 9660 + El Torito: a minimal hand-made install image (volume descriptors,
// boot catalogue, root directory, a Linux-like boot image) and damaged copies.
#include <gtest/gtest.h>

#include "ccwboot/zipl/boot_map.h"
#include "host_log.h"
#include "zipl_test_util.h"

namespace ccwboot::zipl {
namespace {

using testing::VectorDisk;
using testing::VectorMemory;

constexpr size_t kSec = 2048;
constexpr uint32_t kCatalog = 19, kRootDir = 20, kImage = 21;

void le32(std::vector<uint8_t>& v, size_t off, uint32_t x) {
  for (int i = 0; i < 4; ++i) v[off + i] = uint8_t(x >> (8 * i));
}
void le16(std::vector<uint8_t>& v, size_t off, uint16_t x) {
  v[off] = uint8_t(x);
  v[off + 1] = uint8_t(x >> 8);
}
void text(std::vector<uint8_t>& v, size_t off, const char* s) {
  std::memcpy(&v[off], s, std::strlen(s));
}
// A directory record: extent, size, flags, one-byte or longer name.
size_t dir_record(std::vector<uint8_t>& v, size_t off, uint32_t extent, uint32_t size, bool dir,
                  const char* name, size_t name_len) {
  const size_t len = (33 + name_len + 1) & ~size_t{1};
  v[off] = uint8_t(len);
  le32(v, off + 2, extent);
  le32(v, off + 10, size);
  v[off + 25] = dir ? 2 : 0;
  v[off + 32] = uint8_t(name_len);
  std::memcpy(&v[off + 33], name, name_len);
  return off + len;
}

struct Iso {
  std::vector<uint8_t> img;
  std::vector<uint8_t> image;  // the boot image's bytes
};

Iso make_iso(size_t image_size = 0x12345) {
  Iso iso;
  iso.image = testing::random_bytes(image_size, 42);
  if (image_size >= 0x10010) std::memcpy(&iso.image[0x10008], "S390EP", 6);
  const size_t image_secs = (image_size + kSec - 1) / kSec;
  auto& v = iso.img;
  v.assign((kImage + image_secs + 4) * kSec, 0);
  // Primary volume descriptor with the root directory record.
  size_t p = 16 * kSec;
  v[p] = 1;
  text(v, p + 1, "CD001");
  v[p + 6] = 1;
  dir_record(v, p + 156, kRootDir, kSec, true, "\0", 1);
  // El Torito boot record.
  p = 17 * kSec;
  v[p] = 0;
  text(v, p + 1, "CD001");
  v[p + 6] = 1;
  text(v, p + 7, "EL TORITO SPECIFICATION");
  le32(v, p + 0x47, kCatalog);
  // Terminator.
  p = 18 * kSec;
  v[p] = 255;
  text(v, p + 1, "CD001");
  v[p + 6] = 1;
  // Boot catalogue: validation entry (checksum makes the words sum to 0), default entry.
  p = kCatalog * kSec;
  v[p] = 1;
  v[p + 30] = 0x55;
  v[p + 31] = 0xaa;
  uint16_t sum = 0;
  for (size_t i = 0; i < 32; i += 2) sum = uint16_t(sum + (v[p + i] | (v[p + i + 1] << 8)));
  le16(v, p + 28, uint16_t(0x10000 - sum));
  v[p + 32] = 0x88;
  le16(v, p + 32 + 6, 4);  // 4 virtual sectors: the real size comes from the directory
  le32(v, p + 32 + 8, kImage);
  // Root directory: ".", "..", the boot image file.
  p = kRootDir * kSec;
  size_t q = dir_record(v, p, kRootDir, kSec, true, "\0", 1);
  q = dir_record(v, q, kRootDir, kSec, true, "\1", 1);
  dir_record(v, q, kImage, uint32_t(image_size), false, "KERNEL.IMG;1", 12);
  std::memcpy(&v[kImage * kSec], iso.image.data(), image_size);
  return iso;
}

WaitCode open_iso(std::vector<uint8_t> img, BootMap& map, uint32_t bs = 2048) {
  static std::unique_ptr<VectorDisk> disk;
  disk = std::make_unique<VectorDisk>(std::move(img), bs);
  return map.open(*disk);
}

TEST(ZiplIso, LoadsTheElToritoImageAndStartsLinux) {
  for (uint32_t bs : {512u, 2048u}) {
    SCOPED_TRACE(bs);
    Iso iso = make_iso();
    BootMap map;
    ASSERT_EQ(open_iso(iso.img, map, bs), WaitCode::kNone);
    EXPECT_EQ(map.menu().scheme, Scheme::kIso9660);
    EXPECT_TRUE(map.menu().entries[0].present);
    EXPECT_EQ(map.menu().highest_entry, 0u);
    VectorMemory mem(16 << 20);
    LoadResult res;
    ASSERT_EQ(map.load(0, mem, {}, &res), WaitCode::kNone);
    EXPECT_TRUE(mem.holds(0, iso.image));  // the whole file, not just 4 virtual sectors
    EXPECT_EQ(res.psw, 0x0008000080010000ULL);
    EXPECT_EQ(res.entry_address, 0x10000u);
    EXPECT_EQ(map.load(1, mem, {}, &res), WaitCode::kZiplNoSuchEntry);
  }
}

TEST(ZiplIso, NonLinuxImageStartsWithItsPsw) {
  Iso iso = make_iso(4096);
  const uint8_t psw[8] = {0x00, 0x08, 0x00, 0x00, 0x80, 0x00, 0x05, 0x00};
  std::memcpy(&iso.img[kImage * kSec], psw, 8);
  BootMap map;
  ASSERT_EQ(open_iso(iso.img, map), WaitCode::kNone);
  VectorMemory mem(16 << 20);
  LoadResult res;
  ASSERT_EQ(map.load(0, mem, {}, &res), WaitCode::kNone);
  EXPECT_EQ(res.psw, 0x0008000080000500ULL);
}

TEST(ZiplIso, ImageWithoutEntryIsRefused) {
  Iso iso = make_iso(4096);
  std::fill(iso.img.begin() + kImage * kSec, iso.img.begin() + kImage * kSec + 8, 0);
  BootMap map;
  ASSERT_EQ(open_iso(iso.img, map), WaitCode::kNone);
  VectorMemory mem(16 << 20);
  LoadResult res;
  EXPECT_EQ(map.load(0, mem, {}, &res), WaitCode::kIsoBadBootImage);
}

TEST(ZiplIso, NoBootRecord) {
  Iso iso = make_iso();
  iso.img[17 * kSec] = 2;  // a supplementary descriptor instead
  BootMap map;
  EXPECT_EQ(open_iso(iso.img, map), WaitCode::kIsoNoBootRecord);
}

TEST(ZiplIso, BadCatalogueChecksum) {
  Iso iso = make_iso();
  iso.img[kCatalog * kSec + 4] ^= 1;
  BootMap map;
  ccwboot::testing::clear_log();
  EXPECT_EQ(open_iso(iso.img, map), WaitCode::kIsoBadBootCatalog);
  EXPECT_NE(ccwboot::testing::captured_log().find("validation"), std::string::npos);
}

TEST(ZiplIso, NoBootableEntry) {
  Iso iso = make_iso();
  iso.img[kCatalog * kSec + 32] = 0x00;
  BootMap map;
  EXPECT_EQ(open_iso(iso.img, map), WaitCode::kIsoNoBootImage);
}

TEST(ZiplIso, ImagePastEndOfDisk) {
  Iso iso = make_iso();
  le32(iso.img, kCatalog * kSec + 32 + 8, 1u << 30);
  BootMap map;
  EXPECT_EQ(open_iso(iso.img, map), WaitCode::kIsoBadBootImage);
}

TEST(ZiplIso, DirectoryLoopTerminates) {
  Iso iso = make_iso();
  // Replace the file record by a subdirectory that is the root again: the size
  // lookup must give up (bounded) and fall back to the catalogue's sector count.
  const size_t p = kRootDir * kSec;
  size_t q = p + iso.img[p];
  q += iso.img[q];
  dir_record(iso.img, q, kRootDir, kSec, true, "LOOP", 4);
  BootMap map;
  ASSERT_EQ(open_iso(iso.img, map), WaitCode::kNone);
  VectorMemory mem(16 << 20);
  LoadResult res;
  // 4 virtual sectors = 2048 bytes: too short for the Linux signature, and the
  // image's first bytes are no PSW.
  EXPECT_EQ(map.load(0, mem, {}, &res), WaitCode::kIsoBadBootImage);
  EXPECT_EQ(res.bytes_loaded, 2048u);
}

TEST(ZiplIso, ReservedRangeGuardsTheLoad) {
  Iso iso = make_iso();
  BootMap map;
  ASSERT_EQ(open_iso(iso.img, map), WaitCode::kNone);
  VectorMemory mem(16 << 20);
  LoadResult res;
  LoadLimits limits;
  limits.reserved.add(0x8000, 0x9000, "ccwboot lowcore");
  EXPECT_EQ(map.load(0, mem, limits, &res), WaitCode::kZiplLoadReserved);
  EXPECT_TRUE(mem.all_zero(0x8000, 0x9000));
}

TEST(ZiplIso, MkdiskIsoImageLoadsKernelAndInitrd) {
  std::vector<uint8_t> kernel = testing::random_bytes(0x30000, 9);
  std::memcpy(&kernel[mkdisk::kEntrySignature], "S390EP", 6);
  testing::wr64(kernel, mkdisk::kParmMaxCmdline, 896);
  const auto initrd = testing::random_bytes(10000, 10);
  std::string err;
  auto iso = mkdisk::write_iso_image({"cd", kernel, initrd, "console=ttysclp0", 0}, &err);
  ASSERT_FALSE(iso.empty()) << err;
  BootMap map;
  ASSERT_EQ(open_iso(iso, map, 512), WaitCode::kNone);
  VectorMemory mem(16 << 20);
  LoadResult res;
  ASSERT_EQ(map.load(0, mem, {}, &res), WaitCode::kNone);
  EXPECT_EQ(res.psw, 0x0008000080010000ULL);
  EXPECT_TRUE(mem.holds(0x100000, initrd));  // next 1 MiB boundary past the kernel
  uint8_t parm[0x20];
  ASSERT_TRUE(mem.read(0x10408, parm, 16));
  std::vector<uint8_t> p(parm, parm + 16);
  EXPECT_EQ(testing::rd64(p, 0), 0x100000u);
  EXPECT_EQ(testing::rd64(p, 8), initrd.size());
  EXPECT_TRUE(mem.holds(0, std::vector<uint8_t>(kernel.begin(), kernel.begin() + 0x10400)));
}

}  // namespace
}  // namespace ccwboot::zipl
