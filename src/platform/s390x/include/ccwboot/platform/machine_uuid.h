// The machine's UUID, as the hypervisor reports it (STSI 3.2.2; QEMU's -uuid).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

// Asks STSI for the configuration level; at level 3 (a virtual machine)
// stores SYSIB 3.2.2 and copies the innermost VM's UUID. False when the
// machine is not a VM, STSI refuses, or the UUID is all zero (none given).
// Does not block.
bool read_machine_uuid(u8 uuid[16]);

}  // namespace ccwboot
