// virtio-scsi layouts and the SCSI commands the boot path sends, byte by byte
// (virtio 1.x 5.6 for the request/response, SBC/SPC for the CDBs).
#include <gtest/gtest.h>

#include "ccwboot/virtio/scsi.h"

namespace ccwboot::virtio {
namespace {

TEST(VirtioScsi, LunAddressing) {
  u8 lun[8];
  make_scsi_lun(lun, 3, 1);
  const u8 want[8] = {1, 3, 0x40, 1, 0, 0, 0, 0};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(lun[i], want[i]) << i;
  make_scsi_lun(lun, 0, 0x123);
  EXPECT_EQ(lun[2], 0x41);
  EXPECT_EQ(lun[3], 0x23);
}

TEST(VirtioScsi, RequestHeaderBothOrders) {
  u8 lun[8];
  make_scsi_lun(lun, 2, 0);
  u8 cdb[16];
  const u32 n = cdb_read16(cdb, 0x0102030405060708ull, 0x80);
  u8 req[kScsiRequestHeader + kScsiMaxCdb];
  make_scsi_request(req, lun, 0x1122, cdb, n, 32, true);
  EXPECT_EQ(req[0], 1);
  EXPECT_EQ(req[1], 2);
  EXPECT_EQ(req[8], 0x22);  // tag, little-endian
  EXPECT_EQ(req[9], 0x11);
  EXPECT_EQ(req[16], 0);         // task attribute SIMPLE
  EXPECT_EQ(req[19], 0x88);      // READ (16)
  EXPECT_EQ(req[19 + 2], 0x01);  // LBA big-endian (SCSI)
  EXPECT_EQ(req[19 + 9], 0x08);
  EXPECT_EQ(req[19 + 13], 0x80);  // transfer length
  EXPECT_EQ(req[19 + 16], 0);     // padded to cdb_size
  make_scsi_request(req, lun, 0x1122, cdb, n, 32, false);
  EXPECT_EQ(req[15], 0x22);  // tag, big-endian (legacy on s390x)
  EXPECT_EQ(req[14], 0x11);
}

TEST(VirtioScsi, Cdbs) {
  u8 cdb[16];
  EXPECT_EQ(cdb_test_unit_ready(cdb), 6u);
  EXPECT_EQ(cdb[0], 0x00);
  EXPECT_EQ(cdb_read_capacity16(cdb, 32), 16u);
  EXPECT_EQ(cdb[0], 0x9e);
  EXPECT_EQ(cdb[1], 0x10);
  EXPECT_EQ(cdb[13], 32);
  EXPECT_EQ(cdb_read_capacity10(cdb), 10u);
  EXPECT_EQ(cdb[0], 0x25);
  EXPECT_EQ(cdb_report_luns(cdb, 256), 12u);
  EXPECT_EQ(cdb[0], 0xa0);
  EXPECT_EQ(cdb[8], 0x01);  // allocation length 256
  EXPECT_EQ(cdb[9], 0x00);
}

TEST(VirtioScsi, ResponseWithFixedAndDescriptorSense) {
  u8 resp[kScsiResponseHeader + kScsiMaxSense] = {};
  resp[0] = 18;  // sense_len, little-endian
  resp[4] = 0x00;
  resp[10] = kScsiStatusCheckCondition;
  resp[11] = 0;
  u8* sense = resp + kScsiResponseHeader;
  sense[0] = 0x70;
  sense[2] = kSenseKeyUnitAttention;
  sense[12] = 0x29;
  sense[13] = 0x00;
  ScsiResponse r = decode_scsi_response(resp, sizeof resp, true);
  EXPECT_EQ(r.status, kScsiStatusCheckCondition);
  EXPECT_EQ(r.sense_key, kSenseKeyUnitAttention);
  EXPECT_EQ(r.asc, 0x29);
  sense[0] = 0x72;
  sense[1] = 0x05;
  sense[2] = 0x20;
  sense[3] = 0x01;
  r = decode_scsi_response(resp, sizeof resp, true);
  EXPECT_EQ(r.sense_key, 5);
  EXPECT_EQ(r.asc, 0x20);
  EXPECT_EQ(r.ascq, 1);
  // sense_len 0: sense bytes are ignored.
  resp[0] = 0;
  EXPECT_EQ(decode_scsi_response(resp, sizeof resp, true).sense_key, 0);
  // Legacy byte order for the counts.
  resp[0] = 0;
  resp[3] = 18;
  resp[7] = 0x10;
  r = decode_scsi_response(resp, sizeof resp, false);
  EXPECT_EQ(r.sense_len, 18u);
  EXPECT_EQ(r.resid, 16u);
}

TEST(VirtioScsi, CapacityAndLunList) {
  const u8 cap16[32] = {0, 0, 0, 0, 0, 0, 0x5c, 0x34, 0, 0, 0x02, 0};
  ScsiCapacity c = decode_read_capacity16(cap16);
  EXPECT_EQ(c.blocks, 0x5c35u);
  EXPECT_EQ(c.block_size, 512u);
  const u8 cap10[8] = {0, 0, 0x09, 0xff, 0, 0, 0x10, 0};
  c = decode_read_capacity10(cap10);
  EXPECT_EQ(c.blocks, 0xa00u);
  EXPECT_EQ(c.block_size, 4096u);
  // Two LUNs: 0 (peripheral) and 0x123 (flat).
  const u8 luns[24] = {0, 0, 0, 16, 0,    0,    0, 0, 0, 0, 0, 0,
                       0, 0, 0, 0,  0x41, 0x23, 0, 0, 0, 0, 0, 0};
  u32 lun = 99;
  EXPECT_TRUE(reported_lun(luns, sizeof luns, 0, &lun));
  EXPECT_EQ(lun, 0u);
  EXPECT_TRUE(reported_lun(luns, sizeof luns, 1, &lun));
  EXPECT_EQ(lun, 0x123u);
  EXPECT_FALSE(reported_lun(luns, sizeof luns, 2, &lun));  // past the list
  EXPECT_FALSE(reported_lun(luns, 16, 1, &lun));           // past what was received
  const u8 huge[16] = {0xff, 0xff, 0xff, 0xf8, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_FALSE(reported_lun(huge, sizeof huge, 0, &lun));  // extended addressing: refused
  EXPECT_FALSE(reported_lun(huge, sizeof huge, 1, &lun));  // claims more than received
}

TEST(VirtioScsi, Config) {
  u8 raw[kScsiConfigReadLength] = {};
  raw[0] = 1;      // num_queues
  raw[20] = 96;    // sense_size
  raw[24] = 32;    // cdb_size
  raw[30] = 0xff;  // max_target 255
  raw[32] = 0xff;  // max_lun 16383
  raw[33] = 0x3f;
  ScsiConfig c = decode_scsi_config(raw, sizeof raw, true);
  EXPECT_EQ(c.num_queues, 1u);
  EXPECT_EQ(c.sense_size, 96u);
  EXPECT_EQ(c.cdb_size, 32u);
  EXPECT_EQ(c.max_target, 255u);
  EXPECT_EQ(c.max_lun, 16383u);
  EXPECT_EQ(decode_scsi_config(raw, 20, true).cdb_size, 0u);  // short read: nothing
}

}  // namespace
}  // namespace ccwboot::virtio
