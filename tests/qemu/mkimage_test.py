#!/usr/bin/env python3
"""mkimage.py must refuse images QEMU's -bios loader would not relocate.

Links a tiny PIE with the image's linker script and the s390x cross
toolchain: its only relocations are R_390_RELATIVE (accepted); patched copies
with an R_390_64 entry or a second SHT_RELA section must be rejected.
"""
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MKIMAGE = REPO / "src/platform/s390x/mkimage.py"
LDS = REPO / "linker/ccwboot.ld"
CXX = "s390x-linux-gnu-g++"

START = r"""
	.section .text.start,"ax"
	.globl esa_entry, _start
esa_entry:
_start:
	j	.
	.section .data.p,"aw"
	.quad	_start
"""


def link(tmp: Path, c_source: str) -> Path:
    (tmp / "s.S").write_text(START)
    (tmp / "c.cc").write_text(c_source)
    elf = tmp / "t.elf"
    subprocess.run([CXX, "-fPIE", "-ffreestanding", "-nostdlib", "-pie", "-Os",
                    "-Wl,--no-dynamic-linker", "-Wl,-z,norelro", "-Wl,--no-warn-rwx-segments",
                    "-Wl,-T," + str(LDS), str(tmp / "s.S"), str(tmp / "c.cc"), "-o", str(elf)],
                   check=True, capture_output=True)
    return elf


def mkimage(tmp: Path, elf: Path):
    return subprocess.run([sys.executable, str(MKIMAGE), "--elf", str(elf), "--outdir", str(tmp),
                           "--strip", "s390x-linux-gnu-strip", "--objcopy",
                           "s390x-linux-gnu-objcopy", "--load-address", "0x00E00000"],
                          capture_output=True, text=True)


@unittest.skipIf(shutil.which(CXX) is None, "s390x cross compiler not installed")
class MkimageTest(unittest.TestCase):
    def assert_refused(self, r, why: str) -> None:
        """mkimage exited non-zero and its message says `why`."""
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(why, r.stderr)

    def test_relative_only_is_accepted(self):
        with tempfile.TemporaryDirectory() as t:
            tmp = Path(t)
            elf = link(tmp, 'int x; int* p = &x; extern "C" int* get() { return p; }\n')
            r = mkimage(tmp, elf)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue((tmp / "ccwboot.img").exists())
            ins = (tmp / "ccwboot.ins").read_text().split()
            self.assertEqual(ins, ["ccwboot.bin", "0x00E00000", "ccwboot.psw", "0x00000000"])
            psw = (tmp / "ccwboot.psw").read_bytes()
            self.assertEqual(psw, bytes.fromhex("00080000 80E00000"))

    def test_other_relocation_type_is_rejected(self):
        # An R_390_64 (what a preemptible or weak symbol reference can become)
        # is not applied by QEMU: patch the first relocation's type to 22.
        with tempfile.TemporaryDirectory() as t:
            tmp = Path(t)
            elf = link(tmp, 'int x; int* p = &x; extern "C" int* get() { return p; }\n')
            data = bytearray(elf.read_bytes())
            off = rela_offset(data)
            struct.pack_into(">I", data, off + 12, 22)
            elf.write_bytes(bytes(data))
            self.assert_refused(mkimage(tmp, elf), "only R_390_RELATIVE")
            self.assertFalse((tmp / "ccwboot.img").exists())

    def test_second_rela_section_is_rejected(self):
        # QEMU applies only the first SHT_RELA section found.
        with tempfile.TemporaryDirectory() as t:
            tmp = Path(t)
            elf = link(tmp, 'int x; int* p = &x; extern "C" int* get() { return p; }\n')
            data = bytearray(elf.read_bytes())
            e_shoff, = struct.unpack_from(">Q", data, 40)
            e_shentsize, e_shnum = struct.unpack_from(">HH", data, 58)
            # Turn some other non-empty section (e.g. .dynamic) into a second RELA.
            for i in range(e_shnum):
                base = e_shoff + i * e_shentsize
                sh_type, = struct.unpack_from(">I", data, base + 4)
                if sh_type == 6:  # SHT_DYNAMIC
                    struct.pack_into(">I", data, base + 4, 4)
                    break
            elf.write_bytes(bytes(data))
            self.assert_refused(mkimage(tmp, elf), "more than one SHT_RELA")

    # The firmware window: image + bss within 2 MiB (QEMU before
    # 9.2; 3 MiB from 9.2), entry point in the first page (QEMU 9.2+ writes
    # its IPLB chain right below the entry point's page).
    def test_bss_beyond_the_firmware_window_is_rejected(self):
        with tempfile.TemporaryDirectory() as t:
            tmp = Path(t)
            elf = link(tmp, 'char big[2 << 20]; extern "C" char* get() { return big; }\n')
            self.assert_refused(mkimage(tmp, elf), "beyond QEMU's 2 MiB firmware window")
            ok = link(tmp, 'char big[1 << 20]; extern "C" char* get() { return big; }\n')
            self.assertEqual(mkimage(tmp, ok).returncode, 0)

    def test_entry_point_beyond_the_first_page_is_rejected(self):
        with tempfile.TemporaryDirectory() as t:
            tmp = Path(t)
            elf = link(tmp, 'int x; int* p = &x; extern "C" int* get() { return p; }\n')
            data = bytearray(elf.read_bytes())
            struct.pack_into(">Q", data, 24, 0x1000)
            elf.write_bytes(bytes(data))
            self.assert_refused(mkimage(tmp, elf), "not in the image's first page")

    def test_large_initialised_data_object_is_rejected(self):
        # A static whose type has a non-zero default member initializer goes
        # to .data whole, into the image file (two DASD statics did, 48 KB);
        # all-zero defaults put it in .bss.
        with tempfile.TemporaryDirectory() as t:
            tmp = Path(t)
            src = 'struct S { int v%s; }; S big[2048]; extern "C" S* get() { return big; }\n'
            self.assert_refused(mkimage(tmp, link(tmp, src % " = 1")),
                                "give its type all-zero defaults")
            self.assertEqual(mkimage(tmp, link(tmp, src % " = 0")).returncode, 0)

    def test_the_built_images_fit_both_windows(self):
        # What the build made (the s390x preset), when it exists.
        built = sorted((REPO / "build/s390x").rglob("*.elf")) if (REPO / "build/s390x").is_dir() else []
        if not built:
            self.skipTest("no s390x build")
        for elf in built:
            data = elf.read_bytes()
            e_entry, e_phoff = struct.unpack_from(">QQ", data, 24)
            e_phentsize, e_phnum = struct.unpack_from(">HH", data, 54)
            end = 0
            for i in range(e_phnum):
                p_type, _, _, _, p_paddr, _, p_memsz, _ = struct.unpack_from(
                    ">IIQQQQQQ", data, e_phoff + i * e_phentsize)
                if p_type == 1:
                    end = max(end, p_paddr + p_memsz)
            self.assertLess(e_entry, 4096, elf.name)
            self.assertLessEqual(end, 2 << 20, elf.name)


def rela_offset(data):
    e_shoff, = struct.unpack_from(">Q", data, 40)
    e_shentsize, e_shnum = struct.unpack_from(">HH", data, 58)
    for i in range(e_shnum):
        base = e_shoff + i * e_shentsize
        sh_type, = struct.unpack_from(">I", data, base + 4)
        if sh_type == 4:
            off, size = struct.unpack_from(">QQ", data, base + 24)
            assert size >= 24
            return off
    raise AssertionError("no SHT_RELA section")

if __name__ == "__main__":
    unittest.main()
