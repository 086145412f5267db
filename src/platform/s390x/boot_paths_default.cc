// Weak stand-ins for the boot paths until the DASD path (boot_dasd.cc) and
// the virtio path (src/platform/s390x/virtio) are linked in. Weak *definitions* resolve
// locally (R_390_RELATIVE only); a weak *reference* would leave an
// unsupported R_390_64 relocation that QEMU does not apply.
#include "ccwboot/boot/boot_order.h"
#include "ccwboot/boot_device.h"
#include "ccwboot/log.h"

namespace ccwboot {

__attribute__((weak)) WaitCode boot_dasd(const boot::BootTarget& target) {
  const BootDevice& dev = target.dev;
  log_printf("ccwboot: DASD %x.%x.%04x: this image has no DASD IPL path yet\n", 0u,
             static_cast<unsigned>(dev.ssid), static_cast<unsigned>(dev.devno));
  return WaitCode::kDasdNotImplemented;
}

__attribute__((weak)) WaitCode boot_virtio_blk(const boot::BootTarget& target) {
  const BootDevice& dev = target.dev;
  log_printf("ccwboot: virtio %x.%x.%04x: this image has no virtio boot path yet\n", 0u,
             static_cast<unsigned>(dev.ssid), static_cast<unsigned>(dev.devno));
  return WaitCode::kVirtioNotSupported;
}

__attribute__((weak)) WaitCode boot_virtio_net(const boot::BootTarget& target) {
  const BootDevice& dev = target.dev;
  log_printf("ccwboot: virtio %x.%x.%04x: this image has no network boot path\n", 0u,
             static_cast<unsigned>(dev.ssid), static_cast<unsigned>(dev.devno));
  return WaitCode::kVirtioNotSupported;
}

__attribute__((weak)) int boot_menu_pass(const boot::BootOrder&) { return -1; }

}  // namespace ccwboot
