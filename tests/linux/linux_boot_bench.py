#!/usr/bin/env python3
"""Benchmark: QEMU start -> the kernel's "Linux version" line, ccwboot vs QEMU's bios.

    linux_boot_bench.py --image build/s390x/ccwboot.img --mkdisk build/host/tools/mkdisk/mkdisk
                        --assets build/host/linux-assets [--runs 5] [--disk DISK]

Builds one mkdisk SCSI-scheme disk with the Debian kernel + initrd (unless
--disk is given), boots it --runs times with each firmware (interleaved, so
host load hits both alike) and prints the median wall time to "Linux version"
and to the initrd's marker, the ratio ccwboot / QEMU, and each firmware's file
size and loaded size (ELF PT_LOAD memory size). A benchmark, not a test: it
prints numbers and fails only if a boot does not reach "Linux version".
"""

from __future__ import annotations

import argparse
import statistics
import struct
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The QEMU and its own bios: from the environment like the tests (qemu_run.py).
QEMU = os.environ.get("CCWBOOT_QEMU", "qemu-system-s390x")
QEMU_BIOS = os.environ.get("CCWBOOT_QEMU_BIOS", "/usr/share/qemu/s390-ccw.img")
MARKER = "ccwboot-initrd: hello from userspace"


def one_run(bios: str, disk: str, memory: int, timeout: float) -> dict:
    """Seconds from QEMU start to "Linux version" ("linux") and to the initrd marker."""
    cmd = [QEMU, "-M", "s390-ccw-virtio", "-nodefaults", "-nographic",
           "-no-reboot", "-m", str(memory), "-bios", bios,
           "-drive", "if=none,id=d0,format=raw,file=%s" % disk,
           "-device", "virtio-blk-ccw,drive=d0,bootindex=1",
           "-chardev", "stdio,id=c0", "-device", "sclpconsole,chardev=c0"]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    marks: dict = {}
    for raw in p.stdout:
        now = time.monotonic() - t0
        line = raw.decode("utf-8", "replace")
        if "Linux version" in line:
            marks.setdefault("linux", now)
        if MARKER in line:
            marks.setdefault("marker", now)
            break
        if now > timeout:
            break
    p.kill()
    p.wait()
    return marks


def loaded_size(elf: str) -> int:
    """Sum of PT_LOAD p_memsz of a big-endian ELF64 (what the loader places in memory)."""
    data = Path(elf).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 2:
        return 0
    phoff, = struct.unpack_from(">Q", data, 0x20)
    phentsize, phnum = struct.unpack_from(">HH", data, 0x36)
    total = 0
    for i in range(phnum):
        off = phoff + i * phentsize
        p_type, = struct.unpack_from(">I", data, off)
        if p_type == 1:
            total += struct.unpack_from(">Q", data, off + 40)[0]
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--image", default=str(REPO / "build" / "s390x" / "ccwboot.img"))
    ap.add_argument("--mkdisk", default=str(REPO / "build" / "host" / "tools" / "mkdisk" / "mkdisk"))
    ap.add_argument("--assets", type=Path, default=REPO / "build" / "host" / "linux-assets")
    ap.add_argument("--disk", help="use this disk instead of building one")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--memory", type=int, default=512)
    a = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="ccwboot-bench-") as tmp:
        disk = a.disk
        if not disk:
            disk = str(Path(tmp) / "linux.img")
            subprocess.run([a.mkdisk, "-o", disk, "--entry", "debian",
                            "--kernel", str(a.assets / "vmlinuz"),
                            "--initrd", str(a.assets / "initrd.img"),
                            "--parm", "console=ttysclp0"], check=True, stdout=subprocess.DEVNULL)
        firmwares = {"ccwboot": a.image, "qemu-bios": QEMU_BIOS}
        runs: dict[str, list[dict]] = {k: [] for k in firmwares}
        for _ in range(a.runs):
            for name, img in firmwares.items():
                runs[name].append(one_run(img, disk, a.memory, 300))

    def median(name: str, key: str) -> float | None:
        vals = [r[key] for r in runs[name] if key in r]
        return statistics.median(vals) if len(vals) == len(runs[name]) else None

    print("Linux boot (Debian %s), %d runs each, median wall time from QEMU start"
          % ((a.assets / "kernel-version").read_text().split()[0]
             if (a.assets / "kernel-version").exists() else "kernel", a.runs))
    print("%-10s %10s %10s %14s %14s" % ("firmware", "file B", "loaded B", "Linux version",
                                          "initrd marker"))
    ok = True
    for name, img in firmwares.items():
        lv, mk = median(name, "linux"), median(name, "marker")
        ok &= lv is not None
        print("%-10s %10d %10d %14s %14s" % (name, Path(img).stat().st_size, loaded_size(img),
                                             "%.2f s" % lv if lv else "missing",
                                             "%.2f s" % mk if mk else "missing"))
    a_lv, q_lv = median("ccwboot", "linux"), median("qemu-bios", "linux")
    if a_lv and q_lv:
        print("ratio ccwboot / qemu-bios (Linux version): %.2f" % (a_lv / q_lv))
    # The spread: on a shared machine the load moves between runs; the runs
    # are interleaved, so each pair (ccwboot, then the bios) saw about the
    # same load, and its ratio is steadier than the medians'.
    for key, label in (("linux", "Linux version"), ("marker", "initrd marker")):
        for name in firmwares:
            vals = sorted(r[key] for r in runs[name] if key in r)
            if vals:
                print("spread %-9s %-13s min %.2f s, max %.2f s" % (name, label, vals[0], vals[-1]))
        pairs = ["%.2f" % (x[key] / y[key]) for x, y in zip(runs["ccwboot"], runs["qemu-bios"])
                 if key in x and key in y]
        print("per-pair ratio (%s): %s" % (label, " ".join(pairs)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
