#!/usr/bin/env python3
"""Network boot against a peer we control (tests/linux/net_peer.py) instead of
QEMU's user network: option 66 as a host name resolved by DNS, windowsize,
and the pxelinux.cfg/ lookup order as the TFTP server sees it.

    net_peer_boot.py --case NAME --bios ccwboot|qemu --image CCWBOOT_IMG
                     --mkdisk MKDISK --assets DIR [--timeout S]

Each run stops once the kernel prints its command line (the entry that was
loaded is in it), so a case costs the firmware's part and the kernel's first
second, not a whole boot. Cases:

  dns            option 66 is a host name, siaddr is 0: the firmware asks the
                 name server of option 6 and loads pxe.cfg, kernel and initrd
                 from the address it answers. ccwboot: blksize 1468 and
                 windowsize 16 granted, one ACK per window (peer's count)
  dns_fail       the name server answers NXDOMAIN: ccwboot names kNetDnsFailed
                 and boots the disk the scan finds; QEMU's bios loads nothing
  dns_silent     the name server never answers: ccwboot asks twice (1 s, then
                 2 s), names kNetDnsFailed within its 6 s and boots the disk
  window         no option 66; the peer grants at most blksize 1024 and
                 windowsize 4: ccwboot takes what is granted, one ACK per 4 blocks
  pxelinux_order -uuid, the boot file is the folder `s390x/` and only
                 s390x/pxelinux.cfg/default exists: the names the peer is asked
                 for, in order, are s390x/pxelinux.cfg/ + the UUID, 01-<mac>,
                 the address in hex with 8..1 digits, default (both firmwares)
  pxelinux_prefix no -uuid, the boot file is `pxelinux.cfg/` (ccwboot: the
                 directory itself), which holds 0A0003 and default: the lookup
                 starts at 01-<mac> and stops at the 6-digit prefix, which boots

Missing assets, mkdisk or image are a failure, never a skip.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "qemu"))
import net_peer  # noqa: E402
import qemu_run  # noqa: E402
from linux_boot import (MEMORY_MB, Fail, case_arguments, check_case_inputs, make_disk,  # noqa: E402
                        run_in_work_dir)
from net_boot import pxelinux_cfg, tftp_dir  # noqa: E402
from net_peer import NetPeer  # noqa: E402
from qemu_run import qemu_command, virtio_disk  # noqa: E402

PARM = "console=ttysclp0 ccwboot.entry=%d ccwboot.net=%s"
UUID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
MAC_NAME = "01-52-54-00-12-34-56"  # net_peer's netdev_args() gives the device this MAC
CLIENT_HEX = "0A00030F"  # net_peer.CLIENT, 10.0.3.15
SERVER_NAME = "boot.example.test"
CMDLINE = "Kernel command line:"


class Run:
    def __init__(self, console: str, elapsed: float, ended: str, psw, wait_name):
        self.console, self.elapsed_s, self.ended = console, elapsed, ended
        self.psw, self.wait_name = psw, wait_name

    def summary(self) -> str:
        s = "%s after %.1f s" % (self.ended, self.elapsed_s)
        if self.wait_name:
            s += " (%s)" % self.wait_name
        return s


def run_until(bios: str, extra: list[str], stop: str, timeout: float) -> Run:
    """Runs QEMU until a console line holds `stop` (then kills it), QEMU exits
    (a disabled wait), or `timeout` passes."""
    cmd = qemu_command(bios, extra, MEMORY_MB)
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    out, ended = [], "exit"
    try:
        for raw in p.stdout:
            line = raw.decode("utf-8", "replace")
            out.append(line)
            if stop in line:
                ended = "stopped at %r" % stop
                p.kill()
                break
        p.wait()
    finally:
        timer.cancel()
        p.stdout.close()
    elapsed = time.monotonic() - start
    if ended == "exit" and elapsed >= timeout:
        ended = "timeout"
    text = "".join(out)
    psw = wait_name = None
    m = re.search(r"disabled-wait.*?PSW:\s*0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)", text, re.S)
    if m:
        psw = (int(m.group(1), 16), int(m.group(2), 16))
        if psw[1] & 0xFFFFFFFFFFFF0000 == qemu_run.WAIT_BASE:
            wait_name = qemu_run.wait_code_names().get(psw[1] & 0xFFFF)
    return Run(text.split("Guest crashed on cpu")[0], elapsed, ended, psw, wait_name)


def kernel_cmdline(r: Run) -> str:
    m = re.search(r"Kernel command line: (.*)", r.console)
    if not m:
        raise Fail("the kernel never printed its command line (%s)\n%s"
                   % (r.summary(), r.console[-1500:]))
    return m.group(1).strip()


def expect_cmdline(r: Run, want: str) -> None:
    cl = kernel_cmdline(r)
    if want not in cl:
        raise Fail("wrong entry booted: command line %r, expected %r" % (cl, want))


def expect_text(r: Run, *texts: str) -> None:
    for t in texts:
        if t not in r.console:
            raise Fail("console lacks %r (%s)\n%s" % (t, r.summary(), r.console[-1500:]))


def sent(peer: NetPeer, name: str) -> dict:
    done = peer.find("tftp", file=name, result="sent")
    if not done:
        raise Fail("the peer never finished sending %s: %s" % (name, peer.events))
    return done[-1]


def asked_names(peer: NetPeer) -> list[str]:
    return [e["file"] for e in peer.events if e["what"] in ("rrq", "tftp") and "asked" in e]


def expect_order(peer: NetPeer, want: list[str]) -> None:
    got: list[str] = []
    for n in asked_names(peer):
        # The same name again right away is a retry after a slow answer, not a step.
        if "pxelinux.cfg/" in n and (not got or got[-1] != n):
            got.append(n)
    if got[:len(want)] != want:
        raise Fail("pxelinux.cfg/ lookup order %s, expected %s" % (got, want))


def run_case(a, work: Path) -> str:
    ours = a.bios == "ccwboot"
    bios = a.image if ours else a.qemu_bios
    d = tftp_dir(a.assets, work)
    sock = work / "peer.sock"
    log_lines: list[str] = []
    peer_args: dict = {"log": log_lines.append}
    extra: list[str] = []
    case = a.case
    notes = ""

    def pxe(tag: str) -> str:
        return pxelinux_cfg(PARM % (1, tag), PARM % (2, tag))

    if case in ("dns", "dns_fail", "dns_silent"):
        (d / "pxe.cfg").write_text(pxe("dns"))
        peer_args.update(bootfile="pxe.cfg", server_name=SERVER_NAME,
                         dns_mode={"dns": "answer", "dns_fail": "nxdomain"}.get(case, "silent"))
        if case != "dns":
            disk = make_disk(a.mkdisk, a.assets, work / "d.img", "disk")
            extra = virtio_disk(str(disk), devno="fe.0.0001")
    elif case == "window":
        (d / "pxe.cfg").write_text(pxe("window"))
        peer_args.update(bootfile="pxe.cfg", blksize_max=1024, window_max=4)
    elif case == "pxelinux_order":
        cfg = d / "s390x" / "pxelinux.cfg"
        cfg.mkdir(parents=True)
        (cfg / "default").write_text(pxe("default"))
        extra = ["-uuid", UUID]
        peer_args.update(bootfile="s390x/")
    elif case == "pxelinux_prefix":
        cfg = d / "pxelinux.cfg"
        cfg.mkdir()
        (cfg / "default").write_text(pxe("default"))
        (cfg / CLIENT_HEX[:6]).write_text(pxe("prefix"))
        peer_args.update(bootfile="pxelinux.cfg/")
    else:
        raise Fail("unknown case %r" % case)

    peer = NetPeer(sock, d, **peer_args)
    peer.start()
    try:
        r = run_until(bios, peer.netdev_args() + extra, CMDLINE, a.timeout)
    finally:
        peer.stop()
    if peer.error:
        raise Fail("the peer failed: %s" % peer.error)
    try:
        if case == "dns":
            expect_cmdline(r, PARM % (1, "dns"))
            if not peer.find("dns", name=SERVER_NAME, answer=net_peer.TFTP_SERVER):
                raise Fail("no DNS query for %s reached the peer: %s" % (SERVER_NAME, peer.events))
            k = sent(peer, "vmlinuz")
            sent(peer, "initrd.img")
            notes = "kernel: blksize %d, windowsize %d, %d ACKs for %d blocks, %d resent" % (
                k["blksize"], k["windowsize"], k["acks"], k["blocks"], k["resent"])
            if ours:
                expect_text(r, "TFTP server %s (%s)" % (SERVER_NAME, net_peer.TFTP_SERVER),
                            "(block 1468, window 16,")
                # About one ACK per window of 16, not one per block. A loaded
                # machine adds ACKs after timeouts; a lock-step client sends one per block.
                if k["blksize"] != 1468 or k["windowsize"] != 16 or k["acks"] > k["blocks"] // 2:
                    raise Fail("windowsize not in use: %s" % notes)
        elif case == "dns_fail":
            if peer.find("rrq") or peer.find("tftp"):
                raise Fail("a file was asked for though the name did not resolve: %s" % peer.events)
            if not peer.find("dns", name=SERVER_NAME, answer="NXDOMAIN"):
                raise Fail("no DNS query reached the peer: %s" % peer.events)
            if ours:
                expect_text(r, "net: DNS: no address for '%s' (response code 3)" % SERVER_NAME,
                            "not booted: ")
                if "(0x%04x)" % qemu_run.wait_code_by_name("kNetDnsFailed") not in r.console:
                    raise Fail("the fallback line does not name kNetDnsFailed")
                expect_cmdline(r, "ccwboot.entry=1 ccwboot.disk=disk")
            elif CMDLINE in r.console or r.psw is None:
                raise Fail("QEMU's bios did not stop though the name did not resolve (%s)"
                           % r.summary())
        elif case == "dns_silent":
            if peer.find("rrq") or peer.find("tftp"):
                raise Fail("a file was asked for though the name did not resolve: %s" % peer.events)
            queries = peer.find("dns", name=SERVER_NAME)
            expect_text(r, "net: DNS: no answer for '%s' from 1 name server" % SERVER_NAME,
                        "(0x%04x)" % qemu_run.wait_code_by_name("kNetDnsFailed"))
            expect_cmdline(r, "ccwboot.entry=1 ccwboot.disk=disk")
            # Two rounds over the one server; the 6 s bound stops a third.
            if len(queries) != 2 or not 0.8 <= queries[1]["t"] - queries[0]["t"] < 5.0:
                raise Fail("expected 2 queries 1 s apart: %s" % queries)
            notes = "%d queries, %.1f s apart" % (len(queries), queries[1]["t"] - queries[0]["t"])
        elif case == "window":
            expect_cmdline(r, PARM % (1, "window"))
            k = sent(peer, "vmlinuz")
            notes = "kernel: blksize %d, windowsize %d, %d ACKs for %d blocks, %d resent" % (
                k["blksize"], k["windowsize"], k["acks"], k["blocks"], k["resent"])
            expect_text(r, "(block 1024, window 4,")
            if k["blksize"] != 1024 or k["windowsize"] != 4 or k["acks"] > k["blocks"] // 2:
                raise Fail("the granted window is not in use: %s" % notes)
        elif case == "pxelinux_order":
            hexes = [CLIENT_HEX[:n] for n in range(8, 0, -1)]
            want = ["s390x/pxelinux.cfg/" + n for n in [UUID, MAC_NAME, *hexes, "default"]]
            expect_order(peer, want)
            expect_cmdline(r, PARM % (1, "default"))
            notes = "%d names asked" % len(want)
        elif case == "pxelinux_prefix":
            want = ["pxelinux.cfg/" + n for n in [MAC_NAME, CLIENT_HEX, CLIENT_HEX[:7],
                                                  CLIENT_HEX[:6]]]
            expect_order(peer, want)
            if "pxelinux.cfg/default" in asked_names(peer):
                raise Fail("default was asked for after a prefix matched")
            expect_cmdline(r, PARM % (1, "prefix"))
    except Fail as e:
        raise Fail("%s\npeer log:\n  %s" % (e, "\n  ".join(log_lines)))
    return "%s%s" % (r.summary(), "; " + notes if notes else "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    case_arguments(ap, timeout=120.0)
    a = ap.parse_args()
    if not check_case_inputs(a):
        return 1
    start = time.monotonic()
    try:
        summary = run_in_work_dir(a, run_case, "ccwboot-peer-")
    except Fail as e:
        print("FAIL %s/%s: %s" % (a.bios, a.case, e))
        return 1
    print("PASS %s/%s (%s, %.1f s): %s" % (a.bios, a.case, qemu_run.qemu_version_text(),
                                          time.monotonic() - start, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
