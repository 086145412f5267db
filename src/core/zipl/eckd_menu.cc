// The zipl boot menu of an ECKD (CDL) volume. zipl puts the menu into its
// stage-2 loader; stage 1b lists the stage-2 blocks as seek arguments (pad 2,
// cylinder 2, head 2, record 1, pad 1) from offset 768, up to 24 of them.
// Inside stage 2 the menu text starts with the EBCDIC banner "zIPL..."; the
// prompt flag (16 bit) sits 140 bytes and the timeout in seconds (16 bit) 138
// bytes before the banner. After the banner's NUL come NUL-terminated EBCDIC
// lines " N. name", ended by an empty string.
#include "ccwboot/arch/iplb.h"
#include "ccwboot/endian.h"
#include "ccwboot/log.h"
#include "ccwboot/text.h"
#include "parsers.h"

namespace ccwboot::zipl {
namespace {

constexpr u32 kSeekArgs = 768;
constexpr u32 kMaxStage2Blocks = 24;
constexpr u32 kFlagBack = 140;
constexpr u32 kTimeoutBack = 138;
constexpr u8 kBanner[4] = {0xa9, 0xc9, 0xd7, 0xd3};  // "zIPL" in EBCDIC

// Menu names use a few more punctuation marks than loadparms and volsers.
char menu_char(u8 c) {
  switch (c) {
    case 0x4d: return '(';
    case 0x5d: return ')';
    case 0x7a: return ':';
    case 0x61: return '/';
    case 0x6b: return ',';
    case 0x7e: return '=';
    case 0x4e: return '+';
    default: return ebcdic_to_ascii(c);
  }
}

// Parses one menu line (EBCDIC, len bytes) " N. name" into the menu.
void take_line(BootMenu& menu, const u8* p, u32 len) {
  char line[kMaxNameLength + 8];
  u32 n = 0;
  for (u32 i = 0; i < len && n + 1 < sizeof(line); ++i) line[n++] = menu_char(p[i]);
  line[n] = '\0';
  u32 i = 0;
  while (i < n && line[i] == ' ') ++i;
  u32 number = 0, digits = 0;
  while (i < n && text::is_digit(line[i]) && digits < 3)
    number = number * 10 + (line[i++] - '0'), ++digits;
  if (digits == 0 || number >= kMaxEntries || i >= n || line[i] != '.') return;
  ++i;
  while (i < n && line[i] == ' ') ++i;
  BootEntry& e = menu.entries[number];
  u32 k = 0;
  while (i < n && k < kMaxNameLength) e.name[k++] = line[i++];
  e.name[k] = '\0';
  menu.has_names = true;
}

}  // namespace

bool SchemeParsers::eckd_chs(const BootMap& map, const u8* p, u64* block) {
  const u64 cyl = be::load16(p) + (u64{be::load16(p + 2) & 0xfff0u} << 12);
  const u32 head = be::load16(p + 2) & 0xf;
  const u32 rec = p[4];
  if (rec == 0 || rec > map.blocks_per_track_ || head >= map.heads_) return false;
  *block = (cyl * map.heads_ + head) * map.blocks_per_track_ + rec - 1;
  const u64 factor = map.lbs_ / map.dev_->block_size();
  return map.dev_->block_count() == 0 || *block < map.dev_->block_count() / factor;
}

void SchemeParsers::read_eckd_menu(BootMap& map, u64 stage1b_block) {
  const u32 lbs = map.lbs_;
  u8* s1b = map.list_;
  u8* s2 = map.bounce_;  // current stage-2 block, then the next one behind it
  if (lbs < kSeekArgs + 8 * kMaxStage2Blocks || 2 * lbs > sizeof(map.bounce_)) return;
  if (read_logical(map, stage1b_block, 1, s1b, "stage 1b") != WaitCode::kNone) return;
  for (u32 i = 0; i < kMaxStage2Blocks; ++i) {
    u64 blk = 0;
    if (!eckd_chs(map, s1b + kSeekArgs + 8 * i + 2, &blk) || blk == 0) break;
    if (read_logical(map, blk, 1, s2, "a stage-2 block") != WaitCode::kNone) return;
    u32 off = 0;
    bool found = false;
    for (; off + 4 <= lbs; ++off)
      if (s2[off] == kBanner[0] && s2[off + 1] == kBanner[1] && s2[off + 2] == kBanner[2] &&
          s2[off + 3] == kBanner[3]) {
        found = true;
        break;
      }
    if (!found) continue;
    // The text may run into the next stage-2 block.
    u32 avail = lbs - off;
    u64 next = 0;
    if (i + 1 < kMaxStage2Blocks && eckd_chs(map, s1b + kSeekArgs + 8 * (i + 1) + 2, &next) &&
        next != 0 && read_logical(map, next, 1, s2 + lbs, "a stage-2 block") == WaitCode::kNone)
      avail += lbs;
    if (off >= kFlagBack) {
      map.menu_.prompt = be::load16(s2 + off - kFlagBack) != 0;
      map.menu_.timeout_seconds = be::load16(s2 + off - kTimeoutBack);
    }
    const u8* text = s2 + off;
    u32 pos = 0;
    while (pos < avail && text[pos] != 0) ++pos;  // skip the banner line
    ++pos;
    for (u32 lines = 0; pos < avail && pos < kMaxMenuBytes && lines < 2 * kMaxEntries; ++lines) {
      u32 len = 0;
      while (pos + len < avail && text[pos + len] != 0) ++len;
      if (len == 0 || pos + len >= avail) break;
      take_line(map.menu_, text + pos, len);
      pos += len + 1;
    }
    return;
  }
}

}  // namespace ccwboot::zipl
