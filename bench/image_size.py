#!/usr/bin/env python3
"""Image size per component, from the linker map of ccwboot.elf
(build/s390x/ccwboot.map, written by every s390x build), and the packed
ccwboot.img next to QEMU's s390-ccw.img.

    bench/image_size.py [--map build/s390x/ccwboot.map] [--by-file] [--bound BYTES]

With --bound, exits 1 when the packed ccwboot.img is larger than BYTES (the
ctest qemu.image_size_bound passes QEMU 10's s390-ccw.img size: ccwboot,
network stack included, must stay smaller than the firmware it replaces).

Every input section the linker kept is counted under the source file it came
from (strings and tables included, unlike a symbol listing); files are
grouped into components by their directory. Sizes are before the linker
merges identical strings, so the sum may exceed the sections by a little.

The image is built with link-time optimisation, so most input sections come
from the linker's LTRANS objects, not from a source file. Each such section
is named after its function or object (-ffunction-sections -fdata-sections
at the link), and the symbol is traced back to the object file that defines
it (the ELF symbol tables of the build's fat LTO objects). Functions inlined into
another count for their caller; string literals that LTO pooled across files
are listed on a line of their own.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (component, source files by base name), first match wins; the rest is the platform
COMPONENTS = [
    ("network boot: core (src/core/net)", "netboot tftp dhcp pxelinux ins frame stack guest_sink"),
    ("network boot: driver + boot path", "virtio_net_device boot_net"),
    ("boot menu (core/menu, console menu)", "keys line_editor kernel_cmdline device_menu boot_menu "
                                            "console_input menu_pass"),
    ("zipl / ISO boot maps (core/zipl)", "boot_map program_table iso9660 eckd_scheme eckd_menu "
                                         "scsi_scheme"),
    ("DASD IPL (core/dasd + path)", "chain_walk vfio_copy dasd_ipl dasd_io boot_dasd"),
    ("virtio transport, blk, scsi", "virtio_ccw_transport virtio_blk_device virtio_scsi_device "
                                    "boot_virtio disk_adapter vring blk scsi"),
    ("boot order, context, IPLB", "boot_order boot_context boot_select iplb qemu_ipl ipl_psw "
                                  "memory_guard verdict ipl_block"),
    ("wait-code table", "wait_codes"),
    ("formatter, mem*/str*", "format string"),
]


POOLED = "(string literals LTO pooled across files)"
# What GCC appends to a symbol it cloned or localised during LTO.
CLONE_SUFFIX = re.compile(r"(\.(lto_priv|part|constprop|isra|cold|localalias)(\.\d+)?)+$")


# objdump -t: value, seven flag characters (the type is the last), section,
# size, name (after .hidden for hidden symbols)
SYMTAB_LINE = re.compile(r"^[0-9a-f]+ .{6}(.) \S+\s+[0-9a-f]+\s+(?:\.hidden\s+)?(\S+)$", re.M)


LTO_SECTION = re.compile(r"\s\.gnu\.lto_(_Z\S+?)\.\d+\.[0-9a-f]+$", re.M)


def symbol_owners(build: Path) -> dict[str, str]:
    """Defining object file of every function and object in the build's
    objects, local ones included (the image's objects are fat LTO objects,
    so their ELF symbol tables list what each file defines). A name several
    files define (inline functions) maps to the first; it is counted once
    either way."""
    owners: dict[str, str] = {}
    for obj in sorted(build.rglob("*.obj")):
        out = subprocess.run(["s390x-linux-gnu-objdump", "-t", str(obj)],
                             capture_output=True, text=True).stdout
        for m in SYMTAB_LINE.finditer(out):
            if m.group(1) in "FO":
                owners.setdefault(m.group(2), str(obj))
        # Functions the file defines that its own (fat) code inlined away
        # but LTO kept: each has an IR section named after it.
        for name in LTO_SECTION.findall(out):
            owners.setdefault(name, str(obj))
    return owners


def owner_of(section: str, owners: dict[str, str]) -> str:
    """The object file a section of an LTRANS object came from."""
    m = re.match(r"\.(?:text|rodata|data\.rel\.ro\.local|data\.rel\.ro|data\.rel\.local|"
                 r"data\.rel|data)\.(.+)$", section)
    if not m:
        return POOLED
    name = CLONE_SUFFIX.sub("", m.group(1))
    return owners.get(name, POOLED)


def parse_map(path: Path) -> dict[str, Counter]:
    """Bytes per object file and kind (text, rodata, data) the link kept."""
    owners: dict[str, str] | None = None
    text = path.read_text().split("Linker script and memory map", 1)[1]
    lines = text.splitlines()
    one = re.compile(r"^ (\.\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)")
    name_only = re.compile(r"^ (\.\S+)$")
    rest = re.compile(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)")
    out_sec = None
    per_obj: dict[str, Counter] = defaultdict(Counter)
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(\.\S+|/DISCARD/)(\s|$)", line)
        if m:
            out_sec = m.group(1)
        m = one.match(line)
        if m:
            section, size, obj = m.group(1), int(m.group(3), 16), m.group(4)
        else:
            m = name_only.match(line)
            m2 = rest.match(lines[i + 1]) if m and i + 1 < len(lines) else None
            if not m2:
                i += 1
                continue
            section, size, obj = m.group(1), int(m2.group(2), 16), m2.group(3)
            i += 1
        if ".ltrans" in obj:
            if owners is None:
                owners = symbol_owners(path.parent)
            obj = owner_of(section, owners)
        i += 1
        if out_sec in (None, ".bss", "/DISCARD/") or not size:
            continue
        kind = {".text": "text", ".rodata": "rodata"}.get(out_sec, "data")
        per_obj[obj][kind] += size
    return per_obj


def short(obj: str) -> str:
    m = re.match(r".*/(lib[^/(]+\.a)\((.*)\)$", obj)
    if m:
        return m.group(2).replace(".obj", "")
    return re.sub(r".*CMakeFiles/[^/]+\.dir/", "", obj).replace(".obj", "")


def components(per_obj: dict[str, Counter]) -> dict[str, Counter]:
    groups: dict[str, Counter] = defaultdict(Counter)
    for obj, c in per_obj.items():
        base = short(obj).split("/")[-1].split(".")[0]
        if obj == POOLED:
            groups[POOLED].update(c)
            continue
        name = "libgcc" if "libgcc" in obj else next(
            (g for g, files in COMPONENTS if base in files.split()),
            "platform (start-up, SCLP, I/O, hand-off)")
        groups[name].update(c)
    return groups


def print_table(rows: dict[str, Counter], title: str) -> None:
    print(f"{title:44} {'text':>7} {'rodata':>7} {'data':>6} {'total':>7}")
    total = Counter()
    for name, c in sorted(rows.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"{name:44} {c['text']:7} {c['rodata']:7} {c['data']:6} {sum(c.values()):7}")
        total.update(c)
    print(f"{'(all)':44} {total['text']:7} {total['rodata']:7} {total['data']:6} "
          f"{sum(total.values()):7}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--map", type=Path, default=REPO / "build" / "s390x" / "ccwboot.map")
    ap.add_argument("--by-file", action="store_true")
    ap.add_argument("--qemu-bios", type=Path,
                    default=REPO / "build" / "host" / "qemu10" / "usr" / "share" / "qemu" /
                    "s390-ccw.img")
    ap.add_argument("--bound", type=int, help="fail if ccwboot.img is larger (bytes)")
    a = ap.parse_args()
    if not a.map.is_file():
        print(f"{a.map} missing: build the s390x preset first", file=sys.stderr)
        return 1
    per_obj = parse_map(a.map)
    if a.by_file:
        print_table({short(o): c for o, c in per_obj.items()}, "object")
        print()
    print_table(components(per_obj), "component (ccwboot.elf, unpacked)")
    d = a.map.parent
    print()
    for f in ("ccwboot-unpacked.img", "ccwboot.img"):
        if (d / f).is_file():
            print(f"{f:44} {(d / f).stat().st_size:7} B")
    if a.qemu_bios.is_file():
        print(f"{'QEMU 10 s390-ccw.img':44} {a.qemu_bios.stat().st_size:7} B")
    if a.bound is not None:
        img = d / "ccwboot.img"
        if not img.is_file():
            print(f"{img} missing: build the s390x preset first", file=sys.stderr)
            return 1
        size = img.stat().st_size
        if size > a.bound:
            print(f"FAIL: ccwboot.img is {size} B, {size - a.bound} B over the bound of "
                  f"{a.bound} B; the components above show where the bytes went")
            return 1
        print(f"ok: ccwboot.img is {size} B, {a.bound - size} B under the bound of {a.bound} B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
