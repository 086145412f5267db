// A DASD volume's zipl entries in the boot menu, see
// ccwboot/platform/dasd_menu.h and docs/boot-menu.md.
#include "ccwboot/platform/dasd_menu.h"

#include "ccwboot/dasd/eckd_reader.h"
#include "ccwboot/log.h"
#include "ccwboot/menu/dasd_loadparm.h"
#include "ccwboot/platform/absolute_memory.h"
#include "ccwboot/platform/subchannel_io.h"
#include "cpu.h"
#include "probe.h"
#include "sclp.h"

#define LOG_PREFIX "dasd: "

namespace ccwboot {
namespace {

constexpr long kDiag308Ok = 0x0001;

// CCWs, sense and one block for the reader (the firmware lies below 2 GiB).
alignas(8) u8 g_scratch[dasd::kReaderScratchSize];
// The parser's tables and bounce buffers stay out of the stack.
zipl::BootMap g_map;
// diag 308 wants the block on a page boundary.
alignas(4096) u8 g_iplb[4096];

}  // namespace

WaitCode dasd_read_menu(const BootDevice& dev, zipl::BootMenu* out) {
  if (!enable_subchannel(dev.schid)) return WaitCode::kEnableSubchannelFailed;
  SubchannelIo io(dev.schid);
  dasd::EckdReader reader(io, absolute_memory(),
                          static_cast<u32>(reinterpret_cast<usize>(g_scratch)));
  WaitCode rc = g_map.open(reader);
  disable(dev);
  LOG("0.%x.%04x: boot map read for the menu in %u channel programs%s\n",
      static_cast<unsigned>(dev.ssid), static_cast<unsigned>(dev.devno), reader.reads(),
      rc == WaitCode::kNone ? "" : " (not usable)");
  if (rc != WaitCode::kNone) return rc;
  *out = g_map.menu();
  return WaitCode::kNone;
}

WaitCode dasd_deliver_entry(const BootDevice& dev, u32 entry) {
  u8 lp[8];
  menu::dasd_entry_loadparm(entry, lp);
  menu::encode_ccw_iplb(dev.ssid, dev.devno, lp, g_iplb);
  const long rc = diag308_try(reinterpret_cast<u64>(g_iplb), 5);
  const sclp::ScpInfo scp = sclp::read_scp_info();
  const WaitCode w = rc == kDiag308Ok && scp.valid
                         ? menu::check_loadparm_delivered(entry, scp.loadparm)
                         : WaitCode::kMenuLoadparmNotDelivered;
  if (w != WaitCode::kNone) {
    LOG("entry %u of 0.%x.%04x cannot be passed to zipl's loader: diag 308 set "
        "answered 0x%lx, Read SCP Info %s\n",
        entry, static_cast<unsigned>(dev.ssid), static_cast<unsigned>(dev.devno), rc,
        scp.valid ? "returns another loadparm" : "failed");
    return w;
  }
  LOG("loadparm %u set for the IPL of 0.%x.%04x (zipl's stage 2 reads it)\n", entry,
      static_cast<unsigned>(dev.ssid), static_cast<unsigned>(dev.devno));
  return WaitCode::kNone;
}

}  // namespace ccwboot
