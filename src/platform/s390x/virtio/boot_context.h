// What the virtio boot paths (disk and network) take from the boot target
// (ccwboot/boot/boot_order.h): QEMU's menu request, decoded once with the
// boot context. Image only.
#pragma once

#include "ccwboot/boot/boot_order.h"
#include "ccwboot/boot/boot_select.h"

namespace ccwboot {

// QEMU's menu request (flags at 0xcc, timeout at 0xd8), from the boot context.
virtio::MenuRequest menu_request(const boot::BootTarget& t);

}  // namespace ccwboot
