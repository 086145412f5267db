// Offsets of the lowcore (prefix area, 8 KiB) fields ccwboot touches
// (Principles of Operation, "Assigned Storage Locations", z/Architecture).
// Real addresses: with a moved prefix they land in the prefix page.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::lowcore {

inline constexpr u32 kSize = 0x2000;  // two 4 KiB pages

inline constexpr u32 kIplPsw = 0x00;  // 8-byte PSW of an IPL (absolute 0)
inline constexpr u32 kIplCcw1 = 0x08;
inline constexpr u32 kIplCcw2 = 0x10;
inline constexpr u32 kIplbAddress = 0x14;   // virtio IPL: 31-bit address of the IPLB
inline constexpr u32 kExtParam = 0x80;      // external-interruption parameter (u32)
inline constexpr u32 kCpuAddress = 0x84;    // u16
inline constexpr u32 kExtCode = 0x86;       // external-interruption code (u16)
inline constexpr u32 kProgramIlc = 0x8d;    // u8
inline constexpr u32 kProgramCode = 0x8e;   // program-interruption code (u16)
inline constexpr u32 kSubchannelId = 0xb8;  // I/O interruption: subsystem-id word (u32)
inline constexpr u32 kIoIntParam = 0xbc;    // u32
inline constexpr u32 kIoIntId = 0xc0;       // u32
// QEMU's IPL parameters (not architected): menu flags and timeout.
inline constexpr u32 kQemuIplFlags = 0xcc;
inline constexpr u32 kQemuMenuTimeout = 0xd8;

inline constexpr u32 kRestartOldPsw = 0x120;
inline constexpr u32 kExternalOldPsw = 0x130;
inline constexpr u32 kSvcOldPsw = 0x140;
inline constexpr u32 kProgramOldPsw = 0x150;
inline constexpr u32 kMcckOldPsw = 0x160;
inline constexpr u32 kIoOldPsw = 0x170;

inline constexpr u32 kRestartNewPsw = 0x1a0;
inline constexpr u32 kExternalNewPsw = 0x1b0;
inline constexpr u32 kSvcNewPsw = 0x1c0;
inline constexpr u32 kProgramNewPsw = 0x1d0;
inline constexpr u32 kMcckNewPsw = 0x1e0;
inline constexpr u32 kIoNewPsw = 0x1f0;
inline constexpr u32 kNewPswsStart = kRestartNewPsw;
inline constexpr u32 kNewPswsEnd = kIoNewPsw + 16;

// External-interruption codes.
inline constexpr u16 kExtServiceSignal = 0x2401;
inline constexpr u16 kExtCpuTimer = 0x1005;

}  // namespace ccwboot::lowcore
