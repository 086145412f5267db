// Minimal ESA/390 interpreter for the payload programs (see payload_cpu.h).
#include "payload_cpu.h"

#include <cstdio>

namespace ccwboot::sim {
namespace {

constexpr u32 kAddrMask31 = 0x7FFFFFFF;
constexpr u32 kAddrMask24 = 0x00FFFFFF;
constexpr u64 kWaitBit = 0x0002000000000000ull;
constexpr u64 kEsaBit = 0x0008000000000000ull;

std::string hex(u64 v) {
  char b[24];
  std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
  return b;
}

}  // namespace

PayloadRun run_payload(SimMemory& mem, u64 psw, u64 max_steps) {
  PayloadRun out;
  out.psw = psw;
  u32 r[16] = {};
  u32 cc = 0;
  // The addressing mode of the current PSW: 31-bit, or 24-bit (bit 32 off,
  // as many IPL PSWs are; then the address must fit in 24 bits).
  u32 amask = kAddrMask31;
  auto load_psw = [&](u64 p) -> bool {
    out.psw = p;
    const bool am31 = p & 0x80000000ull;
    if (!(p & kEsaBit) || (!am31 && (p & 0x7F000000ull))) {
      out.error = "PSW " + hex(p) + " is not a valid ESA/390 PSW";
      return false;
    }
    amask = am31 ? kAddrMask31 : kAddrMask24;
    return true;
  };
  if (!load_psw(psw)) return out;
  if (psw & kWaitBit) {
    out.waited = true;
    return out;
  }
  u32 ia = static_cast<u32>(psw) & amask;
  for (; out.steps < max_steps; ++out.steps) {
    u8 op[4] = {};
    if (!mem.read(ia, op, 2)) {
      out.error = "instruction address " + hex(ia) + " outside storage";
      return out;
    }
    u32 len = op[0] < 0x40 ? 2 : 4;
    if (len == 4 && !mem.read(ia, op, 4)) {
      out.error = "instruction at " + hex(ia) + " runs outside storage";
      return out;
    }
    u32 r1 = op[1] >> 4, r2 = op[1] & 15;  // RR: r1,r2; RX: r1,x2
    u32 b2 = op[2] >> 4, d2 = ((op[2] & 15u) << 8) | op[3];
    u32 ea = (d2 + (r2 ? r[r2] : 0) + (b2 ? r[b2] : 0)) & amask;  // RX address
    u32 next = (ia + len) & amask;
    switch (op[0]) {
      case 0x0D:  // BASR: the mode bit in 31-bit mode, zeros above the address in 24-bit
        r[r1] = amask == kAddrMask31 ? 0x80000000u | next : next;
        if (r2) next = r[r2] & amask;
        break;
      case 0x1B:
        r[r1] -= r[r2];
        cc = r[r1] == 0 ? 0 : (static_cast<i32>(r[r1]) < 0 ? 1 : 2);
        break;
      case 0x1A:
        r[r1] += r[r2];
        cc = r[r1] == 0 ? 0 : (static_cast<i32>(r[r1]) < 0 ? 1 : 2);
        break;
      // LA: zeros above the address in either mode (ea is masked).
      case 0x41: r[r1] = ea; break;
      case 0x43: {  // IC
        u8 b;
        if (!mem.read(ea, &b, 1)) {
          out.error = "IC operand " + hex(ea) + " outside storage";
          return out;
        }
        r[r1] = (r[r1] & 0xFFFFFF00u) | b;
        break;
      }
      case 0x58:
      case 0x59: {
        if (!mem.contains(ea, 4)) {
          out.error = "operand " + hex(ea) + " outside storage";
          return out;
        }
        u32 v = mem.load32(ea);
        if (op[0] == 0x58) {
          r[r1] = v;
        } else {
          i32 a = static_cast<i32>(r[r1]), b = static_cast<i32>(v);
          cc = a == b ? 0 : (a < b ? 1 : 2);
        }
        break;
      }
      case 0x46:  // BCT
        if (--r[r1] != 0) next = ea;
        break;
      case 0x47:  // BC
        if ((r1 >> (3 - cc)) & 1) next = ea;
        break;
      case 0x82: {  // LPSW (S format: base b2, displacement d2)
        u32 a = ((b2 ? r[b2] : 0) + d2) & amask;
        if ((a & 7) || !mem.contains(a, 8)) {
          out.error = "LPSW operand " + hex(a) + " unaligned or outside storage";
          return out;
        }
        u64 p = mem.load64(a);
        if (!load_psw(p)) return out;
        if (p & kWaitBit) {
          out.waited = true;
          return out;
        }
        next = static_cast<u32>(p) & amask;
        break;
      }
      default:
        out.error = "opcode " + hex(op[0]) + " at " + hex(ia) + " is not interpreted";
        return out;
    }
    ia = next;
  }
  out.error = "step bound reached";
  return out;
}

}  // namespace ccwboot::sim
