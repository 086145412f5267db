#!/usr/bin/env python3
"""Boot a disk written by Debian's real zipl (scripts/make-zipl-disks.sh) as a
virtio-blk-ccw disk under QEMU, through ccwboot or QEMU's own bios.

    zipl_qemu.py --disk DISK.img --report DISK.json --bios ccwboot|qemu
                 --image CCWBOOT_IMG [--loadparm N] [--timeout S]

A SCSI-layout image is an ordinary 512-byte-sector disk. A CDL or LDL image is
the DASD as Linux's dasd driver shows it (4 KiB blocks), so it is attached as
such a disk: logical and physical block size 4096 and the 3390 geometry zipl was
given (cylinders x 15 heads x 12 blocks), as a DASD passed through by its block
device would be.

Pass: the kernel prints its banner, the initrd reaches userspace, and the
command line it prints holds the parameter line zipl wrote for the section the
loadparm selects (none: the default section; N: section N of zipl's menu).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qemu"))
from qemu_run import run_qemu  # noqa: E402

QEMU_BIOS = "/usr/share/qemu/s390-ccw.img"
LINUX_VERSION = "Linux version"
INIT_MARKER = "ccwboot-initrd: hello from userspace"
MEMORY_MB = 512


def disk_args(disk: Path, layout: str) -> list[str]:
    dev = "virtio-blk-ccw,drive=zd,devno=fe.0.0001,bootindex=1"
    if layout in ("cdl", "ldl"):
        cylinders = disk.stat().st_size // (15 * 12 * 4096)
        dev += (",logical_block_size=4096,physical_block_size=4096,"
                "cyls=%d,heads=15,secs=12" % cylinders)
    return ["-drive", "file=%s,format=raw,if=none,id=zd,readonly=on" % disk, "-device", dev]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--disk", type=Path, required=True)
    ap.add_argument("--report", type=Path, required=True)
    ap.add_argument("--bios", choices=("ccwboot", "qemu"), required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--loadparm")
    ap.add_argument("--timeout", type=float, default=240.0)
    a = ap.parse_args()
    bios = a.image if a.bios == "ccwboot" else QEMU_BIOS
    tag = "%s/%s%s" % (a.bios, a.disk.name, " loadparm %s" % a.loadparm if a.loadparm else "")
    for what, p in (("disk", a.disk), ("zipl report", a.report), ("firmware", Path(bios))):
        if not p.is_file():
            print("FAIL %s: missing %s %s" % (tag, what, p))
            return 1
    report = json.loads(a.report.read_text())
    sections = list(report["sections"])
    want = sections[int(a.loadparm) - 1] if a.loadparm else sections[0]
    parm = report["parameters"][want]
    extra = disk_args(a.disk, report["layout"])
    if a.loadparm:
        extra = ["-M", "s390-ccw-virtio,loadparm=%s" % a.loadparm] + extra
    r = run_qemu(bios, extra, MEMORY_MB, a.timeout)
    c = r.console
    for line in c.splitlines():
        if LINUX_VERSION in line or "ccwboot-initrd" in line:
            print("  " + line.strip()[:160])
    problem = None
    if LINUX_VERSION not in c:
        problem = "the kernel never printed %r (%s)" % (LINUX_VERSION, r.summary())
    elif INIT_MARKER not in c:
        problem = "the initrd never reached userspace (%s)" % r.summary()
    else:
        m = re.search(r"ccwboot-initrd: cmdline: (.*)", c)
        if not m or parm not in m.group(1):
            problem = "command line %r lacks section %s's parameters %r" % (
                m.group(1).strip() if m else None, want, parm)
    if problem:
        print("\n".join(c.splitlines()[-30:]))
        print("FAIL %s: %s" % (tag, problem))
        return 1
    print("PASS %s: zipl %s, section %s, %.1f s" % (tag, report["zipl_version"], want, r.elapsed_s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
