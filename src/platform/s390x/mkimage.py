#!/usr/bin/env python3
"""Post-link step of the ccwboot image.

Checks the ELF against what QEMU's -bios loader can relocate (one SHT_RELA
section, only R_390_RELATIVE, all inside the loaded file part), then writes:
  (names with --name, default ccwboot)
  ccwboot.img  stripped ELF for `qemu-system-s390x -bios` (--img names it otherwise:
               the packed image takes ccwboot.img, src/platform/s390x/unpack)
  ccwboot.bin  objcopy -O binary (the image as it sits in memory, without bss)
  ccwboot.psw  8-byte ESA/390 PSW pointing at esa_entry inside ccwboot.bin
  ccwboot.ins  Hercules `ipl` list: ccwboot.bin at the load address, the PSW at 0
Standard library only.
"""
import argparse
import os
import struct
import subprocess
import sys

SHT_RELA = 4
PT_LOAD = 1
R_390_RELATIVE = 12


def fail(msg):
    sys.exit("mkimage: " + msg)


# QEMU's firmware window: 2 MiB below min(RAM, 2 GiB) before 9.2, 3 MiB from
# 9.2 on. The image (with bss) must fit the smaller one.
FIRMWARE_WINDOW = 2 << 20
PAGE = 4096


def check_elf(data):
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 2:
        fail("not an ELF64 big-endian file")
    e_type, = struct.unpack_from(">H", data, 16)
    e_phoff, e_shoff = struct.unpack_from(">QQ", data, 32)
    e_phentsize, e_phnum, e_shentsize, e_shnum = struct.unpack_from(">HHHH", data, 54)
    if e_type != 3:
        fail("image must be a PIE (ET_DYN)")
    e_entry, = struct.unpack_from(">Q", data, 24)
    # QEMU 9.2+ writes its chain of IPL parameter blocks right below the page
    # of the entry point: with the entry in the first page it lands below the
    # image, never on it (docs/boot-order.md).
    if e_entry >= PAGE:
        fail("entry point 0x%x is not in the image's first page: QEMU 9.2+ would write "
             "its IPL parameter blocks over the image" % e_entry)
    loads = []
    for i in range(e_phnum):
        p_type, _, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, _ = struct.unpack_from(
            ">IIQQQQQQ", data, e_phoff + i * e_phentsize)
        if p_type == PT_LOAD:
            loads.append((p_paddr, p_filesz, p_memsz))
            if p_paddr + p_memsz > FIRMWARE_WINDOW:
                fail("image with bss ends at 0x%x, beyond QEMU's 2 MiB firmware window"
                     % (p_paddr + p_memsz))
    relas = []
    for i in range(e_shnum):
        _, sh_type, _, sh_addr, sh_offset, sh_size, _, _, _, sh_entsize = struct.unpack_from(
            ">IIQQQQIIQQ", data, e_shoff + i * e_shentsize)
        if sh_type == SHT_RELA and sh_size:
            relas.append((sh_offset, sh_size, sh_entsize or 24))
    if len(relas) > 1:
        fail("more than one SHT_RELA section: QEMU applies only the first")
    count = 0
    for off, size, ent in relas:
        for r in range(off, off + size, ent):
            r_offset, r_info, _ = struct.unpack_from(">QQq", data, r)
            if r_info & 0xffffffff != R_390_RELATIVE or r_info >> 32:
                fail("relocation type %d at 0x%x: only R_390_RELATIVE is applied by QEMU"
                     % (r_info & 0xffffffff, r_offset))
            if not any(a <= r_offset and r_offset + 8 <= a + fs for a, fs, _ in loads):
                fail("relocation at 0x%x outside the loaded file part" % r_offset)
            count += 1
    return loads, count


def symbol(nm_out, name):
    for line in nm_out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    fail("symbol %s not found" % name)


# A .data object this large is nearly always a static whose type has a
# non-zero default member initializer: the compiler stores all of it in the
# image file. Make the defaults zero (or set it up at run time) so it lands
# in .bss (issue 8: PieceAnalysis held 48 KiB of .data).
MAX_DATA_OBJECT = 4096


def check_data_objects(nm_sized):
    for line in nm_sized.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in ("d", "D") and int(parts[1], 16) > MAX_DATA_OBJECT:
            fail("%s: %d bytes of initialised data (limit %d); give its type all-zero defaults "
                 "so it goes to .bss" % (parts[3], int(parts[1], 16), MAX_DATA_OBJECT))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elf", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--name", default="ccwboot")
    ap.add_argument("--strip", required=True)
    ap.add_argument("--objcopy", required=True)
    ap.add_argument("--load-address")
    ap.add_argument("--img", help="name of the stripped ELF (default NAME.img)")
    ap.add_argument("--img-only", action="store_true",
                    help="check and strip only (the packed image has no Hercules form)")
    a = ap.parse_args()
    img = os.path.join(a.outdir, a.img or a.name + ".img")
    with open(a.elf, "rb") as f:
        loads, nrel = check_elf(f.read())
    check_data_objects(subprocess.run([a.objcopy.replace("objcopy", "nm"), "-S", a.elf],
                                      check=True, capture_output=True, text=True).stdout)
    subprocess.run([a.strip, "--strip-unneeded", "-R", ".comment", "-o", img, a.elf], check=True)
    if a.img_only:
        print("%s: %d bytes on disk, %d bytes loaded (with bss), %d relocations"
              % (os.path.basename(img), os.path.getsize(img), max(p + m for p, _, m in loads), nrel))
        return
    load = int(a.load_address, 0)
    if load % 4096 or load >= 1 << 31 or load < 0x10000:
        fail("load address must be page aligned, above 64K and below 2 GiB")
    out = a.outdir
    binf = os.path.join(out, a.name + ".bin")
    subprocess.run([a.objcopy, "-O", "binary", "-R", ".bss", a.elf, binf], check=True)
    nm = subprocess.run([a.objcopy.replace("objcopy", "nm"), a.elf], check=True,
                        capture_output=True, text=True).stdout
    esa = symbol(nm, "esa_entry")
    start = symbol(nm, "__image_start")
    end = symbol(nm, "__image_end")
    if start != 0:
        fail("image must be linked at 0")
    with open(os.path.join(out, a.name + ".psw"), "wb") as f:
        f.write(struct.pack(">II", 0x00080000, 0x80000000 | (load + esa)))
    with open(os.path.join(out, a.name + ".ins"), "w") as f:
        f.write("%s.bin 0x%08X\n" % (a.name, load))
        f.write("%s.psw 0x00000000\n" % a.name)
    print(os.path.basename(img) + ": %d bytes on disk, %d bytes loaded (with bss), %d relocations"
          % (os.path.getsize(img), end, nrel))


if __name__ == "__main__":
    main()
