// Every way ccwboot can fail, with the disabled-wait code that names it.
//
// On a fatal error the image prints the message and loads a disabled-wait
// PSW whose instruction address is kWaitBase | code. QEMU reports it as
// "PSW: 0x0002000180000000 0x0000000000cbXXXX"; Hercules as PSW=... in
// HHCCP011I. No code ends in 0xfff (QEMU would treat that as a shutdown).
//
// Each area owns a range; add new codes only inside your area's range.
// docs/wait-codes.md lists them with the test that provokes each one.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot {

inline constexpr u64 kWaitBase = 0x00cb0000;

// X(name, code, short message, what the user should check)
#define CCWBOOT_WAIT_CODES(X)                                                                  \
  /* 0x00xx: success-like ends */                                                              \
  X(kNone, 0x0000, "no error", "")                                                             \
  /* 0x01xx: start-up, console, boot parameters, device probe (platform) */                   \
  X(kInternal, 0x0101, "internal error", "report a bug with the console log")                  \
  X(kNoBootDevice, 0x0102, "no bootable device found",                                         \
    "attach a disk (DASD or virtio-blk-ccw) or set bootindex on one")                          \
  X(kBootDeviceMissing, 0x0103, "the IPL device in the IPL parameter block does not exist",    \
    "check the devno/bootindex given to QEMU")                                                 \
  X(kSenseIdFailed, 0x0104, "SENSE ID failed on the boot device",                              \
    "check that the device is operational and attached to this guest")                         \
  X(kUnsupportedDevice, 0x0105, "the boot device type is not supported",                       \
    "boot from a 3990/2107 DASD or a virtio-blk-ccw disk")                                     \
  X(kVirtioNotSupported, 0x0106, "virtio boot is not supported yet",                           \
    "use QEMU's s390-ccw.img for this disk")                                                   \
  X(kEnableSubchannelFailed, 0x0107, "could not enable the boot subchannel",                   \
    "check that the device is not in use by another program")                                  \
  X(kRelocationFailed, 0x0108, "the firmware image could not relocate itself",                 \
    "rebuild the image; the ELF has unsupported relocations")                                  \
  X(kConsoleFailed, 0x0109, "no console event type accepted by the SCLP",                      \
    "add -device sclpconsole (QEMU) or check the emulator's SCLP support")                     \
  /* 0x02xx: DASD IPL core (src/core) */                                                       \
  /* 0x03xx: virtio-ccw and boot maps */                                                       \
  /* 0x04xx: memory guard */

enum class WaitCode : u16 {
#define CCWBOOT_WAIT_ENUM(name, code, msg, hint) name = code,
  CCWBOOT_WAIT_CODES(CCWBOOT_WAIT_ENUM)
#undef CCWBOOT_WAIT_ENUM
};

struct WaitCodeInfo {
  WaitCode code;
  const char* name;
  const char* message;
  const char* hint;
};

// Table lookup; returns the kInternal entry for an unknown code.
const WaitCodeInfo& wait_code_info(WaitCode code);

constexpr u64 wait_psw_address(WaitCode code) { return kWaitBase | static_cast<u16>(code); }

}  // namespace ccwboot
