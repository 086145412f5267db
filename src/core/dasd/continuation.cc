// May a new program begin at a cut? continuation.h; docs/dasd-ipl.md,
// "Which splits are faithful" and "Orientation".
#include "ccwboot/dasd/continuation.h"

#include "ccwboot/dasd/ccw_class.h"
#include "ccwboot/dasd/chain_walk.h"
#include "ccwboot/log.h"
#include "walk_detail.h"

#define LOG_PREFIX "dasd: "

namespace ccwboot::dasd {

WaitCode check_continuation(GuestMemory& memory, u32 start, const char* what,
                            const TrackPosition* position, bool* needs_seek, bool report) {
  if (needs_seek) *needs_seek = false;
#if defined(CCWBOOT_MUTANT_ACCEPT_EVERY_CONTINUATION)
  // Test-only mutant (tests/fuzz: fuzz_dasd_volgen_mutant): the fuzz harness
  // must catch a core that accepts every continuation.
  (void)memory, (void)start, (void)what, (void)position, (void)report;
  return {};
#endif
  u32 address = start;
  u32 seen[kMaxNopSkip + 1];
  // A NOP clears the index mark in the chain as in the new program.
  bool mark = position && position->known() && position->index_mark;
  for (u32 step = 0; step <= kMaxNopSkip; ++step) {
    for (u32 k = 0; k < step; ++k) {
      if (seen[k] == address) return {};  // a NOP loop: analyze_piece names it
    }
    seen[step] = address;
    u8 raw[8];
    if (!read_ccw(memory, address, raw)) {
      return REFUSE_IF(report, WaitCode::kDasdBadCcwAddress, "%s at 0x%06x is outside storage",
                       what, address);
    }
    u8 cmd = raw[0];
    u8 flags = raw[4];
    bool chained = flags & (ccw_flag::kChainCommand | ccw_flag::kChainData);
    if (positions_independently(cmd)) return {};
    if (cmd == ccw_cmd::kNop && !chained) return {};  // nothing left to depend on anything
    if (cmd == ccw_cmd::kNop && !(flags & ccw_flag::kChainData)) {
      mark = false;
      Fetch f;
      if (WaitCode v = resolve_fetch(memory, address + 8, f, report); v != WaitCode::kNone)
        return v;
      address = f.address;
      continue;
    }
    // In the chain a search or Read Count since the last command that
    // clears the index mark may have passed the index point: this search
    // (or Read Count) would then end with "no record found" at the next
    // one. A new program starts with the mark clear, and which the chain
    // had is not known (ccwboot does not know how many records a track
    // holds).
    if (mark && keeps_index_mark(cmd)) {
      return REFUSE_IF(report, WaitCode::kDasdSplitNotFaithful,
                       "%s at 0x%06x begins with command 0x%02x, which ends at the second index "
                       "point; in the chain a search or Read Count since the last command that "
                       "clears that mark may have passed one, and a new program cannot say so",
                       what, address, cmd);
    }
    // A 3990 command-rejects a search or Seek Head that no Seek, Read IPL,
    // Locate Record or Recalibrate preceded in the same program (Hercules
    // ckddasd.c, "For 3990, command reject if not preceded by ..."): in the
    // old chain one did, in a new program none has. A Seek to the track the
    // device stands on gives it back; then a Seek Head does the same, and a
    // search loop that ends on one record finds the same record.
    bool loop = false;
    if (is_orienting_search(cmd) && (flags & ccw_flag::kChainCommand) &&
        !(flags & ccw_flag::kChainData)) {
      u8 next[8];
      loop =
          read_ccw(memory, address + 8, next) && is_tic(next[0]) && be::load24(next + 1) == address;
    }
    // With the orientation known too, the Seek is followed by what brings
    // the head back to the same field (a search loop on the record the
    // chain last matched, skipping reads): then a read of "the next
    // record", or any search, does what it did in the chain.
    u8 base = cmd & 0x7F;
    bool reads_next = base == ccw_cmd::kReadData || base == ccw_cmd::kReadKeyData ||
                      base == ccw_cmd::kReadCount || base == ccw_cmd::kReadCountKeyData ||
                      cmd == 0x5E;  // Read Multiple CKD: from the next count on
    if ((reads_next || is_dasd_search(cmd)) && position && needs_seek && position->oriented()) {
      *needs_seek = true;
      return {};
    }
    bool from_index = base == ccw_cmd::kReadRecordZero || base == ccw_cmd::kReadHomeAddress;
    if (loop || cmd == 0x1B || from_index) {
      if (position && needs_seek && position->known()) {
        *needs_seek = true;
        return {};
      }
      return REFUSE_IF(report, WaitCode::kDasdSplitNotFaithful,
                       "%s at 0x%06x begins with command 0x%02x, which needs the Seek that "
                       "preceded it in the chain; the track the device stands on is not known "
                       "(a multi-track command or a rewritten Seek ran before the cut)",
                       what, address, cmd);
    }
    if (is_dasd_search(cmd)) {
      return REFUSE_IF(report, WaitCode::kDasdSplitNotFaithful,
                       "%s at 0x%06x begins with a search (0x%02x) that is not a Search ID/Home "
                       "Address Equal loop; which record it finds depends on where the head was, "
                       "which is not known",
                       what, address, cmd);
    }
    return REFUSE_IF(report, WaitCode::kDasdSplitNotFaithful,
                     "%s at 0x%06x begins with command 0x%02x, whose result depends on where the "
                     "previous CCW left the device, which is not known (a multi-track command, "
                     "paths that disagree, or more records since the last Seek than a Seek "
                     "program of %u CCWs, one vfio-ccw segment, replays)",
                     what, address, cmd, kMaxSeekProgramCcws);
  }
  return REFUSE_IF(report, WaitCode::kDasdSplitNotFaithful,
                   "%s at 0x%06x: more than %u chained NOPs", what, start, kMaxNopSkip);
}

}  // namespace ccwboot::dasd
