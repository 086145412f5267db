#!/usr/bin/env python3
"""Is ccwboot's IPL of a volume the same as the hardware's? (reusable comparison)

Compares two Hercules runs that ended after an IPL, the native one
(`ipl 0120`) and ccwboot's (`ipl ccwboot.ins`), by what the loaded system
sees:
  - how the run ended (hercules_run outcome) and the PSW, word for word;
  - the bytes of every given storage range (the ranges the IPL loaded);
  - the IPL subchannel as `ds 0120` shows it, the fields the Hercules
    suite compares (machine_state.py: every PMCW field; of the SCSW all but
    the flags, the prefetch bit of ccwboot's last ORB), when both runs
    displayed it (machine_state.parse_schib).
Returns a list of differences in words; empty means the same.

Also: which of ccwboot's runs handed off at all, and the wait code of a
refusal (ccwboot's own disabled waits are z/Architecture PSWs at 0x00CBxxxx).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hercules_run  # noqa: E402
import machine_state  # noqa: E402

HANDOFF_LINE = "ccwboot: starting the loaded system"


def handed_off(res: hercules_run.HerculesResult) -> bool:
    """ccwboot printed its hand-off line: what follows is the loaded system."""
    return HANDOFF_LINE in res.log


def refusal_code(res: hercules_run.HerculesResult) -> int | None:
    """The wait code of a ccwboot refusal (z/Arch wait PSW 0x00CBxxxx), else None."""
    if (res.outcome == "wait" and len(res.psw_words) == 4 and res.psw_address is not None
            and res.psw_address >> 16 == 0xCB and not handed_off(res)):
        return res.psw_address & 0xFFFF
    return None


def wait_code_names() -> dict[int, str]:
    header = Path(__file__).resolve().parents[2] / "include" / "ccwboot" / "wait_codes.h"
    return {int(code, 16): name
            for name, code in re.findall(r"X\(\s*(k\w+)\s*,\s*(0x[0-9A-Fa-f]+)", header.read_text())}


def first_difference(a: bytes, b: bytes, start: int) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"{start + i:#x} (native {a[i:i + 8].hex()}, ccwboot {b[i:i + 8].hex()})"
    return f"{start + min(len(a), len(b)):#x} (lengths {len(a)} and {len(b)})"


def compare(native: hercules_run.HerculesResult, boot: hercules_run.HerculesResult,
            ranges: list[tuple[int, int]], native_schib: dict | None = None,
            boot_schib: dict | None = None) -> list[str]:
    """Differences between the native IPL and ccwboot's, in words."""
    diffs: list[str] = []
    if native.outcome != boot.outcome:
        diffs.append(f"outcome: native {native.outcome}, ccwboot {boot.outcome}")
    if native.psw_words != boot.psw_words:
        diffs.append(f"PSW: native {native.psw_text or '-'}, ccwboot {boot.psw_text or '-'}")
    for start, end in ranges:
        try:
            a = hercules_run.read_range(native.storage, start, end)
            b = hercules_run.read_range(boot.storage, start, end)
        except KeyError as e:
            diffs.append(f"storage [{start:#x}, {end:#x}) not displayed: {e}")
            continue
        if a != b:
            diffs.append(f"storage [{start:#x}, {end:#x}) differs first at {first_difference(a, b, start)}")
    if native_schib is not None and boot_schib is not None:
        if not native_schib or not boot_schib:
            diffs.append("subchannel: `ds` output missing")
        else:
            # The fields machine_state.py (the Hercules suite's "same result") compares.
            for field in machine_state.PMCW_FIELDS + machine_state.SCSW_COMPARED:
                if native_schib.get(field) != boot_schib.get(field):
                    diffs.append(f"subchannel {field}: native {native_schib.get(field, 0):#x}, "
                                 f"ccwboot {boot_schib.get(field, 0):#x}")
    return diffs
