#!/usr/bin/env python3
"""Differential fuzzing of the DASD IPL: Hercules' own IPL against ccwboot's.

For each generated volume (tools/volgen, deterministic from --seed and the
volume's index) Hercules IPLs it natively (`ipl 0120`, the oracle: a real
3990 model and a channel that fetches each CCW when it reaches it) and
through ccwboot (`ipl ccwboot.ins`), in one Hercules per worker that is
re-IPLed (hercules_batch). Each volume is classified:

  agree-boot                 both IPLs ran the loaded system, and it ended
                             alike: outcome, PSW, the storage the IPL loaded,
                             the IPL subchannel (ds 0120)
  agree-fail                 the hardware IPL failed (or never ended) and
                             ccwboot refused with a named wait code
  refused-but-hardware-booted  ccwboot refused (code) what the hardware ran;
                             allowed only for the codes in ALLOWED_REFUSALS
  booted-but-hardware-failed ccwboot handed off, the hardware IPL failed
  differ                     anything else: a different result, or ccwboot
                             hung or crashed without a named code

The same volumes go through the host simulator (volgen --sim): its hardware
IPL is compared with Hercules' native IPL, and its run of ccwboot's core
with ccwboot's run in Hercules; the agreement rates are printed.

Every volume that is not agree-boot / agree-fail / allowed refusal is kept
in OUT/seed-S/vol-I/ with both logs and a README. The last line is
  N volumes: A agree-boot, B agree-fail, R refused (codes), D differ
Exit 1 on differ, booted-but-hardware-failed, or a refusal outside the list
(ALLOWED_REFUSALS, plus KNOWN_OPEN_REFUSALS with --known-open, plus the codes
named by --open-classes).

--explore is for a changing seed (CI's second pass, --seed commit): a
refusal of a volume the hardware boots whose code is one of ccwboot's own
static checks (STATIC_REFUSALS) but on none of the lists is reported as a
new class, with the volume kept and the command to rerun it, and does not
fail the run: ccwboot stopped by name, safely, and only the seed's luck
found it. A refusal by a device or channel condition ccwboot did not
predict (unit check, program check, incorrect length, unexpected status or
end, ...) still fails, like differ and booted-but-hardware-failed.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hercules_batch  # noqa: E402
import hercules_run  # noqa: E402
import ipl_compare  # noqa: E402

# Refusals that are right although the hardware boots the volume: no split
# of the chain into vfio-ccw starts can run these faithfully (or ccwboot must
# not, because the volume writes where ccwboot itself lives in Hercules).
# docs/fuzzing.md lists them with the reason for each.
ALLOWED_REFUSALS = {
    "kGuardDataInReservedRange",  # data aimed at 0x00E00000.. (ccwboot's image in Hercules)
    "kGuardCcwInReservedRange",   # the chain TICs into ccwboot's image
    "kGuardPswIntoFirmware",      # the IPL PSW enters ccwboot's image
    "kDasdSplitInDataChain",      # a data chain through a CCW the chain itself rewrites
    # vfio-ccw cannot start these (docs/dasd-ipl.md, "vfio-ccw's copy"):
    "kGuardBeyondStorage",        # a count past storage is pinned whole (F8)
    "kDasdPrefetchCopyFails",     # a copied CCW that never runs is pinned too
    "kDasdSegmentOverrun",        # a skip past a segment's end would run host memory
    "kDasdSegmentTooLong",        # > 256 CCWs in a segment, no faithful place to cut
    "kGuardBadIdaw",              # every IDAW the count spans is pinned (the record may end before)
    "kDasdIdawListRewritten",     # a CCW stores over its own later IDAWs: no cut inside one CCW
}

# Issue 8's open classes (the same list as kKnownOpenRefusals in
# tests/fuzz/fuzz_dasd_ipl.cc): a faithful split exists, ccwboot refuses by
# name today. They fail the run unless --known-open, which counts them apart.
KNOWN_OPEN_REFUSALS = {
    "kDasdSplitAfterSearch", "kDasdSplitNotFaithful", "kDasdSplitLosesChainState",
    "kDasdSplitPatchOverwritten", "kDasdIpl1NotReadTic",
    "kDasdChainTooLong", "kDasdEndlessLoop", "kDasdTicToTic",
}

# ccwboot's own static checks: codes the core names from its analysis of the
# chain or of storage, not a condition the device or channel presented. With
# --explore a refusal by one of these outside the lists above is a new class,
# reported but not failing; every other code (unit check, program check,
# incorrect length, unexpected status or end, no record found, a bad IPL PSW
# where the hardware booted: the split or the core mispredicted the device)
# fails. A new static code must be added here to be treated so.
STATIC_REFUSALS = {
    "kDasdIpl1NotReadTic", "kDasdIpl2AddressZero", "kDasdIpl2Empty", "kDasdBadCcwAddress",
    "kDasdChainTooLong", "kDasdTimeBudget", "kDasdEndlessLoop", "kDasdTicToTic",
    "kDasdSplitInDataChain", "kDasdSplitAfterSearch", "kDasdSplitLosesChainState",
    "kDasdSplitNotFaithful", "kDasdSplitPatchOverwritten", "kDasdDataChainAmbiguous",
    "kGuardDataInReservedRange", "kGuardCcwInReservedRange", "kGuardIndirectData",
    "kGuardBeyondStorage", "kGuardPswIntoFirmware", "kGuardBadIdaw", "kDasdIdawListRewritten",
    "kDasdSegmentTooLong", "kDasdPrefetchCopyFails", "kDasdSegmentOverrun",  # vfio-ccw's copy
}

FLOOR = 0x200            # the lowcore holds IPL/interrupt fields, not loaded data
FIRMWARE = 0x00E00000    # ccwboot.ins: not compared from here on
NATIVE_TIMEOUT_S = 4.0   # a native IPL still running then never ends (endless chain)
CCWBOOT_TIMEOUT_S = 10.0  # ccwboot must end every IPL in a named error long before
PAYLOAD_OK = [0x000A0000, 0x80C0DEF0]


KEEP_PER_SIGNATURE = 5  # volumes kept per kind of disagreement (disk space on long runs)


def signature(klass: str, detail: str) -> str:
    """The kind of a result, without addresses and values: for counting and keeping."""
    if klass == "differ":
        kinds = []
        for d in detail.split("; "):
            head = d.split(":")[0]
            kinds.append(head.split(" [")[0] if head.startswith("storage") else head)
        return "differ: " + ", ".join(sorted(set(kinds)))
    if klass in ("refused", "agree-fail"):
        return f"{klass}: {detail}"
    return klass


def psw_loadable(psw: int) -> bool:
    """The machine's check of the IPL PSW it loads (as fuzz_dasd_ipl's
    hardware_loads_psw): bit 12 on, bits 0, 2-4, 24-31 off, an even address,
    no address bits above 16 MiB in 24-bit mode."""
    mask, addr = psw >> 32, psw & 0xFFFFFFFF
    ia = addr & 0x7FFFFFFF
    if not mask & 0x00080000 or mask & 0xB80000FF or ia & 1:
        return False
    return bool(addr & 0x80000000) or not ia & 0x7F000000


def clip(ranges, floor=FLOOR, top=FIRMWARE):
    return hercules_run.merge_ranges([(max(s, floor), min(e, top)) for s, e in ranges
                                      if min(e, top) > max(s, floor)])


def inside(inner, outer) -> bool:
    return all(any(s >= os_ and e <= oe for os_, oe in outer) for s, e in inner)


class Run:
    def __init__(self, args):
        self.args = args
        self.out = Path(args.out) / f"seed-{args.seed}"
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.refused = collections.Counter()
        self.sim = collections.Counter()
        self.failing: list[str] = []
        self.new_classes: dict[str, list[int]] = collections.defaultdict(list)
        self.signatures = collections.Counter()
        self.names = ipl_compare.wait_code_names()
        self.done = 0
        self.steps_time = 0.0

    # -- one volume --------------------------------------------------------
    def judge(self, vol: dict, native: hercules_batch.StepResult,
              boot: hercules_batch.StepResult) -> tuple[str, str]:
        n, b = native.result, boot.result
        if n.outcome in ("incomplete", "no-start", "no-end-message") or \
                b.outcome in ("incomplete", "no-start", "no-end-message"):
            return "unjudged", f"harness: native {n.outcome}, ccwboot {b.outcome}"
        hw_booted = n.outcome in ("wait", "program-loop")
        code = ipl_compare.refusal_code(b)
        name = self.names.get(code, f"0x{code:04x}") if code is not None else None
        if not ipl_compare.handed_off(b) and code is None:
            return "differ", (f"ccwboot neither handed off nor named an error: {b.outcome} "
                              f"{b.psw_text} {b.end_message}")
        if code is not None:
            if hw_booted:
                return "refused", name
            return "agree-fail", name
        if not hw_booted:
            return "booted-but-hardware-failed", f"native {n.outcome} {n.end_message}"
        loaded = hercules_run.loaded_ranges(n.ccws)
        ranges = clip(loaded + [tuple(r) for r in vol["ranges"]])
        for res, label in ((n, "native"), (b, "ccwboot")):
            # Hercules' logger drops lines now and then on a busy machine.
            if not res.psw_words or hercules_run._missing_rows(res, ranges) or not (
                    native.schib if label == "native" else boot.schib):
                return "unjudged", f"harness: the {label} run's results are incomplete in the log"
        diffs = ipl_compare.compare(n, b, ranges, native.schib, boot.schib)
        if diffs:
            return "differ", "; ".join(diffs[:6])
        return "agree-boot", f"PSW {n.psw_text}"

    def sim_agreement(self, vol: dict, native: hercules_batch.StepResult,
                      boot: hercules_batch.StepResult, klass: str, memfile: Path) -> None:
        """The simulator's hardware IPL vs Hercules' native one; its core run vs ccwboot's."""
        hw, core = vol.get("hw"), vol.get("core")
        if hw is None or klass == "unjudged":
            return
        n, b = native.result, boot.result
        hw_boot_herc = n.outcome in ("wait", "program-loop")
        hw_boots = hw["ok"] and psw_loadable(int(hw["psw"], 16))
        agree = hw_boots == hw_boot_herc
        if agree and hw_boots and n.outcome == "program-loop":
            # The loaded program crashed in Hercules; the simulator's payload
            # interpreter knows no interruptions: it must not reach a wait.
            agree = not hw.get("waited", False)
        elif agree and hw_boots:
            words = [int(hw["wait_psw"][:8], 16), int(hw["wait_psw"][8:], 16)]
            agree = hw.get("waited", False) and words == n.psw_words
            if agree and memfile.is_file():
                mem = memfile.read_bytes()
                offsets, off = {}, 0
                for s, e in vol["ranges"]:
                    offsets[(s, e)] = off
                    off += e - s
                for s, e in clip(hercules_run.loaded_ranges(n.ccws)):
                    holder = next(((rs, re_) for rs, re_ in vol["ranges"] if rs <= s and e <= re_), None)
                    if holder is None:
                        continue
                    o = offsets[holder] + (s - holder[0])
                    try:
                        if mem[o:o + e - s] != hercules_run.read_range(n.storage, s, e):
                            agree = False
                    except KeyError:
                        pass
        core_boot_herc = ipl_compare.handed_off(b)
        core_agree = core["ok"] == core_boot_herc
        if core_agree and not core["ok"]:
            code = ipl_compare.refusal_code(b)
            core_agree = self.names.get(code) == core.get("code")
        with self.lock:
            self.sim["volumes"] += 1
            self.sim["hw-agree"] += agree
            self.sim["core-agree"] += core_agree
            if not agree:
                self.sim_examples("hw", vol, f"sim {'boot' if hw['ok'] else 'fail: ' + hw.get('error', '')}, "
                                  f"Hercules {n.outcome} {n.psw_text}")
            if not core_agree:
                self.sim_examples("core", vol, f"sim {'boot' if core['ok'] else core.get('code')}, "
                                  f"Hercules ccwboot {'boot' if core_boot_herc else b.psw_text}")

    def new_class(self, code: str) -> bool:
        """--explore: a refusal by a static check that is on no list."""
        return self.args.explore and code in STATIC_REFUSALS and not self.tolerated(code)

    def tolerated(self, code: str) -> bool:
        return (code in ALLOWED_REFUSALS or code in self.args.open_classes
                or (self.args.known_open and code in KNOWN_OPEN_REFUSALS))

    def sim_examples(self, what: str, vol: dict, text: str) -> None:
        key = f"sim-{what}-examples"
        if self.sim[key] < self.args.sim_examples:
            print(f"  simulator {what} differs from Hercules on volume {vol['index']} "
                  f"({vol['ipl1']} {vol['structure']} {vol['damage'] or 'intact'}): {text}")
        self.sim[key] += 1

    def keep(self, vol: dict, klass: str, detail: str, native, boot, workdir: Path) -> None:
        dest = self.out / f"vol-{vol['index']}"
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(vol["file"], dest / "volume.3390")
        (dest / "native.log").write_text(native.result.log, encoding="latin-1")
        (dest / "ccwboot.log").write_text(boot.result.log, encoding="latin-1")
        (dest / "README").write_text(
            f"seed {vol['seed']} volume {vol['index']}: {klass}\n{detail}\n\n"
            f"generator: {json.dumps({k: vol[k] for k in ('ipl1', 'structure', 'damage', 'features', 'cylinders')})}\n"
            f"simulator: hw {json.dumps(vol.get('hw'))}\n           core {json.dumps(vol.get('core'))}\n"
            f"rebuild:   {self.rebuild_command(vol)}\n")

    # -- a batch of volumes in one Hercules ----------------------------------
    def make_volumes(self, indices: list[int], tmp: str) -> list[dict]:
        """The volumes' descriptions (volgen's JSON lines), images written to tmp."""
        a = self.args
        vols = []
        # volgen writes runs of consecutive indices in one call.
        runs: list[list[int]] = []
        for i in indices:
            if runs and runs[-1][-1] + 1 == i:
                runs[-1].append(i)
            else:
                runs.append([i])
        for r in runs:
            proc = subprocess.run([a.volgen, "--seed", str(a.seed), "--first", str(r[0]),
                                   "--count", str(len(r)), "-o", tmp, "--sim"],
                                  capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                raise RuntimeError(f"volgen failed: {proc.stderr}")
            vols += [json.loads(line) for line in proc.stdout.splitlines()
                     if line.startswith("{")]
        return vols

    def rebuild_command(self, vol: dict) -> str:
        return (f"build/host/tools/volgen/volgen --seed {vol['seed']} --index {vol['index']} "
                f"--describe")

    def rerun_command(self) -> str:
        return "scripts/hercules-fuzz.sh"

    def retry(self, klass: str, detail: str, native, boot) -> bool:
        """Run the volume again, alone and with longer limits: the harness lost
        part of a run, or an IPL hit its time limit on a busy machine."""
        return klass == "unjudged" or (klass != "agree-fail" and "timeout" in (
            native.result.outcome, boot.result.outcome))

    def record(self, vol: dict, klass: str, detail: str, native, boot) -> None:
        """Called once per judged volume (a subclass's own tally)."""

    def batch(self, indices: list[int]) -> None:
        a = self.args
        with tempfile.TemporaryDirectory(prefix="hfuzz-", dir=a.tmp) as tmp:
            vols = self.make_volumes(indices, tmp)
            results = self.run_volumes(vols, tmp)
            for vol, (native, boot) in zip(vols, results):
                klass, detail = self.judge(vol, native, boot)
                for _ in range(2):
                    if not self.retry(klass, detail, native, boot):
                        break
                    # Hercules' logger or operator lost part of a run, or an IPL
                    # hit its time limit on a busy machine: again, alone, with
                    # time limits five times as long.
                    native, boot = self.run_volumes([vol], tmp, scale=5.0)[0]
                    klass, detail = self.judge(vol, native, boot)
                self.sim_agreement(vol, native, boot, klass,
                                   Path(vol["file"]).with_suffix(".hwmem"))
                self.record(vol, klass, detail, native, boot)
                new = klass == "refused" and self.new_class(detail)
                bad = klass in ("differ", "booted-but-hardware-failed", "unjudged") or (
                    klass == "refused" and not self.tolerated(detail) and not new)
                sig = signature(klass, detail)
                with self.lock:
                    self.counts[klass] += 1
                    self.signatures[sig] += 1
                    keep = self.signatures[sig] <= KEEP_PER_SIGNATURE
                    if klass == "refused":
                        self.refused[detail] += 1
                    self.done += 1
                    if bad or new or a.verbose:
                        print(f"volume {vol['index']}: {klass} {detail}"
                              f"{' (new class, not failing)' if new else ''} "
                              f"[{vol['ipl1']} {vol['structure']} {vol['damage'] or 'intact'} "
                              f"{vol['features']}]", flush=True)
                    if bad:
                        self.failing.append(f"{vol['index']}")
                    if new:
                        self.new_classes[detail].append(vol["index"])
                if keep and (bad or new or (klass == "refused" and a.keep_refused)):
                    self.keep(vol, klass, detail, native, boot, Path(tmp))

    def run_volumes(self, vols: list[dict], tmp: str, scale: float = 1.0):
        a = self.args
        steps = []
        for vol in vols:
            dump = clip([tuple(r) for r in vol["ranges"]])
            steps.append(hercules_batch.Step(vol["file"], hercules_run.DEVICE, dump,
                                             NATIVE_TIMEOUT_S * a.time_scale * scale))
            steps.append(hercules_batch.Step(vol["file"], a.ins, dump,
                                             CCWBOOT_TIMEOUT_S * a.time_scale * scale,
                                             trace=False))
        t0 = time.monotonic()
        results, _ = hercules_batch.run_steps(steps, workdir_parent=tmp)
        with self.lock:
            self.steps_time += time.monotonic() - t0
        pairs = []
        for i, vol in enumerate(vols):
            native, boot = results[2 * i], results[2 * i + 1]
            # The native IPL stored outside the planned dump: display what it loaded.
            loaded = clip(hercules_run.loaded_ranges(native.result.ccws))
            if native.result.outcome == "wait" and not inside(loaded, steps[2 * i].dump):
                dump = hercules_run.merge_ranges(steps[2 * i].dump + loaded)
                redo = [hercules_batch.Step(vol["file"], s.ipl, dump, s.timeout, trace=s.trace)
                        for s in steps[2 * i:2 * i + 2]]
                native, boot = hercules_batch.run_steps(redo, workdir_parent=tmp)[0]
            pairs.append((native, boot))
        return pairs


def derive_seed(text: str, root: Path) -> tuple[int | None, str]:
    """--seed: a number as given, or a changing seed and where it came from."""
    if text == "date":
        day = time.strftime("%Y%m%d", time.gmtime())
        return int(day), f"from the date {day} UTC"
    if text == "commit":
        proc = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                              text=True, check=False)
        head = proc.stdout.strip()
        if proc.returncode != 0 or len(head) < 8:
            return None, "'commit' needs a git checkout (or give a number)"
        return int(head[:8], 16), f"from commit {head[:12]}"
    try:
        return int(text, 0), ""
    except ValueError:
        return None, f"not a number, 'commit' or 'date': {text}"


def main(argv=None) -> int:
    root = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--volumes", type=int, help="how many volumes (from --first on)")
    ap.add_argument("--indices", help="comma-separated volume indices instead of --volumes")
    ap.add_argument("--seed", required=True,
                    help="a number, or 'commit' (from the checked-out commit: the first 8 hex "
                         "digits of HEAD) or 'date' (YYYYMMDD, UTC): a changing seed, printed")
    ap.add_argument("--first", type=int, default=0, help="index of the first volume")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=50, help="volumes per Hercules process")
    ap.add_argument("--volgen", default=str(root / "build/host/tools/volgen/volgen"))
    ap.add_argument("--ins", default=str(root / "build/s390x/ccwboot.ins"))
    ap.add_argument("--out", default=str(root / "build/hercules-fuzz"))
    ap.add_argument("--tmp", default=None, help="scratch directory for volumes")
    ap.add_argument("--time-scale", type=float, default=1.0, help="scale the IPL time limits")
    ap.add_argument("--known-open", action="store_true",
                    help="refusals in the known-open classes (docs/fuzzing.md: a faithful "
                         "split exists, ccwboot still refuses by name) do not fail the run")
    ap.add_argument("--open-classes", default="",
                    help="comma-separated wait code names of further open classes (findings "
                         "docs/fuzzing.md lists as open): their refusals do not fail the run")
    ap.add_argument("--explore", action="store_true",
                    help="changing seed: a refusal by a static check on no list is a new class, "
                         "reported and kept but not failing (see STATIC_REFUSALS)")
    ap.add_argument("--keep-refused", action="store_true", help="keep allowed refusals too")
    ap.add_argument("--verbose", action="store_true", help="one line per volume")
    ap.add_argument("--sim-examples", type=int, default=5,
                    help="print this many simulator disagreements of each kind")
    a = ap.parse_args(argv)
    a.seed, seed_origin = derive_seed(a.seed, root)
    if a.seed is None:
        ap.error(f"--seed: {seed_origin}")
    if (a.volumes is None) == (a.indices is None):
        ap.error("give --volumes N or --indices I,J,...")
    indices = ([int(x, 0) for x in a.indices.split(",") if x.strip()] if a.indices
               else list(range(a.first, a.first + a.volumes)))
    a.volumes = len(indices)
    names = set(ipl_compare.wait_code_names().values())
    a.open_classes = {c for c in a.open_classes.split(",") if c}
    if a.open_classes - names:
        ap.error(f"--open-classes: no such wait code: {', '.join(sorted(a.open_classes - names))}")
    for listed in (ALLOWED_REFUSALS, KNOWN_OPEN_REFUSALS, STATIC_REFUSALS):
        if listed - names:  # a renamed or removed code must not pass silently
            print(f"hercules-fuzz: not a wait code: {', '.join(sorted(listed - names))}",
                  file=sys.stderr)
            return 2
    for path, what in ((a.volgen, "volgen (cmake --build --preset host --target volgen)"),
                       (a.ins, "ccwboot.ins (cmake --build --preset s390x)")):
        if not Path(path).is_file():
            print(f"hercules-fuzz: {path} missing: build {what}", file=sys.stderr)
            return 2
    if not shutil.which("hercules"):
        print("hercules-fuzz: hercules is not installed (scripts/setup.sh)", file=sys.stderr)
        return 2

    run = Run(a)
    if seed_origin:
        print(f"hercules-fuzz: seed {a.seed} ({seed_origin}); the same volumes again: "
              f"--seed {a.seed}", flush=True)
    print(f"hercules-fuzz: {a.volumes} volumes from seed {a.seed} (indices {indices[0]}"
          f"{'..' + str(indices[-1]) if len(indices) > 1 else ''}), {a.jobs} job(s), "
          f"{a.batch} volumes per Hercules", flush=True)
    wall, cpu, errors = run_batches(run, indices, a.batch, a.jobs)
    return report(run, a, wall, cpu, errors)


def run_batches(run: Run, indices: list[int], batch_size: int,
                jobs: int) -> tuple[float, float, list[str]]:
    """All volumes, in batches of batch_size per Hercules, on `jobs` threads;
    returns wall time, CPU time (Hercules included) and the batches' errors."""
    work: queue.Queue = queue.Queue()
    for k in range(0, len(indices), batch_size):
        work.put(indices[k:k + batch_size])
    errors: list[str] = []

    def worker() -> None:
        while True:
            try:
                batch = work.get_nowait()
            except queue.Empty:
                return
            try:
                run.batch(batch)
            except Exception as e:  # noqa: BLE001 - reported, fails the run
                errors.append(f"batch from volume {batch[0]}: {e!r}")

    t0 = time.monotonic()
    cpu0 = os.times()
    threads = [threading.Thread(target=worker) for _ in range(max(1, jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    cpu1 = os.times()
    cpu = (cpu1.children_user + cpu1.children_system + cpu1.user + cpu1.system) - (
        cpu0.children_user + cpu0.children_system + cpu0.user + cpu0.system)

    return wall, cpu, errors


def report(run: Run, a, wall: float, cpu: float, errors: list[str]) -> int:
    """The summary lines; 0 when the run passes."""
    c = run.counts
    n = run.done
    print(f"time: {wall:.1f} s wall, {cpu:.1f} s CPU (Hercules included); {n / wall:.2f} "
          f"volumes/s with {a.jobs} job(s) = {n / wall / max(1, a.jobs):.2f} volumes/s per job; "
          f"{n / max(cpu, 1e-9):.2f} volumes per CPU-second")
    if run.sim["volumes"]:
        v = run.sim["volumes"]
        print(f"simulator vs Hercules: hardware IPL agrees on {run.sim['hw-agree']}/{v} "
              f"({100 * run.sim['hw-agree'] / v:.1f} %), ccwboot's core on "
              f"{run.sim['core-agree']}/{v} ({100 * run.sim['core-agree'] / v:.1f} %)")
    for e in errors:
        print(f"hercules-fuzz: {e}")
    if run.failing:
        print(f"failing volumes: {' '.join(run.failing[:40])}"
              f"{' ...' if len(run.failing) > 40 else ''} (up to {KEEP_PER_SIGNATURE} "
              f"of each kind kept in {run.out})")
    if any(k.startswith(("differ", "booted-but", "unjudged")) for k in run.signatures):
        print("disagreements by kind:")
    for sig, count in sorted(run.signatures.items(), key=lambda kv: -kv[1]):
        if sig.startswith(("differ", "booted-but", "unjudged")):
            print(f"  {count:6d}  {sig}")
    for code, vols in sorted(run.new_classes.items()):
        print(f"new refusal class (not failing, --explore): {code} on {len(vols)} volume(s) "
              f"the hardware boots: {' '.join(map(str, vols[:10]))}; triage it, then allow it, "
              f"name it (--open-classes) or fix it")
    rerun = [str(v) for v in run.failing] + [str(v) for vs in run.new_classes.values() for v in vs]
    if rerun:
        flags = " --known-open" if a.known_open else ""
        if a.open_classes:
            flags += f" --open-classes {','.join(sorted(a.open_classes))}"
        print(f"rerun: {run.rerun_command()} --seed {a.seed} --indices {','.join(rerun[:40])}"
              f"{flags} --verbose")
    refused = sum(run.refused.values())
    codes = ", ".join(f"{k} {v}" for k, v in run.refused.most_common())
    extra = ""
    if c["booted-but-hardware-failed"]:
        extra += f", {c['booted-but-hardware-failed']} booted-but-hardware-failed"
    if c["unjudged"]:
        extra += f", {c['unjudged']} unjudged"
    print(f"{n} volumes: {c['agree-boot']} agree-boot, {c['agree-fail']} agree-fail, "
          f"{refused} refused ({codes or 'none'}){extra}, {c['differ']} differ")
    bad_refusals = sum(v for k, v in run.refused.items()
                       if not run.tolerated(k) and not run.new_class(k))
    ok = (not errors and n == a.volumes and c["differ"] == 0 and bad_refusals == 0
          and c["booted-but-hardware-failed"] == 0 and c["unjudged"] == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
