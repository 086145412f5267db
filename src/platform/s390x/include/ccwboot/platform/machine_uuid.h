// Who the machine is, as STSI reports it: the VM's UUID (STSI 3.2.2; QEMU's
// -uuid), and whether QEMU's TCG emulates it (STSI 1.1.1).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

// Asks STSI for the configuration level; at level 3 (a virtual machine)
// stores SYSIB 3.2.2 and copies the innermost VM's UUID. False when the
// machine is not a VM, STSI refuses, or the UUID is all zero (none given).
// Does not block.
bool read_machine_uuid(u8 uuid[16]);

// True when STSI 1.1.1 names QEMU as the manufacturer: QEMU's TCG answers
// STSI itself; under KVM the real machine does.
bool machine_is_qemu_tcg();

}  // namespace ccwboot
