// IPL chain shapes: small 3390 volumes whose IPL records exercise one way a
// real boot loader drives the channel, plus bad volumes that must end in a
// named error. Every good shape IPLs natively in Hercules and ends in a
// disabled wait whose PSW names the shape; docs/mkdasd.md describes each.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ccwboot/types.h"
#include "ckd_volume.h"

namespace ccwboot::sim {

enum class Shape : u8 {
  // Good volumes.
  kSingle,          // IPL1 Read IPL2 + TIC; IPL2 Seek, Search+TIC, Read payload
  kZipl3,           // IPL2 reads a stage-1b-like program from disk and TICs to it
  kPswAt0,          // IPL2 reads a new PSW over absolute 0
  kMultitrack,      // payload over several tracks/cylinder: 0x86 and Seek groups
  kOverwriteNoTic,  // a Read overwrites the CCWs right after it (no TIC)
  kLow8k,           // data into the first 8 KiB (0x200..0x1fff) and PSW at 0
  // Bad volumes.
  kUnformatted,     // dasdinit's invalid IPL1 left as it is
  kIpl1NotRead,     // IPL1's first CCW is not a Read
  kIpl2Zero,        // IPL1's TIC goes to 0 / IPL2 is a zero CCW
  kTicLoop,         // NOP, TIC back: endless without a bound
  kNoRecord,        // Search ID for a record that does not exist
  kAimFirmware,     // IPL2 reads data to 0x00E00000 (ccwboot's home in Hercules)
  kDataChainSplit,  // data chaining through CCWs the same chain overwrites
  // Issue 8 classes (shapes_chain.cc). Good unless marked bad.
  kReadNextIpl2,     // 1: IPL2 starts with a Read Data of the next record (no Seek)
  kSearchFirstIpl2,  // 1: IPL2 starts with Search+TIC, no Seek before it
  kDxAfterIpl,       // 1, bad: Define Extent in IPL2 (command reject after Read IPL)
  kSfmAfterIpl,      // 1, bad: Set File Mask in IPL2
  kReadIplAgain,     // 1, bad: a second Read IPL in IPL2
  kPciFlag,          // 6: PCI on IPL2's CCWs
  kSkipFlag,         // 6: a skipped read between the search and the payload read
  kIpl1ChainOn,      // 7: IPL1 has no TIC: Read, Read, and on at 0x18
  kLdlStage0,        // 7: zipl's LDL stage 0: Read R0, Read R1 over 0, on at 0x18
  kIpl1ReadKeyData,  // 7: IPL1 reads IPL2 with Read Key and Data, short count + SLI
  kLinkedList,       // 2/3/4: 50 CCW blocks, each read over the one running (after its Search/TIC)
  kReadTicLoop,      // 4, bad: Read Data and a TIC back: never ends on the device
  kBlockRing,        // 4, bad: two blocks that reread each other for ever
  kSearchContinuation,    // 2: a cut whose continuation begins with Search ID + TIC (no Seek)
  kSeekHeadContinuation,  // 2: a cut whose continuation begins with Seek Head
  kReadNextContinuation,  // 2: a cut whose continuation reads the next record
  // Findings of the Hercules differential fuzzer (shapes_findings.cc, docs/fuzzing.md).
  kIdaRead,         // H6: the payload Read uses IDA (format-1 IDAWs, 2 KiB blocks)
  kSearchTicSelf,   // H7: a Search that always matches, its TIC pointing at itself
  kSearchTicOdd,    // H7b: the same with the TIC pointing at an odd address in the Search
  kReadOverItself,  // H8: a Read stores over its own CCW (another flags byte) and what follows
  kLongChain,       // 4/5: IPL2 is 336 chained CCWs in one vfio-ccw segment (48 reads)
  kSegmentOverrun,  // 5, bad: a search's skip passes the forward TIC that ends a vfio-ccw segment
  kVeryLongChain,   // 4: IPL2 is 520 chained CCWs (130 records read, 650 fetches), one segment
  kManySegments,    // 4: IPL2 reads 100 records in 100 short segments (600 fetches, forward TICs)
  kSegmentRing,     // 4, bad: 192 short segments in a ring that rereads its records for ever
  kHazardPastCut,   // 2/5: a data-chained Read stores over a CCW behind a search past CCW 256
  // Issue 8, session 4 (shapes_fidelity.cc).
  kDataChainThenCommand,    // F7 class: a CCW run as a data-chain continuation, then as a command
  kIpl1DataChainTic0,       // F7, bad: IPL1's Read (CD) outlasts its record; TIC to 0 never used
  kMultitrackContinuation,  // 2: a cut right after a multi-track read that crossed to the next head
  kMultitrackSearchContinuation,  // 2: a search after the multi-track move, then a cut
  // Issue 8 item 3, the index mark across a cut (shapes_chain.cc).
  kIndexMarkNop,  // 2: a cut after a Read Count that passed the index point and a NOP
  kIndexMarkCut,  // 2, bad: a cut where the chain's index mark is set; the search after fails
  // Issue 8 item 4: a ring whose length is no multiple of a start's bound.
  kSegmentRingOdd,     // 4, bad: 199 short segments in a ring: found within two rounds
  kDataChainExactEnd,  // F7 class: data_chain_then_command with R1 ending at the CD count
  // IDA (H6, shapes_findings.cc).
  kIdaOverwrite,      // H6: an IDA Read stores over the CCWs after it
  kIdaListRewritten,  // H6: a Read rewrites the IDAW list of a later IDA Read of the chain
  kIdaBeyondStorage,  // H6, bad: an IDAW the data reaches names storage past the end
  kIdaOffBoundary,    // H6, bad: a later IDAW the data reaches is off a 2 KiB boundary
  // Issue 8 item 4: no count of starts bounds a legitimate IPL.
  kLongLinkedList,  // 4: 2,000 CCW blocks read over the running one (2,003 starts)
  kLongBlockRing,   // 4, bad: a ring of 8,000 such blocks: ends at the time budget
  // Issue 8 item 2, multi-track moves (shapes_fidelity.cc).
  kMultitrackSearchTwice,  // 2: a second search after more multi-track moves, then a cut
  // Session 5: commands the position model follows (shapes_commands.cc).
  kReadMultipleCkd,      // 0x5E reads CCWs to the end of the track; they begin with a Seek
  kReadTrack,            // bad: Read Track outside a Locate Record domain (command reject)
  kMultitrackSearch,     // Search ID Equal MT crosses to the next head (no cut)
  kMultitrackSearchCut,  // a cut after a multi-track search loop (replayed from the track's start)
  // Issue 8, orientation after many record moves (shapes_orientation.cc).
  kTwelveRecords,         // 2: 12 4 KiB records read after one search; R6 stores the 12th's CCW
  kMultitrackRun,         // 5: 300 Read MT Data over 13 tracks in one segment
  kReplayLimit,           // 2: the last of 251 Read MT Data stores the next CCW (longest replay)
  kReplayPastLimit,       // 2, bad: the same with 252 reads (one move more)
  kMultitrackSearchDeep,  // 2: multitrack_search_twice with four searches (four prefixes)
  // Session 5: Read R0 / Read HA / Read Multiple CKD anchors (shapes_commands.cc).
  kReadMultipleCkdNext,    // 0x5E, then a cut; the continuation reads the next record
  kReadR0AfterMultitrack,  // Read R0 after a multi-track move, then a cut
  kReadHaAfterMultitrack,  // Read Home Address after a multi-track move, then a cut
  kSearchAfterR0,          // a cut after Read R0; the continuation searches (R1, not R0)
  kIdaScattered,           // an IDA Read's blocks lie apart, around the Read itself
};

struct ShapeOptions {
  std::string volser = "CCWBT0";  // 6 characters, ASCII (stored in EBCDIC)
  u32 cylinders = 0;              // at least what the shape needs (0: just that)
};

struct ShapeInfo {
  Shape shape;
  const char* name;                  // CLI name, e.g. "single", "zipl3"
  bool good;                         // ccwboot must IPL it to expected_psw
  bool native_boots;                 // the hardware (Hercules `ipl`) reaches expected_psw;
                                     //   true for every good shape and for the bad shapes
                                     //   ccwboot must refuse although a real channel runs
                                     //   them (aim_firmware, data_chain_split)
  bool needs_split;                  // IPL2's chain overwrites its own CCWs (a single
                                     //   prefetched start of IPL2 loads something else)
  u64 expected_psw;                  // native_boots: the disabled-wait PSW the payload loads
  u32 load_start;                    // native_boots: [load_start, load_end) holds the
  u32 load_end;                      //   payload after IPL (for checksums)
  const char* description;           // one line
  bool needs_chain_context = false;  // IPL2 started as a new program (QEMU's bios
                                     //   way) does something else: it relies on
                                     //   what Read IPL set up in the same chain
  bool prefetch_refuses = false;     // the simulator's vfio-ccw copy refuses the
                                     //   chain (none since vfio-ccw runs IDA)
  bool budget_split = false;         // needs_split only for ccwboot's own bounds per
                                     //   start (64 segments, 512 CCW fetches walked):
                                     //   one unsplit prefetched start runs it exactly
};

// The payload's PSWs: 000A0000 80C0DEx0 on success (x per shape), and
// 000A0000 80BAD000 when its own checksum over the loaded data is wrong.
// psw_at_0: IPL1's PSW enters a decoy that loads 000A0000 80BAD100, so
// booting with IPL1's PSW instead of the one IPL2 wrote is visible.
inline constexpr u64 kPayloadBadPsw = 0x000A000080BAD000ull;
inline constexpr u64 kPayloadDecoyPsw = 0x000A000080BAD100ull;

std::span<const ShapeInfo> all_shapes();
const ShapeInfo& shape_info(Shape shape);
std::optional<Shape> shape_from_name(std::string_view name);

// Builds the volume (label, IPL1, IPL2, further programs, payload).
CkdVolume make_shape(Shape shape, const ShapeOptions& options = {});

// Encodes ASCII text as EBCDIC (labels, keys "IPL1"/"IPL2"/"VOL1").
std::string ascii_to_ebcdic(std::string_view text);

}  // namespace ccwboot::sim
