// virtio-scsi layouts and SCSI commands, see ccwboot/virtio/scsi.h.
#include "ccwboot/virtio/scsi.h"

#include "ccwboot/endian.h"
#include "ccwboot/mem.h"

namespace ccwboot::virtio {

ScsiConfig decode_scsi_config(const u8* raw, u32 len, bool little_endian) {
  ScsiConfig c{};
  // num_queues 0, seg_max 4, max_sectors 8, cmd_per_lun 12, event_info_size
  // 16, sense_size 20, cdb_size 24, max_channel 28, max_target 30, max_lun 32.
  if (len < kScsiConfigReadLength) return c;
  c.num_queues = endian::load32(raw, little_endian);
  c.max_sectors = endian::load32(raw + 8, little_endian);
  c.sense_size = endian::load32(raw + 20, little_endian);
  c.cdb_size = endian::load32(raw + 24, little_endian);
  c.max_channel = endian::load16(raw + 28, little_endian);
  c.max_target = endian::load16(raw + 30, little_endian);
  c.max_lun = endian::load32(raw + 32, little_endian);
  return c;
}

void make_scsi_lun(u8 out[8], u16 target, u32 lun) {
  memset(out, 0, 8);
  out[0] = 1;
  out[1] = static_cast<u8>(target);
  out[2] = static_cast<u8>(0x40 | ((lun >> 8) & 0x3f));
  out[3] = static_cast<u8>(lun);
}

void make_scsi_request(u8* out, const u8 lun[8], u64 tag, const u8* cdb, u32 cdb_len, u32 cdb_size,
                       bool little_endian) {
  memset(out, 0, kScsiRequestHeader + cdb_size);
  for (int i = 0; i < 8; ++i) out[i] = lun[i];
  endian::store64(out + 8, tag, little_endian);
  // task_attr 0 (simple), prio 0, crn 0.
  for (u32 i = 0; i < cdb_len && i < cdb_size; ++i) out[kScsiRequestHeader + i] = cdb[i];
}

u32 cdb_test_unit_ready(u8 cdb[16]) {
  memset(cdb, 0, 16);
  return 6;
}

u32 cdb_read_capacity16(u8 cdb[16], u32 alloc_len) {
  memset(cdb, 0, 16);
  cdb[0] = 0x9e;  // SERVICE ACTION IN (16)
  cdb[1] = 0x10;  // READ CAPACITY (16)
  be::store32(cdb + 10, alloc_len);
  return 16;
}

u32 cdb_read_capacity10(u8 cdb[10]) {
  memset(cdb, 0, 10);
  cdb[0] = 0x25;
  return 10;
}

u32 cdb_read16(u8 cdb[16], u64 lba, u32 blocks) {
  memset(cdb, 0, 16);
  cdb[0] = 0x88;
  be::store64(cdb + 2, lba);
  be::store32(cdb + 10, blocks);
  return 16;
}

u32 cdb_report_luns(u8 cdb[16], u32 alloc_len) {
  memset(cdb, 0, 16);
  cdb[0] = 0xa0;
  be::store32(cdb + 6, alloc_len);
  return 12;
}

bool reported_lun(const u8* data, u32 len, u32 index, u32* lun) {
  if (len < 8) return false;
  const u32 list_bytes = be::load32(data);
  const u64 off = 8 + u64{index} * 8;
  if (off + 8 > 8 + u64{list_bytes} || off + 8 > len) return false;
  const u8* e = data + off;
  const u8 method = e[0] >> 6;  // 0 peripheral, 1 flat
  if (method > 1) return false;
  *lun = (u32{static_cast<u8>(e[0] & 0x3f)} << 8) | e[1];
  return true;
}

ScsiResponse decode_scsi_response(const u8* raw, u32 len, bool little_endian) {
  ScsiResponse r{};
  if (len < kScsiResponseHeader) return r;
  r.sense_len = endian::load32(raw, little_endian);
  r.resid = endian::load32(raw + 4, little_endian);
  r.status = raw[10];
  r.response = raw[11];
  const u8* sense = raw + kScsiResponseHeader;
  u32 n = len - kScsiResponseHeader;
  if (r.sense_len < n) n = r.sense_len;
  if (n >= 1) {
    const u8 code = sense[0] & 0x7f;
    if ((code == 0x70 || code == 0x71) && n >= 14) {  // fixed format
      r.sense_key = sense[2] & 0x0f;
      r.asc = sense[12];
      r.ascq = sense[13];
    } else if ((code == 0x72 || code == 0x73) && n >= 4) {  // descriptor format
      r.sense_key = sense[1] & 0x0f;
      r.asc = sense[2];
      r.ascq = sense[3];
    }
  }
  return r;
}

ScsiCapacity decode_read_capacity16(const u8 data[32]) {
  ScsiCapacity c;
  c.blocks = be::load64(data) + 1;
  c.block_size = be::load32(data + 8);
  return c;
}

ScsiCapacity decode_read_capacity10(const u8 data[8]) {
  ScsiCapacity c;
  c.blocks = u64{be::load32(data)} + 1;
  c.block_size = be::load32(data + 4);
  return c;
}

}  // namespace ccwboot::virtio
