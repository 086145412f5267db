#!/usr/bin/env python3
"""Network boot benchmark: time from QEMU start to the Debian kernel's
"Linux version" line and to the initrd's marker over TFTP, ccwboot against
QEMU's own bios on the same command line; TFTP throughput; image size per
component.

    bench/netboot_bench.py [--runs N] [--qemu BIN --qemu-data DIR] [--net user|peer]
                           [--window-max N] [--blksize-max N]

The firmware's own share is timed from console lines stamped as they arrive:
QEMU start to ccwboot's "starting the loaded system" / QEMU's bios
"Network loading done" (DHCP, TFTP of kernel + initrd, hand-off). ccwboot
also reports its TFTP time and bytes itself ("... loaded: N files, B bytes in
M ms"). Runs alternate between the firmwares; medians are printed.

--net peer serves DHCP and TFTP from tests/linux/net_peer.py (a stream
netdev) instead of QEMU's user network (slirp grants blksize 1428 and no
windowsize): the peer grants up to --blksize-max (1468, one frame) and
--window-max (16), and times each transfer itself from the read request to
the last ACK, the same clock for both firmwares ("peer MB/s").

--qemu/--qemu-data run another QEMU (e.g. QEMU 10.0 from qemu10's fetch:
its binary and its usr/share/qemu); QEMU's bios is then that data
directory's s390-ccw.img.
"""

from __future__ import annotations

import argparse
import os
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
sys.path.insert(0, str(REPO / "tests" / "linux"))
from net_peer import NetPeer  # noqa: E402
MARK = "ccwboot-initrd: hello from userspace"
PXE = """# pxelinux.cfg for the benchmark
default debian
label debian
  kernel vmlinuz
  initrd initrd.img
  append console=ttysclp0
"""


def user_net(tftp: Path) -> list[str]:
    return ["-netdev", f"user,id=n0,tftp={tftp},bootfile=pxe.cfg",
            "-device", "virtio-net-ccw,netdev=n0,devno=fe.0.0002,bootindex=1"]


def one_run(qemu: str, data: list[str], bios: str, net: list[str], timeout: float) -> dict:
    cmd = [qemu, *data, "-M", "s390-ccw-virtio", "-nodefaults", "-nographic", "-no-reboot",
           "-m", "512", "-bios", bios, "-chardev", "stdio,id=c0", "-device",
           "sclpconsole,chardev=c0", *net]
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
    ap.add_argument("--qemu", default=os.environ.get("CCWBOOT_QEMU", "qemu-system-s390x"),
                    help="default: $CCWBOOT_QEMU, else Debian's QEMU 7.2")
    ap.add_argument("--qemu-data", help="QEMU's data directory (-L), for another QEMU")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=180)
    ap.add_argument("--net", choices=("user", "peer"), default="user",
                    help="QEMU's user network (slirp) or tests/linux/net_peer.py")
    ap.add_argument("--window-max", type=int, default=16, help="--net peer: largest windowsize")
    ap.add_argument("--blksize-max", type=int, default=1468, help="--net peer: largest blksize")
    a = ap.parse_args()
    data = ["-L", a.qemu_data] if a.qemu_data else []
    qemu_bios = str(Path(a.qemu_data) / "s390-ccw.img") if a.qemu_data else \
        os.environ.get("CCWBOOT_QEMU_BIOS", "/usr/share/qemu/s390-ccw.img")
    version = subprocess.run([a.qemu, *data, "--version"], capture_output=True,
                             text=True).stdout.split("\n")[0]
    how = "QEMU's user network" if a.net == "user" else \
        f"net_peer.py, blksize <= {a.blksize_max}, windowsize <= {a.window_max}"
    print(f"== network boot: Debian kernel + initrd over TFTP ({version}, {how}, "
          f"{a.runs} runs each, interleaved)")
    results: dict[str, list[dict]] = {"ccwboot": [], "qemu-bios": []}
    with tempfile.TemporaryDirectory(prefix="ccwboot-netbench-") as t:
        tftp = Path(t)
        for f in ("vmlinuz", "initrd.img"):
            (tftp / f).write_bytes((a.assets / f).read_bytes())
        (tftp / "pxe.cfg").write_text(PXE)
        for _ in range(a.runs):
            for name, bios in (("ccwboot", a.image), ("qemu-bios", qemu_bios)):
                if a.net == "user":
                    r = one_run(a.qemu, data, bios, user_net(tftp), a.timeout)
                else:
                    peer = NetPeer(Path(t) / "peer.sock", tftp, "pxe.cfg",
                                   blksize_max=a.blksize_max, window_max=a.window_max)
                    peer.start()
                    try:
                        r = one_run(a.qemu, data, bios, peer.netdev_args(), a.timeout)
                    finally:
                        peer.stop()
                    r["peer"] = peer.find("tftp", result="sent")
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
    pairs = list(zip(results["ccwboot"], results["qemu-bios"]))
    print("per pair (ccwboot / qemu-bios), to hand-off: " +
          " ".join(f"{c['handoff']:.2f}/{q['handoff']:.2f}" for c, q in pairs))
    print("per pair (ccwboot / qemu-bios), initrd marker: " +
          " ".join(f"{c['marker']:.2f}/{q['marker']:.2f}" for c, q in pairs))
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
    if a.net == "peer":
        # The peer's own clock: read request to last ACK, summed over the
        # three files of a run; the same measure for both firmwares.
        print(f"{'firmware':10} {'blksize':>8} {'window':>7} {'ACKs':>6} {'peer s':>7} {'peer MB/s':>10}")
        for name in ("ccwboot", "qemu-bios"):
            runs = [r["peer"] for r in results[name] if r.get("peer")]
            if not runs:
                continue
            secs = statistics.median(sum(t["seconds"] for t in run) for run in runs)
            nbytes = sum(t["bytes"] for t in runs[0])
            acks = statistics.median(sum(t["acks"] for t in run) for run in runs)
            k = [t for t in runs[0] if t["file"] == "vmlinuz"][0]
            print(f"{name:10} {k['blksize']:8} {k['windowsize']:7} {acks:6.0f} {secs:7.3f} "
                  f"{nbytes / secs / 1e6:10.1f}")
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
