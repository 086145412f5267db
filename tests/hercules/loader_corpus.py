#!/usr/bin/env python3
"""A second, independent corpus of DASD IPL volumes, in the styles of real loaders.

tools/mkdasd and tools/volgen both build volumes from the project's own idea of
an IPL chain, through the project's own CKD writer (tools/ckd). This script
shares neither: it writes Hercules CKD 3390 images itself (the format as
/work/shared/docs/hercules.md describes it, 3390 track capacity from the
device's cell formula) and builds IPL1/IPL2 the way different loaders do:

  zipl       Seek, Search ID Equal, TIC back, Read Data, per record
  seqtrack   one search per track, then sequential Read Data of every record
             (12 x 4 KiB, 50 x 1 KiB, mixed sizes; "dense" tracks hold more
             than a real 3390 track would, which Hercules accepts)
  mtrun      one search per cylinder, then Read Multiple-Track Data (0x86)
             across its tracks; a new Seek per cylinder
  readr0     Seek, Read R0, then sequential reads from R1
  rckd       Seek, then sequential Read Count Key Data (keyed records)
  keyed      Search Key Equal loops, Read Key and Data
  idhigh     Search ID High / Equal-or-High loops
  seekhead   one Seek per cylinder, Seek Head for its other tracks
  chained    each record read into 2-4 buffers by data chaining
  ida        Read Data with indirect data addressing (scattered 2 KiB blocks)
  pciskip    PCI flags, records passed over with SKIP
  linked     a linked list of CCW blocks read by sequential reads
  selfmod    a Read that stores over the CCWs after it, a TIC target rewritten
  long       more than 256 CCWs in one segment

Each volume is one IPL1 style plus one to three loader phases, and sometimes
a damage that the hardware rejects or that never ends (Define Extent or Set
File Mask after Read IPL, no record found, a Seek outside the volume,
incorrect length, Read IPL again, endless loops, ...). Everything is derived
from (seed, index): the same pair gives the same volume, byte for byte.

Run each volume natively and through ccwboot in Hercules (the runner of
hercules_fuzz.py / hercules_batch.py) and classify; see --help and
docs/fuzzing.md ("Loader corpus").
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# --- the Hercules CKD image ----------------------------------------------------

HEADS = 15
TRACK_SLOT = 56832           # bytes per track in a Hercules 3390 image
TRACK_CELLS = 1729           # 34-byte cells on a 3390 track, R0 included
HEADER = 512


def _field_cells(n: int) -> int:
    # A key or data field: 6 ECC bytes per 232-byte group and 6 more, in cells.
    return -(-(n + 6 * -(-(n + 6) // 232) + 6) // 34)


def record_cells(kl: int, dl: int) -> int:
    return 9 + _field_cells(dl) + (9 + _field_cells(kl) if kl else 0)


class Volume:
    """Tracks of count-key-data records; .image() is the Hercules file."""

    def __init__(self) -> None:
        self.tracks: dict[tuple[int, int], list[tuple[int, bytes, bytes]]] = {}

    def records(self, c: int, h: int) -> list[tuple[int, bytes, bytes]]:
        return self.tracks.setdefault((c, h), [])

    def used(self, c: int, h: int) -> tuple[int, int]:
        recs = self.tracks.get((c, h), [])
        cells = record_cells(0, 8) + sum(record_cells(len(k), len(d)) for _, k, d in recs)
        size = 5 + 16 + sum(8 + len(k) + len(d) for _, k, d in recs) + 8
        return cells, size

    def fits(self, c: int, h: int, kl: int, dl: int, dense: bool = False) -> bool:
        cells, size = self.used(c, h)
        if size + 8 + kl + dl > TRACK_SLOT or len(self.tracks.get((c, h), [])) >= 255:
            return False
        return dense or cells + record_cells(kl, dl) <= TRACK_CELLS

    def add(self, c: int, h: int, data: bytes, key: bytes = b"", rec: int | None = None) -> int:
        recs = self.records(c, h)
        r = rec if rec is not None else (recs[-1][0] + 1 if recs else 1)
        recs.append((r, key, data))
        return r

    def cylinders(self) -> int:
        return max(c for c, _ in self.tracks) + 1 if self.tracks else 1

    def image(self, cylinders: int) -> bytes:
        out = bytearray(b"CKD_P370" + struct.pack("<IIBBH", HEADS, TRACK_SLOT, 0x90, 0, 0))
        out += bytes(HEADER - len(out))
        for c in range(cylinders):
            for h in range(HEADS):
                t = bytearray(b"\0" + struct.pack(">HH", c, h))              # home address
                t += struct.pack(">HHBBH", c, h, 0, 0, 8) + bytes(8)          # R0
                for r, k, d in self.tracks.get((c, h), []):
                    t += struct.pack(">HHBBH", c, h, r, len(k), len(d)) + k + d
                t += b"\xff" * 8
                assert len(t) <= TRACK_SLOT, (c, h)
                out += t + bytes(TRACK_SLOT - len(t))
        return bytes(out)


# --- channel programs ------------------------------------------------------

CD, CC, SLI, SKIP, PCI, IDA = 0x80, 0x40, 0x20, 0x10, 0x08, 0x04
READ_IPL, READ_DATA, READ_MT, READ_KD, READ_CKD, READ_COUNT, READ_R0 = (
    0x02, 0x06, 0x86, 0x0E, 0x1E, 0x12, 0x16)
SEEK, SEEK_HEAD, TIC, NOP = 0x07, 0x1B, 0x08, 0x03
SEARCH_EQ, SEARCH_HI, SEARCH_EH, SEARCH_KEY = 0x31, 0x51, 0x71, 0x29
DEFINE_EXTENT, SET_FILE_MASK, LOCATE = 0x63, 0x1F, 0x47


def ccw(cmd: int, addr: int, flags: int, count: int) -> bytes:
    assert 0 <= addr < 1 << 24 and 0 <= count < 1 << 16, (hex(addr), count)
    return struct.pack(">I", cmd << 24 | addr) + struct.pack(">BBH", flags, 0, count)


class Ref:
    """An address inside a Prog, known once the program is placed."""

    def __init__(self, kind: str, index: int, offset: int = 0) -> None:
        self.kind, self.index, self.offset = kind, index, offset


class Prog:
    """CCWs followed by their argument bytes, assembled at one address."""

    def __init__(self) -> None:
        self.ccws: list[list] = []
        self.args: list[bytes] = []

    def add(self, cmd: int, addr, flags: int, count: int) -> Ref:
        self.ccws.append([cmd, addr, flags, count])
        return Ref("ccw", len(self.ccws) - 1)

    def here(self) -> Ref:
        return Ref("ccw", len(self.ccws))

    def arg(self, data: bytes) -> Ref:
        self.args.append(data)
        return Ref("arg", len(self.args) - 1)

    def size(self) -> int:
        return 8 * len(self.ccws) + sum(-(-len(a) // 8) * 8 for a in self.args)

    def resolve(self, base: int, ref) -> int:
        if not isinstance(ref, Ref):
            return ref
        if ref.kind == "ccw":
            return base + 8 * ref.index + ref.offset
        off = 8 * len(self.ccws) + sum(-(-len(a) // 8) * 8 for a in self.args[:ref.index])
        return base + off + ref.offset

    def assemble(self, base: int) -> bytes:
        out = bytearray()
        for cmd, addr, flags, count in self.ccws:
            out += ccw(cmd, self.resolve(base, addr), flags, count)
        for a in self.args:
            out += a + bytes(-len(a) % 8)
        return bytes(out)


# --- the generator ---------------------------------------------------------

FIRMWARE = 0x00E00000     # ccwboot.ins in Hercules: keep loads below
TOP = 0x00C00000
WAIT_PSW = bytes.fromhex("000A000080C0DEF0")


def payload_code() -> bytes:
    # BASR 15,0; LPSW 6(15) (the PSW 8 bytes on); NOPR; the disabled wait PSW.
    return bytes.fromhex("0DF08200F0060700") + WAIT_PSW


class Gen:
    """One volume: the disk, storage in use, the program being built."""

    def __init__(self, seed: int, index: int) -> None:
        self.rng = random.Random(f"loader-corpus:{seed}:{index}")
        self.seed, self.index = seed, index
        self.vol = Volume()
        self.used: list[tuple[int, int]] = [(0, 0x200), (TOP, 1 << 24)]
        self.ranges: list[tuple[int, int]] = []
        self.features: set[str] = set()
        self.cursor = (0, 1)   # the next free track
        self.damage = ""
        self.entry = None

    # storage ---------------------------------------------------------------
    def free(self, start: int, size: int) -> bool:
        return all(start + size <= s or start >= e for s, e in self.used)

    def alloc(self, size: int, align: int = 8, lo: int = 0x200, hi: int = TOP) -> int:
        r = self.rng
        for _ in range(400):
            start = r.randrange(lo, hi - size) // align * align
            if start >= lo and self.free(start, size):
                self.used.append((start, start + size))
                return start
        raise RuntimeError("storage full")

    def wrote(self, start: int, size: int) -> None:
        if size > 0:
            self.ranges.append((start, start + size))

    def data(self, n: int) -> bytes:
        return self.rng.randbytes(n)

    # disk ------------------------------------------------------------------
    def next_track(self, skip: int = 0) -> tuple[int, int]:
        c, h = self.cursor
        h += skip
        c, h = c + h // HEADS, h % HEADS
        self.cursor = (c + (h + 1) // HEADS, (h + 1) % HEADS)
        return c, h

    def fresh_cylinder_start(self, tracks: int) -> tuple[int, int]:
        """A run of `tracks` free tracks inside one cylinder."""
        c, h = self.cursor
        if h + tracks > HEADS:
            c, h = c + 1, 0
        h += self.rng.randrange(0, HEADS - tracks - h + 1)
        self.cursor = (c + (h + tracks) // HEADS, (h + tracks) % HEADS)
        return c, h

    def place(self, sizes: list[int], keys: list[bytes] | None = None, dense: bool = False,
              c: int | None = None, h: int | None = None, one_cylinder: bool = False):
        """Records of these sizes on consecutive tracks from a fresh one;
        returns [(c, h, r, key, data)]."""
        if c is None:
            c, h = self.next_track(self.rng.choice([0, 0, 0, 1, 3]))
        out = []
        for i, n in enumerate(sizes):
            key = keys[i] if keys else b""
            if not self.vol.fits(c, h, len(key), n, dense):
                h += 1
                if h == HEADS:
                    if one_cylinder:
                        raise RuntimeError("cylinder full")
                    c, h = c + 1, 0
                if (c, h) >= self.cursor:
                    self.cursor = (c + (h + 1) // HEADS, (h + 1) % HEADS)
            d = self.data(n)
            r = self.vol.add(c, h, d, key)
            out.append((c, h, r, key, d))
        return out

    # the image being loaded ----------------------------------------------------
    def chunk(self, total: int, entry: bool) -> int:
        """Where a contiguous part of the system is loaded."""
        align = 0x1000 if self.rng.random() < 0.7 else 8
        lo = self.rng.choice([0x400, 0x2000, 0x10000, 0x100000])
        return self.alloc(total, align, lo=lo)


def seek_arg(c: int, h: int) -> bytes:
    return struct.pack(">HHH", 0, c, h)


def id_arg(c: int, h: int, r: int) -> bytes:
    return struct.pack(">HHB", c, h, r)


def sizes_for(g: Gen, total: int, style: str) -> list[int]:
    r = g.rng
    if style == "4k":
        n = 4096
    elif style == "1k":
        n = 1024
    elif style == "small":
        n = r.choice([80, 128, 256, 512])
    else:
        n = r.choice([512, 800, 1024, 2048, 3000, 4096, 6144, 8192, 12000])
    sizes = [n] * max(1, total // n)
    if style == "mixed":
        sizes = [r.choice([256, 1000, 2048, 4096, 5000, 8192]) for _ in range(max(1, total // 3000))]
    return sizes


def read_flags(g: Gen, last_in_chain: bool = False) -> int:
    f = CC
    if g.rng.random() < 0.5:
        f |= SLI
    if g.rng.random() < 0.08:
        f |= PCI
        g.features.add("pci")
    return f


# Each phase loads records into storage with CCWs added to prog and
# returns nothing; the records' data goes where the CCWs say.

SET_SECTOR = 0x23


def seek(g: Gen, prog: Prog, c: int, h: int) -> None:
    """A Seek, as some loaders follow it: Set Sector (rotational position
    sensing, as MVS IPL text does) or a NOP between it and the search."""
    prog.add(SEEK, prog.arg(seek_arg(c, h)), CC, 6)
    if g.sector:
        prog.add(SET_SECTOR, prog.arg(bytes([g.rng.randrange(0, 224)])), CC, 1)
    elif g.rng.random() < 0.05:
        g.features.add("nop")
        prog.add(NOP, 0, CC | SLI, 1)

def read_next(g: Gen, prog: Prog, addr: int, d: bytes) -> int:
    """A Read Data of record data `d` to `addr` (its flags drawn as every phase
    draws them); returns the address after it."""
    prog.add(READ_DATA, addr, read_flags(g), len(d))
    g.wrote(addr, len(d))
    return addr + len(d)


def phase_zipl(g: Gen, prog: Prog) -> None:
    sizes = sizes_for(g, g.rng.choice([8192, 20000, 40000]), g.rng.choice(["4k", "mixed", "any"]))
    recs = g.place(sizes)
    if g.rng.random() < 0.2:
        g.rng.shuffle(recs)  # loaders need not read in disk order
    base = g.chunk(sum(sizes), g.entry is None)
    addr = base
    for i, (c, h, r, key, d) in enumerate(recs):
        seek(g, prog, c, h)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, r)), CC, 5)
        prog.add(TIC, s, 0, 0)
        count, flags = len(d), read_flags(g)
        if i and g.rng.random() < 0.15:
            # A count that is not the record's: the read stops at the
            # shorter of the two, SLI keeps the chain going.
            g.features.add("count")
            count = max(1, min(0xFFFF, len(d) + g.rng.choice([-len(d) // 2, -1, 1, 64, 4000])))
            flags |= SLI
        prog.add(READ_DATA, addr, flags, count)
        g.wrote(addr, min(count, len(d)))
        addr += min(count, len(d))
    g.set_entry(base, recs[0])


def phase_rcount(g: Gen, prog: Prog) -> None:
    """Seek, then Read Count and Read Data of each record in turn (a loader
    that checks each count before it reads the data)."""
    g.features.add("rcount")
    c, h = g.next_track()
    recs = g.place(sizes_for(g, g.rng.choice([6000, 16000]), "any"), c=c, h=h)
    recs = [x for x in recs if (x[0], x[1]) == (c, h)]
    counts = g.alloc(8 * len(recs), 8)
    base = g.chunk(sum(len(x[4]) for x in recs), False)
    seek(g, prog, c, h)
    addr = base
    for i, (_, _, _, _, d) in enumerate(recs):
        prog.add(READ_COUNT, counts + 8 * i, CC, 8)
        g.wrote(counts + 8 * i, 8)
        addr = read_next(g, prog, addr, d)
    g.set_entry(base, recs[0])


def phase_track0(g: Gen, prog: Prog) -> None:
    """IPL text on track 0 after the volume label (R4 on), as OS loaders keep
    it: Seek 0/0, Search ID Equal on VOL1 (R3), then sequential reads."""
    g.features.add("track0")
    first = 4 + len(g.vol.records(0, 0))
    sizes = sizes_for(g, g.rng.choice([3000, 8000, 16000]), g.rng.choice(["any", "small", "4k"]))
    recs = []
    for i, n in enumerate(sizes[:40]):
        d = g.data(n)
        recs.append((0, 0, g.vol.add(0, 0, d, rec=first + i), b"", d))
    base = g.chunk(sum(len(x[4]) for x in recs), False)
    seek(g, prog, 0, 0)
    if g.rng.random() < 0.5:
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(0, 0, first)), CC, 5)
        prog.add(TIC, s, 0, 0)
    else:
        # Orient on the label (the read after a search reads the record it
        # matched), then pass over it and any text before ours with SKIP.
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(0, 0, 3)), CC, 5)
        prog.add(TIC, s, 0, 0)
        for _ in range(first - 3):
            prog.add(READ_DATA, 0, CC | SLI | SKIP, 1)
        g.features.add("skip")
    addr = base
    for _, _, _, _, d in recs:
        addr = read_next(g, prog, addr, d)
    g.set_entry(base, recs[0])


def phase_seqtrack(g: Gen, prog: Prog) -> None:
    style = g.rng.choice(["4k", "1k", "mixed", "small", "any"])
    dense = style == "1k" and g.rng.random() < 0.5   # 50 x 1 KiB: more than a 3390 holds
    if dense:
        g.features.add("dense")
    per_track = {"4k": 12, "1k": 50 if dense else 40}.get(style, 0)
    total = (per_track * (4096 if style == "4k" else 1024) * g.rng.choice([1, 1, 2])
             if per_track else g.rng.choice([10000, 30000, 60000]))
    recs = g.place(sizes_for(g, total, style), dense=dense)
    base = g.chunk(sum(len(x[4]) for x in recs), g.entry is None)
    addr, track = base, None
    for c, h, r, key, d in recs:
        if (c, h) != track:
            track = (c, h)
            seek(g, prog, c, h)
            s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, r)), CC, 5)
            prog.add(TIC, s, 0, 0)
        addr = read_next(g, prog, addr, d)
    g.set_entry(base, recs[0])


def phase_mtrun(g: Gen, prog: Prog) -> None:
    g.features.add("mt")
    cylinders = g.rng.choice([1, 1, 2])
    size = g.rng.choice([1024, 2048, 4096, 8192, 16384, 27998])
    base = None
    allrecs = []
    for _ in range(cylinders):
        tracks = g.rng.choice([2, 3, 5])
        c, h = g.fresh_cylinder_start(tracks)
        n = 0
        recs = []
        for t in range(tracks):
            k = 0
            while g.vol.fits(c, h + t, 0, size) and n < 60 and n * size < 98304:
                d = g.data(size)
                recs.append((c, h + t, g.vol.add(c, h + t, d), b"", d))
                k += 1
                n += 1
        # A loader reads the whole run with one search and MT reads.
        total = sum(len(x[4]) for x in recs)
        addr = g.chunk(total, False) if base is None or g.rng.random() < 0.5 else None
        if addr is None:
            addr = g.alloc(total, 8)
        base = base if base is not None else addr
        prog.add(SEEK, prog.arg(seek_arg(c, h)), CC, 6)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, 1)), CC, 5)
        prog.add(TIC, s, 0, 0)
        for i, (_, _, _, _, d) in enumerate(recs):
            prog.add(READ_DATA if i == 0 else READ_MT, addr, read_flags(g), len(d))
            g.wrote(addr, len(d))
            addr += len(d)
        allrecs += recs
    g.set_entry(base, allrecs[0])


def phase_readr0(g: Gen, prog: Prog) -> None:
    g.features.add("r0")
    recs = g.place(sizes_for(g, g.rng.choice([8000, 20000]), g.rng.choice(["4k", "any"])))
    recs = [x for x in recs if (x[0], x[1]) == (recs[0][0], recs[0][1])]
    c, h = recs[0][0], recs[0][1]
    scratch = g.alloc(16, 8)
    base = g.chunk(sum(len(x[4]) for x in recs), False)
    prog.add(SEEK, prog.arg(seek_arg(c, h)), CC, 6)
    prog.add(READ_R0, scratch, CC | SLI, 16)
    g.wrote(scratch, 16)
    addr = base
    for _, _, _, _, d in recs:
        addr = read_next(g, prog, addr, d)
    g.set_entry(base, recs[0])


def make_keys(g: Gen, n: int) -> list[bytes]:
    kl = g.rng.choice([4, 8, 12, 44])
    return [(b"BLK%05d" % (i + g.rng.randrange(100))).ljust(kl, b"\x40")[:kl] if kl >= 8
            else struct.pack(">I", 0x1000 + i)[:kl] for i in range(n)]


def phase_rckd(g: Gen, prog: Prog) -> None:
    g.features.add("rckd")
    sizes = sizes_for(g, g.rng.choice([6000, 16000]), "any")
    c, h = g.next_track()
    recs = g.place(sizes, make_keys(g, len(sizes)), c=c, h=h)
    recs = [x for x in recs if (x[0], x[1]) == (c, h)]
    total = sum(8 + len(k) + len(d) for _, _, _, k, d in recs)
    base = g.chunk(total, False)
    prog.add(SEEK, prog.arg(seek_arg(c, h)), CC, 6)
    addr = base
    for _, _, _, k, d in recs:
        prog.add(READ_CKD, addr, read_flags(g), 8 + len(k) + len(d))
        g.wrote(addr, 8 + len(k) + len(d))
        addr += 8 + len(k) + len(d)
    g.set_entry(base + 8 + len(recs[0][3]), recs[0])


def phase_keyed(g: Gen, prog: Prog) -> None:
    g.features.add("key")
    sizes = sizes_for(g, g.rng.choice([6000, 16000, 30000]), g.rng.choice(["any", "4k"]))
    keys = make_keys(g, len(sizes))
    recs = g.place(sizes, keys)
    kd = g.rng.random() < 0.5
    total = sum(len(d) + (len(k) if kd else 0) for *_, k, d in recs)
    base = g.chunk(total, False)
    addr = base
    for c, h, r, k, d in recs:
        seek(g, prog, c, h)
        if g.rng.random() < 0.6:
            s = prog.add(SEARCH_KEY, prog.arg(k), CC, len(k))
        else:
            s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, r)), CC, 5)
        prog.add(TIC, s, 0, 0)
        n = len(d) + (len(k) if kd else 0)
        prog.add(READ_KD if kd else READ_DATA, addr, read_flags(g), n)
        g.wrote(addr, n)
        addr += n
    g.set_entry(base + (len(recs[0][3]) if kd else 0), recs[0])


def phase_idhigh(g: Gen, prog: Prog) -> None:
    g.features.add("idhigh")
    recs = g.place(sizes_for(g, g.rng.choice([8000, 20000]), "any"))
    base = g.chunk(sum(len(x[4]) for x in recs), False)
    addr = base
    for c, h, r, k, d in recs:
        seek(g, prog, c, h)
        if g.rng.random() < 0.5:
            s = prog.add(SEARCH_HI, prog.arg(id_arg(c, h, r - 1)), CC, 5)
        else:
            s = prog.add(SEARCH_EH, prog.arg(id_arg(c, h, r)), CC, 5)
        prog.add(TIC, s, 0, 0)
        addr = read_next(g, prog, addr, d)
    g.set_entry(base, recs[0])


def phase_seekhead(g: Gen, prog: Prog) -> None:
    g.features.add("seekhead")
    tracks = g.rng.choice([2, 3, 4])
    c, h = g.fresh_cylinder_start(tracks)
    recs = []
    for t in range(tracks):
        recs += g.place(sizes_for(g, g.rng.choice([4096, 9000]), "any")[:3], c=c, h=h + t,
                        one_cylinder=True)
    base = g.chunk(sum(len(x[4]) for x in recs), False)
    addr, track = base, None
    for rc, rh, r, k, d in recs:
        if (rc, rh) != track:
            first = track is None
            track = (rc, rh)
            prog.add(SEEK if first else SEEK_HEAD, prog.arg(seek_arg(rc, rh)), CC, 6)
            s = prog.add(SEARCH_EQ, prog.arg(id_arg(rc, rh, r)), CC, 5)
            prog.add(TIC, s, 0, 0)
        addr = read_next(g, prog, addr, d)
    g.set_entry(base, recs[0])


def phase_chained(g: Gen, prog: Prog) -> None:
    g.features.add("cd")
    recs = g.place(sizes_for(g, g.rng.choice([8000, 20000]), g.rng.choice(["4k", "any"])))
    for c, h, r, k, d in recs:
        seek(g, prog, c, h)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, r)), CC, 5)
        prog.add(TIC, s, 0, 0)
        cuts = sorted(g.rng.sample(range(1, len(d)), min(len(d) - 1, g.rng.randint(1, 3))))
        pieces = [b - a for a, b in zip([0] + cuts, cuts + [len(d)])]
        for i, n in enumerate(pieces):
            addr = g.alloc(n, g.rng.choice([1, 8, 0x800]))
            last = i == len(pieces) - 1
            prog.add(READ_DATA, addr, (CC | SLI) if last else CD | CC, n)
            g.wrote(addr, n)


def phase_ida(g: Gen, prog: Prog) -> None:
    g.features.add("ida")
    recs = g.place(sizes_for(g, g.rng.choice([8000, 16000]), g.rng.choice(["4k", "any"])))
    for c, h, r, k, d in recs:
        seek(g, prog, c, h)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, r)), CC, 5)
        prog.add(TIC, s, 0, 0)
        # The first IDAW anywhere, the others at 2 KiB boundaries, scattered.
        first = g.alloc(0x800, 0x800) + g.rng.choice([0, 0, 0x100, 0x7F8])
        idaws, left, at = [first], len(d), first
        left -= 0x800 - (first & 0x7FF)
        g.wrote(first, min(len(d), 0x800 - (first & 0x7FF)))
        while left > 0:
            at = g.alloc(0x800, 0x800)
            idaws.append(at)
            g.wrote(at, min(left, 0x800))
            left -= 0x800
        prog.add(READ_DATA, prog.arg(b"".join(struct.pack(">I", a) for a in idaws)),
                 CC | SLI | IDA, len(d))


def phase_pciskip(g: Gen, prog: Prog) -> None:
    g.features.update({"pci", "skip"})
    recs = g.place(sizes_for(g, g.rng.choice([8000, 16000]), "any"))
    c, h = recs[0][0], recs[0][1]
    recs = [x for x in recs if (x[0], x[1]) == (c, h)]
    base = g.chunk(sum(len(x[4]) for x in recs), False)
    prog.add(SEEK, prog.arg(seek_arg(c, h)), CC | PCI, 6)
    s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, recs[0][2])), CC, 5)
    prog.add(TIC, s, 0, 0)
    addr = base
    for i, (_, _, _, _, d) in enumerate(recs):
        skip = i > 0 and g.rng.random() < 0.3
        prog.add(READ_DATA, addr, CC | SLI | (SKIP if skip else 0) | (PCI if g.rng.random() < 0.3 else 0),
                 len(d))
        if not skip:
            g.wrote(addr, len(d))
        addr += len(d)
    g.set_entry(base, recs[0])


def phase_linked(g: Gen, prog: Prog) -> None:
    """A list of CCW blocks, each read by the one before with sequential reads:
    [Read Data the next record -> data, Read Data the next record -> next block, TIC]."""
    g.features.add("linked")
    n = g.rng.choice([3, 6, 12, 30])
    mt = g.rng.random() < 0.4
    same_buffer = g.rng.random() < 0.3
    c, h = g.next_track()
    size = g.rng.choice([512, 2048, 4096])
    # Disk: block 0, then data 0, block 1, data 1, ...; placed now, contents later.
    layout = []
    for i in range(n):
        layout.append(("data", size))
        layout.append(("block", 24))
    t_c, t_h = c, h
    placed = []
    for kind, sz in layout:
        if not g.vol.fits(t_c, t_h, 0, sz):
            if not mt:
                break
            t_h += 1
            if t_h == HEADS:
                break
            g.cursor = max(g.cursor, (t_c + (t_h + 1) // HEADS, (t_h + 1) % HEADS))
        r = g.vol.add(t_c, t_h, bytes(sz))
        placed.append([kind, t_c, t_h, r, sz])
    while placed and placed[-1][0] != "data":
        g.vol.records(placed[-1][1], placed[-1][2]).pop()
        placed.pop()
    if mt:
        g.features.add("mt")
    if same_buffer:
        g.features.add("onebuffer")
    buffers = [g.alloc(24, 8) for _ in range(1 if same_buffer else 2)]
    base = g.chunk(size * n, False)
    # IPL2's part: orient on the first record, read block 0... but the first
    # record is data: IPL2 reads data 0 and block 0 like every block does.
    first = placed[0]
    prog.add(SEEK, prog.arg(seek_arg(first[1], first[2])), CC, 6)
    s = prog.add(SEARCH_EQ, prog.arg(id_arg(first[1], first[2], first[3])), CC, 5)
    prog.add(TIC, s, 0, 0)
    rd = READ_MT if mt else READ_DATA
    addr = base
    blocks = [p for p in placed if p[0] == "block"]
    datas = [p for p in placed if p[0] == "data"]
    prog.add(READ_DATA, addr, CC | SLI, size)
    g.wrote(addr, size)
    addr += size
    if blocks:
        prog.add(rd, buffers[0], CC, 24)
        prog.add(TIC, buffers[0], 0, 0)
    for i, blk in enumerate(blocks):
        here = buffers[i % len(buffers)]
        nxt = buffers[(i + 1) % len(buffers)]
        g.wrote(here, 24)
        more = i + 1 < len(blocks)
        d_addr = addr
        addr += size
        g.wrote(d_addr, size)
        # Every block ends in a TIC to the next: with one buffer the Read at
        # +8 stores the next block over the running one, and the channel goes
        # on with the new block's TIC at +16.
        if more:
            body = ccw(rd, d_addr, CC | SLI, size) + ccw(rd, nxt, CC, 24) + ccw(TIC, nxt, 0, 0)
        else:
            body = ccw(rd, d_addr, SLI, size) + ccw(NOP, 0, SLI, 1) + ccw(TIC, nxt, 0, 0)
        recs = g.vol.records(blk[1], blk[2])
        idx = next(j for j, x in enumerate(recs) if x[0] == blk[3])
        recs[idx] = (blk[3], b"", body)
    for d in datas:
        g.replace(d[1], d[2], d[3], g.data(size))
    d0 = datas[0]
    g.set_entry(base, (d0[1], d0[2], d0[3], b"", g.data(size)))


def phase_selfmod(g: Gen, prog: Prog) -> None:
    """A Read that stores the CCWs that follow it, or one that rewrites a TIC's
    target; both end the program, so they come last."""
    g.features.add("selfmod")
    recs = g.place(sizes_for(g, g.rng.choice([4096, 12000]), "any"))
    base = g.chunk(sum(len(x[4]) for x in recs), False)
    offs = [sum(len(x[4]) for x in recs[:i]) for i in range(len(recs))]
    first, rest = recs[:1], recs[1:]

    def reads(p: Prog, part, start: int) -> None:
        for (c, h, r, _, d), off in zip(part, offs[start:]):
            p.add(SEEK, p.arg(seek_arg(c, h)), CC, 6)
            s = p.add(SEARCH_EQ, p.arg(id_arg(c, h, r)), CC, 5)
            p.add(TIC, s, 0, 0)
            p.add(READ_DATA, base + off, CC | SLI, len(d))
            g.wrote(base + off, len(d))

    reads(prog, first, 0)
    if g.rng.random() < 0.5 or not rest:
        # The rest of the program is on disk: a Read stores it over the
        # placeholder CCWs that follow the Read (NOPs that would end the chain).
        sub = Prog()
        reads(sub, rest, 1)
        sub.add(NOP, 0, SLI, 1)
        c, h = g.next_track()
        r = g.vol.add(c, h, b"")
        prog.add(SEEK, prog.arg(seek_arg(c, h)), CC, 6)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, r)), CC, 5)
        prog.add(TIC, s, 0, 0)
        spot = prog.here()
        spot.index += 1
        prog.add(READ_DATA, spot, CC | SLI, sub.size())
        for _ in range(sub.size() // 8):
            prog.add(NOP, 0, SLI, 1)

        def fill(ipl2_at: int) -> None:
            at = prog.resolve(ipl2_at, spot)
            g.replace(c, h, r, sub.assemble(at))
            g.wrote(at, sub.size())
        g.after.append(fill)
        g.features.add("readover")
    else:
        # The last TIC points at a chain that looks for a record that is not
        # there; a Read just before it stores the address of the right one.
        c, h = g.next_track()
        r = g.vol.add(c, h, b"")
        prog.add(SEEK, prog.arg(seek_arg(c, h)), CC, 6)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, r)), CC, 5)
        prog.add(TIC, s, 0, 0)
        tic = Ref("ccw", len(prog.ccws) + 1)
        prog.add(READ_DATA, tic, CC | SLI, 4)
        bad = Ref("ccw", len(prog.ccws) + 1 + 4 * len(rest) + 1)
        prog.add(TIC, bad, 0, 0)
        good = prog.here()
        reads(prog, rest, 1)
        prog.add(NOP, 0, SLI, 1)
        assert prog.here().index == bad.index
        bc, bh, _, _, _ = recs[0]
        prog.add(SEEK, prog.arg(seek_arg(bc, bh)), CC, 6)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(bc, bh, 0xEE)), CC, 5)
        prog.add(TIC, s, 0, 0)
        prog.add(READ_DATA, base, SLI, 8)

        def fill(ipl2_at: int) -> None:
            g.replace(c, h, r, struct.pack(">I", TIC << 24 | prog.resolve(ipl2_at, good)))
            g.wrote(prog.resolve(ipl2_at, tic), 4)
        g.after.append(fill)
        g.features.add("ticfix")
    g.set_entry(base, recs[0])


def phase_long(g: Gen, prog: Prog) -> None:
    g.features.add("long")
    mt = g.rng.random() < 0.5
    size = g.rng.choice([64, 128, 256])
    n = g.rng.randint(270, 400)
    tracks = 3 if mt else 1
    c, h = g.fresh_cylinder_start(tracks)
    recs = []
    for t in range(tracks):
        while g.vol.fits(c, h + t, 0, size, dense=True) and len(recs) < n:
            d = g.data(size)
            recs.append((c, h + t, g.vol.add(c, h + t, d), b"", d))
    if not mt:
        g.features.add("dense")
    base = g.chunk(size * len(recs), False)
    prog.add(SEEK, prog.arg(seek_arg(c, h)), CC, 6)
    s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, 1)), CC, 5)
    prog.add(TIC, s, 0, 0)
    addr = base
    for i, (rc, rh, _, _, d) in enumerate(recs):
        prog.add(READ_MT if mt and i else READ_DATA, addr, CC | SLI, len(d))
        g.wrote(addr, len(d))
        addr += len(d)
    g.set_entry(base, recs[0])


PHASES = {
    "zipl": phase_zipl, "seqtrack": phase_seqtrack, "mtrun": phase_mtrun,
    "readr0": phase_readr0, "rckd": phase_rckd, "keyed": phase_keyed, "idhigh": phase_idhigh,
    "seekhead": phase_seekhead, "chained": phase_chained, "ida": phase_ida,
    "pciskip": phase_pciskip, "linked": phase_linked, "selfmod": phase_selfmod,
    "long": phase_long, "rcount": phase_rcount, "track0": phase_track0,
}
# Phases that end the program themselves: only last.
ENDING = {"linked", "selfmod"}
# Phases that load the start of the system (the IPL PSW's entry) somewhere.
ENTRY = {"zipl", "seqtrack", "mtrun", "readr0", "idhigh", "seekhead", "long", "pciskip",
         "rcount", "track0",
         "linked", "selfmod"}

# What the hardware rejects, or never ends. Those marked * append CCWs at the
# program's end and so need a program that does not end by itself.
DAMAGES = ["dx_after_ipl", "sfm_after_ipl", "il_nosli", "bad_psw", "*no_record",
           "*seek_outside", "*read_ipl_again", "*endless_reseek", "*endless_nop",
           "*endless_r0", "*endless_ring", "*mt_past_cyl", "*bad_command", "*dx_in_ipl2", "*seek_head_first"]
IPL1_STYLES = ["std", "std", "std", "exact", "rkd", "mt", "over"]


def set_entry(self: Gen, at: int, rec) -> None:
    """The system's entry is at `at`, where record `rec` is read: it gets the code."""
    if self.entry is not None:
        return
    c, h, r, k, d = rec
    code = payload_code()
    if len(d) < len(code) or at & 7:
        return
    self.entry = at
    self.replace(c, h, r, code + d[len(code):])


def replace(self: Gen, c: int, h: int, r: int, data: bytes) -> None:
    t = self.vol.records(c, h)
    j = next(i for i, x in enumerate(t) if x[0] == r)
    t[j] = (r, t[j][1], data)


Gen.set_entry = set_entry
Gen.replace = replace


def apply_damage(g: Gen, prog: Prog, damage: str) -> None:
    if damage == "endless_reseek":
        prog.add(TIC, Ref("ccw", 0), 0, 0)        # the whole program again, forever
    elif damage == "endless_nop":
        n = prog.add(NOP, 0, CC | SLI, 1)
        prog.add(TIC, n, 0, 0)
    elif damage == "endless_ring":
        # A CCW block on disk that reads itself again and jumps to itself:
        # each pass reads a record, so only time (or proof that nothing
        # changes) shows that it never ends.
        c, h = g.next_track()
        r = g.vol.add(c, h, bytes(64))
        at = g.alloc(64, 8)
        blk = Prog()
        blk.add(SEEK, blk.arg(seek_arg(c, h)), CC, 6)
        s = blk.add(SEARCH_EQ, blk.arg(id_arg(c, h, r)), CC, 5)
        blk.add(TIC, s, 0, 0)
        blk.add(READ_DATA, at, CC | SLI, 64)
        blk.add(TIC, at, 0, 0)
        g.replace(c, h, r, blk.assemble(at).ljust(64, b"\0"))
        prog.add(SEEK, prog.arg(seek_arg(c, h)), CC, 6)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, r)), CC, 5)
        prog.add(TIC, s, 0, 0)
        prog.add(READ_DATA, at, CC | SLI, 64)
        prog.add(TIC, at, 0, 0)
        g.wrote(at, 64)
    elif damage == "endless_r0":
        scratch = g.alloc(16, 8)
        prog.add(SEEK, prog.arg(seek_arg(0, 1)), CC, 6)
        n = prog.add(READ_R0, scratch, CC | SLI, 16)
        prog.add(TIC, n, 0, 0)
        g.wrote(scratch, 16)
    elif damage == "no_record":
        prog.add(SEEK, prog.arg(seek_arg(0, 0)), CC, 6)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(0, 0, 0x7F)), CC, 5)
        prog.add(TIC, s, 0, 0)
        prog.add(READ_DATA, 0x300, CC | SLI, 8)
    elif damage == "seek_outside":
        prog.add(SEEK, prog.arg(seek_arg(g.vol.cylinders() + 40, 0)), CC, 6)
        prog.add(NOP, 0, SLI, 1)
    elif damage == "read_ipl_again":
        prog.add(READ_IPL, 0x300, CC | SLI, 24)
    elif damage == "dx_in_ipl2":
        prog.add(DEFINE_EXTENT, prog.arg(bytes(16)), CC, 16)
        prog.add(NOP, 0, SLI, 1)
    elif damage == "bad_command":
        prog.add(0xF4, 0x300, CC | SLI, 8)
        prog.add(NOP, 0, SLI, 1)
    elif damage == "seek_head_first":
        # Seek Head to a cylinder the previous Seek did not reach: still fine
        # for the 3990 (it keeps the cylinder); then read a record that is not there.
        prog.add(SEEK_HEAD, prog.arg(seek_arg(0, 7)), CC, 6)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(0, 7, 0x33)), CC, 5)
        prog.add(TIC, s, 0, 0)
        prog.add(READ_DATA, 0x300, SLI, 8)
    elif damage == "mt_past_cyl":
        c = g.vol.cylinders()
        for h in range(HEADS - 2, HEADS):
            g.vol.add(c, h, g.data(1024))
        prog.add(SEEK, prog.arg(seek_arg(c, HEADS - 2)), CC, 6)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, HEADS - 2, 1)), CC, 5)
        prog.add(TIC, s, 0, 0)
        buf = g.alloc(4096, 8)
        for _ in range(4):
            prog.add(READ_MT, buf, CC | SLI, 1024)
        g.wrote(buf, 4096)
    elif damage == "il_nosli":
        # A Read Data whose count is short of its record, without SLI.
        reads = [x for x in prog.ccws if x[0] == READ_DATA and not x[2] & (CD | IDA | SKIP)
                 and isinstance(x[1], int) and x[3] > 16]
        if reads:
            x = g.rng.choice(reads)
            x[2] &= ~SLI
            x[3] -= 8


def generate(seed: int, index: int, out_dir: Path | None = None) -> dict:
    """Volume `index` of `seed`: its description, and with out_dir its image there."""
    g = Gen(seed, index)
    g.after = []           # fix-ups once IPL2's address is known
    rng = g.rng
    g.sector = rng.random() < 0.15
    if g.sector:
        g.features.add("sector")
    ipl1_style = rng.choice(IPL1_STYLES)
    n_phases = rng.choice([1, 1, 2, 2, 3])
    names = [rng.choice(sorted(set(PHASES) - ENDING)) for _ in range(n_phases)]
    if rng.random() < 0.3:
        names[-1] = rng.choice(sorted(ENDING))
    if not ENTRY & set(names):
        names.insert(0, "zipl")
    damage = rng.choice(DAMAGES) if rng.random() < 0.18 else ""
    if damage.startswith("*") and names[-1] in ENDING:
        damage = rng.choice([d for d in DAMAGES if not d.startswith("*")])
    damage = damage.lstrip("*")
    prog = Prog()
    for name in names:
        PHASES[name](g, prog)
    assert g.entry is not None, names
    apply_damage(g, prog, damage)
    decoy = not damage and names[-1] not in ENDING and rng.random() < 0.1
    if decoy:
        # The IPL PSW is read last, over absolute 0: IPL1's own PSW is a
        # disabled wait that only a wrong IPL would load.
        g.features.add("psw0")
        c, h = g.next_track()
        r = g.vol.add(c, h, bytes(8))
        seek(g, prog, c, h)
        s = prog.add(SEARCH_EQ, prog.arg(id_arg(c, h, r)), CC, 5)
        prog.add(TIC, s, 0, 0)
        prog.add(READ_DATA, 0, SLI, 8)
    if names[-1] not in ENDING and prog.ccws[-1][0] != TIC:
        prog.ccws[-1][2] &= ~CC            # the last CCW ends the IPL
    # IPL2 is R2 of track 0, where dasdinit and ICKDSF put it.
    size = prog.size()
    if ipl1_style == "over" and 0x10 + size <= 0x200 + 0x400 and g.free(0x200, 0x10 + size - 0x200):
        ipl2_at = 0x10
        g.used.append((0x200, max(0x201, 0x10 + size)))
    else:
        ipl1_style = "std" if ipl1_style == "over" else ipl1_style
        ipl2_at = g.alloc(size + 8, 8, lo=0x200, hi=rng.choice([0x10000, 0x100000, TOP])) + 8
    for fix in g.after:
        fix(ipl2_at)
    ipl2 = prog.assemble(ipl2_at)
    g.wrote(ipl2_at, len(ipl2))
    # IPL1: the PSW, a Read of IPL2 and a TIC to it.
    am31 = rng.random() < 0.7
    psw = struct.pack(">II", 0x00080000, (0x80000000 if am31 else 0) | g.entry)
    if damage == "bad_psw":
        psw = struct.pack(">II", 0x00000000, g.entry)  # bit 12 off: not an ESA/390 PSW
    if decoy:
        g.replace(c, h, r, psw)
        psw = bytes.fromhex("000A000080DEC0DE")
    if ipl1_style == "over":
        # IPL2 lands on IPL1's second CCW, which the channel then fetches.
        cmd = {"dx_after_ipl": DEFINE_EXTENT, "sfm_after_ipl": SET_FILE_MASK}.get(damage, READ_DATA)
        ipl1 = psw + ccw(cmd, 0x10, CC | SLI, len(ipl2)) + ccw(NOP, 0, 0, 1)
    else:
        cmd = {"rkd": READ_KD, "mt": READ_MT}.get(ipl1_style, READ_DATA)
        cmd = {"dx_after_ipl": DEFINE_EXTENT, "sfm_after_ipl": SET_FILE_MASK}.get(damage, cmd)
        key = 4 if ipl1_style == "rkd" else 0
        flags = CC if ipl1_style == "exact" else CC | SLI
        count = len(ipl2) + key + (0 if ipl1_style == "exact" else rng.choice([0, 0, 8, 200]))
        ipl1 = psw + ccw(cmd, ipl2_at - key, flags, count) + ccw(TIC, ipl2_at, 0, 0)
        g.wrote(ipl2_at - key, count)
    t0 = g.vol.records(0, 0)
    t0[:0] = [(1, b"IPL1", ipl1), (2, b"IPL2", ipl2),
              (3, b"VOL1", b"VOL1" + b"LDR%03d" % (index % 1000) + bytes(69))]
    g.wrote(0, 24)
    cylinders = g.vol.cylinders() + rng.choice([0, 0, 1])
    vol = {
        "index": index, "seed": seed, "ipl1": ipl1_style, "structure": "+".join(names),
        "damage": damage, "features": ",".join(sorted(g.features)), "cylinders": cylinders,
        "entry": g.entry, "ccws": len(prog.ccws), "ranges": [list(r) for r in merge(g.ranges)],
        "ipl1_hex": ipl1.hex(), "ipl2_at": ipl2_at,
        "ipl2_hex": ipl2[:8 * len(prog.ccws)].hex(),
    }
    if out_dir is not None:
        path = Path(out_dir) / f"ldr-{index}.3390"
        path.write_bytes(g.vol.image(cylinders))
        vol["file"] = str(path)
    return vol


def merge(ranges):
    out = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


# --- describing a volume -------------------------------------------------------

NAMES = {0x02: "ReadIPL", 0x03: "NOP", 0x06: "RD", 0x86: "RD-MT", 0x0E: "RKD", 0x8E: "RKD-MT",
         0x1E: "RCKD", 0x12: "RCount", 0x16: "RR0", 0x07: "Seek", 0x1B: "SeekHead", 0x08: "TIC",
         0x31: "SrchIdEq", 0x51: "SrchIdHi", 0x71: "SrchIdEH", 0x29: "SrchKeyEq", 0x63: "DX",
         0x1F: "SFM", 0xF4: "(0xF4)", 0x23: "SetSector"}


def ccw_text(at: int, raw: bytes) -> str:
    cmd, a3, flags, count = raw[0], int.from_bytes(raw[1:4], "big"), raw[4], int.from_bytes(raw[6:8], "big")
    fl = "".join(n for n, b in (("CD", CD), ("CC", CC), ("SLI", SLI), ("SKIP", SKIP), ("PCI", PCI),
                                ("IDA", IDA)) if flags & b)
    return f"{at:06x}: {raw.hex()}  {NAMES.get(cmd, hex(cmd))} {a3:#x} {fl or '-'} {count}"


def describe(vol: dict) -> str:
    out = [f"seed {vol['seed']} volume {vol['index']}: ipl1 {vol['ipl1']}, {vol['structure']}, "
           f"damage {vol['damage'] or '-'}, features {vol['features'] or '-'}, "
           f"{vol['cylinders']} cylinder(s), entry {vol['entry']:#x}, {vol['ccws']} CCWs in IPL2"]
    ipl1 = bytes.fromhex(vol["ipl1_hex"])
    out.append(f"  IPL1 PSW {ipl1[:8].hex()}")
    out += ["  " + ccw_text(a, ipl1[a:a + 8]) for a in (8, 16)]
    ipl2 = bytes.fromhex(vol["ipl2_hex"])
    out += ["  " + ccw_text(vol["ipl2_at"] + i, ipl2[i:i + 8]) for i in range(0, len(ipl2), 8)]
    return "\n".join(out)


# --- running the corpus in Hercules ------------------------------------------------

import hercules_fuzz  # noqa: E402
import re  # noqa: E402

_DETAIL_SKIP = ("ccwboot: check:", "ccwboot: stopping", "ccwboot: boot device", "ccwboot: 16 MiB")


def refusal_detail(log: str) -> str:
    """What ccwboot said before 'stopping with wait code': its 'check:' line
    (the reason), else its last message line."""
    lines = [ln[ln.index("ccwboot:"):].strip() for ln in log.splitlines() if "ccwboot:" in ln]
    message, check = "", ""
    for ln in lines:
        if ln.startswith("ccwboot: stopping"):
            break
        if ln.startswith("ccwboot: check:"):
            check = ln[len("ccwboot: check: "):]
        elif not ln.startswith(_DETAIL_SKIP):
            message, check = ln[len("ccwboot: "):], ""
    return check or message


def detail_pattern(detail: str) -> str:
    return re.sub(r"\b(0x[0-9a-fA-F]+|[0-9a-fA-F]{6,}|\d+)\b", "#", detail)[:160]


# Refusals of volumes the hardware boots that are open issues, by wait code and
# ccwboot's 'check:' line (what the Hercules console shows), each with why. A
# refusal of a volume the hardware boots that is neither here nor on
# hercules_fuzz.ALLOWED_REFUSALS fails the run (unless --open-classes names it).
KNOWN_OPEN: dict[tuple[str, str], str] = {
    # (none since session 5: orientation past 8 records, exact IDA blocks)
}


class LoaderRun(hercules_fuzz.Run):
    def __init__(self, args) -> None:
        super().__init__(args)
        self.out = Path(args.out) / f"loader-seed-{args.seed}"
        self.table: dict[tuple[str, str, str], list] = {}
        self.sim_table: dict[str, list[int]] = {}
        self.endless: list[tuple[float, int]] = []
        self.sim_errors: list[tuple[int, str]] = []
        self.sim_why: collections.Counter = collections.Counter()
        self.sim_ex: dict[str, int] = {}

    def make_volumes(self, indices: list[int], tmp: str) -> list[dict]:
        vols = [generate(self.args.seed, i, Path(tmp)) for i in indices]
        if self.args.sim:
            sim_run(self.args.volgen, vols)
            with self.lock:
                for v in vols:
                    if "sim_error" in v:  # tools/ckd's reader refused this writer's image
                        self.sim_errors.append((v["index"], v["sim_error"]))
        return vols

    def rebuild_command(self, vol: dict) -> str:
        return f"tests/hercules/loader_corpus.py --seed {vol['seed']} --describe {vol['index']}"

    def rerun_command(self) -> str:
        return "tests/hercules/loader_corpus.py"

    def judge(self, vol, native, boot) -> tuple[str, str]:
        # A refusal is told apart by its 'check:' line too: "CODE: line".
        klass, detail = super().judge(vol, native, boot)
        if klass in ("refused", "agree-fail"):
            detail = f"{detail}: {refusal_detail(boot.result.log)}"
        return klass, detail

    def tolerated(self, detail: str) -> bool:
        code, _, line = detail.partition(": ")
        return super().tolerated(code) or (not self.args.strict and (code, line) in KNOWN_OPEN)

    def retry(self, klass, detail, native, boot) -> bool:
        # ccwboot's 1.5 s budget runs on Hercules' TOD clock, wall time: on a
        # machine shared with other emulators a long chain can run out of it.
        return super().retry(klass, detail, native, boot) or (
            klass == "refused" and detail.startswith("kDasdTimeBudget"))

    def sim_agreement(self, vol, native, boot, klass, memfile) -> None:
        before = (self.sim["hw-agree"], self.sim["core-agree"], self.sim["volumes"])
        super().sim_agreement(vol, native, boot, klass, memfile)
        if self.sim["volumes"] == before[2]:
            return
        hw_ok = self.sim["hw-agree"] > before[0]
        core_ok = self.sim["core-agree"] > before[1]
        err = (vol.get("hw") or {}).get("error", "")
        hw = vol.get("hw") or {}
        if err:
            why = re.sub(r"\d+", "#", err)[:70]
        elif hw.get("payload_error"):  # the simulator's payload CPU, not its channel
            why = "payload: " + re.sub(r"[0-9a-f]{6,}", "#", hw["payload_error"])[:60]
        else:
            why = "boots, but storage or wait PSW differ" if hw.get("ok") else ""
        with self.lock:
            for f in vol["features"].split(",") + ["all"]:
                if f:
                    t = self.sim_table.setdefault(f, [0, 0, 0])
                    t[0] += 1
                    t[1] += hw_ok
                    t[2] += core_ok
            if not hw_ok:
                self.sim_why[why] += 1
                self.sim_ex.setdefault(why, vol["index"])

    def record(self, vol, klass, detail, native, boot) -> None:
        if klass in ("refused", "agree-fail"):
            code, _, line = detail.partition(": ")
            key = (klass, code, detail_pattern(line))
        elif klass == "booted-but-hardware-failed":
            key = (klass, "", re.sub(r"[0-9A-F]{8}", "#", native.result.end_message)[:100])
        elif klass == "differ":
            key = (klass, "", hercules_fuzz.signature(klass, detail))
        else:
            key = (klass, "", "")
        if native.result.outcome == "timeout" and klass == "agree-fail":
            # The hardware never ends: how long ccwboot took to refuse (the
            # step's time from its marker, the firmware's start included).
            with self.lock:
                self.endless.append((boot.elapsed, vol["index"]))
        status = ""
        if klass == "refused":
            code, _, line = detail.partition(": ")
            status = ("allowed" if code in hercules_fuzz.ALLOWED_REFUSALS else
                      "known-open" if self.tolerated(detail) else "FAILS")
        elif klass in ("differ", "booted-but-hardware-failed", "unjudged"):
            status = "FAILS"
        with self.lock:
            entry = self.table.setdefault(key, [0, [], collections.Counter(), status])
            entry[0] += 1
            if len(entry[1]) < 3:
                entry[1].append(vol["index"])
            entry[2][vol["structure"].split("+")[-1] if not vol["damage"] else
                     "damage:" + vol["damage"]] += 1

    def triage(self) -> str:
        rows = ["| class | wait code | ccwboot's 'check:' line (numbers as #) | volumes | "
                "examples (index) | last phase or damage | status |",
                "|---|---|---|---|---|---|---|"]
        order = {"differ": 0, "booted-but-hardware-failed": 1, "refused": 2, "unjudged": 3,
                 "agree-fail": 4, "agree-boot": 5}
        for (klass, code, line), (n, ex, kinds, status) in sorted(
                self.table.items(), key=lambda kv: (order.get(kv[0][0], 9), -kv[1][0])):
            k = ", ".join(f"{a} {b}" for a, b in kinds.most_common(4))
            rows.append(f"| {klass} | {code or '-'} | {line.replace('|', '/') or '-'} | {n} | "
                        f"{' '.join(map(str, ex))} | {k} | {status or '-'} |")
        if self.endless:
            t, i = max(self.endless)
            rows += ["", f"endless chains (the native IPL never ends): {len(self.endless)}, "
                     f"ccwboot refused each within {t:.2f} s (slowest: volume {i})"]
        if self.args.sim:
            rows += ["", f"images tools/ckd's reader (volgen --load) refused: {len(self.sim_errors)}"
                     + "".join(f"\n  volume {i}: {e}" for i, e in self.sim_errors[:5])]
        if self.sim_table:
            rows += ["", "| feature | volumes | simulator hardware IPL = Hercules native | "
                     "simulator core = ccwboot in Hercules |", "|---|---|---|---|"]
            for f, (n, hw, core) in sorted(self.sim_table.items(), key=lambda kv: -kv[1][0]):
                rows.append(f"| {f} | {n} | {hw} | {core} |")
            rows += ["", "simulator hardware IPL against Hercules, disagreements by the simulator's result:"]
            rows += [f"  {n:5d}  {why or '(fails without error text)'}  e.g. volume {self.sim_ex[why]}"
                     for why, n in self.sim_why.most_common()]
        return "\n".join(rows)


def sim_run(volgen: str, vols: list[dict]) -> None:
    """The host simulator's hardware IPL and ccwboot core on each volume (volgen --load)."""
    for vol in vols:
        ranges = ",".join(f"{s:#x}-{e:#x}" for s, e in vol["ranges"])
        proc = subprocess.run([volgen, "--load", vol["file"], "--ranges", ranges, "--sim"],
                              capture_output=True, text=True, check=False)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("{")), None)
        if proc.returncode == 0 and line:
            got = json.loads(line)
            vol["hw"], vol["core"] = got.get("hw"), got.get("core")
        else:
            vol["sim_error"] = (proc.stderr or proc.stdout).strip()[:200]


def main(argv=None) -> int:
    root = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=lambda x: int(x, 0), required=True)
    ap.add_argument("--volumes", type=int, help="how many volumes (from --first on)")
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--indices", help="comma-separated volume indices instead of --volumes")
    ap.add_argument("--describe", type=int, metavar="INDEX", help="print volume INDEX's chain")
    ap.add_argument("--write", metavar="DIR", help="with --describe: write the image to DIR")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=25, help="volumes per Hercules process")
    ap.add_argument("--ins", default=str(root / "build/s390x/ccwboot.ins"))
    ap.add_argument("--volgen", default=str(root / "build/host/tools/volgen/volgen"))
    ap.add_argument("--sim", action="store_true",
                    help="also run the host simulator on each volume (volgen --load)")
    ap.add_argument("--out", default=str(root / "build/hercules-fuzz"))
    ap.add_argument("--tmp", default=None)
    ap.add_argument("--time-scale", type=float, default=1.0)
    ap.add_argument("--known-open", action="store_true",
                    help="refusals in hercules_fuzz's known-open classes (by wait code) do not "
                         "fail the run either")
    ap.add_argument("--strict", action="store_true",
                    help="refusals in KNOWN_OPEN (by wait code and console line) fail the run too")
    ap.add_argument("--open-classes", default="",
                    help="comma-separated wait code names whose refusals do not fail the run")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--keep-refused", action="store_true")
    ap.add_argument("--triage", action="store_true", help="print the triage table (markdown)")
    a = ap.parse_args(argv)
    if a.describe is not None:
        vol = generate(a.seed, a.describe, Path(a.write) if a.write else None)
        print(describe(vol))
        print(json.dumps({k: v for k, v in vol.items() if not k.endswith("_hex")}))
        return 0
    if (a.volumes is None) == (a.indices is None):
        ap.error("give --volumes N or --indices I,J,... (or --describe I)")
    indices = ([int(x, 0) for x in a.indices.split(",") if x.strip()] if a.indices
               else list(range(a.first, a.first + a.volumes)))
    a.volumes = len(indices)
    a.explore = False
    a.sim_examples = 5
    names = set(hercules_fuzz.ipl_compare.wait_code_names().values())
    a.open_classes = {c for c in a.open_classes.split(",") if c}
    if a.open_classes - names:
        ap.error(f"--open-classes: no such wait code: {', '.join(sorted(a.open_classes - names))}")
    if not Path(a.ins).is_file():
        print(f"loader-corpus: {a.ins} missing: cmake --build --preset s390x", file=sys.stderr)
        return 2
    if a.sim and not Path(a.volgen).is_file():
        print(f"loader-corpus: {a.volgen} missing: build the host target volgen", file=sys.stderr)
        return 2
    run = LoaderRun(a)
    print(f"loader-corpus: {a.volumes} volumes from seed {a.seed}, {a.jobs} job(s)", flush=True)
    wall, cpu, errors = hercules_fuzz.run_batches(run, indices, a.batch, a.jobs)
    if a.triage or a.verbose:
        print(run.triage())
    return hercules_fuzz.report(run, a, wall, cpu, errors)


if __name__ == "__main__":
    sys.exit(main())
