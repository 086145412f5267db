// Network boot, portable part: framing, DHCP, TFTP, pxelinux.cfg and .INS
// parsing, and whole boots against the simulated server of net_sim.h.
#include <gtest/gtest.h>

#include <algorithm>

#include <cstring>
#include <string>

#include "ccwboot/endian.h"
#include "ccwboot/arch/sysib.h"
#include "ccwboot/net/dns.h"
#include "ccwboot/net/netboot.h"
#include "host_log.h"
#include "net_sim.h"

using namespace ccwboot;
using namespace ccwboot::net;
using ccwboot::testing::SimNetwork;
using ccwboot::testing::SimServerConfig;
using ccwboot::testing::VectorMemory;

namespace {

std::vector<u8> bytes(const std::string& s) { return std::vector<u8>(s.begin(), s.end()); }

// A Linux image as far as the loader cares: "S390EP" at 0x10008, `size` bytes
// of a pattern that shows where each byte came from.
std::vector<u8> fake_kernel(size_t size, u8 seed) {
  std::vector<u8> k(size);
  for (size_t i = 0; i < size; ++i) k[i] = static_cast<u8>(i * 7 + seed);
  std::memcpy(k.data() + 0x10008, "S390EP", 6);
  if (size >= 0x10438)
    std::memset(k.data() + 0x10430, 0, 8);  // command-line size: legacy 896 bytes
  return k;
}

struct Boot {
  explicit Boot(SimServerConfig cfg, u64 memory = 8 << 20)
      : net(std::move(cfg)), stack(net), mem(memory) {
    params.dhcp_ms = 3000;
  }
  WaitCode run() {
    ccwboot::testing::clear_log();
    NetBoot nb(stack, mem, params);
    return nb.run(&result);
  }
  SimNetwork net;
  Stack stack;
  VectorMemory mem;
  NetBootParams params;
  NetBootResult result;
};

const std::string& log() { return ccwboot::testing::captured_log(); }

}  // namespace

// ---- framing ----

TEST(NetFrame, UdpRoundTripWithChecksums) {
  u8 f[kMaxFrame] = {};
  std::memcpy(f + kUdpPayload, "hello", 5);
  Mac a{{2, 0, 0, 0, 0, 1}}, b{{2, 0, 0, 0, 0, 2}};
  const u32 n = build_udp(f, a, b, 0x0a00020f, 0x0a000202, 1234, 69, 5);
  ASSERT_EQ(n, 42u + 5);
  // IPv4 header checksum of this header, computed by hand (RFC 1071).
  EXPECT_EQ(be::load16(f + 24), 0x22bc);
  UdpView u;
  ASSERT_TRUE(parse_udp(f, n, &u));
  EXPECT_EQ(u.src_ip, 0x0a00020fu);
  EXPECT_EQ(u.dst_port, 69);
  EXPECT_EQ(u.length, 5u);
  EXPECT_EQ(std::memcmp(u.payload, "hello", 5), 0);
  EXPECT_TRUE(same_mac(u.src_mac, a));
  f[kUdpPayload] ^= 1;  // the UDP checksum catches it
  EXPECT_FALSE(parse_udp(f, n, &u));
}

TEST(NetFrame, RejectsTruncatedFragmentedAndLying) {
  u8 f[kMaxFrame] = {};
  const u32 n = build_udp(f, Mac{}, kBroadcastMac, 1, 2, 3, 4, 100);
  UdpView u;
  ASSERT_TRUE(parse_udp(f, n, &u));
  EXPECT_FALSE(parse_udp(f, n - 1, &u));  // total length beyond the frame
  u8 g[kMaxFrame];
  std::memcpy(g, f, n);
  be::store16(g + 20, 0x2000);  // more fragments
  EXPECT_FALSE(parse_udp(g, n, &u));
  std::memcpy(g, f, n);
  g[14] = 0x4f;  // IHL 60 bytes: header checksum no longer matches
  EXPECT_FALSE(parse_udp(g, n, &u));
  std::memcpy(g, f, n);
  be::store16(g + 38, 200);  // UDP length beyond the IP payload
  EXPECT_FALSE(parse_udp(g, n, &u));
  EXPECT_EQ(build_udp(f, Mac{}, Mac{}, 1, 2, 3, 4, kMaxUdpPayload + 1), 0u);
}

TEST(NetFrame, ArpRequestAndReply) {
  u8 f[64];
  Mac me{{2, 0, 0, 0, 0, 1}};
  const u32 n = build_arp(f, 1, me, 0x0a00020f, Mac{}, 0x0a000202);
  ArpView a;
  ASSERT_TRUE(parse_arp(f, n, &a));
  EXPECT_EQ(a.op, 1);
  EXPECT_EQ(a.target_ip, 0x0a000202u);
  EXPECT_TRUE(same_mac(Mac{{f[0], f[1], f[2], f[3], f[4], f[5]}}, kBroadcastMac));
  EXPECT_FALSE(parse_arp(f, 41, &a));
}

// ---- DHCP ----

TEST(NetDhcp, ParsesOptionsAndFallsBackToBootpFields) {
  std::vector<u8> p(240, 0);
  Mac mac{{1, 2, 3, 4, 5, 6}};
  p[0] = 2;
  be::store32(p.data() + 4, 77);
  std::memcpy(p.data() + 28, mac.b, 6);
  be::store32(p.data() + 16, 0x0a00020f);
  be::store32(p.data() + 20, 0x0a000203);
  std::memcpy(p.data() + 108, "from-file-field", 15);
  be::store32(p.data() + 236, 0x63825363);
  for (int b : {53, 1, 5, 1, 4, 255, 255, 0, 0, 0, 54, 4, 10, 0, 2, 2})
    p.push_back(static_cast<u8>(b));
  DhcpLease l;
  ASSERT_TRUE(dhcp_parse(p.data(), static_cast<u32>(p.size()), 77, mac, &l));
  EXPECT_EQ(l.type, dhcp_type::kAck);
  EXPECT_EQ(l.netmask, 0xffff0000u);
  EXPECT_STREQ(l.bootfile, "from-file-field");
  EXPECT_EQ(dhcp_tftp_server(l), 0x0a000203u);  // siaddr
  const std::vector<u8> more = {0,   67,  3,   'a', 'b', 'c', 66, 8,  '1',
                                '.', '2', '.', '3', '.', '4', 0,  255};
  p.insert(p.end(), more.begin(), more.end());
  ASSERT_TRUE(dhcp_parse(p.data(), static_cast<u32>(p.size()), 77, mac, &l));
  EXPECT_STREQ(l.bootfile, "abc");
  EXPECT_EQ(dhcp_tftp_server(l), 0x01020304u);  // option 66 as an address
  EXPECT_FALSE(dhcp_parse(p.data(), static_cast<u32>(p.size()), 78, mac, &l));  // other xid
  p.resize(p.size() - 1);
  p.back() = 40;  // option length runs past the end
  p.push_back(1);
  EXPECT_FALSE(dhcp_parse(p.data(), static_cast<u32>(p.size()), 77, mac, &l) && l.bootfile[0] == 0);
}

TEST(NetDhcp, Ipv4Text) {
  u32 ip = 0;
  EXPECT_TRUE(parse_ipv4("10.0.2.2", &ip));
  EXPECT_EQ(ip, 0x0a000202u);
  EXPECT_FALSE(parse_ipv4("10.0.2", &ip));
  EXPECT_FALSE(parse_ipv4("10.0.2.256", &ip));
  EXPECT_FALSE(parse_ipv4("tftp.example", &ip));
  EXPECT_FALSE(parse_ipv4("1.2.3.4 ", &ip));
}

// ---- TFTP packets ----

TEST(NetTftp, ReadRequestCarriesTheOptions) {
  u8 p[128];
  TftpOptions o;
  o.blksize = 1468;
  o.windowsize = 8;
  const u32 n = tftp_build_rrq(p, sizeof p, "a/b", o);
  const char want[] =
      "\0\1a/b\0octet\0blksize\0"
      "1468\0tsize\0"
      "0\0windowsize\0"
      "8";
  ASSERT_EQ(n, sizeof want);
  EXPECT_EQ(std::memcmp(p, want, n), 0);
  EXPECT_EQ(tftp_build_rrq(p, 10, "a/b", o), 0u);  // does not fit
}

TEST(NetTftp, OptionAcknowledgement) {
  TftpOptions o;
  o.windowsize = 8;
  TftpNegotiated n;
  const char ok[] =
      "blksize\0"
      "1428\0tsize\0"
      "5000000\0";
  ASSERT_TRUE(tftp_parse_oack(reinterpret_cast<const u8*>(ok), sizeof ok - 1, o, &n));
  EXPECT_EQ(n.blksize, 1428u);
  EXPECT_EQ(n.windowsize, 1u);
  EXPECT_EQ(n.tsize, 5000000u);
  const char bigger[] =
      "blksize\0"
      "9000\0";
  EXPECT_FALSE(tftp_parse_oack(reinterpret_cast<const u8*>(bigger), sizeof bigger - 1, o, &n));
  const char unasked[] =
      "color\0"
      "7\0";
  EXPECT_FALSE(tftp_parse_oack(reinterpret_cast<const u8*>(unasked), sizeof unasked - 1, o, &n));
  const char unterminated[] =
      "tsize\0"
      "12";
  EXPECT_FALSE(
      tftp_parse_oack(reinterpret_cast<const u8*>(unterminated), sizeof unterminated - 1, o, &n));
  const char window[] =
      "WindowSize\0"
      "4\0";
  ASSERT_TRUE(tftp_parse_oack(reinterpret_cast<const u8*>(window), sizeof window - 1, o, &n));
  EXPECT_EQ(n.windowsize, 4u);
}

TEST(NetTftp, ErrorPacketsByName) {
  const u8 e[] = {0, 5, 0, 2, 'n', 'o', 0};
  TftpPacket p;
  ASSERT_TRUE(tftp_parse(e, sizeof e, &p));
  EXPECT_EQ(p.error, 2);
  EXPECT_STREQ(p.message, "no");
  EXPECT_STREQ(tftp_error_name(1), "file not found");
  EXPECT_STREQ(tftp_error_name(8), "option negotiation refused");
  EXPECT_STREQ(tftp_error_name(99), "unknown error code");
  const u8 unterminated[] = {0, 5, 0, 0, 'x', 0x01};
  ASSERT_TRUE(tftp_parse(unterminated, sizeof unterminated, &p));
  EXPECT_STREQ(p.message, "x?");
  EXPECT_FALSE(tftp_parse(e, 3, &p));
}

// ---- pxelinux.cfg and .INS ----

constexpr char kPxe[] =
    "# pxelinux.cfg for the tests\n"
    "default second\n"
    "timeout 50\n"
    "label first\n"
    "  kernel k1\n"
    "  initrd i1\n"
    "label second\r\n"
    "  KERNEL  k2  \n"
    "  append console=ttyS0 ccwboot.entry=2\n";

TEST(NetPxelinux, EntriesDefaultAndMenu) {
  EXPECT_TRUE(is_pxelinux_cfg(reinterpret_cast<const u8*>(kPxe), sizeof kPxe - 1));
  EXPECT_TRUE(is_pxelinux_cfg(reinterpret_cast<const u8*>("# PXELinux"), 10));
  EXPECT_FALSE(is_pxelinux_cfg(reinterpret_cast<const u8*>("# pxe"), 5));
  PxeConfig c;
  ASSERT_TRUE(parse_pxelinux(kPxe, sizeof kPxe - 1, &c));
  ASSERT_EQ(c.count, 2u);
  EXPECT_EQ(c.default_entry, 2u);
  EXPECT_EQ(c.ignored_lines, 1u);  // timeout
  char s[64];
  span_copy(kPxe, c.entries[1].kernel, s, sizeof s);
  EXPECT_STREQ(s, "k2");
  span_copy(kPxe, c.entries[1].append, s, sizeof s);
  EXPECT_STREQ(s, "console=ttyS0 ccwboot.entry=2");
  span_copy(kPxe, c.entries[0].initrd, s, sizeof s);
  EXPECT_STREQ(s, "i1");
  zipl::BootMenu m;
  pxe_menu(kPxe, c, &m);
  EXPECT_EQ(m.highest_entry, 2u);
  EXPECT_EQ(m.default_entry, 2u);
  EXPECT_STREQ(m.entries[0].name, "second");
  EXPECT_STREQ(m.entries[1].name, "first");
  // The same loadparm rules as on a disk.
  virtio::Selection sel = virtio::select_boot_entry("1       ", {}, m);
  EXPECT_EQ(sel.entry, 1u);
  sel = virtio::select_boot_entry("3       ", {}, m);
  EXPECT_EQ(sel.error, WaitCode::kLoadparmNoSuchEntry);
}

TEST(NetPxelinux, BoundedEntriesAndNoKernel) {
  std::string t = "# pxelinux\n";
  for (int i = 0; i < 40; ++i) t += "label l" + std::to_string(i) + "\nkernel k\n";
  PxeConfig c;
  ASSERT_TRUE(parse_pxelinux(t.data(), static_cast<u32>(t.size()), &c));
  EXPECT_EQ(c.count, kPxeMaxEntries);
  EXPECT_EQ(c.default_entry, 0u);
  const char none[] = "# pxelinux\nlabel a\nappend x\n";
  EXPECT_FALSE(parse_pxelinux(none, sizeof none - 1, &c));
}

TEST(NetIns, LoadListAddresses) {
  const char t[] =
      "* Debian GNU/Linux for S/390 (net)\n"
      "kernel.debian 0x00000000\n"
      "\n"
      "parmfile.debian 0x00010480\n"
      "initrd.debian 8388608\n";
  EXPECT_TRUE(is_ins_file(reinterpret_cast<const u8*>(t), sizeof t - 1));
  InsList l;
  u32 bad = 0;
  ASSERT_TRUE(parse_ins(t, sizeof t - 1, &l, &bad));
  ASSERT_EQ(l.count, 3u);
  EXPECT_EQ(l.entries[1].address, 0x10480u);
  EXPECT_EQ(l.entries[2].address, 0x800000u);
  char s[64];
  span_copy(t, l.title, s, sizeof s);
  EXPECT_STREQ(s, "Debian GNU/Linux for S/390 (net)");
  const char missing[] = "* x\nkernel.debian\n";
  EXPECT_FALSE(parse_ins(missing, sizeof missing - 1, &l, &bad));
  EXPECT_EQ(bad, 2u);
  const char junk[] = "* x\nk 0x10 extra\n";
  EXPECT_FALSE(parse_ins(junk, sizeof junk - 1, &l, &bad));
  const char huge[] = "* x\nk 0x10000000000\n";
  EXPECT_FALSE(parse_ins(huge, sizeof huge - 1, &l, &bad));
}

// ---- whole network boots against the simulated server ----

TEST(NetBootSim, KernelGivenDirectly) {
  SimServerConfig c;
  const auto k = fake_kernel(300000, 1);
  c.files["vmlinuz"] = k;
  Boot b(c);
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  EXPECT_EQ(b.result.psw, kLinuxPsw);
  EXPECT_TRUE(b.mem.holds(0, k));
  EXPECT_STREQ(b.result.what, "kernel");
  // Largest block the server allows (it caps the 1468 asked for at 1428).
  EXPECT_NE(log().find("block 1428"), std::string::npos) << log();
  EXPECT_EQ(b.net.rrq_options[0], "blksize=1468");
}

TEST(NetBootSim, PxelinuxEntryByLoadparm) {
  SimServerConfig c;
  c.bootfile = "pxe.cfg";
  c.files["pxe.cfg"] = bytes(kPxe);
  const auto k1 = fake_kernel(0x12345, 1), k2 = fake_kernel(0x20000, 2);
  const std::vector<u8> i1(5000, 0xa1);
  c.files["k1"] = k1;
  c.files["k2"] = k2;
  c.files["i1"] = i1;
  Boot b(c);
  b.params.loadparm = "1       ";
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  auto patched = k1;  // the loader patches the initrd's place into the image
  be::store64(patched.data() + kLinuxInitrdStart, 0x13000);
  be::store64(patched.data() + kLinuxInitrdSize, 5000);
  EXPECT_TRUE(b.mem.holds(0, patched));
  EXPECT_TRUE(b.mem.holds(0x13000, i1));  // next 4 KiB boundary
  EXPECT_EQ(be::load64(b.mem.bytes().data() + kLinuxInitrdStart), 0x13000u);
  EXPECT_EQ(be::load64(b.mem.bytes().data() + kLinuxInitrdSize), 5000u);
  // Blank loadparm: the `default` label, with its append line.
  Boot d(c);
  ASSERT_EQ(d.run(), WaitCode::kNone) << log();
  EXPECT_TRUE(d.mem.holds(0, std::vector<u8>(k2.begin(), k2.begin() + kLinuxCommandLine)));
  EXPECT_STREQ(reinterpret_cast<const char*>(d.mem.bytes().data() + kLinuxCommandLine),
               "console=ttyS0 ccwboot.entry=2");
  Boot e(c);
  e.params.loadparm = "7       ";
  EXPECT_EQ(e.run(), WaitCode::kLoadparmNoSuchEntry);
}

TEST(NetBootSim, AppendLineWithinTheKernelsLimit) {
  const std::string longline(2000, 'x');
  SimServerConfig c;
  c.bootfile = "p";
  c.files["p"] = bytes("# pxelinux\nlabel a\nkernel k\nappend " + longline + "\n");
  c.files["k"] = fake_kernel(0x20000, 1);
  Boot legacy(c);  // size field 0: 896 bytes, NUL included
  EXPECT_EQ(legacy.run(), WaitCode::kCmdlineTooLong);
  be::store64(c.files["k"].data() + 0x10430, 4096);
  Boot big(c);
  ASSERT_EQ(big.run(), WaitCode::kNone) << log();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(big.mem.bytes().data() + kLinuxCommandLine)),
            longline);
}

TEST(NetBootSim, MenuChoiceComesFromTheCallback) {
  SimServerConfig c;
  c.bootfile = "pxe.cfg";
  c.files["pxe.cfg"] = bytes(kPxe);
  c.files["k1"] = fake_kernel(0x10100, 1);
  c.files["i1"] = std::vector<u8>(10, 1);
  Boot b(c);
  b.params.loadparm = "PROMPT  ";
  b.params.choose = [](const virtio::Selection&, const zipl::BootMenu& m, bool*) -> u32 {
    return std::string(m.entries[1].name) == "first" ? 1 : 0;
  };
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  EXPECT_NE(log().find("booting entry 1 (first)"), std::string::npos) << log();
}

// The boot menu across devices reads the labels before anything is loaded.
TEST(NetBootSim, MenuReadListsTheLabelsAndWritesNoGuestMemory) {
  SimServerConfig c;
  c.bootfile = "pxe.cfg";
  c.files["pxe.cfg"] = bytes(kPxe);
  c.files["k1"] = fake_kernel(0x10100, 1);
  Boot b(c);
  ccwboot::testing::clear_log();
  NetBoot nb(b.stack, b.mem, b.params);
  zipl::BootMenu m;
  ASSERT_EQ(nb.read_menu(&m), WaitCode::kNone) << log();
  EXPECT_EQ(m.highest_entry, 2u);
  EXPECT_STREQ(m.entries[1].name, "first");
  EXPECT_STREQ(m.entries[2].name, "second");
  EXPECT_EQ(m.default_entry, 2u);
  EXPECT_TRUE(b.mem.all_zero(0, b.mem.size()));
  const std::vector<std::string> want = {"pxe.cfg"};
  EXPECT_EQ(b.net.requested(), want);  // no kernel, no initrd
}

TEST(NetBootSim, MenuReadFollowsThePxelinuxDirectory) {
  SimServerConfig c;
  c.bootfile = "pxelinux.cfg/";
  c.files["pxelinux.cfg/default"] = bytes("label only\nkernel k\n");
  Boot b(c);
  NetBoot nb(b.stack, b.mem, b.params);
  zipl::BootMenu m;
  ASSERT_EQ(nb.read_menu(&m), WaitCode::kNone) << log();
  EXPECT_STREQ(m.entries[1].name, "only");
}

TEST(NetBootSim, MenuOfAKernelBootFileIsOneEntry) {
  SimServerConfig c;
  c.bootfile = "k";
  c.files["k"] = fake_kernel(0x30000, 3);
  Boot b(c);
  ccwboot::testing::clear_log();
  NetBoot nb(b.stack, b.mem, b.params);
  zipl::BootMenu m;
  EXPECT_EQ(nb.read_menu(&m), WaitCode::kMenuNetNotAConfig);
  EXPECT_NE(log().find("is not a pxelinux.cfg"), std::string::npos) << log();
  EXPECT_TRUE(b.mem.all_zero(0, b.mem.size()));
}

TEST(NetBootSim, ForcedEntryIsBootedWithoutSelection) {
  SimServerConfig c;
  c.bootfile = "pxe.cfg";
  c.files["pxe.cfg"] = bytes(kPxe);
  c.files["k1"] = fake_kernel(0x10100, 1);
  c.files["i1"] = std::vector<u8>(10, 1);
  Boot b(c);
  b.params.loadparm = "2       ";  // the menu's answer wins over the loadparm
  b.params.forced = true;
  b.params.forced_entry = 1;
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  EXPECT_EQ(b.result.entry, 1u);
  Boot gone(c);
  gone.params.forced = true;
  gone.params.forced_entry = 5;
  EXPECT_EQ(gone.run(), WaitCode::kLoadparmNoSuchEntry);
}

// `e`: the editor sees the entry after its append line is in place; going
// back to the menu reloads what is chosen then.
TEST(NetBootSim, EditOpensTheLoadedAppendLineAndCanGoBack) {
  SimServerConfig c;
  c.bootfile = "pxe.cfg";
  c.files["pxe.cfg"] = bytes(kPxe);
  c.files["k1"] = fake_kernel(0x10100, 1);
  c.files["i1"] = std::vector<u8>(10, 1);
  c.files["k2"] = fake_kernel(0x10440, 2);  // holds the command-line size at 0x10430
  be::store64(c.files["k2"].data() + 0x10430, 4096);
  static Boot* current = nullptr;
  static std::vector<std::string> seen;
  seen.clear();
  Boot b(c);
  current = &b;
  b.params.forced = true;
  b.params.forced_entry = 2;
  b.params.forced_edit = true;
  b.params.edit = [](u32 entry, const char* label) -> bool {
    seen.push_back(std::to_string(entry) + " " + label + " " +
                   reinterpret_cast<const char*>(current->mem.bytes().data() + kLinuxCommandLine));
    return seen.size() > 1;  // the first time: Esc, back to the menu
  };
  b.params.choose = [](const virtio::Selection& sel, const zipl::BootMenu&, bool* edit) -> u32 {
    EXPECT_EQ(sel.menu_timeout_ms, 0u);
    *edit = true;
    return 2;
  };
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "2 second console=ttyS0 ccwboot.entry=2");
  EXPECT_EQ(seen[1], seen[0]);
}

TEST(NetBootSim, InsList) {
  SimServerConfig c;
  c.bootfile = "debian.ins";
  c.files["debian.ins"] = bytes("* test list\nkernel 0x0\nparm 0x10480\ninitrd 0x800000\n");
  const auto k = fake_kernel(0x30000, 3);
  c.files["kernel"] = k;
  c.files["parm"] = bytes(std::string("root=/dev/ram0") + '\0');
  c.files["initrd"] = std::vector<u8>(70000, 0x5a);
  Boot b(c, 16 << 20);
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  EXPECT_EQ(b.result.psw, kLinuxPsw);
  EXPECT_EQ(b.result.files, 4u);
  EXPECT_TRUE(b.mem.holds(0x800000, c.files["initrd"]));
  EXPECT_STREQ(reinterpret_cast<const char*>(b.mem.bytes().data() + 0x10480), "root=/dev/ram0");
  EXPECT_STREQ(b.result.what, ".INS");
}

TEST(NetBootSim, PxelinuxDirectoryLookupOrder) {
  SimServerConfig c;
  c.bootfile = "pxelinux.cfg/";
  c.files["pxelinux.cfg/default"] = bytes("label only\nkernel k\n");
  c.files["k"] = fake_kernel(0x10100, 4);
  Boot b(c);
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  const std::vector<std::string> want = {"pxelinux.cfg/01-52-54-00-12-34-56",
                                         "pxelinux.cfg/0A00020F",
                                         "pxelinux.cfg/0A00020",
                                         "pxelinux.cfg/0A0002",
                                         "pxelinux.cfg/0A000",
                                         "pxelinux.cfg/0A00",
                                         "pxelinux.cfg/0A0",
                                         "pxelinux.cfg/0A",
                                         "pxelinux.cfg/0",
                                         "pxelinux.cfg/default",
                                         "k"};
  EXPECT_EQ(b.net.requested(), want);
}

// A boot file naming another folder: its pxelinux.cfg/, as QEMU's bios
// looks (net_peer.py saw QEMU 7.2's and 10.0's bios ask these names).
TEST(NetBootSim, PxelinuxDirectoryInsideTheBootFilesFolder) {
  SimServerConfig c;
  c.bootfile = "s390x/";
  c.files["s390x/pxelinux.cfg/0A000"] = bytes("label only\nkernel k\n");
  c.files["pxelinux.cfg/0A000"] = bytes("label wrong\nkernel w\n");
  c.files["k"] = fake_kernel(0x10100, 4);
  Boot b(c);
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  const std::vector<std::string> want = {"s390x/pxelinux.cfg/01-52-54-00-12-34-56",
                                         "s390x/pxelinux.cfg/0A00020F",
                                         "s390x/pxelinux.cfg/0A00020",
                                         "s390x/pxelinux.cfg/0A0002",
                                         "s390x/pxelinux.cfg/0A000",
                                         "k"};
  EXPECT_EQ(b.net.requested(), want);
}

TEST(NetBootSim, PxelinuxDirectoryNamedSoIsTheDirectory) {
  for (const char* dir : {"pxelinux.cfg/", "/srv/pxelinux.cfg/"}) {
    SimServerConfig c;
    c.bootfile = dir;
    c.files[std::string(dir) + "default"] = bytes("label only\nkernel k\n");
    c.files["k"] = fake_kernel(0x10100, 4);
    Boot b(c);
    ASSERT_EQ(b.run(), WaitCode::kNone) << dir << "\n" << log();
    EXPECT_EQ(b.net.requested().front(), std::string(dir) + "01-52-54-00-12-34-56");
  }
  SimServerConfig c;
  c.bootfile = "xpxelinux.cfg/";  // not a folder called pxelinux.cfg
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetPxeNoConfig) << log();
  EXPECT_EQ(b.net.requested().front(), "xpxelinux.cfg/pxelinux.cfg/01-52-54-00-12-34-56");
}

TEST(NetBootSim, PxelinuxDirectoryTriesTheUuidFirst) {
  SimServerConfig c;
  c.bootfile = "pxelinux.cfg/";
  c.files["pxelinux.cfg/1b4e28ba-2fa1-11d2-883f-0016d3cca427"] = bytes("label u\nkernel ku\n");
  c.files["pxelinux.cfg/01-52-54-00-12-34-56"] = bytes("label m\nkernel km\n");
  c.files["ku"] = fake_kernel(0x10100, 4);
  Boot b(c);
  const u8 uuid[16] = {0x1b, 0x4e, 0x28, 0xba, 0x2f, 0xa1, 0x11, 0xd2,
                       0x88, 0x3f, 0x00, 0x16, 0xd3, 0xcc, 0xa4, 0x27};
  std::memcpy(b.params.uuid, uuid, 16);
  b.params.has_uuid = true;
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  const std::vector<std::string> want = {"pxelinux.cfg/1b4e28ba-2fa1-11d2-883f-0016d3cca427", "ku"};
  EXPECT_EQ(b.net.requested(), want);
}

TEST(NetBootSim, PxelinuxDirectoryGoesOnAfterTheUuid) {
  SimServerConfig c;
  c.bootfile = "pxelinux.cfg/";
  c.files["pxelinux.cfg/01-52-54-00-12-34-56"] = bytes("label m\nkernel km\n");
  c.files["km"] = fake_kernel(0x10100, 4);
  Boot b(c);
  std::memset(b.params.uuid, 0xab, 16);
  b.params.has_uuid = true;
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  const std::vector<std::string> want = {"pxelinux.cfg/abababab-abab-abab-abab-abababababab",
                                         "pxelinux.cfg/01-52-54-00-12-34-56", "km"};
  EXPECT_EQ(b.net.requested(), want);
}

TEST(NetBootSim, PxelinuxDirectoryWithoutConfigNamesTheUuid) {
  SimServerConfig c;
  c.bootfile = "pxelinux.cfg/";
  Boot b(c);
  std::memset(b.params.uuid, 1, 16);
  b.params.has_uuid = true;
  EXPECT_EQ(b.run(), WaitCode::kNetPxeNoConfig) << log();
  EXPECT_EQ(b.net.requested().size(), 11u);
  EXPECT_NE(log().find("for this UUID, MAC or address"), std::string::npos) << log();
}

TEST(MachineUuid, QemuManufacturerFromSysib111) {
  std::vector<u8> sysib(4096, 0);
  EXPECT_FALSE(arch::sysib111_manufacturer_is_qemu(sysib.data()));
  const u8 qemu[4] = {0xd8, 0xc5, 0xd4, 0xe4};  // "QEMU" in EBCDIC
  for (u32 i = 0; i < 16; ++i) sysib[32 + i] = i < 4 ? qemu[i] : 0x40;
  EXPECT_TRUE(arch::sysib111_manufacturer_is_qemu(sysib.data()));
  const u8 ibm[3] = {0xc9, 0xc2, 0xd4};  // "IBM", as a real machine under KVM answers
  for (u32 i = 0; i < 4; ++i) sysib[32 + i] = i < 3 ? ibm[i] : 0x40;
  EXPECT_FALSE(arch::sysib111_manufacturer_is_qemu(sysib.data()));
  sysib[32] = 0xd8, sysib[33] = 0xc5, sysib[34] = 0xd4, sysib[35] = 0xe4, sysib[36] = 0xc1;
  EXPECT_FALSE(arch::sysib111_manufacturer_is_qemu(sysib.data())) << "QEMUA is not QEMU";
}

TEST(MachineUuid, FromSysib322) {
  std::vector<u8> sysib(4096, 0);
  u8 uuid[16];
  EXPECT_FALSE(arch::sysib322_uuid(sysib.data(), uuid)) << "no VM descriptor";
  sysib[31] = 1;
  EXPECT_FALSE(arch::sysib322_uuid(sysib.data(), uuid)) << "all-zero UUID: none given";
  for (u8 i = 0; i < 16; ++i) sysib[32 + 48 + i] = static_cast<u8>(0xa0 + i);
  sysib[32 + 64 + 48] = 0xee;  // the next (outer) VM's: not ours
  ASSERT_TRUE(arch::sysib322_uuid(sysib.data(), uuid));
  for (u8 i = 0; i < 16; ++i) EXPECT_EQ(uuid[i], 0xa0 + i);
}

TEST(NetBootSim, MissingFileIsNamedAfterTheLookup) {
  SimServerConfig c;
  c.bootfile = "nothere";
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetTftpNotFound);
  EXPECT_NE(log().find("server error 1 (file not found)"), std::string::npos) << log();
  EXPECT_EQ(b.net.requested().back(), "pxelinux.cfg/default");
}

TEST(NetBootSim, NoDhcpServerEndsInBoundedTime) {
  SimServerConfig c;
  c.dhcp = false;
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetNoDhcp);
  EXPECT_LE(b.net.now_us(), 3'100'000u);
  EXPECT_GE(b.net.dhcp_requests(), 3u);  // retried, with growing pauses
  EXPECT_LE(b.net.dhcp_requests(), 6u);
}

// ---- DNS for option 66 ----

SimServerConfig named_server() {
  SimServerConfig c;
  c.option66 = "tftp.sim";
  c.option6 = {0x0a000202};
  c.dns["tftp.sim"] = 0x0a000202;
  c.siaddr = 0x0a0002fe;  // nobody there: only the name leads to the server
  c.files["vmlinuz"] = fake_kernel(0x10100, 3);
  return c;
}

TEST(NetBootSim, Option66NameIsResolved) {
  Boot b(named_server());
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  EXPECT_EQ(b.net.dns_queries(), 1u);
  EXPECT_NE(log().find("TFTP server tftp.sim (10.0.2.2)"), std::string::npos) << log();
}

TEST(NetBootSim, Option66NameThroughACname) {
  SimServerConfig c = named_server();
  c.dns_cname = true;
  Boot b(c);
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
}

TEST(NetBootSim, Option66NameUnknown) {
  SimServerConfig c = named_server();
  c.dns.clear();
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetDnsFailed);
  EXPECT_NE(log().find("no address for 'tftp.sim' (response code 3)"), std::string::npos) << log();
}

TEST(NetBootSim, Option66NameWithoutAnswer) {
  SimServerConfig c = named_server();
  c.dns_silent = true;
  Boot b(c);
  const u64 t0 = b.net.now_us();
  EXPECT_EQ(b.run(), WaitCode::kNetDnsFailed);
  EXPECT_EQ(b.net.dns_queries(), 2u);                       // asked twice (1 s, then 2 s)
  EXPECT_LE(b.net.now_us() - t0, 3'000'000u + 3'100'000u);  // DHCP's share included
  EXPECT_NE(log().find("no answer for 'tftp.sim' from 1 name server"), std::string::npos) << log();
}

TEST(NetBootSim, Option66NameWithoutNameServer) {
  SimServerConfig c = named_server();
  c.option6.clear();
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetDnsFailed);
  EXPECT_EQ(b.net.dns_queries(), 0u);
}

TEST(NetBootSim, Option66AddressNeedsNoDns) {
  SimServerConfig c = named_server();
  c.option66 = "10.0.2.2";
  Boot b(c);
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  EXPECT_EQ(b.net.dns_queries(), 0u);
}

TEST(NetDns, QueryBytes) {
  u8 q[64];
  const u8 want[] = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 2, 'b', 'c', 0, 0, 1, 0, 1};
  ASSERT_EQ(dns_build_query(q, sizeof q, 0x1234, "a.bc"), sizeof want);
  EXPECT_EQ(std::memcmp(q, want, sizeof want), 0);
  EXPECT_EQ(dns_build_query(q, sizeof q, 1, "a.bc."), sizeof want);  // the root, explicit
  for (const char* bad : {"", ".", "a..b", ".a", "a.."})
    EXPECT_EQ(dns_build_query(q, sizeof q, 1, bad), 0u) << bad;
  EXPECT_EQ(dns_build_query(q, sizeof want - 1, 1, "a.bc"), 0u);  // no room
  const std::string label64(64, 'x');
  u8 big[300];
  EXPECT_EQ(dns_build_query(big, sizeof big, 1, label64.c_str()), 0u);
}

TEST(NetDns, ResponsesAreCheckedBeforeUse) {
  // A response for "a.bc": question, then one A record pointing back at it.
  std::vector<u8> r = {0x12, 0x34, 0x81, 0x80, 0,  1, 0, 1, 0, 0, 0, 0, 1, 'a', 2, 'b', 'c', 0, 0,
                       1,    0,    1,    0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 0, 0,   4, 10,  0,   2, 9};
  u32 addr = 0;
  u8 rcode = 0;
  ASSERT_EQ(dns_parse_response(r.data(), r.size(), 0x1234, "A.BC", &addr, &rcode),
            DnsResult::kAddress);
  EXPECT_EQ(addr, 0x0a000209u);
  EXPECT_EQ(dns_parse_response(r.data(), r.size(), 0x1235, "a.bc", &addr, &rcode),
            DnsResult::kNotOurs);
  EXPECT_EQ(dns_parse_response(r.data(), r.size(), 0x1234, "a.bd", &addr, &rcode),
            DnsResult::kNotOurs);
  for (size_t cut = 0; cut < r.size(); ++cut)
    EXPECT_NE(dns_parse_response(r.data(), cut, 0x1234, "a.bc", &addr, &rcode), DnsResult::kAddress)
        << cut;
  auto loop = r;
  loop[22] = 0xc0, loop[23] = 22;  // the answer's owner points at itself
  EXPECT_EQ(dns_parse_response(loop.data(), loop.size(), 0x1234, "a.bc", &addr, &rcode),
            DnsResult::kMalformed);
  auto nx = r;
  nx[3] = 0x83, nx[7] = 0;
  EXPECT_EQ(dns_parse_response(nx.data(), nx.size(), 0x1234, "a.bc", &addr, &rcode),
            DnsResult::kNoAddress);
  EXPECT_EQ(rcode, 3);
}

TEST(NetBootSim, BootfileOnlyInTheBootpField) {
  SimServerConfig c;
  c.bootfile_in_option = false;
  c.files["vmlinuz"] = fake_kernel(0x10100, 5);
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNone) << log();
}

TEST(NetBootSim, NoBootfile) {
  SimServerConfig c;
  c.bootfile = "";
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetNoBootfile);
}

TEST(NetBootSim, LostPacketsAreRetried) {
  SimServerConfig c;
  c.drop_data_every = 5;
  const auto k = fake_kernel(200000, 6);
  c.files["vmlinuz"] = k;
  Boot b(c);
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  EXPECT_TRUE(b.mem.holds(0, k));
}

TEST(NetBootSim, LostPacketsInAWindow) {
  SimServerConfig c;
  c.drop_data_every = 7;
  c.max_windowsize = 8;
  const auto k = fake_kernel(300000, 7);
  c.files["vmlinuz"] = k;
  Boot b(c);
  b.params.tftp.windowsize = 8;
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  EXPECT_TRUE(b.mem.holds(0, k));
  EXPECT_NE(log().find("window 8"), std::string::npos) << log();
}

// Blocks that arrive twice (a window the server resent after a late ACK)
// must not be acknowledged again: each such ACK makes the server send its
// window once more, which brings more duplicates (the Sorcerer's Apprentice).
// The server here sends a window for every ACK, as RFC 7440 lets it.
TEST(NetBootSim, DuplicatedBlocksAreNotAcknowledgedAgain) {
  for (u32 window : {1u, 8u}) {
    SimServerConfig c;
    c.duplicate_data = true;
    c.max_windowsize = window;
    const auto k = fake_kernel(300000, 12);
    c.files["vmlinuz"] = k;
    Boot b(c);
    b.params.tftp.windowsize = 8;
    ASSERT_EQ(b.run(), WaitCode::kNone) << log();
    EXPECT_TRUE(b.mem.holds(0, k));
    const u32 blocks = 300000 / 1428 + 1;
    EXPECT_EQ(b.net.data_sent(), blocks) << "window " << window << "\n" << log();
  }
}

TEST(NetBootSim, ServerWithoutOptions) {
  SimServerConfig c;
  c.max_blksize = 0;
  c.tsize = false;
  const auto k = fake_kernel(0x10200, 8);  // 0x10200 = 129 blocks of 512: ends with an empty block
  c.files["vmlinuz"] = k;
  Boot b(c);
  ASSERT_EQ(b.run(), WaitCode::kNone) << log();
  EXPECT_TRUE(b.mem.holds(0, k));
  EXPECT_NE(log().find("block 512, window 1"), std::string::npos) << log();
}

TEST(NetBootSim, TsizeLargerThanMemoryStopsBeforeData) {
  SimServerConfig c;
  c.files["vmlinuz"] = fake_kernel(3 << 20, 9);
  Boot b(c, 2 << 20);
  EXPECT_EQ(b.run(), WaitCode::kNetLoadOutsideMemory);
  EXPECT_EQ(b.net.data_sent(), 0u);
}

TEST(NetBootSim, DataIntoTheFirmwareIsRefused) {
  for (bool tsize : {true, false}) {
    SimServerConfig c;
    c.tsize = tsize;
    c.files["vmlinuz"] = fake_kernel(0x40000, 10);
    Boot b(c);
    b.params.limits.reserved.add(0x30000, 0x38000, "ccwboot image");
    EXPECT_EQ(b.run(), WaitCode::kNetLoadReserved);
    EXPECT_NE(log().find("ccwboot image"), std::string::npos);
    for (u64 a = 0x30000; a < 0x38000; ++a) ASSERT_EQ(b.mem.bytes()[a], 0) << std::hex << a;
  }
}

TEST(NetBootSim, InsAddressBeyondStorage) {
  SimServerConfig c;
  c.bootfile = "x.ins";
  c.files["x.ins"] = bytes("* t\nk 0x10000000\n");
  c.files["k"] = std::vector<u8>(100, 1);
  Boot b(c, 1 << 20);
  EXPECT_EQ(b.run(), WaitCode::kNetLoadOutsideMemory);
}

TEST(NetBootSim, MalformedIns) {
  SimServerConfig c;
  c.bootfile = "x.ins";
  c.files["x.ins"] = bytes("* t\nk\n");
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetInsMalformed);
}

TEST(NetBootSim, NotBootable) {
  SimServerConfig c;
  c.files["vmlinuz"] = bytes("hello, this is text");
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetNotBootable);
}

TEST(NetBootSim, ServerErrorIsNamed) {
  SimServerConfig c;
  c.error_for_all = 2;
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetTftpError);
  EXPECT_NE(log().find("server error 2 (access violation): refused by test"), std::string::npos)
      << log();
}

TEST(NetBootSim, BadOptionAckIsRefused) {
  SimServerConfig c;
  c.bad_oack = true;
  c.files["vmlinuz"] = fake_kernel(0x10100, 11);
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetTftpProtocol);
}

TEST(NetBootSim, NoArpAnswer) {
  SimServerConfig c;
  c.arp = false;
  c.files["vmlinuz"] = fake_kernel(0x10100, 12);
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetArpTimeout);
}

TEST(NetBootSim, PxelinuxWithoutKernel) {
  SimServerConfig c;
  c.bootfile = "p";
  c.files["p"] = bytes("# pxelinux\nlabel x\nappend y\n");
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetPxeNoEntry);
}

TEST(NetBootSim, PxelinuxDirectoryWithoutAnyConfig) {
  SimServerConfig c;
  c.bootfile = "cfgdir/";
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNetPxeNoConfig);
  EXPECT_EQ(b.net.requested().size(), 10u);
}

TEST(NetBootSim, EveryBlockLostOnce) {
  SimServerConfig c;
  c.drop_data_every = 1;
  c.files["vmlinuz"] = fake_kernel(0x10100, 13);
  Boot b(c);
  EXPECT_EQ(b.run(), WaitCode::kNone) << log();
}

TEST(NetBootSim, ServerThatStopsAnswering) {
  SimServerConfig c;
  c.stop_after = 10;
  c.files["vmlinuz"] = fake_kernel(0x10100, 13);
  Boot b(c);
  const u64 start = b.net.now_us();
  EXPECT_EQ(b.run(), WaitCode::kNetTftpTimeout);
  // 0.5 + 1 + 2 + 4 + 4 + 4 s of timeouts, then it gives up.
  EXPECT_LE(b.net.now_us() - start, 17'000'000u);
  EXPECT_NE(log().find("no answer from the server after 6 tries"), std::string::npos) << log();
}
