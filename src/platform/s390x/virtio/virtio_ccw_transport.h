// virtio over channel I/O, driver side, for one device with one queue.
// Image only: control blocks and the ring live in the firmware's own memory
// (absolute == real there), and commands run through the platform's
// SubchannelIo as single format-1 CCWs.
#pragma once

#include "ccwboot/platform/subchannel_io.h"
#include "ccwboot/virtio/vring.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::virtio {

class CcwTransport {
 public:
  // Most descriptors the driver uses; the ring memory is sized for this many.
  static constexpr u32 kMaxQueueSize =
      1024;  // QEMU's VIRTQUEUE_MAX_SIZE; a legacy device wants its maximum

  explicit CcwTransport(u32 schid) : io_(schid) {}

  // A further queue (virtio-net's transmit queue): its ring memory (page
  // aligned, `bytes` long) and the Vring to set up there, at most `max_size`
  // entries.
  struct ExtraQueue {
    u16 index;
    u8* memory;
    u32 bytes;
    u32 max_size;
    Vring* ring;
  };

  // Brings the device to DRIVER_OK with queue `queue_index` set up (0 for
  // virtio-blk, 2 = the first request queue for virtio-scsi; other queues
  // stay unset, which the device tolerates): asks for revision 1
  // (falls back to legacy when the device refuses), acknowledges, accepts
  // only VERSION_1 (revision 1) or nothing (legacy). The device must have
  // been enabled (the platform probe does that) and not used by virtio
  // commands since (revision negotiation must come first).
  // `wanted_features` (bits below 32) are accepted when the device offers
  // them; `extra` queues are set up after the first one.
  WaitCode start(u16 queue_index = 0, u32 wanted_features = 0, const ExtraQueue* extra = nullptr,
                 u32 extra_count = 0);
  u32 accepted_features() const { return accepted_; }

  // Bound for one request (the device is local; anything slower is stuck).
  static constexpr u64 kRequestTimeoutUs = 10'000'000;
  // Largest data transfer of one disk request; larger reads are split.
  static constexpr u32 kMaxTransfer = 64 * 1024;

  // Puts one request chain on the queue, notifies the device and waits,
  // bounded by kRequestTimeoutUs, until the device returns it. On a
  // timeout the device is reset (so it cannot write memory later) and the
  // result is kVirtioStalled. `what` names the request in the message.
  WaitCode transfer(const VringBuffer* chain, u32 count, const char* what);

  // Reads `len` bytes of device configuration into `out` (firmware memory).
  bool read_config(void* out, u32 len);

  // Tells the device to stop (status 0 = reset) so it no longer touches our ring.
  void reset();

  // Kicks the queue (diag 0x500).
  void notify();
  void notify(u16 queue);

  u32 schid() const { return io_.schid(); }
  bool little_endian() const { return revision_ >= 1; }
  int revision() const { return revision_; }
  u64 device_features() const { return device_features_; }
  Vring& queue() { return ring_; }

 private:
  // Runs one CCW; `sli` suppresses incorrect-length for variable-size data.
  IoResult run(u8 command, void* data, u16 count, bool sli = false);
  bool write_status(u8 status);
  WaitCode setup_queue(u16 index, u8* memory, u32 bytes, u32 max_size, Vring* ring);

  SubchannelIo io_;
  int revision_ = -1;
  u16 queue_index_ = 0;
  u64 device_features_ = 0;
  u32 accepted_ = 0;
  Vring ring_;
};

}  // namespace ccwboot::virtio
