#!/usr/bin/env python3
"""Network boot of a real Debian s390x kernel over virtio-net-ccw, through
ccwboot or through QEMU's own s390-ccw.img, and check what happened.

    net_boot.py --case NAME --bios ccwboot|qemu --image CCWBOOT_IMG
                --mkdisk MKDISK --assets DIR [--timeout S] [--keep DIR]

QEMU's user-mode network answers DHCP and serves a TFTP directory
(`-netdev user,tftp=DIR,bootfile=FILE`). Cases:

  pxelinux           bootfile is a pxelinux.cfg with two labels; the default boots
  pxelinux_loadparm  the same file, loadparm 2 picks the second label (QEMU's
                     bios before 10.1 ignores it and boots the default)
  pxelinux_menu      the same file with -boot menu=on: its labels in the boot
                     menu, "2" typed on the console boots the second (ccwboot)
  pxelinux_dir       bootfile names a pxelinux.cfg/ directory holding only `default`
  pxelinux_uuid      the boot file is missing, pxelinux.cfg/ holds files for the
                     machine's -uuid, its MAC (01-52-54-00-12-34-56), its address
                     (0A00020F) and `default`, each with its own append line: the
                     UUID's boots (pxelinux's order; QEMU's bios takes a directory
                     as the boot file differently, a missing one the same way)
  ins                bootfile is a .INS list: kernel, parmfile, initrd and its
                     address/size words (as Debian's install media lay them out)
  kernel             bootfile is the kernel itself (no initrd: the kernel starts,
                     prints its version and the command line it got)
  missing            bootfile does not exist: kNetTftpNotFound (ccwboot)
  no_dhcp_fallback   the network has no DHCP server (ipv4=off); ccwboot names
                     kNetNoDhcp, then boots the virtio-blk disk found by the scan

Missing assets, mkdisk or image are a failure, never a skip.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "qemu"))
import qemu_run  # noqa: E402
from linux_boot import (LINUX_VERSION, MEMORY_MB, Fail, case_arguments, check_case_inputs,  # noqa: E402
                        expect_linux, expect_text, make_disk, run_answering, run_in_work_dir)
from qemu_run import run_qemu, virtio_disk  # noqa: E402

PARM = "console=ttysclp0 ccwboot.entry=%d ccwboot.net=%s"
UUID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"  # any; given to QEMU with -uuid


def pxelinux_cfg(append1: str, append2: str, timeout: int | None = None) -> str:
    """A pxelinux.cfg with two labels, 'debian' (the default) and 'rescue',
    both booting tftp_dir()'s kernel and initrd, with these append lines."""
    lines = ["# pxelinux.cfg written by the tests in tests/linux", "default debian"]
    if timeout is not None:
        lines.append("timeout %d" % timeout)
    for name, append in (("debian", append1), ("rescue", append2)):
        lines += ["label " + name, "  kernel vmlinuz", "  initrd initrd.img", "  append " + append]
    return "\n".join(lines) + "\n"


def tftp_dir(assets: Path, work: Path) -> Path:
    """work/tftp holding the kernel and the initrd (linked, or copied)."""
    d = work / "tftp"
    d.mkdir(exist_ok=True)
    for f in ("vmlinuz", "initrd.img"):
        if not (d / f).exists():
            try:
                os.link(assets / f, d / f)
            except OSError:
                shutil.copy(assets / f, d / f)
    return d


def pxe(tag: str) -> str:
    """net_boot's two entries: ccwboot.entry=1/2 ccwboot.net=<tag>."""
    return pxelinux_cfg(PARM % (1, tag), PARM % (2, tag), timeout=1)


def net_args(d: Path, bootfile: str, extra: str = "") -> list[str]:
    return ["-netdev", "user,id=n0,tftp=%s,bootfile=%s%s" % (d, bootfile, extra),
            "-device", "virtio-net-ccw,netdev=n0,devno=fe.0.0002,bootindex=1"]


def expect_wait(r, name: str) -> None:
    if r.wait_name != name:
        raise Fail("expected wait %s, got %s (%s)" % (name, r.wait_name, r.summary()))


def run_case(a, work: Path) -> str:
    bios = a.image if a.bios == "ccwboot" else a.qemu_bios
    ours = a.bios == "ccwboot"
    case = a.case
    d = tftp_dir(a.assets, work)

    def qemu(args, machine_opts=""):
        extra = (["-M", "s390-ccw-virtio," + machine_opts] if machine_opts else []) + list(args)
        return run_qemu(bios, extra, MEMORY_MB, a.timeout)

    if case in ("pxelinux", "pxelinux_loadparm"):
        (d / "pxe.cfg").write_text(pxe("pxe"))
        entry = 2 if case == "pxelinux_loadparm" else 1
        r = qemu(net_args(d, "pxe.cfg"), "loadparm=2" if entry == 2 else "")
        if not ours and qemu_run.qemu_version() < (10, 1):
            entry = 1  # QEMU's bios reads a pxelinux loadparm from 10.1 on: the default boots
        expect_linux(r, entry, "pxe", "net")
        if ours:
            expect_text(r, "net: pxelinux.cfg: 2 entries, default debian",
                        "net: booting entry %d (%s)" % (entry, "rescue" if entry == 2 else "debian"))
    elif case == "pxelinux_menu":
        (d / "pxe.cfg").write_text(pxe("pxe"))
        r = run_answering(bios, net_args(d, "pxe.cfg") + ["-boot", "menu=on,splash-time=30000"],
                          "Please choose", "2\r", a.timeout)
        expect_linux(r, 2, "pxe", "net")
        expect_text(r, "debian", "rescue", "ccwboot: booting 0.0.0002 entry 2 \"rescue\"")
    elif case == "pxelinux_dir":
        (d / "pxelinux.cfg").mkdir(exist_ok=True)
        (d / "pxelinux.cfg" / "default").write_text(pxe("pxe"))
        r = qemu(net_args(d, "pxelinux.cfg/"))
        expect_linux(r, 1, "pxe", "net")
        if ours:
            expect_text(r, "TFTP pxelinux.cfg/default:")
    elif case == "pxelinux_uuid":
        cfg = d / "pxelinux.cfg"
        cfg.mkdir(exist_ok=True)
        for leaf, tag in ((UUID, "uuid"), ("01-52-54-00-12-34-56", "mac"), ("0A00020F", "ip"),
                          ("default", "default")):
            (cfg / leaf).write_text(pxe(tag))
        r = qemu(net_args(d, "nothere") + ["-uuid", UUID])
        expect_linux(r, 1, "uuid", "net")
        if ours:
            expect_text(r, "TFTP pxelinux.cfg/%s:" % UUID)
    elif case == "ins":
        kernel = (a.assets / "vmlinuz").stat().st_size
        initrd = (a.assets / "initrd.img").stat().st_size
        initrd_at = ((kernel + 0xfffff) & ~0xfffff) + 0x100000
        (d / "parmfile").write_bytes((PARM % (3, "ins")).encode() + b"\0")
        (d / "initrd.off").write_bytes(struct.pack(">Q", initrd_at))
        (d / "initrd.siz").write_bytes(struct.pack(">Q", initrd))
        (d / "debian.ins").write_text(
            "* Debian GNU/Linux for S/390 (net_boot.py)\n"
            "vmlinuz 0x00000000\nparmfile 0x00010480\ninitrd.img 0x%08x\n"
            "initrd.off 0x00010408\ninitrd.siz 0x00010410\n" % initrd_at)
        r = qemu(net_args(d, "debian.ins"))
        expect_linux(r, 3, "ins", "net")
        if ours:
            expect_text(r, "net: .INS list 'Debian GNU/Linux for S/390 (net_boot.py)', 5 files")
    elif case == "kernel":
        # No initrd: the kernel starts, prints its version and command line
        # (its built-in empty one), then stops for want of a root file system.
        r = qemu(net_args(d, "vmlinuz"))
        expect_text(r, LINUX_VERSION, "Kernel command line:")
        if ours:
            expect_text(r, "net: kernel loaded: 1 files")
    elif case == "missing":
        r = qemu(net_args(d, "nothere"))
        if LINUX_VERSION in r.console:
            raise Fail("a kernel started though the boot file is missing")
        if ours:
            expect_wait(r, "kNetTftpNotFound")
            expect_text(r, "TFTP nothere: server error 1 (file not found)")
    elif case == "no_dhcp_fallback":
        disk = make_disk(a.mkdisk, a.assets, work / "d.img", "disk")
        r = qemu(net_args(d, "pxe.cfg", ",ipv4=off") + virtio_disk(str(disk), devno="fe.0.0001"))
        if ours:
            expect_text(r, "net: no DHCP answer within", "not booted: no DHCP answer on the network")
            if LINUX_VERSION not in r.console or "ccwboot.entry=1 ccwboot.disk=disk" not in r.console:
                raise Fail("did not fall back to the disk (%s)" % r.summary())
        elif LINUX_VERSION in r.console:
            raise Fail("QEMU's bios booted without DHCP?")
    else:
        raise Fail("unknown case %r" % case)
    return r.summary()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    case_arguments(ap)
    a = ap.parse_args()
    if not check_case_inputs(a):
        return 1
    try:
        summary = run_in_work_dir(a, run_case, "ccwboot-net-")
    except Fail as e:
        print("FAIL %s/%s: %s" % (a.bios, a.case, e))
        return 1
    print("PASS %s/%s: %s" % (a.bios, a.case, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
