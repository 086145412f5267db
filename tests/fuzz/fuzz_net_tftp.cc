// Fuzz target: a whole TFTP download (tftp_get) against a hostile server. The
// input is the server's side of the conversation: a sequence of datagrams
// [flags u8][length u16 BE][payload], each delivered from 10.0.2.2 to the
// client's current port once the client has sent something (flags bit 0:
// from the well-known port 69 instead of the transfer's port 1000, bit 1:
// from a stranger's address). ARP requests are answered. When the input runs
// out the server is silent and the client must give up on its own.
//
// Invariants (abort on violation):
//  - no read outside the input or a datagram (ASan);
//  - every byte written to guest memory lies inside storage (1 MiB) and
//    outside the reserved range [0x80000, 0x90000), whose pattern survives;
//  - the transfer ends (bounded polls on a virtual clock: timeouts and the
//    retry limit must end it) with kNone or a network/load wait code;
//  - on success the negotiated block size and window are within what was
//    asked, and the byte count is what was written contiguously from 0.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "ccwboot/net/netboot.h"
#include "ccwboot/net/tftp.h"
#include "fuzz_check.h"
#include "host_log.h"

using namespace ccwboot;
using namespace ccwboot::net;

namespace {

constexpr u32 kServer = 0x0a000202, kClient = 0x0a00020f;
constexpr u64 kMemory = 1 << 20;
constexpr u64 kResStart = 0x80000, kResEnd = 0x90000;
const Mac kServerMac{{0x52, 0x55, 0x0a, 0x00, 0x02, 0x02}};

// One buffer for all runs (a fresh megabyte per input would dominate the
// time); each run clears what the previous one wrote.
class CheckedMemory final : public GuestMemory {
 public:
  CheckedMemory() : bytes(kMemory, 0) {
    std::memset(bytes.data() + kResStart, 0xee, kResEnd - kResStart);
  }
  void reset() {
    std::memset(bytes.data(), 0, highest < kResStart ? highest : kResStart);
    if (highest > kResEnd) std::memset(bytes.data() + kResEnd, 0, highest - kResEnd);
    highest = 0;
  }
  bool read(u64 addr, void* dst, u32 len) override {
    if (addr > kMemory || len > kMemory - addr) return false;
    std::memcpy(dst, bytes.data() + addr, len);
    return true;
  }
  bool write(u64 addr, const void* src, u32 len) override {
    FUZZ_CHECK(addr <= kMemory && len <= kMemory - addr, "write %u at %llx beyond storage", len,
               static_cast<unsigned long long>(addr));
    FUZZ_CHECK(len == 0 || addr + len <= kResStart || addr >= kResEnd,
               "write %u at %llx into the reserved range", len,
               static_cast<unsigned long long>(addr));
    std::memcpy(bytes.data() + addr, src, len);
    highest = addr + len > highest ? addr + len : highest;
    return true;
  }
  u64 size() const override { return kMemory; }
  std::vector<u8> bytes;
  u64 highest = 0;
};

class ScriptLink final : public NetLink {
 public:
  ScriptLink(const u8* data, size_t size) : data_(data), size_(size) {}

  bool send(const u8* f, u32 len) override {
    ArpView a;
    if (parse_arp(f, len, &a) && a.op == 1) {
      arp_.resize(64);
      build_arp(arp_.data(), 2, kServerMac, a.target_ip, a.sender_mac, a.sender_ip);
      return true;
    }
    UdpView u;
    if (parse_udp(f, len, &u)) client_port_ = u.src_port;
    return true;
  }

  const u8* receive(u32* len) override {
    FUZZ_CHECK(++polls_ < 2'000'000, "the client polls without end");
    if (!arp_.empty()) {
      frame_ = arp_;
      arp_.clear();
      *len = 60;
      return frame_.data();
    }
    if (client_port_ == 0 || pos_ + 3 > size_) {
      clock_ += 500'000;  // silence: time passes quickly
      return nullptr;
    }
    clock_ += 100;
    const u8 flags = data_[pos_];
    u32 n = (u32{data_[pos_ + 1]} << 8) | data_[pos_ + 2];
    pos_ += 3;
    if (n > size_ - pos_) n = static_cast<u32>(size_ - pos_);
    if (n > kMaxUdpPayload) n = kMaxUdpPayload;
    frame_.assign(kMaxFrame, 0);
    std::memcpy(frame_.data() + kUdpPayload, data_ + pos_, n);
    pos_ += n;
    const u16 port = (flags & 1) ? 69 : 1000;
    const u32 src = (flags & 2) ? 0x0a000203 : kServer;
    *len = build_udp(frame_.data(), kServerMac, mac_, src, kClient, port, client_port_, n);
    return frame_.data();
  }
  u64 now_us() override { return clock_; }
  const Mac& mac() const override { return mac_; }

 private:
  const u8* data_;
  size_t size_;
  size_t pos_ = 0;
  u16 client_port_ = 0;
  u64 clock_ = 0;
  u64 polls_ = 0;
  Mac mac_{{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}};
  std::vector<u8> arp_, frame_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool verbose = std::getenv("FUZZ_NET_VERBOSE") != nullptr;
  ccwboot::testing::set_log_echo(verbose);
  ccwboot::testing::clear_log();  // the host log buffer would grow without end
  ScriptLink link(data, size);
  Stack stack(link);
  stack.config().ip = kClient;
  static CheckedMemory mem;
  mem.reset();
  zipl::LoadLimits limits;
  limits.reserved.add(kResStart, kResEnd, "firmware");
  GuestSink sink(mem, limits, 0);
  TftpOptions opt;
  opt.windowsize = 4;
  TftpStats st;
  const WaitCode rc = tftp_get(stack, kServer, 0xc000, "vmlinuz", opt, sink, &st);
  const u16 code = static_cast<u16>(rc);
  if (verbose)
    std::fprintf(stderr, "tftp_get: %04x, %llu bytes\n", code,
                 static_cast<unsigned long long>(st.bytes));
  FUZZ_CHECK(rc == WaitCode::kNone || (code >= 0x0601 && code <= 0x060e), "ended with %04x", code);
  for (u64 a = kResStart; a < kResEnd; a += 64)
    FUZZ_CHECK(mem.bytes[a] == 0xee, "reserved byte %llx changed",
               static_cast<unsigned long long>(a));
  if (rc == WaitCode::kNone) {
    FUZZ_CHECK(st.blksize >= 8 && st.blksize <= opt.blksize, "block size %u", st.blksize);
    FUZZ_CHECK(st.windowsize >= 1 && st.windowsize <= opt.windowsize, "window %u", st.windowsize);
    FUZZ_CHECK(st.bytes == mem.highest || (st.bytes == 0 && mem.highest == 0),
               "%llu bytes reported, %llu written", static_cast<unsigned long long>(st.bytes),
               static_cast<unsigned long long>(mem.highest));
  }
  return 0;
}
