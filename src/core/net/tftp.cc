// TFTP client, see ccwboot/net/tftp.h.
#include "ccwboot/net/tftp.h"

#include "ccwboot/endian.h"
#include "ccwboot/format.h"
#include "ccwboot/log.h"

#define LOG_PREFIX "net: "

namespace ccwboot::net {
namespace {

constexpr u64 kFirstTimeoutUs = 500'000;
constexpr u64 kMaxTimeoutUs = 4'000'000;
constexpr u64 kMaxTsize = u64{1} << 40;
// Without a new block for this long the transfer is over, however many
// stray packets keep arriving.
constexpr u64 kNoProgressUs = 20'000'000;

bool name_is(const u8* p, u32 len, const char* s) {
  u32 i = 0;
  for (; s[i]; ++i) {
    if (i >= len) return false;
    u8 c = p[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<u8>(c + 32);
    if (c != static_cast<u8>(s[i])) return false;
  }
  return i == len;
}

// Decimal digits only, no sign, at most 19 of them.
bool parse_decimal(const u8* p, u32 len, u64* out) {
  if (len == 0 || len > 19) return false;
  u64 v = 0;
  for (u32 i = 0; i < len; ++i) {
    if (p[i] < '0' || p[i] > '9') return false;
    v = v * 10 + (p[i] - '0');
  }
  *out = v;
  return true;
}

u32 put(u8* out, u32 at, u32 cap, const char* s) {
  while (at < cap && *s) out[at++] = static_cast<u8>(*s++);
  if (at < cap)
    out[at++] = 0;
  else
    return cap + 1;
  return at;
}

}  // namespace

const char* tftp_error_name(u16 code) {
  static const char* const kNames[] = {
      "not defined",         "file not found",    "access violation",
      "disk full",           "illegal operation", "unknown transfer ID",
      "file already exists", "no such user",      "option negotiation refused"};
  return code < 9 ? kNames[code] : "unknown error code";
}

u32 tftp_build_rrq(u8* out, u32 cap, const char* file, const TftpOptions& opt) {
  if (cap < 2) return 0;
  be::store16(out, tftp_op::kRrq);
  char num[24];
  u32 at = put(out, 2, cap, file);
  at = put(out, at, cap, "octet");
  if (opt.blksize != 512) {
    format(num, sizeof num, "%u", opt.blksize);
    at = put(out, at, cap, "blksize");
    at = put(out, at, cap, num);
  }
  if (opt.tsize) {
    at = put(out, at, cap, "tsize");
    at = put(out, at, cap, "0");
  }
  if (opt.windowsize > 1) {
    format(num, sizeof num, "%u", opt.windowsize);
    at = put(out, at, cap, "windowsize");
    at = put(out, at, cap, num);
  }
  return at > cap ? 0 : at;
}

bool tftp_parse(const u8* p, u32 len, TftpPacket* out) {
  if (len < 2) return false;
  out->op = be::load16(p);
  switch (out->op) {
    case tftp_op::kData:
    case tftp_op::kAck:
      if (len < 4) return false;
      out->block = be::load16(p + 2);
      out->data = p + 4;
      out->len = len - 4;
      return true;
    case tftp_op::kOack:
      out->data = p + 2;
      out->len = len - 2;
      return true;
    case tftp_op::kError: {
      if (len < 4) return false;
      out->error = be::load16(p + 2);
      u32 n = 0;
      // The text is NUL-terminated by the RFC; a server that forgets it is
      // cut at the end of the datagram. Unprintable bytes become '?'.
      for (u32 i = 4; i < len && p[i] != 0 && n + 1 < sizeof out->message; ++i)
        out->message[n++] = (p[i] >= 0x20 && p[i] < 0x7f) ? static_cast<char>(p[i]) : '?';
      out->message[n] = 0;
      return true;
    }
    default: return false;
  }
}

bool tftp_parse_oack(const u8* p, u32 len, const TftpOptions& asked, TftpNegotiated* out) {
  *out = TftpNegotiated{};
  u32 i = 0;
  while (i < len) {
    u32 name = i;
    while (i < len && p[i] != 0) ++i;
    if (i >= len) return false;
    const u32 name_len = i - name;
    u32 value = ++i;
    while (i < len && p[i] != 0) ++i;
    if (i >= len) return false;
    u64 v = 0;
    if (!parse_decimal(p + value, i - value, &v)) return false;
    ++i;
    if (name_is(p + name, name_len, "blksize") && asked.blksize != 512) {
      if (v < 8 || v > asked.blksize) return false;
      out->blksize = static_cast<u32>(v);
    } else if (name_is(p + name, name_len, "windowsize") && asked.windowsize > 1) {
      if (v < 1 || v > asked.windowsize) return false;
      out->windowsize = static_cast<u32>(v);
    } else if (name_is(p + name, name_len, "tsize") && asked.tsize) {
      if (v >= kMaxTsize) return false;
      out->tsize = v;
      out->has_tsize = true;
    } else {
      return false;  // not asked for
    }
  }
  return true;
}

namespace {

class Transfer {
 public:
  Transfer(Stack& st, u32 server, u16 port, TftpSink& sink, TftpStats* stats)
      : st_(st), server_(server), port_(port), sink_(sink), stats_(stats) {}

  WaitCode run(const char* file, const TftpOptions& opt);

 private:
  bool send(u32 len) {
    return st_.send_udp(server_, port_, server_port_ ? server_port_ : kTftpPort, len, deadline());
  }
  u64 deadline() { return st_.link().now_us() + kMaxTimeoutUs; }
  bool ack(u16 block) {
    u8* p = st_.tx_payload();
    be::store16(p, tftp_op::kAck);
    be::store16(p + 2, block);
    return send(4);
  }
  void refuse(u16 code, const char* text) {
    u8* p = st_.tx_payload();
    be::store16(p, tftp_op::kError);
    be::store16(p + 2, code);
    u32 n = put(p, 4, 64, text);
    send(n);
  }

  Stack& st_;
  u32 server_;
  u16 port_;
  u16 server_port_ = 0;
  TftpSink& sink_;
  TftpStats* stats_;
};

WaitCode Transfer::run(const char* file, const TftpOptions& opt) {
  NetLink& link = st_.link();
  const u64 start = link.now_us();
  TftpNegotiated neg;
  u32 rrq_len = tftp_build_rrq(st_.tx_payload(), kMaxUdpPayload, file, opt);
  if (rrq_len == 0) return WaitCode::kNetTftpProtocol;
  if (!send(rrq_len)) return WaitCode::kNetArpTimeout;

  u64 offset = 0;
  u16 last = 0;       // last block received in order
  u32 in_window = 0;  // blocks since our last ACK
  bool gap_acked = false;
  u32 retries = 0;
  u64 timeout = kFirstTimeoutUs;
  u64 progress = start;
  for (;;) {
    if (link.now_us() - progress > kNoProgressUs) {
      LOG("TFTP %s: no progress for %llu s\n", file, kNoProgressUs / 1000000);
      return WaitCode::kNetTftpTimeout;
    }
    const UdpView* u = st_.wait_udp(port_, link.now_us() + timeout);
    if (u == nullptr) {
      if (++retries > kTftpMaxRetries) {
        LOG("TFTP %s: no answer from the server after %u tries\n", file, retries);
        return WaitCode::kNetTftpTimeout;
      }
      stats_->retries++;
      if (timeout < kMaxTimeoutUs) timeout *= 2;
      // Ask again: the request itself, or the ACK the server may have lost.
      if (server_port_ == 0) {
        rrq_len = tftp_build_rrq(st_.tx_payload(), kMaxUdpPayload, file, opt);
        send(rrq_len);
      } else {
        ack(last);
        in_window = 0;
      }
      continue;
    }
    if (u->src_ip != server_ || (server_port_ != 0 && u->src_port != server_port_)) continue;
    TftpPacket pk;
    if (!tftp_parse(u->payload, u->length, &pk)) continue;
    const u16 from = u->src_port;
    if (pk.op == tftp_op::kError) {
      LOG("TFTP %s: server error %u (%s)%s%s\n", file, pk.error, tftp_error_name(pk.error),
          pk.message[0] ? ": " : "", pk.message);
      return pk.error == 1 ? WaitCode::kNetTftpNotFound : WaitCode::kNetTftpError;
    }
    if (pk.op == tftp_op::kOack && server_port_ == 0) {
      server_port_ = from;
      if (!tftp_parse_oack(pk.data, pk.len, opt, &neg)) {
        refuse(8, "bad option");
        LOG("TFTP %s: the server's option acknowledgement is invalid\n", file);
        return WaitCode::kNetTftpProtocol;
      }
      if (neg.has_tsize) {
        if (WaitCode w = sink_.expect(neg.tsize); w != WaitCode::kNone) {
          refuse(3, "too large");
          return w;
        }
      }
      retries = 0;
      timeout = kFirstTimeoutUs;
      progress = link.now_us();
      ack(0);
      continue;
    }
    if (pk.op != tftp_op::kData) continue;
    if (server_port_ == 0) server_port_ = from;  // no OACK: RFC 1350 defaults
    if (pk.len > neg.blksize) {
      refuse(4, "block too long");
      LOG("TFTP %s: block %u has %u bytes (block size %u)\n", file, pk.block, pk.len, neg.blksize);
      return WaitCode::kNetTftpProtocol;
    }
    if (pk.block != static_cast<u16>(last + 1)) {
      // A block we have (a window the server sent again after a late ACK):
      // not acknowledged again, or the server sends its window once more and
      // brings more duplicates (RFC 1123's Sorcerer's Apprentice). A lost ACK
      // is repeated by our timeout.
      if (static_cast<u16>(last - pk.block) < 0x8000) continue;
      // A gap: say once where we are; the server resends from there.
      if (!gap_acked) ack(last);
      gap_acked = true;
      in_window = 0;
      continue;
    }
    if (WaitCode w = sink_.write(offset, pk.data, pk.len); w != WaitCode::kNone) {
      refuse(3, "does not fit");
      return w;
    }
    offset += pk.len;
    last = pk.block;
    gap_acked = false;
    progress = link.now_us();
    retries = 0;
    timeout = kFirstTimeoutUs;
    const bool final = pk.len < neg.blksize;
    if (final || ++in_window >= neg.windowsize) {
      ack(last);
      in_window = 0;
    }
    if (final) break;
  }
  if (neg.has_tsize && offset != neg.tsize) {
    LOG("TFTP %s: received %llu bytes, the server announced %llu\n", file, offset, neg.tsize);
    return WaitCode::kNetTftpProtocol;
  }
  stats_->bytes = offset;
  stats_->blksize = neg.blksize;
  stats_->windowsize = neg.windowsize;
  stats_->micros = link.now_us() - start;
  return WaitCode::kNone;
}

}  // namespace

WaitCode tftp_get(Stack& st, u32 server, u16 port, const char* file, const TftpOptions& opt,
                  TftpSink& sink, TftpStats* stats) {
  *stats = TftpStats{};
  Transfer t(st, server, port, sink, stats);
  return t.run(file, opt);
}

}  // namespace ccwboot::net
