// A DASD volume in the boot menu (image only): its zipl entries read over
// channel I/O before the IPL, and the entry the owner picked handed to the
// volume's own zipl loader as the loadparm (ccwboot/menu/dasd_loadparm.h).
#pragma once

#include "ccwboot/boot_device.h"
#include "ccwboot/wait_codes.h"
#include "ccwboot/zipl/boot_map.h"

namespace ccwboot {

// Reads the volume's zipl boot map (read-only, bounded) into `out`. kNone, or
// why it could not be read (the volume still boots through its own IPL).
// Leaves the subchannel disabled.
WaitCode dasd_read_menu(const BootDevice& dev, zipl::BootMenu* out);

// Makes the machine's loadparm entry N for the IPL of `dev` (diag 308
// subcode 5 with a CCW IPL block), then reads it back the way zipl's stage 2
// will (SCLP Read SCP Info). kMenuLoadparmNotDelivered when it did not take.
WaitCode dasd_deliver_entry(const BootDevice& dev, u32 entry);

}  // namespace ccwboot
