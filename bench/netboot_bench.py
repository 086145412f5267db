#!/usr/bin/env python3
"""Network boot benchmark: time from QEMU start to the Debian kernel's
"Linux version" line and to the initrd's marker over TFTP, ccwboot against
QEMU's own bios on the same command line; TFTP throughput; image size per
component.

    bench/netboot_bench.py [--runs N] [--qemu BIN --qemu-data DIR]

The firmware's own share is timed from console lines stamped as they arrive:
QEMU start to ccwboot's "starting the loaded system" / QEMU's bios
"Network loading done" (DHCP, TFTP of kernel + initrd, hand-off). ccwboot
also reports its TFTP time and bytes itself ("... loaded: N files, B bytes in
M ms"). Runs alternate between the firmwares; medians are printed.

--qemu/--qemu-data run another QEMU (e.g. QEMU 10.0 from qemu10's fetch:
its binary and its usr/share/qemu); QEMU's bios is then that data
directory's s390-ccw.img.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import image_size  # noqa: E402
MARK = "ccwboot-initrd: hello from userspace"
PXE = """# pxelinux.cfg for the benchmark
default debian
label debian
  kernel vmlinuz
  initrd initrd.img
  append console=ttysclp0
"""


def one_run(qemu: str, data: list[str], bios: str, tftp: Path, timeout: float) -> dict:
    cmd = [qemu, *data, "-M", "s390-ccw-virtio", "-nodefaults", "-nographic", "-no-reboot",
           "-m", "512", "-bios", bios, "-chardev", "stdio,id=c0", "-device",
           "sclpconsole,chardev=c0", "-netdev", f"user,id=n0,tftp={tftp},bootfile=pxe.cfg",
           "-device", "virtio-net-ccw,netdev=n0,devno=fe.0.0002,bootindex=1"]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    r: dict = {}
    text = []
    for raw in p.stdout:
        line = raw.decode("utf-8", "replace")
        now = time.monotonic() - t0
        text.append(line)
        if ("starting the loaded system" in line or "Network loading done" in line) \
                and "handoff" not in r:
            r["handoff"] = now
        # DHCP done: QEMU's bios names the TFTP server, ccwboot its address.
        if ("Using TFTP server" in line or "net: address " in line) and "dhcp" not in r:
            r["dhcp"] = now
        if "Linux version" in line and "linux" not in r:
            r["linux"] = now
        if MARK in line and "marker" not in r:
            r["marker"] = now
        m = re.search(r"loaded: (\d+) files, (\d+) bytes in (\d+) ms", line)
        if m:
            r["bytes"], r["tftp_ms"] = int(m.group(2)), int(m.group(3))
    p.wait()
    timer.cancel()
    r["console"] = "".join(text)
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--image", default=str(REPO / "build" / "s390x" / "ccwboot.img"))
    ap.add_argument("--assets", type=Path, default=REPO / "build" / "host" / "linux-assets")
    ap.add_argument("--qemu", default="qemu-system-s390x")
    ap.add_argument("--qemu-data", help="QEMU's data directory (-L), for another QEMU")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=180)
    a = ap.parse_args()
    data = ["-L", a.qemu_data] if a.qemu_data else []
    qemu_bios = str(Path(a.qemu_data) / "s390-ccw.img") if a.qemu_data else \
        "/usr/share/qemu/s390-ccw.img"
    version = subprocess.run([a.qemu, *data, "--version"], capture_output=True,
                             text=True).stdout.split("\n")[0]
    print(f"== network boot: Debian kernel + initrd over TFTP ({version}, {a.runs} runs each)")
    results: dict[str, list[dict]] = {"ccwboot": [], "qemu-bios": []}
    with tempfile.TemporaryDirectory(prefix="ccwboot-netbench-") as t:
        tftp = Path(t)
        for f in ("vmlinuz", "initrd.img"):
            (tftp / f).write_bytes((a.assets / f).read_bytes())
        (tftp / "pxe.cfg").write_text(PXE)
        for _ in range(a.runs):
            for name, bios in (("ccwboot", a.image), ("qemu-bios", qemu_bios)):
                r = one_run(a.qemu, data, bios, tftp, a.timeout)
                if "marker" not in r:
                    print(f"{name}: no initrd marker; console tail:\n{r['console'][-800:]}")
                    return 1
                results[name].append(r)

    def med(name: str, key: str) -> float | None:
        v = [r[key] for r in results[name] if key in r]
        return statistics.median(v) if v else None

    print(f"{'firmware':10} {'file B':>8} {'to hand-off':>12} {'Linux version':>14} {'initrd marker':>14}")
    for name, bios in (("ccwboot", a.image), ("qemu-bios", qemu_bios)):
        print(f"{name:10} {Path(bios).stat().st_size:8} {med(name, 'handoff'):11.2f}s "
              f"{med(name, 'linux'):13.2f}s {med(name, 'marker'):13.2f}s")
    ratio = med("ccwboot", "marker") / med("qemu-bios", "marker")
    ratio_fw = med("ccwboot", "handoff") / med("qemu-bios", "handoff")
    print(f"ratio ccwboot / qemu-bios: initrd marker {ratio:.2f}, firmware share (to hand-off) "
          f"{ratio_fw:.2f}  (target <= 0.5)")
    # Both firmwares load the same three files; from DHCP's end to the
    # hand-off line is the same span on both consoles (TFTP + loading).
    total = (a.assets / "vmlinuz").stat().st_size + (a.assets / "initrd.img").stat().st_size + \
        len(PXE)
    print(f"{'firmware':10} {'DHCP done':>10} {'DHCP end to hand-off':>21} {'MB/s':>6}")
    for name in ("ccwboot", "qemu-bios"):
        spans = [r["handoff"] - r["dhcp"] for r in results[name] if "dhcp" in r and "handoff" in r]
        if spans:
            span = statistics.median(spans)
            print(f"{name:10} {med(name, 'dhcp'):9.2f}s {span:20.2f}s {total / span / 1e6:6.1f}")
    tput = [r["bytes"] / r["tftp_ms"] / 1000 for r in results["ccwboot"] if r.get("tftp_ms")]
    if tput:
        print(f"ccwboot TFTP throughput: median {statistics.median(tput):.1f} MB/s "
              f"({results['ccwboot'][0]['bytes']} bytes: pxe.cfg + kernel + initrd)")
    image_map = Path(a.image).parent / "ccwboot.map"
    if image_map.is_file():
        print("== image size per component (bench/image_size.py)")
        image_size.print_table(image_size.components(image_size.parse_map(image_map)),
                               "component (ccwboot.elf, unpacked)")
        print(f"image file {Path(a.image).stat().st_size} B, QEMU 10's s390-ccw.img 79608 B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
