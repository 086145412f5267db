#!/usr/bin/env python3
"""How long ccwboot takes to clear storage a previous system used (docs/boot-order.md,
"Re-IPL: the storage left behind").

    reipl_clear.py [--qemu QEMU] [--image IMG] [--memory MB] [--rounds N]

ccwboot runs with no boot device and stops (kNoBootDevice; -action panic=pause
keeps QEMU up); the monitor's system_reset + cont starts it again on the
storage its first run used, and it clears it. Repeated N times: the first
clear meets pages QEMU never backed, the later ones resident pages. Prints
the times ccwboot logs ("cleared N MiB in T ms") and QEMU's RSS at the end.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLEARED = re.compile(r"cleared (\d+) MiB in (\d+) ms")


def hmp(sock: str, command: str) -> None:
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(10)
        s.connect(sock)
        buf = b""
        while b"(qemu)" not in buf:
            buf += s.recv(4096)
        s.sendall(command.encode() + b"\n")
        time.sleep(0.5)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qemu", default=os.environ.get("CCWBOOT_QEMU", "qemu-system-s390x"))
    ap.add_argument("--image", default=str(REPO / "build/s390x/ccwboot.img"))
    ap.add_argument("--memory", default="512")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ccwboot-clear-") as d:
        mon, log = d + "/m.sock", d + "/console.log"
        p = subprocess.Popen([a.qemu, "-M", "s390-ccw-virtio", "-nodefaults", "-nographic",
                              "-m", a.memory, "-bios", a.image, "-chardev", "file,id=c0,path=" + log,
                              "-device", "sclpconsole,chardev=c0", "-action", "panic=pause",
                              "-monitor", "unix:%s,server=on,wait=off" % mon, "-serial", "none"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        start = time.monotonic()
        try:
            def console() -> str:
                return open(log, errors="replace").read() if os.path.exists(log) else ""
            for n in range(a.rounds + 1):
                # Run n has stopped once its "kNoBootDevice" is there.
                while console().count("kNoBootDevice") <= n:
                    if time.monotonic() - start > a.timeout or p.poll() is not None:
                        print("FAIL: run %d did not stop (%s)" % (n + 1, console()[-300:]))
                        return 1
                    time.sleep(0.2)
                if n < a.rounds:
                    hmp(mon, "system_reset")
                    hmp(mon, "cont")
            times = CLEARED.findall(console())
            rss = re.search(r"VmRSS:\s+(\d+) kB", open("/proc/%d/status" % p.pid).read())
            print("%s -m %s: %s; RSS %s MB" % (
                Path(a.qemu).name, a.memory,
                ", ".join("%s MiB in %s ms" % t for t in times) or "nothing cleared",
                int(rss.group(1)) // 1024 if rss else "?"))
            return 0 if len(times) == a.rounds else 1
        finally:
            p.kill()
            p.wait()


if __name__ == "__main__":
    sys.exit(main())
