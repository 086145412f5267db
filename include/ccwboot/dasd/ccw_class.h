// What the DASD IPL core needs to know about a channel command: which way its
// data flows, whether a DASD may answer it with status modifier (skipping the
// next CCW), whether it carries state through the rest of the chain, and
// whether it can start a new channel program without changing what it does.
// See docs/dasd-ipl.md, "Which splits are faithful".
#pragma once

#include "ccwboot/addr_range.h"
#include "ccwboot/arch/ccw.h"

namespace ccwboot::dasd {

// The switches below list command codes as tables.
// clang-format off

// Command classes by the low bits of the command code (PoP, "Command Code").
constexpr bool is_invalid_command(u8 cmd) { return (cmd & 0x0F) == 0; }
constexpr bool is_read_backward(u8 cmd) { return (cmd & 0x0F) == 0x0C; }
constexpr bool is_sense_class(u8 cmd) { return (cmd & 0x0F) == 0x04; }
constexpr bool is_read_class(u8 cmd) { return (cmd & 0x03) == 0x02; }

// The channel stores data into memory for this command (read, read
// backward, sense). TICs and invalid codes transfer nothing.
constexpr bool stores_data(u8 cmd) {
  if (is_invalid_command(cmd) || is_tic(cmd)) return false;
  return is_read_class(cmd) || is_read_backward(cmd) || is_sense_class(cmd);
}

// Forward declaration for writes_to_device below.
constexpr bool is_dasd_search(u8 cmd);

// The device takes data from storage and may record it (write class, but
// not a search, which only compares): the disk itself may change.
constexpr bool writes_to_device(u8 cmd) {
  return (cmd & 0x03) == 0x01 && !is_tic(cmd) && !is_dasd_search(cmd);
}

// DASD search commands (Search ID / Key / Home Address, equal / high /
// high-or-equal, with and without multi-track): a match presents status
// modifier and the channel skips the next CCW.
constexpr bool is_dasd_search(u8 cmd) {
  switch (cmd & 0x7F) {
    case 0x29: case 0x49: case 0x69:  // key
    case 0x31: case 0x51: case 0x71:  // id
    case 0x39:                        // home address
    case 0x2D: case 0x4D: case 0x6D:  // key and data (older DASD)
      return true;
    default:
      return false;
  }
}

// Commands known never to present status modifier on a 3990/3390.
constexpr bool never_status_modifier(u8 cmd) {
  switch (cmd) {
    case 0x02:              // Read IPL
    case 0x03:              // NOP
    case 0x04:              // Sense
    case 0x06: case 0x86:   // Read Data (MT)
    case 0x07:              // Seek
    case 0x0B: case 0x1B:   // Seek Cylinder, Seek Head
    case 0x0E: case 0x8E:   // Read Key and Data (MT)
    case 0x12: case 0x92:   // Read Count (MT)
    case 0x13:              // Recalibrate
    case 0x16: case 0x96:   // Read Record 0 (MT)
    case 0x1A: case 0x9A:   // Read Home Address (MT)
    case 0x1E: case 0x9E:   // Read Count, Key and Data (MT)
    case 0x1F:              // Set File Mask
    case 0x23:              // Set Sector (channel end and device end only)
    case 0x47: case 0x4B:   // Locate Record (Extended)
    case 0x5E:              // Read Multiple Count, Key and Data
    case 0x63:              // Define Extent
    case 0x64:              // Read Device Characteristics
    case 0xDE:              // Read Track
    case 0xE4:              // Sense ID
    case 0xFA:              // Read Configuration Data
      return true;
    default:
      return false;
  }
}

// Where the walk must assume the next CCW may be skipped: every search, and
// every command we do not know (over-approximating keeps the analysis sound).
constexpr bool may_present_status_modifier(u8 cmd) {
  return is_dasd_search(cmd) || !never_status_modifier(cmd);
}

// Commands whose effect lasts for the rest of the channel program (file
// mask, extent, locate-record domain). A new start does not carry it.
constexpr bool carries_chain_state(u8 cmd) {
  return cmd == 0x1F || cmd == 0x47 || cmd == 0x4B || cmd == 0x63;
}

// Commands that move on over records and so end by themselves when a track
// (or cylinder) runs out: a loop through one of them cannot spin forever.
constexpr bool advances_over_records(u8 cmd) {
  if (is_dasd_search(cmd)) return true;
  switch (cmd & 0x7F) {
    case 0x06:  // Read Data
    case 0x0E:  // Read Key and Data
    case 0x12:  // Read Count
    case 0x1E:  // Read Count, Key and Data
      return true;
    default:
      return false;
  }
}

// Commands that establish the device position without depending on the
// record orientation a previous CCW left: a channel program may start with
// them and do exactly what it would have done chained. Not Seek Head: it
// keeps the cylinder, and a 3990 takes it only after a Seek in the same
// program (Hercules ckddasd.c, case 0x1B).
constexpr bool positions_independently(u8 cmd) {
  switch (cmd) {
    case 0x02:  // Read IPL (positions to cylinder 0, head 0, record 1 itself)
    case 0x07:  // Seek
    case 0x0B:  // Seek Cylinder
    case 0x13:  // Recalibrate
    case 0x63:  // Define Extent (opens a new, self-contained domain)
      return true;
    default:
      return false;
  }
}

// Commands that leave the access mechanism on its track (cylinder and head):
// single-track reads and searches, NOP, sense, Set Sector. Those that
// moved() (track_position.cc) does not follow drop the record orientation
// (Set Sector: a 3990 rotates to the sector, "record orientation is not
// assured"; Hercules keeps it, so dropping it is right for both).
// Multi-track variants (bit
// 0x80) move to the next head at the index point; a 3390 has no track
// overflow, so a single-track read never does (Hercules ckddasd.c: only
// multi-track commands and overflow records call mt_advance).
constexpr bool keeps_track(u8 cmd) {
  if (is_dasd_search(cmd)) return !(cmd & 0x80);
  switch (cmd) {
    case 0x03:              // NOP
    case 0x04:              // Sense
    case 0x06:              // Read Data
    case 0x0E:              // Read Key and Data
    case 0x12:              // Read Count
    case 0x16:              // Read Record 0
    case 0x1A:              // Read Home Address
    case 0x1E:              // Read Count, Key and Data
    case 0x23:              // Set Sector (rotates on the track; orientation lost)
    case 0x5E:              // Read Multiple Count, Key and Data (to the end of the track)
    case 0x64:              // Read Device Characteristics
    case 0xE4:              // Sense ID
      return true;
    default:
      return false;
  }
}

// Searches whose loop (search, TIC back to it) ends on one record wherever
// on the track it begins: Search ID Equal and Search Home Address Equal,
// single track. Assumed: record ids on a track are unique (a 3390 formatted
// by any IBM utility has them so). High / equal-or-high and key searches
// match the first record that qualifies in rotation order, which depends on
// where the head was.
constexpr bool is_orienting_search(u8 cmd) {
  return cmd == 0x31 || cmd == 0x39;
}

// The reads the 3990 accepts as IPL1's first CCW, right after Read IPL, in
// the Locate Record domain Read IPL opens: Read Data, Read Key and Data, Read
// Count, Read Record 0 (zipl's LDL stage 0) and Read Count Key and Data, each
// also multi-track. A NOP is accepted too; Seek, Search and Read IPL are
// command rejects (sense byte 7 = 0x02) -- Hercules 3.13 seen with t+0120,
// ckddasd.c ckddasd_execute_ccw.
constexpr bool is_ipl1_read(u8 cmd) {
  switch (cmd & 0x7F) {
    case 0x06: case 0x0E: case 0x12: case 0x16: case 0x1E:
      return true;
    default:
      return false;
  }
}

// The index mark: the 3990 ends a search (and a read that looks for the
// next count) with "no record found" when it reaches the index point a
// second time without a command between that clears the mark. Every command
// clears it as it begins, except these, which keep it: Read Count, Read
// Sector and the ID and key searches, each also multi-track (Hercules
// ckddasd.c, ckddasd_execute_ccw, "Reset index marker flag if ..."; 3.13
// keeps it for multi-track Read Count too, SDL Hercules 4 clears it there:
// keeping it is the stricter reading for ccwboot, see continuation.cc).
constexpr bool keeps_index_mark(u8 cmd) {
  switch (cmd & 0x7F) {
    case 0x12: case 0x22:             // Read Count, Read Sector
    case 0x29: case 0x49: case 0x69:  // Search Key Equal / High / Equal or High
    case 0x31: case 0x51: case 0x71:  // Search ID Equal / High / Equal or High
      return true;
    default:
      return false;
  }
}

// Data area of a CCW: read backward stores downwards from its address.
constexpr AddrRange data_area(u8 cmd, u32 address, u16 count) {
  if (count == 0 || is_invalid_command(cmd) || is_tic(cmd)) return {};
  if (is_read_backward(cmd)) {
    u64 end = u64{address} + 1;
    return {end >= count ? end - count : 0, end};
  }
  return {address, u64{address} + count};
}

// clang-format on

}  // namespace ccwboot::dasd
