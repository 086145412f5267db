#!/usr/bin/env python3
"""Time a Linux boot from a disk image: QEMU start -> "Linux version" -> initrd marker.

    linux_boot_time.py --disk disk.img [--bios IMG]... [--runs 5] [--loadparm N]

For each firmware (default: QEMU's own /usr/share/qemu/s390-ccw.img) runs QEMU
--runs times on the same disk, timestamps console lines as they arrive, and
prints the median wall time to the kernel's "Linux version" line, to the initrd's
marker and to QEMU's exit, plus the firmware's file size. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time

MARKER = "ccwboot-initrd: hello from userspace"


def one_run(bios: str, disk: str, loadparm: str, memory: int, timeout: float) -> dict:
    machine = "s390-ccw-virtio" + (",loadparm=%s" % loadparm if loadparm else "")
    cmd = ["qemu-system-s390x", "-M", machine, "-nodefaults", "-nographic", "-no-reboot",
           "-m", str(memory), "-bios", bios,
           "-drive", "if=none,id=d0,format=raw,file=%s" % disk,
           "-device", "virtio-blk-ccw,drive=d0,bootindex=1",
           "-chardev", "stdio,id=c0", "-device", "sclpconsole,chardev=c0"]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    marks: dict = {}
    deadline = t0 + timeout
    for raw in p.stdout:
        now = time.monotonic() - t0
        line = raw.decode("utf-8", "replace")
        if "Linux version" in line and "linux" not in marks:
            marks["linux"] = now
        if MARKER in line and "marker" not in marks:
            marks["marker"] = now
        if time.monotonic() > deadline:
            p.kill()
            break
    p.wait()
    marks["exit"] = time.monotonic() - t0
    return marks


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--disk", required=True)
    ap.add_argument("--bios", action="append", default=[])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--loadparm", default="")
    ap.add_argument("--memory", type=int, default=512)
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    bioses = a.bios or ["/usr/share/qemu/s390-ccw.img"]
    results = {}
    for run in range(a.runs):
        for b in bioses:  # interleave firmwares so load changes hit both alike
            results.setdefault(b, []).append(one_run(b, a.disk, a.loadparm, a.memory, a.timeout))
    print("%-40s %9s %12s %12s %10s %5s %8s" % ("firmware", "size", "Linux ver.", "initrd mark",
                                                  "exit", "runs", "ratio"))
    base = None
    for b, runs in results.items():
        def med(key):
            vals = [r[key] for r in runs if key in r]
            return statistics.median(vals) if vals and len(vals) == len(runs) else None
        def fmt(v):
            return "%.2f s" % v if v is not None else "missing"
        linux = med("linux")
        if base is None:
            base = linux
        # Ratio of the time to the "Linux version" line against the first firmware.
        ratio = "%.2f" % (linux / base) if linux and base else "-"
        print("%-40s %9d %12s %12s %10s %5d %8s" % (b, os.path.getsize(b), fmt(linux),
                                                     fmt(med("marker")), fmt(med("exit")),
                                                     len(runs), ratio))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
