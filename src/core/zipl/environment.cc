// zipl's environment block: the site a loadparm activates, and a bounded check
// of the block before stage 3 walks it (ccwboot/zipl/environment.h).
#include "ccwboot/zipl/environment.h"

#include "ccwboot/log.h"
#include "ccwboot/mem.h"
#include "ccwboot/text.h"

#define LOG_PREFIX "zipl: "

namespace ccwboot::zipl {
namespace {

constexpr char kSignature[] = "# zIPL Environment Block\n";
constexpr u32 kSignatureLength = sizeof kSignature - 1;

WaitCode malformed(u64 at, const char* what) {
  LOG("environment block: %s at 0x%llx\n", what, at);
  return WaitCode::kZiplEnvBlockMalformed;
}

}  // namespace

int zipl_site(const char* loadparm, u32 ssid) {
  constexpr u32 kLength = 8;
  for (u32 i = 0; i < kLength; ++i) {
    if (loadparm[i] != 'S') continue;
    // Only the first 'S' counts: the site is what follows it.
    if (i + 1 < kLength && loadparm[i + 1] == 'S') return static_cast<int>(ssid);
    if (i + 1 < kLength && text::is_digit(loadparm[i + 1])) return loadparm[i + 1] - '0';
    return -1;
  }
  return -1;
}

WaitCode check_environment(GuestMemory& mem, const Stage3Params& params, EnvironmentSummary* out) {
  *out = EnvironmentSummary{};
  if (params.envblk_addr == 0 || params.envblk_addr == kStage3Unset) return WaitCode::kNone;
  out->present = true;
  const u64 start = params.envblk_addr;
  const u64 len = params.envblk_len;
  if (len < kSignatureLength || len > kMaxEnvironmentBlock || start > mem.size() ||
      len > mem.size() - start) {
    LOG("environment block 0x%llx+0x%llx: length or place impossible\n", start, len);
    return WaitCode::kZiplEnvBlockMalformed;
  }
  char sig[kSignatureLength];
  if (!mem.read(start, sig, kSignatureLength)) return malformed(start, "unreadable");
  if (memcmp(sig, kSignature, kSignatureLength) != 0) return WaitCode::kNone;
  out->signature = true;

  // Lines NAME=VALUE\n until the first NUL, which must come inside the block.
  enum class State { kLineStart, kName, kValue } state = State::kLineStart;
  int site = -1;
  u8 chunk[256];
  u64 at = start + kSignatureLength;
  const u64 end = start + len;
  while (at < end) {
    const u32 n = static_cast<u32>(end - at < sizeof chunk ? end - at : sizeof chunk);
    if (!mem.read(at, chunk, n)) return malformed(at, "unreadable");
    for (u32 i = 0; i < n; ++i, ++at) {
      const char c = static_cast<char>(chunk[i]);
      switch (state) {
        case State::kLineStart:
          if (c == '\0') return WaitCode::kNone;  // the NUL padding: done
          if (c == '=' || c == '\n') return malformed(at, "a line without a name");
          site = text::is_digit(c) ? c - '0' : -1;
          state = State::kName;
          break;
        case State::kName:
          if (c == '\0' || c == '\n') return malformed(at, "a name without '='");
          if (c == '=') state = State::kValue;
          break;
        case State::kValue:
          if (c == '\0') return malformed(at, "a value without its newline");
          if (c == '\n') {
            if (site >= 0) {
              ++out->site[site];
            } else {
              ++out->common;
            }
            state = State::kLineStart;
          }
          break;
      }
    }
  }
  return malformed(end, "no NUL before the end of the block");
}

}  // namespace ccwboot::zipl
