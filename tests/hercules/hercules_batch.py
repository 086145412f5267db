#!/usr/bin/env python3
"""Many IPLs in one Hercules process: re-IPL instead of restarting Hercules.

hercules_run.run() starts Hercules for every IPL. For hundreds of volumes the
start-up and shut-down dominate, so run_steps() keeps one Hercules and chains
the IPLs with its automatic operator. Hercules 3.13 takes commands only from
script files, and a script run by `hao` runs inside the operator's thread
(so it cannot change the operator's rules: `hao del` there deadlocks). The
chain is therefore planned in full before Hercules starts:

  start.rc    hao tgt <end messages> / hao cmd script next.rc (a relative
              path), cd s1, then step 0's commands
  sK/next.rc  after step K-1 ended: psw, ds 0120, r ..., pr (its results),
              cd s(K+1) (so the next end runs s(K+1)/next.rc),
              msgnoh HFZ-STEP K (a marker in the log), detach 0120,
              attach 0120 3390 VOLUME (a fresh subchannel), t+0120 (or t-),
              sysclear, ipl DEVICE-OR-INS

Hercules' `cd` moves on to the next script without starting a process (an
`sh mv` per step cost 0.3 s on a busy machine). Each step's part of the log runs from its
marker to the next one, and is parsed with hercules_run's parsers, so a step
yields the same HerculesResult a single run would.

A step that never ends (an endless channel program in the native IPL: the
`ipl` command itself does not return) is ended by killing Hercules after its
time limit and reported with outcome "timeout"; the chain goes on in a new
Hercules from the following step. Races of Hercules' own (the operator
missed an end message, sysclear/ipl came before the CPU had stopped after
the last disabled wait) are not the volume's doing: the chain
goes on in a new Hercules from that step, which runs again (at most
MAX_STEP_RESTARTS times, then it is reported as "incomplete").
"""

from __future__ import annotations

import dataclasses
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
import hercules_run  # noqa: E402
import machine_state  # noqa: E402

END_TARGET = "HHCCP0(11I|16I|29E|30E)"  # wait, program loop, IPL failed
_MARK_RE = re.compile(r"^msgnoh HFZ-(STEP (\d+)|END)\s*$")
_END_RE = re.compile(r"\bHHCCP0(11I|16I|29E|30E)\b")
# The step's sysclear or ipl came while the CPU was still finishing the last
# program's disabled wait (the end message is logged just before the CPU
# stops): the IPL never starts, so the step is run again in a new Hercules.
_REJECTED_RE = re.compile(r"\bHHCPN053E\b")
_IPL_RE = re.compile(r"^ipl \S+\s*$")
_FIRING_RE = re.compile(r"\bHHCAO003I Firing command\b")

# Silence after the last display before Hercules is ended: every line up to
# the end marker has been read, the wait only lets a late line arrive.
END_QUIET_S = 0.3
# Silence after a step's end message that means the operator missed it (no
# results display started): the step is run again in a new Hercules.
MISSED_END_S = 1.5
# A step the chain had to restart (operator race) is tried this many times.
MAX_STEP_RESTARTS = 3


@dataclasses.dataclass
class Step:
    """One IPL of the chain: `volume` attached as 0120, then `ipl` (0120 or a .ins)."""

    volume: str
    ipl: str
    dump: list[tuple[int, int]]
    timeout: float
    trace: bool = True  # t+0120: the CCWs as the channel ran them
    tag: object = None  # the caller's


@dataclasses.dataclass
class StepResult:
    step: Step
    result: hercules_run.HerculesResult
    schib: dict[str, int]  # `ds 0120` after the step, machine_state.parse_schib()
    elapsed: float  # from the step's marker to its end message


def _step_commands(step: Step, index: int) -> list[str]:
    ipl = step.ipl
    if ipl.endswith(".ins"):
        ipl = str(Path(ipl).resolve())
    # detach + attach, not devinit: a fresh subchannel, as after start-up.
    # sysclear leaves the PMCW alone (an LPM a previous program set stays),
    # and the native IPL's subchannel is part of what is compared.
    # sysclear first: until it has reset the CPU, anything that wakes the CPU
    # from the last program's disabled wait (a detach does) makes Hercules
    # log the wait again, and the operator would run the next script early.
    return [f"msgnoh HFZ-STEP {index}", "sysclear", f"detach {hercules_run.DEVICE}",
            f"attach {hercules_run.DEVICE} 3390 {Path(step.volume).resolve()}",
            f"t{'+' if step.trace else '-'}{hercules_run.DEVICE}", f"ipl {ipl}"]


def _results_commands(step: Step) -> list[str]:
    return (["psw", f"ds {hercules_run.DEVICE}"] + hercules_run._dump_commands(step.dump)
            + ["pr"])


# Every step starts with sysclear, which clears all of storage: keep it
# small. 16 MiB is what ccwboot.ins needs (its image sits at 0x00E00000).
MAINSIZE_MB = 16


def _write_chain(workdir: Path, steps: list[Step]) -> Path:
    config = [
        "ARCHMODE z/Arch", f"MAINSIZE {MAINSIZE_MB}", "NUMCPU 1", "PANRATE SLOW",
        "CPUPRIO 0", "DEVPRIO 0",
        f"{hercules_run.DEVICE} 3390 {Path(steps[0].volume).resolve()}",
    ]
    (workdir / "herc.cnf").write_text("\n".join(config) + "\n")
    # Step K's script is sK/next.rc; the operator runs `script next.rc`
    # relative to Hercules' working directory, which each script moves on
    # with `cd` (a chdir: no process is started, unlike `sh mv`).
    for k in range(1, len(steps) + 1):
        d = workdir / f"s{k}"
        d.mkdir()
        cmds = _results_commands(steps[k - 1])
        if k < len(steps):
            cmds += [f"cd {workdir / f's{k + 1}'}"] + _step_commands(steps[k], k)
        else:
            # The end marker, then a pause before quit (hercules_run.DONE_MARK:
            # a quit right after the last display loses what the logger has
            # not written yet).
            cmds += hercules_run.done_commands("HFZ-END")
        (d / "next.rc").write_text("\n".join(cmds) + "\n")
    start = [f"hao tgt {END_TARGET}", "hao cmd script next.rc",
             f"cd {workdir / 's1'}"] + _step_commands(steps[0], 0)
    (workdir / "start.rc").write_text("\n".join(start) + "\n")
    return workdir / "start.rc"


def _run_chain(steps: list[Step], workdir: Path) -> tuple[list[StepResult], str]:
    """Runs steps until the end or the first step that stalls; returns the
    results of the steps that started and the log."""
    hercules = shutil.which("hercules")
    if not hercules:
        raise RuntimeError("hercules is not installed (run scripts/setup.sh)")
    rc = _write_chain(workdir, steps)
    env = dict(os.environ, HERCULES_RC=str(rc))
    proc = subprocess.Popen([hercules, "-f", str(workdir / "herc.cnf"), "-d"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, cwd=workdir, env=env)
    lines: list[str] = []
    marks: list[tuple[int, float, int]] = []   # (step, time, line index)
    ends: dict[int, float] = {}                # step -> time of its end message
    ipl_issued: set[int] = set()               # steps whose ipl command was read
    ended: set[int] = set()                    # steps with an end message after their ipl
    state = {"finished": None, "last_line": time.monotonic(), "killed": False,
             "rejected": None}
    lock = threading.Lock()

    def reader() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode("latin-1")
            now = time.monotonic()
            with lock:
                state["last_line"] = now
                lines.append(line)
                text = line.strip()
                m = _MARK_RE.match(text)
                if m:
                    if m.group(2) is not None:
                        marks.append((int(m.group(2)), now, len(lines) - 1))
                    else:
                        state["finished"] = now
                elif marks and _IPL_RE.match(text):
                    ipl_issued.add(marks[-1][0])
                elif marks and _END_RE.search(text) and not text.startswith("hao "):
                    if marks[-1][0] not in ipl_issued and state["rejected"] is None:
                        # The last program's wait, logged again: the operator
                        # has started the next script early. Run it again.
                        state["rejected"] = marks[-1][0]
                    if marks[-1][0] in ipl_issued:
                        ended.add(marks[-1][0])
                    ends.setdefault(marks[-1][0], now)
                elif marks and _FIRING_RE.search(text):
                    if marks[-1][0] not in ended and state["rejected"] is None:
                        # The operator fired on no end message of this step
                        # (seen with a busy log): its results would be taken
                        # while the program still runs. Run it again.
                        state["rejected"] = marks[-1][0]
                elif marks and _REJECTED_RE.search(text) and state["rejected"] is None:
                    state["rejected"] = marks[-1][0]

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    started = time.monotonic()
    while True:
        try:
            proc.wait(timeout=0.02)
            break
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        with lock:
            current = marks[-1] if marks else None
            finished = state["finished"]
            end = ends.get(current[0]) if current else None
            quiet_since = state["last_line"]
            rejected = state["rejected"]
        if finished is not None:
            # Every display is in: end Hercules now rather than wait for its
            # own shut-down (which sometimes hangs in Hercules 3.13).
            if now - max(finished, quiet_since) > END_QUIET_S:
                proc.kill()
        elif rejected is not None:
            proc.kill()
            state["killed"] = True
        elif current is None:
            if now - started > 20:
                proc.kill()
                state["killed"] = True
        elif end is not None:
            # The results of a step (storage displays) can take a while on a
            # busy machine: only silence after the end message means the
            # operator missed it.
            if now - max(end, quiet_since) > MISSED_END_S:
                proc.kill()
                state["killed"] = True
        elif now - current[1] > steps[current[0]].timeout:
            proc.kill()
            state["killed"] = True
    proc.wait()
    thread.join(timeout=5)
    log = "".join(lines)

    results: list[StepResult] = []
    for n, (k, t0, first) in enumerate(marks):
        last = marks[n + 1][2] if n + 1 < len(marks) else len(lines)
        part = "".join(lines[first:last])
        # The last step stalled if we had to end Hercules. (If Hercules quit
        # by itself, its logger lost the end marker; what the log holds of
        # the results is judged as it is, and gaps show as missing rows.)
        stalled = n + 1 == len(marks) and state["finished"] is None and state["killed"]
        outcome, psw, message = hercules_run.parse_outcome(part, timed_out=stalled)
        res = hercules_run.HerculesResult(
            outcome=outcome, psw_words=psw,
            psw_address=hercules_run.normalise_psw(psw) if psw else None,
            end_message=message, log=part,
            elapsed=(ends[k] - t0) if k in ends else time.monotonic() - t0,
            total_elapsed=0.0, storage=hercules_run.parse_storage(part),
            prefix=(int(m.group(1), 16) if (m := hercules_run._PREFIX_RE.search(part)) else None),
            program_interrupts=len(hercules_run._PROGRAM_INTERRUPT_RE.findall(part)),
            ccws=hercules_run.parse_ccws(part), workdir=None)
        if stalled and k in ends:
            res.outcome = "incomplete"  # ended, but its results were never displayed
        if stalled and res.outcome == "incomplete":
            res.outcome = "restart"  # an operator race, not the volume: run it again
        results.append(StepResult(steps[k], res, machine_state.parse_schib(part), res.elapsed))
    rejected = state["rejected"]
    if rejected is not None and rejected < len(results):
        results[rejected].result.outcome = "restart"  # refused, or run out of turn
    # A step to run again: it and whatever ran after it in this Hercules.
    for i, r in enumerate(results):
        if r.result.outcome == "restart":
            return results[:i + 1], log
    return results, log


def run_steps(steps: list[Step], workdir_parent: str | None = None,
              keep_logs: bool = False) -> tuple[list[StepResult], list[str]]:
    """All steps, in as few Hercules processes as stalls allow.

    Returns one StepResult per step (in order) and the logs of the processes.
    A step that stalls is reported as it ended ("timeout": no end message);
    the steps after it run in a new Hercules.
    """
    out: list[StepResult] = []
    logs: list[str] = []
    restarts: dict[int, int] = {}
    pos = 0
    while pos < len(steps):
        workdir = Path(tempfile.mkdtemp(prefix="herc-batch-", dir=workdir_parent))
        try:
            results, log = _run_chain(steps[pos:], workdir)
        finally:
            if not keep_logs:
                shutil.rmtree(workdir, ignore_errors=True)
        logs.append(log)
        if results and results[-1].result.outcome == "restart":
            last = pos + len(results) - 1
            restarts[last] = restarts.get(last, 0) + 1
            if restarts[last] <= MAX_STEP_RESTARTS:
                results.pop()  # the step runs again first in the next Hercules
            else:
                results[-1].result.outcome = "incomplete"
            if not results:
                continue
        if not results:
            # Hercules never reached the first step: report it and go on.
            empty = hercules_run.HerculesResult("no-start", [], None, "", log, 0.0, 0.0, {}, None,
                                                0, [], None)
            results = [StepResult(steps[pos], empty, {}, 0.0)]
        out += results
        pos += len(results)
    return out, logs
