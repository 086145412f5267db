// SCLP requests: SERVC on a page-aligned SCCB and a wait for the service signal.
#include "sclp.h"

#include "ccwboot/arch/lowcore.h"
#include "ccwboot/endian.h"
#include "ccwboot/mem.h"
#include "cpu.h"

namespace ccwboot::sclp {
namespace {

alignas(4096) u8 g_sccb[kSccbSize];

// CR0 bit 54: service-signal subclass mask; bit 53: CPU-timer subclass mask.
constexpr u64 kCr0ServiceSignal = 0x200;
constexpr u64 kCr0CpuTimer = 0x400;
// An SCLP that never answers must not hang the firmware: the CPU timer ends
// the wait. Generous, since a request normally completes in microseconds.
constexpr u64 kServiceSignalTimeoutMs = 5000;

// Returns false when the CPU timer ran out before the service signal.
bool wait_service_signal() {
  u64 cr0 = cpu::stctg0();
  cpu::spt(cpu::tod_ms(kServiceSignalTimeoutMs));
  cpu::lctlg0(cr0 | kCr0ServiceSignal | kCr0CpuTimer);
  bool signalled = false;
  // Other external interruptions stay masked in CR0; a bounded number of
  // spurious ones is tolerated.
  for (int i = 0; i < 16; ++i) {
    wait_for_external_interrupt();
    u16 code = be::load16(cpu::real_ptr(lowcore::kExtCode));
    if (code == lowcore::kExtServiceSignal) {
      signalled = true;
      break;
    }
    if (code == lowcore::kExtCpuTimer) break;
  }
  cpu::lctlg0(cr0);
  return signalled;
}

}  // namespace

u8* sccb() { return g_sccb; }

u16 call(u32 command) {
  // cc 2: SCLP busy with an earlier request; retry a bounded number of times.
  for (int attempt = 0; attempt < 1000; ++attempt) {
    int cc = cpu::servc(command, g_sccb);
    if (cc == 0) {
      if (!wait_service_signal()) return 0;
      return be::load16(g_sccb + 6);
    }
    if (cc != 2) return 0;
  }
  return 0;
}

u32 write_event_mask(u32 send_mask) {
  memset(g_sccb, 0, kSccbSize);
  // header(8) reserved(2) mask length(2) then four masks of that length:
  // cp receive, cp send, sclp receive, sclp send.
  constexpr u16 kLen = 8 + 4 + 4 * 4;
  be::store16(g_sccb, kLen);
  be::store16(g_sccb + 10, 4);
  be::store32(g_sccb + 12, 0);          // we receive nothing
  be::store32(g_sccb + 16, send_mask);  // we send these
  if (call(kCmdWriteEventMask) != kRespNormalCompletion) return 0;
  return be::load32(g_sccb + 20);  // what the SCLP can receive
}

ScpInfo read_scp_info() {
  ScpInfo info;
  const u32 cmds[] = {kCmdReadScpInfoForced, kCmdReadScpInfo};
  for (u32 cmd : cmds) {
    memset(g_sccb, 0, kSccbSize);
    be::store16(g_sccb, kSccbSize);
    u16 resp = call(cmd);
    if (resp != kRespNormalCompletion && resp != kRespInfoStored) continue;
    u64 increments = be::load16(g_sccb + 8);
    u64 incsize_mb = g_sccb[10];
    if (increments == 0) increments = be::load64(g_sccb + 0x68);
    if (incsize_mb == 0) incsize_mb = be::load32(g_sccb + 0x64);
    info.storage_bytes = increments * incsize_mb << 20;
    for (int i = 0; i < 8; ++i) info.loadparm[i] = g_sccb[0x18 + i];
    info.valid = true;
    break;
  }
  return info;
}

}  // namespace ccwboot::sclp
