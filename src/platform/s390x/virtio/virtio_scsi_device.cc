// virtio-scsi LUN reads, see virtio_scsi_device.h.
#include "virtio_scsi_device.h"

#include "ccwboot/format.h"
#include "ccwboot/log.h"
#include "ccwboot/virtio/blk.h"
#include "ccwboot/virtio/virtio_ccw.h"

#define LOG_PREFIX "virtio-scsi: "

namespace ccwboot::virtio {
namespace {

// Request, response and small data buffers in firmware memory.
alignas(16) u8 g_request[kScsiRequestHeader + kScsiMaxCdb];
alignas(16) u8 g_response[kScsiResponseHeader + kScsiMaxSense];
alignas(16) u8 g_small[64];
alignas(16) u8 g_luns[8 + 8 * 31];  // REPORT LUNS: header and up to 31 LUNs
constexpr u32 kMaxScanLuns = 31;

u64 address_of(const void* p) { return reinterpret_cast<u64>(p); }

// A fresh LUN reports UNIT ATTENTION (power on / reset) once or twice, and
// may be NOT READY for a moment; retry those a bounded number of times.
constexpr int kReadyAttempts = 8;

}  // namespace

WaitCode ScsiDevice::command(const u8* cdb, u32 cdb_len, void* data, u32 data_len,
                             ScsiResponse* resp) {
  const bool le = transport_.little_endian();
  make_scsi_request(g_request, lun_, 1, cdb, cdb_len, config_.cdb_size, le);
  for (u32 i = 0; i < sizeof g_response; ++i) g_response[i] = 0;
  g_response[11] = 0xff;  // virtio response byte: 0xff means "never answered"
  const u32 req_len = kScsiRequestHeader + config_.cdb_size;
  const u32 resp_len = kScsiResponseHeader + config_.sense_size;
  // Device-readable buffers first, then device-writable ones.
  const VringBuffer chain[3] = {
      {address_of(g_request), req_len, false},
      {address_of(g_response), resp_len, true},
      {address_of(data), data_len, true},
  };
  char what[64];
  format(what, sizeof what, "SCSI command 0x%02x to %u:%u", cdb[0], addr_.target, addr_.lun);
  if (WaitCode w = transport_.transfer(chain, data_len ? 3 : 2, what); w != WaitCode::kNone) {
    return w;
  }
  *resp = decode_scsi_response(g_response, resp_len, le);
  return WaitCode::kNone;
}

WaitCode ScsiDevice::unit_ready(bool* ready, ScsiResponse* last) {
  *ready = false;
  u8 cdb[16];
  for (int i = 0; i < kReadyAttempts; ++i) {
    const u32 n = cdb_test_unit_ready(cdb);
    if (WaitCode w = command(cdb, n, nullptr, 0, last); w != WaitCode::kNone) return w;
    if (last->response != 0) return WaitCode::kNone;  // no such target/LUN, or bad request
    if (last->status == kScsiStatusGood) {
      *ready = true;
      return WaitCode::kNone;
    }
  }
  return WaitCode::kNone;
}

WaitCode ScsiDevice::probe(ScsiAddress addr, bool* usable, ScsiResponse* last) {
  *usable = false;
  addr_ = addr;
  make_scsi_lun(lun_, addr.target, addr.lun);
  bool ready = false;
  if (WaitCode w = unit_ready(&ready, last); w != WaitCode::kNone || !ready) return w;
  u8 cdb[16];
  capacity_ = {};
  u32 n = cdb_read_capacity16(cdb, 32);
  if (WaitCode w = command(cdb, n, g_small, 32, last); w != WaitCode::kNone) return w;
  if (last->response == 0 && last->status == kScsiStatusGood) {
    capacity_ = decode_read_capacity16(g_small);
  } else {
    n = cdb_read_capacity10(cdb);
    if (WaitCode w = command(cdb, n, g_small, 8, last); w != WaitCode::kNone) return w;
    if (last->response == 0 && last->status == kScsiStatusGood) {
      capacity_ = decode_read_capacity10(g_small);
    }
  }
  *usable = capacity_.blocks != 0;
  return WaitCode::kNone;
}

WaitCode ScsiDevice::scan(bool* found, ScsiResponse* last) {
  *found = false;
  const u32 last_target = config_.max_target < 255 ? config_.max_target : 255;
  for (u32 t = 0; t <= last_target; ++t) {
    // REPORT LUNS goes to LUN 0 of the target; a missing target answers
    // with a virtio response other than OK.
    make_scsi_lun(lun_, static_cast<u16>(t), 0);
    u8 cdb[16];
    const u32 n = cdb_report_luns(cdb, sizeof g_luns);
    for (u32 i = 0; i < sizeof g_luns; ++i) g_luns[i] = 0;
    if (WaitCode w = command(cdb, n, g_luns, sizeof g_luns, last); w != WaitCode::kNone) return w;
    if (last->response != 0) continue;
    const bool listed = last->status == kScsiStatusGood;
    // The listed LUNs in order (bounded by the buffer); LUN 0 if none listed.
    for (u32 i = 0; i < kMaxScanLuns; ++i) {
      u32 lun = 0;
      if (listed ? !reported_lun(g_luns, sizeof g_luns, i, &lun) : i != 0) break;
      if (WaitCode w = probe(ScsiAddress{static_cast<u16>(t), lun}, found, last);
          w != WaitCode::kNone || *found) {
        return w;
      }
    }
  }
  return WaitCode::kNone;
}

WaitCode ScsiDevice::open() {
  if (WaitCode w = transport_.start(kScsiRequestQueue); w != WaitCode::kNone) return w;
  u8 raw[kScsiConfigReadLength] = {};
  if (!transport_.read_config(raw, sizeof raw)) {
    transport_.reset();
    return WaitCode::kVirtioSetupRejected;
  }
  config_ = decode_scsi_config(raw, sizeof raw, transport_.little_endian());
  if (config_.cdb_size == 0 || config_.cdb_size > kScsiMaxCdb ||
      config_.sense_size > kScsiMaxSense) {
    LOG("unsupported CDB/sense sizes %u/%u\n", config_.cdb_size, config_.sense_size);
    transport_.reset();
    return WaitCode::kVirtioSetupRejected;
  }
  ScsiResponse resp;
  bool usable = false;
  WaitCode w = scan_ ? scan(&usable, &resp) : probe(addr_, &usable, &resp);
  if (w != WaitCode::kNone) return w;
  if (!usable && scan_) {
    LOG("0.%u.%04x: no usable LUN on targets 0-%u\n", dev_.ssid, dev_.devno,
        config_.max_target < 255 ? config_.max_target : 255u);
  } else if (!usable) {
    LOG("0.%u.%04x: target %u LUN %u not usable (response %u, status 0x%02x, "
        "sense %x/%02x/%02x)\n",
        dev_.ssid, dev_.devno, addr_.target, addr_.lun, resp.response, resp.status, resp.sense_key,
        resp.asc, resp.ascq);
  }
  if (!usable) {
    transport_.reset();
    return WaitCode::kVirtioScsiLunNotReady;
  }
  LOG("0.%u.%04x: revision %d, target %u LUN %u, %llu blocks of %u bytes\n", dev_.ssid, dev_.devno,
      transport_.revision(), addr_.target, addr_.lun,
      static_cast<unsigned long long>(capacity_.blocks), capacity_.block_size);
  if (!block_size_supported(capacity_.block_size)) {
    transport_.reset();
    return WaitCode::kVirtioBadBlockSize;
  }
  return WaitCode::kNone;
}

WaitCode ScsiDevice::read(u64 block, u32 count, void* dst) {
  if (WaitCode w = check_read_range(*this, block, count); w != WaitCode::kNone) return w;
  const u32 per_request = CcwTransport::kMaxTransfer / block_size();
  auto* out = static_cast<u8*>(dst);
  while (count != 0) {
    const u32 n = count > per_request ? per_request : count;
    u8 cdb[16];
    const u32 len = cdb_read16(cdb, block, n);
    ScsiResponse resp;
    if (WaitCode w = command(cdb, len, out, n * block_size(), &resp); w != WaitCode::kNone)
      return w;
    if (resp.response != 0 || resp.status != kScsiStatusGood || resp.resid != 0) {
      LOG("read of blocks %llu+%u failed (response %u, status 0x%02x, "
          "sense %x/%02x/%02x, residual %u)\n",
          static_cast<unsigned long long>(block), n, resp.response, resp.status, resp.sense_key,
          resp.asc, resp.ascq, resp.resid);
      return WaitCode::kVirtioIoError;
    }
    block += n;
    count -= n;
    out += n * block_size();
  }
  return WaitCode::kNone;
}

}  // namespace ccwboot::virtio
