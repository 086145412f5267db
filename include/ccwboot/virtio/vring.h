// The split virtqueue ("vring") as the driver side sees it: layout math and
// the few operations a synchronous block driver needs. Portable: the ring is
// a byte array in memory the device can reach; addresses written into
// descriptors are absolute addresses supplied by the caller.
//
// Byte order: a legacy (revision 0) virtio-ccw device uses the guest's own
// order (big-endian on s390x); a virtio 1.0 device (revision 1) uses
// little-endian. The ring keeps which one it was set up with.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::virtio {

// Descriptor flags (virtio 1.0, 2.6.5).
namespace desc_flag {
inline constexpr u16 kNext = 1;
inline constexpr u16 kWrite = 2;  // device writes this buffer
}  // namespace desc_flag

// Used-ring flag: the driver does not want interrupts (we poll).
inline constexpr u16 kAvailNoInterrupt = 1;

// virtio-ccw places the used ring on a 4 KiB boundary for legacy devices.
inline constexpr u32 kCcwRingAlign = 4096;

struct VringLayout {
  u32 num = 0;
  u32 desc_offset = 0;   // num * 16 bytes of descriptors
  u32 avail_offset = 0;  // flags, idx, ring[num], used_event
  u32 used_offset = 0;   // flags, idx, ring[num] of {id, len}, avail_event
  u32 total = 0;         // bytes from the start of the descriptors
};

// Legacy layout: descriptors, then the available ring, then the used ring
// at the next `align` boundary. Returns num == 0 for an invalid request
// (num not a power of two, 0, above 32768, or align not a power of two).
constexpr VringLayout vring_layout(u32 num, u32 align) {
  VringLayout l{};
  if (num == 0 || num > 32768 || (num & (num - 1)) != 0) return l;
  if (align == 0 || (align & (align - 1)) != 0) return l;
  l.num = num;
  l.desc_offset = 0;
  l.avail_offset = 16 * num;
  const u32 avail_end = l.avail_offset + 4 + 2 * num + 2;
  l.used_offset = (avail_end + align - 1) & ~(align - 1);
  l.total = l.used_offset + 4 + 8 * num + 2;
  return l;
}

// One buffer of a request chain.
struct VringBuffer {
  u64 address;  // absolute address the device reads or writes
  u32 length;
  bool device_writes;
};

class Vring {
 public:
  // `ring` points at layout.total bytes (the caller owns and aligns them);
  // clears them. `little_endian` is true for a virtio 1.0 device.
  void init(u8* ring, const VringLayout& layout, bool little_endian);

  // Writes a chain of `count` buffers at descriptors 0..count-1 and makes it
  // available (one new avail entry). Returns false if count is 0 or larger
  // than the ring. The chain's head is descriptor 0: a synchronous driver has
  // at most one request in flight, so it always reuses the same descriptors.
  bool submit(const VringBuffer* buffers, u32 count);

  // Makes one device-writable or -readable buffer available on its own, in
  // descriptor `desc` (for a receive queue that keeps several buffers posted;
  // don't mix with submit() on the same ring). False if desc is outside the ring.
  bool post(u16 desc, const VringBuffer& buffer);

  // True when the device has returned the request (used idx moved past what
  // we have seen); then consumes it and stores the used element's id and
  // written length.
  bool poll_used(u32* id, u32* written);

  // Device-visible values (for tests and diagnostics).
  u16 avail_idx() const;
  u16 used_idx() const;
  u16 last_seen_used() const { return last_used_; }
  const VringLayout& layout() const { return layout_; }

 private:
  u16 load16(const u8* p) const;
  u32 load32(const u8* p) const;
  void store16(u8* p, u16 v) const;
  void store32(u8* p, u32 v) const;
  void store64(u8* p, u64 v) const;

  u8* ring_ = nullptr;
  VringLayout layout_{};
  bool little_ = true;
  u16 last_used_ = 0;
};

}  // namespace ccwboot::virtio
