// virtio-scsi pieces that do not touch hardware: configuration space, the
// LUN address, the request/response layouts and the SCSI commands a boot
// loader needs (TEST UNIT READY, READ CAPACITY, READ). Portable (host-tested).
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::virtio {

// virtio-scsi queues: 0 control, 1 event, 2.. requests.
inline constexpr u16 kScsiRequestQueue = 2;

struct ScsiConfig {
  u32 num_queues = 0;
  u32 max_sectors = 0;
  u32 sense_size = 0;  // bytes of sense data in a response
  u32 cdb_size = 0;    // bytes of CDB in a request
  u16 max_channel = 0;
  u16 max_target = 0;
  u32 max_lun = 0;
};
inline constexpr u32 kScsiConfigReadLength = 36;
ScsiConfig decode_scsi_config(const u8* raw, u32 len, bool little_endian);

// Largest CDB / sense sizes ccwboot's request buffers hold.
inline constexpr u32 kScsiMaxCdb = 32;
inline constexpr u32 kScsiMaxSense = 96;
inline constexpr u32 kScsiRequestHeader = 19;  // lun 8, tag 8, task_attr, prio, crn
inline constexpr u32 kScsiResponseHeader =
    12;  // sense_len 4, resid 4, qualifier 2, status, response

// The 8-byte virtio-scsi LUN field for target `target`, LUN `lun` (flat
// addressing, the form QEMU's virtio-scsi expects: 1, target, 0x40|lun>>8, lun).
void make_scsi_lun(u8 out[8], u16 target, u32 lun);

// Request header + CDB into `out` (kScsiRequestHeader + cdb_size bytes).
void make_scsi_request(u8* out, const u8 lun[8], u64 tag, const u8* cdb, u32 cdb_len, u32 cdb_size,
                       bool little_endian);

// CDBs (16 bytes max here; the request pads to cdb_size with zeros).
u32 cdb_test_unit_ready(u8 cdb[16]);
u32 cdb_read_capacity16(u8 cdb[16], u32 alloc_len);
u32 cdb_read_capacity10(u8 cdb[10]);
u32 cdb_read16(u8 cdb[16], u64 lba, u32 blocks);
u32 cdb_report_luns(u8 cdb[16], u32 alloc_len);

// REPORT LUNS data (`len` bytes received): entry `index` of the LUN list
// (single-level, peripheral or flat addressing). False past the list's end,
// past `len`, or for an addressing method ccwboot does not use.
bool reported_lun(const u8* data, u32 len, u32 index, u32* lun);

struct ScsiResponse {
  u32 sense_len = 0;
  u32 resid = 0;
  u8 status = 0;     // SCSI status: 0 GOOD, 2 CHECK CONDITION
  u8 response = 0;   // virtio-scsi response: 0 OK
  u8 sense_key = 0;  // from fixed or descriptor sense data, 0 if none
  u8 asc = 0;
  u8 ascq = 0;
};
inline constexpr u8 kScsiStatusGood = 0x00;
inline constexpr u8 kScsiStatusCheckCondition = 0x02;
inline constexpr u8 kSenseKeyUnitAttention = 0x06;
inline constexpr u8 kSenseKeyNotReady = 0x02;
ScsiResponse decode_scsi_response(const u8* raw, u32 len, bool little_endian);

// READ CAPACITY (16) / (10) data: last LBA and block length.
struct ScsiCapacity {
  u64 blocks = 0;  // last LBA + 1
  u32 block_size = 0;
};
ScsiCapacity decode_read_capacity16(const u8 data[32]);
ScsiCapacity decode_read_capacity10(const u8 data[8]);

}  // namespace ccwboot::virtio
