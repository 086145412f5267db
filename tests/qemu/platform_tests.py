#!/usr/bin/env python3
"""QEMU TCG (and one Hercules) tests of the image's platform layer.

    platform_tests.py --image-dir BUILD_S390X CASE

Cases:
  no_device       no disk -> kNoBootDevice message and its wait PSW
  no_console      no SCLP console device -> kConsoleFailed wait PSW
  loadparm        LOADPARM=[...] from SCP info (no IPLB) and from the IPLB
  virtio_disk     one blank virtio-blk-ccw disk -> found, devno and CU 3832
                  printed, then a virtio/boot-map code (VIRTIO_BLANK_DISK_CODES)
  bootindex       two disks, bootindex on the second -> the second is chosen
  boot_chain      eight bootindex disks: QEMU 9.2+'s chain in bootindex order, below the image
  ssid1           a disk at devno fe.1.0005, no bootindex -> found by the scan
  memory          the image starts with -m 128, 256, 4096 (different load bases)
  unpacked        ccwboot-unpacked.img (the image without the unpacking stub) is a
                  -bios image too: QEMU relocates it, kNoBootDevice
  unpack_damaged  ccwboot.img with one byte of its packed payload changed: the stub
                  stops in kUnpackFailed before any console line
  handoff_qemu    handoff-selftest.img: with the prefix moved, writes a payload at
                  absolute 0x800 (AbsoluteMemory) and prints (service signal
                  under the moved prefix); diag 308 + trampoline reach it
  hercules_smoke  ipl ccwboot.ins in Hercules with a dasdinit volume: console
                  visible, DASD found (CU 3990), ends in a ccwboot wait code,
                  never a program-interrupt loop
  hercules_esa_mode ARCHMODE ESA/390: the entry stub stops in kNoZArchitecture
  hercules_handoff  handoff-selftest.ins in Hercules: ESA/390 fallback reaches
                  the payload
Exit status 0 = pass; failures print what was expected and the console.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qemu_run import (raw_disk, run_qemu, virtio_disk, wait_code_by_name,  # noqa: E402
                      wait_code_names, qemu_version, qemu_version_text)

# How a blank (zeroed) virtio disk ends once the device is found: in one of
# the virtio path's boot-map codes (0x03xx).
VIRTIO_BLANK_DISK_CODES = range(0x0300, 0x0400)

DISABLED_WAIT_MASK = 0x0002000180000000


class Failure(Exception):
    pass


def check(cond, what, r=None):
    if not cond:
        msg = "FAIL: " + what
        if r is not None:
            msg += "\n--- %s\n--- console:\n%s\n--- stderr:\n%s" % (r.summary(), r.console, r.stderr)
        raise Failure(msg)


def expect_wait(r, name):
    code = wait_code_by_name(name)
    check(r.ended == "wait", "run ended in a disabled wait (got %s)" % r.ended, r)
    check(r.psw == (DISABLED_WAIT_MASK, 0xCB0000 | code),
          "PSW is 0x%016x 0x%016x" % (DISABLED_WAIT_MASK, 0xCB0000 | code), r)
    msg = wait_info_message(name)
    check(("ccwboot: " + msg) in r.console, "console says '%s'" % msg, r)


def wait_info_message(name):
    text = (Path(__file__).resolve().parents[2] / "include/ccwboot/wait_codes.h").read_text()
    m = re.search(r"X\(%s,\s*0x[0-9a-fA-F]+,\s*\"([^\"]*)\"" % name, text)
    if not m:
        raise Failure("wait code %s not in wait_codes.h" % name)
    return m.group(1)


def expect_found(r, devno, why=None):
    # e.g. "ccwboot: boot device 0.0.0007 (subchannel 0.0.0000, <why>): CU 3832-02, ..."
    m = re.search(r"ccwboot: boot device (\S+) \(subchannel (\S+), ([^)]*)\): CU ([0-9a-f]{4})",
                  r.console)
    check(m is not None, "a 'boot device' line", r)
    check(m.group(1) == devno, "boot device %s (got %s)" % (devno, m.group(1)), r)
    if why:
        check(why in m.group(3), "device chosen '%s' (got '%s')" % (why, m.group(3)), r)
    return m


def expect_loadparm(r):
    check(r.console.startswith("LOADPARM=["), "console starts with LOADPARM=[", r)


def case_no_device(a, tmp):
    r = run_qemu(a.image, [], timeout_s=a.timeout)
    expect_loadparm(r)
    check("LOADPARM=[        ]" in r.console, "blank loadparm", r)
    check("relocated by the loader" in r.console, "QEMU applied the relocations", r)
    expect_wait(r, "kNoBootDevice")


def case_terminal_only(a, tmp):
    # A 3270 terminal (CU 3274) is a channel device but no boot device: the
    # scan looks at it with SENSE ID and passes over it.
    r = run_qemu(a.image, ["-chardev", "null,id=t0",
                           "-device", "x-terminal3270,chardev=t0,devno=fe.0.0007"],
                 timeout_s=a.timeout)
    check("boot device" not in r.console.split("no bootable device")[0],
          "the terminal is not taken as the boot device", r)
    expect_wait(r, "kNoBootDevice")


def case_no_console(a, tmp):
    # No sclpconsole, -nodefaults: the SCLP accepts neither console event type.
    from qemu_run import QEMU  # noqa: F401  (same binary as run_qemu)
    args = ["-M", "s390-ccw-virtio", "-nodefaults", "-nographic", "-no-reboot", "-m", "256",
            "-bios", a.image, "-d", "guest_errors"]
    r = run_qemu(a.image, machine_args=args, timeout_s=a.timeout)
    check(r.ended == "wait" and r.wait_name == "kConsoleFailed",
          "ends in kConsoleFailed (0x0109) without any console", r)


def case_loadparm(a, tmp):
    # Machine loadparm without a boot device: no IPLB, so it comes from SCLP
    # Read SCP Info; with a bootindex device it comes from the IPLB.
    base = ["-nodefaults", "-nographic", "-no-reboot", "-m", "256", "-bios", a.image,
            "-chardev", "stdio,id=c0", "-device", "sclpconsole,chardev=c0", "-d", "guest_errors"]
    r = run_qemu(a.image, machine_args=["-M", "s390-ccw-virtio,loadparm=ABC1", *base],
                 timeout_s=a.timeout)
    check(r.console.startswith("LOADPARM=[ABC1    ]"), "LOADPARM=[ABC1    ] from SCP info", r)
    disk = raw_disk(tmp / "lp.raw", 10)
    r = run_qemu(a.image, machine_args=["-M", "s390-ccw-virtio,loadparm=7", *base,
                                        *virtio_disk(disk, devno="fe.0.0003", bootindex=1)],
                 timeout_s=a.timeout)
    check(r.console.startswith("LOADPARM=[7       ]"), "LOADPARM=[7       ] with an IPLB", r)
    expect_found(r, "0.0.0003", "IPL parameter block")


def case_virtio_disk(a, tmp):
    disk = raw_disk(tmp / "blank.raw", 10)
    r = run_qemu(a.image, virtio_disk(disk, devno="fe.0.0007"), timeout_s=a.timeout)
    expect_loadparm(r)
    m = expect_found(r, "0.0.0007", "scan")
    check(m.group(4) == "3832", "CU type 3832 printed", r)
    ok = r.ended == "wait" and r.wait_code in VIRTIO_BLANK_DISK_CODES
    check(ok, "ends in a 0x03xx virtio/boot-map code", r)
    msg = wait_info_message(r.wait_name)
    check(("ccwboot: " + msg) in r.console, "console names the error '%s'" % msg, r)


def case_bootindex(a, tmp):
    d1 = raw_disk(tmp / "first.raw", 10)
    d2 = raw_disk(tmp / "second.raw", 10)
    args = virtio_disk(d1, devno="fe.0.0002") + virtio_disk(d2, devno="fe.0.0009", bootindex=1)
    r = run_qemu(a.image, args, timeout_s=a.timeout)
    expect_found(r, "0.0.0009", "IPL parameter block")
    # Control: without bootindex the scan picks the first subchannel instead,
    # so the test above can tell the IPLB was honoured.
    args = virtio_disk(d1, devno="fe.0.0002") + virtio_disk(d2, devno="fe.0.0009")
    r = run_qemu(a.image, args, timeout_s=a.timeout)
    expect_found(r, "0.0.0002", "scan")


def case_boot_chain(a, tmp):
    # Eight bootindex disks (devnos in reverse of bootindex order) and one
    # without. QEMU 9.2+ passes all eight (diag 308 + a chain of seven just
    # below the firmware's entry page): tried in bootindex order, the disk
    # without bootindex never; the chain lies below the image, not on it.
    # QEMU 7.2 passes the first only: it goes first, then the scan's disks.
    args = []
    for i in range(8):
        args += virtio_disk(raw_disk(tmp / ("b%d.raw" % i), 1), devno="fe.0.%04x" % (0x10 - i),
                            bootindex=i + 1)
    args += virtio_disk(raw_disk(tmp / "none.raw", 1), devno="fe.0.0001")
    r = run_qemu(a.image, args, timeout_s=a.timeout * 2)
    tried = re.findall(r"ccwboot: boot device 0\.0\.(\w{4}) ", r.console)
    if qemu_version() >= (9, 2):
        check(tried == ["%04x" % (0x10 - i) for i in range(8)],
              "eight devices in bootindex order, none other (got %s)" % tried, r)
        m = re.search(r"QEMU passed 8 boot devices .*blocks at 0x([0-9a-f]+)-0x([0-9a-f]+)", r.console)
        check(m is not None, "the chain of IPL parameter blocks reported", r)
        fw = int(re.search(r"firmware at 0x([0-9a-f]+)", r.console).group(1), 16)
        lo, hi = int(m.group(1), 16), int(m.group(2), 16)
        check(hi - lo == 7 * 4096, "seven chained blocks", r)
        check(hi <= fw, "chain 0x%x-0x%x below the firmware at 0x%x" % (lo, hi, fw), r)
        check(fw - lo <= 3 << 20, "chain inside the 3 MiB window's neighbourhood", r)
    else:
        # Subchannels follow the definition order; the order holds 8 devices.
        check(tried == ["%04x" % (0x10 - i) for i in range(8)],
              "bootindex=1 first, then the scan's disks up to eight (got %s)" % tried, r)
        check("from the IPL parameter block" in r.console and "found by the scan" in r.console,
              "the first from the IPLB, the others from the scan", r)
    check(r.wait_name == "kZiplNoBootMap", "ends in the last blank disk's code", r)


def case_ssid1(a, tmp):
    disk = raw_disk(tmp / "ss1.raw", 10)
    r = run_qemu(a.image, virtio_disk(disk, devno="fe.1.0005"), timeout_s=a.timeout)
    expect_found(r, "0.1.0005", "scan")


def firmware_base(memory_mb):
    # QEMU's firmware window: 2 MiB below min(RAM, 2 GiB), 3 MiB from 9.2 on.
    window = (3 if qemu_version() >= (9, 2) else 2) << 20
    return (min(memory_mb << 20, 2 << 30) - window) & ~0xFFFF


def case_memory(a, tmp):
    # 7.2: 0x7e00000, 0xfe00000, 0x7fe00000; 10.0: 0x7d00000, 0xfd00000, 0x7fd00000.
    for mb in (128, 256, 4096):
        base = firmware_base(mb)
        r = run_qemu(a.image, [], memory_mb=mb, timeout_s=a.timeout)
        check("%d MiB storage" % mb in r.console, "-m %d: storage size reported" % mb, r)
        check("firmware at 0x%x" % base in r.console, "-m %d: loaded at 0x%x" % (mb, base), r)
        expect_wait(r, "kNoBootDevice")


def case_unpacked(a, tmp):
    img = Path(a.image_dir) / "ccwboot-unpacked.img"
    r = run_qemu(str(img), [], timeout_s=a.timeout)
    check("relocated by the loader" in r.console, "QEMU applied the relocations", r)
    expect_wait(r, "kNoBootDevice")


def case_unpack_damaged(a, tmp):
    data = bytearray(Path(a.image).read_bytes())
    desc = data.rfind(b"CCWLZ1\0\0")  # the last: the stub's code holds the magic too
    check(desc > 0, "ccwboot.img holds a CLZ1 payload (src/platform/s390x/unpack)")
    stream = int.from_bytes(data[desc + 60:desc + 64], "big")
    data[desc + 64 + stream // 2] ^= 0x10  # one bit in the middle of the stream
    bad = tmp / "damaged.img"
    bad.write_bytes(data)
    r = run_qemu(str(bad), [], timeout_s=a.timeout)
    code = wait_code_by_name("kUnpackFailed")
    check(r.ended == "wait" and r.psw == (DISABLED_WAIT_MASK, 0xCB0000 | code),
          "disabled wait 0x%016x 0x%016x" % (DISABLED_WAIT_MASK, 0xCB0000 | code), r)
    check("ccwboot:" not in r.console, "the image itself never ran", r)


def case_handoff_qemu(a, tmp):
    img = Path(a.image_dir) / "handoff-selftest.img"
    # One channel device, subchannel 0.0000: the handoff enables it as an IPL
    # leaves the IPL subchannel, so it must exist.
    r = run_qemu(str(img), ["-chardev", "null,id=t0",
                            "-device", "x-terminal3270,chardev=t0,devno=fe.0.0007"],
                 timeout_s=a.timeout)
    check("handoff selftest" in r.console, "self-test image ran", r)
    check("prefix mapping checked" in r.console,
          "AbsoluteMemory and the console worked with a moved prefix", r)
    # The payload's wait PSW carries the subsystem-id word read from 0xB8.
    check(r.ended == "wait" and r.psw is not None and r.psw[1] == 0x00010000,
          "payload's disabled wait with address 0x10000 (schid from 0xB8)", r)
    check("no diag 308 here" not in r.console, "QEMU used diag 308, not the fallback", r)
    # The boot menu's DASD entry delivery: diag 308 set, then Read SCP Info
    # returns loadparm 7, where zipl's stage 2 reads it.
    check("loadparm 7 set for the IPL of 0.0.0007" in r.console
          and "menu loadparm: kNone" in r.console,
          "QEMU took loadparm 7 for zipl's stage 2 (diag 308 set, Read SCP Info)", r)


# --- Hercules -------------------------------------------------------------

HERC_CNF = """ARCHMODE z/Arch
MAINSIZE 64
NUMCPU 1
PANRATE SLOW
0120 3390 vol.3390
"""


def run_hercules(ins: Path, tmp: Path, timeout: float, archmode: str = "z/Arch"):
    if shutil.which("hercules") is None or shutil.which("dasdinit") is None:
        raise Failure("FAIL: hercules/dasdinit not installed (apt-get install hercules)")
    work = tmp / "herc"
    work.mkdir()
    subprocess.run(["dasdinit", "vol.3390", "3390", "VOL001", "1"], cwd=work, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    name = ins.stem
    for ext in (".ins", ".bin", ".psw"):
        shutil.copy(ins.with_suffix(ext), work / (name + ext))
    (work / "herc.cnf").write_text(HERC_CNF.replace("z/Arch", archmode))
    (work / "herc.rc").write_text(
        "hao tgt HHCCP0(11I|16I|27E|29E|30E)\nhao cmd quit\nipl %s.ins\n" % name)
    env = dict(os.environ, HERCULES_RC="herc.rc")
    try:
        p = subprocess.run(["hercules", "-f", "herc.cnf", "-d"], cwd=work, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        log = (p.stdout + p.stderr).decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        log = ((e.stdout or b"") + (e.stderr or b"")).decode("utf-8", "replace")
        raise Failure("FAIL: Hercules did not stop within %ss\n%s" % (timeout, log))
    return log


def herc_wait_psw(log):
    i = log.find("HHCCP011I")
    if i < 0:
        return None
    m = re.search(r"PSW=((?:[0-9A-F]{8}\s?){2}(?:[0-9A-F]{16})?)", log[i:])
    return m.group(1).split() if m else None


def case_hercules_smoke(a, tmp):
    log = run_hercules(Path(a.image_dir) / "ccwboot.ins", tmp, a.timeout)
    check("HHCCP016I" not in log, "no program-interrupt loop:\n" + log)
    check("LOADPARM=[" in log, "console output visible in the Hercules log:\n" + log)
    check("relocated by itself" in log, "raw-loaded image relocated itself:\n" + log)
    check(re.search(r"boot device 0\.0\.0120 .*CU 3990", log) is not None,
          "DASD 0120 found with CU 3990:\n" + log)
    psw = herc_wait_psw(log)
    check(psw is not None, "ended in a disabled wait (HHCCP011I):\n" + log)
    addr = int(psw[-1], 16)
    check(addr & 0xFFFF0000 == 0xCB0000, "wait address is a ccwboot code (got %s)\n%s" % (psw, log))
    name = wait_code_names().get(addr & 0xFFFF)
    check(name is not None, "wait code 0x%04x is in wait_codes.h" % (addr & 0xFFFF))
    # A dasdinit volume carries no IPL program: whatever the DASD path does with
    # it must be one of its named errors.
    check(("ccwboot: " + wait_info_message(name)) in log, "console names %s:\n%s" % (name, log))


def case_hercules_handoff(a, tmp):
    log = run_hercules(Path(a.image_dir) / "handoff-selftest.ins", tmp, a.timeout)
    check("HHCCP016I" not in log, "no program-interrupt loop:\n" + log)
    check("no diag 308 here" in log, "fallback announced on the console:\n" + log)
    check("prefix mapping checked" in log, "moved-prefix checks passed:\n" + log)
    # Hercules keeps its own loadparm: the boot menu could not hand a DASD
    # entry to zipl's stage 2 and must say so by name.
    check("menu loadparm: kMenuLoadparmNotDelivered" in log,
          "the loadparm that did not take is named:\n" + log)
    psw = herc_wait_psw(log)
    check(psw is not None and psw[:2] == ["000A0000", "00010000"],
          "payload's ESA/390 wait PSW 000A0000 00010000 (got %s):\n%s" % (psw, log))


def case_hercules_esa_mode(a, tmp):
    # ARCHMODE ESA/390: SIGP set-architecture is refused; the ESA/390 entry
    # stub must stop in its own wait code instead of running 64-bit code.
    log = run_hercules(Path(a.image_dir) / "ccwboot.ins", tmp, a.timeout, "ESA/390")
    check("HHCCP016I" not in log, "no program-interrupt loop:\n" + log)
    psw = herc_wait_psw(log)
    code = wait_code_by_name("kNoZArchitecture")
    check(psw is not None and psw[:2] == ["000A0000", "80CB%04X" % code],
          "ESA/390 wait PSW 000A0000 80CB%04X (got %s):\n%s" % (code, psw, log))


CASES = {n[5:]: f for n, f in globals().items() if n.startswith("case_")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--image-dir", required=True, help="build directory of the s390x preset")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    a.image = str(Path(a.image_dir) / "ccwboot.img")
    if not Path(a.image).exists():
        print("FAIL: %s missing: build the s390x preset first" % a.image)
        return 1
    with tempfile.TemporaryDirectory() as t:
        try:
            CASES[a.case](a, Path(t))
        except Failure as f:
            print(f)
            return 1
    print("PASS: %s (%s)" % (a.case, qemu_version_text()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
