// Booting entry N of a DASD volume the way the hardware does: the IPL is
// replayed as it is, and zipl's stage 2 (loaded by that IPL) picks the entry
// from the loadparm, which it reads with SCLP Read SCP Info (byte 24 of the
// SCCB; a leading decimal number is the entry, "PROMPT" its own menu).
// On QEMU the firmware sets that loadparm with diag 308 subcode 5: a CCW IPL
// block for the volume with the loadparm-valid flag becomes the machine's IPL
// block, and QEMU copies its loadparm into the machine's, which Read SCP Info
// returns (QEMU 7.2 and 10.0). Portable part: the block and the check.
#pragma once

#include "ccwboot/types.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::menu {

inline constexpr u32 kCcwIplbLength = 200;  // header 8 + CCW block 192

// Entry N as a loadparm: the decimal number, left-justified, blank-padded, EBCDIC.
void dasd_entry_loadparm(u32 entry, u8 out[8]);

// A CCW-type IPL parameter block for device `ssid`.`devno` with `loadparm`
// (EBCDIC) and the loadparm-valid flag, into out[0, kCcwIplbLength).
void encode_ccw_iplb(u8 ssid, u16 devno, const u8 loadparm[8], u8* out);

// kNone when `read_back` (what Read SCP Info returns now) selects `entry`
// the way zipl's stage 2 reads it (the leading decimal digits);
// kMenuLoadparmNotDelivered otherwise.
WaitCode check_loadparm_delivered(u32 entry, const u8 read_back[8]);

}  // namespace ccwboot::menu
