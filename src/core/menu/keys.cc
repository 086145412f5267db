// Key decoding, see ccwboot/menu/keys.h.
#include "ccwboot/menu/keys.h"

namespace ccwboot::menu {
namespace {

constexpr u8 kEsc = 0x1b;

Key key(KeyKind k) { return Key{k, 0}; }

}  // namespace

void KeyDecoder::reset() {
  state_ = State::kGround;
  param_ = 0;
  seq_len_ = 0;
  last_was_cr_ = false;
}

Key KeyDecoder::ground(u8 b) {
  const bool after_cr = last_was_cr_;
  last_was_cr_ = b == '\r';
  if (b == '\r') return key(KeyKind::kEnter);
  if (b == '\n') return after_cr ? key(KeyKind::kNone) : key(KeyKind::kEnter);
  if (b >= 0x20 && b <= 0x7e) return Key{KeyKind::kChar, static_cast<char>(b)};
  switch (b) {
    case 0x7f:
    case 0x08: return key(KeyKind::kBackspace);
    case 0x01: return key(KeyKind::kHome);         // Ctrl-A
    case 0x02: return key(KeyKind::kLeft);         // Ctrl-B
    case 0x03: return key(KeyKind::kCancel);       // Ctrl-C
    case 0x04: return key(KeyKind::kDelete);       // Ctrl-D
    case 0x05: return key(KeyKind::kEnd);          // Ctrl-E
    case 0x06: return key(KeyKind::kRight);        // Ctrl-F
    case 0x0b: return key(KeyKind::kKillToEnd);    // Ctrl-K
    case 0x0e: return key(KeyKind::kDown);         // Ctrl-N
    case 0x10: return key(KeyKind::kUp);           // Ctrl-P
    case 0x15: return key(KeyKind::kKillToStart);  // Ctrl-U
    case 0x17: return key(KeyKind::kKillWord);     // Ctrl-W
    default: break;
  }
  return key(KeyKind::kNone);  // other controls, bytes >= 0x80: no key
}

Key KeyDecoder::finish_csi(u8 f) {
  switch (f) {
    case 'A': return key(KeyKind::kUp);
    case 'B': return key(KeyKind::kDown);
    case 'C': return key(KeyKind::kRight);
    case 'D': return key(KeyKind::kLeft);
    case 'H': return key(KeyKind::kHome);
    case 'F': return key(KeyKind::kEnd);
    case '~':
      switch (param_) {
        case 1:
        case 7: return key(KeyKind::kHome);
        case 3: return key(KeyKind::kDelete);
        case 4:
        case 8: return key(KeyKind::kEnd);
        default: break;
      }
      break;
    default: break;
  }
  return key(KeyKind::kNone);
}

u32 KeyDecoder::feed(u8 b, Key out[2]) {
  switch (state_) {
    case State::kGround:
      if (b == kEsc) {
        state_ = State::kEscape;
        last_was_cr_ = false;
        return 0;
      }
      out[0] = ground(b);
      return out[0].kind == KeyKind::kNone ? 0 : 1;
    case State::kEscape:
      if (b == '[' || b == 'O') {
        state_ = b == '[' ? State::kCsi : State::kSs3;
        param_ = 0;
        param_done_ = false;
        seq_len_ = 0;
        return 0;
      }
      if (b == kEsc) {  // ESC ESC: the first one stood alone
        out[0] = key(KeyKind::kCancel);
        return 1;
      }
      state_ = State::kGround;
      out[0] = key(KeyKind::kCancel);
      out[1] = ground(b);
      return out[1].kind == KeyKind::kNone ? 1 : 2;
    case State::kSs3:
      state_ = State::kGround;
      out[0] = finish_csi(b);
      return out[0].kind == KeyKind::kNone ? 0 : 1;
    case State::kCsi:
      if (++seq_len_ > kMaxSequence) {
        state_ = State::kGround;  // too long to be a key: drop it
        return 0;
      }
      if (b >= '0' && b <= '9') {
        if (!param_done_ && param_ < 1000) param_ = param_ * 10 + (b - '0');
        return 0;
      }
      if (b == ';') param_done_ = true;      // modifiers (Ctrl, Shift) follow; the key stays
      if (b >= 0x20 && b <= 0x3f) return 0;  // ';' and other parameter/intermediate bytes
      state_ = State::kGround;
      if (b < 0x40 || b > 0x7e) return 0;  // not a final byte: the sequence is broken
      out[0] = finish_csi(b);
      return out[0].kind == KeyKind::kNone ? 0 : 1;
  }
  return 0;
}

bool KeyDecoder::idle(Key* out) {
  if (state_ != State::kEscape) return false;
  state_ = State::kGround;
  *out = key(KeyKind::kCancel);
  return true;
}

}  // namespace ccwboot::menu
