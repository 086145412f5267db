// The short CCW flag and command names that hand-written channel programs in
// the tests use (Ccw0::make(READ, addr, CC | SLI, 80)), defined once here
// rather than again in each test file. Tests say `using namespace ccw_names;`.
#pragma once

#include "ccwboot/arch/ccw.h"

namespace ccwboot::ccw_names {

inline constexpr u8 CD = ccw_flag::kChainData;
inline constexpr u8 CC = ccw_flag::kChainCommand;
inline constexpr u8 SLI = ccw_flag::kSuppressLength;
inline constexpr u8 SKIP = ccw_flag::kSkip;
inline constexpr u8 IDA = ccw_flag::kIndirect;

inline constexpr u8 NOP = ccw_cmd::kNop;
inline constexpr u8 READ = ccw_cmd::kReadData;
inline constexpr u8 SEEK = ccw_cmd::kSeek;
inline constexpr u8 TIC = ccw_cmd::kTic;
inline constexpr u8 SEARCH = ccw_cmd::kSearchIdEqual;

}  // namespace ccwboot::ccw_names
