// The wait-code table, generated from the list in ccwboot/wait_codes.h.
//
// The texts are one string blob and the codes a plain array, so the table
// holds no pointers: a table of char pointers costs a 24-byte relocation per
// pointer in the position-independent image (about 6 KiB for ~90 codes).
// Lookup walks the blob, which only happens on the way to a panic.
#include "ccwboot/wait_codes.h"

namespace ccwboot {
namespace {

constexpr WaitCode kCodes[] = {
#define CCWBOOT_WAIT_CODE(name, code, msg, hint) WaitCode::name,
    CCWBOOT_WAIT_CODES(CCWBOOT_WAIT_CODE)
#undef CCWBOOT_WAIT_CODE
};

// name NUL message NUL hint NUL, one triple per code, in kCodes order.
constexpr char kTexts[] =
#define CCWBOOT_WAIT_TEXT(name, code, msg, hint) #name "\0" msg "\0" hint "\0"
    CCWBOOT_WAIT_CODES(CCWBOOT_WAIT_TEXT)
#undef CCWBOOT_WAIT_TEXT
    ;

const char* skip_string(const char* s) {
  while (*s != '\0') ++s;
  return s + 1;
}

}  // namespace

WaitCodeInfo wait_code_info(WaitCode code) {
  const char* text = kTexts;
  for (WaitCode row : kCodes) {
    const char* message = skip_string(text);
    const char* hint = skip_string(message);
    if (row == code) return {row, text, message, hint};
    text = skip_string(hint);
  }
  return wait_code_info(WaitCode::kInternal);
}

}  // namespace ccwboot
