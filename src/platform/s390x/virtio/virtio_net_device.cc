// virtio-net over virtio-ccw, see virtio_net_device.h.
#include "virtio_net_device.h"

#include "ccwboot/log.h"
#include "ccwboot/virtio/virtio_ccw.h"
#include "hypercall.h"

#define LOG_PREFIX "virtio-net: "

namespace ccwboot::virtio {
namespace {

constexpr u16 kRxQueue = 0, kTxQueue = 1;
constexpr u32 kFeatureMac = 1u << 5;  // VIRTIO_NET_F_MAC: the config holds the MAC
constexpr u32 kTxQueueMax = 256;      // QEMU's default tx_queue_size (legacy wants its maximum)
constexpr u64 kTxTimeoutUs = 1'000'000;

constexpr VringLayout kTxLayout = vring_layout(kTxQueueMax, kCcwRingAlign);
alignas(4096) u8 g_tx_ring[(kTxLayout.total + 4095) & ~4095u];
alignas(4096) u8 g_rx[NetDevice::kRxBuffers][NetDevice::kBufferSize];
alignas(8) u8 g_tx[NetDevice::kBufferSize];

u64 address_of(const void* p) { return reinterpret_cast<u64>(p); }

}  // namespace

u64 NetDevice::now_us() { return tod_microseconds(); }

WaitCode NetDevice::open() {
  const CcwTransport::ExtraQueue tx = {kTxQueue, g_tx_ring, sizeof g_tx_ring, kTxQueueMax, &tx_};
  if (WaitCode w = transport_.start(kRxQueue, kFeatureMac, &tx, 1); w != WaitCode::kNone) {
    LOG("0.%u.%04x: setup failed: %s\n", dev_.ssid, dev_.devno, wait_code_info(w).message);
    transport_.reset();
    return WaitCode::kNetDeviceFailed;
  }
  header_ = transport_.little_endian() ? 12 : 10;
  u8 cfg[8] = {};
  if (!(transport_.accepted_features() & kFeatureMac) || !transport_.read_config(cfg, 6)) {
    LOG("0.%u.%04x: the device has no MAC address in its configuration\n", dev_.ssid, dev_.devno);
    transport_.reset();
    return WaitCode::kNetDeviceFailed;
  }
  for (int i = 0; i < 6; ++i) mac_.b[i] = cfg[i];
  Vring& rx = transport_.queue();
  for (u32 i = 0; i < kRxBuffers && i < rx.layout().num; ++i)
    rx.post(static_cast<u16>(i), {address_of(g_rx[i]), kBufferSize, true});
  transport_.notify(kRxQueue);
  LOG("0.%u.%04x: revision %d, MAC %02x:%02x:%02x:%02x:%02x:%02x\n", dev_.ssid, dev_.devno,
      transport_.revision(), mac_.b[0], mac_.b[1], mac_.b[2], mac_.b[3], mac_.b[4], mac_.b[5]);
  return WaitCode::kNone;
}

bool NetDevice::send(const u8* frame, u32 len) {
  if (len > kBufferSize - header_) return false;
  for (u32 i = 0; i < header_; ++i) g_tx[i] = 0;  // no offloads
  for (u32 i = 0; i < len; ++i) g_tx[header_ + i] = frame[i];
  const VringBuffer b = {address_of(g_tx), header_ + len, false};
  if (!tx_.submit(&b, 1)) return false;
  transport_.notify(kTxQueue);
  // One frame in flight: wait until the device has taken it (the buffer is reused).
  const u64 start = tod_microseconds();
  while (!tx_.poll_used(nullptr, nullptr)) {
    if (tod_microseconds() - start > kTxTimeoutUs) {
      LOG("the device did not take a frame within 1 s\n");
      return false;
    }
  }
  return true;
}

const u8* NetDevice::receive(u32* len) {
  Vring& rx = transport_.queue();
  if (pending_ >= 0) {
    // Back on the ring without a kick: the device reads the ring when a frame
    // arrives, and with 31 more buffers posted it never finds it empty. A
    // kick per frame costs a hypercall per TFTP block.
    rx.post(static_cast<u16>(pending_), {address_of(g_rx[pending_]), kBufferSize, true});
    pending_ = -1;
  }
  u32 id = 0, written = 0;
  if (!rx.poll_used(&id, &written)) {
    // Nothing for a while: kick anyway, in case the device stopped for want
    // of buffers (it then waits for a notification).
    const u64 now = tod_microseconds();
    if (now - last_kick_ > 10'000) {
      transport_.notify(kRxQueue);
      last_kick_ = now;
    }
    return nullptr;
  }
  if (id >= kRxBuffers) return nullptr;  // not ours: the device misbehaves; ignore it
  pending_ = static_cast<int>(id);
  if (written <= header_ || written > kBufferSize) return nullptr;
  *len = written - header_;
  return g_rx[id] + header_;
}

}  // namespace ccwboot::virtio
