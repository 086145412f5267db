// Subchannel scan, SENSE ID, and the multiple-subchannel-set facility.
#include "probe.h"

#include "ccwboot/arch/ccw.h"
#include "ccwboot/arch/schib.h"
#include "ccwboot/arch/sense_id.h"
#include "ccwboot/endian.h"
#include "ccwboot/boot/boot_order.h"
#include "ccwboot/log.h"
#include "ccwboot/virtio/virtio_ccw.h"
#include "ccwboot/platform/subchannel_io.h"
#include "ccwboot/mem.h"
#include "cpu.h"

#define LOG_PREFIX "ccwboot: "

namespace ccwboot {
namespace {

alignas(4096) u8 g_chsc_area[4096];
alignas(8) Ccw1 g_sense_id_ccw;
alignas(8) SenseIdData g_sense_id;

// CHSC command 0x0031 (set domain attributes), operation 2 = enable MSS.
// The response header sits at offset 0x400 (after the 1 KiB request).
long chsc_enable_mss(void*) {
  memset(g_chsc_area, 0, sizeof g_chsc_area);
  be::store16(g_chsc_area, 0x0400);
  be::store16(g_chsc_area + 2, 0x0031);
  be::store16(g_chsc_area + 6, 0x0002);
  int cc = cpu::chsc(g_chsc_area);
  return cc == 0 && be::load16(g_chsc_area + 0x402) == 0x0001 ? 0 : 1;
}

constexpr u32 kSenseIdTimeoutMs = 2000;

}  // namespace

u8 enable_multiple_subchannel_sets() {
  // CHSC may be missing altogether (program check): then only set 0 exists.
  return ccwboot_try(chsc_enable_mss, nullptr) == 0 ? 3 : 0;
}

bool find_devno(u8 ssid, u16 devno, BootDevice* dev) {
  for (u32 schno = 0; schno <= 0xffff; ++schno) {
    Schib schib{};
    u32 schid = make_schid(ssid, static_cast<u16>(schno));
    int cc = store_subchannel(schid, &schib);
    if (cc == 3) return false;  // subchannels are numbered without gaps
    if (cc != 0 || !schib.devno_valid() || schib.devno() != devno) continue;
    dev->schid = schid;
    dev->ssid = ssid;
    dev->schno = static_cast<u16>(schno);
    dev->devno = devno;
    return true;
  }
  return false;
}

WaitCode identify(BootDevice* dev) {
  if (!enable_subchannel(dev->schid)) return WaitCode::kEnableSubchannelFailed;
  memset(&g_sense_id, 0, sizeof g_sense_id);
  g_sense_id_ccw =
      Ccw1::make(ccw_cmd::kSenseId, static_cast<u32>(reinterpret_cast<u64>(&g_sense_id)),
                 ccw_flag::kSuppressLength, sizeof g_sense_id);
  SubchannelIo io(dev->schid, kSenseIdTimeoutMs);
  IoResult r =
      io.start(static_cast<u32>(reinterpret_cast<u64>(&g_sense_id_ccw)), CcwFormat::kFormat1, true);
  if (r.outcome != IoOutcome::kCompleted || !r.ok() || !g_sense_id.valid()) {
    LOG("SENSE ID on %x.%x.%04x: outcome %d, status %02x/%02x\n", 0u,
        static_cast<unsigned>(dev->ssid), static_cast<unsigned>(dev->devno),
        static_cast<int>(r.outcome), static_cast<unsigned>(r.device_status),
        static_cast<unsigned>(r.subchannel_status));
    return WaitCode::kSenseIdFailed;
  }
  dev->cu_type = g_sense_id.cu_type();
  dev->cu_model = g_sense_id.cu_model();
  dev->dev_type = g_sense_id.dev_type();
  dev->dev_model = g_sense_id.dev_model();
  return WaitCode::kNone;
}

void disable(const BootDevice& dev) {
  Schib schib{};
  if (store_subchannel(dev.schid, &schib) != 0 || !schib.enabled()) return;
  schib.set_enabled(false);
  modify_subchannel(dev.schid, &schib);
}

int scan_bootable(u8 max_ssid, BootDevice* out, int max) {
  int count = 0;
  for (u8 ssid = 0; ssid <= max_ssid; ++ssid) {
    for (u32 schno = 0; schno <= 0xffff; ++schno) {
      Schib schib{};
      u32 schid = make_schid(ssid, static_cast<u16>(schno));
      int cc = store_subchannel(schid, &schib);
      if (cc == 3) break;
      if (cc != 0 || !schib.devno_valid()) continue;
      BootDevice dev;
      dev.schid = schid;
      dev.ssid = ssid;
      dev.schno = static_cast<u16>(schno);
      dev.devno = schib.devno();
      if (identify(&dev) != WaitCode::kNone) {
        disable(dev);
        continue;
      }
      // Only the device actually booted stays enabled.
      disable(dev);
      // The scan skips what cannot hold a boot disk (e.g. a network device).
      if (!boot::scan_boots(dev)) continue;
      out[count++] = dev;
      if (count == max) return count;
    }
  }
  return count;
}

}  // namespace ccwboot
