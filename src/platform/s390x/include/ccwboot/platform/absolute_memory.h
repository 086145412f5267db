// Absolute storage and the prefix, image only.
//
// AbsoluteMemory is the image's GuestMemory: read/write take *absolute*
// addresses, which is what the channel subsystem uses for CCWs and data,
// and translate them to the real addresses the CPU uses with DAT off:
//   absolute [0, 8K)      -> real P + A   (while the prefix is P != 0)
//   absolute [P, P + 8K)  -> real A - P
//   anything else          -> identity.
// size() is the amount of storage found at start-up (SCLP Read SCP Info).
//
// move_prefix(p) copies the current lowcore's new PSWs (restart, external,
// SVC, program, machine check, I/O) into the 8 KiB at absolute p, then SPX p,
// so console output (service-signal external interruption) and the panic
// path keep working while absolute 0-8K belongs to the system being loaded.
// restore_prefix() sets the prefix back to 0; it copies nothing back (absolute
// 0-8K keeps whatever the IPL wrote there); restore_prefix_with_new_psws()
// first copies the firmware's new PSWs back to absolute 0-8K, for a firmware
// that goes on running there (a failed IPL: next device, or panic).
// firmware_prefix_area() is an
// 8 KiB-aligned, 8 KiB area inside the firmware's bss reserved for this.
#pragma once

#include "ccwboot/guest_memory.h"

namespace ccwboot {

class AbsoluteMemory : public GuestMemory {
 public:
  bool read(u64 addr, void* dst, u32 len) override;
  bool write(u64 addr, const void* src, u32 len) override;
  u64 size() const override;
  // Where absolute == real: outside absolute 0-8K and the prefix page in use,
  // and outside the firmware itself (no device stores over ccwboot).
  void* direct(u64 addr, u64 len) override;
};

// The one instance (stateless; the prefix is read from the CPU with STPX).
AbsoluteMemory& absolute_memory();

u64 firmware_prefix_area();
void move_prefix(u64 new_prefix);
void restore_prefix();
void restore_prefix_with_new_psws();
u64 current_prefix();  // STPX

// Storage size in bytes (from SCLP Read SCP Info; fallback: the firmware's end).
u64 storage_size();

}  // namespace ccwboot
