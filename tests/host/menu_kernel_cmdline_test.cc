// Where the edited line goes in a loaded Linux image, and its limit.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "ccwboot/endian.h"
#include "ccwboot/menu/kernel_cmdline.h"
#include "host_log.h"
#include "vector_memory.h"

namespace ccwboot::menu {
namespace {

using ccwboot::testing::VectorMemory;

// The command line at kLinuxCmdline, up to its NUL.
std::string cmdline(const VectorMemory& m) {
  return std::string(reinterpret_cast<const char*>(&m.bytes()[kLinuxCmdline]));
}

// A loaded kernel as zipl (or mkdisk) leaves it: S390EP, size field, line.
VectorMemory kernel(u64 size_field, const std::string& line, u64 mem = 1 << 20) {
  VectorMemory m(mem);
  std::memcpy(&m.bytes()[kLinuxSignature], "S390EP", 6);
  be::store64(&m.bytes()[kLinuxCmdlineSize], size_field);
  std::memcpy(&m.bytes()[kLinuxCmdline], line.c_str(), line.size() + 1);
  return m;
}

TEST(KernelCmdline, LimitFromTheHeader) {
  VectorMemory m = kernel(4096, "console=ttysclp0");
  KernelCmdline k;
  ASSERT_EQ(inspect_kernel_cmdline(m, kLinuxEntry, &k), WaitCode::kNone);
  EXPECT_TRUE(k.size_from_header);
  EXPECT_EQ(k.buffer_size, 4096u);
  EXPECT_EQ(k.max_length(), 4095u);
  char buf[64];
  u32 len = 0;
  ASSERT_EQ(read_kernel_cmdline(m, k, buf, sizeof buf, &len), WaitCode::kNone);
  EXPECT_EQ(std::string(buf, len), "console=ttysclp0");
}

TEST(KernelCmdline, LegacyKernelsTake896) {
  VectorMemory m = kernel(0, "root=/dev/dasda1");
  KernelCmdline k;
  ASSERT_EQ(inspect_kernel_cmdline(m, kLinuxEntry, &k), WaitCode::kNone);
  EXPECT_FALSE(k.size_from_header);
  EXPECT_EQ(k.max_length(), 895u);
  EXPECT_EQ(write_kernel_cmdline(m, k, std::string(895, 'a').c_str(), 895), WaitCode::kNone);
  EXPECT_EQ(cmdline(m), std::string(895, 'a'));
}

TEST(KernelCmdline, WritesTheLineAndItsNul) {
  VectorMemory m = kernel(4096, "a much longer original line than the new one");
  KernelCmdline k;
  ASSERT_EQ(inspect_kernel_cmdline(m, kLinuxEntry, &k), WaitCode::kNone);
  const std::string line = "console=ttysclp0 added";
  ASSERT_EQ(write_kernel_cmdline(m, k, line.c_str(), static_cast<u32>(line.size())),
            WaitCode::kNone);
  EXPECT_EQ(cmdline(m), line);
  ASSERT_EQ(write_kernel_cmdline(m, k, "", 0), WaitCode::kNone);
  EXPECT_EQ(cmdline(m), "");
}

TEST(KernelCmdline, ALongerLineIsRefusedAndNothingWritten) {
  VectorMemory m = kernel(64, "original");
  KernelCmdline k;
  ASSERT_EQ(inspect_kernel_cmdline(m, kLinuxEntry, &k), WaitCode::kNone);
  testing::clear_log();
  const std::string fits(63, 'x'), over(64, 'y');
  EXPECT_EQ(write_kernel_cmdline(m, k, over.c_str(), 64), WaitCode::kCmdlineTooLong);
  EXPECT_EQ(cmdline(m), "original");
  EXPECT_NE(testing::captured_log().find("64 bytes; this kernel takes at most 63"),
            std::string::npos)
      << testing::captured_log();
  EXPECT_EQ(write_kernel_cmdline(m, k, fits.c_str(), 63), WaitCode::kNone);
  EXPECT_EQ(cmdline(m), fits);
}

TEST(KernelCmdline, ARawProgramIsNotLinux) {
  VectorMemory m = kernel(4096, "x");
  KernelCmdline k;
  // Started elsewhere than Linux's entry point.
  EXPECT_EQ(inspect_kernel_cmdline(m, 0x20000, &k), WaitCode::kCmdlineNotLinux);
  // Right entry point, but no S390EP mark.
  std::memcpy(&m.bytes()[kLinuxSignature], "NOTLNX", 6);
  EXPECT_EQ(inspect_kernel_cmdline(m, kLinuxEntry, &k), WaitCode::kCmdlineNotLinux);
  EXPECT_EQ(k.buffer_size, 0u);
  EXPECT_EQ(write_kernel_cmdline(m, k, "a", 1), WaitCode::kCmdlineBadSize);
}

// What the real zipl leaves before its stage 3 runs: the parameter block at
// 0x9000, the whole kernel image (64 KiB header first) at image_addr, the
// parameter line at parm_addr.
VectorMemory stage3(u64 parm_addr, u64 kernel_size_field, const std::string& line,
                    const char* mark = "S390EP") {
  VectorMemory m(1 << 20);
  const u64 image = 0x10000, header = image + kKernelHeaderSize;
  be::store64(&m.bytes()[kZiplStage3Params], parm_addr);
  be::store64(&m.bytes()[kZiplStage3Params + 56], image);
  std::memcpy(&m.bytes()[header + 8], mark, 6);
  be::store64(&m.bytes()[header + 0x430], kernel_size_field);
  if (parm_addr != kZiplStage3Unset)
    std::memcpy(&m.bytes()[parm_addr], line.c_str(), line.size() + 1);
  return m;
}

TEST(KernelCmdline, ZiplStage3TakesTheLineFromItsParmAddr) {
  VectorMemory m = stage3(0x40000, 4096, "console=ttysclp0 ccwboot.disk=zipl");
  KernelCmdline k;
  ASSERT_EQ(inspect_kernel_cmdline(m, 0xa050, &k), WaitCode::kNone);
  EXPECT_TRUE(k.via_stage3);
  EXPECT_EQ(k.address, 0x40000u);
  // Stage 3 copies 896 bytes whatever the kernel takes.
  EXPECT_EQ(k.max_length(), 895u);
  char buf[128];
  u32 len = 0;
  ASSERT_EQ(read_kernel_cmdline(m, k, buf, sizeof buf, &len), WaitCode::kNone);
  EXPECT_EQ(std::string(buf, len), "console=ttysclp0 ccwboot.disk=zipl");
  const std::string edited = "console=ttysclp0 ccwboot.disk=zipl added";
  ASSERT_EQ(write_kernel_cmdline(m, k, edited.c_str(), static_cast<u32>(edited.size())),
            WaitCode::kNone);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(&m.bytes()[0x40000])), edited);
  // 0x10480 is left to stage 3.
  EXPECT_EQ(m.bytes()[kLinuxCmdline], 0);
  const std::string over(896, 'x');
  EXPECT_EQ(write_kernel_cmdline(m, k, over.c_str(), 896), WaitCode::kCmdlineTooLong);
}

TEST(KernelCmdline, ZiplStage3WithASmallerKernelLimit) {
  VectorMemory m = stage3(0x40000, 512, "a");
  KernelCmdline k;
  ASSERT_EQ(inspect_kernel_cmdline(m, 0xa050, &k), WaitCode::kNone);
  EXPECT_EQ(k.max_length(), 511u);
  EXPECT_TRUE(k.size_from_header);
}

TEST(KernelCmdline, ZiplStage3WithoutALineOrWithoutAKernel) {
  KernelCmdline k;
  VectorMemory none = stage3(kZiplStage3Unset, 4096, "");
  EXPECT_EQ(inspect_kernel_cmdline(none, 0xa050, &k), WaitCode::kCmdlineStage3);
  VectorMemory raw = stage3(0x40000, 4096, "x", "NOTLNX");
  EXPECT_EQ(inspect_kernel_cmdline(raw, 0xa050, &k), WaitCode::kCmdlineNotLinux);
  VectorMemory outside = stage3(0x40000, 4096, "x");
  be::store64(&outside.bytes()[kZiplStage3Params], (1 << 20) - 16);
  EXPECT_EQ(inspect_kernel_cmdline(outside, 0xa050, &k), WaitCode::kCmdlineBadSize);
}

TEST(KernelCmdline, ImplausibleSizeFieldsAreRefused) {
  KernelCmdline k;
  VectorMemory huge = kernel(u64{1} << 32, "x");
  EXPECT_EQ(inspect_kernel_cmdline(huge, kLinuxEntry, &k), WaitCode::kCmdlineBadSize);
  VectorMemory one = kernel(1, "x");
  EXPECT_EQ(inspect_kernel_cmdline(one, kLinuxEntry, &k), WaitCode::kCmdlineBadSize);
  // A buffer that would run past the end of memory.
  VectorMemory small = kernel(0x10000, "x", kLinuxCmdline + 0x1000);
  EXPECT_EQ(inspect_kernel_cmdline(small, kLinuxEntry, &k), WaitCode::kCmdlineBadSize);
}

TEST(KernelCmdline, ReadStopsAtTheLimitWithoutANul) {
  VectorMemory m = kernel(16, "");
  std::memset(&m.bytes()[kLinuxCmdline], 'z', 64);
  KernelCmdline k;
  ASSERT_EQ(inspect_kernel_cmdline(m, kLinuxEntry, &k), WaitCode::kNone);
  char buf[64];
  u32 len = 0;
  ASSERT_EQ(read_kernel_cmdline(m, k, buf, sizeof buf, &len), WaitCode::kNone);
  EXPECT_EQ(len, 15u);
  // And at the caller's buffer.
  VectorMemory big = kernel(4096, std::string(300, 'q'));
  ASSERT_EQ(inspect_kernel_cmdline(big, kLinuxEntry, &k), WaitCode::kNone);
  ASSERT_EQ(read_kernel_cmdline(big, k, buf, sizeof buf, &len), WaitCode::kNone);
  EXPECT_EQ(len, 63u);
  EXPECT_EQ(buf[63], '\0');
}

}  // namespace
}  // namespace ccwboot::menu
