// Absolute storage as the channel subsystem sees it. The portable boot logic
// reaches guest memory only through this interface: the image maps absolute
// addresses around a moved prefix, the host simulator backs it with a vector.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

class GuestMemory {
 public:
  // Both return false (and do nothing) when [addr, addr+len) is not storage.
  virtual bool read(u64 addr, void* dst, u32 len) = 0;
  virtual bool write(u64 addr, const void* src, u32 len) = 0;
  // Highest usable absolute address + 1.
  virtual u64 size() const = 0;
  // A pointer through which a device may store [addr, addr+len) itself (the
  // pointer's value is then the absolute address), or nullptr when the data
  // must go through write(). Default: always through write().
  virtual void* direct(u64 addr, u64 len) { return nullptr; }

 protected:
  ~GuestMemory() = default;
};

}  // namespace ccwboot
