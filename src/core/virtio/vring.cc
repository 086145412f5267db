// Driver side of a split virtqueue, see ccwboot/virtio/vring.h.
#include "ccwboot/virtio/vring.h"

#include "ccwboot/endian.h"

namespace ccwboot::virtio {
namespace {

// The device writes the used ring behind the compiler's back; every access
// to ring memory goes through volatile bytes, and a full fence orders the
// descriptor writes before the index that publishes them.
void fence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

// Ring bytes <-> a local copy, byte by byte through volatile.
void copy_in(u8* out, const u8* ring, u32 n) {
  const volatile u8* v = ring;
  for (u32 i = 0; i < n; ++i) out[i] = v[i];
}
void copy_out(u8* ring, const u8* in, u32 n) {
  volatile u8* v = ring;
  for (u32 i = 0; i < n; ++i) v[i] = in[i];
}

}  // namespace

u16 Vring::load16(const u8* p) const {
  u8 b[2];
  copy_in(b, p, 2);
  return endian::load16(b, little_);
}

u32 Vring::load32(const u8* p) const {
  u8 b[4];
  copy_in(b, p, 4);
  return endian::load32(b, little_);
}

void Vring::store16(u8* p, u16 v) const {
  u8 b[2];
  endian::store16(b, v, little_);
  copy_out(p, b, 2);
}

void Vring::store32(u8* p, u32 v) const {
  u8 b[4];
  endian::store32(b, v, little_);
  copy_out(p, b, 4);
}

void Vring::store64(u8* p, u64 v) const {
  u8 b[8];
  endian::store64(b, v, little_);
  copy_out(p, b, 8);
}

void Vring::init(u8* ring, const VringLayout& layout, bool little_endian) {
  ring_ = ring;
  layout_ = layout;
  little_ = little_endian;
  last_used_ = 0;
  volatile u8* v = ring;
  for (u32 i = 0; i < layout.total; ++i) v[i] = 0;
  // We poll the used ring; ask the device not to interrupt.
  store16(ring_ + layout_.avail_offset, kAvailNoInterrupt);
  fence();
}

bool Vring::submit(const VringBuffer* buffers, u32 count) {
  if (ring_ == nullptr || count == 0 || count > layout_.num) return false;
  for (u32 i = 0; i < count; ++i) {
    u8* d = ring_ + layout_.desc_offset + 16 * i;
    u16 flags = buffers[i].device_writes ? desc_flag::kWrite : 0;
    const bool more = i + 1 < count;
    if (more) flags |= desc_flag::kNext;
    store64(d, buffers[i].address);
    store32(d + 8, buffers[i].length);
    store16(d + 12, flags);
    store16(d + 14, more ? static_cast<u16>(i + 1) : 0);
  }
  u8* avail = ring_ + layout_.avail_offset;
  const u16 idx = load16(avail + 2);
  store16(avail + 4 + 2 * (idx % layout_.num), 0);  // head descriptor 0
  fence();  // descriptors and ring entry before the index that publishes them
  store16(avail + 2, static_cast<u16>(idx + 1));
  fence();
  return true;
}

bool Vring::post(u16 desc, const VringBuffer& b) {
  if (ring_ == nullptr || desc >= layout_.num) return false;
  u8* d = ring_ + layout_.desc_offset + 16 * desc;
  store64(d, b.address);
  store32(d + 8, b.length);
  store16(d + 12, b.device_writes ? desc_flag::kWrite : 0);
  store16(d + 14, 0);
  u8* avail = ring_ + layout_.avail_offset;
  const u16 idx = load16(avail + 2);
  store16(avail + 4 + 2 * (idx % layout_.num), desc);
  fence();
  store16(avail + 2, static_cast<u16>(idx + 1));
  fence();
  return true;
}

bool Vring::poll_used(u32* id, u32* written) {
  if (ring_ == nullptr) return false;
  const u8* used = ring_ + layout_.used_offset;
  const u16 idx = load16(used + 2);
  if (idx == last_used_) return false;
  fence();  // the element is valid once the index has moved
  const u8* elem = used + 4 + 8 * (last_used_ % layout_.num);
  if (id) *id = load32(elem);
  if (written) *written = load32(elem + 4);
  ++last_used_;
  return true;
}

u16 Vring::avail_idx() const { return ring_ ? load16(ring_ + layout_.avail_offset + 2) : 0; }
u16 Vring::used_idx() const { return ring_ ? load16(ring_ + layout_.used_offset + 2) : 0; }

}  // namespace ccwboot::virtio
