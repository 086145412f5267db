#!/usr/bin/env python3
"""Hercules runs of volumes written by Debian's real zipl (scripts/make-zipl-disks.sh).

  stage3  DISK.3390 IPLed natively (`ipl 0120`) and through ccwboot
          (`ipl ccwboot.ins`): both must end in the same disabled-wait PSW, inside
          zipl's stage 3 (the "internal loader" range zipl reports): on Hercules
          3.13 stage 3 stops at its diag 308 probe, which makes that wait an exact
          check of stages 0-2. Then memory must be identical over every range
          zipl says it loaded for the default section (stage 3, parameters,
          kernel, parmline, initrd, environment block): storage is saved after
          the wait (Hercules `savecore`) and each range's SHA-256 compared. The
          kernel and initrd ranges must also hold the files' own bytes, so the
          comparison cannot pass on two equally wrong loads.
  linux   DISK.3390 written with the stage-3 patch (--no-diag308) IPLed through
          ccwboot (or natively with --native) must boot Debian's kernel to the
          initrd's marker, and the kernel's command line (printed by the initrd)
          must hold the parameter line zipl wrote for the default section.
          Hercules 3.13 shows only the SCLP line-mode console, one line per
          write: make-zipl-disk.py --hercules-linux prepares the disk for that.

    zipl_suite.py stage3 --disk DISK.3390 --report DISK.json --ins ccwboot.ins
    zipl_suite.py linux  --disk DISK.3390 --report DISK.json --ins ccwboot.ins
                         [--native] [--timeout S]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hercules_run  # noqa: E402

INIT_MARKER = "ccwboot-initrd: hello from userspace"
LINUX_VERSION = "Linux version"


class Failure(Exception):
    pass


def default_section(report: dict) -> tuple[str, list[dict]]:
    sections = report["sections"]
    if not sections:
        raise Failure("zipl's report lists no sections")
    name = next(iter(sections))  # zipl lists the default first (#1)
    return name, sections[name]


def component(comps: list[dict], name: str) -> dict:
    for c in comps:
        if c["name"] == name:
            return c
    raise Failure("zipl reported no %r component (has: %s)"
                  % (name, ", ".join(c["name"] for c in comps)))


def ipl(disk: Path, target: str, core: Path, end: int, timeout: float):
    res = hercules_run.run(disk, target, timeout=timeout, savecore=(core, 0, end))
    label = "native" if target == hercules_run.DEVICE else "ccwboot"
    psw = "PSW %s (address %#x)" % (res.psw_text, res.psw_address) if res.psw_words else "no PSW"
    print("%-8s %s, %s, %.2f s" % (label, res.outcome, psw, res.elapsed))
    if res.outcome != "wait" or not res.psw_words:
        print("\n".join(res.console_lines()[-40:]))
        raise Failure("%s IPL did not end in a disabled wait: %s" % (label, res.outcome))
    if not core.is_file() or core.stat().st_size != end:
        raise Failure("%s IPL: storage was not saved" % label)
    return res


def stage3(a) -> None:
    report = json.loads(a.report.read_text())
    name, comps = default_section(report)
    loader = component(comps, "internal loader")
    end = max(c["end"] for c in comps)
    print("zipl %s, %s, default section %r; loaded: %s" % (
        report["zipl_version"], report["layout"], name,
        ", ".join("%s %#x-%#x" % (c["name"], c["start"], c["end"]) for c in comps)))
    with tempfile.TemporaryDirectory(prefix="zipl-herc-") as t:
        native_core, ours_core = Path(t) / "native.core", Path(t) / "ccwboot.core"
        native = ipl(a.disk, hercules_run.DEVICE, native_core, end, a.timeout)
        ours = ipl(a.disk, str(a.ins), ours_core, end, a.timeout)
        if not loader["start"] <= native.psw_address < loader["end"]:
            raise Failure("the native IPL waits at %#x, outside stage 3 (%#x-%#x)"
                          % (native.psw_address, loader["start"], loader["end"]))
        if ours.psw_address != native.psw_address or ours.psw_words != native.psw_words:
            raise Failure("ccwboot ends at PSW %s, the native IPL at %s"
                          % (ours.psw_text, native.psw_text))
        mem_n, mem_o = native_core.read_bytes(), ours_core.read_bytes()
    # zipl 2.16 and 2.35 load Debian's whole vmlinuz file at 0x10000 (its "kernel image").
    files = {"kernel image": a.assets / "vmlinuz", "initial ramdisk": a.assets / "initrd.img"}
    differ = []
    for c in comps:
        s, e = c["start"], c["end"]
        hn = hashlib.sha256(mem_n[s:e]).hexdigest()
        ho = hashlib.sha256(mem_o[s:e]).hexdigest()
        print("  %-16s %#09x-%#09x native %s ccwboot %s" % (c["name"], s, e, hn[:16], ho[:16]))
        if hn != ho:
            differ.append(c["name"])
        if c["name"] in files and a.assets:
            path = files[c["name"]]
            want = path.read_bytes()
            if mem_n[s:s + len(want)] != want:
                raise Failure("the native IPL's %s at %#x is not %s" % (c["name"], s, path))
    if differ:
        raise Failure("memory differs in: " + ", ".join(differ))
    print("same stage-3 PSW %s; %d ranges identical (%d bytes)"
          % (native.psw_text, len(comps), sum(c["end"] - c["start"] for c in comps)))


def boot_linux(disk: Path, target: str, timeout: float) -> tuple[str, dict[str, float]]:
    """IPL `target` (0120 or a .ins) with `disk` as 0120 and follow the console.

    Hercules block-buffers its log into a pipe, so it runs under `script` (a
    pty) and lines arrive as printed. The run ends when the initrd has printed
    its command line (it powers off next, which stops the CPU without a
    disabled wait), on a disabled wait or program-interrupt loop, or at the
    time limit. Returns the log and the seconds from start to each milestone.
    """
    hercules = shutil.which("hercules")
    if not hercules or not shutil.which("script"):
        raise Failure("hercules and script (util-linux) are needed")
    work = Path(tempfile.mkdtemp(prefix="zipl-linux-"))
    try:
        # OSTAILOR LINUX: Hercules does not log Linux's ordinary page-fault program checks.
        (work / "herc.cnf").write_text("\n".join([
            "ARCHMODE z/Arch", "MAINSIZE 512", "NUMCPU 1", "PANRATE SLOW", "CPUPRIO 0",
            "DEVPRIO 0", "OSTAILOR LINUX", "%s 3390 %s" % (hercules_run.DEVICE, disk.resolve())]) + "\n")
        ipl_target = str(Path(target).resolve()) if target.endswith(".ins") else target
        (work / "herc.rc").write_text("hao tgt HHCCP0(11I|16I)\nhao cmd quit\nipl %s\n" % ipl_target)
        env = dict(os.environ, HERCULES_RC=str(work / "herc.rc"))
        cmd = "%s -f %s -d" % (hercules, work / "herc.cnf")
        started = time.monotonic()
        proc = subprocess.Popen(["script", "-qefc", cmd, "/dev/null"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=work,
                                env=env, start_new_session=True)
        lines: list[str] = []
        marks: dict[str, float] = {}

        def reader() -> None:
            for raw in proc.stdout:
                # Hercules wraps console lines in panel colour markup under a pty.
                line = re.sub(r"<pnl[^>]*>", "", raw.decode("latin-1").rstrip("\r\n"))
                lines.append(line)
                now = time.monotonic() - started
                for key, text in (("banner", LINUX_VERSION), ("marker", INIT_MARKER),
                                  ("cmdline", "ccwboot-initrd: cmdline:"),
                                  ("wait", "HHCCP011I"), ("loop", "HHCCP016I")):
                    if text in line and key not in marks:
                        marks[key] = now

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        deadline = started + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            if any(k in marks for k in ("cmdline", "wait", "loop")):
                time.sleep(1.0)  # let the rest of the line(s) arrive
                break
            time.sleep(0.2)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        thread.join(timeout=5)
        marks["end"] = time.monotonic() - started
        return "\n".join(lines), marks
    finally:
        shutil.rmtree(work, ignore_errors=True)


def linux(a) -> None:
    report = json.loads(a.report.read_text())
    if not report.get("hercules_linux"):
        raise Failure("%s was not written with --no-diag308 --hercules-linux: Hercules 3.13 "
                      "stops in stage 3 or shows no userspace output" % a.disk)
    name, _ = default_section(report)
    parm = report["parameters"][name]
    label = "native" if a.native else "ccwboot"
    log, marks = boot_linux(a.disk, hercules_run.DEVICE if a.native else str(a.ins), a.timeout)
    for line in log.splitlines():
        if LINUX_VERSION in line or "ccwboot-initrd" in line or "Booting default" in line:
            print("  " + line.strip()[:160])
    print("%s: %s" % (label, ", ".join("%s %.1f s" % kv for kv in marks.items())))
    if "banner" not in marks:
        print("\n".join(log.splitlines()[-40:]))
        raise Failure("the kernel never printed %r" % LINUX_VERSION)
    if "marker" not in marks:
        print("\n".join(log.splitlines()[-40:]))
        raise Failure("the initrd never reached userspace")
    m = re.search(r"ccwboot-initrd: cmdline: (.*)", log)
    if not m or parm not in m.group(1):
        raise Failure("kernel command line %r lacks zipl's parameters %r"
                      % (m.group(1).strip() if m else None, parm))
    print("the kernel's command line carries zipl's parameters: %s" % parm)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("stage3", "linux"))
    ap.add_argument("--disk", type=Path, required=True)
    ap.add_argument("--report", type=Path, required=True)
    ap.add_argument("--ins", type=Path, required=True)
    ap.add_argument("--assets", type=Path)
    ap.add_argument("--native", action="store_true")
    ap.add_argument("--timeout", type=float, default=30.0)
    a = ap.parse_args()
    for what, p in (("disk", a.disk), ("zipl report", a.report)) + (
            () if a.native else (("ccwboot.ins", a.ins),)):
        if not p.is_file():
            print("FAIL: missing %s %s" % (what, p))
            return 1
    try:
        stage3(a) if a.mode == "stage3" else linux(a)
    except Failure as e:
        print("FAIL %s %s: %s" % (a.mode, a.disk.name, e))
        return 1
    print("PASS %s %s" % (a.mode, a.disk.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
