#!/usr/bin/env python3
"""Run a ccwboot image (or any -bios image) in qemu-system-s390x and report how it ended.

API (stdlib only; import with sys.path.insert(0, "<repo>/tests/qemu")):

    from qemu_run import run_qemu, virtio_disk, raw_disk, wait_code_names

    r = run_qemu("build/s390x/ccwboot.img",
                 extra_args=virtio_disk("/tmp/d.raw", devno="fe.0.0007", bootindex=1),
                 memory_mb=256, timeout_s=30)
    r.console      # everything the guest printed (console on stdout), str
    r.stderr       # QEMU's own messages (-d guest_errors report etc.)
    r.ended        # "wait" (disabled wait), "timeout", "exit" (QEMU exited without a wait)
    r.psw          # (mask, address) of the disabled-wait PSW, or None
    r.wait_code    # low 16 bits of the address when it is ccwboot's 0xcbXXXX form, else None
    r.wait_name    # e.g. "kNoBootDevice" (names parsed from include/ccwboot/wait_codes.h)
    r.elapsed_s    # wall time from QEMU start to exit
    r.command      # the command line that was run (list)
    r.qemu         # "QEMU 7.2.22" etc.: the QEMU it ran under (in summary() too)

Which QEMU: the environment set by cmake/QemuVersions.cmake (tests named
*.qemu72 / *.qemu10), defaults are Debian's QEMU 7.2:
    CCWBOOT_QEMU          binary (default qemu-system-s390x)
    CCWBOOT_QEMU_BIOS     that QEMU's own s390-ccw.img (QEMU_BIOS below)
    qemu_version()        (major, minor) of CCWBOOT_QEMU, asked once with --version

run_qemu() uses the command line from the team docs: -M s390-ccw-virtio
-nodefaults -nographic -no-reboot, console = sclpconsole on stdio,
-d guest_errors, stdin from /dev/null. A disabled wait makes QEMU print
"Guest crashed on cpu 0: disabled-wait" + "PSW: 0x... 0x..." and exit.
Wall-clock bound: timeout_s, after which QEMU is killed (r.ended == "timeout").

Command line (README demo):
    qemu_run.py --image build/s390x/ccwboot.img [--disk FILE[:DEVNO[:BOOTINDEX]]]...
                [--memory MB] [--timeout S] [--blank-disk-mb N] [-- extra qemu args]
prints the console output live, then one summary line; exit status 0 when the
run ended in a disabled wait.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QEMU = os.environ.get("CCWBOOT_QEMU", "qemu-system-s390x")
# The peer firmware: the s390-ccw.img that belongs to that QEMU.
QEMU_BIOS = os.environ.get("CCWBOOT_QEMU_BIOS", "/usr/share/qemu/s390-ccw.img")
REPO = Path(__file__).resolve().parents[2]
WAIT_CODES_H = REPO / "include" / "ccwboot" / "wait_codes.h"
WAIT_BASE = 0x00CB0000

_PSW_RE = re.compile(r"PSW:\s*0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)")
_CODE_RE = re.compile(r"X\((k\w+),\s*(0x[0-9a-fA-F]+),")


_version_text: str | None = None


def qemu_version_text() -> str:
    """'QEMU 7.2.22' for the selected binary (asked once)."""
    global _version_text
    if _version_text is None:
        try:
            out = subprocess.run([QEMU, "--version"], capture_output=True, text=True,
                                 timeout=30).stdout
        except (OSError, subprocess.SubprocessError) as e:
            raise RuntimeError("cannot run %s --version: %s" % (QEMU, e))
        m = re.search(r"version (\d+\.\d+(?:\.\d+)?)", out)
        if not m:
            raise RuntimeError("%s --version printed no version: %r" % (QEMU, out))
        _version_text = "QEMU " + m.group(1)
        want = os.environ.get("CCWBOOT_QEMU_VERSION")
        if want and not m.group(1).startswith(want + "."):
            raise RuntimeError("%s is QEMU %s, the test asked for %s" % (QEMU, m.group(1), want))
    return _version_text


def qemu_version() -> tuple[int, int]:
    """(major, minor) of the selected QEMU, e.g. (10, 0)."""
    major, minor = qemu_version_text().split()[1].split(".")[:2]
    return int(major), int(minor)


def wait_code_names(header: Path = WAIT_CODES_H) -> dict[int, str]:
    """code -> name, from the X-macro table in wait_codes.h."""
    try:
        text = header.read_text()
    except OSError:
        return {}
    return {int(code, 16): name for name, code in _CODE_RE.findall(text)}


def wait_code_by_name(name: str) -> int:
    for code, n in wait_code_names().items():
        if n == name:
            return code
    raise KeyError(name)


@dataclasses.dataclass
class Result:
    console: str
    stderr: str
    ended: str
    psw: tuple[int, int] | None
    wait_code: int | None
    wait_name: str | None
    elapsed_s: float
    returncode: int | None
    command: list[str]
    qemu: str = ""

    def summary(self) -> str:
        if self.psw is None:
            return "result: %s after %.3f s (no disabled wait, %s)" % (
                self.ended, self.elapsed_s, self.qemu)
        s = "result: disabled wait PSW 0x%016x 0x%016x after %.3f s (%s)" % (
            self.psw[0], self.psw[1], self.elapsed_s, self.qemu)
        if self.wait_code is not None:
            s += ", ccwboot code 0x%04x (%s)" % (self.wait_code, self.wait_name or "?")
        return s


def raw_disk(path: str | os.PathLike, size_mb: int = 10, data: bytes = b"") -> str:
    """Creates (or truncates) a raw disk image of size_mb MiB starting with data."""
    with open(path, "wb") as f:
        f.write(data)
        f.truncate(size_mb << 20)
    return str(path)


def virtio_disk(path: str, devno: str | None = None, bootindex: int | None = None,
                ident: str | None = None, fmt: str = "raw") -> list[str]:
    """-drive/-device arguments for a virtio-blk-ccw disk backed by `path`."""
    ident = ident or "d%x" % (abs(hash((path, devno))) & 0xffffff)
    dev = "virtio-blk-ccw,drive=%s" % ident
    if devno:
        dev += ",devno=%s" % devno
    if bootindex is not None:
        dev += ",bootindex=%d" % bootindex
    return ["-drive", "file=%s,format=%s,if=none,id=%s" % (path, fmt, ident), "-device", dev]


def qemu_command(image: str, extra_args: list[str] = (), memory_mb: int = 256) -> list[str]:
    return [QEMU, "-M", "s390-ccw-virtio", "-nodefaults", "-nographic", "-no-reboot",
            "-m", str(memory_mb), "-bios", str(image),
            "-chardev", "stdio,id=c0", "-device", "sclpconsole,chardev=c0",
            "-d", "guest_errors", *extra_args]


def run_qemu(image: str, extra_args: list[str] = (), memory_mb: int = 256,
             timeout_s: float = 30.0, machine_args: list[str] | None = None,
             echo: bool = False) -> Result:
    """Runs QEMU until it exits or timeout_s passes. machine_args replaces the
    whole argument list after the binary when given (for unusual setups)."""
    cmd = qemu_command(image, list(extra_args), memory_mb)
    if machine_args is not None:
        cmd = [QEMU, *machine_args]
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        ended = "exit"
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            ended = "timeout"
        elapsed = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        console = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    both = console + "\n" + stderr
    psw = None
    if "disabled-wait" in both:
        m = _PSW_RE.search(both[both.index("disabled-wait"):])
        if m:
            psw = (int(m.group(1), 16), int(m.group(2), 16))
            if ended == "exit":
                ended = "wait"
    # QEMU prints its guest_errors report on stdout with -nographic: keep the
    # guest's console text free of it.
    console = console.split("Guest crashed on cpu")[0]
    code = name = None
    if psw is not None and (psw[1] & 0xFFFFFFFFFFFF0000) == WAIT_BASE:
        code = psw[1] & 0xFFFF
        name = wait_code_names().get(code)
    if echo:
        sys.stdout.write(console)
    return Result(console, stderr, ended, psw, code, name, elapsed,
                  proc.returncode if ended != "timeout" else None, cmd, qemu_version_text())


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--image", default=str(REPO / "build" / "s390x" / "ccwboot.img"))
    ap.add_argument("--disk", action="append", default=[],
                    help="FILE[:DEVNO[:BOOTINDEX]], e.g. disk.raw:fe.0.0007:1")
    ap.add_argument("--blank-disk-mb", type=int, default=0,
                    help="add a blank raw virtio disk of this size (temporary file)")
    ap.add_argument("--memory", type=int, default=256)
    ap.add_argument("--timeout", type=float, default=30.0)
    a = ap.parse_args(argv)
    args: list[str] = []
    tmp = None
    if a.blank_disk_mb:
        tmp = tempfile.NamedTemporaryFile(suffix=".raw", delete=False)
        tmp.close()
        raw_disk(tmp.name, a.blank_disk_mb)
        args += virtio_disk(tmp.name, devno="fe.0.0007")
    for spec in a.disk:
        parts = spec.split(":")
        args += virtio_disk(parts[0], devno=parts[1] if len(parts) > 1 and parts[1] else None,
                            bootindex=int(parts[2]) if len(parts) > 2 else None)
    try:
        r = run_qemu(a.image, args + extra, a.memory, a.timeout, echo=True)
    finally:
        if tmp:
            os.unlink(tmp.name)
    print(r.summary())
    return 0 if r.ended == "wait" else 1


if __name__ == "__main__":
    sys.exit(main())
