// What the virtio boot paths (disk and network) share: the IPL context QEMU
// passes (loadparm, IPL parameter block), its menu request, and the menu on
// the console. Defined in boot_virtio.cc. Image only.
#pragma once

#include "ccwboot/boot/boot_select.h"
#include "virtio_scsi_device.h"

namespace ccwboot {

struct IplContext {
  char loadparm[9] = "        ";
  bool iplb_valid = false;
  bool scsi = false;  // QEMU SCSI-type block: a LUN behind virtio-scsi
  virtio::ScsiAddress scsi_address;
};

// The loadparm as QEMU passes it with the IPL device (IPL parameter block).
IplContext read_ipl_context();
// QEMU's menu request: flags at 0xcc, timeout (ms) at 0xd8 of absolute storage.
virtio::MenuRequest read_menu_request();
// Stores the IPL parameter block's address at 0x14, as QEMU's bios does for
// virtio IPL (read_ipl_context() must have stored the block).
void publish_iplb_address();

}  // namespace ccwboot
