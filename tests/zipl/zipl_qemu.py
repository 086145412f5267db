#!/usr/bin/env python3
"""Boot a disk written by Debian's real zipl (scripts/make-zipl-disks.sh) as a
virtio-blk-ccw disk under QEMU, through ccwboot or QEMU's own bios.

    zipl_qemu.py --disk DISK.img --report DISK.json --bios ccwboot|qemu
                 --image CCWBOOT_IMG [--loadparm N] [--timeout S]

The QEMU binary and its own bios come from the environment (CCWBOOT_QEMU,
CCWBOOT_QEMU_BIOS; tests/qemu/qemu_run.py), so ctest runs each case under
QEMU 7.2 and 10.0 (cmake/QemuVersions.cmake).

A SCSI-layout image is an ordinary 512-byte-sector disk. A CDL or LDL image is
the DASD as Linux's dasd driver shows it (4 KiB blocks), so it is attached as
such a disk: logical and physical block size 4096 and the 3390 geometry zipl was
given (cylinders x 15 heads x 12 blocks), as a DASD passed through by its block
device would be.

--damage-env (ccwboot only) breaks a line of the disk's environment block on a
copy: ccwboot must stop with kZiplEnvBlockMalformed before stage 3 runs.

Environment block (a report with "environment", make-zipl-disk.py
--environment): the expected line is zipl's parameter line with each ${NAME}
replaced as stage 3 does it, for the site the loadparm names (the digit after
its first 'S'): the site's value, else the common one, else nothing.
--loadparm is the machine's (-M loadparm=), --device-loadparm the disk's own
(-device loadparm=); --site-from machine says the loaded system sees only the
machine's (a firmware that does not pass the device's on).

--as-dump marks the disk the way zipl marks a dump record (SCSI: every
component table's header type 1; CDL: the zIPL section's type 1; LDL: the boot
info's type 1) on a copy: ccwboot must refuse it with kZiplDumpRecord and no
firmware may start Linux from it. (Debian's zipl cannot write a real dump
record onto a loop device: --dumpto needs the disk geometry ioctl.)

Pass: the kernel prints its banner, the initrd reaches userspace, and the
command line it prints holds the parameter line zipl wrote for the section the
loadparm selects (none: the default section; N: section N of zipl's menu).

BOOT_IMAGE=: zipl's stage 2 (the DASD loader's menu code) appends
` BOOT_IMAGE=<n>` for stage 3, which passes it on for DASD entries only. So
through ccwboot a CDL or LDL disk's command line must end in ` BOOT_IMAGE=<n>`
(n: the loadparm's entry number, 0 without one), as the same disk IPLed as a
DASD shows it; a SCSI disk's must carry none, as on a hardware SCSI IPL. QEMU's
bios starts stage 3 without doing stage 2's part: no BOOT_IMAGE= in any layout
(docs/zipl-disks.md).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qemu"))
from qemu_run import QEMU_BIOS, qemu_version_text, run_qemu  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bootmap_fields import Disk, boot_info  # noqa: E402

LINUX_VERSION = "Linux version"
INIT_MARKER = "ccwboot-initrd: hello from userspace"
MEMORY_MB = 512


def disk_args(disk: Path, layout: str, device_loadparm: str | None = None) -> list[str]:
    dev = "virtio-blk-ccw,drive=zd,devno=fe.0.0001,bootindex=1"
    if device_loadparm:
        dev += ",loadparm=%s" % device_loadparm
    if layout in ("cdl", "ldl"):
        cylinders = disk.stat().st_size // (15 * 12 * 4096)
        dev += (",logical_block_size=4096,physical_block_size=4096,"
                "cyls=%d,heads=15,secs=12" % cylinders)
    return ["-drive", "file=%s,format=raw,if=none,id=zd,readonly=on" % disk, "-device", dev]


def mark_as_dump(src: Path, dst: Path, layout: str) -> None:
    data = bytearray(src.read_bytes())
    d = Disk(bytes(data), layout)
    if layout == "cdl":
        data[4096 + 92 + 5] = 1
    elif layout == "ldl":
        data[0x70 + 5] = 1
    else:
        _, praw = boot_info(d)
        table = d.read(d.pointer(praw)[0])
        for off in range(16, d.block - 15, 16):
            p = d.pointer(table[off:off + 16])
            if p:
                data[p[0] * d.block + 4] = 1
    dst.write_bytes(bytes(data))


def zipl_site(loadparm: str | None) -> str | None:
    """The site zipl's stage 3 takes from a loadparm: the digit after its first
    'S' (zipl/boot/stage3.c; 'SS', the subchannel set, is not used here)."""
    lp = loadparm or ""
    i = lp.find("S")
    if i < 0:
        return None
    m = re.match(r"\d", lp[i + 1:])
    return m.group(0) if m else None


def expand(parm: str, environment: dict | None, site: str | None) -> str:
    """The parameter line after stage 3 put the environment's values in: ${NAME}
    takes the site's value, else the common one, else nothing."""
    if not environment:
        return parm

    def value(m: re.Match) -> str:
        name = m.group(1)
        if site is not None and name in environment.get(site, {}):
            return environment[site][name]
        return environment[""].get(name, "")

    return re.sub(r"\$\{([^}]*)\}", value, parm)


def expected_boot_image(bios: str, layout: str, loadparm: str | None) -> str:
    """What must end the command line: ' BOOT_IMAGE=<n>' or '' for none."""
    if bios != "ccwboot" or layout == "scsi":
        return ""
    digits = re.match(r"\d*", loadparm or "").group(0)
    return " BOOT_IMAGE=%d" % (int(digits) if digits else 0)


def damage_environment(src: Path, dst: Path) -> None:
    """A copy whose environment block has a line without '=' (its first '=' gone)."""
    data = bytearray(src.read_bytes())
    at = data.find(b"# zIPL Environment Block\n")
    if at < 0 or data.find(b"# zIPL Environment Block\n", at + 1) >= 0:
        raise SystemExit("FAIL: no single environment block on %s" % src)
    eq = data.index(b"=", at)
    data[eq] = ord("-")
    dst.write_bytes(bytes(data))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--disk", type=Path, required=True)
    ap.add_argument("--report", type=Path, required=True)
    ap.add_argument("--bios", choices=("ccwboot", "qemu"), required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--loadparm", help="the machine's loadparm (-M loadparm=)")
    ap.add_argument("--device-loadparm", help="the disk's own loadparm (-device loadparm=)")
    ap.add_argument("--site-from", choices=("loadparm", "machine"), default="loadparm",
                    help="whose loadparm names the zipl site the command line must show")
    ap.add_argument("--timeout", type=float, default=240.0)
    ap.add_argument("--as-dump", action="store_true")
    ap.add_argument("--damage-env", action="store_true",
                    help="break the environment block: ccwboot must refuse it")
    a = ap.parse_args()
    bios = a.image if a.bios == "ccwboot" else QEMU_BIOS
    tag = "%s/%s%s%s" % (a.bios, a.disk.name, " loadparm %s" % a.loadparm if a.loadparm else "",
                         " device loadparm %s" % a.device_loadparm if a.device_loadparm else "")
    for what, p in (("disk", a.disk), ("zipl report", a.report), ("firmware", Path(bios))):
        if not p.is_file():
            print("FAIL %s: missing %s %s" % (tag, what, p))
            return 1
    report = json.loads(a.report.read_text())
    sections = list(report["sections"])
    lp = a.loadparm or a.device_loadparm
    number = re.match(r"\d*", lp or "").group(0)
    want = sections[int(number) - 1] if number else sections[0]
    # The site stage 3 sees: the loadparm it reads through SCLP (see --site-from).
    site = zipl_site(a.loadparm if a.site_from == "machine" else lp)
    parm = expand(report["parameters"][want], report.get("environment"), site)
    if a.as_dump:
        import tempfile
        with tempfile.TemporaryDirectory(prefix="zipl-dump-") as t:
            dump = Path(t) / a.disk.name
            mark_as_dump(a.disk, dump, report["layout"])
            r = run_qemu(bios, disk_args(dump, report["layout"]), MEMORY_MB, 60)
        booted = LINUX_VERSION in r.console
        print("%s: %s" % (tag, r.summary()))
        if booted:
            print("FAIL %s as a dump record: Linux was started from it" % tag)
            return 1
        if a.bios == "ccwboot" and r.wait_name != "kZiplDumpRecord":
            print("FAIL %s as a dump record: expected kZiplDumpRecord, got %s" % (tag, r.summary()))
            return 1
        print("PASS %s as a dump record: not booted (%s)" % (tag, r.wait_name or r.ended))
        return 0
    if a.damage_env:
        import tempfile
        with tempfile.TemporaryDirectory(prefix="zipl-env-") as t:
            bad = Path(t) / a.disk.name
            damage_environment(a.disk, bad)
            r = run_qemu(bios, disk_args(bad, report["layout"]), MEMORY_MB, 60)
        print("%s with a damaged environment block: %s" % (tag, r.summary()))
        if LINUX_VERSION in r.console or r.wait_name != "kZiplEnvBlockMalformed":
            print("FAIL %s: expected kZiplEnvBlockMalformed before stage 3, got %s" % (
                tag, r.summary()))
            return 1
        print("PASS %s: damaged environment block refused (kZiplEnvBlockMalformed)" % tag)
        return 0
    extra = disk_args(a.disk, report["layout"], a.device_loadparm)
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
        line = m.group(1).strip() if m else None
        boot_image = expected_boot_image(a.bios, report["layout"], lp)
        if not m or parm not in line:
            problem = "command line %r lacks section %s's parameters %r" % (line, want, parm)
        elif boot_image and not line.endswith(boot_image):
            problem = "command line %r does not end in %r (zipl's stage 2 convention)" % (
                line, boot_image)
        elif not boot_image and "BOOT_IMAGE=" in line:
            problem = "command line %r carries a BOOT_IMAGE= (expected none here)" % line
    if problem:
        print("\n".join(c.splitlines()[-30:]))
        print("FAIL %s: %s" % (tag, problem))
        return 1
    print("PASS %s: QEMU %s, zipl %s, section %s, %.1f s" % (
        tag, qemu_version_text(), report["zipl_version"], want, r.elapsed_s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
