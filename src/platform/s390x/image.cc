// The firmware's own extent, and the scratch area for the DASD core.
#include "ccwboot/platform/image.h"

#include "cpu.h"

namespace ccwboot {
namespace {

constexpr u32 kScratchSize = 16 * 1024;
alignas(4096) u8 g_scratch[kScratchSize];

}  // namespace

AddrRange image_range() {
  // The stack, SCCB, prefix area and scratch area are all inside bss, which
  // the linker script puts last, before __image_end.
  return {reinterpret_cast<u64>(__image_start), reinterpret_cast<u64>(__image_end)};
}

ScratchArea scratch_area() { return {reinterpret_cast<u64>(g_scratch), kScratchSize}; }

}  // namespace ccwboot
