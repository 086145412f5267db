// A bounded set of nonzero keys by open addressing: at most kMaxKeys keys in
// twice as many slots, so a lookup costs a few probes and a free slot ends
// every probe sequence. For what the DASD IPL remembers per chain piece
// (ProgressWatch's states, the chain's start addresses): a long linked list
// runs thousands of pieces within the IPL's time budget (dasd_ipl.h), and a
// scan of every earlier piece at each one would grow with their square.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::dasd {

template <typename Key, u32 kMaxKeys>
class KeySlots {
 public:
  static constexpr u32 kSlots = 2 * kMaxKeys;
  static_assert((kSlots & (kSlots - 1)) == 0, "a power of two");

  void clear() {
    for (Key& k : key_) k = 0;
    count_ = 0;
  }
  // The slot that holds `key` (nonzero), or the free slot where it would go.
  u32 slot(Key key) const {
    u32 i = static_cast<u32>(u64{key} * 0x9E3779B97F4A7C15ull >> 40) % kSlots;
    while (key_[i] && key_[i] != key) i = (i + 1) % kSlots;
    return i;
  }
  bool used(u32 slot) const { return key_[slot] != 0; }
  u32 count() const { return count_; }
  // Puts `key` into the free slot that slot(key) returned; false (and kept
  // out) once kMaxKeys keys are in.
  bool put(u32 slot, Key key) {
    if (count_ >= kMaxKeys) return false;
    key_[slot] = key;
    ++count_;
    return true;
  }

 private:
  Key key_[kSlots] = {};  // 0: a free slot
  u32 count_ = 0;
};

}  // namespace ccwboot::dasd
