// The two machine facilities the virtio driver needs beyond channel I/O:
// the virtio-ccw notification hypercall and the TOD clock for bounded waits.
// Image only (s390x inline assembly).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::virtio {

// DIAGNOSE 0x500, function 3 (KVM_S390_VIRTIO_CCW_NOTIFY): tells the host that
// queue `queue` of the device on subchannel `schid` has new buffers. QEMU
// handles it under TCG and KVM. Returns the host cookie (unused here).
inline i64 notify_queue(u32 schid, u16 queue) {
  register u64 function asm("1") = 3;
  register u64 subchannel asm("2") = schid;
  register u64 index asm("3") = queue;
  register u64 cookie asm("4") = 0;
  asm volatile("diag 2,4,0x500"
               : "+d"(subchannel)
               : "d"(function), "d"(index), "d"(cookie)
               : "memory", "cc");
  return static_cast<i64>(subchannel);
}

// Microseconds from the TOD clock (bit 51 is one microsecond).
inline u64 tod_microseconds() {
  u64 tod;
  asm volatile("stck %0" : "=Q"(tod) : : "cc");
  return tod >> 12;
}

}  // namespace ccwboot::virtio
