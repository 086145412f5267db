// Fixed-width integer names used across ccwboot, without the hosted library.
#pragma once

namespace ccwboot {

using u8 = unsigned char;
using u16 = unsigned short;
using u32 = unsigned int;
using u64 = unsigned long long;
using i32 = int;
using i64 = long long;
using usize = decltype(sizeof(0));

static_assert(sizeof(u16) == 2 && sizeof(u32) == 4 && sizeof(u64) == 8);

}  // namespace ccwboot
