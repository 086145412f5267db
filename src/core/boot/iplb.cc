// Decoding of the IPL parameter block stored by diag 308 subcode 6.
#include "ccwboot/arch/iplb.h"

namespace ccwboot {
namespace {

// Field offsets within the block (header, then block 0).
constexpr u32 kOffLength = 0x00;
constexpr u32 kOffType = 0x0c;
constexpr u32 kOffFlags = 0x0d;
constexpr u32 kOffLoadparm = 0x10;
constexpr u32 kOffScsiLun = 0x18;
constexpr u32 kOffScsiTarget = 0x1c;
constexpr u32 kOffScsiChannel = 0x1e;
constexpr u32 kOffCcwSsid = 0x6d;
constexpr u32 kOffCcwDevno = 0x6e;
constexpr u8 kFlagLoadparmValid = 0x80;
constexpr u32 kCcwMinLength = kOffCcwDevno + 2;

}  // namespace

char ebcdic_to_ascii(u8 c) {
  if (c == 0x40 || c == 0x00) return ' ';
  if (c >= 0xc1 && c <= 0xc9) return static_cast<char>('A' + (c - 0xc1));
  if (c >= 0xd1 && c <= 0xd9) return static_cast<char>('J' + (c - 0xd1));
  if (c >= 0xe2 && c <= 0xe9) return static_cast<char>('S' + (c - 0xe2));
  if (c >= 0x81 && c <= 0x89) return static_cast<char>('a' + (c - 0x81));
  if (c >= 0x91 && c <= 0x99) return static_cast<char>('j' + (c - 0x91));
  if (c >= 0xa2 && c <= 0xa9) return static_cast<char>('s' + (c - 0xa2));
  if (c >= 0xf0 && c <= 0xf9) return static_cast<char>('0' + (c - 0xf0));
  if (c == 0x4b) return '.';
  if (c == 0x60) return '-';
  if (c == 0x6d) return '_';
  return '.';
}

IplParameters decode_iplb(const u8* raw, u32 len) {
  IplParameters p;
  if (raw == nullptr || len < kOffLoadparm + 8) return p;
  u32 stored_len = be::load32(raw + kOffLength);
  if (stored_len < kOffLoadparm + 8 || stored_len > kIplbMaxSize || stored_len > len) return p;
  p.type = raw[kOffType];
  p.loadparm_valid = (raw[kOffFlags] & kFlagLoadparmValid) != 0;
  bool all_zero = true;
  for (int i = 0; i < 8; ++i) {
    p.loadparm[i] = ebcdic_to_ascii(raw[kOffLoadparm + i]);
    all_zero = all_zero && raw[kOffLoadparm + i] == 0;
  }
  p.loadparm[8] = '\0';
  p.loadparm_set = p.loadparm_valid && !all_zero;
  // QEMU's SCSI type keeps the virtio-scsi device's ssid/devno at the same offsets.
  if (p.type == iplb_type::kCcw || p.type == iplb_type::kQemuScsi) {
    if (stored_len < kCcwMinLength) return p;
    p.ssid = raw[kOffCcwSsid] & 0x03;
    p.devno = be::load16(raw + kOffCcwDevno);
  }
  if (p.type == iplb_type::kQemuScsi) {
    p.scsi_lun = be::load32(raw + kOffScsiLun);
    p.scsi_target = be::load16(raw + kOffScsiTarget);
    p.scsi_channel = be::load16(raw + kOffScsiChannel);
  }
  p.valid = true;
  return p;
}

}  // namespace ccwboot
