// The IPL parameter block of the device being booted, image only.
//
// The boot context (ccwboot/boot/boot_context.h) decodes every block once at
// start-up. The firmware keeps one page for the raw block of the device it is
// trying; the boot paths use it at hand-off:
//   - select_ipl_block(target): before a device is tried, its raw block goes
//     into that page (a chained block is copied from QEMU's array; a device
//     found by the scan has none).
//   - publish_ipl_block(target): just before the hand-off, the block is made
//     the machine's IPL information with diag 308 subcode 5 (set), so the
//     loaded system sees the device it really came from and a re-IPL without
//     a new choice boots it again, and its address is stored at 0x14 (as
//     QEMU's bios does for virtio IPL). A QEMU SCSI-type block is set the
//     QEMU 9.2+ way (the boot position in its devno field; QEMU rebuilds
//     that device's block); QEMU 7.2 refuses that, and then gets the block as
//     CCW type, which 7.2 accepts. docs/boot-order.md.
#pragma once

#include "ccwboot/boot/boot_order.h"

namespace ccwboot {

// The firmware's page for the raw IPLB (diag 308 stores the first one here).
u8* ipl_block_page();

void select_ipl_block(const boot::BootTarget& target);
void publish_ipl_block(const boot::BootTarget& target);

}  // namespace ccwboot
