// The single stop path: message, hint, disabled wait with the error's code.
#include "ccwboot/platform/panic.h"

#include <stdarg.h>

#include "ccwboot/arch/lowcore.h"
#include "ccwboot/arch/psw.h"
#include "ccwboot/endian.h"
#include "ccwboot/format.h"
#include "ccwboot/log.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/console.h"
#include "cpu.h"

#define LOG_PREFIX "ccwboot: "

namespace ccwboot {

[[noreturn]] void disabled_wait(WaitCode code) {
  alignas(8) static Psw psw;
  psw = Psw::make(psw_mask::kDisabledWait, wait_psw_address(code));
  asm volatile("lpswe %0" : : "Q"(psw) : "memory");
  __builtin_unreachable();
}

[[noreturn]] void panic(WaitCode code, const char* detail_fmt, ...) {
  const WaitCodeInfo& info = wait_code_info(code);
  char detail[200] = "";
  if (detail_fmt != nullptr && detail_fmt[0] != '\0') {
    va_list ap;
    va_start(ap, detail_fmt);
    vformat(detail, sizeof detail, detail_fmt, ap);
    va_end(ap);
  }
  console_flush();
  if (detail[0] != '\0') {
    LOG("%s: %s\n", info.message, detail);
  } else {
    LOG("%s\n", info.message);
  }
  if (info.hint[0] != '\0') LOG("check: %s\n", info.hint);
  LOG("stopping with wait code 0x%04x (%s)\n", static_cast<unsigned>(code), info.name);
  console_flush();
  // A debugger or dump should find absolute 0-8K as the IPL left it, and the
  // next IPL expects prefix 0.
  if (current_prefix() != 0) restore_prefix();
  disabled_wait(code);
}

}  // namespace ccwboot

// Called from start.S when a program interruption hits the firmware.
extern "C" [[noreturn]] void on_program_check() {
  using namespace ccwboot;
  const u8* lc = cpu::real_ptr(0);
  u16 code = be::load16(lc + lowcore::kProgramCode);
  u64 mask = be::load64(lc + lowcore::kProgramOldPsw);
  u64 addr = be::load64(lc + lowcore::kProgramOldPsw + 8);
  u64 base = reinterpret_cast<u64>(__image_start);
  panic(WaitCode::kProgramCheck,
        "program check 0x%04x at PSW %016llx %016llx (image offset 0x%llx)", code, mask, addr,
        addr - base);
}
