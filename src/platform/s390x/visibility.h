// Force-included into every platform source (see CMakeLists.txt): all symbols
// are local to the image, so the compiler addresses them PC-relative (LARL)
// instead of through a GOT that the image has no use for.
#pragma GCC visibility push(hidden)
