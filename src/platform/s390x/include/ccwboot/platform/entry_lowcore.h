// Absolute 0-8K as the machine had it when ccwboot got control, image only.
//
// A hardware IPL ("load normal") leaves every byte of storage it does not
// read into as it was. ccwboot's own interruptions (program checks while
// probing, the SCLP's service signal) write lowcore fields before the IPL
// starts. save_entry_lowcore() (first thing at start-up, before any
// interruption) copies absolute 0-8K into the firmware's bss;
// restore_entry_lowcore() writes it back. The DASD path calls it with the
// prefix already moved to the firmware (so nothing the firmware does lands
// there any more), right before the IPL, so that absolute 0-8K after the IPL
// is exactly what the machine's own IPL would leave.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

void save_entry_lowcore();
// The snapshot (lowcore::kSize bytes), valid after save_entry_lowcore().
const u8* entry_lowcore();
// Precondition: the prefix is not 0 (panics otherwise: restoring under
// prefix 0 would wipe the firmware's own new PSWs).
void restore_entry_lowcore();

}  // namespace ccwboot
