// Writers for bootable raw disk images in the layouts zipl produces, so tests
// need no real zipl: the SCSI scheme on a plain virtio-blk disk, and the ECKD
// compatible disk layout (CDL) as a DASD looks when exposed through virtio-blk.
// Structures are described in docs/zipl-formats.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ccwboot::mkdisk {

// One piece of a boot program: bytes to place at a guest absolute address.
struct Component {
  std::vector<uint8_t> data;
  uint64_t address = 0;
};

// One boot entry: its load components and the start PSW of its execute entry
// (an ESA/390 short PSW: 0x0008000080000000 | address).
struct Program {
  std::string name;
  std::vector<Component> components;
  uint64_t psw = 0;
};

inline constexpr uint64_t kPswLoad = 0x0008000080000000ULL;

struct DiskSpec {
  std::vector<Program> programs;  // entry 1..n; entry 0 (default) repeats programs[default_index]
  uint32_t default_index = 0;
  uint32_t block_size = 512;              // SCSI: the device block size; ECKD: always 4096
  uint32_t max_blocks_per_pointer = 128;  // split data into block pointers of at most this
  uint64_t min_size = 0;                  // pad the image to at least this many bytes
  // ECKD only.
  std::string volser = "0X0100";
  bool menu_prompt = false;
  uint32_t menu_timeout = 0;  // seconds
};

// Both return an empty vector and set *error when the spec cannot be written.
std::vector<uint8_t> write_scsi_disk(const DiskSpec& spec, std::string* error);
std::vector<uint8_t> write_eckd_cdl_disk(const DiskSpec& spec, std::string* error);
// ECKD with the CDL records (ldl = false) or the Linux disk layout: boot info at 0x70
// of block 0 and an "LNX1" label in block 2 (ldl = true).
std::vector<uint8_t> write_eckd_disk(const DiskSpec& spec, bool ldl, std::string* error);

// ECKD geometry QEMU's bios assumes for a virtio disk without DASD geometry:
// 3390 tracks of 12 4-KiB records, 15 tracks per cylinder.
inline constexpr uint32_t kEckdBlockSize = 4096;
inline constexpr uint32_t kEckdHeads = 15;
inline constexpr uint32_t kEckdBlocksPerTrack = 12;

// A Linux boot entry the way zipl lays it out: the kernel image without its first
// 64 KiB at 0x10000 (with the parameter line and the initrd location written into
// the kernel's parm area at 0x10400), the initrd at initrd_address, start PSW at
// 0x10000. Fails (empty name, *error set) if the kernel has no s390 entry signature.
struct LinuxSpec {
  std::string name;
  std::vector<uint8_t> kernel;
  std::vector<uint8_t> initrd;  // may be empty
  std::string parmline;
  uint64_t initrd_address = 0;  // 0: first 1 MiB boundary at or above 32 MiB past the kernel
};
bool linux_program(const LinuxSpec& spec, Program* out, std::string* error);

// An ISO 9660 image with an El Torito boot catalogue whose (no-emulation) boot image
// is the whole kernel file with the initrd behind it, loaded at 0 and started at
// 0x10000 as install media are: the parm area points at the initrd inside the image
// (initrd_address ignored: the initrd lands at the next 1 MiB boundary past the kernel).
std::vector<uint8_t> write_iso_image(const LinuxSpec& spec, std::string* error);

// Linux parm area (arch/s390 boot): offsets in the kernel image and in memory.
inline constexpr uint64_t kKernelLoadAddress = 0x10000;
inline constexpr uint64_t kParmInitrdStart = 0x10408;
inline constexpr uint64_t kParmInitrdSize = 0x10410;
inline constexpr uint64_t kParmMaxCmdline = 0x10430;
inline constexpr uint64_t kParmCommandLine = 0x10480;
inline constexpr uint64_t kEntrySignature = 0x10008;  // "S390EP"

}  // namespace ccwboot::mkdisk
