#!/usr/bin/env python3
"""The Hercules IPL suite: one mkdasd volume per test, booted for real.

  good   The volume IPLed natively by Hercules (`ipl 0120`) and through
         ccwboot (`ipl ccwboot.ins`) must end in the same disabled-wait PSW,
         at the address `mkdasd --list` gives for the shape's payload, with
         the same result (machine_state.compare): the same SHA-256 over each
         loaded range, every byte of storage outside the firmware image the
         same (low core included), the same IPL-subchannel SCHIB, control
         registers, prefix and clock comparator. The loaded range is what
         the channel wrote during the native IPL, taken from a CCW trace
         (t+0120), plus mkdasd's payload range, above the lowcore (0x200).
  native Only the native half of `good` (needs no ccwboot image); also for
         the bad shapes that a real channel runs (aim_firmware, ...).
  bad    The volume IPLed through ccwboot must end, within 5 s, in the
         disabled wait of the named ccwboot wait code (looked up in
         include/ccwboot/wait_codes.h), never in a program-interrupt loop.

Each run works in its own temporary directory, so ctest -j is safe.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hercules_run  # noqa: E402
import machine_state  # noqa: E402

BAD_TIME_LIMIT_S = 5.0
PAYLOAD_BAD_CHECKSUM_ADDRESS = 0x80BAD000 & 0x7FFFFFFF  # mkdasd payload: "my data is wrong"
WAIT_CODE_RE = re.compile(r"X\(\s*(k\w+)\s*,\s*(0x[0-9A-Fa-f]+)")
WAIT_BASE_RE = re.compile(r"kWaitBase\s*=\s*(0x[0-9A-Fa-f]+)")


class Failure(Exception):
    pass


def wait_code_address(header: Path, name: str) -> int:
    """kWaitBase | code for the X(name, code, ...) row of wait_codes.h."""
    text = header.read_text()
    base = WAIT_BASE_RE.search(text)
    if not base:
        raise Failure(f"no kWaitBase in {header}")
    codes = dict(WAIT_CODE_RE.findall(text))
    if name not in codes:
        raise Failure(f"wait code {name} is not defined in {header} "
                      f"(known: {', '.join(sorted(codes))})")
    return int(base.group(1), 16) | int(codes[name], 16)


def shape_info(mkdasd: str, shape: str) -> dict:
    """mkdasd's own description of a shape (`mkdasd --list`)."""
    proc = subprocess.run([mkdasd, "--list"], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise Failure(f"mkdasd --list failed ({proc.returncode}): {proc.stderr}")
    for line in proc.stdout.splitlines():
        f = line.split(None, 7)
        if line.startswith("#") or len(f) < 7 or f[0] != shape:
            continue
        return {"good": f[1] == "1", "native_boots": f[2] == "1", "needs_split": f[3] == "1",
                "psw": int(f[4], 16), "load": (int(f[5], 16), int(f[6], 16)),
                "description": f[7] if len(f) > 7 else ""}
    raise Failure(f"mkdasd --list does not describe shape {shape}")


def psw_address(psw: int) -> int:
    """Instruction address of an 8-byte ESA/390 PSW."""
    return psw & 0x7FFFFFFF


def make_volume(mkdasd: str, shape: str, workdir: Path) -> Path:
    volume = workdir / f"{shape}.3390"
    proc = subprocess.run([mkdasd, "--shape", shape, "-o", str(volume)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not volume.is_file():
        raise Failure(f"mkdasd --shape {shape} failed ({proc.returncode}):\n"
                      f"{proc.stdout}{proc.stderr}")
    return volume


def describe(label: str, res: hercules_run.HerculesResult) -> str:
    psw = f"PSW {res.psw_text} (address {res.psw_address:#x})" if res.psw_words else "no PSW"
    return (f"{label}: {res.outcome}, {psw}, {res.elapsed:.2f} s, "
            f"{res.program_interrupts} program interrupt(s); {res.end_message}")


def show_log(label: str, res: hercules_run.HerculesResult, tail: int = 60) -> None:
    lines = res.console_lines()
    print(f"--- {label}: log from the IPL on (last {tail} lines) ---")
    print("\n".join(lines[-tail:]))


def native_ipl(volume: Path, timeout: float, info: dict, state: Path | None = None):
    """Native IPL twice: first traced (to learn the loaded range), then with a
    storage dump (`r` commands), or with the whole machine state saved into
    `state` (then the result of the second run is returned instead of a digest).

    The loaded range is what the channel stored (from the trace) together with
    the range mkdasd says holds the payload.
    """
    traced = hercules_run.run(volume, hercules_run.DEVICE, timeout=timeout, trace=True)
    print(describe("native (traced)", traced))
    if traced.outcome != "wait":
        show_log("native", traced)
        raise Failure(f"native IPL did not reach a disabled wait: {traced.outcome}")
    if traced.psw_address == PAYLOAD_BAD_CHECKSUM_ADDRESS:
        raise Failure("native IPL: the payload found its own data wrong (80BAD000)")
    expected = psw_address(info["psw"])
    if traced.psw_address != expected:
        raise Failure(f"native IPL waits at {traced.psw_address:#x}; mkdasd says the "
                      f"payload waits at {expected:#x} (PSW {info['psw']:016X})")
    traced_ranges = hercules_run.loaded_ranges(traced.ccws)
    if not traced_ranges:
        raise Failure("native IPL: the CCW trace shows no data stored above the lowcore")
    ranges = hercules_run.merge_ranges(traced_ranges + [info["load"]], floor=0x200)
    print("loaded range(s): " + ", ".join(f"{s:#x}..{e:#x}" for s, e in ranges)
          + f" ({sum(e - s for s, e in ranges)} bytes, from {len(traced.ccws)} traced CCWs)")
    dumped = hercules_run.run(volume, hercules_run.DEVICE, timeout=timeout,
                              dump=None if state else ranges, state=state)
    if dumped.outcome != "wait" or dumped.psw_address != traced.psw_address:
        raise Failure(f"native IPL is not repeatable: {describe('second run', dumped)}")
    if state:
        return traced.psw_address, ranges, dumped
    digest = checked_digest("native", dumped, ranges)
    return traced.psw_address, ranges, digest


def checked_digest(label: str, res: hercules_run.HerculesResult, ranges) -> str:
    try:
        return res.storage_digest(ranges)
    except KeyError as e:
        raise Failure(f"{label}: storage display incomplete: {e}") from None


def cmd_native(args) -> None:
    with tempfile.TemporaryDirectory(prefix="herc-suite-") as tmp:
        info = shape_info(args.mkdasd, args.shape)
        if not info["native_boots"]:
            raise Failure(f"mkdasd says {args.shape} does not IPL natively")
        volume = make_volume(args.mkdasd, args.shape, Path(tmp))
        _, _, digest = native_ipl(volume, args.timeout, info)
        print(f"native sha256 {digest}")


def cmd_good(args) -> None:
    ins = Path(args.ins)
    if not ins.is_file():
        raise Failure(f"{ins} does not exist: build the image first "
                      "(cmake --preset s390x && cmake --build --preset s390x)")
    firmware = machine_state.firmware_range(ins)
    with tempfile.TemporaryDirectory(prefix="herc-suite-") as tmp:
        info = shape_info(args.mkdasd, args.shape)
        if not info["good"]:
            raise Failure(f"mkdasd says {args.shape} is not a good shape")
        volume = make_volume(args.mkdasd, args.shape, Path(tmp))
        address, ranges, native = native_ipl(volume, args.timeout, info,
                                             state=Path(tmp) / "native.core")
        print("native:  " + machine_state.summary(native))
        boot = hercules_run.run(volume, str(ins), timeout=args.timeout,
                                state=Path(tmp) / "ccwboot.core")
        print(describe("ccwboot", boot))
        if boot.outcome != "wait":
            show_log("ccwboot", boot)
            raise Failure(f"ccwboot IPL did not reach a disabled wait: {boot.outcome}")
        print("ccwboot: " + machine_state.summary(boot))
        if boot.psw_address != address:
            show_log("ccwboot", boot)
            raise Failure(f"ccwboot IPL waits at {boot.psw_address:#x}, "
                          f"native IPL at {address:#x}")
        differences = machine_state.compare(native, boot, ranges, firmware)
        print(f"compared: PSW, {len(ranges)} loaded range(s), storage outside the firmware "
              f"{firmware[0]:#x}..{firmware[1]:#x}, SCHIB, CR0-15, prefix, clock comparator")
        if differences:
            show_log("ccwboot", boot, tail=25)
            raise Failure("native and ccwboot IPL differ:\n  " + "\n  ".join(differences))


def cmd_bad(args) -> None:
    ins = Path(args.ins)
    if not ins.is_file():
        raise Failure(f"{ins} does not exist: build the image first")
    expected = wait_code_address(Path(args.wait_codes), args.wait_code)
    with tempfile.TemporaryDirectory(prefix="herc-suite-") as tmp:
        volume = make_volume(args.mkdasd, args.shape, Path(tmp))
        boot = hercules_run.run(volume, str(ins), timeout=args.timeout)
        print(describe("ccwboot", boot))
        show_log("ccwboot", boot, tail=25)
        if "HHCCP016I" in boot.log:
            raise Failure("program interrupt loop (HHCCP016I)")
        if boot.outcome != "wait":
            raise Failure(f"expected the disabled wait {args.wait_code} ({expected:#x}), "
                          f"got {boot.outcome}")
        if boot.psw_address != expected:
            raise Failure(f"expected wait code {args.wait_code} ({expected:#x}), "
                          f"got PSW address {boot.psw_address:#x}")
        if boot.elapsed > BAD_TIME_LIMIT_S:
            raise Failure(f"took {boot.elapsed:.2f} s, more than {BAD_TIME_LIMIT_S} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    for name in ("good", "native", "bad"):
        p = sub.add_parser(name)
        p.add_argument("--mkdasd", required=True)
        p.add_argument("--shape", required=True)
        p.add_argument("--timeout", type=float, default=20.0)
        if name != "native":
            p.add_argument("--ins", required=True, help="build/s390x/ccwboot.ins")
        if name == "bad":
            p.add_argument("--wait-code", required=True, help="e.g. kIpl1NotReadTic")
            p.add_argument("--wait-codes", required=True, help="include/ccwboot/wait_codes.h")
    args = ap.parse_args(argv)
    try:
        {"good": cmd_good, "native": cmd_native, "bad": cmd_bad}[args.mode](args)
    except (Failure, FileNotFoundError, RuntimeError) as e:
        print(f"FAIL: {e}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
