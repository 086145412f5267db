// Walk, hazard analysis and cutting of one IPL channel-program piece.
// docs/dasd-ipl.md explains the rules; chain_walk.h the interface.
#include "ccwboot/dasd/chain_walk.h"

#include "ccwboot/dasd/idaw_list.h"
#include "ccwboot/log.h"
#include "walk_detail.h"

#define LOG_PREFIX "dasd: "

namespace ccwboot::dasd {
WaitCode analyze_piece_in_context(GuestMemory& memory, u32 start, PieceAnalysis& p);

bool read_ccw(GuestMemory& memory, u32 address, u8 raw[8]) {
  return (address & 7) == 0 && memory.read(address, raw, 8);
}

namespace {

void set_bit(u64* bits, u32 i) { bits[i / 64] |= 1ULL << (i % 64); }
bool test_bit(const u64* bits, u32 i) { return bits[i / 64] >> (i % 64) & 1; }

constexpr u32 kWords = kMaxPieceWriters / 64;

// What writer `n` changes of range `a` it moves data over: all of it, but
// for the Read IPL at 0 of a chain started from 0 only 0..7 (8..23 already
// hold IPL1).
AddrRange changed(const PieceNode& n, AddrRange a) {
  if (n.clip_to_psw && a.end > 8) a.end = 8;
  return a;
}

// Does writer `n` change a byte of `q`?
bool stores_over(const PieceAnalysis& p, const PieceNode& n, const AddrRange& q) {
  return changed(n, n.area()).overlaps(q) && p.moves_over(n, q);
}

// Which 256-byte blocks of the format-0 reach some writer of the piece may
// change: most questions below are about CCWs no writer comes near, and
// this answers them with one bit.
constexpr u64 kBlockShift = 8, kMapEnd = (1ULL << 24) + (64 << 10);  // 24-bit address + count
u64 g_written_blocks[(kMapEnd >> kBlockShift) / 64];

void map_writer_areas(const PieceAnalysis& p) {
  for (u64& w : g_written_blocks) w = 0;
  for (u32 w = 0; w < p.writer_count; ++w) {
    const PieceNode& n = p.nodes[p.writer_node[w]];
    for (const AddrRange& moved : p.areas(n)) {
      const AddrRange a = changed(n, moved);
      if (a.empty()) continue;
      u64 last = (a.end > kMapEnd ? kMapEnd : a.end) - 1;
      for (u64 b = a.start >> kBlockShift; b <= last >> kBlockShift && b < kMapEnd >> kBlockShift;
           ++b)
        g_written_blocks[b / 64] |= 1ULL << (b % 64);
    }
  }
}

bool block_written(u64 addr, u64 len) {
  if (len == 0) return false;
  u64 end = addr + len - 1;
  if (end >= kMapEnd) return true;  // not mapped: ask the writers
  for (u64 b = addr >> kBlockShift; b <= end >> kBlockShift; ++b)
    if (g_written_blocks[b / 64] >> (b % 64) & 1) return true;
  return false;
}

// Writers that may have run once `n` has finished.
void written_out(const PieceAnalysis& p, const PieceNode& n, u64 out[kWords]) {
  for (u32 i = 0; i < kWords; ++i) out[i] = n.written_in[i];
  if (n.is_writer()) set_bit(out, n.writer());
}

void park(PieceAnalysis& p, PieceNode& n, WaitCode code, u32 fetch) {
  u32 slot = p.error_count < kMaxPieceErrors ? p.error_count++ : kMaxPieceErrors - 1;
  p.errors[slot] = ParkedProblem{code, n.address, fetch};
  n.error_plus1 = static_cast<u8>(slot + 1);
}

// A parked problem that turned out to matter: logged now, as found.
WaitCode report_parked(GuestMemory& memory, const ParkedProblem& e) {
  if (e.code == WaitCode::kDasdChainTooLong) {
    return REFUSE(e.code, "more than %u CCW fetches in one piece (past CCW 0x%06x)",
                  kMaxPieceFetches, e.from);
  }
  Fetch f;  // memory is as the walk saw it: the same fetch fails the same way
  return resolve_fetch(memory, e.fetch, f);
}

const PieceContext* g_context = nullptr;  // of the analysis under way

// A CCW with IDA, as the channel of the IPL runs it (idaw_list.h): the span
// of the blocks its IDAWs name, its IDAW list, and what no start can run.
void note_ida(GuestMemory& memory, PieceAnalysis& p, PieceNode& n) {
  u8 cmd = n.command();
  n.data = {};
  if (is_read_backward(cmd)) {
    n.ida_problem = WaitCode::kGuardIndirectData;
    return;
  }
  // Nothing moves (a NOP, a read or sense with SKIP): no IDAW is fetched
  // (vfio-ccw still copies the list).
  bool moves =
      n.count() && cmd != ccw_cmd::kNop && !((n.flags() & ccw_flag::kSkip) && stores_data(cmd));
  static IdawList list;
  read_idaw_list(memory, n.data_address(), n.count(), list);
  if (list.unfit(moves)) {
    n.ida_problem = WaitCode::kGuardBadIdaw;
    n.ida_words = static_cast<u8>(list.words);
    n.ida_unpinned = static_cast<u8>(list.unpinned < list.words ? list.unpinned : list.words);
    return;
  }
  if (!moves) return;
  n.idal = list.list_range();
  n.data.start = ~0ULL;
  n.ida_first = static_cast<u16>(p.ida_range_count);
  bool pooled = true;
  for (u32 k = 0; k < list.usable; ++k) {
    AddrRange b = list.block(k);
    if (b.start < n.data.start) n.data.start = b.start;
    if (b.end > n.data.end) n.data.end = b.end;
    AddrRange* last = n.ida_ranges ? &p.ida_ranges[p.ida_range_count - 1] : nullptr;
    if (last && last->end == b.start) {
      last->end = b.end;
    } else if (pooled && p.ida_range_count < kMaxIdaRanges) {
      p.ida_ranges[p.ida_range_count++] = b;
      ++n.ida_ranges;
    } else {
      pooled = false;  // the span stands
    }
    // Over its own list: the hardware may fetch an IDAW after the store,
    // vfio-ccw runs its copy of the old one, and no cut lies inside one CCW.
    // (Also refused where the IDAW was fetched first: rare, over-cautious.)
    if (stores_data(cmd) && b.overlaps(n.idal)) n.ida_problem = WaitCode::kDasdIdawListRewritten;
  }
  if (!pooled) {
    p.ida_range_count = n.ida_first;
    n.ida_ranges = 0;
  }
}

// Only CCWs that really store data take a writer slot (SKIP suppresses the
// store; a replayed CCW stores what is already there).
void assign_writer(PieceAnalysis& p, u32 index) {
  PieceNode& n = p.nodes[index];
  if (n.is_writer() || n.writer_overflow || n.replayed) return;
  if (!stores_data(n.command()) || (n.flags() & ccw_flag::kSkip) || n.area().empty()) return;
  if (p.writer_count == kMaxPieceWriters) {
    n.writer_overflow = true;
    return;
  }
  p.writer_node[p.writer_count++] = static_cast<u16>(index);
  n.writer_plus1 = static_cast<u16>(p.writer_count);
}

// The node of the CCW at f.address as the channel runs it: as a command of
// its own (`continuing` 0), or as a data-chain continuation of command
// `continuing` (only its address, count and flags count then). The two are
// different things to the channel, so they are different nodes: a CCW that
// one path runs as a command and another reaches by data chaining is
// walked both ways (docs/dasd-ipl.md, "Data chaining"). Only CCWs that ran
// as commands in the previous start are replayed (prime_ipl1 runs commands).
i32 add_node(PieceAnalysis& p, const Fetch& f, u8 continuing) {
  if (i32 i = p.find(f.address, continuing); i >= 0) return i;
  if (p.node_count == kMaxPieceFetches) return -1;
  u32 index = p.node_count++;
  PieceNode& n = p.nodes[index];
  n = PieceNode{};
  n.address = f.address;
  for (int i = 0; i < 8; ++i) n.raw[i] = f.raw[i];
  n.data_chained_command = continuing;
  n.reached_by_command = continuing == 0;
  n.replayed = continuing == 0 && g_context && g_context->is_replayed(f.address);
  return static_cast<i32>(index);
}

// Builds the graph of every CCW the channel could fetch from p.start, as
// memory is now. Problems past a CCW are parked on it (they only matter if
// the CCW stays reachable after the cuts).
void build_graph(GuestMemory& memory, PieceAnalysis& p, const u8 start_raw[8]) {
  Fetch first;
  first.address = p.start;
  for (int i = 0; i < 8; ++i) first.raw[i] = start_raw[i];
  add_node(p, first, 0);
  p.fetches = 1;
  for (u32 i = 0; i < p.node_count; ++i) {
    PieceNode& n = p.nodes[i];
    if (is_invalid_command(n.command())) continue;  // the channel stops here (program check)
    u32 next[2];
    u32 count = 0;
    if (n.flags() & ccw_flag::kChainData) {
      next[count++] = n.address + 8;
    } else if (n.flags() & ccw_flag::kChainCommand) {
      next[count++] = n.address + 8;
      if (may_present_status_modifier(n.command())) next[count++] = n.address + 16;
    }
    for (u32 k = 0; k < count; ++k) {
      Fetch f;
      WaitCode v = resolve_fetch(memory, next[k], f, /*report=*/false);
      PieceNode& from = p.nodes[i];
      u8 e = from.successor_count++;
      from.has_tic[e] = f.via_tic;
      from.tic_address[e] = f.tic_address;
      from.target_address[e] = f.address;
      from.successor[e] = kDangling;
      if (v != WaitCode::kNone) {
        // A TIC that jumps back into the pair it sits in -- to itself, or to
        // an odd address inside the CCW that leads to it or inside itself
        // (a Search's loop TIC gone wrong) -- fails only if the channel
        // takes it: the hardware then program-checks, and so does vfio-ccw,
        // whose copy of the segment holds both CCWs (the target lies inside
        // it, so no new segment is copied). The search usually matches and
        // skips it (hercfuzz H7, H7b). Everything else is refused if reached.
        bool back_into_pair = f.via_tic && f.address >= from.address &&
                              f.address < u64{f.tic_address} + 8 &&
                              (v == WaitCode::kDasdTicToTic || v == WaitCode::kDasdBadCcwAddress);
        if (!back_into_pair) park(p, from, v, next[k]);
        continue;
      }
      p.fetches += f.via_tic ? 2 : 1;
      // Data chaining goes on with the command that began the data chain.
      u8 continuing = (p.nodes[i].flags() & ccw_flag::kChainData) ? p.nodes[i].command() : 0;
      i32 target = p.fetches > kMaxPieceFetches ? -1 : add_node(p, f, continuing);
      if (target < 0) {
        park(p, p.nodes[i], WaitCode::kDasdChainTooLong, f.address);
        continue;
      }
      p.nodes[i].successor[e] = static_cast<u16>(target);
    }
  }
}

// Reachability from the start (cut CCWs end the chain) and, to a fixpoint,
// the writers that may run before each reachable CCW.
void propagate(PieceAnalysis& p) {
  for (u32 i = 0; i < p.node_count; ++i) {
    p.nodes[i].reachable = false;
    for (u32 w = 0; w < kWords; ++w) p.nodes[i].written_in[w] = 0;
  }
  p.nodes[0].reachable = true;
  bool changed = true;
  // Each round adds at least one bit or one reachable node, so this ends.
  while (changed) {
    changed = false;
    for (u32 i = 0; i < p.node_count; ++i) {
      const PieceNode& n = p.nodes[i];
      if (!n.reachable || n.stops()) continue;
      u64 out[kWords];
      written_out(p, n, out);
      for (u32 e = 0; e < n.successor_count; ++e) {
        if (n.successor[e] == kDangling) continue;
        PieceNode& s = p.nodes[n.successor[e]];
        if (!s.reachable) {
          s.reachable = true;
          changed = true;
        }
        for (u32 w = 0; w < kWords; ++w) {
          if ((s.written_in[w] | out[w]) != s.written_in[w]) {
            s.written_in[w] |= out[w];
            changed = true;
          }
        }
      }
    }
  }
}

// A node at the Read IPL of a chain from 0: the Read IPL itself, or what a
// data chain later fetches there -- IPL1's PSW by then, not the bytes the
// walk read, so that fetch is the stale one to cut before, and no cut may
// come right after the Read IPL (the rest would lose its chain state).
bool on_read_ipl(const PieceAnalysis& p, u32 address) {
  return p.node_count && p.nodes[0].clip_to_psw && address == p.nodes[0].address;
}

// The reachable CCW one of whose onward fetches reads bytes a writer of this
// piece may already have replaced; -1 if none. A CCW whose own store makes
// its next fetch stale comes first: cutting right after that store is always
// faithful, and it removes the paths on which earlier CCWs (run again after
// a TIC back) would look stale too. Otherwise the first in walk order.
i32 first_hazard(const PieceAnalysis& p, u32* edge_out) {
  for (int pass = 0; pass < 2; ++pass) {
    for (u32 i = 0; i < p.node_count; ++i) {
      const PieceNode& n = p.nodes[i];
      if (!n.reachable || n.stops()) continue;
      u64 out[kWords];
      if (pass == 0) {
        if (!n.is_writer() || on_read_ipl(p, n.address)) continue;
        for (u32 w = 0; w < kWords; ++w) out[w] = 0;
        set_bit(out, n.writer());
      } else {
        written_out(p, n, out);
      }
      for (u32 e = 0; e < n.successor_count; ++e) {
        // The CCW, the TIC on the way, and the IDAW list vfio-ccw copies
        // along with the CCW at the start.
        bool hit = (n.successor[e] != kDangling &&
                    writers_overlap(p, out, p.nodes[n.successor[e]].idal.start,
                                    p.nodes[n.successor[e]].idal.size())) ||
                   writers_overlap(p, out, n.target_address[e], 8) ||
                   (n.has_tic[e] && writers_overlap(p, out, n.tic_address[e], 8));
        if (hit) {
          *edge_out = e;
          return static_cast<i32>(i);
        }
      }
    }
  }
  return -1;
}

// A loop the channel could go round forever: a cycle of reachable CCWs none
// of which moves over records (searches and reads end at the track's end;
// NOP, Seek, Sense... never do). Iterative DFS over the other CCWs.
bool has_endless_loop(const PieceAnalysis& p, u32* at) {
  static u8 color[kMaxPieceFetches];  // 0 new, 1 on stack, 2 done
  static u16 stack_node[kMaxPieceFetches];
  static u8 stack_edge[kMaxPieceFetches];
  auto eligible = [&](u32 i) {
    const PieceNode& n = p.nodes[i];
    return n.reachable && !advances_over_records(n.command());
  };
  for (u32 i = 0; i < p.node_count; ++i) color[i] = 0;
  for (u32 root = 0; root < p.node_count; ++root) {
    if (color[root] || !eligible(root)) continue;
    u32 depth = 0;
    stack_node[0] = static_cast<u16>(root);
    stack_edge[0] = 0;
    color[root] = 1;
    depth = 1;
    while (depth) {
      const PieceNode& n = p.nodes[stack_node[depth - 1]];
      u8& e = stack_edge[depth - 1];
      u32 limit = n.stops() ? 0 : n.successor_count;
      if (e >= limit) {
        color[stack_node[depth - 1]] = 2;
        --depth;
        continue;
      }
      u32 s = n.successor[e++];
      if (s == kDangling || !eligible(s)) continue;
      if (color[s] == 1) {
        *at = p.nodes[s].address;
        return true;
      }
      if (color[s] == 0) {
        color[s] = 1;
        stack_node[depth] = static_cast<u16>(s);
        stack_edge[depth] = 0;
        ++depth;
      }
    }
  }
  return false;
}

// Can the program started at node 0 end normally? Only at a CCW that does
// not chain (or a cut, or a fetch that fails). A start from which no such
// CCW is reachable loops until the device reports an error -- a loop of
// Read Data and TIC never ends at all -- so the hardware IPL cannot succeed.
bool can_end(const PieceAnalysis& p) {
  static bool ends[kMaxPieceFetches];
  for (u32 i = 0; i < p.node_count; ++i) {
    const PieceNode& n = p.nodes[i];
    ends[i] = n.stops() || n.successor_count == 0;
    for (u32 e = 0; e < n.successor_count; ++e) ends[i] = ends[i] || n.successor[e] == kDangling;
  }
  // Each round marks at least one more node, so at most node_count rounds;
  // backwards, since ends spread to the CCWs before them (a chain in walk
  // order settles in one round).
  for (bool changed = true; changed;) {
    changed = false;
    for (u32 i = p.node_count; i-- > 0;) {
      const PieceNode& n = p.nodes[i];
      if (ends[i] || !n.reachable) continue;
      for (u32 e = 0; e < n.successor_count; ++e) {
        if (ends[n.successor[e]]) {
          ends[i] = true;
          changed = true;
          break;
        }
      }
    }
  }
  return p.node_count == 0 || ends[0];
}

// May the start end right after `n`? Quiet unless `report`: the caller may
// still find another place to cut (earlier_cut).
WaitCode check_cut(const PieceAnalysis& p, const PieceNode& n, u32 edge, bool report) {
  u32 overwritten = n.has_tic[edge] ? n.tic_address[edge] : n.target_address[edge];
  if (n.flags() & ccw_flag::kChainData) {
    if (n.has_tic[edge]) {
      return REFUSE_IF(report, WaitCode::kDasdSplitInDataChain,
                       "CCW 0x%06x data-chains through the TIC at 0x%06x into CCW 0x%06x, which "
                       "the same start overwrites (one of the two)",
                       n.address, n.tic_address[edge], n.target_address[edge]);
    }
    return REFUSE_IF(report, WaitCode::kDasdSplitInDataChain,
                     "CCW 0x%06x data-chains into CCW 0x%06x, which the same start overwrites",
                     n.address, overwritten);
  }
  // Clearing the chain flag ends the start after this CCW whichever way the
  // channel runs it -- as a command, or as a data-chain continuation (same
  // flags, another command): each of them must allow the cut.
  for (u32 i = 0; i < p.node_count; ++i) {
    const PieceNode& o = p.nodes[i];
    if (o.address != n.address || !(&o == &n || o.reachable)) continue;
    if (may_present_status_modifier(o.command())) {
      return REFUSE_IF(report, WaitCode::kDasdSplitAfterSearch,
                       "CCW 0x%06x (command 0x%02x) may skip; the CCW at 0x%06x after it is "
                       "overwritten by the same start",
                       o.address, o.command(), overwritten);
    }
  }
  for (u32 i = 0; i < p.node_count; ++i) {
    const PieceNode& s = p.nodes[i];
    if (s.reachable && carries_chain_state(s.command())) {
      return REFUSE_IF(report, WaitCode::kDasdSplitLosesChainState,
                       "CCW 0x%06x (command 0x%02x) sets state for the whole chain, and the chain "
                       "must be split at CCW 0x%06x",
                       s.address, s.command(), n.address);
    }
  }
  u32 nodes_here = 0;
  for (u32 i = 0; i < p.node_count; ++i) nodes_here += p.nodes[i].address == n.address;
  if (p.cut_count + nodes_here > kMaxPieceCuts) {
    return REFUSE_IF(report, WaitCode::kDasdChainTooLong, "more than %u cuts needed in one piece",
                     kMaxPieceCuts);
  }
  return {};
}

// Ends the start after the CCW of node `index`: every node of that CCW (as a
// command, as a data-chain continuation) is cut, since the cleared flag is
// the same byte for all of them. check_cut() said there is room.
void cut_ccw(PieceAnalysis& p, u32 index) {
  const u32 address = p.nodes[index].address;
  for (u32 i = 0; i < p.node_count; ++i) {
    PieceNode& o = p.nodes[i];
    if (o.address != address || o.cut) continue;
    o.cut = true;
    p.cuts[p.cut_count++] = static_cast<u16>(i);
  }
}

// A cut at a writer that may store over the stale fetch of `n`'s edge
// `edge` (its target CCW or the TIC on the way): the start then ends right
// after the store, and everything up to the overwritten CCW is fetched anew
// by the next start. -1 when no such writer can end a start.
i32 earlier_cut(const PieceAnalysis& p, const PieceNode& n, u32 edge) {
  u64 out[kWords];
  written_out(p, n, out);
  for (u32 w = 0; w < p.writer_count; ++w) {
    if (!test_bit(out, w)) continue;
    u32 index = p.writer_node[w];
    const PieceNode& wn = p.nodes[index];
    bool hits =
        (n.successor[edge] != kDangling && stores_over(p, wn, p.nodes[n.successor[edge]].idal)) ||
        stores_over(p, wn, AddrRange::at(n.target_address[edge], 8)) ||
        (n.has_tic[edge] && stores_over(p, wn, AddrRange::at(n.tic_address[edge], 8)));
    // Never right after the Read IPL at 0 of a chain from 0: the rest
    // would lose the state Read IPL set up.
    if (!hits || !wn.reachable || wn.stops() || &wn == &n || on_read_ipl(p, wn.address)) continue;
    if (!(wn.flags() & ccw_flag::kChainCommand)) continue;
    if (check_cut(p, wn, 0, /*report=*/false) == WaitCode::kNone) return static_cast<i32>(index);
  }
  return -1;
}

}  // namespace

// Only the set bits are visited, against the areas noted once per analysis
// (writer_area): the walk asks this for every edge of every CCW, many times
// over.
bool writers_overlap(const PieceAnalysis& p, const u64* bits, u64 addr, u64 len) {
  if (!block_written(addr, len)) return false;
  AddrRange q = AddrRange::at(addr, len);
  for (u32 w = 0; w < kWords; ++w) {
    for (u64 b = bits[w]; b; b &= b - 1) {
      u32 i = w * 64 + static_cast<u32>(__builtin_ctzll(b));
      // writer_area is the writer's changed span (stores_over's first test).
      if (i < p.writer_count && p.writer_area[i].overlaps(q) &&
          p.moves_over(p.nodes[p.writer_node[i]], q))
        return true;
    }
  }
  return false;
}

i32 PieceAnalysis::find(u32 address) const {
  for (u32 i = 0; i < node_count; ++i) {
    if (nodes[i].address == address) return static_cast<i32>(i);
  }
  return -1;
}

i32 PieceAnalysis::find(u32 address, u8 continuing) const {
  for (u32 i = 0; i < node_count; ++i) {
    if (nodes[i].address == address && nodes[i].data_chained_command == continuing)
      return static_cast<i32>(i);
  }
  return -1;
}

i32 PieceAnalysis::find_reachable(u32 address) const {
  for (u32 i = 0; i < node_count; ++i) {
    if (nodes[i].address == address && nodes[i].reachable) return static_cast<i32>(i);
  }
  return -1;
}

WaitCode resolve_fetch(GuestMemory& memory, u32 address, Fetch& out, bool report) {
  out = Fetch{};
  out.address = address;
  if (!read_ccw(memory, address, out.raw)) {
    return REFUSE_IF(report, WaitCode::kDasdBadCcwAddress,
                     "CCW address 0x%06x is outside storage or unaligned", address);
  }
  out.address = address;
  if (!is_tic(out.raw[0])) return {};
  u32 target = be::load24(out.raw + 1);
  out.via_tic = true;
  out.tic_address = address;
  out.address = target;
  if (!read_ccw(memory, target, out.raw)) {
    return REFUSE_IF(report, WaitCode::kDasdBadCcwAddress,
                     "TIC at 0x%06x points to 0x%06x, outside storage or unaligned", address,
                     target);
  }
  if (is_tic(out.raw[0])) {
    return REFUSE_IF(report, WaitCode::kDasdTicToTic,
                     "TIC at 0x%06x points at another TIC at 0x%06x", address, target);
  }
  return {};
}

bool PieceContext::is_replayed(u32 address) const {
  for (u32 i = 0; i < replayed_count; ++i) {
    if (replayed[i] == address) return true;
  }
  return false;
}

WaitCode analyze_piece(GuestMemory& memory, u32 start, PieceAnalysis& p,
                       const PieceContext* context) {
  g_context = context;
  WaitCode v = analyze_piece_in_context(memory, start, p);
  g_context = nullptr;
  return v;
}

i32 first_open_problem(const PieceAnalysis& p) {
  for (u32 i = 0; i < p.node_count; ++i) {
    const PieceNode& n = p.nodes[i];
    if (n.reachable && !n.cut && (n.deferred || n.error_plus1)) return static_cast<i32>(i);
  }
  return -1;
}

WaitCode check_walk_bound(GuestMemory& memory, const PieceAnalysis& p) {
  i32 i = first_open_problem(p);
  if (i < 0) return {};
  const PieceNode& n = p.nodes[i];
  if (!n.deferred) return report_parked(memory, p.errors[n.error_plus1 - 1]);
  // Named as analyze_piece found it; should the cut now pass (the cuts
  // since removed what stood in its way), the code found then stands.
  if (WaitCode v = check_cut(p, n, n.deferred_edge, /*report=*/true); v != WaitCode::kNone)
    return v;
  return REFUSE(n.deferred_code, "CCW 0x%06x must end a start, and no cut before it was faithful",
                n.address);
}

bool try_cut(PieceAnalysis& p, u32 index) {
  PieceNode& n = p.nodes[index];
  if (!n.reachable || n.stops() || n.replayed || n.clip_to_psw || n.successor_count == 0 ||
      !(n.flags() & ccw_flag::kChainCommand))
    return false;
  // undo_cut() takes back one node: not for a CCW the channel runs two ways.
  for (u32 i = 0; i < p.node_count; ++i) {
    if (i != index && p.nodes[i].address == n.address) return false;
  }
  if (check_cut(p, n, 0, /*report=*/false) != WaitCode::kNone) return false;
  // The flag byte is put back after the start: no other writer may store there.
  for (u32 w = 0; w < p.writer_count; ++w) {
    const PieceNode& wn = p.nodes[p.writer_node[w]];
    bool self = p.writer_node[w] == index && !(n.flags() & ccw_flag::kIndirect);
    if (!self && wn.reachable && stores_over(p, wn, AddrRange::at(n.address + 4, 1))) return false;
  }
  n.cut = true;
  p.cuts[p.cut_count++] = static_cast<u16>(index);
  propagate(p);
  return true;
}

void undo_cut(PieceAnalysis& p) {
  p.nodes[p.cuts[--p.cut_count]].cut = false;
  propagate(p);
}

WaitCode check_fresh_piece(const PieceAnalysis& p) {
  for (u32 i = 0; i < p.node_count; ++i) {
    const PieceNode& n = p.nodes[i];
    if (n.reachable && (carries_chain_state(n.command()) || n.command() == ccw_cmd::kReadIpl)) {
      return REFUSE(WaitCode::kDasdSplitLosesChainState,
                    "CCW 0x%06x (command 0x%02x) would run in a new channel program; after "
                    "Read IPL the control unit rejects it for the rest of the IPL chain",
                    n.address, n.command());
    }
  }
  return {};
}

WaitCode analyze_piece_in_context(GuestMemory& memory, u32 start, PieceAnalysis& p) {
  p.start = start;
  p.replay_back_edge = false;
  p.node_count = 0;
  p.writer_count = 0;
  p.cut_count = 0;
  p.error_count = 0;
  p.fetches = 0;
  p.ida_range_count = 0;
  u8 raw[8];
  if (!read_ccw(memory, start, raw)) {
    return REFUSE(WaitCode::kDasdBadCcwAddress, "channel program at 0x%06x is outside storage",
                  start);
  }
  build_graph(memory, p, raw);
  if (g_context && g_context->read_ipl_at_zero && start == 0 && raw[0] == ccw_cmd::kReadIpl) {
    p.nodes[0].clip_to_psw = true;
  }
  // Writers, in walk order, once the IDAW lists are read.
  for (u32 i = 0; i < p.node_count; ++i) {
    PieceNode& n = p.nodes[i];
    n.data = data_area(n.command(), n.data_address(), n.count());
    if (n.flags() & ccw_flag::kIndirect) note_ida(memory, p, n);
    assign_writer(p, i);
  }
  for (u32 w = 0; w < p.writer_count; ++w) {
    const PieceNode& n = p.nodes[p.writer_node[w]];
    p.writer_area[w] = changed(n, n.area());
  }
  map_writer_areas(p);

  // Cut before the first stale fetch, recompute, repeat: each cut removes
  // edges, so at most node_count rounds.
  for (;;) {
    propagate(p);
    u32 edge = 0;
    i32 h = first_hazard(p, &edge);
    if (h < 0) break;
    PieceNode& n = p.nodes[h];
    if (check_cut(p, n, edge, /*report=*/false) != WaitCode::kNone) {
      // The CCW before the stale fetch cannot end a start (a search, a data
      // chain). Any point from the store to that fetch will do: try the
      // writer that stores over it.
      i32 w = earlier_cut(p, n, edge);
      if (w < 0) {
        // No faithful cut from the store to the stale fetch. A cut that
        // fit_vfio_copy() makes earlier anyway (a segment too long, the
        // walk's budget) may leave it unreachable: the problem waits for
        // check_walk_bound(), and the walk goes no further from here.
        n.deferred = true;
        n.deferred_edge = static_cast<u8>(edge);
        n.deferred_code = check_cut(p, n, edge, /*report=*/false);
        continue;
      }
      h = w;
    }
    cut_ccw(p, static_cast<u32>(h));
  }

  for (u32 i = 0; i < p.node_count && g_context; ++i) {
    const PieceNode& n = p.nodes[i];
    if (!n.reachable || n.replayed || n.stops() || n.clip_to_psw)
      continue;  // the Read IPL enters them
    for (u32 e = 0; e < n.successor_count; ++e) {
      if (n.successor[e] != kDangling && p.nodes[n.successor[e]].replayed)
        p.replay_back_edge = true;
    }
  }

  for (u32 i = 0; i < p.node_count; ++i) {
    const PieceNode& n = p.nodes[i];
    if (!n.reachable) continue;
    if (n.writer_overflow) {
      return REFUSE(WaitCode::kDasdChainTooLong,
                    "more than %u reading CCWs in one piece (at CCW 0x%06x)", kMaxPieceWriters,
                    n.address);
    }
    // Past the walk's bound: check_walk_bound(), once the segment cuts are made.
    const ParkedProblem* e = n.error_plus1 ? &p.errors[n.error_plus1 - 1] : nullptr;
    if (!n.stops() && e && e->code != WaitCode::kDasdChainTooLong) return report_parked(memory, *e);
  }

  // Clearing a chain flag is undone after the start; that is exact only if
  // no other CCW of the piece may store over the flag byte.
  for (u32 c = 0; c < p.cut_count; ++c) {
    const PieceNode& cut = p.nodes[p.cuts[c]];
    for (u32 w = 0; w < p.writer_count; ++w) {
      const PieceNode& wn = p.nodes[p.writer_node[w]];
      // The cut CCW itself (any of its nodes): stored_over_own_flags(); with
      // IDA not followed, it counts as any other CCW.
      bool self = wn.address == cut.address && !(wn.flags() & ccw_flag::kIndirect);
      if (self || !wn.reachable) continue;
      // A cut among IPL1's CCWs is made by a separate start, never by a patch
      // the Read IPL at 0 would undo (dasd_ipl.cc, prime_ipl1).
      if (wn.clip_to_psw && cut.address >= 8 && cut.address < 24) continue;
      if (p.moves_over(wn, AddrRange::at(cut.address + 4, 1))) {
        return REFUSE(WaitCode::kDasdSplitPatchOverwritten,
                      "CCW 0x%06x must end this start but CCW 0x%06x may write over it",
                      cut.address, wn.address);
      }
    }
  }

  if (!can_end(p)) {
    return REFUSE(WaitCode::kDasdEndlessLoop,
                  "no CCW reachable from 0x%06x ends the chain: it loops until the device fails "
                  "(e.g. Read Data and TIC only)",
                  p.start);
  }
  if (u32 at = 0; has_endless_loop(p, &at)) {
    return REFUSE(WaitCode::kDasdEndlessLoop,
                  "the chain loops through CCW 0x%06x with no search or read to end it", at);
  }
  return {};
}

namespace {

// What no start can run of a CCW with IDA (note_ida), and where to look.
WaitCode refuse_ida(const PieceNode& n, u64 storage_size) {
  u32 list = n.data_address();
  if (n.ida_problem != WaitCode::kGuardBadIdaw)
    return REFUSE(n.ida_problem, "CCW 0x%06x: IDA, list at 0x%06x", n.address, list);
  if (list & 3)
    return REFUSE(n.ida_problem, "CCW 0x%06x: its IDAW list at 0x%06x is not on a word boundary",
                  n.address, list);
  if (n.ida_unpinned < n.ida_words)
    return REFUSE(n.ida_problem,
                  "CCW 0x%06x: IDAW %u of the %u its count spans (at 0x%06x) names storage past "
                  "the end (0x%llx)",
                  n.address, n.ida_unpinned + 1U, n.ida_words, list + 4U * n.ida_unpinned,
                  static_cast<unsigned long long>(storage_size));
  return REFUSE(n.ida_problem,
                "CCW 0x%06x: vfio-ccw's copy of its %u IDAWs at 0x%06x (8 bytes each) runs past "
                "the end of storage (0x%llx)",
                n.address, n.ida_words, list, static_cast<unsigned long long>(storage_size));
}

}  // namespace

WaitCode guard_piece(const PieceAnalysis& p, const ReservedSet& reserved, u64 storage_size) {
  for (u32 i = 0; i < p.node_count; ++i) {
    const PieceNode& n = p.nodes[i];
    if (!n.reachable) continue;
    u8 as_run[8];  // the CCW with the command the channel carries out
    for (int k = 0; k < 8; ++k) as_run[k] = n.raw[k];
    as_run[0] = n.command();
    if (n.ida_problem != WaitCode::kNone) return refuse_ida(n, storage_size);
    // The CCW once, with each of its data ranges (IDA blocks apart: several).
    AreaList areas = p.areas(n);
    for (u32 k = 0; k == 0 || k < areas.count; ++k) {
      AddrRange a = k < areas.count ? areas.first[k] : AddrRange{};
      if (WaitCode v = guard_ccw(reserved, storage_size, n.address, as_run, a, n.idal);
          v != WaitCode::kNone)
        return v;
    }
    if (n.stops()) continue;
    for (u32 e = 0; e < n.successor_count; ++e) {
      if (!n.has_tic[e]) continue;
      u8 tic[8] = {ccw_cmd::kTic};
      if (WaitCode v = guard_ccw(reserved, storage_size, n.tic_address[e], tic);
          v != WaitCode::kNone)
        return v;
    }
  }
  return {};
}

}  // namespace ccwboot::dasd
