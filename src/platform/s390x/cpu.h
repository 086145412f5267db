// Privileged instructions the platform layer issues, as inline functions.
// Internal to src/platform/s390x.
#pragma once

#include "ccwboot/types.h"

namespace ccwboot::cpu {

// Condition code of the last instruction, through IPM.
#define CCWBOOT_IPM_CC(cc) "ipm %[" #cc "]\n\tsrl %[" #cc "],28\n"

inline int stsch(u32 schid, void* schib) {
  register u64 r1 asm("1") = schid;
  int cc;
  asm volatile("stsch 0(%[a])\n\t" CCWBOOT_IPM_CC(cc)
               : [cc] "=d"(cc)
               : "d"(r1), [a] "a"(schib)
               : "cc", "memory");
  return cc;
}

inline int msch(u32 schid, const void* schib) {
  register u64 r1 asm("1") = schid;
  int cc;
  asm volatile("msch 0(%[a])\n\t" CCWBOOT_IPM_CC(cc)
               : [cc] "=d"(cc)
               : "d"(r1), [a] "a"(schib)
               : "cc", "memory");
  return cc;
}

inline int ssch(u32 schid, const void* orb) {
  register u64 r1 asm("1") = schid;
  int cc;
  asm volatile("ssch 0(%[a])\n\t" CCWBOOT_IPM_CC(cc)
               : [cc] "=d"(cc)
               : "d"(r1), [a] "a"(orb)
               : "cc", "memory");
  return cc;
}

inline int tsch(u32 schid, void* irb) {
  register u64 r1 asm("1") = schid;
  int cc;
  asm volatile("tsch 0(%[a])\n\t" CCWBOOT_IPM_CC(cc)
               : [cc] "=d"(cc)
               : "d"(r1), [a] "a"(irb)
               : "cc", "memory");
  return cc;
}

inline int csch(u32 schid) {
  register u64 r1 asm("1") = schid;
  int cc;
  asm volatile("csch\n\t" CCWBOOT_IPM_CC(cc) : [cc] "=d"(cc) : "d"(r1) : "cc", "memory");
  return cc;
}

// CHSC (channel-subsystem call) on a 4 KiB request/response area.
inline int chsc(void* area) {
  int cc;
  asm volatile(".insn rre,0xb25f0000,%[a],0\n\t" CCWBOOT_IPM_CC(cc)
               : [cc] "=d"(cc)
               : [a] "d"(area)
               : "cc", "memory");
  return cc;
}

// SERVICE CALL (SCLP). Returns the condition code (2 = busy, 3 = not operational).
inline int servc(u32 command, void* sccb) {
  int cc;
  asm volatile(".insn rre,0xb2200000,%[cmd],%[sccb]\n\t" CCWBOOT_IPM_CC(cc)
               : [cc] "=d"(cc)
               : [cmd] "d"(u64{command}), [sccb] "a"(sccb)
               : "cc", "memory");
  return cc;
}

// STORE SYSTEM INFORMATION. r0: function code (bits 32-35) and selector 1
// (bits 56-63); r1: selector 2; a 4 KiB-aligned SYSIB. Function code 0 stores
// nothing and returns the current configuration level in r0's bits 32-35.
inline int stsi(void* sysib, u64* r0_inout, u64 selector2) {
  register u64 r0 asm("0") = *r0_inout;
  register u64 r1 asm("1") = selector2;
  int cc;
  asm volatile("stsi 0(%[a])\n\t" CCWBOOT_IPM_CC(cc)
               : [cc] "=d"(cc), "+d"(r0)
               : "d"(r1), [a] "a"(sysib)
               : "cc", "memory");
  *r0_inout = r0;
  return cc;
}

inline u64 stctg0() {
  u64 v;
  asm volatile("stctg 0,0,%0" : "=Q"(v));
  return v;
}
inline void lctlg0(u64 v) { asm volatile("lctlg 0,0,%0" : : "Q"(v) : "memory"); }

inline u32 stpx() {
  u32 v;
  asm volatile("stpx %0" : "=Q"(v));
  return v;
}
inline void spx(u32 v) { asm volatile("spx %0" : : "Q"(v) : "memory"); }

// SET CPU TIMER (TOD-clock units: bit 51 = 1 microsecond).
inline void spt(u64 v) { asm volatile("spt %0" : : "Q"(v) : "memory"); }

// TOD clock; bit 51 ticks once per microsecond.
inline u64 stck() {
  u64 v;
  asm volatile("stck %0" : "=Q"(v) : : "cc");
  return v;
}
inline u64 tod_ms(u64 ms) { return ms * 1000 << 12; }

// A pointer to real address `addr` that the compiler cannot see as null
// (real 0 is the lowcore, not a null pointer).
inline u8* real_ptr(u64 addr) {
  u8* p;
  asm("lgr %0,%1" : "=d"(p) : "d"(addr));
  return p;
}

#undef CCWBOOT_IPM_CC
}  // namespace ccwboot::cpu

namespace ccwboot {
// diag 308 subcode 6 into `page` (4 KiB aligned): response code (0x0001
// stored, 0x0102 none), or -1 when diag 308 program-checks (Hercules 3.13).
// Remembers the answer for the handoff (handoff.cc).
long diag308_store_ipl_parameters(u8* page);
}  // namespace ccwboot

extern "C" {
void wait_for_external_interrupt();
void program_check_entry();
void handoff_diag308_load_normal();
[[noreturn]] void handoff_esa390_lpsw();
void handoff_trampoline();
extern ccwboot::u64 handoff_saved_psw;
extern ccwboot::u8 ccwboot_self_relocated;  // set by start.S
extern char __image_start[], __image_end[], __bss_start[], __bss_end[];
extern char __file_end[];
}

extern "C" long ccwboot_try(long (*fn)(void*), void* arg);

// DIAGNOSE 308 with `r1_value` in an even register and `subcode` in the odd
// one after it (R1, R1+1). Returns the odd register afterwards (the response
// code), or -1 when the instruction program-checks (Hercules 3.13 has no
// diag 308): ccwboot_try catches that.
inline long diag308_try(ccwboot::u64 r1_value, ccwboot::u64 subcode) {
  struct Operands {
    ccwboot::u64 r1, subcode;
  } ops{r1_value, subcode};
  return ccwboot_try(
      [](void* p) -> long {
        const auto* o = static_cast<const Operands*>(p);
        register ccwboot::u64 even asm("4") = o->r1;
        register ccwboot::u64 odd asm("5") = o->subcode;
        asm volatile("diag %[even],%[odd],0x308"
                     : [odd] "+d"(odd)
                     : [even] "d"(even)
                     : "cc", "memory");
        return static_cast<long>(odd);
      },
      &ops);
}
