// Simulated DHCP/ARP/TFTP server, see net_sim.h.
#include "net_sim.h"

#include <cstring>

namespace ccwboot::testing {
namespace {

u16 get16(const u8* p) { return static_cast<u16>(p[0] << 8 | p[1]); }
u32 get32(const u8* p) { return u32{get16(p)} << 16 | get16(p + 2); }
void set16(std::vector<u8>& v, size_t at, u16 x) {
  v[at] = static_cast<u8>(x >> 8);
  v[at + 1] = static_cast<u8>(x);
}
void set32(std::vector<u8>& v, size_t at, u32 x) {
  set16(v, at, static_cast<u16>(x >> 16));
  set16(v, at + 2, static_cast<u16>(x));
}
void push16(std::vector<u8>& v, u16 x) {
  v.push_back(static_cast<u8>(x >> 8));
  v.push_back(static_cast<u8>(x));
}
void push_str(std::vector<u8>& v, const std::string& s) {
  v.insert(v.end(), s.begin(), s.end());
  v.push_back(0);
}
u16 csum(const std::vector<u8>& v, size_t from, size_t len, u32 sum) {
  for (size_t i = 0; i < len; i += 2)
    sum += (u32{v[from + i]} << 8) | (i + 1 < len ? v[from + i + 1] : 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<u16>(~sum);
}

}  // namespace

SimNetwork::SimNetwork(SimServerConfig cfg) : cfg_(std::move(cfg)) {}

const u8* SimNetwork::receive(u32* len) {
  if (rx_.empty()) {
    clock_ += 1000;  // nothing there: time passes
    return nullptr;
  }
  clock_ += 10;
  current_ = std::move(rx_.front());
  rx_.pop_front();
  *len = static_cast<u32>(current_.size());
  return current_.data();
}

bool SimNetwork::send(const u8* f, u32 len) {
  clock_ += 10;
  if (len < 14) return true;
  const u16 type = get16(f + 12);
  if (type == 0x0806 && len >= 42 && cfg_.arp) {
    const u8* a = f + 14;
    if (get16(a + 6) == 1 && get32(a + 24) == server_ip_) {
      std::vector<u8> r(60, 0);
      std::memcpy(r.data(), a + 8, 6);
      std::memcpy(r.data() + 6, server_mac_, 6);
      set16(r, 12, 0x0806);
      set16(r, 14, 1);
      set16(r, 16, 0x0800);
      r[18] = 6, r[19] = 4;
      set16(r, 20, 2);
      std::memcpy(r.data() + 22, server_mac_, 6);
      set32(r, 28, server_ip_);
      std::memcpy(r.data() + 32, a + 8, 6);
      std::memcpy(r.data() + 38, a + 14, 4);
      rx_.push_back(std::move(r));
    }
    return true;
  }
  if (type == 0x0800) on_udp(f + 14, len - 14);
  return true;
}

void SimNetwork::reply_udp(u16 sport, u16 dport, u32 dst_ip, const std::vector<u8>& payload,
                           bool broadcast) {
  std::vector<u8> f(42 + payload.size(), 0);
  if (broadcast)
    std::memset(f.data(), 0xff, 6);
  else
    std::memcpy(f.data(), mac_.b, 6);
  std::memcpy(f.data() + 6, server_mac_, 6);
  set16(f, 12, 0x0800);
  f[14] = 0x45;
  set16(f, 16, static_cast<u16>(28 + payload.size()));
  f[22] = 64;
  f[23] = 17;
  set32(f, 26, server_ip_);
  set32(f, 30, dst_ip);
  set16(f, 24, csum(f, 14, 20, 0));
  set16(f, 34, sport);
  set16(f, 36, dport);
  set16(f, 38, static_cast<u16>(8 + payload.size()));
  std::memcpy(f.data() + 42, payload.data(), payload.size());
  u32 pseudo = (server_ip_ >> 16) + (server_ip_ & 0xffff) + (dst_ip >> 16) + (dst_ip & 0xffff) +
               17 + 8 + static_cast<u32>(payload.size());
  u16 c = csum(f, 34, 8 + payload.size(), pseudo);
  set16(f, 40, c == 0 ? 0xffff : c);
  rx_.push_back(std::move(f));
}

void SimNetwork::on_udp(const u8* ip, u32 len) {
  if (len < 28 || ip[9] != 17) return;
  const u8* udp = ip + (ip[0] & 15) * 4;
  const u16 sport = get16(udp), dport = get16(udp + 2);
  const u32 ulen = get16(udp + 4);
  const u8* p = udp + 8;
  const u32 plen = ulen - 8;
  if (dport == 67) return on_dhcp(p, plen);
  if (get32(ip + 16) != server_ip_) return;
  if (dport == 69 && get16(p) == 1) return on_tftp_request(p, plen, sport);
  if (dport == 53) return on_dns(p, plen, sport);
  if (dport == tid_ && sport == client_port_ && get16(p) == 4) return on_tftp_ack(get16(p + 2));
}

void SimNetwork::on_dhcp(const u8* p, u32 len) {
  ++dhcp_seen_;
  if (!cfg_.dhcp || len < 240) return;
  u8 type = 0;
  for (u32 i = 240; i + 1 < len && p[i] != 255;) {
    if (p[i] == 0) {
      ++i;
      continue;
    }
    if (p[i] == 53) type = p[i + 2];
    i += 2 + p[i + 1];
  }
  if (type != 1 && type != 3) return;
  std::vector<u8> r(240, 0);
  r[0] = 2, r[1] = 1, r[2] = 6;
  std::memcpy(r.data() + 4, p + 4, 4);  // xid
  set32(r, 16, client_ip_);
  set32(r, 20, cfg_.siaddr);
  std::memcpy(r.data() + 28, p + 28, 16);
  if (!cfg_.bootfile_in_option)
    std::memcpy(r.data() + 108, cfg_.bootfile.data(), std::min<size_t>(cfg_.bootfile.size(), 127));
  set32(r, 236, 0x63825363);
  auto opt = [&](u8 code, const std::vector<u8>& v) {
    r.push_back(code);
    r.push_back(static_cast<u8>(v.size()));
    r.insert(r.end(), v.begin(), v.end());
  };
  opt(53, {static_cast<u8>(type == 1 ? 2 : 5)});
  opt(1, {255, 255, 255, 0});
  opt(3, {10, 0, 2, 2});
  opt(54, {10, 0, 2, 2});
  if (cfg_.bootfile_in_option) opt(67, std::vector<u8>(cfg_.bootfile.begin(), cfg_.bootfile.end()));
  if (!cfg_.option66.empty()) opt(66, std::vector<u8>(cfg_.option66.begin(), cfg_.option66.end()));
  if (!cfg_.option6.empty()) {
    std::vector<u8> v;
    for (u32 a : cfg_.option6)
      for (int sh = 24; sh >= 0; sh -= 8) v.push_back(static_cast<u8>(a >> sh));
    opt(6, v);
  }
  r.push_back(255);
  reply_udp(67, 68, 0xffffffff, r, true);
}

// A query: header, one question of plain labels, type, class. The answer
// repeats the question and points back to it (0xc00c) from its records.
void SimNetwork::on_dns(const u8* p, u32 len, u16 port) {
  ++dns_seen_;
  if (cfg_.dns_silent || len < 17) return;
  std::string name;
  u32 i = 12;
  while (i < len && p[i] != 0 && i + 1 + p[i] <= len) {
    if (!name.empty()) name.push_back('.');
    name.append(reinterpret_cast<const char*>(p + i + 1), p[i]);
    i += 1 + p[i];
  }
  const u32 qend = i + 5;  // the zero byte, type, class
  if (qend > len) return;
  std::vector<u8> r(p, p + qend);
  const auto known = cfg_.dns.find(name);
  r[2] = 0x81, r[3] = known == cfg_.dns.end() ? 0x83 : 0x80;  // response, RD, RA; NXDOMAIN
  r[6] = 0, r[7] = 0;
  auto rec = [&](std::vector<u8> owner, u16 type, const std::vector<u8>& data) {
    r.insert(r.end(), owner.begin(), owner.end());
    for (u16 v : {type, u16{1}, u16{0}, u16{300}, static_cast<u16>(data.size())})
      r.push_back(static_cast<u8>(v >> 8)), r.push_back(static_cast<u8>(v));
    r.insert(r.end(), data.begin(), data.end());
    ++r[7];
  };
  if (known != cfg_.dns.end()) {
    const u32 a = known->second;
    const std::vector<u8> addr = {static_cast<u8>(a >> 24), static_cast<u8>(a >> 16),
                                  static_cast<u8>(a >> 8), static_cast<u8>(a)};
    if (cfg_.dns_cname) {
      const u16 alias_at = static_cast<u16>(r.size() + 12);  // the CNAME's data
      rec({0xc0, 0x0c}, 5, {5, 'a', 'l', 'i', 'a', 's', 3, 's', 'i', 'm', 0});
      rec({static_cast<u8>(0xc0 | alias_at >> 8), static_cast<u8>(alias_at)}, 1, addr);
    } else {
      rec({0xc0, 0x0c}, 1, addr);
    }
  }
  reply_udp(53, port, client_ip_, r, false);
}

void SimNetwork::on_tftp_request(const u8* p, u32 len, u16 port) {
  std::vector<std::string> parts;
  std::string cur;
  for (u32 i = 2; i < len; ++i) {
    if (p[i] == 0)
      parts.push_back(cur), cur.clear();
    else
      cur.push_back(static_cast<char>(p[i]));
  }
  if (parts.size() < 2) return;
  requested_.push_back(parts[0]);
  rrq_options.clear();
  client_port_ = port;
  ++tid_;
  dropped_.clear();
  auto error = [&](u16 code, const std::string& text) {
    std::vector<u8> e;
    push16(e, 5);
    push16(e, code);
    push_str(e, text);
    reply_udp(tid_, port, client_ip_, e, false);
  };
  if (cfg_.error_for_all) return error(cfg_.error_for_all, "refused by test");
  auto it = cfg_.files.find(parts[0]);
  if (it == cfg_.files.end()) return error(1, "File not found");
  file_ = it->second;
  blksize_ = 512;
  window_ = 1;
  std::vector<u8> oack;
  push16(oack, 6);
  for (size_t i = 2; i + 1 < parts.size(); i += 2) {
    rrq_options.push_back(parts[i] + "=" + parts[i + 1]);
    const std::string& n = parts[i];
    const u32 v = static_cast<u32>(std::stoul(parts[i + 1]));
    if (n == "blksize" && cfg_.max_blksize) {
      blksize_ = std::min(v, cfg_.max_blksize);
      push_str(oack, n);
      push_str(oack, std::to_string(blksize_));
    } else if (n == "tsize" && cfg_.tsize) {
      push_str(oack, n);
      push_str(oack, std::to_string(file_.size()));
    } else if (n == "windowsize" && cfg_.max_windowsize) {
      window_ = std::min(v, cfg_.max_windowsize);
      push_str(oack, n);
      push_str(oack, std::to_string(window_));
    }
  }
  if (cfg_.bad_oack) {
    push_str(oack, "color");
    push_str(oack, "7");
  }
  if (oack.size() > 2)
    reply_udp(tid_, port, client_ip_, oack, false);
  else
    on_tftp_ack(0);
}

void SimNetwork::on_tftp_ack(u16 block) {
  // Send the window after `block` (16-bit numbers; files here stay below 65535 blocks).
  const u32 blocks = static_cast<u32>(file_.size() / blksize_ + 1);
  for (u32 b = block + 1u; b <= blocks && b <= block + window_; ++b) send_data(b);
}

void SimNetwork::send_data(u32 block) {
  if (cfg_.stop_after && data_sent_ >= cfg_.stop_after) return;
  ++data_sent_;
  if (cfg_.drop_data_every && data_sent_ % cfg_.drop_data_every == 0 && !dropped_[block]) {
    dropped_[block] = true;
    return;
  }
  const size_t from = size_t{block - 1} * blksize_;
  const size_t n = std::min<size_t>(blksize_, file_.size() - from);
  std::vector<u8> d;
  push16(d, 3);
  push16(d, static_cast<u16>(block));
  d.insert(d.end(), file_.begin() + static_cast<long>(from),
           file_.begin() + static_cast<long>(from + n));
  reply_udp(tid_, client_port_, client_ip_, d, false);
  if (cfg_.duplicate_data) reply_udp(tid_, client_port_, client_ip_, d, false);
}

}  // namespace ccwboot::testing
