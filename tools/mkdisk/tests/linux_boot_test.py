#!/usr/bin/env python3
"""Boot a mkdisk-made disk with a real Debian s390x kernel to the initrd's marker.

The independent check that mkdisk writes what zipl writes: by default the disk is
booted with QEMU's own bios (/usr/share/qemu/s390-ccw.img); --bios points at any
other firmware (ccwboot's image) for the same disks.

    linux_boot_test.py --mkdisk build/host/tools/mkdisk/mkdisk \
        --assets build/host/linux-assets --layout scsi --loadparm 2

The disk has two entries whose parameter lines differ (ccwboot.entry=1 / =2); the
test passes when the kernel prints its "Linux version" line, the initrd prints
"ccwboot-initrd: hello from userspace" and the command line it saw names the
expected entry. Exit status 0 on success, 1 on failure (with the console tail).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "qemu"))
from qemu_run import QEMU, QEMU_BIOS, run_qemu  # noqa: E402

MARKER = "ccwboot-initrd: hello from userspace"


def make_disk(mkdisk: str, assets: Path, layout: str, out: Path, default: int,
              block_size: int) -> None:
    args = [mkdisk, "-o", str(out), "--layout", layout]
    if layout == "scsi":
        args += ["--block-size", str(block_size)]
    if layout != "iso":  # an El Torito image has one entry
        args += ["--default", str(default)]
    for n in ((1,) if layout == "iso" else (1, 2)):
        args += ["--entry", "linux%d" % n, "--kernel", str(assets / "vmlinuz"),
                 "--initrd", str(assets / "initrd.img"),
                 "--parm", "console=ttysclp0 ccwboot.entry=%d" % n]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mkdisk", required=True)
    ap.add_argument("--assets", required=True, help="directory with vmlinuz and initrd.img")
    ap.add_argument("--fetch", help="run this script with --assets first (fetch-debian-kernel.sh)")
    ap.add_argument("--bios", default=QEMU_BIOS, help="default: the QEMU's own (CCWBOOT_QEMU_BIOS)")
    ap.add_argument("--layout", default="scsi", choices=["scsi", "eckd-cdl", "eckd-ldl", "iso"])
    ap.add_argument("--loadparm", default="", help="machine loadparm (entry number)")
    ap.add_argument("--default", type=int, default=1, help="entry the disk's default repeats")
    ap.add_argument("--menu", action="store_true",
                    help="-boot menu=on: the console must list the entries by name")
    ap.add_argument("--block-size", type=int, default=512,
                    help="SCSI layout: virtio-blk logical block size (512..4096)")
    ap.add_argument("--memory", type=int, default=512)
    ap.add_argument("--timeout", type=float, default=240)
    a = ap.parse_args()

    assets = Path(a.assets)
    if a.fetch:
        subprocess.run([a.fetch, str(assets)], check=True)
    expect = int(a.loadparm) if a.loadparm.strip() else a.default

    with tempfile.TemporaryDirectory() as tmp:
        disk = Path(tmp) / "disk.img"
        make_disk(a.mkdisk, assets, a.layout, disk, a.default, a.block_size)
        machine = "s390-ccw-virtio" + (",loadparm=%s" % a.loadparm if a.loadparm else "")
        cmd = ["-M", machine, "-nodefaults", "-nographic", "-no-reboot", "-m", str(a.memory),
               "-bios", a.bios, "-drive", "if=none,id=d0,format=raw,file=%s" % disk,
               "-device", "virtio-blk-ccw,drive=d0,bootindex=1" + (
                   ",logical_block_size=%d,physical_block_size=%d" % (a.block_size, a.block_size)
                   if a.block_size != 512 else ""),
               "-chardev", "stdio,id=c0", "-device", "sclpconsole,chardev=c0"]
        if a.menu:
            cmd += ["-boot", "menu=on,splash-time=1000"]
        r = run_qemu(a.bios, timeout_s=a.timeout, machine_args=cmd)

    con = r.console
    problems = []
    if "Linux version" not in con:
        problems.append("no 'Linux version' line")
    if MARKER not in con:
        problems.append("no initrd marker %r" % MARKER)
    m = re.search(r"ccwboot-initrd: cmdline: (.*)", con)
    if not m or ("ccwboot.entry=%d" % expect) not in m.group(1):
        problems.append("the initrd did not see ccwboot.entry=%d (%s)"
                        % (expect, m.group(1).strip() if m else "no cmdline line"))
    if a.menu:
        for n in (1, 2):
            if not re.search(r"^ ?%d\. linux%d\s*$" % (n, n), con, re.M):
                problems.append("the menu does not list entry %d by name (linux%d)" % (n, n))
    print("%s %s loadparm=%r under %s: %s after %.2f s (%s)" % (
        Path(a.bios).name, a.layout, a.loadparm, r.qemu, "PASS" if not problems else "FAIL",
        r.elapsed_s, r.ended))
    if problems:
        print("problems: " + "; ".join(problems))
        print("---- console tail ----")
        print("\n".join(con.splitlines()[-40:]))
        print("---- qemu stderr ----")
        print(r.stderr[-2000:])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
