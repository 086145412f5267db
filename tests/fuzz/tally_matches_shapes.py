#!/usr/bin/env python3
"""fuzz_dasd_ipl's exit tally over the seed of every mkdasd shape equals what
the shapes say of themselves: the harness reports the fractions of
executions that handed off, were cut and were refused, and how often the
hardware boots what ccwboot refuses, and this checks those counts.

    tally_matches_shapes.py MKDASD FUZZ_REPLAY_DASD_IPL CORPUS_DIR MAKE_DASD_SEEDS

`mkdasd --list` gives each shape's good / native_boots / needs_split; the
seed corpus holds one input per shape, named after it (make_dasd_seeds),
except for the shapes make_dasd_seeds says a fuzz input cannot hold ("no
seed: NAME", e.g. long_linked_list's 200 tracks); those are left out.
Expected: handed off = good shapes, cut = good shapes that need a split,
refused = the others, "hardware boots, ccwboot refuses" = bad shapes a real
channel runs (allowed or named open here, none unexpected).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    mkdasd, replay, corpus, make_seeds = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4]
    with tempfile.TemporaryDirectory() as t:
        made = subprocess.run([make_seeds, t], capture_output=True, text=True, check=True).stdout
    unfit = set(re.findall(r"^no seed: (\S+)", made, re.M))
    if unfit:
        print(f"left out (a fuzz input cannot hold them): {', '.join(sorted(unfit))}")
    shapes = []
    for line in subprocess.run([mkdasd, "--list"], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, good, native, split = line.split()[:4]
        if name in unfit:
            continue
        shapes.append((name, good == "1", native == "1", split == "1"))
    missing = [n for n, *_ in shapes if not (corpus / n).is_file()]
    if missing:
        print(f"no seed for {', '.join(missing)}: build/host/tests/fuzz/make_dasd_seeds "
              f"{corpus}")
        return 1
    env = dict(os.environ, FUZZ_DASD_KNOWN_OPEN="1")
    env.pop("FUZZ_DASD_QUIET", None)
    proc = subprocess.run([replay] + [str(corpus / n) for n, *_ in shapes], capture_output=True,
                          text=True, env=env, check=False)
    out = proc.stdout + proc.stderr
    print(out.strip())
    m = re.search(r"(\d+) executions: handed off (\d+) \([\d.]+ %\), of which cut (\d+) "
                  r"\([\d.]+ %\); refused (\d+)", out)
    h = re.search(r"hardware boots, ccwboot refuses: (\d+) \(allowed (\d+), known open (\d+), "
                  r"named open (\d+), unexpected refusals: (\d+)\)", out)
    if proc.returncode != 0 or not m or not h:
        print(f"replay failed (exit {proc.returncode}) or printed no tally")
        return 1
    got = {"executions": int(m[1]), "handed off": int(m[2]), "cut": int(m[3]),
           "refused": int(m[4]), "hardware boots, ccwboot refuses": int(h[1]),
           "unexpected": int(h[5])}
    want = {"executions": len(shapes),
            "handed off": sum(g for _, g, _, _ in shapes),
            "cut": sum(g and s for _, g, _, s in shapes),
            "refused": sum(not g for _, g, _, _ in shapes),
            "hardware boots, ccwboot refuses": sum(n and not g for _, g, n, _ in shapes),
            "unexpected": 0}
    bad = [f"{k}: tally {got[k]}, shapes {want[k]}" for k in want if got[k] != want[k]]
    for b in bad:
        print(f"MISMATCH {b}")
    if not bad:
        print(f"tally matches the {len(shapes)} shapes: {got}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
