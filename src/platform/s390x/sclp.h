// Service-call logical processor (SCLP) requests. Internal to the platform.
// One 4 KiB page-aligned SCCB buffer in bss; requests are synchronous:
// SERVC, then an enabled wait for the service-signal external interruption.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::sclp {

inline constexpr u32 kCmdReadScpInfo = 0x00020001;
inline constexpr u32 kCmdReadScpInfoForced = 0x00120001;
inline constexpr u32 kCmdWriteEventMask = 0x00780005;
inline constexpr u32 kCmdWriteEventData = 0x00760005;

inline constexpr u16 kRespNormalCompletion = 0x0020;
inline constexpr u16 kRespInfoStored = 0x0010;

// Event types and their bits in a 32-bit event mask (type n = bit n-1 from the left).
inline constexpr u8 kEventMessage = 0x02;       // line-mode message (MDB)
inline constexpr u8 kEventAsciiConsole = 0x1a;  // ASCII console data
constexpr u32 event_mask_bit(u8 type) { return 0x8000'0000u >> (type - 1); }

inline constexpr u32 kSccbSize = 4096;

// The shared SCCB page.
u8* sccb();

// SERVC `command` on sccb() (whose header length the caller set) and wait for
// completion. Returns the SCCB response code, or 0 if the SCLP refused (cc != 0).
u16 call(u32 command);

// Write Event Mask: registers `send_mask` (what ccwboot sends). Returns the
// SCLP's receive mask (what it accepts from ccwboot), 0 on failure.
u32 write_event_mask(u32 send_mask);

struct ScpInfo {
  bool valid = false;
  u64 storage_bytes = 0;
  u8 loadparm[8] = {};  // EBCDIC
};
ScpInfo read_scp_info();

}  // namespace ccwboot::sclp
