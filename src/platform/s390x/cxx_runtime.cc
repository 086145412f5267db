// What the C++ language needs at run time in the image: static initialisers
// (walked here, QEMU runs none) and the pure-virtual trap.
#include "ccwboot/platform/panic.h"

extern "C" {
using InitFn = void (*)();
extern InitFn __init_array_start[], __init_array_end[];

void ccwboot_run_init_array() {
  for (InitFn* f = __init_array_start; f != __init_array_end; ++f) (*f)();
}

[[noreturn]] void __cxa_pure_virtual() {
  ccwboot::panic(ccwboot::WaitCode::kInternal, "pure virtual function called");
}
}

// Sized/unsized delete are referenced by virtual destructors even when no
// object is ever deleted; the image has no heap.
void operator delete(void*) noexcept { ccwboot::panic(ccwboot::WaitCode::kInternal, "delete"); }
void operator delete(void*, ccwboot::usize) noexcept {
  ccwboot::panic(ccwboot::WaitCode::kInternal, "delete");
}
