// virtio over the channel subsystem (virtio 1.x spec, "Virtio Transport Options:
// Virtio over channel I/O"): the CCW command codes, status bits and the small
// control blocks those commands transfer. Control blocks are big-endian byte
// arrays, except the feature bits, which the spec keeps little-endian.
#pragma once

#include "ccwboot/endian.h"

namespace ccwboot::virtio {

// Virtio device ids: SENSE ID of a virtio-ccw device gives control-unit type
// cu_type::kVirtio (arch/sense_id.h) and the device id as the CU model.
inline constexpr u8 kDeviceIdNet = 1;
inline constexpr u8 kDeviceIdBlock = 2;
inline constexpr u8 kDeviceIdConsole = 3;
inline constexpr u8 kDeviceIdScsi = 8;

namespace ccw_cmd {
inline constexpr u8 kWriteFeatures = 0x11;
inline constexpr u8 kReadFeatures = 0x12;
inline constexpr u8 kSetVq = 0x13;
inline constexpr u8 kWriteConfig = 0x21;
inline constexpr u8 kReadConfig = 0x22;
inline constexpr u8 kWriteStatus = 0x31;
inline constexpr u8 kReadVqConfig = 0x32;
inline constexpr u8 kResetDevice = 0x33;
inline constexpr u8 kSetIndicators = 0x43;
inline constexpr u8 kReadStatus = 0x72;
inline constexpr u8 kSetRevision = 0x83;
}  // namespace ccw_cmd

// Device status bits (WRITE_STATUS).
namespace status {
inline constexpr u8 kAcknowledge = 0x01;
inline constexpr u8 kDriver = 0x02;
inline constexpr u8 kDriverOk = 0x04;
inline constexpr u8 kFeaturesOk = 0x08;
inline constexpr u8 kFailed = 0x80;
}  // namespace status

// Feature bit numbers.
inline constexpr u32 kFeatureVersion1 = 32;  // the device follows virtio 1.0 (little-endian)
inline constexpr u32 kBlkFeatureGeometry = 4;
inline constexpr u32 kBlkFeatureBlockSize = 6;

// SET_VIRTIO_REV: revision(16) length(16) [data]. Revision 1 carries no data.
struct RevisionInfo {
  u8 raw[4];
  static constexpr RevisionInfo make(u16 revision) {
    RevisionInfo r{};
    be::store16(r.raw, revision);
    be::store16(r.raw + 2, 0);
    return r;
  }
};
static_assert(sizeof(RevisionInfo) == 4);

// READ_FEAT / WRITE_FEAT: 32 feature bits (little-endian) and which 32 (index).
struct FeatureDesc {
  u8 raw[5];
  constexpr u32 bits() const { return le::load32(raw); }
  constexpr u8 index() const { return raw[4]; }
  static constexpr FeatureDesc make(u32 bits, u8 index) {
    FeatureDesc f{};
    le::store32(f.raw, bits);
    f.raw[4] = index;
    return f;
  }
};
static_assert(sizeof(FeatureDesc) == 5);

// READ_VQ_CONF: the driver writes the queue index, the device returns its maximum size.
struct VqConfig {
  u8 raw[4];
  constexpr u16 index() const { return be::load16(raw); }
  constexpr u16 max_size() const { return be::load16(raw + 2); }
  static constexpr VqConfig make(u16 index) {
    VqConfig c{};
    be::store16(c.raw, index);
    return c;
  }
};
static_assert(sizeof(VqConfig) == 4);

// SET_VQ, revision 1: desc(64) reserved(32) index(16) num(16) avail(64) used(64).
struct VqInfo {
  u8 raw[32];
  static constexpr VqInfo make(u64 desc, u16 index, u16 num, u64 avail, u64 used) {
    VqInfo q{};
    be::store64(q.raw, desc);
    be::store16(q.raw + 12, index);
    be::store16(q.raw + 14, num);
    be::store64(q.raw + 16, avail);
    be::store64(q.raw + 24, used);
    return q;
  }
};
static_assert(sizeof(VqInfo) == 32);

// SET_VQ, legacy: queue(64) align(32) index(16) num(16).
struct VqInfoLegacy {
  u8 raw[16];
  static constexpr VqInfoLegacy make(u64 queue, u32 align, u16 index, u16 num) {
    VqInfoLegacy q{};
    be::store64(q.raw, queue);
    be::store32(q.raw + 8, align);
    be::store16(q.raw + 12, index);
    be::store16(q.raw + 14, num);
    return q;
  }
};
static_assert(sizeof(VqInfoLegacy) == 16);

}  // namespace ccwboot::virtio
