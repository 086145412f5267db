// The wait-code table, generated from the list in ccwboot/wait_codes.h.
#include "ccwboot/wait_codes.h"

namespace ccwboot {
namespace {

constexpr WaitCodeInfo kTable[] = {
#define CCWBOOT_WAIT_ROW(name, code, msg, hint) {WaitCode::name, #name, msg, hint},
    CCWBOOT_WAIT_CODES(CCWBOOT_WAIT_ROW)
#undef CCWBOOT_WAIT_ROW
};

}  // namespace

const WaitCodeInfo& wait_code_info(WaitCode code) {
  for (const WaitCodeInfo& row : kTable) {
    if (row.code == code) return row;
  }
  return wait_code_info(WaitCode::kInternal);
}

}  // namespace ccwboot
