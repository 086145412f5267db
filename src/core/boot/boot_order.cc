// Boot order and the loop over it, see ccwboot/boot/boot_order.h.
#include "ccwboot/boot/boot_order.h"

#include "ccwboot/arch/sense_id.h"
#include "ccwboot/log.h"
#include "ccwboot/virtio/virtio_ccw.h"

#define LOG_PREFIX "ccwboot: "

namespace ccwboot::boot {
namespace {

bool blank(const char* lp) {
  for (int i = 0; i < 8; ++i) {
    if (lp[i] != ' ' && lp[i] != '\0') return false;
  }
  return true;
}

void copy_loadparm(char* dst, const char* src) {
  for (int i = 0; i < 8; ++i) dst[i] = src[i] == '\0' ? ' ' : src[i];
  dst[8] = '\0';
}

bool already_in(const BootOrder& order, const BootDevice& dev, const IplParameters* p) {
  for (int i = 0; i < order.count; ++i) {
    const BootTarget& t = order.target[i];
    if (t.dev.schid != dev.schid) continue;
    // Two LUNs behind one virtio-scsi controller are two boot devices.
    const IplParameters* q = t.iplb_params();
    if (p != nullptr && q != nullptr && p->type == iplb_type::kQemuScsi &&
        q->type == iplb_type::kQemuScsi &&
        (p->scsi_lun != q->scsi_lun || p->scsi_target != q->scsi_target)) {
      continue;
    }
    return true;
  }
  return false;
}

void add_target(const BootContext& ctx, BootOrder* order, const BootDevice& dev, int iplb,
                TargetSource source) {
  BootTarget& t = order->target[order->count++];
  t = BootTarget{};
  t.dev = dev;
  t.kind = device_kind(dev);
  t.source = source;
  t.iplb = iplb;
  t.ctx = &ctx;
  const IplParameters* p = t.iplb_params();
  if (p != nullptr && p->loadparm_set) {
    copy_loadparm(t.loadparm, p->loadparm);
    t.loadparm_from_iplb = true;
  } else {
    copy_loadparm(t.loadparm, ctx.sclp_loadparm);
  }
}

const char* why(const BootTarget& t, int i) {
  switch (t.source) {
    case TargetSource::kIplb: return "from the IPL parameter block";
    case TargetSource::kChain: return "from QEMU's chain of IPL parameter blocks";
    case TargetSource::kScan: break;
  }
  return i == 0 ? "first bootable device found by the scan"
                : "next in boot order, found by the scan";
}

}  // namespace

DeviceKind device_kind(const BootDevice& dev) {
  if (is_dasd_cu(dev.cu_type)) return DeviceKind::kDasd;
  if (dev.cu_type != cu_type::kVirtio) return DeviceKind::kOther;
  switch (dev.cu_model) {
    case virtio::kDeviceIdBlock: return DeviceKind::kVirtioBlock;
    case virtio::kDeviceIdScsi: return DeviceKind::kVirtioScsi;
    case virtio::kDeviceIdNet: return DeviceKind::kVirtioNet;
    default: return DeviceKind::kOther;
  }
}

const char* device_kind_name(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::kDasd: return "DASD";
    case DeviceKind::kVirtioBlock: return "virtio-blk";
    case DeviceKind::kVirtioScsi: return "virtio-scsi";
    case DeviceKind::kVirtioNet: return "virtio-net";
    case DeviceKind::kOther: break;
  }
  return "other";
}

bool scan_boots(const BootDevice& dev) {
  const DeviceKind k = device_kind(dev);
  // Network devices boot only when named (bootindex), as with QEMU's bios.
  return k == DeviceKind::kDasd || k == DeviceKind::kVirtioBlock || k == DeviceKind::kVirtioScsi;
}

void build_boot_order(const BootContext& ctx, DeviceProbe& probe, BootOrder* order) {
  *order = BootOrder{};
  for (int i = 0; i < ctx.iplb_count && order->count < kMaxBootDevices; ++i) {
    const IplParameters& p = ctx.iplb[i];
    BootDevice dev;
    const WaitCode rc = probe.locate(p.ssid, p.devno, &dev);
    if (rc != WaitCode::kNone) {
      LOG("IPL device 0.%x.%04x (boot position %u): %s; skipped\n", static_cast<unsigned>(p.ssid),
          static_cast<unsigned>(p.devno), static_cast<unsigned>(ctx.iplb_position[i]),
          wait_code_info(rc).message);
      continue;
    }
    if (already_in(*order, dev, &p)) continue;
    add_target(ctx, order, dev, i,
               ctx.iplb_position[i] == 0 ? TargetSource::kIplb : TargetSource::kChain);
  }
  if (ctx.chain) return;  // QEMU named the devices to try; no guessing after them

  BootDevice found[kMaxBootDevices];
  const int n = probe.scan(found, kMaxBootDevices);
  for (int i = 0; i < n && order->count < kMaxBootDevices; ++i) {
    if (!scan_boots(found[i]) || already_in(*order, found[i], nullptr)) continue;
    add_target(ctx, order, found[i], -1, TargetSource::kScan);
  }
}

bool stops_boot_order(WaitCode code) { return code == WaitCode::kLoadparmNoSuchEntry; }

BootOutcome run_boot_order(const BootOrder& order, BootPaths& paths) {
  BootOutcome out;
  for (int i = 0; i < order.count; ++i) {
    const BootTarget& t = order.target[i];
    const BootDevice& d = t.dev;
    LOG("boot device %x.%x.%04x (subchannel %x.%x.%04x, %s): CU %04x-%02x, "
        "device %04x-%02x\n",
        0u, static_cast<unsigned>(d.ssid), static_cast<unsigned>(d.devno), 0u,
        static_cast<unsigned>(d.ssid), static_cast<unsigned>(d.schno), why(t, i),
        static_cast<unsigned>(d.cu_type), static_cast<unsigned>(d.cu_model),
        static_cast<unsigned>(d.dev_type), static_cast<unsigned>(d.dev_model));
    if (!blank(t.loadparm)) {
      LOG("loadparm [%s] for this device, from %s\n", t.loadparm,
          t.loadparm_from_iplb ? "its IPL parameter block" : "the machine (SCLP)");
    }
    WaitCode rc = paths.boot(t);
    // A boot path that returns has failed; it must say why.
    if (rc == WaitCode::kNone) rc = WaitCode::kInternal;
    out.code = rc;
    out.target = i;
    if (stops_boot_order(rc)) {
      LOG("device 0.%x.%04x: %s (0x%04x); this stops the IPL\n", static_cast<unsigned>(d.ssid),
          static_cast<unsigned>(d.devno), wait_code_info(rc).message, static_cast<unsigned>(rc));
      return out;
    }
    if (i + 1 < order.count) {
      LOG("device 0.%x.%04x not booted: %s (0x%04x); trying the next device\n",
          static_cast<unsigned>(d.ssid), static_cast<unsigned>(d.devno), wait_code_info(rc).message,
          static_cast<unsigned>(rc));
    }
  }
  return out;
}

}  // namespace ccwboot::boot
