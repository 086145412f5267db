// TFTP client (RFC 1350) with option negotiation (RFC 2347): blksize (RFC
// 2348), tsize (RFC 2349) and windowsize (RFC 7440). Portable.
//
// Bounded: every wait ends at a timeout that doubles per retry (at most
// kMaxRetries in a row), the whole transfer at a total deadline, and the
// destination (a TftpSink) checks every byte's place before it is stored.
// Error packets from the server end the transfer with their name.
#pragma once

#include "ccwboot/net/stack.h"
#include "ccwboot/wait_codes.h"

namespace ccwboot::net {

inline constexpr u16 kTftpPort = 69;
inline constexpr u32 kTftpMaxName = 128;
// Largest block whose DATA packet fits an Ethernet frame unfragmented.
inline constexpr u32 kTftpMaxBlksize = kMaxUdpPayload - 4;  // 1468
inline constexpr u32 kTftpMaxRetries = 5;

namespace tftp_op {
inline constexpr u16 kRrq = 1, kData = 3, kAck = 4, kError = 5, kOack = 6;
}

// Where downloaded bytes go. Both calls return kNone or the code that stops
// the transfer (the data does not fit, or would overwrite something).
class TftpSink {
 public:
  // The size announced by tsize (called at most once, before any data).
  virtual WaitCode expect(u64 total) = 0;
  virtual WaitCode write(u64 offset, const u8* data, u32 len) = 0;

 protected:
  ~TftpSink() = default;
};

struct TftpOptions {
  u32 blksize = kTftpMaxBlksize;  // asked for; the server may answer less
  u32 windowsize = 16;            // asked for; 1 = lock-step
  bool tsize = true;
};

struct TftpPacket {
  u16 op = 0;
  u16 block = 0;             // DATA, ACK
  const u8* data = nullptr;  // DATA payload, OACK option bytes
  u32 len = 0;
  u16 error = 0;          // ERROR code
  char message[64] = {};  // ERROR text, NUL-terminated, bounded
};

struct TftpNegotiated {
  u32 blksize = 512;
  u32 windowsize = 1;
  u64 tsize = 0;
  bool has_tsize = false;
};

struct TftpStats {
  u64 bytes = 0;
  u32 blksize = 0;
  u32 windowsize = 0;
  u32 retries = 0;
  u64 micros = 0;
};

// Read request for `file` in octet mode with the options. 0 if it does not fit `cap`.
u32 tftp_build_rrq(u8* out, u32 cap, const char* file, const TftpOptions& opt);
// Decodes opcode and fields; false for a truncated or unknown packet.
bool tftp_parse(const u8* p, u32 len, TftpPacket* out);
// An OACK's options: only those asked for, with values in range (blksize
// 8..asked, windowsize 1..asked, tsize < 2^40). False otherwise (RFC 2347
// says the client then refuses with error 8).
bool tftp_parse_oack(const u8* p, u32 len, const TftpOptions& asked, TftpNegotiated* out);
// RFC 1350 / 2347 names of error codes 0-8 ("file not found", ...).
const char* tftp_error_name(u16 code);

// Downloads `file` from `server` into `sink`. `port` is our local port (use a
// new one per transfer so late packets of an earlier one are not taken).
WaitCode tftp_get(Stack& stack, u32 server, u16 port, const char* file, const TftpOptions& opt,
                  TftpSink& sink, TftpStats* stats);

}  // namespace ccwboot::net
