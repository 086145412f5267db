// virtio-ccw device setup (revision, features, one queue, status) and
// synchronous request transfers on that queue.
#include "virtio_ccw_transport.h"

#include "ccwboot/arch/schib.h"
#include "ccwboot/log.h"
#include "ccwboot/mem.h"
#include "ccwboot/virtio/virtio_ccw.h"
#include "hypercall.h"

#define LOG_PREFIX "virtio: "

namespace ccwboot::virtio {
namespace {

// One CCW and the bytes it transfers, in firmware memory below 2 GiB (a
// format-1 CCW holds a 31-bit address). One command runs at a time.
struct alignas(8) CommandBlock {
  u8 ccw[8];
  u8 data[64];
};
CommandBlock g_command;

// Ring memory for the one queue, page aligned (the legacy layout wants 4 KiB).
constexpr VringLayout kRingLayout = vring_layout(CcwTransport::kMaxQueueSize, kCcwRingAlign);
static_assert(kRingLayout.num == CcwTransport::kMaxQueueSize);
alignas(4096) u8 g_ring[(kRingLayout.total + 4095) & ~4095u];

u64 address_of(const void* p) { return reinterpret_cast<u64>(p); }

// A fresh enable puts QEMU's virtio-ccw device back to "revision not yet
// negotiated", so SET_VIRTIO_REV is accepted even if something (an earlier
// boot attempt) already talked virtio to this device.
void reenable_subchannel(u32 schid) {
  Schib schib{};
  if (store_subchannel(schid, &schib) == 0 && schib.enabled()) {
    schib.set_enabled(false);
    modify_subchannel(schid, &schib);
  }
  // A failure here shows as the first setup command failing (named there).
  if (!enable_subchannel(schid)) LOG("could not re-enable subchannel %08x\n", schid);
}

}  // namespace

IoResult CcwTransport::run(u8 command, void* data, u16 count, bool sli) {
  if (count > sizeof(g_command.data)) return IoResult{IoOutcome::kNotOperational};
  if (data != nullptr && count != 0) memcpy(g_command.data, data, count);
  const u8 flags = sli ? ccw_flag::kSuppressLength : 0;  // the device may transfer less
  Ccw1 ccw =
      Ccw1::make(command, count ? static_cast<u32>(address_of(g_command.data)) : 0, flags, count);
  memcpy(g_command.ccw, ccw.raw, 8);
  IoResult r = io_.start(static_cast<u32>(address_of(g_command.ccw)), CcwFormat::kFormat1, false);
  if (r.ok() && data != nullptr && count != 0) memcpy(data, g_command.data, count);
  return r;
}

bool CcwTransport::write_status(u8 status) { return run(ccw_cmd::kWriteStatus, &status, 1).ok(); }

void CcwTransport::notify() { notify_queue(schid(), queue_index_); }
void CcwTransport::notify(u16 queue) { notify_queue(schid(), queue); }

WaitCode CcwTransport::transfer(const VringBuffer* chain, u32 count, const char* what) {
  if (!ring_.submit(chain, count)) return WaitCode::kVirtioNoQueue;
  notify();
  const u64 start = tod_microseconds();
  u64 last_kick = start;
  for (;;) {
    if (ring_.poll_used(nullptr, nullptr)) return WaitCode::kNone;
    const u64 now = tod_microseconds();
    if (now - start > kRequestTimeoutUs) {
      LOG("%s not completed after %llu ms\n", what,
          static_cast<unsigned long long>((now - start) / 1000));
      reset();
      return WaitCode::kVirtioStalled;
    }
    // Kick again now and then, in case the first notification was lost.
    if (now - last_kick > 100'000) {
      notify();
      last_kick = now;
    }
  }
}

void CcwTransport::reset() { run(ccw_cmd::kResetDevice, nullptr, 0); }

bool CcwTransport::read_config(void* out, u32 len) {
  if (len > sizeof(g_command.data)) return false;
  return run(ccw_cmd::kReadConfig, out, static_cast<u16>(len), true).ok();
}

WaitCode CcwTransport::start(u16 queue_index, u32 wanted_features, const ExtraQueue* extra,
                             u32 extra_count) {
  queue_index_ = queue_index;
  reenable_subchannel(schid());

  // Revision 1 (virtio 1.0) first; a device limited to legacy refuses it
  // with a command reject and is then driven as revision 0.
  RevisionInfo rev = RevisionInfo::make(1);
  revision_ = run(ccw_cmd::kSetRevision, rev.raw, sizeof(rev.raw)).ok() ? 1 : 0;

  if (!run(ccw_cmd::kResetDevice, nullptr, 0).ok() || !write_status(status::kAcknowledge) ||
      !write_status(status::kAcknowledge | status::kDriver)) {
    LOG("device 0.x.%04x refused reset/acknowledge\n", schid() & 0xffff);
    return WaitCode::kVirtioSetupRejected;
  }

  // Features: we use none of the optional ones; revision 1 needs VERSION_1.
  FeatureDesc lo = FeatureDesc::make(0, 0);
  FeatureDesc hi = FeatureDesc::make(0, 1);
  if (!run(ccw_cmd::kReadFeatures, lo.raw, sizeof(lo.raw)).ok())
    return WaitCode::kVirtioSetupRejected;
  if (revision_ >= 1 && !run(ccw_cmd::kReadFeatures, hi.raw, sizeof(hi.raw)).ok()) {
    return WaitCode::kVirtioSetupRejected;
  }
  device_features_ = (u64{hi.bits()} << 32) | lo.bits();
  const bool version1 = device_features_ & (u64{1} << kFeatureVersion1);
  if (revision_ >= 1 && !version1) {
    LOG("revision 1 device without VERSION_1 (features %llx)\n", device_features_);
    return WaitCode::kVirtioFeaturesRejected;
  }
  accepted_ = lo.bits() & wanted_features;
  FeatureDesc want_lo = FeatureDesc::make(accepted_, 0);
  FeatureDesc want_hi = FeatureDesc::make(1u << (kFeatureVersion1 - 32), 1);
  if (!run(ccw_cmd::kWriteFeatures, want_lo.raw, sizeof(want_lo.raw)).ok() ||
      (revision_ >= 1 && !run(ccw_cmd::kWriteFeatures, want_hi.raw, sizeof(want_hi.raw)).ok())) {
    return WaitCode::kVirtioFeaturesRejected;
  }
  if (revision_ >= 1) {
    u8 st = status::kAcknowledge | status::kDriver | status::kFeaturesOk;
    if (!write_status(st)) return WaitCode::kVirtioFeaturesRejected;
    u8 now = 0;
    if (!run(ccw_cmd::kReadStatus, &now, 1).ok() || !(now & status::kFeaturesOk)) {
      return WaitCode::kVirtioFeaturesRejected;
    }
  }

  if (WaitCode w = setup_queue(queue_index_, g_ring, sizeof g_ring, kMaxQueueSize, &ring_);
      w != WaitCode::kNone)
    return w;
  for (u32 i = 0; i < extra_count; ++i) {
    const ExtraQueue& q = extra[i];
    if (WaitCode w = setup_queue(q.index, q.memory, q.bytes, q.max_size, q.ring);
        w != WaitCode::kNone)
      return w;
  }

  u8 ok = status::kAcknowledge | status::kDriver | status::kDriverOk |
          (revision_ >= 1 ? status::kFeaturesOk : 0);
  if (!write_status(ok)) return WaitCode::kVirtioSetupRejected;
  return WaitCode::kNone;
}

WaitCode CcwTransport::setup_queue(u16 index, u8* memory, u32 bytes, u32 max_size, Vring* ring) {
  // The device's maximum, capped by our ring memory (a virtio 1.0 device
  // accepts a smaller power of two; a legacy one wants its maximum).
  VqConfig vq = VqConfig::make(index);
  if (!run(ccw_cmd::kReadVqConfig, vq.raw, sizeof(vq.raw)).ok()) return WaitCode::kVirtioNoQueue;
  u32 num = vq.max_size();
  if (num == 0 || (revision_ == 0 && num > max_size)) {
    LOG("queue %u has size %u (usable: 1..%u)\n", index, num, max_size);
    return WaitCode::kVirtioNoQueue;
  }
  if (num > max_size) num = max_size;
  const VringLayout layout = vring_layout(num, kCcwRingAlign);
  if (layout.num == 0 || layout.total > bytes) {
    LOG("queue %u size %u is not a power of two\n", index, num);
    return WaitCode::kVirtioNoQueue;
  }
  ring->init(memory, layout, little_endian());
  const u64 base = address_of(memory);
  IoResult set;
  if (revision_ >= 1) {
    VqInfo info = VqInfo::make(base + layout.desc_offset, index, static_cast<u16>(num),
                               base + layout.avail_offset, base + layout.used_offset);
    set = run(ccw_cmd::kSetVq, info.raw, sizeof(info.raw));
  } else {
    VqInfoLegacy info = VqInfoLegacy::make(base, kCcwRingAlign, index, static_cast<u16>(num));
    set = run(ccw_cmd::kSetVq, info.raw, sizeof(info.raw));
  }
  return set.ok() ? WaitCode::kNone : WaitCode::kVirtioNoQueue;
}

}  // namespace ccwboot::virtio
