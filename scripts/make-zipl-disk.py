#!/usr/bin/env python3
"""Write a disk with Debian's real zipl (run under qemu-user), the way zipl
writes a DASD or SCSI disk on s390x.

    make-zipl-disk.py --zipl-dir DIR --release bookworm|trixie --layout cdl|ldl|scsi
                      --assets DIR -o DISK.img [--ckd DISK.3390 --flat2ckd BIN]
                      [--no-diag308 [--hercules-linux]] [--report DISK.json]

DIR is what scripts/fetch-zipl.sh leaves (RELEASE/root with zipl and
stage3.bin); --assets what scripts/fetch-debian-kernel.sh leaves (vmlinuz,
initrd.img). The disk gets two boot sections, `debian` (1, the default) and
`rescue` (2), with the kernel and initrd on an ext2 file system and the
parameter line `console=ttysclp0 ccwboot.entry=N ccwboot.disk=zipl-LAYOUT`.

How the real zipl gets to write it (root needed, as for `zipl` itself):
- The flat image is attached to a loop device (the "base disk") and its
  partition to a second loop device at the partition's offset; the file system
  is made on and mounted from the second. zipl is told the base disk and the
  geometry on its command line (--targetbase/--targettype/--targetgeometry/
  --targetblocksize/--targetoffset in zipl.conf), so it needs no DASD ioctls.
  It maps the files' blocks with FIBMAP through the mounted file system and
  writes the IPL records to the base disk, as on a real machine.
- What dasdfmt and fdasd would have written first (they need a real DASD) is
  written here: CDL: the keys of the IPL1/IPL2/VOL1 records, the VOL1 label
  and a VTOC (format-4, format-5 and one format-1 DSCB) naming partition 1 from
  track 2 to the end, as Linux's ibm.c partition reader reads it; LDL: the
  LNX1 label at block 2, partition 1 from block 3; SCSI: a PC partition table
  with one partition at 1 MiB.
- The flat image of a DASD layout is the volume as Linux's dasd driver shows it
  (4 KiB blocks; CDL's special records as key + data, the rest of such a block
  filled with 0xE5 as the driver fills it). --ckd turns it back into the
  Hercules 3390 volume (tools/flat2ckd, the driver's block-to-record mapping).

--no-diag308 uses a copy of zipl's stage3.bin in which the diag 308 probe
(`LGHI R3,6; DIAG R0,R3,0x308`) becomes `LGHI R3,6; LHI R1,0x0102`
("no IPL report", so stage 3 carries on as without secure boot): Hercules 3.13
has no diag 308 and stops there otherwise (shared/docs/zipl-on-dasd.md).

--hercules-linux (with --no-diag308) prepares the disk for a Linux boot that
Hercules 3.13 can show: the parameter line names `console=ttyS0` (the SCLP
line-mode console, which Hercules prints; it drops the VT220 console's output)
and the initrd gets a second cpio archive appended whose /init prints the same
marker and command line as the test initrd's, one line per console write with a
second between them (Hercules prints only the first line of a write), then
powers off. The kernel unpacks both archives; the later /init wins.

--environment (zipl 2.35) gives zipl an environment file to import into the
disk's environment block (`zipl --environment FILE`): a common namespace and
sites 1 and 2 (ENVIRONMENT below), and appends ENV_PARM, which names its
variables as ${NAME}, to every section's parameter line. zipl's stage 3 puts the
values in at IPL, those of the site the loadparm names (`S<n>`) first, then the
common ones; unknown names become empty. (Debian's s390-tools 2.35 package ships
no zipl-editenv; zipl's own import writes the same block.)

--report writes what zipl said it loaded (per section: the components and
their address ranges), the zipl version and the layout, as JSON.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

BLOCK = 4096
HEADS = 15
BLOCKS_PER_TRACK = 12
CYLINDERS = 20  # 3,600 blocks, 14.7 MB: kernel, initrd and bootmap fit with room
SCSI_SIZE = 16 << 20
SCSI_PART_START = 2048  # 512-byte sectors: 1 MiB, where fdisk puts partition 1
VOLSER = "0X0120"  # dasdfmt's default serial for device 0120 (the tests' devno)
PARM = "console=%s ccwboot.entry=%d ccwboot.disk=zipl-%s"
HERCULES_INIT = """#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox echo "ccwboot-initrd: hello from userspace"
/bin/busybox sleep 1
/bin/busybox echo "ccwboot-initrd: cmdline: $(/bin/busybox cat /proc/cmdline)"
/bin/busybox sleep 1
/bin/busybox poweroff -f
"""
SECTIONS = ("debian", "rescue")
# --environment: the file zipl imports (zipl-editenv(8) "FILES": sections
# "[site N]", the part before the first section is the common namespace).
ENVIRONMENT = """# make-zipl-disk.py --environment
SITE=common
WHERE=everywhere
[site 1]
SITE=one
[site 2]
SITE=two
WHERE=only-two
"""
ENV_PARM = " ccwboot.site=${SITE} ccwboot.where=${WHERE} ccwboot.unset=[${UNSET}]"
DIAG308 = bytes.fromhex("A739000683030308")  # LGHI R3,6 ; DIAG R0,R3,0x308
NO_DIAG308 = bytes.fromhex("A7390006A7180102")  # LGHI R3,6 ; LHI R1,0x0102


class Fail(Exception):
    pass


def ebcdic(text: str) -> bytes:
    return text.encode("cp500")


# --- what dasdfmt / fdasd / fdisk would have written ------------------------

def cchh(cyl: int, head: int) -> bytes:
    return struct.pack(">HH", cyl, head)


def extent(typeind: int, seq: int, low: tuple[int, int], high: tuple[int, int]) -> bytes:
    return bytes([typeind, seq]) + cchh(*low) + cchh(*high)


def special(key_and_data: bytes) -> bytes:
    """A CDL special block as the dasd driver reads it: key, data, 0xE5 filler."""
    return key_and_data + b"\xE5" * (BLOCK - len(key_and_data))


def vol1_label(volser: str) -> bytes:
    """The 80-byte VOL1 record data (after its 4-byte key 'VOL1')."""
    d = bytearray(ebcdic(" ") * 80)
    d[0:4] = ebcdic("VOL1")
    d[4:10] = ebcdic(volser.ljust(6))
    d[10] = 0x40                                   # security byte
    d[11:16] = struct.pack(">HHB", 0, 1, 1)        # VTOC at cylinder 0, head 1, record 1
    return bytes(d)


def dscb(key: bytes, fmtid: str, body: dict[int, bytes]) -> bytes:
    """140 bytes: a 44-byte key, the format id at 44, fields at their offsets."""
    d = bytearray(140)
    d[0:len(key)] = key
    d[44] = ebcdic(fmtid)[0]
    for off, value in body.items():
        d[off:off + len(value)] = value
    return bytes(d)


def cdl_vtoc(cylinders: int) -> list[bytes]:
    """The VTOC track's 12 DSCBs: format 4, format 5, format 1 (partition 1), empty."""
    last = (cylinders - 1, HEADS - 1)
    f4 = dscb(b"\x04" * 44, "4", {
        45: struct.pack(">HHB", 0, 1, 3),          # DS4HPCHR: the last format-1 DSCB
        50: struct.pack(">H", BLOCKS_PER_TRACK - 3),  # DS4DSREC: free DSCBs
        62: struct.pack(">HH", cylinders, HEADS),  # DS4DEVSZ
        66: struct.pack(">H", 58786),              # DS4DEVTK: 3390 track length
        74: bytes([BLOCKS_PER_TRACK]),             # DS4DEVDT: DSCBs per track
        105: extent(0x01, 0, (0, 1), (0, 1)),      # DS4VTOCE: the VTOC's own track
    })
    f5 = dscb(b"\x05\x05\x05\x05", "5", {})
    name = ebcdic(("LINUX.V%s.PART0001.NATIVE" % VOLSER).ljust(44))
    f1 = dscb(name, "1", {
        45: ebcdic(VOLSER),                        # DS1DSSN
        51: struct.pack(">H", 1),                  # DS1VOLSQ
        59: bytes([1]),                            # DS1NOEPV: one extent
        82: struct.pack(">H", 0x4000),             # DS1DSORG: physical sequential
        105: extent(0x01, 0, (0, 2), last),        # DS1EXT1: track 2 to the end
    })
    return [f4, f5, f1] + [bytes(140)] * (BLOCKS_PER_TRACK - 3)


def dasd_prelude(layout: str, blocks: int) -> dict[int, bytes]:
    """Block number -> 4 KiB contents written before zipl runs."""
    out: dict[int, bytes] = {}
    if layout == "cdl":
        out[0] = special(ebcdic("IPL1") + bytes(24))
        out[1] = special(ebcdic("IPL2") + bytes(144))
        out[2] = special(ebcdic("VOL1") + vol1_label(VOLSER))
        for i, d in enumerate(cdl_vtoc(blocks // (HEADS * BLOCKS_PER_TRACK))):
            out[BLOCKS_PER_TRACK + i] = special(d)
    else:  # ldl: the LNX1 label (vtoc_volume_label_ldl), partition from block 3
        d = bytearray(BLOCK)
        d[0:4] = ebcdic("LNX1")
        d[4:10] = ebcdic(VOLSER)
        d[10:79] = ebcdic(" ") * 69
        d[79] = 0xF2                               # ldl_version: formatted_blocks is valid
        d[80:88] = struct.pack(">Q", blocks)
        out[2] = bytes(d)
    return out


def mbr(total_sectors: int) -> bytes:
    d = bytearray(512)
    entry = struct.pack("<B3sB3sII", 0, b"\xfe\xff\xff", 0x83, b"\xfe\xff\xff",
                        SCSI_PART_START, total_sectors - SCSI_PART_START)
    d[446:462] = entry
    d[510:512] = b"\x55\xaa"
    return bytes(d)


def newc(name: str, mode: int, data: bytes, ino: int) -> bytes:
    """One entry of a newc cpio archive."""
    name_b = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0)
    out = ("070701" + "".join("%08X" % v for v in fields)).encode() + name_b
    out += b"\0" * (-len(out) % 4) + data
    return out + b"\0" * (-len(out) % 4)


def hercules_initrd(base: bytes) -> bytes:
    """`base` with a gzip'd cpio holding HERCULES_INIT as /init appended."""
    import gzip
    archive = newc("init", 0o100755, HERCULES_INIT.encode(), 2001) + newc("TRAILER!!!", 0, b"", 0)
    archive += b"\0" * (-len(archive) % 512)
    return base + b"\0" * (-len(base) % 4) + gzip.compress(archive, mtime=0)


# --- loop devices, file system, zipl -------------------------------------

def run(cmd: list[str], what: str) -> str:
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise Fail("%s failed (exit %d): %s\n%s%s" % (what, p.returncode, " ".join(cmd),
                                                      p.stdout, p.stderr))
    return p.stdout


def losetup(image: Path, offset: int = 0, size: int | None = None) -> str:
    cmd = ["losetup", "--find", "--show", "--offset", str(offset)]
    if size is not None:
        cmd += ["--sizelimit", str(size)]
    try:
        return run(cmd + [str(image)], "losetup").strip()
    except Fail as e:
        raise Fail("%s\nzipl needs the image on a loop device: run as root on a machine "
                   "with loop devices (docs/zipl-disks.md)" % e) from None


def patched_root(zipl_dir: Path, release: str) -> Path:
    """RELEASE/root-nodiag308: root with stage3.bin's diag 308 probe replaced."""
    base = zipl_dir / release / "root"
    dest = zipl_dir / release / "root-nodiag308"
    with open(zipl_dir / release / ".patch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (dest / ".patched").is_file():
            return dest
        tmp = dest.with_name(dest.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(base, tmp, symlinks=True, copy_function=os.link)
        stages = [p for p in tmp.rglob("stage3.bin") if not p.is_symlink()]
        if len(stages) != 1:
            raise Fail("expected one stage3.bin in %s, found %d" % (base, len(stages)))
        data = stages[0].read_bytes()
        if data.count(DIAG308) != 1:
            raise Fail("%s: the diag 308 probe %s occurs %d times, not once"
                       % (stages[0], DIAG308.hex(), data.count(DIAG308)))
        stages[0].unlink()  # a hard link to the original: write a new file
        stages[0].write_bytes(data.replace(DIAG308, NO_DIAG308))
        (tmp / ".patched").write_text("diag 308 subcode 6 -> LHI R1,0x0102\n")
        shutil.rmtree(dest, ignore_errors=True)
        tmp.rename(dest)
    return dest


def parm(console: str, n: int, layout: str, environment: bool) -> str:
    return PARM % (console, n, layout) + (ENV_PARM if environment else "")


def environment_sections(text: str) -> dict[str, dict[str, str]]:
    """ENVIRONMENT as namespaces: "" (common) and "1".."9", for the report."""
    out: dict[str, dict[str, str]] = {"": {}}
    current = ""
    for line in text.splitlines():
        m = re.match(r"\[site (\d)\]", line)
        if m:
            current = m.group(1)
            out.setdefault(current, {})
        elif "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            out[current][name] = value
    return out


def zipl_conf(mnt: Path, layout: str, base_dev: str, blocks: int, console: str,
              environment: bool = False) -> str:
    if layout == "scsi":
        target = ["targetbase=%s" % base_dev, "targettype=scsi", "targetblocksize=512",
                  "targetoffset=%d" % SCSI_PART_START]
    else:
        offset = 2 * BLOCKS_PER_TRACK if layout == "cdl" else 3
        target = ["targetbase=%s" % base_dev, "targettype=%s" % layout.upper(),
                  "targetgeometry=%d,%d,%d" % (blocks // (HEADS * BLOCKS_PER_TRACK), HEADS,
                                               BLOCKS_PER_TRACK),
                  "targetblocksize=%d" % BLOCK, "targetoffset=%d" % offset]
    lines = ["[defaultboot]", "defaultmenu=menu", ""]
    for n, name in enumerate(SECTIONS, 1):
        lines += ["[%s]" % name, "target=%s" % mnt, *target,
                  "image=%s/vmlinuz" % mnt, "ramdisk=%s/initrd.img" % mnt,
                  'parameters="%s"' % parm(console, n, layout, environment), ""]
    lines += [":menu", "target=%s" % mnt, *target]
    lines += ["%d=%s" % (n, name) for n, name in enumerate(SECTIONS, 1)]
    lines += ["default=1", "prompt=0", "timeout=0", ""]
    return "\n".join(lines)


_COMPONENT_RE = re.compile(r"^\s+([a-z][a-z .]*?)\.*:\s+0x([0-9a-f]+)-0x([0-9a-f]+)\s*$")
_SECTION_RE = re.compile(r"^Adding #(\d+): IPL section '([^']+)'")


def components(zipl_output: str) -> dict[str, list[dict]]:
    """zipl -V's 'component address' lists, per section name."""
    out: dict[str, list[dict]] = {}
    current = None
    for line in zipl_output.splitlines():
        m = _SECTION_RE.match(line)
        if m:
            current = m.group(2)
            out[current] = []
            continue
        m = _COMPONENT_RE.match(line)
        if m and current is not None:
            out[current].append({"name": m.group(1).strip(), "start": int(m.group(2), 16),
                                 "end": int(m.group(3), 16) + 1})
    return out


def make(a) -> dict:
    zipl_dir = a.zipl_dir.resolve()
    rel = zipl_dir / a.release
    if not (rel / "packages").is_file():
        raise Fail("no zipl for %s in %s (run scripts/fetch-zipl.sh %s)"
                   % (a.release, zipl_dir, zipl_dir))
    root = patched_root(zipl_dir, a.release) if a.no_diag308 else rel / "root"
    zipl = root / (rel / "zipl").read_text().strip()
    qemu = shutil.which("qemu-s390x-static") or shutil.which("qemu-s390x")
    if not qemu:
        raise Fail("qemu-s390x-static is not installed (scripts/setup.sh installs qemu-user-static)")
    for f in ("vmlinuz", "initrd.img"):
        if not (a.assets / f).is_file():
            raise Fail("missing %s (run scripts/fetch-debian-kernel.sh %s)" % (a.assets / f, a.assets))

    console = "ttyS0" if a.hercules_linux else "ttysclp0"
    out = a.output.resolve()
    tmp_img = out.with_name(out.name + ".tmp")
    if a.layout == "scsi":
        size, part_off = SCSI_SIZE, SCSI_PART_START * 512
    else:
        size = CYLINDERS * HEADS * BLOCKS_PER_TRACK * BLOCK
        part_off = (2 * BLOCKS_PER_TRACK if a.layout == "cdl" else 3) * BLOCK
    blocks = size // BLOCK
    with open(tmp_img, "wb") as f:
        f.truncate(size)
        if a.layout == "scsi":
            f.write(mbr(size // 512))
        else:
            for b, data in sorted(dasd_prelude(a.layout, blocks).items()):
                f.seek(b * BLOCK)
                f.write(data)

    work = Path(tempfile.mkdtemp(prefix="zipl-disk-"))
    mnt = work / "mnt"
    mnt.mkdir()
    devices: list[str] = []
    mounted = False
    try:
        devices.append(losetup(tmp_img))
        devices.append(losetup(tmp_img, part_off, size - part_off))
        run(["mkfs.ext2", "-q", "-F", "-b", "4096", "-L", "zipl-boot", devices[1]], "mkfs.ext2")
        run(["mount", "-t", "ext2", devices[1], str(mnt)], "mount")
        mounted = True
        shutil.copyfile(a.assets / "vmlinuz", mnt / "vmlinuz")
        initrd = (a.assets / "initrd.img").read_bytes()
        (mnt / "initrd.img").write_bytes(hercules_initrd(initrd) if a.hercules_linux else initrd)
        conf = work / "zipl.conf"
        conf.write_text(zipl_conf(mnt, a.layout, devices[0], blocks, console, a.environment))
        cmd = [qemu, "-L", str(root), str(zipl), "-V", "-c", str(conf)]
        if a.environment:
            envfile = work / "ziplenv"
            envfile.write_text(ENVIRONMENT)
            cmd += ["--environment", str(envfile)]
        zipl_out = run(cmd, "zipl")
        version = run([qemu, "-L", str(root), str(zipl), "--version"], "zipl --version")
    finally:
        if mounted:
            subprocess.run(["umount", str(mnt)], check=False)
        for d in reversed(devices):
            subprocess.run(["losetup", "-d", d], check=False)
        shutil.rmtree(work, ignore_errors=True)

    if "Done." not in zipl_out and "Installing on base disk" not in zipl_out:
        raise Fail("zipl did not report success:\n" + zipl_out)
    tmp_img.rename(out)
    report = {
        "release": a.release,
        "zipl_version": re.search(r"version (\S+)", version).group(1),
        "packages": (rel / "packages").read_text().splitlines(),
        "layout": a.layout,
        "no_diag308": a.no_diag308,
        "hercules_linux": a.hercules_linux,
        "image": str(out),
        "sections": components(zipl_out),
        "parameters": {name: parm(console, n, a.layout, a.environment)
                       for n, name in enumerate(SECTIONS, 1)},
        "environment": environment_sections(ENVIRONMENT) if a.environment else None,
        "zipl_output": zipl_out,
    }
    if a.ckd:
        if a.layout == "scsi":
            raise Fail("--ckd needs a DASD layout (cdl or ldl)")
        run([str(a.flat2ckd), "--layout", a.layout, str(out), str(a.ckd)], "flat2ckd")
        report["ckd"] = str(a.ckd.resolve())
    if a.report:
        a.report.write_text(json.dumps(report, indent=1) + "\n")
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--zipl-dir", type=Path, required=True)
    ap.add_argument("--release", choices=("bookworm", "trixie"), required=True)
    ap.add_argument("--layout", choices=("cdl", "ldl", "scsi"), required=True)
    ap.add_argument("--assets", type=Path, required=True)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--ckd", type=Path)
    ap.add_argument("--flat2ckd", type=Path)
    ap.add_argument("--no-diag308", action="store_true")
    ap.add_argument("--hercules-linux", action="store_true")
    ap.add_argument("--environment", action="store_true")
    ap.add_argument("--report", type=Path)
    a = ap.parse_args()
    if a.ckd and not a.flat2ckd:
        ap.error("--ckd needs --flat2ckd")
    if a.hercules_linux and not a.no_diag308:
        ap.error("--hercules-linux needs --no-diag308 (Hercules 3.13 stops in stage 3 otherwise)")
    if a.environment and a.release != "trixie":
        ap.error("--environment needs zipl 2.35 (trixie): 2.16 has no environment block")
    try:
        r = make(a)
    except Fail as e:
        print("make-zipl-disk: %s" % e, file=sys.stderr)
        return 1
    print("make-zipl-disk: %s: zipl %s, %s, sections %s"
          % (r["image"], r["zipl_version"], r["layout"], ", ".join(r["sections"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
