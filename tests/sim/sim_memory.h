// Host stand-in for absolute storage: a zero-filled byte vector behind the
// GuestMemory interface, with raw access for tests and a record of writes.
//
// Writes come from two sources: the CPU side (GuestMemory::write, i.e. the
// portable core building CCWs or the test itself) and the channel
// (channel_write, used only by SimChannel for data transfers). Watched ranges
// catch channel writes into memory the firmware reserves (an invariant the
// fuzzers check too): every channel write overlapping a watch is logged, and an
// optional hook is called at once.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "ccwboot/guest_memory.h"
#include "ccwboot/types.h"

namespace ccwboot::sim {

struct WatchHit {
  u64 addr;         // start of the channel write
  u32 len;          // its length
  u64 watch_start;  // the watched range it overlapped
  u64 watch_end;
};

class SimMemory final : public GuestMemory {
 public:
  static constexpr u64 kDefaultSize = 16ull << 20;  // 16 MiB: the format-0 reach

  explicit SimMemory(u64 size = kDefaultSize);

  // GuestMemory (CPU-side accesses; not checked against watches).
  bool read(u64 addr, void* dst, u32 len) override;
  bool write(u64 addr, const void* src, u32 len) override;
  u64 size() const override { return bytes_.size(); }

  // Channel data transfer into storage: like write(), plus watch checks.
  bool channel_write(u64 addr, const void* src, u32 len);
  bool contains(u64 addr, u64 len) const { return addr <= size() && len <= size() - addr; }

  // Raw access for tests (no bounds check beyond the vector's).
  u8* data() { return bytes_.data(); }
  const u8* data() const { return bytes_.data(); }
  std::span<u8> bytes() { return bytes_; }
  std::span<const u8> bytes() const { return bytes_; }
  u32 load32(u64 addr) const;  // big-endian; 0 if out of range
  u64 load64(u64 addr) const;
  void store32(u64 addr, u32 v);
  void store64(u64 addr, u64 v);
  // Zero everything (keeps watches, clears hits).
  void clear();

  // Watches on [start, end). Any channel write overlapping one is logged.
  void watch(u64 start, u64 end);
  void clear_watches();
  const std::vector<WatchHit>& watch_hits() const { return hits_; }
  void clear_watch_hits() { hits_.clear(); }
  // Called for each hit as it happens (e.g. a fuzzer's abort()).
  void set_watch_hook(std::function<void(const WatchHit&)> hook) { hook_ = std::move(hook); }

  // Total bytes written by the channel since construction / clear().
  u64 channel_bytes_written() const { return channel_bytes_; }

 private:
  std::vector<u8> bytes_;
  struct Range {
    u64 start, end;
  };
  std::vector<Range> watches_;
  std::vector<WatchHit> hits_;
  std::function<void(const WatchHit&)> hook_;
  u64 channel_bytes_ = 0;
};

}  // namespace ccwboot::sim
