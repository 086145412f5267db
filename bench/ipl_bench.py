#!/usr/bin/env python3
"""ccwboot benchmarks (not tests): sizes, start-to-wait times, I/O starts per IPL.

Sections (all by default, or name them with --only):
  size     image file size and loaded size (PT_LOAD filesz/memsz, readelf -lW)
           of ccwboot.img and QEMU's own /usr/share/qemu/s390-ccw.img
  qemu     median wall time from QEMU start to the disabled-wait report with
           no boot device, each firmware on the same command line
  starts   start-subchannel operations per DASD IPL for each mkdasd shape:
           ccwboot's (counted in Hercules: one HHCCP050I subchannel-status
           line per TSCH that found status pending, i.e. per completed start,
           with the CCW trace t+0120 on) against the minimum possible under
           prefetch (computed from the native IPL's CCW trace: split only
           before a CCW that an earlier CCW of the same start wrote over);
           next to the DASD core's own count on the host simulator under
           prefetch semantics (tests/host dasd_ipl_stats --csv)
  hercules median wall time from starting Hercules to its disabled-wait
           message (Hercules' start-up included, its shut-down not),
           ccwboot IPL vs native IPL, per shape; and from the `ipl` command's
           echo to that message (the IPL alone: for ccwboot, loading the .ins
           and the firmware's whole run), with ccwboot's as a ratio to the
           native IPL's
  linux    median wall time from QEMU start to the Debian kernel's
           "Linux version" line and to the initrd's marker, ccwboot vs QEMU's
           bios on the same mkdisk disk (tests/linux/linux_boot_bench.py,
           at most 5 runs each: a boot takes seconds under TCG)
  netboot  the same kernel + initrd network-booted over TFTP (pxelinux.cfg):
           time to hand-off, "Linux version" and the marker, ccwboot vs QEMU's
           bios; ccwboot's TFTP throughput; image size per component
           (bench/netboot_bench.py, at most 3 runs each), once over QEMU's
           user network and once from tests/linux/net_peer.py (blksize 1468,
           windowsize 16 granted; TFTP MB/s on the peer's clock for both)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "hercules"))
import hercules_run as hr  # noqa: E402

# Which QEMU and its own bios: Debian's 7.2 unless CCWBOOT_QEMU / CCWBOOT_QEMU_BIOS
# name another (bench/run.sh runs the QEMU sections again with QEMU 10.0).
QEMU = os.environ.get("CCWBOOT_QEMU", "qemu-system-s390x")
QEMU_BIOS = Path(os.environ.get("CCWBOOT_QEMU_BIOS", "/usr/share/qemu/s390-ccw.img"))
GOOD_SHAPES = ["single", "zipl3", "psw_at_0", "multitrack", "overwrite_no_tic", "low_8k"]


def load_sizes(image: Path) -> tuple[int, int, int]:
    """(file size, sum of PT_LOAD filesz, sum of PT_LOAD memsz)."""
    out = subprocess.run(["readelf", "-lW", str(image)], capture_output=True, text=True,
                         check=True).stdout
    filesz = memsz = 0
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == "LOAD":
            filesz += int(f[4], 16)
            memsz += int(f[5], 16)
    return image.stat().st_size, filesz, memsz


def label(image: Path) -> str:
    return "QEMU's s390-ccw.img" if image == QEMU_BIOS else image.name


def with_unpacked(image: Path) -> list[Path]:
    """The image, its unpacked form (ccwboot-unpacked.img, the same firmware
    without the unpacking stub) when it is there, and QEMU's bios."""
    unpacked = image.parent / "ccwboot-unpacked.img"
    return [image] + ([unpacked] if unpacked.is_file() else []) + [QEMU_BIOS]


def section_size(image: Path) -> None:
    print(f"== image size (bytes): {image} vs {QEMU_BIOS}")
    print(f"{'image':22} {'file':>9} {'PT_LOAD filesz':>15} {'PT_LOAD memsz':>14}")
    for img in with_unpacked(image):
        size, filesz, memsz = load_sizes(img)
        print(f"{label(img):22} {size:9} {filesz:15} {memsz:14}")


def qemu_time_to_wait(bios: Path, timeout: float = 30.0) -> tuple[float, str]:
    """Seconds from QEMU's start to its disabled-wait report, and the PSW line."""
    cmd = [QEMU, "-M", "s390-ccw-virtio", "-nodefaults", "-nographic",
           "-no-reboot", "-m", "256", "-bios", str(bios), "-chardev", "stdio,id=c0",
           "-device", "sclpconsole,chardev=c0", "-d", "guest_errors"]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    seen_wait = None
    psw = ""
    try:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode("latin-1")
            if seen_wait is None and "disabled-wait" in line:
                seen_wait = time.monotonic() - t0
            elif seen_wait is not None and line.startswith("PSW:"):
                psw = line.strip()
                break
            if time.monotonic() - t0 > timeout:
                break
    finally:
        proc.kill()
        proc.wait()
    if seen_wait is None:
        raise RuntimeError(f"{bios}: no disabled wait within {timeout} s")
    return seen_wait, psw


def section_qemu(image: Path, runs: int) -> None:
    print(f"== QEMU start to disabled wait, no boot device (median of {runs} runs, interleaved)")
    bioses = with_unpacked(image)
    times: dict[Path, list[float]] = {b: [] for b in bioses}
    psws: dict[Path, str] = {}
    for _ in range(runs):
        for bios in bioses:
            t, psws[bios] = qemu_time_to_wait(bios)
            times[bios].append(t)
    for bios in bioses:
        psw = psws[bios]
        t = times[bios]
        print(f"{label(bios):22} median {statistics.median(t) * 1000:7.1f} ms  "
              f"(min {min(t) * 1000:.1f}, max {max(t) * 1000:.1f})  {psw}")


def ccw_addresses(ccws: list[hr.Ccw], statuses: list[int | None]) -> list[int]:
    """Where each traced CCW of a native IPL sat in storage.

    The IPL's Read IPL CCW is the channel's own (taken as address 0); IPL1's
    CCWs follow at 8. After a TIC the next CCW is its target; a chained CCW
    is followed by the next doubleword, or the one after when the device
    returned status modifier (a successful Search skips its TIC).
    """
    addrs = []
    at = 0
    for i, c in enumerate(ccws):
        addrs.append(at)
        if i == 0:
            at = 8
        elif c.command == 0x08:
            at = c.address
        else:
            skip = 16 if (statuses[i] or 0) & 0x4000 else 8
            at = at + skip
    return addrs


_IDAW_LINE = re.compile(r"HHCCP063I\s+0120:IDAW=([0-9A-Fa-f]+)\s+Len=([0-9A-Fa-f]+)")


def traced_idaws(log: str) -> list[list[tuple[int, int]]]:
    """Per traced CCW, the [start, end) of each IDAW's block Hercules logged
    (HHCCP063I); empty for a CCW without IDA."""
    out: list[list[tuple[int, int]]] = []
    for line in log.splitlines():
        if "HHCCP048I" in line and ":CCW=" in line:
            out.append([])
        elif out and (m := _IDAW_LINE.search(line)):
            start = int(m.group(1), 16)
            out[-1].append((start, start + int(m.group(2), 16)))
    return out


def min_starts_under_prefetch(ccws: list[hr.Ccw], statuses: list[int | None],
                              idaws: list[list[tuple[int, int]]] | None = None) -> int:
    """Fewest starts that replay the traced chain faithfully when each start
    prefetches its CCWs: a new start is needed before a CCW whose doubleword
    an earlier CCW of the current start has written, before the 257th CCW of
    a vfio-ccw segment (CCWCHAIN_LEN_MAX), and before a start's 65th segment
    (ccwboot's own bound, kMaxVfioSegments). The same rules as
    min_prefetch_starts in tests/host/dasd_sim_harness.cc: a segment runs
    from a start or a TIC target as far as the chain goes on sequentially; a
    TIC back into it stays in it, any other TIC begins a new one. An IDA
    CCW (flag 0x04) stores into its IDAW blocks, not at its data address,
    and its IDAW list (4-byte IDAWs at the data address) is prefetched too:
    a list an earlier CCW wrote also needs a new start."""
    starts = 1
    written: list[tuple[int, int]] = []
    head = tail = None
    segments = 1
    after_tic = False
    idaws = idaws or [[] for _ in ccws]
    for at, c, blocks in zip(ccw_addresses(ccws, statuses), ccws, idaws):
        fetched = [(at, at + 8)]
        if c.flags & 0x04 and blocks:
            fetched.append((c.address, c.address + 4 * len(blocks)))
        new_start = any(s < fe and fs < e for s, e in written for fs, fe in fetched)
        if head is None:
            head = tail = at
        if after_tic and not head <= at <= tail:
            head = tail = at
            segments += 1
        tail = max(tail, at)
        if at >= head + 256 * 8 or segments > 64:
            new_start = True
        after_tic = c.command == 0x08
        if new_start:
            starts += 1
            written = []
            head = tail = at
            segments = 1
        if c.flags & 0x04 and blocks:
            if c.stored_range:  # a read that moved data: into the blocks
                written += blocks
        elif c.stored_range:
            written.append(c.stored_range)
    return starts


_STAT_LINE = re.compile(r"HHCCP075I\s+0120:Stat=([0-9A-Fa-f]{4})")


def traced_statuses(log: str) -> list[int | None]:
    """Unit/channel status per traced CCW (None for TICs, which report none)."""
    out: list[int | None] = []
    for line in log.splitlines():
        if "HHCCP048I" in line and ":CCW=" in line:
            out.append(None)
        else:
            m = _STAT_LINE.search(line)
            if m and out and out[-1] is None:
                out[-1] = int(m.group(1), 16)
    return out


_SCSW_LINE = re.compile(r"HHCCP050I\s+\S+:SCSW=([0-9A-Fa-f]{8})")


def ccwboot_starts(log: str) -> tuple[int, int]:
    """(all completed starts, starts from the first Read IPL on) in a traced
    ccwboot run: the subchannel-status lines with primary status (SCSW bit
    29), i.e. the end of a start; a PCI's intermediate status is not one."""
    total = ipl = 0
    in_ipl = False
    for line in log.splitlines():
        if "HHCCP048I" in line and ":CCW=02" in line:
            in_ipl = True
        m = _SCSW_LINE.search(line)
        if m and int(m.group(1), 16) & 0x4:
            total += 1
            ipl += in_ipl
    return total, ipl


def mkdasd_shapes(mkdasd: Path) -> list[dict[str, str]]:
    """mkdasd's shape table (`mkdasd --list`): name, good, native_boots, ... per shape."""
    out = subprocess.run([str(mkdasd), "--list"], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    header = out[0].lstrip("# ").split()
    return [dict(zip(header, line.split(None, len(header) - 1))) for line in out[1:] if line]


def expand_shapes(spec: str, table: list[dict[str, str]]) -> list[str]:
    """--shapes: names, or `good`, `bad`, `all` for mkdasd's own lists (so a new
    shape is measured without editing this file)."""
    groups = {"all": [r["name"] for r in table],
              "good": [r["name"] for r in table if r["good"] == "1"],
              "bad": [r["name"] for r in table if r["good"] != "1"]}
    shapes: list[str] = []
    for item in (s for s in spec.split(",") if s):
        shapes += [n for n in groups.get(item, [item]) if n not in shapes]
    return shapes


def make_volume(mkdasd: Path, shape: str, workdir: Path) -> Path:
    vol = workdir / f"{shape}.3390"
    subprocess.run([str(mkdasd), "--shape", shape, "-o", str(vol)], check=True,
                   stdout=subprocess.DEVNULL)
    return vol


def simulator_stats(stats_tool: Path | None) -> dict[str, dict[str, str]]:
    """Per shape: the DASD core's counts on the host simulator (prefetch semantics)."""
    if stats_tool is None:
        return {}
    out = subprocess.run([str(stats_tool), "--csv"], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    header = out[0].split(",")
    return {row.split(",")[0]: dict(zip(header, row.split(","))) for row in out[1:] if row}


def section_starts(ins: Path, mkdasd: Path, shapes: list[str], stats_tool: Path | None) -> None:
    sim = simulator_stats(stats_tool)
    print("== start-subchannel operations per DASD IPL (Hercules, t+0120; simulator)")
    print(f"{'shape':30} {'ccwboot all':>11} {'ccwboot IPL':>11} {'min (prefetch)':>14} "
          f"{'sim starts':>10} {'sim min':>7} {'native CCWs':>11}  result")
    table = {r["name"]: r for r in mkdasd_shapes(mkdasd)}
    good = {n: r["good"] == "1" for n, r in table.items()}
    above_min: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for shape in shapes:
            vol = make_volume(mkdasd, shape, Path(tmp))
            # A native IPL that never ends (the endless bad shapes) is cut at
            # the timeout; its trace gives no minimum.
            native = hr.run(vol, "0120", trace=True, timeout=5.0 if table.get(shape, {}).get("native_boots") == "0" else 20.0)
            minimum = min_starts_under_prefetch(native.ccws, traced_statuses(native.log),
                                                traced_idaws(native.log)) \
                if native.outcome == "wait" else "-"
            boot = hr.run(vol, str(ins), trace=True)
            total, ipl = ccwboot_starts(boot.log)
            if good.get(shape, True):
                result = "same PSW" if boot.psw_address == native.psw_address else \
                    f"DIFFERENT PSW ({boot.outcome} {boot.psw_text} vs {native.psw_text})"
                if minimum == "-" or ipl != minimum:
                    above_min.append(f"{shape} ({ipl} starts, min {minimum})")
            else:  # a bad shape: ccwboot's wait code against how the native IPL ended
                name = hr.ccwboot_wait_name(boot.psw_address or 0) if boot.outcome == "wait" \
                    else None
                mine = name or f"{boot.outcome} {boot.psw_text}".strip()
                theirs = f"wait {native.psw_address:#x}" if native.outcome == "wait" \
                    and native.psw_address is not None else native.outcome
                result = f"{mine} (native: {theirs})"
            row = sim.get(shape, {})
            print(f"{shape:30} {total:11} {ipl:11} {minimum:>14} {row.get('starts', '-'):>10} "
                  f"{row.get('min_starts', '-'):>7} {len(native.ccws):11}  {result}",
                  flush=True)
    print("ccwboot all: every completed start in Hercules (SENSE ID and other probes included);")
    print("ccwboot IPL: from its Read IPL on. min: from the native IPL's CCW trace.")
    print("sim: ccwboot's DASD core on the host simulator under prefetch (dasd_ipl_stats).")
    print("bad shapes: ccwboot's wait code (native: how Hercules' own IPL ended).")
    print("good shapes above the minimum in Hercules: " + (", ".join(above_min) or "none"))


def section_hercules(ins: Path, mkdasd: Path, shapes: list[str], runs: int) -> None:
    print(f"== Hercules start to the payload's disabled wait, median of {runs}; "
          "IPL = from the `ipl` command's echo (Hercules' start-up left out)")
    print(f"{'shape':24} {'native ms':>10} {'ccwboot ms':>11} {'difference':>11} "
          f"{'native IPL':>11} {'ccwboot IPL':>12} {'IPL ratio':>10}")
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for shape in shapes:
            vol = make_volume(mkdasd, shape, Path(tmp))
            native, boot, native_ipl, boot_ipl = [], [], [], []
            differ: list[str] = []
            for _ in range(runs):  # interleaved, so load changes hit both alike
                n_run, b_run = hr.run(vol, "0120"), hr.run(vol, str(ins))
                if n_run.psw_address != b_run.psw_address or n_run.outcome != "wait":
                    # Not timed, but the others are: a refusal under load (the
                    # IPL's wall-time budget) is a finding, not the end of the row.
                    name = hr.ccwboot_wait_name(b_run.psw_address or 0)
                    differ.append(name or f"{b_run.outcome} {b_run.psw_text}")
                    if n_run.outcome != "wait" or len(differ) > runs // 2:
                        break
                    continue
                native.append(n_run.elapsed)
                boot.append(b_run.elapsed)
                if n_run.ipl_to_end is not None and b_run.ipl_to_end is not None:
                    native_ipl.append(n_run.ipl_to_end)
                    boot_ipl.append(b_run.ipl_to_end)
            if differ:
                print(f"{shape}: {len(differ)} of {len(differ) + len(native)} ccwboot runs "
                      f"ended elsewhere than the native IPL ({', '.join(sorted(set(differ)))}): "
                      "not timed")
            if not native:
                continue
            n, b = statistics.median(native) * 1000, statistics.median(boot) * 1000
            line = f"{shape:24} {n:10.1f} {b:11.1f} {b - n:+11.1f}"
            if native_ipl:
                ni, bi = statistics.median(native_ipl) * 1000, statistics.median(boot_ipl) * 1000
                line += f" {ni:11.1f} {bi:12.1f} {bi / ni if ni else float('nan'):9.2f}x"
            print(line, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--image-dir", default=str(ROOT / "build" / "s390x"))
    ap.add_argument("--mkdasd", default=None, help="default: found under build/host/tools")
    ap.add_argument("--stats-tool", default=None,
                    help="dasd_ipl_stats (default: found under build/host/tests)")
    ap.add_argument("--shapes", default=",".join(GOOD_SHAPES),
                    help="shape names, or good, bad, all (mkdasd --list)")
    ap.add_argument("--only", default="size,qemu,starts,hercules,linux,netboot")
    args = ap.parse_args()

    image_dir = Path(args.image_dir)
    image, ins = image_dir / "ccwboot.img", image_dir / "ccwboot.ins"
    mkdasd = Path(args.mkdasd) if args.mkdasd else next(
        (p for p in (ROOT / "build" / "host" / "tools").rglob("mkdasd")
         if p.is_file() and os.access(p, os.X_OK)), None)
    for needed in (image, ins):
        if not needed.is_file():
            print(f"{needed} is missing: build the s390x preset (bench/run.sh does)")
            return 1
    wanted = args.only.split(",")
    print(f"ccwboot bench: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {os.cpu_count()} CPUs, "
          f"qemu {qemu_version()}, {shutil.which('hercules')}")
    if "size" in wanted:
        section_size(image)
    if "qemu" in wanted:
        section_qemu(image, args.runs)
    if "starts" in wanted or "hercules" in wanted:
        if mkdasd is None:
            print("mkdasd not found: build the host preset (cmake --build --preset host)")
            return 1
    shapes = expand_shapes(args.shapes, mkdasd_shapes(mkdasd)) if mkdasd else []
    if "starts" in wanted:
        stats_tool = next((p for p in (ROOT / "build" / "host" / "tests").rglob("dasd_ipl_stats")
                           if p.is_file() and os.access(p, os.X_OK)), None) \
            if args.stats_tool is None else Path(args.stats_tool)
        section_starts(ins, mkdasd, shapes, stats_tool)
    if "hercules" in wanted:
        section_hercules(ins, mkdasd, shapes, args.runs)
    if "linux" in wanted:
        print("== Debian kernel boot from a virtio-blk-ccw disk", flush=True)
        bench = ROOT / "tests" / "linux" / "linux_boot_bench.py"
        rc = subprocess.run([sys.executable, str(bench), "--image", str(image),
                             "--runs", str(min(args.runs, 5))]).returncode
        if rc != 0:
            return rc
    if "netboot" in wanted:
        bench = ROOT / "bench" / "netboot_bench.py"
        for net in ("user", "peer"):
            rc = subprocess.run([sys.executable, str(bench), "--image", str(image), "--net", net,
                                 "--runs", str(min(args.runs, 3))]).returncode
            if rc != 0:
                return rc
    return 0


def qemu_version() -> str:
    out = subprocess.run([QEMU, "--version"], capture_output=True, text=True)
    return out.stdout.split("\n")[0].replace("QEMU emulator version ", "")


if __name__ == "__main__":
    sys.exit(main())
