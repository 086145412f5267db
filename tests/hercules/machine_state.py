#!/usr/bin/env python3
"""The machine a finished IPL leaves behind in Hercules, and "same result".

Two IPLs of one volume (Hercules' own `ipl 0120` and ccwboot's) have the same
result when, at the loaded program's disabled wait:

  psw        the PSW is the same, all of it (not only the address);
  loaded     every range the IPL loaded has the same SHA-256;
  storage    every byte of absolute storage outside the firmware image is the
             same (a stronger statement that contains `loaded`: nothing the
             firmware did lands anywhere the loaded system can see, low core
             included);
  subchannel the IPL subchannel's SCHIB as `ds DEVNO` shows it: the whole PMCW
             (interruption parameter, ISC/enabled flags, LPM, ...) and of the
             SCSW the function/activity/status control, device/subchannel
             status, count and CCW address. Not compared: the SCSW flags byte
             pair (key, suspend, format, prefetch, ... of the ORB that started
             the last program); ccwboot's last start has prefetch on by design;
  cpu        control registers 0-15, prefix and clock comparator.

Used by ipl_suite.py (`good`) and meant for other suites (the fuzzer): give
hercules_run.run() a `state` path, then call compare(). Stdlib only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import struct
from pathlib import Path

# After a wait: stop the CPU (savecore refuses a running one; in a disabled
# wait the stop takes effect only at Hercules' next timer tick, hence the
# pause), display the subchannel and the control registers, save all storage.
_DS_PMCW1_RE = re.compile(
    r"PMCW=IntParm:([0-9A-F]{8}) Flags:([0-9A-F]{4}) Dev:([0-9A-F]{4}) LPM:([0-9A-F]{2}) "
    r"PNOM:([0-9A-F]{2}) LPUM:([0-9A-F]{2}) PIM:([0-9A-F]{2})")
_DS_PMCW2_RE = re.compile(
    r"MBI:([0-9A-F]{4}) POM:([0-9A-F]{2}) PAM:([0-9A-F]{2}) CHPIDs:([0-9A-F]{16}) Misc:([0-9A-F]{8})")
_DS_SCSW_RE = re.compile(
    r"SCSW=Flags:([0-9A-F]{4}) SCHC:([0-9A-F]{4}) Stat:([0-9A-F]{4}) Count:([0-9A-F]{4}) "
    r"CCW:([0-9A-F]{8})")
_CR_RE = re.compile(r"CR([0-9]{2})=([0-9A-F]{8,16})")
_CKC_RE = re.compile(r"ckc = ([0-9A-F]{16})")
_SAVECORE_DONE = "savecore command complete"

PMCW_FIELDS = ("intparm", "flags", "devno", "lpm", "pnom", "lpum", "pim",
               "mbi", "pom", "pam", "chpids", "misc")
SCSW_COMPARED = ("schc", "stat", "count", "ccw")
SCSW_NOT_COMPARED = ("scsw_flags",)


def state_commands(device: str, core: Path, storage_bytes: int) -> list[str]:
    """Hercules commands that show and save the machine state after a wait."""
    return ["stopall", f"ds {device}", "cr", "clocks", "pause 1",
            f"savecore {core} 0 {storage_bytes - 1:X}"]


@dataclasses.dataclass
class MachineState:
    schib: dict[str, int]
    control_registers: list[int]
    clock_comparator: int | None
    core: Path | None  # all of absolute storage (savecore), if it was saved

    def storage(self) -> bytes:
        if self.core is None:
            raise KeyError("storage was not saved")
        return self.core.read_bytes()


def parse_schib(log: str) -> dict[str, int]:
    """The PMCW and SCSW fields of the first `ds` display in a log ({} if none)."""
    m1, m2, m3 = _DS_PMCW1_RE.search(log), _DS_PMCW2_RE.search(log), _DS_SCSW_RE.search(log)
    if not (m1 and m2 and m3):
        return {}
    values = [int(v, 16) for v in m1.groups() + m2.groups()]
    schib = dict(zip(PMCW_FIELDS, values))
    schib.update(zip(("scsw_flags",) + SCSW_COMPARED, (int(v, 16) for v in m3.groups())))
    return schib


def parse_state(log: str, core: Path | None) -> MachineState:
    crs: dict[int, int] = {}
    for num, value in _CR_RE.findall(log):
        crs.setdefault(int(num), int(value, 16))
    ckc = _CKC_RE.search(log)
    saved = core if core is not None and _SAVECORE_DONE in log and core.is_file() else None
    return MachineState(
        schib=parse_schib(log),
        control_registers=[crs[i] for i in range(16)] if len(crs) >= 16 else [],
        clock_comparator=int(ckc.group(1), 16) if ckc else None,
        core=saved)


def complete(state: MachineState | None) -> bool:
    """Everything compare() needs was shown (Hercules' logger can drop lines)."""
    return (state is not None and bool(state.schib) and len(state.control_registers) == 16
            and state.clock_comparator is not None and state.core is not None)


def elf_image_size(elf: Path) -> int:
    """Bytes from the image's link address 0 to the end of its last PT_LOAD (bss included)."""
    data = elf.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 2:
        raise ValueError(f"{elf}: not an ELF64 big-endian file")
    e_phoff, = struct.unpack_from(">Q", data, 32)
    e_phentsize, e_phnum = struct.unpack_from(">HH", data, 54)
    end = 0
    for i in range(e_phnum):
        p_type, _, _, p_vaddr, _, _, p_memsz, _ = struct.unpack_from(
            ">IIQQQQQQ", data, e_phoff + i * e_phentsize)
        if p_type == 1:  # PT_LOAD
            end = max(end, p_vaddr + p_memsz)
    return end


def firmware_range(ins: Path) -> tuple[int, int]:
    """[start, end) of the image an .ins file loads: its .bin's load address,
    and the size with bss from the ELF next to it (build/s390x/src/platform/s390x)."""
    start = None
    name = ins.stem
    for line in ins.read_text().splitlines():
        f = line.split()
        if len(f) == 2 and f[0] == f"{name}.bin":
            start = int(f[1], 0)
    if start is None:
        raise ValueError(f"{ins} loads no {name}.bin")
    elf = ins.parent / "src" / "platform" / "s390x" / f"{name}.elf"
    return (start, start + elf_image_size(elf))


def _ranges_of_difference(a: bytes, b: bytes, skip: tuple[int, int], limit: int = 8):
    """Up to `limit` [start, end) runs where a and b differ, outside `skip`."""
    runs: list[tuple[int, int]] = []
    page = 4096
    for off in range(0, min(len(a), len(b)), page):
        if a[off:off + page] == b[off:off + page]:
            continue
        for i in range(off, min(off + page, len(a), len(b))):
            if skip[0] <= i < skip[1] or a[i] == b[i]:
                continue
            if runs and i - runs[-1][1] <= 16:
                runs[-1] = (runs[-1][0], i + 1)
            elif len(runs) == limit:
                return runs, True
            else:
                runs.append((i, i + 1))
    return runs, False


def compare(native, boot, loaded: list[tuple[int, int]],
            firmware: tuple[int, int]) -> list[str]:
    """Differences between two finished IPLs (hercules_run.HerculesResult with
    .state), one line each; empty when they have the same result. `loaded`:
    the ranges the IPL loaded; `firmware`: [start, end) left out of `storage`."""
    out: list[str] = []
    if native.psw_words != boot.psw_words:
        out.append(f"psw: native {native.psw_text}, ccwboot {boot.psw_text}")
    ns, bs = native.state, boot.state
    if not complete(ns) or not complete(bs):
        out.append("state: not shown completely (schib, control registers, clocks or storage)")
        return out
    a, b = ns.storage(), bs.storage()
    for start, end in loaded:
        if hashlib.sha256(a[start:end]).digest() != hashlib.sha256(b[start:end]).digest():
            out.append(f"loaded: {start:#x}..{end:#x} differs")
    runs, more = _ranges_of_difference(a, b, firmware)
    for start, end in runs:
        out.append(f"storage: {start:#x}..{end:#x} native {a[start:min(end, start + 16)].hex()} "
                   f"ccwboot {b[start:min(end, start + 16)].hex()}")
    if more:
        out.append("storage: more differences not listed")
    if len(a) != len(b):
        out.append(f"storage: sizes {len(a)} and {len(b)}")
    for field in PMCW_FIELDS + SCSW_COMPARED:
        if ns.schib[field] != bs.schib[field]:
            out.append(f"subchannel: {field} native {ns.schib[field]:#x}, "
                       f"ccwboot {bs.schib[field]:#x}")
    for i, (x, y) in enumerate(zip(ns.control_registers, bs.control_registers)):
        if x != y:
            out.append(f"cpu: CR{i} native {x:#x}, ccwboot {y:#x}")
    if native.prefix != boot.prefix:
        out.append(f"cpu: prefix native {native.prefix}, ccwboot {boot.prefix}")
    if ns.clock_comparator != bs.clock_comparator:
        out.append(f"cpu: clock comparator native {ns.clock_comparator:#x}, "
                   f"ccwboot {bs.clock_comparator:#x}")
    return out


def summary(res) -> str:
    """One line of what was captured, for test logs."""
    s = res.state
    if s is None or not s.schib:
        return "no state"
    x = s.schib
    cr = s.control_registers
    crs = f"CR0 {cr[0]:X} CR14 {cr[14]:X}" if len(cr) > 14 else "control registers not shown"
    return (f"subchannel intparm {x['intparm']:08X} flags {x['flags']:04X} LPM {x['lpm']:02X} "
            f"LPUM {x['lpum']:02X} PIM {x['pim']:02X}; SCSW flags {x['scsw_flags']:04X} "
            f"ctl {x['schc']:04X} stat {x['stat']:04X} count {x['count']:04X} "
            f"CCW {x['ccw']:08X}; {crs}; prefix {res.prefix}")
