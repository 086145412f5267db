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
// One row per code, aligned as a table.
// clang-format off
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
  X(kUnpackFailed, 0x0106, "the packed firmware image did not unpack",                         \
    "rebuild ccwboot.img; the file is damaged (ccwboot-unpacked.img is the same firmware)")    \
  X(kEnableSubchannelFailed, 0x0107, "could not enable the boot subchannel",                   \
    "check that the device is not in use by another program")                                  \
  X(kRelocationFailed, 0x0108, "the firmware image could not relocate itself",                 \
    "rebuild the image; the ELF has unsupported relocations")                                  \
  X(kConsoleFailed, 0x0109, "no console event type accepted by the SCLP",                      \
    "add -device sclpconsole (QEMU) or check the emulator's SCLP support")                     \
  X(kProgramCheck, 0x010a, "unexpected program interruption in the firmware",                \
    "report a bug with the console log (the PSW and image offset say where)")                 \
  X(kInvalidIplPsw, 0x010b, "the loaded system's IPL PSW is not a valid ESA/390 PSW",          \
    "check the first 8 bytes of the IPL record (bit 12 must be one)")                          \
  X(kHandoffFailed, 0x010c, "the IPL subchannel could not be left as an IPL leaves it",        \
    "the boot device went away after loading; report a bug with the console log")             \
  X(kNoZArchitecture, 0x010e, "the CPU could not switch to z/Architecture",                   \
    "Hercules: set ARCHMODE z/Arch in the configuration (ccwboot is 64-bit code)")             \
  /* 0x02xx: DASD IPL core (src/core) */                                                       \
  X(kDasdNoIplRecords, 0x0201, "volume has no IPL records (unformatted?)",                     \
    "write IPL records (ICKDSF, zipl, mkdasd); dasdinit leaves a deliberately invalid IPL1")   \
  X(kDasdIpl1NotReadTic, 0x0202, "IPL1 is not a PSW followed by a Read and a TIC",             \
    "record 1 of cylinder 0 head 0 must hold PSW, format-0 Read (CC), TIC to IPL2")            \
  X(kDasdIpl2AddressZero, 0x0203, "IPL1's TIC sends the IPL to address 0",                     \
    "IPL1's TIC must point at the IPL2 channel program")                                       \
  X(kDasdIpl2Empty, 0x0204, "IPL2 starts with a zero command",                                 \
    "record 2 of cylinder 0 head 0 (IPL2) holds no channel program")                           \
  X(kDasdUnitCheck, 0x0205, "unit check during the DASD IPL",                                  \
    "the sense bytes on the console say what the device refused")                              \
  X(kDasdNoRecordFound, 0x0206, "a record the IPL channel program reads does not exist",       \
    "the IPL chain searches for a cylinder/head/record that is not on the volume")             \
  X(kDasdIncorrectLength, 0x0207, "incorrect length in the IPL channel program",               \
    "a record is not the size its CCW expects and SLI is off")                                 \
  X(kDasdProgramCheck, 0x0208, "program check in the IPL channel program",                     \
    "a CCW on the volume is invalid (command, address, count or flags)")                       \
  X(kDasdChannelError, 0x0209, "channel error during the DASD IPL",                            \
    "protection, data, control, interface or chaining check: check the device path")          \
  X(kDasdNotOperational, 0x020a, "the DASD became not operational during the IPL",            \
    "check that the device is attached and online")                                            \
  X(kDasdBusy, 0x020b, "the DASD stayed busy", "another system may hold the device")         \
  X(kDasdIoTimeout, 0x020c, "the IPL channel program did not end in time",                     \
    "the chain may loop without reaching the device, or the device hangs")                    \
  X(kDasdUnexpectedStatus, 0x020d, "unexpected status at the end of an IPL channel program",  \
    "attention, unit exception or status modifier ended the chain")                            \
  X(kDasdBadCcwAddress, 0x020e, "the IPL channel program has a CCW outside storage",          \
    "a TIC or the chain runs past the end of storage or to an unaligned address")             \
  X(kDasdChainTooLong, 0x020f, "the IPL channel program is too long to analyse",              \
    "more CCWs or reads in one chain than ccwboot bounds (docs/dasd-ipl.md)")                  \
  X(kDasdTimeBudget, 0x0210, "the IPL ran past its time budget (1.5 s)",                      \
    "the chain keeps reading new CCWs without end; see docs/dasd-ipl.md, Bounds")               \
  X(kDasdEndlessLoop, 0x0211, "the IPL channel program loops without end",                    \
    "a TIC loop contains no search or read that would end it (TIC loop on the volume)")       \
  X(kDasdTicToTic, 0x0212, "a TIC in the IPL channel program points at a TIC",                \
    "the architecture forbids TIC to TIC; the IPL records are broken")                         \
  X(kDasdSplitInDataChain, 0x0213, "cannot split the IPL chain inside a data chain",          \
    "the chain data-chains into CCWs it overwrites; a split would change the transfer")       \
  X(kDasdSplitAfterSearch, 0x0214, "cannot split the IPL chain right after a search",         \
    "the CCWs after a search are overwritten; splitting would lose the search's outcome")     \
  X(kDasdSplitLosesChainState, 0x0215, "cannot split an IPL chain that carries chain state", \
    "Define Extent / Locate Record / Set File Mask would not reach the next piece")            \
  X(kDasdSplitNotFaithful, 0x0216, "the IPL chain continues with a CCW that needs the old chain", \
    "after a split the next CCW must be a Seek, Read IPL or Define Extent")                     \
  X(kDasdSplitPatchOverwritten, 0x0217, "cannot split: the CCW to cut is overwritten too",    \
    "a read in the same piece writes over the CCW whose chaining ccwboot has to cut")         \
  X(kDasdUnexpectedEnd, 0x0218, "the IPL channel program ended at an unexpected CCW",         \
    "the subchannel reported a CCW address the analysis did not predict")                     \
  X(kDasdBadIplPsw, 0x0219, "the IPL PSW at absolute 0 is not valid",                          \
    "IPL2 must leave a valid ESA/390 PSW (bit 12 on) at 0 that points into storage")           \
  X(kDasdBadConfig, 0x021a, "the DASD IPL core was given an unusable configuration",          \
    "report a bug: scratch area too small, unaligned or above 2 GiB")                          \
  X(kDasdDataChainAmbiguous, 0x021b, "a CCW of the IPL chain is both data-chained into and run", \
    "no longer raised: the walk follows such a CCW both ways (docs/dasd-ipl.md)")            \
  X(kDasdSegmentTooLong, 0x021c, "an IPL chain segment is too long for vfio-ccw",            \
    "more than 256 chained CCWs in a row with no point where a new start can take over")      \
  X(kDasdPrefetchCopyFails, 0x021d, "vfio-ccw could not copy this IPL channel program",       \
    "a CCW the chain never runs (its data, IDAWs, or 2 KiB of CCWs) lies past the end of storage") \
  X(kDasdSegmentOverrun, 0x021e, "the IPL chain runs past the end of a vfio-ccw segment",     \
    "a search skips over the TIC that ends a segment; vfio-ccw would run host memory there")   \
  X(kDasdIdawListRewritten, 0x021f, "an IPL CCW stores over its own IDAW list",                \
    "vfio-ccw copies IDAW lists at the start") \
  /* 0x03xx: virtio-ccw and boot maps */                                                       \
  /* 0x0300-0x033f: zipl boot maps and ISO 9660 (src/core/zipl) */                             \
  X(kZiplReadFailed, 0x0301, "reading the boot disk failed",                                   \
    "check that the disk image is complete and readable")                                      \
  X(kZiplBadBlockSize, 0x0302, "the disk block size is not supported for booting",             \
    "use a disk with 512, 1024, 2048 or 4096-byte blocks")                                     \
  X(kZiplNoBootMap, 0x0303, "no zipl boot record on the disk",                                 \
    "run zipl (or tools/mkdisk) on the disk; block 0 has no zIPL, IPL1, LDL or ISO record")    \
  X(kZiplBadProgramTable, 0x0304, "the zipl program table is damaged",                         \
    "re-run zipl; the program table has no zIPL magic or no entries")                          \
  X(kZiplNoSuchEntry, 0x0305, "the selected boot entry does not exist",                        \
    "choose an entry number the menu lists (loadparm)")                                        \
  X(kZiplBadComponentTable, 0x0306, "a zipl component table is damaged",                       \
    "re-run zipl; the component table has a bad magic or type")                                \
  X(kZiplNoExecuteEntry, 0x0307, "the boot entry has no execute component",                    \
    "re-run zipl; the component table ends without a start PSW")                               \
  X(kZiplTooManyComponents, 0x0308, "the boot entry has too many components",                  \
    "the component table is corrupt (more than 64 load entries)")                              \
  X(kZiplBadBlockPointer, 0x0309, "a boot map block pointer is invalid",                       \
    "the boot map points outside the disk or has a wrong block size")                          \
  X(kZiplBlockListTooLong, 0x030a, "a block-pointer list does not end",                        \
    "the boot map's block lists loop or are corrupt; re-run zipl")                             \
  X(kZiplLoadReserved, 0x030b, "a boot component would overwrite the firmware",                \
    "the boot map loads into memory the firmware uses; check component addresses")            \
  X(kZiplLoadOutsideMemory, 0x030c, "a boot component does not fit in guest memory",          \
    "give the guest more memory (-m) or check component addresses")                           \
  X(kZiplBadPsw, 0x030d, "the boot entry's start PSW is invalid",                              \
    "the execute entry must hold an ESA/390 short PSW (0x00080000 8xxxxxxx)")                  \
  X(kZiplUnknownComponent, 0x030e, "unknown zipl component type",                              \
    "the component table holds a type other than load, execute or signature")                 \
  X(kZiplEckdNoZiplSection, 0x0310, "the IPL2 record has no zIPL section",                     \
    "re-run zipl on the DASD (the volume is formatted but has no boot loader)")                \
  X(kZiplEckdBadLabel, 0x0311, "the DASD volume label is damaged",                             \
    "block 2 does not hold a VOL1 label; check the disk layout (CDL)")                        \
  X(kZiplEckdBadAddress, 0x0312, "an ECKD block pointer is outside the volume geometry",       \
    "the cylinder/head/record address does not exist; re-run zipl")                           \
  X(kZiplEckdBadBootInfo, 0x0313, "the LDL boot info record is damaged",                       \
    "the zIPL boot info at block 0 offset 0x70 has a bad version or type")                    \
  X(kZiplDumpRecord, 0x0314, "the boot record is a zipl dump record, not a boot entry",       \
    "this disk holds a stand-alone dump tool (zipl --dumpto); IPL it only to take a dump")  \
  X(kZiplEnvBlockMalformed, 0x0315, "the zipl environment block is damaged",                    \
    "its lines are not NAME=VALUE, each ended by a newline, up to a NUL; run zipl again")     \
  X(kIsoNoBootRecord, 0x0320, "the ISO 9660 image has no El Torito boot record",               \
    "build the ISO with an El Torito boot image (-b / -no-emul-boot)")                         \
  X(kIsoBadBootCatalog, 0x0321, "the El Torito boot catalogue is damaged",                     \
    "the validation entry or its checksum is wrong; rebuild the ISO")                          \
  X(kIsoNoBootImage, 0x0322, "the El Torito catalogue has no bootable image",                  \
    "mark an image bootable (genisoimage -b) for s390x")                                       \
  X(kIsoBadBootImage, 0x0323, "the El Torito boot image is not a bootable s390x image",        \
    "the image must start with an IPL PSW (a Linux kernel image for s390x)")                   \
  /* 0x0340-0x03ff: virtio-ccw block driver and the virtio boot path (src/platform/s390x/virtio) */           \
  X(kVirtioNotBlock, 0x0340, "the virtio device is not a disk (virtio-blk or virtio-scsi)",    \
    "boot from a virtio-blk-ccw disk or a virtio-scsi-ccw LUN (not net or console)")           \
  X(kVirtioSetupRejected, 0x0341, "the virtio-ccw device rejected a setup command",            \
    "check the device's max_revision and that it is not in use")                               \
  X(kVirtioFeaturesRejected, 0x0342, "the virtio device did not accept the driver's features", \
    "check the device's virtio revision (needs revision 1 or legacy)")                         \
  X(kVirtioNoQueue, 0x0343, "the virtio device has no usable request queue",                   \
    "check the virtio-blk-ccw device's queue settings (num-queues, queue-size)")               \
  X(kVirtioStalled, 0x0344, "the virtio-blk device did not complete a read in time",           \
    "check the disk image's backing file and host I/O")                                        \
  X(kVirtioIoError, 0x0345, "the virtio-blk device reported a read error",                     \
    "check the disk image file (truncated, unreadable)")                                       \
  X(kVirtioBadBlockSize, 0x0346, "the virtio-blk block size is not supported",                 \
    "use logical block size 512, 1024, 2048 or 4096")                                          \
  X(kVirtioReadPastEnd, 0x0347, "the boot map points past the end of the disk",                \
    "rewrite the boot record (zipl) or check the disk image is complete")                      \
  X(kLoadparmNoSuchEntry, 0x0348, "the loadparm selects a boot entry the disk does not have", \
    "use a loadparm listed in the boot menu, or leave it blank for the default")               \
  X(kVirtioScsiLunNotReady, 0x034b, "the virtio-scsi target/LUN to boot from is not ready",   \
    "check the scsi-hd device's scsi-id/lun and bootindex")                                    \
  /* 0x0500-0x053f: boot menu and kernel command-line editing (src/core/menu) */             \
  X(kCmdlineNotLinux, 0x0501, "the entry is not a Linux kernel; its parameters cannot be edited", \
    "only entries that start a Linux image (S390EP at 0x10008) take a command line")         \
  X(kCmdlineStage3, 0x0502, "the zipl stage-3 entry has no parameter line to replace",       \
    "give the section a parameters= line in zipl.conf and run zipl again")                     \
  X(kCmdlineTooLong, 0x0503, "the parameter line is longer than the kernel accepts",          \
    "shorten the line; the kernel's limit is its header field at 0x10430 (or 896 bytes)")    \
  X(kCmdlineBadSize, 0x0504, "the kernel's command-line size field is implausible",           \
    "the image's header at 0x10430 is damaged, or memory is too small for its buffer")       \
  X(kMenuDasdTooManyReads, 0x0505, "reading the DASD's boot map for the menu took too many reads", \
    "the volume's boot map is damaged or loops; it still boots through its own IPL program")  \
  X(kMenuLoadparmNotDelivered, 0x0506, "the DASD entry chosen cannot be passed to zipl's loader", \
    "the machine did not take the loadparm (diag 308); IPL with loadparm N instead")           \
  X(kMenuNetNotAConfig, 0x0507, "the network boot file is not a pxelinux.cfg; it has no entries to list", \
    "the menu lists the device as one entry; a pxelinux.cfg starts with '# pxelinux'")        \
  /* 0x06xx: network boot (src/core/net, virtio-net-ccw driver) */                            \
  X(kNetDeviceFailed, 0x0601, "the virtio-net device could not be set up",                    \
    "check the virtio-net-ccw device (queues, MAC) and its netdev")                            \
  X(kNetNoDhcp, 0x0602, "no DHCP answer on the network",                                      \
    "check that the netdev has a DHCP server (-netdev user does) and the link is up")         \
  X(kNetNoBootfile, 0x0603, "the DHCP answer names no boot file or TFTP server",              \
    "give the DHCP server a boot file (-netdev user,tftp=DIR,bootfile=FILE)")                 \
  X(kNetArpTimeout, 0x0604, "the TFTP server (or router) did not answer ARP",                 \
    "check the TFTP server address in the DHCP answer (siaddr, option 66)")                   \
  X(kNetTftpTimeout, 0x0605, "the TFTP server stopped answering",                              \
    "check the TFTP server (tftp=DIR) and the network")                                       \
  X(kNetTftpNotFound, 0x0606, "the TFTP server does not have the file",                        \
    "check the boot file name and the files in the TFTP directory")                           \
  X(kNetTftpError, 0x0607, "the TFTP server reported an error",                                \
    "the console names the TFTP error (access violation, ...)")                               \
  X(kNetTftpProtocol, 0x0608, "the TFTP transfer broke the protocol",                          \
    "the server sent a bad option acknowledgement, an oversized block or a wrong size")       \
  X(kNetLoadOutsideMemory, 0x0609, "a downloaded file does not fit in guest memory",          \
    "give the guest more memory (-m) or check the .INS addresses")                            \
  X(kNetLoadReserved, 0x060a, "a downloaded file would overwrite the firmware",               \
    "the file is too large for memory below the firmware, or a .INS address points into it") \
  X(kNetNotBootable, 0x060b, "the boot file is not bootable",                                 \
    "use a Linux kernel image, a pxelinux.cfg ('# pxelinux' first) or a .INS list")           \
  X(kNetPxeNoEntry, 0x060c, "the pxelinux.cfg has no entry with a kernel",                     \
    "add 'label' and 'kernel' lines to the pxelinux.cfg")                                     \
  X(kNetPxeNoConfig, 0x060d, "no pxelinux.cfg found for this machine",                         \
    "put a file named 01-<mac>, the address in hex, or 'default' into the pxelinux.cfg directory") \
  X(kNetInsMalformed, 0x060e, "the .INS load list is malformed",                               \
    "each line after the first must be 'FILE ADDRESS'")                                        \
  X(kNetDnsFailed, 0x060f, "the TFTP server's host name could not be resolved",              \
    "check DHCP option 66 and the name servers in option 6, or give the address instead")    \
  /* 0x04xx: memory guard */                                                              \
  X(kGuardDataInReservedRange, 0x0401, "IPL data aimed at ccwboot's own memory",              \
    "a CCW on the volume reads into (or from) the firmware, its stack, prefix or scratch")   \
  X(kGuardCcwInReservedRange, 0x0402, "IPL channel program lies in ccwboot's own memory",     \
    "a TIC on the volume jumps into the firmware's storage")                                   \
  X(kGuardIndirectData, 0x0403, "IPL CCW uses indirect data addressing",                      \
    "IDA on a read backward is not supported (docs/dasd-ipl.md)")                              \
  X(kGuardBeyondStorage, 0x0404, "IPL data aimed beyond the end of storage",                  \
    "give the guest more memory or fix the IPL records")                                       \
  X(kGuardPswIntoFirmware, 0x0405, "the IPL PSW points into ccwboot's own memory",            \
    "IPL2 left a PSW whose address is inside the firmware (wild jump refused)")               \
  X(kGuardBadIdaw, 0x0406, "an IDAW of the IPL chain is not valid",                            \
    "IDAWs past the end of storage or unaligned")
// clang-format on

enum class WaitCode : u16 {
#define CCWBOOT_WAIT_ENUM(name, code, msg, hint) name = (code),
  CCWBOOT_WAIT_CODES(CCWBOOT_WAIT_ENUM)
#undef CCWBOOT_WAIT_ENUM
};

struct WaitCodeInfo {
  WaitCode code;
  const char* name;
  const char* message;
  const char* hint;
};

// Table lookup; returns the kInternal entry for an unknown code. The strings
// are static.
WaitCodeInfo wait_code_info(WaitCode code);

constexpr u64 wait_psw_address(WaitCode code) { return kWaitBase | static_cast<u16>(code); }

}  // namespace ccwboot
