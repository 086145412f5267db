#!/usr/bin/env python3
"""The boot menu driven by keystrokes: Debian's kernel on mkdisk disks, QEMU's
sclpconsole on a pipe, keys written when the console shows a prompt.

    menu_boot.py --case NAME --image CCWBOOT_IMG --mkdisk MKDISK --assets DIR
                 [--qemu BINARY] [--qemu-data DIR] [--timeout S] [--keep DIR]

The disks have two entries ('debian' = 1, the default, and 'rescue' = 2) whose
parameter lines end in `ccwboot.entry=N ccwboot.disk=TAG`; the initrd prints
/proc/cmdline, so the line it prints proves which device and entry booted and
what the editor did to the line. Cases:

  edit_append    e 2, append a word: /proc/cmdline has it
  edit_delete    e 2, cursor keys + Ctrl-W delete a word in the middle
  edit_too_long  a line past the kernel's limit (4095): refused, nothing cut;
                 Esc, then entry 2 boots with its own line
  not_linux      e on a raw program entry: refused by name; entry 1 boots
  timeout        no key: the default boots after the splash time
  countdown_key  a key during the countdown stops it; the answer typed 6 s
                 later (past the 3 s timeout) still decides
  prompt_edit    loadparm PROMPT: the menu waits; e 1 with an appended word
  no_input       a line-mode console (sclplmconsole): no input possible, the
                 default boots once the timeout passes
  wrong_answer   7 on a disk with two entries: named with what was typed, and
                 the next answer (2) boots
  zipl_stage3    a disk written by the real zipl (--zipl-disk, SCSI layout): its
                 entries start zipl's stage 3, which copies the line from its
                 own parameter area; e 2 and an appended word reach the kernel
  second_device  two disks: the second device's second entry (2.2)
  device_fails   blank disk first: listed with its error; 2.2 boots
  net_entry      a virtio-net device (bootindex 1, a pxelinux.cfg with two
                 labels on QEMU's TFTP) and a disk: the labels are listed as
                 device 1's entries; 1.2 boots the second label
  net_edit       the same; e 1.2 opens its append line, a word appended
                 reaches /proc/cmdline
  net_no_menu    the same devices without -boot menu: no menu, and the
                 pxelinux.cfg is not fetched for one (a DHCP and TFTP round
                 saved); the default label boots

Missing assets, mkdisk or image are a failure, never a skip. Exit 0 = pass.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from linux_boot import (INIT_MARKER, MEMORY_MB, PARM, Fail, case_arguments, missing_input,  # noqa: E402
                        run_in_work_dir, run_mkdisk)
from net_boot import pxelinux_cfg, tftp_dir  # noqa: E402

ESC_LEFT = "\x1b[D"
CTRL_W = "\x17"


def make_disk(a, out: Path, tag: str, raw_second: bool = False, extra=()) -> Path:
    k, i = a.assets / "vmlinuz", a.assets / "initrd.img"
    cmd = [a.mkdisk, "-o", str(out), "--layout", "scsi", *extra,
           "--entry", "debian", "--kernel", str(k), "--initrd", str(i), "--parm", PARM % (1, tag)]
    if raw_second:
        prog = out.with_suffix(".raw")
        prog.write_bytes(b"\x00\x02\x00\x00\x80\x00\x00\x00" * 8)  # not a kernel, never run
        cmd += ["--entry", "program", "--raw", "%s@0x20000" % prog, "--start", "0x20000"]
    else:
        cmd += ["--entry", "rescue", "--kernel", str(k), "--initrd", str(i), "--parm", PARM % (2, tag)]
    run_mkdisk(cmd + ["--default", "1"])
    return out


def net_args(a, work: Path, devno: str, bootindex: int) -> list[str]:
    """QEMU's user network with DHCP and a TFTP directory holding the kernel,
    the initrd and a pxelinux.cfg (the boot file) with two labels."""
    d = tftp_dir(a.assets, work)
    (d / "pxe.cfg").write_text(pxelinux_cfg(PARM % (1, "net"), PARM % (2, "net")))
    return ["-netdev", "user,id=n0,tftp=%s,bootfile=pxe.cfg" % d,
            "-device", "virtio-net-ccw,netdev=n0,devno=%s,bootindex=%d" % (devno, bootindex)]


def disk_args(path: Path, devno: str, bootindex: int | None) -> list[str]:
    n = devno.replace(".", "")
    dev = "virtio-blk-ccw,drive=d%s,devno=%s" % (n, devno)
    if bootindex is not None:
        dev += ",bootindex=%d" % bootindex
    return ["-drive", "file=%s,format=raw,if=none,id=d%s" % (path, n), "-device", dev]


class Run:
    """QEMU with the console on pipes; `script` is a list of (text to wait
    for, bytes to type, seconds to wait before typing)."""

    def __init__(self, a, extra: list[str], script, console="sclpconsole"):
        cmd = [a.qemu, "-M", "s390-ccw-virtio", "-nodefaults", "-nographic", "-no-reboot",
               "-m", str(MEMORY_MB), "-bios", a.image, "-chardev", "stdio,id=c0",
               "-device", "%s,chardev=c0" % console, "-d", "guest_errors", *extra]
        if a.qemu_data:
            cmd += ["-L", a.qemu_data]
        self.start = time.monotonic()
        self.seen: dict[str, float] = {}
        self.out = b""
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        reader = threading.Thread(target=self._read, args=(p,), daemon=True)
        reader.start()
        deadline = self.start + a.timeout
        try:
            for want, keys, pause in script:
                while want.encode() not in self.out:
                    if time.monotonic() > deadline or p.poll() is not None:
                        raise Fail("never saw %r; console:\n%s" % (want, self.text()))
                    time.sleep(0.05)
                self.seen[want] = time.monotonic() - self.start
                time.sleep(pause)
                p.stdin.write(keys.encode())
                p.stdin.flush()
            while p.poll() is None and time.monotonic() < deadline:
                if INIT_MARKER.encode() in self.out and b"cmdline:" in self.out:
                    time.sleep(0.5)
                    break
                time.sleep(0.1)
        finally:
            p.kill()
            p.wait()
            reader.join(5)
        self.elapsed = time.monotonic() - self.start

    def _read(self, p):
        while True:
            chunk = p.stdout.read1(65536)
            if not chunk:
                return
            self.out += chunk

    def text(self) -> str:
        return self.out.decode("utf-8", "replace")

    def cmdline(self) -> str | None:
        m = re.search(r"ccwboot-initrd: cmdline: (.*)", self.text())
        return m.group(1).strip() if m else None

    def expect(self, *texts: str) -> None:
        for t in texts:
            if t not in self.text():
                raise Fail("console lacks %r; console:\n%s" % (t, self.text()[-3000:]))

    def expect_cmdline(self, want: str) -> None:
        got = self.cmdline()
        if got != want:
            raise Fail("/proc/cmdline is %r, expected %r" % (got, want))


MENU = ["-boot", "menu=on,splash-time=30000"]


def run_case(a, work: Path) -> str:
    c = a.case
    line2 = PARM % (2, "a")
    if c == "edit_append":
        d = make_disk(a, work / "a.img", "a")
        r = Run(a, disk_args(d, "fe.0.0001", 1) + MENU,
                [("Please choose", "e 2\r", 0.3), ("kernel parameters of", " ccwboot.added=yes\r", 0.3)])
        r.expect_cmdline(line2 + " ccwboot.added=yes")
        r.expect('booting 0.0.0001 entry 2 with edited parameters: %s ccwboot.added=yes' % line2)
    elif c == "edit_delete":
        # End, 14 x Left (to the start of "ccwboot.disk=a"), Ctrl-W: "ccwboot.entry=2 " goes.
        d = make_disk(a, work / "a.img", "a")
        keys = "\x1b[F" + ESC_LEFT * 14 + CTRL_W + "\r"
        r = Run(a, disk_args(d, "fe.0.0001", 1) + MENU,
                [("Please choose", "e 2\r", 0.3), ("kernel parameters of", keys, 0.3)])
        r.expect_cmdline("console=ttysclp0 ccwboot.disk=a")
    elif c == "edit_too_long":
        # 4095 is the Debian kernel's limit (0x10430 holds 4096, NUL included).
        d = make_disk(a, work / "a.img", "a")
        long_word = " ccwboot.pad=" + "x" * 4100
        total = len(line2) + len(long_word)
        r = Run(a, disk_args(d, "fe.0.0001", 1) + MENU,
                [("Please choose", "e 2\r", 0.3), ("kernel parameters of", long_word + "\r", 0.3),
                 ("refused: the line is", "\x1b", 0.3), ("back to the menu", "2\r", 0.5)])
        r.expect("refused: the line is %d bytes, this kernel takes at most 4095 "
                 "(its header at 0x10430)" % total, "parameters left unchanged")
        r.expect_cmdline(line2)
    elif c == "not_linux":
        d = make_disk(a, work / "a.img", "a", raw_second=True)
        r = Run(a, disk_args(d, "fe.0.0001", 1) + MENU,
                [("Please choose", "e 2\r", 0.3), ("entry 2 cannot be edited", "1\r", 0.5)])
        r.expect("entry 2 cannot be edited: the entry is not a Linux kernel")
        r.expect_cmdline(PARM % (1, "a"))
    elif c == "wrong_answer":
        d = make_disk(a, work / "a.img", "a")
        r = Run(a, disk_args(d, "fe.0.0001", 1) + MENU,
                [("Please choose", "7\r", 0.3), ("please choose again", "2\r", 0.5)])
        r.expect("ccwboot: no entry '7': the device has no such entry; please choose again")
        r.expect_cmdline(line2)
    elif c == "zipl_stage3":
        if not a.zipl_disk or not Path(a.zipl_disk).is_file():
            raise Fail("missing the real-zipl disk %s (ctest fixture zipl.disks)" % a.zipl_disk)
        d = work / "zipl.img"
        d.write_bytes(Path(a.zipl_disk).read_bytes())  # the cached disk stays untouched
        r = Run(a, disk_args(d, "fe.0.0001", 1) + MENU,
                [("Please choose", "e 2\r", 0.3), ("kernel parameters of", " zipl.edit=1\r", 0.3)])
        r.expect("at most 895 bytes (zipl's stage 3 passes it on, 896 bytes)",
                 "starting the loaded system, PSW 00080000 8000a000")
        r.expect_cmdline("console=ttysclp0 ccwboot.entry=2 ccwboot.disk=zipl-scsi zipl.edit=1")
    elif c == "timeout":
        d = make_disk(a, work / "a.img", "a")
        r = Run(a, disk_args(d, "fe.0.0001", 1) + ["-boot", "menu=on,splash-time=2000"], [])
        r.expect("default will boot in 2 seconds", "no choice made, booting the default entry",
                 "booting 0.0.0001 entry 1 (the default)")
        r.expect_cmdline(PARM % (1, "a"))
    elif c == "countdown_key":
        # A key 0.3 s into a 3 s countdown; Enter 6 s later. Without the stop
        # the default would have booted at 3 s.
        d = make_disk(a, work / "a.img", "a")
        r = Run(a, disk_args(d, "fe.0.0001", 1) + ["-boot", "menu=on,splash-time=3000"],
                [("Please choose", "2", 0.3), ("boot>  2", "\r", 6.0)])
        r.expect_cmdline(line2)
        if "no choice made" in r.text():
            raise Fail("the countdown went on after a key")
    elif c == "prompt_edit":
        d = make_disk(a, work / "a.img", "a")
        r = Run(a, ["-M", "s390-ccw-virtio,loadparm=PROMPT"] + disk_args(d, "fe.0.0001", 1),
                [("Please choose:", "e 1\r", 2.0), ("kernel parameters of", " quiet_not=1\r", 0.3)])
        r.expect("LOADPARM=[PROMPT  ]")
        r.expect_cmdline(PARM % (1, "a") + " quiet_not=1")
    elif c == "no_input":
        d = make_disk(a, work / "a.img", "a")
        r = Run(a, disk_args(d, "fe.0.0001", 1) + ["-boot", "menu=on,splash-time=1000"],
                [("booting 0.0.0001 entry 1 (the default)", "", 0)], console="sclplmconsole")
        r.expect("this console cannot read input; booting the default in 1 s")
    elif c in ("second_device", "device_fails"):
        first = (make_disk(a, work / "a.img", "a") if c == "second_device"
                 else work / "blank.img")
        if c == "device_fails":
            with open(first, "wb") as f:
                f.truncate(16 << 20)
        second = make_disk(a, work / "b.img", "b")
        r = Run(a, disk_args(first, "fe.0.0001", 1) + disk_args(second, "fe.0.0002", 2) + MENU,
                [("Please choose", "2.2\r", 0.3)])
        r.expect("2 devices in boot order", " device 2: 0.0.0002 virtio-blk (SCSI scheme)",
                 "booting 0.0.0002 entry 2")
        if c == "device_fails":
            r.expect(" device 1: 0.0.0001 virtio-blk: cannot boot: ", "(kZiplNoBootMap 0x0303)")
        r.expect_cmdline(PARM % (2, "b"))
    elif c == "net_no_menu":
        disk = make_disk(a, work / "a.img", "a")
        r = Run(a, net_args(a, work, "fe.0.0003", 1) + disk_args(disk, "fe.0.0001", 2), [])
        r.expect_cmdline(PARM % (1, "net"))
        for unwanted in ("for the boot menu", "ccwboot boot menu", "Please choose"):
            if unwanted in r.text():
                raise Fail("a menu was prepared without being asked for: %r; console:\n%s"
                           % (unwanted, r.text()[-3000:]))
    elif c in ("net_entry", "net_edit"):
        # Network first (QEMU 7.2 passes only the first bootindex device; its
        # scan then adds the disk), the disk second.
        disk = make_disk(a, work / "a.img", "a")
        args = net_args(a, work, "fe.0.0003", 1) + disk_args(disk, "fe.0.0001", 2) + MENU
        if c == "net_entry":
            r = Run(a, args, [("Please choose", "1.2\r", 0.3)])
        else:
            r = Run(a, args, [("Please choose", "e 1.2\r", 0.3),
                              ("kernel parameters of", " net.edit=yes\r", 0.3)])
        r.expect("2 devices in boot order", " device 1: 0.0.0003 network (pxelinux.cfg)",
                 "   1.1  debian", "   1.2  rescue", " device 2: 0.0.0001 virtio-blk")
        if c == "net_entry":
            r.expect('ccwboot: booting 0.0.0003 entry 2 "rescue"')
            if 'with edited parameters' in r.text():
                raise Fail('nothing was edited')
            r.expect_cmdline(PARM % (2, "net"))
        else:
            r.expect("kernel parameters of 0.0.0003 entry 2, at most 4095 bytes",
                     'ccwboot: booting 0.0.0003 entry 2 "rescue" with edited parameters: '
                     + PARM % (2, "net") + " net.edit=yes")
            r.expect_cmdline(PARM % (2, "net") + " net.edit=yes")
    else:
        raise Fail("unknown case %r" % c)
    return "%.1f s" % r.elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    case_arguments(ap, bios=False)
    ap.add_argument("--qemu-data", help="-L directory for a QEMU outside the system (10.0)")
    ap.add_argument("--zipl-disk", help="a SCSI-layout disk written by the real zipl (zipl_stage3)")
    a = ap.parse_args()
    missing = missing_input(a)
    if missing:
        print("FAIL menu/%s: %s" % (a.case, missing))
        return 1
    ver = subprocess.run([a.qemu, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    try:
        summary = run_in_work_dir(a, run_case, "ccwboot-menu-")
    except Fail as e:
        print("FAIL menu/%s (%s): %s" % (a.case, ver, e))
        return 1
    print("PASS menu/%s (%s): %s" % (a.case, ver, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
