// SCSI scheme: the master boot record zipl writes at block 0 of a SCSI (or plain
// virtio-blk) disk: "zIPL", layout version, 8 reserved bytes, then the block
// pointer of the program table at offset 16.
#include "ccwboot/endian.h"
#include "ccwboot/log.h"
#include "parsers.h"

#define LOG_PREFIX "zipl: "

namespace ccwboot::zipl {

WaitCode SchemeParsers::open_scsi(BootMap& map) {
  map.menu_.scheme = Scheme::kScsi;
  const u32 version = be::load32(map.table_ + 4);
  if (version != 1) LOG("master boot record layout version %u (expected 1)\n", version);
  Extent pt;
  if (WaitCode rc = decode(map, map.table_ + 16, &pt, "the program table pointer");
      rc != WaitCode::kNone)
    return rc;
  return read_program_table(map, pt, "the master boot record has no program table pointer");
}

}  // namespace ccwboot::zipl
