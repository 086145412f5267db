// The C library's memory and string routines, declared once. The image
// defines them itself (src/lib/string.cc, memcpy and memset in
// src/platform/s390x/mem_long.cc: the compiler may emit calls to
// memcpy/memset/memmove/memcmp on its own); host builds use the C library's.
#pragma once

#include "ccwboot/types.h"

#if CCWBOOT_HOST
#include <string.h>
#else
extern "C" {
void* memcpy(void* dst, const void* src, ccwboot::usize n);
void* memmove(void* dst, const void* src, ccwboot::usize n);
void* memset(void* dst, int c, ccwboot::usize n);
int memcmp(const void* a, const void* b, ccwboot::usize n);
ccwboot::usize strlen(const char* s);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, ccwboot::usize n);
}
#endif
