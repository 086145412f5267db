// memcpy and memset as MOVE LONG EXTENDED: one instruction for the whole
// range, which QEMU's TCG carries out in the host, where a byte loop costs a
// few guest instructions per byte. Network boot copies every TFTP block once
// into guest memory (about 6 MB for a Debian kernel and initrd).
#include "ccwboot/mem.h"

using ccwboot::u64;
using ccwboot::usize;

extern "C" {

void* memcpy(void* dst, const void* src, usize n) {
  register u64 d asm("2") = reinterpret_cast<u64>(dst);
  register u64 dn asm("3") = n;
  register u64 s asm("4") = reinterpret_cast<u64>(src);
  register u64 sn asm("5") = n;
  // cc 3: the CPU stopped part way (it may, for long operands); go on.
  asm volatile("0: mvcle %[d],%[s],0\n\tjo 0b"
               : [d] "+d"(d), "+d"(dn), [s] "+d"(s), "+d"(sn)
               :
               : "cc", "memory");
  return dst;
}

void* memset(void* dst, int c, usize n) {
  register u64 d asm("2") = reinterpret_cast<u64>(dst);
  register u64 dn asm("3") = n;
  register u64 s asm("4") = 0;
  register u64 sn asm("5") = 0;  // no source: every byte is the pad byte
  // The pad byte is the low byte of the second-operand address.
  asm volatile("0: mvcle %[d],%[s],0(%[c])\n\tjo 0b"
               : [d] "+d"(d), "+d"(dn), [s] "+d"(s), "+d"(sn)
               : [c] "a"(static_cast<u64>(static_cast<unsigned char>(c)))
               : "cc", "memory");
  return dst;
}

}  // extern "C"
