// Entry selection from loadparm and menu flags, and the entry-number reader.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "ccwboot/boot/boot_select.h"

namespace ccwboot::virtio {
namespace {

zipl::BootMenu two_entries(bool names) {
  zipl::BootMenu m{};
  m.scheme = zipl::Scheme::kScsi;
  for (u32 i = 0; i <= 2; ++i) {
    m.entries[i].present = true;
    m.entries[i].name[0] = '\0';
  }
  if (names) {
    std::strcpy(m.entries[1].name, "debian");
    std::strcpy(m.entries[2].name, "rescue");
    m.has_names = true;
  }
  m.highest_entry = 2;
  m.default_entry = 1;
  return m;
}

TEST(BootSelect, BlankLoadparmBootsDefault) {
  auto m = two_entries(false);
  Selection s = select_boot_entry("        ", {}, m);
  EXPECT_EQ(s.error, WaitCode::kNone);
  EXPECT_FALSE(s.show_menu);
  EXPECT_EQ(s.entry, 0u);
  Selection nul = select_boot_entry("\0\0\0\0\0\0\0\0", {}, m);
  EXPECT_EQ(nul.entry, 0u);
  EXPECT_FALSE(nul.show_menu);
}

TEST(BootSelect, DigitsSelectThatEntry) {
  auto m = two_entries(false);
  EXPECT_EQ(select_boot_entry("1       ", {}, m).entry, 1u);
  EXPECT_EQ(select_boot_entry("2       ", {}, m).entry, 2u);
  EXPECT_EQ(select_boot_entry("00000002", {}, m).entry, 2u);
  EXPECT_EQ(select_boot_entry("0       ", {}, m).entry, 0u);
  // A loadparm wins over -boot menu=on.
  Selection s = select_boot_entry("2       ", {qipl_flag::kMenuFromCommandLine, 5000}, m);
  EXPECT_FALSE(s.show_menu);
  EXPECT_EQ(s.entry, 2u);
}

TEST(BootSelect, MissingEntryIsANamedError) {
  auto m = two_entries(false);
  EXPECT_EQ(select_boot_entry("3       ", {}, m).error, WaitCode::kLoadparmNoSuchEntry);
  EXPECT_EQ(select_boot_entry("99999999", {}, m).error, WaitCode::kLoadparmNoSuchEntry);
  EXPECT_EQ(select_boot_entry("30      ", {}, m).error, WaitCode::kLoadparmNoSuchEntry);
}

TEST(BootSelect, NonNumericLoadparmIsIgnoredLikeQemu) {
  auto m = two_entries(false);
  // QEMU's bios reads leading digits only: "LINUX" boots the default, "2A" entry 2.
  Selection linux = select_boot_entry("LINUX   ", {}, m);
  EXPECT_EQ(linux.error, WaitCode::kNone);
  EXPECT_EQ(linux.entry, 0u);
  EXPECT_TRUE(linux.ignored_loadparm);
  EXPECT_FALSE(linux.show_menu);
  EXPECT_EQ(select_boot_entry("2A      ", {}, m).entry, 2u);
  EXPECT_EQ(select_boot_entry("1 2     ", {}, m).entry, 1u);
  EXPECT_TRUE(select_boot_entry(" 1      ", {}, m).ignored_loadparm);
  EXPECT_TRUE(select_boot_entry("PROMPTX ", {}, m).ignored_loadparm);
  // An ignored loadparm does not request the menu either, even with -boot menu=on
  // (QEMU enables its menu only for an empty loadparm).
  EXPECT_FALSE(select_boot_entry("LINUX   ", {qipl_flag::kMenuFromCommandLine, 1000}, m).show_menu);
  EXPECT_FALSE(select_boot_entry("2       ", {}, m).ignored_loadparm);
}

// zipl's site selector: S<d> after the entry number (or alone) is never an entry.
TEST(BootSelect, SiteSuffixIsNotAnEntry) {
  auto m = two_entries(false);
  Selection both = select_boot_entry("2S1     ", {}, m);
  EXPECT_EQ(both.error, WaitCode::kNone);
  EXPECT_EQ(both.entry, 2u);
  EXPECT_EQ(both.site, 1);
  Selection alone = select_boot_entry("S3      ", {}, m);
  EXPECT_EQ(alone.error, WaitCode::kNone);
  EXPECT_EQ(alone.entry, 0u);
  EXPECT_EQ(alone.site, 3);
  EXPECT_FALSE(alone.ignored_loadparm);
  EXPECT_EQ(select_boot_entry("2       ", {}, m).site, -1);
  // Not a site: more after the digit, or no digit.
  EXPECT_EQ(select_boot_entry("2S12    ", {}, m).site, -1);
  EXPECT_TRUE(select_boot_entry("SX      ", {}, m).ignored_loadparm);
  // The entry part still has to exist.
  EXPECT_EQ(select_boot_entry("7S1     ", {}, m).error, WaitCode::kLoadparmNoSuchEntry);
}

// One rule on every kind of disk: an El Torito ISO has only its default.
TEST(BootSelect, MissingEntryOnASingleEntryIso) {
  zipl::BootMenu iso{};
  iso.scheme = zipl::Scheme::kIso9660;
  iso.entries[0].present = true;
  EXPECT_EQ(select_boot_entry("2       ", {}, iso).error, WaitCode::kLoadparmNoSuchEntry);
  EXPECT_EQ(select_boot_entry("0       ", {}, iso).error, WaitCode::kNone);
  EXPECT_EQ(select_boot_entry("        ", {}, iso).error, WaitCode::kNone);
}

TEST(BootSelect, PromptAndMenuFlags) {
  auto m = two_entries(true);
  Selection p = select_boot_entry("PROMPT  ", {}, m);
  EXPECT_TRUE(p.show_menu);
  EXPECT_EQ(p.menu_timeout_ms, 0u);
  Selection cmd = select_boot_entry("        ", {qipl_flag::kMenuFromCommandLine, 3000}, m);
  EXPECT_TRUE(cmd.show_menu);
  EXPECT_EQ(cmd.menu_timeout_ms, 3000u);
  EXPECT_EQ(cmd.entry, 0u);
  // The disk's own prompt counts only when QEMU allows the zipl menu.
  m.prompt = true;
  m.timeout_seconds = 7;
  EXPECT_FALSE(select_boot_entry("        ", {}, m).show_menu);
  Selection zipl = select_boot_entry("        ", {qipl_flag::kMenuFromZipl, 0}, m);
  EXPECT_TRUE(zipl.show_menu);
  EXPECT_EQ(zipl.menu_timeout_ms, 7000u);
  m.prompt = false;
  EXPECT_FALSE(select_boot_entry("        ", {qipl_flag::kMenuFromZipl, 0}, m).show_menu);
}

// The one entry-number reader of loadparms and menu answers.
TEST(EntryNumber, DigitsOnlyLeadingZerosAndNoOverflow) {
  u32 v = 77;
  EXPECT_TRUE(zipl::parse_entry_number("0002", 4, &v));
  EXPECT_EQ(v, 2u);
  EXPECT_TRUE(zipl::parse_entry_number("30", 2, &v));
  EXPECT_EQ(v, 30u);
  EXPECT_TRUE(zipl::parse_entry_number("99999999999999999999", 20, &v));
  EXPECT_EQ(v, 1000u);
  v = 77;
  EXPECT_FALSE(zipl::parse_entry_number("", 0, &v));
  EXPECT_FALSE(zipl::parse_entry_number("2x", 2, &v));
  EXPECT_FALSE(zipl::parse_entry_number(" 2", 2, &v));
  EXPECT_EQ(v, 77u);
}

}  // namespace
}  // namespace ccwboot::virtio
