// SCSI-scheme boot maps: tool-made disks load exactly what was put on them, and
// damaged ones end in their named wait codes.
#include <gtest/gtest.h>

#include "ccwboot/zipl/boot_map.h"
#include "host_log.h"
#include "zipl_test_util.h"

namespace ccwboot::zipl {
namespace {

using testing::payload_program;
using testing::rd64;
using testing::VectorDisk;
using testing::VectorMemory;
using testing::wr16;
using testing::wr64;

constexpr u64 kMem = 16 << 20;

mkdisk::DiskSpec two_entries(uint32_t bs = 512) {
  mkdisk::DiskSpec spec;
  spec.block_size = bs;
  spec.programs = {payload_program("first", 1), payload_program("second", 2)};
  spec.default_index = 1;
  return spec;
}

std::vector<uint8_t> scsi_image(const mkdisk::DiskSpec& spec) {
  std::string err;
  auto img = mkdisk::write_scsi_disk(spec, &err);
  EXPECT_FALSE(img.empty()) << err;
  return img;
}

// Byte offsets of the on-disk tables of a 512-byte-block tool image.
struct Layout {
  explicit Layout(const std::vector<uint8_t>& img, uint32_t bs = 512) : bs(bs) {
    program_table = rd64(img, 16) * bs;
  }
  size_t entry_ptr(int n) const { return program_table + 16 + 16 * n; }
  size_t component_table(const std::vector<uint8_t>& img, int n) const {
    return rd64(img, entry_ptr(n)) * bs;
  }
  uint32_t bs;
  size_t program_table;
};

WaitCode open_and_load(std::vector<uint8_t> img, u32 entry, VectorMemory& mem, LoadResult* res,
                       const LoadLimits& limits = {}, uint32_t bs = 512) {
  VectorDisk disk(std::move(img), bs);
  static BootMap map;
  WaitCode rc = map.open(disk);
  if (rc != WaitCode::kNone) return rc;
  return map.load(entry, mem, limits, res);
}

TEST(ZiplScsi, ListsEntriesAndDefault) {
  VectorDisk disk(scsi_image(two_entries()), 512);
  BootMap map;
  ASSERT_EQ(map.open(disk), WaitCode::kNone);
  const BootMenu& m = map.menu();
  EXPECT_EQ(m.scheme, Scheme::kScsi);
  EXPECT_EQ(m.logical_block_size, 512u);
  EXPECT_TRUE(m.entries[0].present);
  EXPECT_TRUE(m.entries[1].present);
  EXPECT_TRUE(m.entries[2].present);
  EXPECT_FALSE(m.entries[3].present);
  EXPECT_EQ(m.highest_entry, 2u);
  EXPECT_EQ(m.default_entry, 2u);  // default_index 1 = entry 2
  EXPECT_FALSE(m.has_names);
}

TEST(ZiplScsi, LoadsEachEntryAtItsAddresses) {
  const auto spec = two_entries();
  for (u32 entry : {0u, 1u, 2u}) {
    SCOPED_TRACE(entry);
    VectorMemory mem(kMem);
    LoadResult res;
    ASSERT_EQ(open_and_load(scsi_image(spec), entry, mem, &res), WaitCode::kNone);
    const auto& prog = spec.programs[entry == 0 ? spec.default_index : entry - 1];
    for (const auto& c : prog.components) EXPECT_TRUE(mem.holds(c.address, c.data));
    EXPECT_EQ(res.psw, prog.psw);
    EXPECT_EQ(res.entry_address, prog.psw & 0x7fffffff);
    EXPECT_EQ(res.components, 2u);
    EXPECT_EQ(res.lowest, 0x10000u);
    // Nothing else was written: below the first component is untouched.
    EXPECT_TRUE(mem.all_zero(0, 0x10000));
  }
}

TEST(ZiplScsi, LongBlockListsContinueInFurtherBlocks) {
  mkdisk::DiskSpec spec;
  spec.max_blocks_per_pointer = 1;  // 200 pointers: 7 list blocks of 31
  spec.programs = {payload_program("big", 7, 100 * 1024)};
  VectorMemory mem(kMem);
  LoadResult res;
  ASSERT_EQ(open_and_load(scsi_image(spec), 1, mem, &res), WaitCode::kNone);
  EXPECT_TRUE(mem.holds(0x10000, spec.programs[0].components[0].data));
  EXPECT_TRUE(
      mem.holds(spec.programs[0].components[1].address, spec.programs[0].components[1].data));
}

TEST(ZiplScsi, LargerBlockSizes) {
  for (uint32_t bs : {1024u, 2048u, 4096u}) {
    SCOPED_TRACE(bs);
    auto spec = two_entries(bs);
    VectorMemory mem(kMem);
    LoadResult res;
    ASSERT_EQ(open_and_load(scsi_image(spec), 1, mem, &res, {}, bs), WaitCode::kNone);
    EXPECT_TRUE(mem.holds(0x10000, spec.programs[0].components[0].data));
    EXPECT_EQ(res.psw, spec.programs[0].psw);
  }
}

TEST(ZiplScsi, UnsupportedDeviceBlockSize) {
  VectorDisk disk(std::vector<uint8_t>(3000 * 4), 3000);
  BootMap map;
  EXPECT_EQ(map.open(disk), WaitCode::kZiplBadBlockSize);
}

TEST(ZiplScsi, BlankDiskHasNoBootMap) {
  VectorDisk disk(std::vector<uint8_t>(10 << 20), 512);
  BootMap map;
  ccwboot::testing::clear_log();
  EXPECT_EQ(map.open(disk), WaitCode::kZiplNoBootMap);
  EXPECT_NE(ccwboot::testing::captured_log().find("block 0"), std::string::npos);
}

TEST(ZiplScsi, BadProgramTableMagic) {
  auto img = scsi_image(two_entries());
  img[Layout(img).program_table] = 'x';
  VectorDisk disk(img, 512);
  BootMap map;
  EXPECT_EQ(map.open(disk), WaitCode::kZiplBadProgramTable);
}

TEST(ZiplScsi, NullProgramTablePointer) {
  auto img = scsi_image(two_entries());
  std::fill(img.begin() + 16, img.begin() + 32, 0);  // the master boot record's pointer
  VectorDisk disk(img, 512);
  BootMap map;
  ccwboot::testing::clear_log();
  EXPECT_EQ(map.open(disk), WaitCode::kZiplBadProgramTable);
  EXPECT_NE(ccwboot::testing::captured_log().find(
                "zipl: the master boot record has no program table pointer"),
            std::string::npos)
      << ccwboot::testing::captured_log();
}

TEST(ZiplScsi, EmptyProgramTable) {
  auto img = scsi_image(two_entries());
  Layout l(img);
  std::fill(img.begin() + l.program_table + 16, img.begin() + l.program_table + 512, 0);
  VectorDisk disk(img, 512);
  BootMap map;
  EXPECT_EQ(map.open(disk), WaitCode::kZiplBadProgramTable);
}

TEST(ZiplScsi, ProgramTablePointerPastEndOfDisk) {
  auto img = scsi_image(two_entries());
  wr64(img, 16, img.size() / 512 + 5);
  VectorDisk disk(img, 512);
  BootMap map;
  EXPECT_EQ(map.open(disk), WaitCode::kZiplBadBlockPointer);
  // A device that cannot tell its size: the read itself fails, by name.
  VectorDisk unsized(img, 512, /*report_size=*/false);
  EXPECT_EQ(map.open(unsized), WaitCode::kZiplReadFailed);
}

TEST(ZiplScsi, TruncatedDisk) {
  auto img = scsi_image(two_entries());
  img.resize(img.size() / 2);  // the tables live at the end of the tool's layout
  VectorDisk disk(img, 512);
  BootMap map;
  WaitCode rc = map.open(disk);
  if (rc == WaitCode::kNone) {
    VectorMemory mem(kMem);
    LoadResult res;
    rc = map.load(1, mem, {}, &res);
  }
  EXPECT_EQ(rc, WaitCode::kZiplBadBlockPointer);
}

TEST(ZiplScsi, WrongBlockSizeInPointer) {
  auto img = scsi_image(two_entries());
  wr16(img, 16 + 8, 4096);
  VectorDisk disk(img, 512);
  BootMap map;
  EXPECT_EQ(map.open(disk), WaitCode::kZiplBadBlockPointer);
}

TEST(ZiplScsi, NoSuchEntry) {
  VectorDisk disk(scsi_image(two_entries()), 512);
  BootMap map;
  ASSERT_EQ(map.open(disk), WaitCode::kNone);
  VectorMemory mem(kMem);
  LoadResult res;
  EXPECT_EQ(map.load(3, mem, {}, &res), WaitCode::kZiplNoSuchEntry);
  EXPECT_EQ(map.load(kMaxEntries + 5, mem, {}, &res), WaitCode::kZiplNoSuchEntry);
}

TEST(ZiplScsi, BadComponentTableMagic) {
  auto img = scsi_image(two_entries());
  img[Layout(img).component_table(img, 1)] = 0;
  VectorMemory mem(kMem);
  LoadResult res;
  EXPECT_EQ(open_and_load(img, 1, mem, &res), WaitCode::kZiplBadComponentTable);
}

TEST(ZiplScsi, UnknownComponentType) {
  auto img = scsi_image(two_entries());
  img[Layout(img).component_table(img, 1) + 32 + 23] = 0x07;
  VectorMemory mem(kMem);
  LoadResult res;
  EXPECT_EQ(open_and_load(img, 1, mem, &res), WaitCode::kZiplUnknownComponent);
}

TEST(ZiplScsi, ComponentTableWithoutExecuteEntry) {
  auto img = scsi_image(two_entries());
  const size_t ct = Layout(img).component_table(img, 1);
  // Fill all 15 slots with copies of the first load entry: no execute entry left.
  for (int i = 1; i < 15; ++i)
    std::copy(img.begin() + ct + 32, img.begin() + ct + 64, img.begin() + ct + 32 + 32 * i);
  VectorMemory mem(kMem);
  LoadResult res;
  EXPECT_EQ(open_and_load(img, 1, mem, &res), WaitCode::kZiplNoExecuteEntry);
}

TEST(ZiplScsi, ComponentCountOverflow) {
  auto spec = two_entries(4096);
  auto img = scsi_image(spec);
  Layout l(img, 4096);
  const size_t ct = l.component_table(img, 1);
  // 127 slots of load entries in a 4 KiB table: more than kMaxComponents.
  for (int i = 1; i < 127; ++i)
    std::copy(img.begin() + ct + 32, img.begin() + ct + 64, img.begin() + ct + 32 + 32 * i);
  VectorMemory mem(kMem);
  LoadResult res;
  EXPECT_EQ(open_and_load(img, 1, mem, &res, {}, 4096), WaitCode::kZiplTooManyComponents);
}

TEST(ZiplScsi, BlockListLoopIsBounded) {
  mkdisk::DiskSpec spec;
  spec.max_blocks_per_pointer = 1;
  spec.programs = {payload_program("loop", 3, 100 * 1024)};
  auto img = scsi_image(spec);
  const size_t ct = Layout(img).component_table(img, 1);
  const uint64_t list = rd64(img, ct + 32);
  // The first list block's continuation slot points back at itself.
  wr64(img, list * 512 + 31 * 16, list);
  VectorMemory mem(80 << 20);
  LoadResult res;
  ccwboot::testing::clear_log();
  EXPECT_EQ(open_and_load(img, 1, mem, &res), WaitCode::kZiplBlockListTooLong);
  EXPECT_NE(ccwboot::testing::captured_log().find("loop"), std::string::npos);
}

TEST(ZiplScsi, TwoBlockListCycleIsCaught) {
  mkdisk::DiskSpec spec;
  spec.max_blocks_per_pointer = 1;
  spec.programs = {payload_program("cycle", 4, 100 * 1024)};
  auto img = scsi_image(spec);
  const size_t ct = Layout(img).component_table(img, 1);
  const uint64_t first = rd64(img, ct + 32);
  const uint64_t second = rd64(img, first * 512 + 31 * 16);
  ASSERT_NE(second, 0u);
  wr64(img, second * 512 + 31 * 16, first);  // second list block continues to the first
  VectorMemory mem(kMem);
  LoadResult res;
  EXPECT_EQ(open_and_load(img, 1, mem, &res), WaitCode::kZiplBlockListTooLong);
}

TEST(ZiplScsi, ComponentOverlappingReservedRangeIsRefusedBeforeWriting) {
  const auto spec = two_entries();
  VectorMemory mem(kMem);
  LoadResult res;
  LoadLimits limits;
  limits.reserved.add(0x18000, 0x19000, "ccwboot stack");
  ccwboot::testing::clear_log();
  EXPECT_EQ(open_and_load(scsi_image(spec), 1, mem, &res, limits), WaitCode::kZiplLoadReserved);
  EXPECT_TRUE(mem.all_zero(0x18000, 0x19000));
  EXPECT_NE(ccwboot::testing::captured_log().find("ccwboot stack"), std::string::npos);
}

TEST(ZiplScsi, ComponentOutsideMemory) {
  auto spec = two_entries();
  spec.programs[0].components[1].address = kMem - 1024;
  VectorMemory mem(kMem);
  LoadResult res;
  EXPECT_EQ(open_and_load(scsi_image(spec), 1, mem, &res), WaitCode::kZiplLoadOutsideMemory);
  // An address that wraps around 2^64.
  spec.programs[0].components[1].address = ~0ULL - 100;
  EXPECT_EQ(open_and_load(scsi_image(spec), 1, mem, &res), WaitCode::kZiplLoadOutsideMemory);
}

TEST(ZiplScsi, MinimumAddressIsHonoured) {
  VectorMemory mem(kMem);
  LoadResult res;
  LoadLimits limits;
  limits.min_address = 0x20000;
  EXPECT_EQ(open_and_load(scsi_image(two_entries()), 1, mem, &res, limits),
            WaitCode::kZiplLoadOutsideMemory);
}

TEST(ZiplScsi, BadStartPsw) {
  auto spec = two_entries();
  spec.programs[0].psw = 0x10000;  // no short-PSW bit
  VectorMemory mem(kMem);
  LoadResult res;
  EXPECT_EQ(open_and_load(scsi_image(spec), 1, mem, &res), WaitCode::kZiplBadPsw);
  spec.programs[0].psw = mkdisk::kPswLoad | 0x7ff00000;  // beyond memory
  EXPECT_EQ(open_and_load(scsi_image(spec), 1, mem, &res), WaitCode::kZiplBadPsw);
  spec.programs[0].psw = mkdisk::kPswLoad | 0x40000;  // into the firmware
  LoadLimits limits;
  limits.reserved.add(0x40000, 0x50000, "ccwboot image");
  EXPECT_EQ(open_and_load(scsi_image(spec), 1, mem, &res, limits), WaitCode::kZiplBadPsw);
}

TEST(ZiplScsi, LinuxProgramPatchesTheParmArea) {
  std::vector<uint8_t> kernel(0x20000, 0x11);
  std::memcpy(&kernel[mkdisk::kEntrySignature], "S390EP", 6);
  wr64(kernel, mkdisk::kParmMaxCmdline, 896);
  mkdisk::LinuxSpec ls{"linux", kernel, std::vector<uint8_t>(5000, 0x22), "console=ttysclp0", 0};
  mkdisk::Program prog;
  std::string err;
  ASSERT_TRUE(mkdisk::linux_program(ls, &prog, &err)) << err;
  ASSERT_EQ(prog.components.size(), 2u);
  EXPECT_EQ(prog.psw, 0x0008000080010000ULL);
  const auto& img = prog.components[0].data;
  EXPECT_EQ(prog.components[0].address, 0x10000u);
  EXPECT_EQ(img.size(), 0x10000u);  // the first 64 KiB are left out
  EXPECT_EQ(rd64(img, 0x408), prog.components[1].address);
  EXPECT_EQ(rd64(img, 0x410), 5000u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(&img[0x480])), "console=ttysclp0");
  EXPECT_GE(prog.components[1].address, 0x10000u + img.size());

  kernel[mkdisk::kEntrySignature] = 'X';
  ls.kernel = kernel;
  EXPECT_FALSE(mkdisk::linux_program(ls, &prog, &err));
  EXPECT_NE(err.find("S390EP"), std::string::npos);
}

// A component table whose header says "dump" (type 1) is a stand-alone dump tool: refused by
// name, never loaded.
TEST(ZiplScsi, DumpRecordIsRefused) {
  auto img = scsi_image(two_entries());
  img[Layout(img).component_table(img, 1) + 4] = 1;
  VectorMemory mem(kMem);
  LoadResult res;
  EXPECT_EQ(open_and_load(img, 1, mem, &res), WaitCode::kZiplDumpRecord);
}

TEST(ReadToGuest, DirectWhereMemoryAllowsItElseThroughTheBounceBuffer) {
  const std::vector<uint8_t> img = testing::random_bytes(8 * 512, 7);
  for (bool direct : {false, true}) {
    VectorDisk disk(img, 512);
    VectorMemory mem(0x10000);
    mem.allow_direct = direct;
    u8 bounce[1024];
    EXPECT_EQ(read_to_guest(disk, 1, 6, mem, 0x2000, bounce, sizeof bounce), WaitCode::kNone);
    EXPECT_TRUE(mem.holds(0x2000, std::vector<uint8_t>(img.begin() + 512, img.begin() + 7 * 512)));
    EXPECT_EQ(disk.reads, direct ? 1 : 3);  // 1024-byte bounce: two blocks a read
    // The device's own code comes back: past the end of the disk.
    EXPECT_EQ(read_to_guest(disk, 7, 2, mem, 0x2000, bounce, sizeof bounce),
              WaitCode::kZiplReadFailed);
  }
}

}  // namespace
}  // namespace ccwboot::zipl
