#!/usr/bin/env python3
"""Run one IPL in Hercules 3.13 headless and report how it ended.

Used by the Hercules test suite, scripts/run.sh and bench/run.sh. Each run gets
its own temporary directory (config, run-commands file, log), so runs can go in
parallel (ctest -j). Hercules takes commands only from the file named by
HERCULES_RC and always exits 0, so the outcome is read from its log:

  wait            HHCCP011I disabled wait; PSW parsed (ESA 8-byte or z/Arch
                  16-byte form) and normalised to the instruction address
  program-loop    HHCCP016I, Hercules' own program-interrupt-loop detector
  ipl-failed      HHCCP029E/HHCCP030E (e.g. dasdinit's invalid IPL PSW)
  device-missing  HHCCP027E
  timeout         none of those before the time limit (a hang, or a storm of
                  program interrupts that Hercules does not call a loop)

When the run ends in a wait, the automatic operator runs a second script that
displays the requested storage ranges (`r` commands, 4 KiB each) and the
prefix register, then logs a marker; the harness ends Hercules once it has
read the marker (see DONE_MARK) and parses the displayed bytes so a test
can checksum what was loaded. With trace=True every CCW on device 0120 is
traced (`t+0120`) and the executed CCWs are returned.

Stdlib only. Command line: see `hercules_run.py --help`.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import machine_state  # noqa: E402

DEVICE = "0120"
MAINSIZE_MB = 64
R_CHUNK = 0x1000  # `r` prints at most ~1000 lines; 4 KiB is 256 lines
END_MESSAGES = "HHCCP0(11I|16I|27E|29E|30E)"

# ESA/390: "PSW=000A0000 8000C0DE"; z/Arch: "PSW=00020001 80000000 0000000000CB010D"
# (the address as one 16-digit group); older forms print four 8-digit groups.
_PSW_RE = re.compile(r"PSW=([0-9A-Fa-f]{8}(?:\s[0-9A-Fa-f]{16}\b|\s[0-9A-Fa-f]{8}\b)*)")
_R_LINE_RE = re.compile(r"^R:([0-9A-Fa-f]{8,16}):K:[0-9A-Fa-f]{2}=((?:\s?[0-9A-Fa-f]{8}){1,4})")
_CCW_RE = re.compile(r"HHCCP048I\s+([0-9A-Fa-f]{4}):CCW=([0-9A-Fa-f]{8}) ([0-9A-Fa-f]{8})")
_STAT_RE = re.compile(r"HHCCP075I\s+([0-9A-Fa-f]{4}):Stat=([0-9A-Fa-f]{4}) Count=([0-9A-Fa-f]{4})")
_PREFIX_RE = re.compile(r"Prefix=([0-9A-Fa-f]+)", re.IGNORECASE)
_PROGRAM_INTERRUPT_RE = re.compile(r"HHCCP014I")

# The end of a script whose output is wanted: a marker, and `quit` only after
# a pause. Hercules 3.13 drops what is still in its log pipe when `quit`
# shuts the logger down (logger_term clears logger_active; the logger thread
# leaves its loop without reading the pipe again), and on a busy machine the
# logger thread lags behind the script: a `quit` right after the displays
# lost the PSW, some of the rows or all of them (34 of 150 runs beside two
# busy loops). Every line before the marker has passed the logger once the
# marker is read, so the harness ends Hercules there; the pause keeps `quit`
# (a fallback) away from a lagging logger.
DONE_MARK = "HRUN-DONE"


def done_commands(mark: str = DONE_MARK) -> list[str]:
    return [f"msgnoh {mark}", "pause 1", "quit"]


@dataclasses.dataclass
class Ccw:
    """One CCW as the channel executed it (format 0), with its residual count."""

    command: int
    address: int
    flags: int
    count: int
    residual: int | None = None

    @property
    def stores_data(self) -> bool:
        # Input commands write main storage: read (xxxxxx10), sense (xxxx0100),
        # read backward (xxxx1100). TIC (0x08) does not.
        c = self.command
        return c != 0x08 and ((c & 0x03) == 0x02 or (c & 0x0F) in (0x04, 0x0C))

    @property
    def stored_range(self) -> tuple[int, int] | None:
        """[start, end) of storage this CCW wrote, or None."""
        if not self.stores_data or self.flags & 0x10:  # 0x10: skip, no transfer
            return None
        moved = self.count - (self.residual or 0)
        if moved <= 0:
            return None
        return (self.address, self.address + moved)


@dataclasses.dataclass
class HerculesResult:
    outcome: str
    psw_words: list[int]
    psw_address: int | None
    end_message: str
    log: str
    elapsed: float        # Hercules start to the end message (or to the end of the run)
    total_elapsed: float  # the whole run, shut-down included
    storage: dict[int, bytes]
    prefix: int | None
    program_interrupts: int
    ccws: list[Ccw]
    workdir: str | None
    state: machine_state.MachineState | None = None  # with run(state=...)
    # The `ipl` command's echo to the end message: the IPL (and, for a .ins,
    # the firmware's whole run) without Hercules' own start-up. None if not seen.
    ipl_to_end: float | None = None

    @property
    def psw_text(self) -> str:
        return " ".join(f"{w:08X}" for w in self.psw_words)

    def storage_digest(self, ranges: list[tuple[int, int]]) -> str:
        """SHA-256 over the bytes of [start, end) ranges, in the order given."""
        h = hashlib.sha256()
        for start, end in ranges:
            h.update(read_range(self.storage, start, end))
        return h.hexdigest()

    def console_lines(self) -> list[str]:
        """Log lines from the IPL to the end of the run, without the harness's
        own commands and storage displays or Hercules' start-up and shut-down."""
        out = []
        started = False
        for line in self.log.splitlines():
            text = line.strip()
            if not started:
                started = bool(re.match(r"^ipl\b", text))
                if not started:
                    continue
            if text == "quit" or text.startswith(("HHCIN900I", "HHCCP008I")):
                break  # shut-down from here on
            if (text.startswith(("HHCAO", "script ", "R:", "Prefix=", "HHCPN013I", "psw ",
                                 "msgnoh "))
                    or re.match(r"^(r [0-9A-F]+\.[0-9A-F]+|pr|psw)$", text)):
                continue
            out.append(line)
        return out


def normalise_psw(words: list[int]) -> int:
    """Instruction address of an ESA/390 (2 words) or z/Arch (4 words) PSW."""
    if len(words) == 2:
        return words[1] & 0x7FFFFFFF
    if len(words) == 4:
        return (words[2] << 32) | words[3]
    raise ValueError(f"PSW with {len(words)} words")


def parse_psw_near(lines: list[str], index: int) -> list[int]:
    """The PSW=... printed with the message at lines[index].

    Hercules writes "PSW=..." as a separate piece of the message, and other
    threads' output (the automatic operator, the storage display it fires) can
    land before it, so take the first PSW= from that line on that is not part
    of a program-interrupt report (HHCCP014I's second line carries INST=).
    """
    for line in lines[index:]:
        m = _PSW_RE.search(line)
        if m and "INST=" not in line:
            digits = "".join(m.group(1).split())
            if len(digits) >= 32:
                digits = digits[:32]
            elif len(digits) >= 16:
                digits = digits[:16]
            else:
                continue  # a torn line
            return [int(digits[i:i + 8], 16) for i in range(0, len(digits), 8)]
    return []


def parse_outcome(log: str, timed_out: bool) -> tuple[str, list[int], str]:
    lines = log.splitlines()
    for i, line in enumerate(lines):
        m = re.search(r"\b(HHCCP0(11I|16I|27E|29E|30E))\b", line)
        if not m or line.lstrip().startswith("hao "):
            continue
        code = m.group(1)
        outcome = {
            "HHCCP011I": "wait",
            "HHCCP016I": "program-loop",
            "HHCCP027E": "device-missing",
            "HHCCP029E": "ipl-failed",
            "HHCCP030E": "ipl-failed",
        }[code]
        psw = parse_psw_near(lines, i) if outcome in ("wait", "program-loop") else []
        return outcome, psw, line.strip()
    return ("timeout" if timed_out else "no-end-message"), [], ""


def parse_storage(log: str) -> dict[int, bytes]:
    """Bytes shown by `r` commands: {address: 16 bytes (or fewer)}."""
    rows: dict[int, bytes] = {}
    for line in log.splitlines():
        m = _R_LINE_RE.match(line.strip())
        if m:
            rows[int(m.group(1), 16)] = bytes.fromhex(m.group(2).replace(" ", ""))
    return rows


def read_range(rows: dict[int, bytes], start: int, end: int) -> bytes:
    """Bytes [start, end) from parsed `r` rows; raises if a row is missing."""
    out = bytearray()
    addr = start
    while addr < end:
        base = addr & ~0xF
        row = rows.get(base)
        if row is None:
            raise KeyError(f"storage at {base:#x} was not displayed")
        take = row[addr - base:min(len(row), end - base)]
        if not take:
            raise KeyError(f"short storage row at {base:#x}")
        out += take
        addr += len(take)
    return bytes(out)


def parse_ccws(log: str, device: str = DEVICE) -> list[Ccw]:
    """Executed CCWs from a `t+DEV` trace, each paired with its ending residual count."""
    ccws: list[Ccw] = []
    for line in log.splitlines():
        m = _CCW_RE.search(line)
        if m and m.group(1).upper() == device.upper():
            w0, w1 = int(m.group(2), 16), int(m.group(3), 16)
            ccws.append(Ccw(command=w0 >> 24, address=w0 & 0xFFFFFF, flags=w1 >> 24,
                            count=w1 & 0xFFFF))
            continue
        m = _STAT_RE.search(line)
        if m and m.group(1).upper() == device.upper() and ccws and ccws[-1].residual is None:
            ccws[-1].residual = int(m.group(3), 16)
    return ccws


def merge_ranges(ranges: list[tuple[int, int]], floor: int = 0) -> list[tuple[int, int]]:
    """Sorted, merged [start, end) ranges, clipped to start at `floor` or above."""
    clipped = sorted((max(s, floor), e) for s, e in ranges if e > max(s, floor))
    merged: list[tuple[int, int]] = []
    for s, e in clipped:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _dump_commands(ranges: list[tuple[int, int]]) -> list[str]:
    cmds = []
    for start, end in ranges:
        addr = start & ~0xF
        while addr < end:
            n = min(R_CHUNK, end - addr)
            cmds.append(f"r {addr:X}.{n:X}")
            addr += n
    return cmds


def _missing_rows(result: HerculesResult, ranges: list[tuple[int, int]]) -> bool:
    try:
        for start, end in ranges:
            read_range(result.storage, start, end)
    except KeyError:
        return True
    return False


def run(volume: str | os.PathLike | None, ipl: str, *, timeout: float = 20.0,
        dump: list[tuple[int, int]] | None = None, trace: bool = False,
        keep: bool = False, workdir_parent: str | None = None,
        extra_config: list[str] | None = None, attempts: int = 3,
        savecore: tuple[str | os.PathLike, int, int] | None = None,
        state: Path | None = None, until: str | None = None) -> HerculesResult:
    """IPL `ipl` (a device number such as 0120, or a path to a .ins file).

    `volume` is attached as 3390 device 0120 (None: no DASD at all).
    `dump` is a list of [start, end) ranges to display after a disabled wait.
    `savecore` = (file, start, end): after a disabled wait, stop the CPU and
    `until` is a regular expression: the run ends as soon as a log line
    matches it (outcome "no-end-message" unless an end message came first),
    for runs that end waiting for console input.
    write storage [start, end) to the file (Hercules' `savecore`): megabytes
    in a second, where `dump` displays kilobytes.
    `state` is a file to save all of storage into after a disabled wait; the
    result's .state then also holds the IPL subchannel's SCHIB, the control
    registers and the clock comparator (machine_state.py).

    A run whose log lacks what was asked (the operator missed the end message,
    or the logger lagged past DONE_MARK's pause) is repeated, up to `attempts`
    runs in all: the IPL itself is deterministic, so it is not judged with holes.
    """
    for attempt in range(attempts):
        if savecore:
            Path(savecore[0]).unlink(missing_ok=True)
        if state is not None:
            Path(state).unlink(missing_ok=True)  # savecore does not overwrite
        result = _run_once(volume, ipl, timeout=timeout, dump=dump, trace=trace, keep=keep,
                           workdir_parent=workdir_parent, extra_config=extra_config,
                           savecore=savecore, state=state, until=until)
        incomplete = result.outcome == "wait" and (
            not result.psw_words or (dump and _missing_rows(result, dump))
            or (savecore and not _saved(savecore))
            or (state is not None and not machine_state.complete(result.state)))
        if not incomplete:
            break
    return result


def _saved(savecore) -> bool:
    path, start, end = savecore
    return Path(path).is_file() and Path(path).stat().st_size == end - start


_END_LINE_RE = re.compile(r"\b" + END_MESSAGES + r"\b")
QUIT_GRACE_S = 3.0
HAO_GRACE_S = 2.0


def _watch(cmd: list[str], env: dict, cwd: Path, timeout: float,
           hao_grace: float = HAO_GRACE_S, until: str | None = None):
    """Run Hercules, timing its end message; returns (log, to_end, total, timed_out, ipl_to_end).

    The run is ended as soon as the after-wait script's marker (DONE_MARK) is
    read: all it displayed is in the log by then. Two rare Hercules 3.13
    races, both seen on a busy machine, would otherwise hold a run until its
    time limit: the automatic operator sometimes misses
    the end message (no command fires), and Hercules sometimes hangs in its own
    shut-down after `quit`. The end message is watched here too, so a run is
    ended HAO_GRACE_S after an end message no command answered, or
    QUIT_GRACE_S after `quit`. Whatever the log then lacks (PSW, storage) makes
    run() repeat the IPL.
    """
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, cwd=cwd, env=env)
    lines: list[str] = []
    marks: dict[str, float] = {}

    def reader() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode("latin-1")
            lines.append(line)
            text = line.strip()
            if "end" not in marks and _END_LINE_RE.search(text) and not text.startswith("hao "):
                marks["end"] = time.monotonic()
            if "ipl" not in marks and text.startswith("ipl "):
                marks["ipl"] = time.monotonic()
            if text == "quit" and "quit" not in marks:
                marks["quit"] = time.monotonic()
            if text == f"msgnoh {DONE_MARK}":
                marks["done"] = time.monotonic()
            if until and "until" not in marks and re.search(until, text):
                marks["until"] = time.monotonic()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    timed_out = False
    while True:
        try:
            proc.wait(timeout=0.02)
            break
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if now - started > timeout:
            timed_out = True
            proc.kill()
        elif "done" in marks:
            proc.kill()
        elif "quit" in marks and now - marks["quit"] > QUIT_GRACE_S:
            proc.kill()
        elif "until" in marks and now - marks["until"] > 0.5:
            proc.kill()
        elif "end" in marks and "quit" not in marks and now - marks["end"] > hao_grace:
            proc.kill()
    proc.wait()
    thread.join(timeout=5)
    total = time.monotonic() - started
    to_end = marks["end"] - started if "end" in marks else total
    if "until" in marks:
        to_end = marks["until"] - started
    ipl_to_end = (started + to_end - marks["ipl"]) if "ipl" in marks else None
    return "".join(lines), to_end, total, timed_out and "until" not in marks, ipl_to_end


def _run_once(volume, ipl, *, timeout, dump, trace, keep, workdir_parent,
              extra_config, savecore=None, state=None, until=None) -> HerculesResult:
    hercules = shutil.which("hercules")
    if not hercules:
        raise RuntimeError("hercules is not installed (run scripts/setup.sh)")
    workdir = Path(tempfile.mkdtemp(prefix="herc-", dir=workdir_parent))
    config = [
        "ARCHMODE z/Arch",
        f"MAINSIZE {MAINSIZE_MB}",
        "NUMCPU 1",
        "PANRATE SLOW",
        # Hercules runs its CPU thread at nice 15 and device threads at 8 by
        # default: on a busy machine (ctest -j2 beside QEMU) an IPL then took
        # seconds. Normal priority keeps the timing of a run meaningful.
        "CPUPRIO 0",
        "DEVPRIO 0",
    ]
    config += extra_config or []
    if volume is not None:
        config.append(f"{DEVICE} 3390 {Path(volume).resolve()}")
    else:
        # Hercules wants at least one device; a card reader is not a boot device.
        config.append("000C 3505 /dev/null")
    (workdir / "herc.cnf").write_text("\n".join(config) + "\n")

    # After a wait: display storage and the prefix, then the marker that ends
    # the run (DONE_MARK). After any other end message: just quit. (hao
    # refuses duplicate targets, so one target each.)
    # `psw` prints the PSW again, after the HHCCP011I message that holds it.
    # savecore needs a stopped CPU; `stopall` takes effect asynchronously, hence the pause.
    save = []
    if savecore:
        path, start, end = savecore
        save = ["stopall", "pause 1",
                f"savecore {Path(path).resolve()} {start:X} {end - 1:X}"]
    if state is not None:
        save += machine_state.state_commands(DEVICE, Path(state).resolve(), MAINSIZE_MB << 20)
    (workdir / "after_wait.rc").write_text(
        "\n".join(["psw", "pr"] + _dump_commands(dump or []) + save + done_commands()) + "\n")
    ipl_target = ipl
    if ipl.endswith(".ins"):
        ipl_target = str(Path(ipl).resolve())
        if not Path(ipl_target).is_file():
            raise FileNotFoundError(f"{ipl_target} does not exist (build the s390x preset)")
    rc = [
        "hao tgt HHCCP011I",
        f"hao cmd script {workdir / 'after_wait.rc'}",
        "hao tgt HHCCP0(16I|27E|29E|30E)",
        "hao cmd quit",
    ]
    if trace and volume is not None:
        rc.append(f"t+{DEVICE}")
    rc.append(f"ipl {ipl_target}")
    (workdir / "herc.rc").write_text("\n".join(rc) + "\n")

    env = dict(os.environ, HERCULES_RC=str(workdir / "herc.rc"))
    log, elapsed, total, timed_out, ipl_to_end = _watch(
        [hercules, "-f", str(workdir / "herc.cnf"), "-d"], env, workdir, timeout,
        hao_grace=HAO_GRACE_S + (10.0 if savecore or state is not None else 0.0), until=until)
    (workdir / "herc.log").write_bytes(log.encode("latin-1"))
    outcome, psw, message = parse_outcome(log, timed_out)
    prefix_match = _PREFIX_RE.search(log)
    result = HerculesResult(
        outcome=outcome,
        psw_words=psw,
        psw_address=normalise_psw(psw) if psw else None,
        end_message=message,
        log=log,
        elapsed=elapsed,
        total_elapsed=total,
        storage=parse_storage(log),
        prefix=int(prefix_match.group(1), 16) if prefix_match else None,
        program_interrupts=len(_PROGRAM_INTERRUPT_RE.findall(log)),
        ccws=parse_ccws(log) if trace else [],
        workdir=str(workdir) if keep else None,
        state=machine_state.parse_state(log, Path(state).resolve()) if state is not None else None,
        ipl_to_end=ipl_to_end,
    )
    if not keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def loaded_ranges(ccws: list[Ccw], floor: int = 0x200) -> list[tuple[int, int]]:
    """Storage the channel wrote during an IPL, above the lowcore by default.

    The lowcore (below 0x200) is left out: the IPL PSW there and the interrupt
    fields are written by the machine and by ccwboot's hand-off, not just by
    the IPL's reads.
    """
    return merge_ranges([r for c in ccws if (r := c.stored_range)], floor)


def ccwboot_wait_name(address: int) -> str | None:
    """Name of a ccwboot wait code (0x00CBxxxx) from include/ccwboot/wait_codes.h."""
    header = Path(__file__).resolve().parents[2] / "include" / "ccwboot" / "wait_codes.h"
    if address >> 16 != 0xCB or not header.is_file():
        return None
    for name, code in re.findall(r"X\(\s*(k\w+)\s*,\s*(0x[0-9A-Fa-f]+)", header.read_text()):
        if int(code, 16) == address & 0xFFFF:
            return name
    return None


def _parse_range(text: str) -> tuple[int, int]:
    start, _, length = text.partition(":")
    s = int(start, 0)
    return (s, s + int(length, 0))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--volume", help="3390 CKD image attached as device 0120")
    ap.add_argument("--ipl", default=DEVICE, help="device number or .ins file (default 0120)")
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--dump", action="append", default=[], metavar="ADDR:LEN",
                    help="display and checksum this storage range after the wait")
    ap.add_argument("--trace", action="store_true", help="trace CCWs (t+0120) and list them")
    ap.add_argument("--show-log", action="store_true", help="print the log from the IPL on")
    ap.add_argument("--keep", action="store_true", help="keep the run directory")
    args = ap.parse_args(argv)

    ranges = [_parse_range(d) for d in args.dump]
    try:
        res = run(args.volume, args.ipl, timeout=args.timeout, dump=ranges, trace=args.trace,
                  keep=args.keep)
    except (FileNotFoundError, RuntimeError) as e:
        print(f"hercules_run: {e}", file=sys.stderr)
        return 2
    if args.show_log:
        print("\n".join(res.console_lines()))
        print("-" * 60)
    print(f"outcome: {res.outcome}")
    if res.end_message:
        print(f"end message: {res.end_message}")
    if res.psw_words:
        name = ccwboot_wait_name(res.psw_address)
        note = f", ccwboot wait code {name}" if name else ""
        print(f"PSW: {res.psw_text}  (address {res.psw_address:#x}{note})")
    print(f"program interrupts logged: {res.program_interrupts}")
    print(f"elapsed: {res.elapsed:.3f} s")
    for c in res.ccws:
        rng = c.stored_range
        stored = f" stored {rng[0]:#x}..{rng[1]:#x}" if rng else ""
        print(f"ccw {c.command:02X} addr {c.address:06X} flags {c.flags:02X} "
              f"count {c.count:#x} residual {c.residual}{stored}")
    if ranges:
        try:
            print(f"sha256 {','.join(f'{s:#x}:{e - s:#x}' for s, e in ranges)}: "
                  f"{res.storage_digest(ranges)}")
        except KeyError as e:
            print(f"storage not displayed: {e}")
    if res.workdir:
        print(f"run directory: {res.workdir}")
    return 0 if res.outcome == "wait" else 1


if __name__ == "__main__":
    sys.exit(main())
