#!/usr/bin/env python3
"""Boot a real Debian s390x kernel from tool-made virtio-blk disks, through
ccwboot or through QEMU's own s390-ccw.img, and check what happened.

    linux_boot.py --case NAME --bios ccwboot|qemu --image CCWBOOT_IMG
                  --mkdisk MKDISK --assets DIR [--timeout S] [--keep DIR]

Each case builds its disks with mkdisk (zipl SCSI scheme or ECKD CDL, two
named entries whose parameter lines differ in `ccwboot.entry=N`), starts
QEMU (TCG) and reads the console. The initrd (scripts/fetch-debian-kernel.sh)
prints `ccwboot-initrd: hello from userspace` and its /proc/cmdline, then
powers off, so a good boot ends with QEMU exiting by itself.

Missing assets, mkdisk or image are a failure, never a skip.
Exit status 0 = the case's expectations held; the reason is printed otherwise.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "qemu"))
import qemu_run  # noqa: E402
from qemu_run import qemu_command, qemu_version, qemu_version_text, run_qemu, virtio_disk  # noqa: E402,F401
LINUX_VERSION = "Linux version"
INIT_MARKER = "ccwboot-initrd: hello from userspace"
PARM = "console=ttysclp0 ccwboot.entry=%d ccwboot.disk=%s"
MEMORY_MB = 512


class Fail(Exception):
    pass


def run_mkdisk(cmd: list[str]) -> None:
    """Runs mkdisk; a Fail with what it printed if it refuses."""
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise Fail("mkdisk failed: %s %s" % (p.stdout, p.stderr))


def make_disk(mkdisk: str, assets: Path, out: Path, disk_tag: str, layout: str = "scsi",
              block_size: int | None = None, menu: list[str] = ()) -> Path:
    """Two entries, 'debian' (1, also the default) and 'rescue' (2)."""
    k, i = assets / "vmlinuz", assets / "initrd.img"
    cmd = [mkdisk, "-o", str(out), "--layout", layout, *menu]
    if block_size:
        cmd += ["--block-size", str(block_size)]
    for n, name in ((1, "debian"), (2, "rescue")):
        cmd += ["--entry", name, "--kernel", str(k), "--initrd", str(i),
                "--parm", PARM % (n, disk_tag)]
    run_mkdisk(cmd + ["--default", "1"])
    return out


def make_iso(mkdisk: str, assets: Path, out: Path) -> Path:
    """El Torito install media: one entry, 'install' (ccwboot.entry=1 ccwboot.disk=iso)."""
    run_mkdisk([mkdisk, "-o", str(out), "--layout", "iso", "--entry", "install",
                "--kernel", str(assets / "vmlinuz"), "--initrd", str(assets / "initrd.img"),
                "--parm", PARM % (1, "iso")])
    return out


# /init of the re-IPL initrd: with ccwboot.reipl=DEVNO,LOADPARM on its command
# line it picks the next boot the way users do (sysfs reipl/ccw, reipl_type)
# and reboots; otherwise it behaves like the fetched initrd. With
# ccwboot.reipl_clear=1 it also sets reipl/ccw/clear (the reboot asks for a
# load clear, diag 308 subcode 3, instead of subcode 4).
REIPL_INIT = b"""#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox echo "ccwboot-initrd: hello from userspace"
/bin/busybox echo "ccwboot-initrd: cmdline: $(/bin/busybox cat /proc/cmdline)"
r=
c=
for w in $(/bin/busybox cat /proc/cmdline); do
  case $w in ccwboot.reipl=*) r=${w#ccwboot.reipl=};; ccwboot.reipl_clear=*) c=${w#*=};; esac
done
if [ -n "$r" ]; then
  if [ -n "$c" ]; then echo "$c" > /sys/firmware/reipl/ccw/clear; fi
  echo "${r%,*}" > /sys/firmware/reipl/ccw/device
  echo "${r#*,}" > /sys/firmware/reipl/ccw/loadparm
  echo ccw > /sys/firmware/reipl/reipl_type
  echo "ccwboot-initrd: re-IPL from $(/bin/busybox cat /sys/firmware/reipl/ccw/device)" \\
       "loadparm [$(/bin/busybox cat /sys/firmware/reipl/ccw/loadparm)]" \\
       "clear $(/bin/busybox cat /sys/firmware/reipl/ccw/clear)"
  /bin/busybox reboot -f
fi
/bin/busybox poweroff -f
"""


def reipl_initrd(src: Path, dst: Path) -> Path:
    """The fetched initrd (gzip'd newc cpio) with /init replaced by REIPL_INIT."""
    data = gzip.decompress(src.read_bytes())
    out = b""
    i = 0
    while True:
        hdr = data[i:i + 110]
        if hdr[:6] != b"070701":
            raise Fail("initrd %s is not a newc cpio" % src)
        size, namesize = int(hdr[54:62], 16), int(hdr[94:102], 16)
        name = data[i + 110:i + 110 + namesize - 1]
        start = i + 110 + namesize + (-(i + 110 + namesize) % 4)
        body = data[start:start + size]
        end = start + size + (-(start + size) % 4)
        if name == b"init":
            body = REIPL_INIT
            hdr = hdr[:54] + b"%08X" % len(body) + hdr[62:]
        entry = hdr + data[i + 110:i + 110 + namesize]
        entry += b"\0" * (-len(entry) % 4) + body
        entry += b"\0" * (-len(entry) % 4)
        out += entry
        i = end
        if name == b"TRAILER!!!":
            break
    out += b"\0" * (-len(out) % 512)
    dst.write_bytes(gzip.compress(out))
    return dst


def reipl_disk(mkdisk: str, assets: Path, out: Path, disk_tag: str, initrd: Path,
               reipl: str, clear: bool = False) -> Path:
    """Entry 1 (the default) picks the next boot (ccwboot.reipl=REIPL, with
    reipl/ccw/clear = 1 when `clear`); entry 2 is plain."""
    k = assets / "vmlinuz"
    parm = (PARM % (1, disk_tag)) + " ccwboot.reipl=" + reipl
    if clear:
        parm += " ccwboot.reipl_clear=1"
    cmd = [mkdisk, "-o", str(out), "--layout", "scsi",
           "--entry", "chooser", "--kernel", str(k), "--initrd", str(initrd),
           "--parm", parm,
           "--entry", "rescue", "--kernel", str(k), "--initrd", str(assets / "initrd.img"),
           "--parm", PARM % (2, disk_tag), "--default", "1"]
    run_mkdisk(cmd)
    return out


def blank_disk(out: Path, size_mb: int = 16) -> Path:
    with open(out, "wb") as f:
        f.truncate(size_mb << 20)
    return out


class Console:
    """What an interactive run printed (the fields expect_* read)."""

    def __init__(self, console: str, elapsed: float, ended: str):
        self.console, self.elapsed_s, self.ended = console, elapsed, ended

    def summary(self) -> str:
        return "result: %s after %.3f s" % (self.ended, self.elapsed_s)


def run_answering(bios: str, extra: list[str], prompt: str, answer: str, timeout: float) -> Console:
    """Runs QEMU with the console on a pipe and types `answer` once `prompt` appears."""
    cmd = qemu_command(bios, extra, MEMORY_MB)
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    out = []
    answered = False
    try:
        for raw in p.stdout:
            line = raw.decode("utf-8", "replace")
            out.append(line)
            if not answered and prompt in line:
                time.sleep(0.3)
                p.stdin.write(answer.encode())
                p.stdin.flush()
                answered = True
        p.wait()
    finally:
        timer.cancel()
    ended = "exit" if p.returncode == 0 else "killed/failed (%s)" % p.returncode
    return Console("".join(out), time.monotonic() - start, ended)


REIPL_MARKER = "ccwboot-initrd: re-IPL from"


def monitor_command(sock: str, command: str, until: re.Pattern, timeout: float) -> bytes:
    """Connect to QEMU's human monitor on `sock`, wait for its prompt, send
    `command` and read until `until` matches. Raises OSError (a timeout is
    one) when QEMU does not answer."""
    import socket
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(timeout)
        s.connect(sock)
        buf = b""
        for wanted, send in ((re.compile(rb"\(qemu\)"), command), (until, None)):
            while not wanted.search(buf):
                s.settimeout(max(0.1, deadline - time.monotonic()))
                chunk = s.recv(65536)
                if not chunk:
                    raise OSError("the monitor closed the connection after %r" % buf[-80:])
                buf += chunk
            if send is not None:
                s.sendall(send.encode() + b"\n")
                buf = b""
        return buf


def monitor_psw(sock: str, window: float = 30.0) -> tuple[int | None, str]:
    """The instruction address of CPU 0, read from QEMU's monitor after
    stopping the guest (`stop` waits for the vCPU to leave its translated
    code, so `info registers` does not race with it), and "" -- or None and
    why not. A loaded machine can be slow to answer: it retries with a new
    connection for `window` seconds."""
    want = re.compile(rb"PSW=mask \w+ addr (\w+)")
    deadline = time.monotonic() + window
    why = "no attempt"
    while True:
        try:
            monitor_command(sock, "stop", re.compile(rb"\(qemu\)"), 10)
            m = want.search(monitor_command(sock, "info registers", want, 10))
            if m:
                return int(m.group(1), 16), ""
        except OSError as e:
            why = "monitor: %s" % (e or type(e).__name__)
        if time.monotonic() > deadline:
            return None, why
        time.sleep(1)


def run_reipl(bios: str, args: list[str], timeout: float, grace: float) -> Console:
    """QEMU without -no-reboot, so the guest's re-IPL happens. Ends when QEMU
    exits (the second boot's initrd powers off), `grace` seconds after the
    initrd announced the re-IPL (then the monitor's PSW is kept in
    .psw_at_end), or at `timeout`."""
    cmd = [c for c in qemu_command(bios, args, MEMORY_MB) if c != "-no-reboot"]
    with tempfile.TemporaryDirectory(prefix="ccwboot-mon-") as t:
        mon = str(Path(t) / "m.sock")
        cmd += ["-monitor", "unix:%s,server=on,wait=off" % mon]
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        out: list[str] = []
        reader = threading.Thread(
            target=lambda: out.extend(raw.decode("utf-8", "replace") for raw in p.stdout),
            daemon=True)
        reader.start()
        ended, psw, marked = "exit", None, None
        try:
            while p.poll() is None:
                now = time.monotonic()
                if marked is None and REIPL_MARKER in "".join(out):
                    marked = now
                if marked is not None and now - marked > grace:
                    psw, why = monitor_psw(mon)
                    ended = "stopped %.0f s after the re-IPL" % grace + (
                        " (%s)" % why if why else "")
                    break
                if now - start > timeout:
                    ended = "timeout"
                    break
                time.sleep(0.5)
        finally:
            if p.poll() is None:
                p.kill()
            p.wait()
            reader.join(5)
    r = Console("".join(out).split("Guest crashed on cpu")[0], time.monotonic() - start, ended)
    r.psw_at_end = psw
    r.reipl_s = (marked - start) if marked is not None else None
    return r


def cmdline_of(console: str) -> str | None:
    m = re.search(r"ccwboot-initrd: cmdline: (.*)", console)
    return m.group(1).strip() if m else None


def expect_linux(r, entry: int, tag: str, source: str = "disk") -> None:
    """Linux reached userspace with entry `entry`'s line: ccwboot.entry=<entry>
    ccwboot.<source>=<tag> (source "disk" for mkdisk's disks, "net" for a
    pxelinux.cfg's labels)."""
    c = r.console
    if LINUX_VERSION not in c:
        raise Fail("the kernel never printed '%s' (%s)" % (LINUX_VERSION, r.summary()))
    if INIT_MARKER not in c:
        raise Fail("the initrd never reached userspace (%s)" % r.summary())
    cl = cmdline_of(c)
    want = "ccwboot.entry=%d ccwboot.%s=%s" % (entry, source, tag)
    if cl is None or want not in cl:
        raise Fail("wrong entry booted: cmdline %r, expected %r" % (cl, want))


def expect_text(r, *texts: str) -> None:
    for t in texts:
        if t not in r.console:
            raise Fail("console lacks %r" % t)


def missing_input(a) -> str | None:
    """Which of the image, mkdisk, kernel and initrd a case needs is not a file."""
    for what, path in (("ccwboot image", a.image), ("mkdisk", a.mkdisk),
                       ("kernel", a.assets / "vmlinuz"), ("initrd", a.assets / "initrd.img")):
        if not Path(path).is_file():
            return "missing %s: %s" % (what, path)
    return None


def run_in_work_dir(a, run_case, prefix: str) -> str:
    """run_case(a, work) in --keep's directory if given, else in a temporary one."""
    if getattr(a, "keep", None):
        a.keep.mkdir(parents=True, exist_ok=True)
        return run_case(a, a.keep)
    with tempfile.TemporaryDirectory(prefix=prefix) as t:
        return run_case(a, Path(t))


def case_arguments(ap: argparse.ArgumentParser, timeout: float = 180.0, bios: bool = True) -> None:
    """The options of the case scripts (linux_boot, net_boot, net_peer_boot,
    menu_boot). bios=False leaves out --bios and --qemu-bios (ccwboot only)."""
    ap.add_argument("--case", required=True)
    if bios:
        ap.add_argument("--bios", choices=("ccwboot", "qemu"), default="ccwboot")
    ap.add_argument("--image", required=True)
    ap.add_argument("--mkdisk", required=True)
    ap.add_argument("--assets", required=True, type=Path)
    ap.add_argument("--qemu", default=qemu_run.QEMU,
                    help="QEMU to run (default: $CCWBOOT_QEMU, as ccwboot_add_qemu_test sets it)")
    if bios:
        ap.add_argument("--qemu-bios", default=qemu_run.QEMU_BIOS,
                        help="QEMU's own bios for --bios qemu (default: $CCWBOOT_QEMU_BIOS)")
    ap.add_argument("--timeout", type=float, default=timeout)
    ap.add_argument("--keep", type=Path, help="build the case's disks and files here and keep them")


def check_case_inputs(a) -> bool:
    """Selects --qemu for qemu_run; False, with the FAIL line printed, when
    something the case needs (missing_input, QEMU's bios for --bios qemu) is missing."""
    qemu_run.QEMU = a.qemu
    missing = missing_input(a)
    if missing:
        print("FAIL %s/%s: %s" % (a.bios, a.case, missing))
        return False
    if a.bios == "qemu" and not Path(a.qemu_bios).is_file():
        print("FAIL: missing QEMU's bios %s" % a.qemu_bios)
        return False
    return True


def run_case(a, work: Path) -> str:
    bios = a.image if a.bios == "ccwboot" else a.qemu_bios
    ours = a.bios == "ccwboot"
    case = a.case

    def qemu(args, machine_opts=""):
        # run_qemu builds "-M s390-ccw-virtio"; machine options go in a second -M.
        extra = (["-M", "s390-ccw-virtio," + machine_opts] if machine_opts else []) + list(args)
        return run_qemu(bios, extra, MEMORY_MB, a.timeout)

    if case == "default":
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
        r = qemu(virtio_disk(str(d), devno="fe.0.0001", bootindex=1))
        expect_linux(r, 1, "a")
        if ours:
            expect_text(r, "virtio-blk: 0.0.0001: revision 1", "booting the default entry")
    elif case == "loadparm":
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
        r = qemu(virtio_disk(str(d), devno="fe.0.0001", bootindex=1), "loadparm=2")
        expect_linux(r, 2, "a")
        expect_text(r, "LOADPARM=[2       ]")
        if ours:
            expect_text(r, "booting entry 2")
    elif case == "loadparm_text":
        # Not a number: QEMU's bios boots the default; ccwboot does too and says so.
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
        r = qemu(virtio_disk(str(d), devno="fe.0.0001", bootindex=1), "loadparm=LINUX")
        expect_linux(r, 1, "a")
        if ours:
            expect_text(r, "loadparm [LINUX   ] is not an entry number or PROMPT; ignored")
    elif case == "loadparm_missing":
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
        r = qemu(virtio_disk(str(d), devno="fe.0.0001", bootindex=1), "loadparm=7")
        if LINUX_VERSION in r.console:
            raise Fail("booted Linux although entry 7 does not exist")
        if ours and r.wait_name != "kLoadparmNoSuchEntry":
            raise Fail("expected wait code kLoadparmNoSuchEntry, got %s" % r.summary())
        if not ours and r.ended != "wait":
            raise Fail("expected QEMU's bios to stop in a disabled wait, got %s" % r.summary())
    elif case == "menu":
        # -boot menu=on: the menu lists the disk's entries (a SCSI-scheme boot
        # map carries no names, so both firmwares list numbers), then the
        # default boots when the timeout passes with no answer.
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
        r = qemu(virtio_disk(str(d), devno="fe.0.0001", bootindex=1) +
                 ["-boot", "menu=on,splash-time=1000"])
        expect_linux(r, 1, "a")
        if ours:
            expect_text(r, "ccwboot boot menu (SCSI scheme)", "   1  (entry 1",
                        "   2  (entry 2", "no choice made", "booting the default entry")
        else:
            expect_text(r, "Boot Menu", "[1]", "[2]")
    elif case == "menu_answer":
        # An answer typed on the console (sclpconsole input) picks entry 2
        # before the 30 s timeout; a firmware that ignores it boots entry 1.
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
        splash = 30000 if ours else 5000
        r = run_answering(bios, virtio_disk(str(d), devno="fe.0.0001", bootindex=1) +
                          ["-boot", "menu=on,splash-time=%d" % splash],
                          "Please choose", "2\n", a.timeout)
        if ours:
            expect_linux(r, 2, "a")
            expect_text(r, "booting entry 2 (menu)")
            # Judged by what the console says, not by wall time (a loaded
            # machine can take 30 s to boot the kernel): the countdown's end
            # would print "no choice made".
            if "no choice made" in r.console:
                raise Fail("the answer did not cut the menu's timeout short")
        else:
            # QEMU 7.2's bios, TCG, sclpconsole on a pipe: the answer is only
            # echoed when the timeout ends and the default boots
            # (docs/virtio-boot.md); flag it if that ever changes.
            expect_linux(r, 1, "a")
    elif case == "prompt_answer":
        # loadparm PROMPT: the menu waits without a timeout until answered.
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
        r = run_answering(bios, ["-M", "s390-ccw-virtio,loadparm=PROMPT"] +
                          virtio_disk(str(d), devno="fe.0.0001", bootindex=1),
                          "Please choose", "2\n", a.timeout)
        expect_linux(r, 2, "a")
        expect_text(r, "LOADPARM=[PROMPT  ]")
        if ours:
            expect_text(r, "booting entry 2 (menu)")
    elif case == "menu_names":
        # An ECKD LDL disk carries zipl's menu text: both firmwares show the
        # entry names, then boot the default when the timeout passes.
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a", layout="eckd-ldl")
        r = qemu(virtio_disk(str(d), devno="fe.0.0001", bootindex=1) +
                 ["-boot", "menu=on,splash-time=1000"])
        expect_linux(r, 1, "a")
        if ours:
            expect_text(r, "ccwboot boot menu (ECKD LDL)", "   1  debian", "   2  rescue")
        else:
            expect_text(r, "1. debian", "2. rescue")
    elif case == "zipl_prompt":
        # No -boot menu: QEMU lets the disk's zipl menu settings decide (flag
        # 0x40); this disk says prompt, 2 s. Both show the menu, then boot the default.
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a", layout="eckd-ldl",
                      menu=["--prompt", "--timeout", "2"])
        r = qemu(virtio_disk(str(d), devno="fe.0.0001", bootindex=1))
        expect_linux(r, 1, "a")
        expect_text(r, "debian", "rescue", "default will boot in 2 seconds")
        if ours:
            expect_text(r, "booting the default entry (menu)")
    elif case == "ldl":
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a", layout="eckd-ldl")
        r = qemu(virtio_disk(str(d), devno="fe.0.0001", bootindex=1), "loadparm=2")
        expect_linux(r, 2, "a")
        if ours:
            expect_text(r, "booting entry 2 rescue (loadparm)")
    elif case in ("iso", "iso2048"):
        # El Torito install media: one boot image, as a virtio-blk CD-ROM
        # (512-byte blocks, or 2048 as a real CD-ROM reports them).
        d = make_iso(a.mkdisk, a.assets, work / "boot.iso")
        dev = "virtio-blk-ccw,drive=di,devno=fe.0.0001,bootindex=1"
        if case == "iso2048":
            dev += ",logical_block_size=2048,physical_block_size=2048"
        r = qemu(["-drive", "file=%s,format=raw,if=none,id=di,media=cdrom" % d, "-device", dev])
        expect_linux(r, 1, "iso")
        if ours:
            expect_text(r, "ISO 9660 boot map")
    elif case == "eckd":
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a", layout="eckd-cdl")
        r = qemu(virtio_disk(str(d), devno="fe.0.0001", bootindex=1), "loadparm=2")
        expect_linux(r, 2, "a")
    elif case == "block4096":
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a", block_size=4096)
        drive = ["-drive", "file=%s,format=raw,if=none,id=d4k" % d, "-device",
                 "virtio-blk-ccw,drive=d4k,devno=fe.0.0001,bootindex=1,"
                 "logical_block_size=4096,physical_block_size=4096"]
        r = qemu(drive)
        expect_linux(r, 1, "a")
        if ours:
            expect_text(r, "blocks of 4096 bytes")
    elif case == "legacy":
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
        drive = ["-drive", "file=%s,format=raw,if=none,id=dl" % d, "-device",
                 "virtio-blk-ccw,drive=dl,devno=fe.0.0001,bootindex=1,max_revision=0,"
                 "queue-size=1024"]  # a legacy device only takes its full queue size
        r = qemu(drive)
        expect_linux(r, 1, "a")
        if ours:
            expect_text(r, "virtio-blk: 0.0.0001: revision 0")
    elif case in ("scsi", "scsi_scan"):
        # The disk as a LUN behind virtio-scsi-ccw: named by the IPL block
        # (bootindex, target 3 LUN 1, loadparm 2), or found by the scan (no
        # bootindex; target 5, LUN 7 only).
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
        hd = "scsi-hd,drive=ds,scsi-id=3,lun=1,bootindex=1" if case == "scsi" else \
            "scsi-hd,drive=ds,scsi-id=5,lun=7"
        args = ["-drive", "file=%s,format=raw,if=none,id=ds" % d,
                "-device", "virtio-scsi-ccw,id=s0,devno=fe.0.0002", "-device", hd]
        r = qemu(args, "loadparm=2" if case == "scsi" else "")
        expect_linux(r, 2 if case == "scsi" else 1, "a")
        if ours:
            expect_text(r, "target 3 LUN 1" if case == "scsi" else "target 5 LUN 7")
    elif case == "bootorder":
        # Issue 11: a blank disk with bootindex=1, a blank one without bootindex
        # defined second, a good one with bootindex=2 (and, from QEMU 9.2 on,
        # its own loadparm=2). QEMU 9.2+ passes both bootindex devices: entry 2
        # of the good disk, never the one without bootindex. QEMU 7.2 passes
        # only the first: ccwboot goes on with the scan's disks (the blank
        # one, then the good one, its default entry); 7.2's bios stops.
        new = qemu_version() >= (9, 2)
        blank1 = blank_disk(work / "blank1.img")
        blank2 = blank_disk(work / "blank2.img")
        good = make_disk(a.mkdisk, a.assets, work / "good.img", "c")
        args = (virtio_disk(str(blank1), devno="fe.0.0001", bootindex=1) +
                virtio_disk(str(blank2), devno="fe.0.0002") +
                ["-drive", "file=%s,format=raw,if=none,id=dg" % good, "-device",
                 "virtio-blk-ccw,drive=dg,devno=fe.0.0003,bootindex=2" +
                 (",loadparm=2" if new else "")])
        r = qemu(args)
        if ours or new:
            expect_linux(r, 2 if new else 1, "c")
        elif LINUX_VERSION in r.console:
            raise Fail("QEMU 7.2's bios booted past its one IPL device")
        if ours and new:
            if "boot device 0.0.0002" in r.console:
                raise Fail("tried the disk without bootindex although QEMU passed a chain")
            expect_text(r, "QEMU passed 2 boot devices",
                        "loadparm [2       ] for this device, from its IPL parameter block")
    elif case.startswith("scan_loadparm"):
        # Issue 15: nothing has a bootindex, the machine has loadparm=2: the
        # disk the scan finds boots entry 2 (ISO: it has only its default, so
        # the IPL stops, on both firmwares).
        layout = {"scan_loadparm": "scsi", "scan_loadparm_ldl": "eckd-ldl",
                  "scan_loadparm_cdl": "eckd-cdl", "scan_loadparm_scsi": "scsi",
                  "scan_loadparm_iso": "iso"}[case]
        if layout == "iso":
            d = make_iso(a.mkdisk, a.assets, work / "boot.iso")
            args = ["-drive", "file=%s,format=raw,if=none,id=di,media=cdrom" % d,
                    "-device", "virtio-blk-ccw,drive=di,devno=fe.0.0004"]
        else:
            d = make_disk(a.mkdisk, a.assets, work / "d.img", "a", layout=layout)
            if case == "scan_loadparm_scsi":
                args = ["-drive", "file=%s,format=raw,if=none,id=ds" % d,
                        "-device", "virtio-scsi-ccw,id=s0,devno=fe.0.0004",
                        "-device", "scsi-hd,drive=ds,scsi-id=2,lun=0"]
            else:
                args = virtio_disk(str(d), devno="fe.0.0004")
        r = qemu(args, "loadparm=2")
        expect_text(r, "LOADPARM=[2       ]")
        if layout == "iso":
            if LINUX_VERSION in r.console:
                raise Fail("booted the ISO's only entry although loadparm 2 names none")
            if ours and r.wait_name != "kLoadparmNoSuchEntry":
                raise Fail("expected kLoadparmNoSuchEntry, got %s" % r.summary())
            if not ours and r.ended != "wait":
                raise Fail("expected QEMU's bios to stop, got %s" % r.summary())
        else:
            expect_linux(r, 2, "a")
            if ours:
                expect_text(r, "first bootable device found by the scan",
                            "loadparm [2       ] for this device, from the machine (SCLP)",
                            "booting entry 2")
    elif case == "loadparm_stops":
        # A loadparm naming an entry the first disk lacks stops the IPL; the
        # good second disk is not tried (QEMU 10's bios: "Invalid loadparm").
        new = qemu_version() >= (9, 2)
        d1 = make_disk(a.mkdisk, a.assets, work / "d1.img", "a")
        d2 = make_disk(a.mkdisk, a.assets, work / "d2.img", "b")
        if new:
            args = ["-drive", "file=%s,format=raw,if=none,id=d1" % d1, "-device",
                    "virtio-blk-ccw,drive=d1,devno=fe.0.0001,bootindex=1,loadparm=7",
                    *virtio_disk(str(d2), devno="fe.0.0002", bootindex=2)]
            r = qemu(args)
        else:
            r = qemu(virtio_disk(str(d1), devno="fe.0.0001", bootindex=1) +
                     virtio_disk(str(d2), devno="fe.0.0002"), "loadparm=7")
        if LINUX_VERSION in r.console:
            raise Fail("booted although the loadparm names a missing entry")
        if r.ended != "wait":
            raise Fail("expected a disabled wait, got %s" % r.summary())
        if ours:
            if r.wait_name != "kLoadparmNoSuchEntry":
                raise Fail("expected kLoadparmNoSuchEntry, got %s" % r.summary())
            if "boot device 0.0.0002" in r.console:
                raise Fail("went on to the second disk")
            expect_text(r, "this stops the IPL")
    elif case == "reset_between":
        # The first device fails with a read still queued (2 KiB/s: block 0
        # comes, a 64 KiB read does not, kVirtioStalled after 10 s); it must
        # be reset so that its late completion cannot touch the ring the next
        # device uses. The second disk then boots normally.
        d1 = make_disk(a.mkdisk, a.assets, work / "d1.img", "a")
        d2 = make_disk(a.mkdisk, a.assets, work / "d2.img", "b")
        second = virtio_disk(str(d2), devno="fe.0.0002",
                             bootindex=2 if qemu_version() >= (9, 2) else None)
        args = ["-drive", "file=%s,format=raw,if=none,id=ds,throttling.bps-total=2048" % d1,
                "-device", "virtio-blk-ccw,drive=ds,devno=fe.0.0001,bootindex=1", *second]
        r = qemu(args)
        expect_linux(r, 1, "b")
        expect_text(r, "device 0.0.0001 not booted: the virtio-blk device did not complete a read")
    elif case == "site":
        # zipl's site selector after the entry number: entry 2 on both firmwares.
        d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
        r = qemu(virtio_disk(str(d), devno="fe.0.0001", bootindex=1), "loadparm=2S1")
        expect_linux(r, 2, "a")
        expect_text(r, "LOADPARM=[2S1     ]")
        if ours:
            expect_text(r, "zipl site 1 is for the loaded system", "booting entry 2")
    elif case == "reipl_stops":
        # QEMU has no diag 308 subcode 4, which Linux uses for a re-IPL with
        # /sys/firmware/reipl/ccw/clear = 0 (the default): the guest picks
        # disk B entry 2 as users do, reboots, and its kernel stops in a
        # disabled wait before any firmware runs again (docs/boot-order.md).
        # If a QEMU implements subcode 4, the firmware starts a second time
        # and this case fails: then register `reipl` instead.
        initrd = reipl_initrd(a.assets / "initrd.img", work / "reipl-initrd.img")
        da = reipl_disk(a.mkdisk, a.assets, work / "a.img", "a", initrd, "0.0.0002,2")
        db = make_disk(a.mkdisk, a.assets, work / "b.img", "b")
        args = virtio_disk(str(da), devno="fe.0.0001", bootindex=1) + \
            virtio_disk(str(db), devno="fe.0.0002")
        cmd = [c for c in qemu_command(bios, args, MEMORY_MB) if c != "-no-reboot"]
        r = run_qemu(bios, timeout_s=a.timeout, machine_args=cmd[1:])
        expect_linux(r, 1, "a")
        expect_text(r, "ccwboot-initrd: re-IPL from 0.0.0002 loadparm [2]")
        if r.ended != "wait":
            raise Fail("expected the kernel's disabled wait after the reboot, got %s" % r.summary())
        after = r.console.split("ccwboot-initrd: re-IPL from", 1)[1]
        if "LOADPARM=[" in after or LINUX_VERSION in after:
            raise Fail("the firmware ran again after the reboot: QEMU re-IPLs now; "
                       "update docs/boot-order.md and register the reipl case")
    elif case in ("reipl", "reipl_scsi"):
        # Re-IPL chosen by the guest: Debian from disk A; its initrd writes
        # /sys/firmware/reipl/ccw/{device,loadparm} and reipl_type and
        # reboots (QEMU runs without -no-reboot). The firmware must then boot
        # disk B, entry 2. reipl_scsi: the disk is a LUN behind virtio-scsi
        # (bootindex, QEMU SCSI-type IPLB), the guest names the controller as
        # a CCW device with loadparm 2: the LUN is found again by the scan.
        initrd = reipl_initrd(a.assets / "initrd.img", work / "reipl-initrd.img")
        if case == "reipl":
            da = reipl_disk(a.mkdisk, a.assets, work / "a.img", "a", initrd, "0.0.0002,2",
                            clear=True)
            db = make_disk(a.mkdisk, a.assets, work / "b.img", "b")
            args = virtio_disk(str(da), devno="fe.0.0001", bootindex=1) + \
                virtio_disk(str(db), devno="fe.0.0002")
            first, second = "a", "b"
        else:
            # Two LUNs: disk S (target 5 LUN 7, bootindex) and disk T (target
            # 0 LUN 0, found first by a scan). The guest can only name the
            # controller (a CCW block). QEMU 7.2 turns a CCW block naming the
            # first boot device's controller back into that device's SCSI
            # block (the machine loadparm, now 2, goes with it): disk S again.
            # QEMU 9.2+ keeps the CCW block, so the firmware scans the
            # controller: disk T (hw/s390x/ipl.c, s390_ipl_reset_request).
            ds = reipl_disk(a.mkdisk, a.assets, work / "s.img", "s", initrd, "0.0.0002,2",
                            clear=True)
            dt = make_disk(a.mkdisk, a.assets, work / "t.img", "t")
            args = ["-drive", "file=%s,format=raw,if=none,id=ds" % ds,
                    "-drive", "file=%s,format=raw,if=none,id=dt" % dt,
                    "-device", "virtio-scsi-ccw,id=s0,devno=fe.0.0002",
                    "-device", "scsi-hd,drive=ds,scsi-id=5,lun=7,bootindex=1",
                    "-device", "scsi-hd,drive=dt,scsi-id=0,lun=0"]
            first, second = "s", ("t" if qemu_version() >= (9, 2) else "s")
        # QEMU's own bios gets the re-IPL right too, then the second kernel
        # stalls in its decompressor (QEMU's load clear leaves the first
        # system's translated code cached; docs/boot-order.md): it is given
        # 25 s after the re-IPL, more than ccwboot's second boot needs here.
        r = run_reipl(bios, args, a.timeout, grace=a.timeout if ours else 25)
        lines = re.findall(r"ccwboot-initrd: cmdline: (.*)", r.console)
        want1 = "ccwboot.entry=1 ccwboot.disk=%s" % first
        want2 = "ccwboot.entry=2 ccwboot.disk=%s" % second
        if not lines or want1 not in lines[0]:
            raise Fail("the first boot did not reach disk %s's entry 1 (%s)" % (first, r.summary()))
        if "ccwboot-initrd: re-IPL from 0.0.0002 loadparm [2] clear 1" not in r.console:
            raise Fail("the initrd did not set the re-IPL device, loadparm and clear")
        before, after = r.console.split(REIPL_MARKER, 1)
        if "LOADPARM=[2       ]" not in after:
            raise Fail("the re-IPL's firmware did not show the guest's loadparm (%s)" % r.summary())
        if ours:
            cleared = "ccwboot: storage was in use before this IPL"
            if cleared in before:
                raise Fail("the first IPL took QEMU's fresh storage for used storage")
            if cleared not in after:
                raise Fail("the re-IPL's storage was not recognised as used")
            if "booting entry 2" not in after:
                raise Fail("ccwboot did not say it boots entry 2 after the re-IPL")
            if case == "reipl_scsi":
                lun = "target 0 LUN 0" if second == "t" else "target 5 LUN 7"
                if lun not in after:
                    raise Fail("after the re-IPL ccwboot did not use %s" % lun)
            if len(lines) < 2 or want2 not in lines[1]:
                raise Fail("after the re-IPL: %r, expected %r (%s)" %
                           (lines[1] if len(lines) > 1 else None, want2, r.summary()))
        else:
            # The documented stall: flag it when it goes away.
            if LINUX_VERSION in after:
                raise Fail("QEMU's bios booted the second kernel after the re-IPL: the stall "
                           "is gone; update docs/boot-order.md and this case")
            image_end = (a.assets / "vmlinuz").stat().st_size
            if r.psw_at_end is None or not 0x10000 <= r.psw_at_end < image_end:
                raise Fail("expected the second kernel still in its decompressor (PSW within "
                           "the loaded image, 0x10000-0x%x), got PSW %s (%s)" %
                           (image_end, "?" if r.psw_at_end is None else hex(r.psw_at_end),
                            r.summary()))
    elif case == "scsi_empty":
        r = qemu(["-device", "virtio-scsi-ccw,id=s0,devno=fe.0.0002"])
        if ours and r.wait_name != "kVirtioScsiLunNotReady":
            raise Fail("expected kVirtioScsiLunNotReady, got %s" % r.summary())
        if not ours and r.ended != "wait":
            raise Fail("expected QEMU's bios to stop, got %s" % r.summary())
    elif case == "fallback":
        bad = blank_disk(work / "bad.img")
        good = make_disk(a.mkdisk, a.assets, work / "good.img", "b")
        args = (virtio_disk(str(bad), devno="fe.0.0001", bootindex=1) +
                virtio_disk(str(good), devno="fe.0.0002", bootindex=2))
        r = qemu(args)
        if ours or qemu_version() >= (9, 2):
            # QEMU 9.2+ passes both devices and its bios tries the second too.
            expect_linux(r, 1, "b")
        elif LINUX_VERSION in r.console:
            # QEMU 7.2's bios gets one IPL device and stops when it fails
            # (docs/virtio-boot.md); if it ever boots the second disk, the
            # documented difference is gone and the docs must change.
            raise Fail("QEMU's bios fell back to the second disk; update docs/virtio-boot.md")
    elif case in ("not_block", "blank", "io_error", "stall", "block8192"):
        # Driver failures: each must end in its own named wait code, quickly.
        if case == "not_block":
            # A network device without a backend: ccwboot netboots it, no DHCP answers.
            args, want = ["-device", "virtio-net-ccw,devno=fe.0.0003,bootindex=1"], "kNetNoDhcp"
        elif case == "blank":
            args = virtio_disk(str(blank_disk(work / "blank.img")), devno="fe.0.0001", bootindex=1)
            want = "kZiplNoBootMap"
        elif case == "block8192":
            d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
            args = ["-drive", "file=%s,format=raw,if=none,id=d8" % d, "-device",
                    "virtio-blk-ccw,drive=d8,devno=fe.0.0001,bootindex=1,"
                    "logical_block_size=8192,physical_block_size=8192"]
            want = "kVirtioBadBlockSize"
        elif case == "io_error":
            # blkdebug fails every read from sector 300 on (inside the kernel).
            d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
            args = ["-blockdev", "driver=blkdebug,node-name=bd0,image.driver=file,"
                    "image.filename=%s,inject-error.0.event=none,inject-error.0.iotype=read,"
                    "inject-error.0.sector=300,inject-error.0.errno=5" % d,
                    "-device", "virtio-blk-ccw,drive=bd0,devno=fe.0.0001,bootindex=1"]
            want = "kVirtioIoError"
        else:
            # 2 KiB/s: block 0 and the tables arrive, the first 64 KiB read does not.
            d = make_disk(a.mkdisk, a.assets, work / "d.img", "a")
            args = ["-drive", "file=%s,format=raw,if=none,id=ds,throttling.bps-total=2048" % d,
                    "-device", "virtio-blk-ccw,drive=ds,devno=fe.0.0001,bootindex=1"]
            want = "kVirtioStalled"
        r = qemu(args)
        if ours:
            if r.wait_name != want:
                raise Fail("expected %s, got %s" % (want, r.summary()))
            if case == "stall" and not 9 < r.elapsed_s < 60:
                raise Fail("the stall bound should be about 10 s, took %.1f s" % r.elapsed_s)
        elif LINUX_VERSION in r.console:
            raise Fail("QEMU's bios booted Linux from a failing device")
    else:
        raise Fail("unknown case %r" % case)
    return r.summary() + " (%.2f s)" % r.elapsed_s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    case_arguments(ap)
    a = ap.parse_args()
    if not check_case_inputs(a):
        return 1
    try:
        summary = run_in_work_dir(a, run_case, "ccwboot-linux-")
    except Fail as e:
        print("FAIL %s/%s under %s: %s" % (a.bios, a.case, qemu_version_text(), e))
        return 1
    print("PASS %s/%s under %s: %s" % (a.bios, a.case, qemu_version_text(), summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
