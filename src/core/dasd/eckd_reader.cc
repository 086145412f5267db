// A DASD volume's 4 KiB blocks over channel I/O, see ccwboot/dasd/eckd_reader.h.
#include "ccwboot/dasd/eckd_reader.h"

#include "ccwboot/arch/ccw.h"
#include "ccwboot/endian.h"
#include "ccwboot/log.h"
#include "ccwboot/format.h"

#define LOG_PREFIX "dasd: "

namespace ccwboot::dasd {
namespace {

// Cylinders a Seek argument can name without the extended (EAV) form.
constexpr u64 kMaxCylinders = 0xfff0;

}  // namespace

WaitCode EckdReader::read(u64 block, u32 count, void* dst) {
  u8* out = static_cast<u8*>(dst);
  for (u32 i = 0; i < count; ++i) {
    if (WaitCode w = read_one(block + i, out + u64{i} * kEckdBlockSize); w != WaitCode::kNone)
      return w;
  }
  return WaitCode::kNone;
}

WaitCode EckdReader::read_one(u64 block, u8* dst) {
  const u64 track = block / kEckdRecordsPerTrack;
  const u64 cyl = track / kEckdHeads;
  const u32 head = static_cast<u32>(track % kEckdHeads);
  const u32 rec = static_cast<u32>(block % kEckdRecordsPerTrack) + 1;
  if (cyl >= kMaxCylinders) {
    return REFUSE(WaitCode::kZiplEckdBadAddress,
                  "block %llu is on cylinder %llu, past what a Seek can name", block, cyl);
  }
  if (counters_.starts >= max_reads_) {
    return REFUSE(WaitCode::kMenuDasdTooManyReads,
                  "reading the boot map took more than %u channel programs", max_reads_);
  }
  u8 seek[6] = {};
  be::store16(seek + 2, static_cast<u16>(cyl));
  be::store16(seek + 4, static_cast<u16>(head));
  u8 search[5] = {};
  be::store16(search, static_cast<u16>(cyl));
  be::store16(search + 2, static_cast<u16>(head));
  search[4] = static_cast<u8>(rec);
  const u32 search_ccw = scratch_ + kReaderCcws + 8;
  const u8 cc = ccw_flag::kChainCommand;
  const Ccw1 ccws[4] = {
      Ccw1::make(ccw_cmd::kSeek, scratch_ + kReaderSeekArg, cc, 6),
      Ccw1::make(ccw_cmd::kSearchIdEqual, scratch_ + kReaderSearchArg, cc, 5),
      Ccw1::make(ccw_cmd::kTic, search_ccw, 0, 0),
      // Key and data as the dasd driver delivers a block; SLI: records are shorter.
      Ccw1::make(ccw_cmd::kReadKeyData, scratch_ + kReaderBuffer, ccw_flag::kSuppressLength,
                 static_cast<u16>(kEckdBlockSize)),
  };
  static const u8 kZero[256] = {};
  bool ok = memory_.write(scratch_ + kReaderSeekArg, seek, sizeof seek) &&
            memory_.write(scratch_ + kReaderSearchArg, search, sizeof search);
  for (u32 i = 0; ok && i < 4; ++i)
    ok = memory_.write(scratch_ + kReaderCcws + 8 * i, ccws[i].raw, 8);
  for (u32 off = 0; ok && off < kEckdBlockSize; off += sizeof kZero)
    ok = memory_.write(scratch_ + kReaderBuffer + off, kZero, sizeof kZero);
  if (!ok) {
    return REFUSE(WaitCode::kDasdBadConfig, "the scratch area at 0x%x is not storage", scratch_);
  }
  const SenseArea sense{scratch_ + kReaderSense, scratch_ + kReaderSenseData};
  char what[48];
  format(what, sizeof what, "menu read of cyl %u head %u record %u", static_cast<u32>(cyl), head,
         rec);
  const WaitCode v = run_program(channel_, memory_, sense, scratch_ + kReaderCcws,
                                 CcwFormat::kFormat1, what, counters_, nullptr);
  if (v != WaitCode::kNone) return v;
  if (!memory_.read(scratch_ + kReaderBuffer, dst, kEckdBlockSize)) {
    return REFUSE(WaitCode::kDasdBadConfig, "the scratch area at 0x%x is not storage", scratch_);
  }
  return WaitCode::kNone;
}

}  // namespace ccwboot::dasd
