#!/usr/bin/env python3
"""The boot menu as a person uses it: QEMU runs inside tmux (a real terminal,
raw mode, the keys' escape sequences as tmux sends them), keys are typed with
`tmux send-keys`, and the screen is read back with `tmux capture-pane`.

    menu_tmux.py --image CCWBOOT_IMG --mkdisk MKDISK --assets DIR
                 [--qemu BINARY] [--qemu-data DIR] [--screen FILE] [--timeout S]

Steps: at the menu, type "xyz" and erase it with Ctrl-U, then "e 2" Enter;
in the editor append " tmux.word=1", Home, Right x 33, Ctrl-W (deletes
"ccwboot.entry=2 "), type "zz" and erase it with two Backspaces, Left then
Right; the screen must show the edited line with tmux's cursor on the
column the editor put it; Enter; /proc/cmdline must be exactly the edited
line. --screen saves the editor's screen (the README's capture).
Exit 0 = pass.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from linux_boot import Fail, make_disk, missing_input  # noqa: E402

WANT = "console=ttysclp0 ccwboot.disk=a tmux.word=1"


class Tmux:
    def __init__(self, socket: str):
        self.socket = socket

    def __call__(self, *args: str, check: bool = True) -> str:
        p = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True)
        if check and p.returncode != 0:
            raise Fail("tmux %s: %s" % (" ".join(args), p.stderr.strip()))
        return p.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "menu")

    def history(self) -> str:
        return self("capture-pane", "-p", "-J", "-S", "-2000", "-t", "menu")

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", "menu", *keys)

    def text(self, s: str) -> None:
        self("send-keys", "-t", "menu", "-l", s)

    def wait_for(self, text: str, timeout: float, whole: bool = False) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.history() if whole else self.screen()
            if text in s:
                return s
            time.sleep(0.2)
        raise Fail("never saw %r; screen:\n%s" % (text, self.history()[-3000:]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--image", required=True)
    ap.add_argument("--mkdisk", required=True)
    ap.add_argument("--assets", required=True, type=Path)
    ap.add_argument("--qemu", default=os.environ.get("CCWBOOT_QEMU", "qemu-system-s390x"),
                    help="QEMU to run (default: $CCWBOOT_QEMU, as ccwboot_add_qemu_test sets it)")
    ap.add_argument("--qemu-data")
    ap.add_argument("--screen", type=Path, help="save the editor's screen here")
    ap.add_argument("--timeout", type=float, default=180.0)
    a = ap.parse_args()
    missing = missing_input(a)
    if missing:
        print("FAIL menu/tmux: %s" % missing)
        return 1
    tmux = Tmux("ccwboot-menu-%d" % os.getpid())
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ccwboot-tmux-") as t:
        try:  # ECKD LDL: the entries' names are in the menu
            disk = make_disk(a.mkdisk, a.assets, Path(t) / "d.img", "a", layout="eckd-ldl")
        except Fail as e:
            print("FAIL menu/tmux: %s" % e)
            return 1
        qemu = [a.qemu, "-M", "s390-ccw-virtio", "-nodefaults", "-nographic", "-no-reboot",
                "-m", "512", "-bios", a.image, "-chardev", "stdio,id=c0",
                "-device", "sclpconsole,chardev=c0",
                "-drive", "file=%s,format=raw,if=none,id=d0" % disk,
                "-device", "virtio-blk-ccw,drive=d0,devno=fe.0.0001,bootindex=1",
                "-boot", "menu=on,splash-time=60000"]
        if a.qemu_data:
            qemu += ["-L", a.qemu_data]
        try:
            # A fixed 100x40 terminal that stays after QEMU exits, for the last capture.
            tmux("-f", "/dev/null", "new-session", "-d", "-s", "menu", "-x", "100", "-y", "40",
                 " ".join(shlex.quote(c) for c in qemu) + "; sleep 600")
            tmux.wait_for("Please choose", a.timeout)
            time.sleep(0.3)
            tmux.text("xyz")
            tmux.wait_for("boot>  xyz", 20)
            tmux.keys("C-u")
            time.sleep(0.3)
            if "boot>  xyz" in tmux.screen():
                raise Fail("Ctrl-U did not clear the answer:\n" + tmux.screen())
            tmux.text("e 2")
            tmux.keys("Enter")
            tmux.wait_for("kernel parameters of 0.0.0001 entry 2", 30)
            tmux.text(" tmux.word=1")
            tmux.keys("Home")
            for _ in range(33):
                tmux.keys("Right")
            tmux.keys("C-w")
            tmux.text("zz")
            tmux.keys("BSpace", "BSpace", "Left", "Right")
            screen = tmux.wait_for(">  " + WANT, 20)
            cursor = tmux("display-message", "-p", "-t", "menu", "#{cursor_x}").strip()
            # Prompt "> ", the window's left margin column, 17 characters before the cursor.
            if cursor != str(2 + 1 + 17):
                raise Fail("tmux's cursor is at column %s, the editor's is 20:\n%s" % (cursor, screen))
            if a.screen:
                a.screen.write_text("\n".join(l.rstrip() for l in screen.rstrip().split("\n")) + "\n")
            tmux.keys("Enter")
            hist = tmux.wait_for("ccwboot-initrd: cmdline:", a.timeout, whole=True)
            m = re.search(r"ccwboot-initrd: cmdline: (.*)", hist)
            got = m.group(1).strip() if m else None
            if got != WANT:
                raise Fail("/proc/cmdline is %r, expected %r" % (got, WANT))
            if "with edited parameters: " + WANT not in hist:
                raise Fail("the console does not state the edited line before the jump")
        except Fail as e:
            print("FAIL menu/tmux: %s" % e)
            return 1
        finally:
            tmux("kill-server", check=False)
    print("PASS menu/tmux: %.1f s" % (time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
