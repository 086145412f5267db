// The memory guard: before every start ccwboot checks each CCW the
// piece can execute -- where the CCW itself sits and where its data goes --
// against the storage ccwboot reserves for itself, and refuses by name.
#pragma once

#include "ccwboot/addr_range.h"
#include "ccwboot/guest_memory.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::dasd {

// Checks a format-0 CCW fetched from `ccw_address` (raw bytes `raw`):
// the CCW's own 8 bytes and its data area (beyond storage refused, reserved
// ranges refused; with IDA the span of its IDAW blocks and its IDAW list,
// which the caller gives). TICs: only the CCW itself.
WaitCode guard_ccw(const ReservedSet& reserved, u64 storage_size, u32 ccw_address, const u8 raw[8],
                   AddrRange ida_span = {}, AddrRange ida_list = {});

}  // namespace ccwboot::dasd
