#!/usr/bin/env python3
"""Read a zipl boot map (SCSI scheme, or ECKD CDL/LDL on a flat 4 KiB-block
image) into named fields, independently of ccwboot's parser, and compare what
Debian's zipl and tools/mkdisk write for the same inputs.

    bootmap_fields.py dump DISK.img --layout scsi|cdl|ldl
    bootmap_fields.py compare --zipl DISK.img --report DISK.json --mkdisk MKDISK
                      --assets DIR [--layout ...]

`compare` builds the mkdisk disk from the same kernel, initrd, section names
and parameter lines as zipl's report, reads both, and prints every field side
by side. Every field that differs must be one of KNOWN_DIFFERENCES (each
documented in docs/zipl-disks.md), and every known difference must still be
there: a new difference, or one that went away, fails the test.

Structures (docs/zipl-formats.md): SCSI: block 0 `zIPL` + version + pointer to
the program table; ECKD CDL: IPL2 (block 1) holds the zIPL section at byte 92
(with the record key in front), LDL: block 0 at 0x70; then the program (boot
map) table, one component table per entry, block lists of data pointers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

HEADS, SECTORS = 15, 12
MAX_LIST_BLOCKS = 16384


class Fail(Exception):
    pass


class Disk:
    def __init__(self, data: bytes, layout: str):
        self.data, self.layout = data, layout
        self.block = 512 if layout == "scsi" else 4096

    def read(self, block: int, count: int = 1) -> bytes:
        start = block * self.block
        if start + count * self.block > len(self.data):
            raise Fail("block %d past the end of the disk" % block)
        return self.data[start:start + count * self.block]

    def pointer(self, raw: bytes) -> tuple[int, int, int] | None:
        """(first block, block size, block count) of a 16-byte pointer; None if null."""
        if self.layout == "scsi":
            blk, size, count = struct.unpack(">QHH", raw[:12])
            return None if blk == 0 else (blk, size, count + 1)
        cyl, head, rec, size, count = struct.unpack(">HHBHB", raw[:8])
        if cyl == 0 and head == 0 and rec == 0:
            return None
        cyl |= (head & 0xFFF0) << 12
        head &= 0xF
        return ((cyl * HEADS + head) * SECTORS + rec - 1, size, count + 1)


def boot_info(d: Disk) -> tuple[dict, bytes]:
    """Fields of the first structure and the raw pointer to the program table."""
    if d.layout == "scsi":
        b0 = d.read(0)
        return {"mbr.magic": b0[0:4].hex(), "mbr.version": struct.unpack(">I", b0[4:8])[0]}, b0[16:32]
    blk, off = (1, 92) if d.layout == "cdl" else (0, 0x70)
    b = d.read(blk)
    sec = b[off:off + 24]
    fields = {"bootinfo.magic": sec[0:4].hex(), "bootinfo.version": sec[4],
              "bootinfo.type": sec[5], "bootinfo.dev_type": sec[6], "bootinfo.flags": sec[7]}
    return fields, sec[8:24]


def load_list(d: Disk, ptr: tuple[int, int, int]) -> bytes:
    """The data a load component's block list names, in order."""
    out = bytearray()
    blk, size, _ = ptr
    for _ in range(MAX_LIST_BLOCKS):
        lst = d.read(blk)
        slots = [lst[i:i + 16] for i in range(0, d.block, 16)]
        nxt = None
        for i, s in enumerate(slots):
            p = d.pointer(s)
            if p is None:
                return bytes(out)
            if i == len(slots) - 1:
                nxt = p
                break
            out += d.read(p[0], p[2])
        if nxt is None:
            return bytes(out)
        blk = nxt[0]
    raise Fail("block list too long")


def component_table(d: Disk, ptr) -> list[dict]:
    t = d.read(ptr[0])
    comps = []
    for off in range(32, d.block - 31, 32):
        e = t[off:off + 32]
        kind = e[23]
        value = struct.unpack(">Q", e[24:32])[0]
        if kind == 1:  # execute
            comps.append({"type": "execute", "psw": "%016x" % value})
            break
        if kind == 2:
            comps.append({"type": "load", "address": value, "data": load_list(d, d.pointer(e))})
        elif kind == 0:
            break
        else:
            comps.append({"type": "type%d" % kind, "address": value})
    return comps


def changed_bytes(a: bytes, b: bytes) -> list[int]:
    """Offsets where a and b differ (over their common length); 4 KiB pages first."""
    out = []
    n = min(len(a), len(b))
    for page in range(0, n, 4096):
        end = min(page + 4096, n)
        if a[page:end] != b[page:end]:
            out += [i for i in range(page, end) if a[i] != b[i]]
    return out


def classify(data: bytes, kernel: bytes, initrd: bytes) -> str:
    """What a load component holds, in terms of the inputs."""
    if not data.strip(b"\0"):
        return "zeros (%d bytes)" % len(data)
    if data.rstrip(b"\0") == initrd.rstrip(b"\0"):
        return "initrd"
    for name, ref in (("vmlinuz", kernel), ("vmlinuz without its first 64 KiB", kernel[0x10000:])):
        if data[:len(ref)] == ref and not data[len(ref):].strip(b"\0"):
            return name
        if len(data) >= len(ref) - 0x1000 and data[:0x400] == ref[:0x400]:
            diff = changed_bytes(data, ref)
            if diff:
                return "%s, changed at %#x-%#x" % (name, diff[0], diff[-1] + 1)
    end = data.find(b"\0")
    text = data[:end] if end >= 0 else data
    if text and all(32 <= c < 127 for c in text) and not data[end:].strip(b"\0"):
        return "text %r" % text.decode()
    return "binary, %d bytes" % len(data.rstrip(b"\0"))


def read_fields(path: Path, layout: str, kernel: bytes = b"", initrd: bytes = b"") -> dict:
    d = Disk(path.read_bytes(), layout)
    fields, praw = boot_info(d)
    ptr = d.pointer(praw)
    if ptr is None:
        raise Fail("%s: no program table pointer" % path)
    fields["pointer.block_size"] = ptr[1]
    table = d.read(ptr[0])
    fields["program_table.magic"] = table[0:4].hex()
    entries = [d.pointer(table[off:off + 16]) for off in range(16, d.block - 15, 16)]
    used = [i for i, p in enumerate(entries) if p]
    fields["program_table.slots_used"] = ",".join(map(str, used))
    per_entry = {}
    for i in used:
        hdr = d.read(entries[i][0])
        f = {"table.magic": hdr[0:4].hex(), "table.type": hdr[4]}
        comps = component_table(d, entries[i])
        loads = [c for c in comps if c["type"] == "load"]
        execs = [c for c in comps if c["type"] == "execute"]
        f["load_addresses"] = ",".join("%#x" % c["address"] for c in loads)
        f["other_components"] = ",".join(c["type"] for c in comps
                                         if c["type"] not in ("load", "execute")) or "none"
        f["execute_psw"] = execs[0]["psw"] if execs else "none"
        for c in loads:
            f["load@%#x" % c["address"]] = classify(c["data"], kernel, initrd)
        per_entry[i] = f
    # Slot 0 (default) must describe the same load as slot 1 (entry 1 is the default).
    fields["program_table.slot0_same_as_slot1"] = per_entry.get(0) == per_entry.get(1)
    for i in used[1:]:
        for k, v in per_entry[i].items():
            fields["entry%d.%s" % (i, k)] = v
    return fields


def run_mkdisk(mkdisk: str, report: dict, assets: Path, out: Path) -> None:
    layout = {"scsi": "scsi", "cdl": "eckd-cdl", "ldl": "eckd-ldl"}[report["layout"]]
    cmd = [mkdisk, "-o", str(out), "--layout", layout]
    for name in report["sections"]:
        cmd += ["--entry", name, "--kernel", str(assets / "vmlinuz"),
                "--initrd", str(assets / "initrd.img"), "--parm", report["parameters"][name]]
    cmd += ["--default", "1"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise Fail("mkdisk failed: %s%s" % (p.stdout, p.stderr))


ROLE_OF_ZIPL_NAME = {"internal loader": "stage 3", "parameters": "stage 3 parameters",
                     "environment blk": "environment block"}


def roles(fields: dict, entry: int, report: dict | None) -> dict[str, tuple[int, str]]:
    """role -> (address, what) for the load components of one entry."""
    by_addr = {}
    if report:
        for c in list(report["sections"].values())[entry - 1]:
            by_addr[c["start"]] = ROLE_OF_ZIPL_NAME.get(c["name"])
    out = {}
    prefix = "entry%d.load@" % entry
    for k, what in fields.items():
        if not k.startswith(prefix):
            continue
        addr = int(k[len(prefix):], 16)
        if what == "initrd":
            role = "initrd"
        elif what.startswith("vmlinuz"):
            role = "kernel"
        elif what.startswith("text"):
            role = "parameter line"
        elif what.startswith("zeros"):
            role = "zeroed area @%#x" % addr
        else:
            role = by_addr.get(addr) or "binary @%#x" % addr
        out[role] = (addr, what)
    return out


def differences(zipl: dict, mk: dict, report: dict) -> dict[str, str]:
    """Role-level differences between zipl's and mkdisk's entries 1 and 2."""
    out = {}
    for k in ("program_table.slots_used", "program_table.slot0_same_as_slot1", "bootinfo.flags",
              "bootinfo.version", "mbr.version", "pointer.block_size"):
        if zipl.get(k) != mk.get(k):
            out[k] = "%s vs %s" % (zipl.get(k), mk.get(k))
    for e in (1, 2):
        if zipl.get("entry%d.execute_psw" % e) != mk.get("entry%d.execute_psw" % e):
            out["execute PSW"] = "zipl %s (stage 3), mkdisk %s (the kernel)" % (
                zipl.get("entry%d.execute_psw" % e), mk.get("entry%d.execute_psw" % e))
        rz, rm = roles(zipl, e, report), roles(mk, e, None)
        for role in sorted(set(rz) | set(rm)):
            if role not in rm:
                out[role] = "zipl only"
            elif role not in rz:
                out[role] = "mkdisk only"
            else:
                (az, wz), (am, wm) = rz[role], rm[role]
                parts = []
                if az != am:
                    parts.append("address")
                if wz != wm:
                    parts.append("content")
                if parts:
                    out[role] = " and ".join(parts) + " differ"
    return out


def expected(report: dict) -> dict[str, str]:
    """Every difference docs/zipl-disks.md lists, for this zipl version and layout."""
    exp = {
        "execute PSW": None,  # zipl starts stage 3 at 0xa000, mkdisk the kernel at 0x10000
        "stage 3": "zipl only",
        "stage 3 parameters": "zipl only",
        "parameter line": "zipl only",  # mkdisk writes it into the kernel's parm area
        "kernel": "content differ",  # whole vmlinuz vs vmlinuz[64K:] with the parm area set
        "initrd": "address differ",  # zipl: after the kernel; mkdisk: at 32 MiB
    }
    if not report["zipl_version"].startswith("2.16"):
        exp["environment block"] = "zipl only"
    if report["layout"] == "scsi":
        exp["zeroed area @0x2000"] = "zipl only"
        exp["zeroed area @0xf000"] = "zipl only"
    return exp


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    dp = sub.add_parser("dump")
    dp.add_argument("disk", type=Path)
    dp.add_argument("--layout", choices=("scsi", "cdl", "ldl"), required=True)
    cp = sub.add_parser("compare")
    cp.add_argument("--zipl", type=Path, required=True)
    cp.add_argument("--report", type=Path, required=True)
    cp.add_argument("--mkdisk", required=True)
    cp.add_argument("--assets", type=Path, required=True)
    a = ap.parse_args()
    try:
        if a.cmd == "dump":
            for k, v in read_fields(a.disk, a.layout).items():
                print("%-40s %s" % (k, v))
            return 0
        report = json.loads(a.report.read_text())
        layout = report["layout"]
        with tempfile.TemporaryDirectory(prefix="bootmap-") as t:
            mk = Path(t) / "mkdisk.img"
            run_mkdisk(a.mkdisk, report, a.assets, mk)
            kernel = (a.assets / "vmlinuz").read_bytes()
            initrd = (a.assets / "initrd.img").read_bytes()
            theirs = read_fields(mk, layout, kernel, initrd)
        ours = read_fields(a.zipl, layout, kernel, initrd)
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    keys = list(dict.fromkeys(list(ours) + list(theirs)))
    print("%-30s %-44s %s" % ("field", "zipl " + report["zipl_version"].split("-")[0], "mkdisk"))
    differ = []
    for k in keys:
        zv, mv = ours.get(k, "-"), theirs.get(k, "-")
        mark = "" if zv == mv else "   <- differs"
        if zv != mv:
            differ.append(k)
        print("%-30s %-44s %s%s" % (k, zv, mv, mark))
    print("differences: %d of %d fields" % (len(differ), len(keys)))
    got, want = differences(ours, theirs, report), expected(report)
    print("\nby role:")
    for k, v in got.items():
        print("  %-26s %s" % (k, v))
    bad = [k for k in set(got) | set(want)
           if k not in got or k not in want or (want[k] is not None and want[k] != got[k])]
    if bad:
        print("FAIL: differences not as documented in docs/zipl-disks.md: " + ", ".join(
            "%s (found %r, documented %r)" % (k, got.get(k), want.get(k, "no difference"))
            for k in sorted(bad)))
        return 1
    print("PASS: every difference is a documented one (%d)" % len(got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
