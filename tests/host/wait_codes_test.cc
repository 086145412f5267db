// The wait-code table: every code named once, looked up exactly, and safe as
// a disabled-wait address (QEMU takes an address ending in 0xfff for a
// shutdown, not an error).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
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

// docs/wait-codes.md is what a user reads when ccwboot stops: every code
// the firmware can end with has its row there, "| `kName` | 0xNNNN |".
TEST(WaitCodes, EveryCodeHasItsRowInTheDocs) {
  std::ifstream in(CCWBOOT_SOURCE_DIR "/docs/wait-codes.md");
  ASSERT_TRUE(in) << "cannot read docs/wait-codes.md";
  std::stringstream doc;
  doc << in.rdbuf();
  const std::string text = "\n" + doc.str();
  for (const Row& row : kRows) {
    if (row.code == WaitCode::kNone) continue;  // not a stop
    char line[96];
    std::snprintf(line, sizeof line, "\n| `%s` | 0x%04x |", row.name,
                  static_cast<unsigned>(row.code));
    EXPECT_NE(text.find(line), std::string::npos)
        << row.name << " has no row in docs/wait-codes.md (expected a line starting " << line + 1
        << ")";
  }
}

}  // namespace
}  // namespace ccwboot
