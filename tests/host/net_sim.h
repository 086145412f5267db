// A simulated Ethernet segment for host tests of the network boot: the
// client's NetLink on one side; on the other a DHCP server, an ARP responder,
// a DNS server (A records) and a TFTP server with configurable option
// support, faults and packet loss.
// The server side does its own framing (independent of src/core/net), so the
// tests check the client against a second implementation of the protocols.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "ccwboot/guest_memory.h"
#include "ccwboot/net/link.h"
#include "vector_memory.h"

namespace ccwboot::testing {

struct SimServerConfig {
  bool dhcp = true;
  bool bootfile_in_option = true;  // option 67; else only the BOOTP file field
  std::string bootfile = "vmlinuz";
  std::string option66;      // TFTP server name option (empty: not sent)
  std::vector<u32> option6;  // name servers (option 6; empty: not sent)
  // DNS on the server's address, port 53: names it knows (others: NXDOMAIN).
  std::map<std::string, u32> dns;
  bool dns_silent = false;  // never answers a query
  bool dns_cname = false;   // answers with a CNAME to "alias.sim", then alias.sim's A
  u32 siaddr = 0x0a000202;
  bool arp = true;
  // TFTP
  u32 max_blksize = 1428;  // 0: the server ignores blksize
  bool tsize = true;
  u32 max_windowsize = 0;   // 0: the server ignores windowsize
  u32 drop_data_every = 0;  // drop every Nth DATA packet once (0: none)
  u32 stop_after = 0;       // send no DATA after this many (0: no limit)
  bool bad_oack = false;    // OACK with an option nobody asked for
  u16 error_for_all = 0;    // answer every RRQ with this error code (0: serve files)
  std::map<std::string, std::vector<u8>> files;
  // Every DATA packet arrives twice.
  bool duplicate_data = false;
};

class SimNetwork final : public net::NetLink {
 public:
  explicit SimNetwork(SimServerConfig cfg);

  bool send(const u8* frame, u32 len) override;
  const u8* receive(u32* len) override;
  u64 now_us() override { return clock_; }
  const net::Mac& mac() const override { return mac_; }

  SimServerConfig& config() { return cfg_; }
  const std::vector<std::string>& requested() const { return requested_; }
  u32 data_sent() const { return data_sent_; }
  u32 dhcp_requests() const { return dhcp_seen_; }
  u32 dns_queries() const { return dns_seen_; }
  std::vector<std::string> rrq_options;  // options of the last RRQ, name=value

 private:
  void on_udp(const u8* ip, u32 len);
  void on_dhcp(const u8* p, u32 len);
  void on_dns(const u8* p, u32 len, u16 port);
  void on_tftp_request(const u8* p, u32 len, u16 port);
  void on_tftp_ack(u16 block);
  void send_data(u32 block);
  void reply_udp(u16 src_port, u16 dst_port, u32 dst_ip, const std::vector<u8>& payload,
                 bool broadcast);

  SimServerConfig cfg_;
  net::Mac mac_{{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}};
  u8 server_mac_[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};
  u32 server_ip_ = 0x0a000202, client_ip_ = 0x0a00020f;
  u64 clock_ = 0;
  std::deque<std::vector<u8>> rx_;
  std::vector<u8> current_;
  std::vector<std::string> requested_;
  u32 dhcp_seen_ = 0;
  u32 dns_seen_ = 0;
  // The transfer in progress.
  std::vector<u8> file_;
  u16 client_port_ = 0, tid_ = 1000;
  u32 blksize_ = 512, window_ = 1, data_sent_ = 0;
  std::map<u32, bool> dropped_;
};

}  // namespace ccwboot::testing
