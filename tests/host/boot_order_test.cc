// Boot context and boot order (src/core/boot/boot_context.cc, boot_order.cc)
// against machines described as tables: the devices a probe finds, the IPL
// parameter blocks QEMU would store (diag 308 page and the 9.2+ chain in
// guest memory), the SCLP loadparm. The blocks are laid out as QEMU 7.2 and
// 10.0 write them (docs/boot-order.md).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "ccwboot/endian.h"
#include "ccwboot/boot/boot_context.h"
#include "ccwboot/boot/boot_order.h"
#include "host_log.h"
#include "vector_memory.h"

namespace ccwboot::boot {
namespace {

constexpr u64 kMemSize = 1 << 20;

using testing::VectorMemory;
constexpr u64 kChainAt = 0x80000;  // where the "QEMU" below puts its chain
constexpr u64 kFirstAt = 0x90000;  // the firmware's page for the first block

// EBCDIC for the characters the tests use.
u8 ebcdic(char c) {
  if (c >= '0' && c <= '9') return static_cast<u8>(0xf0 + (c - '0'));
  if (c >= 'A' && c <= 'I') return static_cast<u8>(0xc1 + (c - 'A'));
  if (c >= 'J' && c <= 'R') return static_cast<u8>(0xd1 + (c - 'J'));
  if (c >= 'S' && c <= 'Z') return static_cast<u8>(0xe2 + (c - 'S'));
  return 0x40;
}

// A block as QEMU builds it: CCW type (virtio-blk, DASD) or QEMU SCSI type.
// loadparm nullptr: the field stays zero (QEMU 9.2+ with nothing set).
std::vector<u8> block(u8 type, u8 ssid, u16 devno, const char* loadparm, u32 lun = 0,
                      u16 target = 0) {
  std::vector<u8> b(4096, 0);
  be::store32(b.data(), 200);
  b[0x07] = 1;
  be::store32(&b[0x08], 200 - 8);
  b[0x0c] = type;
  if (loadparm != nullptr) {
    b[0x0d] = 0x80;
    for (int i = 0; i < 8; ++i) b[0x10 + i] = loadparm[i] ? ebcdic(loadparm[i]) : 0x40;
  }
  if (type == iplb_type::kQemuScsi) {
    be::store32(&b[0x18], lun);
    be::store16(&b[0x1c], target);
  }
  b[0x6d] = ssid;
  be::store16(&b[0x6e], devno);
  return b;
}

std::vector<u8> qipl(u16 chain_len, u64 next, u8 flags = 0) {
  std::vector<u8> q(kQemuIplSize, 0);
  q[0] = flags;
  be::store16(&q[0x12], chain_len);
  be::store64(&q[0x14], next);
  return q;
}

BootDevice device(u16 devno, u16 cu_type, u8 cu_model, u8 ssid = 0) {
  BootDevice d;
  d.ssid = ssid;
  d.devno = devno;
  d.schno = devno;  // one subchannel per device number in these machines
  d.schid = 0x0001'0000u | (u32{ssid} << 17) | devno;
  d.cu_type = cu_type;
  d.cu_model = cu_model;
  return d;
}
BootDevice blk(u16 devno, u8 ssid = 0) { return device(devno, 0x3832, 2, ssid); }
BootDevice scsi(u16 devno) { return device(devno, 0x3832, 8); }
BootDevice net(u16 devno) { return device(devno, 0x3832, 1); }
BootDevice dasd(u16 devno) { return device(devno, 0x3990, 0xe9); }
BootDevice terminal(u16 devno) { return device(devno, 0x3274, 0); }

// The machine's subchannels, in subchannel order.
class TableProbe final : public DeviceProbe {
 public:
  explicit TableProbe(std::vector<BootDevice> devs) : devs_(std::move(devs)) {}
  WaitCode locate(u8 ssid, u16 devno, BootDevice* dev) override {
    ++locates;
    for (const BootDevice& d : devs_) {
      if (d.ssid == ssid && d.devno == devno) {
        *dev = d;
        return WaitCode::kNone;
      }
    }
    return WaitCode::kBootDeviceMissing;
  }
  int scan(BootDevice* out, int max) override {
    ++scans;
    int n = 0;
    for (const BootDevice& d : devs_) {
      if (n == max) break;
      if (scan_boots(d)) out[n++] = d;
    }
    return n;
  }
  int locates = 0;
  int scans = 0;

 private:
  std::vector<BootDevice> devs_;
};

struct Machine {
  std::vector<BootDevice> devices;
  std::vector<std::vector<u8>> iplbs;  // [0] from diag 308, the rest QEMU's chain
  bool announce_chain = true;          // QEMU 9.2+ (7.2 never announces one)
  const char* sclp_loadparm = "        ";
  u8 flags = 0;
};

struct Built {
  BootContext ctx;
  BootOrder order;
  int scans = 0;
};

void build(const Machine& m, Built* out) {
  VectorMemory mem(kMemSize);
  for (size_t i = 1; i < m.iplbs.size(); ++i) {
    ASSERT_TRUE(mem.write(kChainAt + (i - 1) * 4096, m.iplbs[i].data(), 4096));
  }
  const u16 chain =
      m.announce_chain && m.iplbs.size() > 1 ? static_cast<u16>(m.iplbs.size() - 1) : 0;
  auto q = qipl(chain, chain ? kChainAt : 0, m.flags);
  u8 sclp[8];
  for (int i = 0; i < 8; ++i) sclp[i] = ebcdic(m.sclp_loadparm[i]);
  load_boot_context(&out->ctx, q.data(), m.iplbs.empty() ? nullptr : m.iplbs[0].data(), 4096,
                    kFirstAt, sclp, mem);
  TableProbe probe(m.devices);
  build_boot_order(out->ctx, probe, &out->order);
  out->scans = probe.scans;
}

std::vector<u16> devnos(const BootOrder& o) {
  std::vector<u16> v;
  for (int i = 0; i < o.count; ++i) v.push_back(o.target[i].dev.devno);
  return v;
}

// QEMU 10's boot order with a blank first disk: a blank disk with
// bootindex=1, one without bootindex defined second, a good one with
// bootindex=2 and loadparm=2.
Machine blank_first_qemu10() {
  Machine m;
  m.devices = {blk(1), blk(2), blk(3)};
  m.iplbs = {block(iplb_type::kCcw, 0, 1, "        "), block(iplb_type::kCcw, 0, 3, "2       ")};
  return m;
}

TEST(BootOrder, ChainIsBootindexOrderAndNoScan) {
  Built b;
  build(blank_first_qemu10(), &b);
  EXPECT_TRUE(b.ctx.chain);
  EXPECT_EQ(devnos(b.order), (std::vector<u16>{1, 3}));
  EXPECT_EQ(b.scans, 0) << "the scan runs only when QEMU passed no chain";
  EXPECT_EQ(b.order.target[0].source, TargetSource::kIplb);
  EXPECT_EQ(b.order.target[1].source, TargetSource::kChain);
}

TEST(BootOrder, EachDeviceGetsItsOwnLoadparm) {
  Built b;
  build(blank_first_qemu10(), &b);
  EXPECT_STREQ(b.order.target[0].loadparm, "        ");
  EXPECT_STREQ(b.order.target[1].loadparm, "2       ");
  EXPECT_TRUE(b.order.target[1].loadparm_from_iplb);
}

TEST(BootOrder, DeviceLoadparmPreferredOverSclp) {
  Machine m = blank_first_qemu10();
  m.sclp_loadparm = "1       ";
  Built b;
  build(m, &b);
  EXPECT_STREQ(b.order.target[1].loadparm, "2       ");
}

TEST(BootOrder, ZeroLoadparmInTheBlockFallsBackToSclp) {
  Machine m;
  m.devices = {blk(1), blk(2)};
  m.iplbs = {block(iplb_type::kCcw, 0, 1, nullptr), block(iplb_type::kCcw, 0, 2, nullptr)};
  m.sclp_loadparm = "3       ";
  Built b;
  build(m, &b);
  ASSERT_EQ(b.order.count, 2);
  EXPECT_STREQ(b.order.target[0].loadparm, "3       ");
  EXPECT_FALSE(b.order.target[0].loadparm_from_iplb);
  EXPECT_STREQ(b.order.target[1].loadparm, "3       ");
}

// Issue 15: no bootindex anywhere, a machine loadparm: the scan's device
// boots with the SCLP loadparm.
TEST(BootOrder, ScanCaseUsesTheSclpLoadparm) {
  Machine m;
  m.devices = {terminal(1), blk(5), scsi(6)};
  m.sclp_loadparm = "2       ";
  Built b;
  build(m, &b);
  EXPECT_EQ(devnos(b.order), (std::vector<u16>{5, 6}));
  EXPECT_EQ(b.order.target[0].source, TargetSource::kScan);
  EXPECT_STREQ(b.order.target[0].loadparm, "2       ");
  EXPECT_STREQ(b.order.target[1].loadparm, "2       ");
  EXPECT_EQ(b.ctx.iplb_count, 0);
}

// QEMU 7.2 passes only the first bootindex device: the scan's devices follow.
TEST(BootOrder, NoChainAppendsTheScanAfterTheIplbDevice) {
  Machine m;
  m.devices = {blk(1), blk(2), blk(3)};
  m.iplbs = {block(iplb_type::kCcw, 0, 3, "        ")};
  Built b;
  build(m, &b);
  EXPECT_FALSE(b.ctx.chain);
  EXPECT_EQ(devnos(b.order), (std::vector<u16>{3, 1, 2}));
  EXPECT_EQ(b.scans, 1);
}

TEST(BootOrder, UpToEightDevicesFromTheChain) {
  Machine m;
  for (u16 d = 1; d <= 9; ++d) m.devices.push_back(blk(d));
  for (u16 d = 9; d >= 1; --d) m.iplbs.push_back(block(iplb_type::kCcw, 0, d, "        "));
  testing::clear_log();
  Built b;
  build(m, &b);
  EXPECT_EQ(devnos(b.order), (std::vector<u16>{9, 8, 7, 6, 5, 4, 3, 2}));
  EXPECT_NE(testing::captured_log().find("using the first 7"), std::string::npos);
}

TEST(BootOrder, ChainOutsideStorageIsIgnored) {
  VectorMemory mem(kMemSize);
  auto first = block(iplb_type::kCcw, 0, 1, "        ");
  auto q = qipl(3, kMemSize - 4096);  // runs past the end of storage
  BootContext ctx;
  load_boot_context(&ctx, q.data(), first.data(), 4096, kFirstAt, nullptr, mem);
  EXPECT_EQ(ctx.iplb_count, 1);
}

TEST(BootOrder, MissingDeviceIsSkippedWithANote) {
  Machine m;
  m.devices = {blk(2)};
  m.iplbs = {block(iplb_type::kCcw, 0, 7, "        "), block(iplb_type::kCcw, 0, 2, "        ")};
  testing::clear_log();
  Built b;
  build(m, &b);
  EXPECT_EQ(devnos(b.order), (std::vector<u16>{2}));
  EXPECT_NE(testing::captured_log().find("IPL device 0.0.0007 (boot position 0)"),
            std::string::npos);
}

TEST(BootOrder, ScsiBlockKeepsItsLunAndTwoLunsAreTwoDevices) {
  Machine m;
  m.devices = {scsi(4)};
  m.iplbs = {block(iplb_type::kQemuScsi, 0, 4, "        ", 1, 3),
             block(iplb_type::kQemuScsi, 0, 4, "2       ", 2, 3)};
  Built b;
  build(m, &b);
  ASSERT_EQ(b.order.count, 2);
  EXPECT_TRUE(b.order.target[0].scsi_lun_named());
  EXPECT_EQ(b.order.target[0].iplb_params()->scsi_lun, 1u);
  EXPECT_EQ(b.order.target[0].iplb_params()->scsi_target, 3u);
  EXPECT_EQ(b.order.target[1].iplb_params()->scsi_lun, 2u);
  EXPECT_EQ(b.order.target[1].kind, DeviceKind::kVirtioScsi);
}

TEST(BootOrder, ScanSkipsNetworkButBootindexKeepsIt) {
  Machine m;
  m.devices = {net(1), blk(2)};
  Built scan;
  build(m, &scan);
  EXPECT_EQ(devnos(scan.order), (std::vector<u16>{2}));
  m.iplbs = {block(iplb_type::kCcw, 0, 1, "        "), block(iplb_type::kCcw, 0, 2, "        ")};
  Built named;
  build(m, &named);
  EXPECT_EQ(devnos(named.order), (std::vector<u16>{1, 2}));
  EXPECT_EQ(named.order.target[0].kind, DeviceKind::kVirtioNet);
}

TEST(BootOrder, DasdAndSubchannelSetsFromTheChain) {
  Machine m;
  m.devices = {dasd(0x120), blk(5, 1)};
  m.iplbs = {block(iplb_type::kCcw, 1, 5, "        "),
             block(iplb_type::kCcw, 0, 0x120, "        ")};
  Built b;
  build(m, &b);
  ASSERT_EQ(b.order.count, 2);
  EXPECT_EQ(b.order.target[0].dev.ssid, 1);
  EXPECT_EQ(b.order.target[1].kind, DeviceKind::kDasd);
}

TEST(BootOrder, QemuParametersDecoded) {
  auto q = qipl(2, 0x7fcfe000, 0xc0);
  q[1] = 5;
  be::store32(&q[0x0c], 1500);
  QemuIplParameters p = decode_qemu_ipl_parameters(q.data());
  EXPECT_EQ(p.flags, 0xc0);
  EXPECT_EQ(p.index, 5);
  EXPECT_EQ(p.menu_timeout_ms, 1500u);
  EXPECT_EQ(p.chain_len, 2);
  EXPECT_EQ(p.next_iplb, 0x7fcfe000u);
}

// The loop over the order, with scripted boot paths.
class ScriptedPaths final : public BootPaths {
 public:
  explicit ScriptedPaths(std::vector<WaitCode> codes) : codes_(std::move(codes)) {}
  WaitCode boot(const BootTarget& t) override {
    tried.push_back(t.dev.devno);
    if (t.kind == DeviceKind::kVirtioNet) return WaitCode::kNetNoDhcp;
    return codes_.at(tried.size() - 1);
  }
  std::vector<u16> tried;

 private:
  std::vector<WaitCode> codes_;
};

TEST(BootOrder, FailureMovesToTheNextDevice) {
  Built b;
  build(blank_first_qemu10(), &b);
  ScriptedPaths paths({WaitCode::kZiplNoBootMap, WaitCode::kVirtioIoError});
  testing::clear_log();
  BootOutcome out = run_boot_order(b.order, paths);
  EXPECT_EQ(paths.tried, (std::vector<u16>{1, 3}));
  EXPECT_EQ(out.code, WaitCode::kVirtioIoError);
  EXPECT_EQ(out.target, 1);
  const std::string& log = testing::captured_log();
  EXPECT_NE(log.find("device 0.0.0001 not booted: no zipl boot record"), std::string::npos);
  EXPECT_NE(log.find("loadparm [2       ] for this device, from its IPL parameter block"),
            std::string::npos);
}

TEST(BootOrder, FailedNetworkBootMovesToTheNextDevice) {
  Machine m;
  m.devices = {net(1), blk(2)};
  m.iplbs = {block(iplb_type::kCcw, 0, 1, "        "), block(iplb_type::kCcw, 0, 2, "        ")};
  Built b;
  build(m, &b);
  ScriptedPaths paths({WaitCode::kNone, WaitCode::kZiplNoBootMap});
  testing::clear_log();
  BootOutcome out = run_boot_order(b.order, paths);
  EXPECT_EQ(paths.tried, (std::vector<u16>{1, 2}));
  EXPECT_EQ(out.code, WaitCode::kZiplNoBootMap);
  EXPECT_NE(testing::captured_log().find("device 0.0.0001 not booted: no DHCP answer"),
            std::string::npos);
}

TEST(BootOrder, MissingEntryStopsTheIpl) {
  Built b;
  build(blank_first_qemu10(), &b);
  ScriptedPaths paths({WaitCode::kLoadparmNoSuchEntry, WaitCode::kZiplNoBootMap});
  BootOutcome out = run_boot_order(b.order, paths);
  EXPECT_EQ(paths.tried, (std::vector<u16>{1}));
  EXPECT_EQ(out.code, WaitCode::kLoadparmNoSuchEntry);
  EXPECT_EQ(out.target, 0);
}

TEST(BootOrder, APathReturningNoneIsAnInternalError) {
  Machine m;
  m.devices = {blk(1)};
  Built b;
  build(m, &b);
  ScriptedPaths paths({WaitCode::kNone});
  EXPECT_EQ(run_boot_order(b.order, paths).code, WaitCode::kInternal);
}

TEST(BootOrder, EmptyOrderEndsInNoBootDevice) {
  Built b;
  build(Machine{}, &b);
  ScriptedPaths paths({});
  BootOutcome out = run_boot_order(b.order, paths);
  EXPECT_EQ(out.code, WaitCode::kNoBootDevice);
  EXPECT_EQ(out.target, -1);
}

}  // namespace
}  // namespace ccwboot::boot
