// Memory guard: refuse CCWs that sit in, or move data to or from, storage
// ccwboot reserves for itself, or that reach past the end of storage.
#include "ccwboot/dasd/ccw_class.h"
#include "ccwboot/dasd/memory_guard.h"
#include "ccwboot/log.h"

#define LOG_PREFIX "dasd: "

namespace ccwboot::dasd {

WaitCode guard_ccw(const ReservedSet& reserved, u64 storage_size, u32 ccw_address, const u8 raw[8],
                   AddrRange ida_span, AddrRange ida_list) {
  if (const ReservedRange* r = reserved.find_overlap(AddrRange::at(ccw_address, 8))) {
    return REFUSE(WaitCode::kGuardCcwInReservedRange,
                  "CCW at 0x%06x lies in ccwboot's %s [0x%llx, 0x%llx)", ccw_address, r->name,
                  r->start, r->end);
  }
  u8 cmd = raw[0];
  if (is_tic(cmd) || is_invalid_command(cmd)) return {};
  u8 flags = raw[4];
  // SKIP on a read or sense: nothing moves (and vfio-ccw pins nothing).
  if ((flags & ccw_flag::kSkip) &&
      (is_read_class(cmd) || is_read_backward(cmd) || is_sense_class(cmd)))
    return {};
  // With IDA the data goes where the IDAWs say (the span of their blocks,
  // inside storage: the analysis named IDAWs past it), and the list is read.
  AddrRange a = data_area(cmd, be::load24(raw + 1), be::load16(raw + 6));
  if (flags & ccw_flag::kIndirect) a = reserved.find_overlap(ida_list) ? ida_list : ida_span;
  if (a.empty()) return {};
  if (a.end > storage_size) {
    // Refused even when the record would end inside storage, as a real
    // channel allows (fuzz finding F8): vfio-ccw pins the whole count
    // before the start, and a shorter count is not the same program (the
    // residual count differs, and a record that runs past storage could
    // no longer be told from one that fills it). docs/dasd-ipl.md.
    return REFUSE(WaitCode::kGuardBeyondStorage,
                  "CCW at 0x%06x (command 0x%02x) moves data at [0x%llx, 0x%llx), storage ends "
                  "at 0x%llx; a prefetching channel (vfio-ccw) pins the whole count before the "
                  "start, so no start can hold this CCW",
                  ccw_address, cmd, a.start, a.end, storage_size);
  }
  if (const ReservedRange* r = reserved.find_overlap(a)) {
    return REFUSE(WaitCode::kGuardDataInReservedRange,
                  "CCW at 0x%06x (command 0x%02x) moves data at [0x%llx, 0x%llx) into ccwboot's "
                  "%s [0x%llx, 0x%llx)",
                  ccw_address, cmd, a.start, a.end, r->name, r->start, r->end);
  }
  return {};
}

}  // namespace ccwboot::dasd
