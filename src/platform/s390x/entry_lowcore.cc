// Snapshot of absolute 0-8K at entry, put back before a DASD IPL.
#include "ccwboot/platform/entry_lowcore.h"

#include "ccwboot/arch/lowcore.h"
#include "ccwboot/mem.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/panic.h"
#include "cpu.h"

namespace ccwboot {
namespace {

alignas(8) u8 g_entry_lowcore[lowcore::kSize];
bool g_saved = false;

}  // namespace

void save_entry_lowcore() {
  // Prefix 0 at entry (reset state), so real 0-8K is absolute 0-8K.
  memcpy(g_entry_lowcore, cpu::real_ptr(0), lowcore::kSize);
  g_saved = true;
}

const u8* entry_lowcore() { return g_entry_lowcore; }

void restore_entry_lowcore() {
  if (!g_saved || current_prefix() == 0) {
    panic(WaitCode::kInternal, "entry lowcore restored without a snapshot or under prefix 0");
  }
  absolute_memory().write(0, g_entry_lowcore, lowcore::kSize);
}

}  // namespace ccwboot
