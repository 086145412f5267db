#!/usr/bin/env python3
"""The boot menu across devices lists a DASD volume's zipl entries (Hercules).

Two volumes: DISK.3390, written by Debian's real zipl (entries "debian" and
"rescue"), as 0110, and a mkdasd volume whose IPL program is not zipl's as
0120 (boot order by the scan: 0110, 0120). With LOADPARM PROMPT ccwboot shows
its menu before the boot order: the zipl volume's entries must be listed by
name (read over channel I/O from the boot map, through the 3390 Hercules
emulates), the other volume as its single "IPL" entry with the reason its map
cannot be read. Hercules' line-mode console takes no keys, so the default
boots: the IPL of 0110 is replayed with the loadparm untouched, and zipl's own
stage 2 must then show its prompt (PROMPT is its keyword too). The run stops
there.

    menu_dasd.py --disk DISK.3390 --mkdasd MKDASD --ins ccwboot.ins
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hercules_run  # noqa: E402
import ipl_suite  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--disk", type=Path, required=True, help="zipl-written 3390 volume")
    ap.add_argument("--mkdasd", required=True)
    ap.add_argument("--ins", type=Path, required=True)
    ap.add_argument("--timeout", type=float, default=90.0)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="menu-dasd-") as t:
        other = ipl_suite.make_volume(a.mkdasd, "single", Path(t))
        res = hercules_run.run(
            other, str(a.ins), timeout=a.timeout,
            extra_config=["LOADPARM PROMPT", f"0110 3390 {a.disk.resolve()}"],
            until=r"Please choose")
    lines = res.console_lines()
    text = "\n".join(lines)
    print(text[-6000:])
    print(f"outcome {res.outcome} after {res.elapsed:.1f} s")
    expect = [
        # ccwboot's menu, both devices in boot order
        r"ccwboot boot menu: 2 devices in boot order",
        r"device 1: 0\.0\.0110 DASD \(ECKD CDL, zipl boots the entry from the loadparm\)",
        r"1\.1\s+debian",
        r"1\.2\s+rescue",
        r"1\.0\s+default \(entry 1\)",
        r"device 2: 0\.0\.0120 DASD \(DASD IPL\)",
        r"2\.1\s+IPL \(the volume's own loader; its zipl entries cannot be listed: .*"
        r"kZiplEckdNoZiplSection",
        r"this console cannot read input; booting the default",
        # then the hardware's way: the replayed IPL runs zipl's stage 2 with PROMPT
        r"dasd: IPL from device 0\.0\.0110",
        r"Please choose",
    ]
    pos = 0
    for pattern in expect:
        m = re.compile(pattern).search(text, pos)
        if not m:
            print(f"FAIL: no line matching {pattern!r} after offset {pos}")
            return 1
        pos = m.end()
    reads = re.search(r"0\.0\.0110: boot map read for the menu in (\d+) channel programs", text)
    if not reads:
        print("FAIL: the menu read of 0110 is not reported")
        return 1
    print(f"PASS: 0110's boot map read in {reads.group(1)} channel programs; "
          "zipl's own prompt follows the replayed IPL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
