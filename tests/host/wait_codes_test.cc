// The wait-code table: every code named once, looked up exactly, and safe as
// a disabled-wait address (QEMU takes an address ending in 0xfff for a
// shutdown, not an error).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "ccwboot/wait_codes.h"

namespace ccwboot {
namespace {

struct Row {
  WaitCode code;
  const char* name;
  const char* message;
  const char* hint;
};

constexpr Row kRows[] = {
#define ROW(name, code, msg, hint) {WaitCode::name, #name, msg, hint},
    CCWBOOT_WAIT_CODES(ROW)
#undef ROW
};

TEST(WaitCodes, LookupReturnsEachRowsTexts) {
  for (const Row& row : kRows) {
    WaitCodeInfo info = wait_code_info(row.code);
    EXPECT_EQ(info.code, row.code);
    EXPECT_STREQ(info.name, row.name);
    EXPECT_STREQ(info.message, row.message);
    EXPECT_STREQ(info.hint, row.hint);
  }
}

TEST(WaitCodes, CodesAndNamesAreUniqueAndNoneLooksLikeAShutdown) {
  std::set<unsigned> codes;
  std::set<std::string> names;
  for (const Row& row : kRows) {
    unsigned code = static_cast<unsigned>(row.code);
    EXPECT_TRUE(codes.insert(code).second) << "duplicate code " << std::hex << code;
    EXPECT_TRUE(names.insert(row.name).second) << "duplicate name " << row.name;
    EXPECT_NE(wait_psw_address(row.code) & 0xfff, 0xfffu) << row.name;
    if (row.code != WaitCode::kNone) {
      EXPECT_STRNE(row.message, "") << row.name;
      EXPECT_STRNE(row.hint, "") << row.name;
    }
  }
}

TEST(WaitCodes, UnknownCodeIsInternal) {
  WaitCodeInfo info = wait_code_info(static_cast<WaitCode>(0x7777));
  EXPECT_EQ(info.code, WaitCode::kInternal);
  EXPECT_STREQ(info.name, "kInternal");
}

}  // namespace
}  // namespace ccwboot
