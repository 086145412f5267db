#!/usr/bin/env python3
"""Tests of the Hercules harness itself (tests/hercules/hercules_run.py).

Parsing is checked on log excerpts as Hercules 3.13 prints them; the live
cases IPL small volumes made with dasdinit (whose IPL1 record is patched here
to a known PSW and CCW), so the harness is proven without mkdasd or ccwboot.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hercules_fuzz as hf  # noqa: E402
import hercules_run as hr  # noqa: E402
import ipl_compare  # noqa: E402
import machine_state as ms  # noqa: E402

EBCDIC_IPL1 = bytes.fromhex("C9D7D3F1")  # "IPL1"


def dasdinit_volume(path: Path) -> None:
    subprocess.run(["dasdinit", str(path), "3390", "HRTEST", "1"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def patch_ipl1(path: Path, record: bytes) -> None:
    """Replace the 24 data bytes of R1 (key IPL1) on cylinder 0 head 0."""
    assert len(record) == 24
    data = bytearray(path.read_bytes())
    key_at = data.index(EBCDIC_IPL1, 512)
    count = data[key_at - 8:key_at]
    assert count[4] == 1 and count[5] == 4 and struct.unpack(">H", count[6:8])[0] == 24
    data[key_at + 4:key_at + 4 + 24] = record
    path.write_bytes(bytes(data))


def ccw0(cmd: int, addr: int, flags: int, count: int) -> bytes:
    return struct.pack(">BBHBBH", cmd, addr >> 16, addr & 0xFFFF, flags, 0, count)


class ParseTest(unittest.TestCase):
    def test_esa_psw_address(self):
        self.assertEqual(hr.normalise_psw([0x000A0000, 0x8000C0DE]), 0xC0DE)

    def test_zarch_psw_address(self):
        self.assertEqual(hr.normalise_psw([0x00020001, 0x80000000, 0, 0x00CB0203]), 0xCB0203)

    def test_wait_with_psw_after_interleaved_lines(self):
        log = ("HHCCP011I CPU0000: Disabled wait state\n"
               "          HHCAO003I Firing command: 'script x.rc'\n"
               "r 2000.10\n"
               "R:00002000:K:06=0DF08200 F00E0000 00000000 00000000  .0b.0...........\n"
               "PSW=00020001 80000000 00000000 00CB0104\n")
        outcome, psw, message = hr.parse_outcome(log, timed_out=False)
        self.assertEqual(outcome, "wait")
        self.assertEqual(hr.normalise_psw(psw), 0xCB0104)
        self.assertTrue(message.startswith("HHCCP011I"))
        rows = hr.parse_storage(log)
        self.assertEqual(hr.read_range(rows, 0x2002, 0x2006), bytes.fromhex("8200F00E"))

    def test_zarch_psw_as_hercules_prints_it(self):
        log = ("HHCCP011I CPU0000: Disabled wait state\n"
               "          PSW=00020001 80000000 0000000000CB010D\n")
        outcome, psw, _ = hr.parse_outcome(log, timed_out=False)
        self.assertEqual(outcome, "wait")
        self.assertEqual(psw, [0x00020001, 0x80000000, 0, 0x00CB010D])
        self.assertEqual(hr.normalise_psw(psw), 0xCB010D)

    def test_program_interrupt_psw_is_not_the_wait_psw(self):
        log = ("HHCCP011I CPU0000: Disabled wait state\n"
               "HHCCP014I CPU0000: Specification exception CODE=0006 ILC=4\n"
               "PSW=00002001 80000000 0000000000E013A6 INST=83670308     DIAG  6,7,776(0)\n"
               "PSW=000A0000 8000C0DE\n")
        _, psw, _ = hr.parse_outcome(log, timed_out=False)
        self.assertEqual(psw, [0x000A0000, 0x8000C0DE])

    def test_hao_echo_is_not_an_end(self):
        log = "hao tgt HHCCP011I\nhao tgt HHCCP0(16I|27E|29E|30E)\n"
        self.assertEqual(hr.parse_outcome(log, timed_out=True)[0], "timeout")

    def test_program_loop(self):
        log = "HHCCP016I CPU0000: Program interrupt loop: PSW=00000000 00000000\n"
        outcome, psw, _ = hr.parse_outcome(log, timed_out=False)
        self.assertEqual((outcome, psw), ("program-loop", [0, 0]))

    def test_missing_storage_row_raises(self):
        rows = hr.parse_storage("R:00002000:K:06=00000000 00000000 00000000 00000000\n")
        with self.assertRaises(KeyError):
            hr.read_range(rows, 0x2000, 0x2020)

    def test_ccw_trace_ranges(self):
        log = ("HHCCP048I 0120:CCW=02000000 60000018=>02000000 60000018 00000000 00000000\n"
               "HHCCP075I 0120:Stat=0C00 Count=0000 =>00080000 80002000 06000800 60000100\n"
               "HHCCP048I 0120:CCW=06000800 60000100=>00000000\n"
               "HHCCP075I 0120:Stat=0C00 Count=0010 =>07000880\n"
               "HHCCP048I 0120:CCW=08000800 00000000=>07000880\n"
               "HHCCP048I 0120:CCW=07000880 60000006=>00000000\n"
               "HHCCP075I 0120:Stat=0C00 Count=0000\n"
               "HHCCP048I 0120:CCW=86002000 20003000=>00000000\n"
               "HHCCP075I 0120:Stat=0C00 Count=0000\n")
        ccws = hr.parse_ccws(log)
        self.assertEqual([c.command for c in ccws], [0x02, 0x06, 0x08, 0x07, 0x86])
        # Read IPL is in the lowcore (left out); Read Data moved 0x100-0x10 bytes.
        self.assertEqual(hr.loaded_ranges(ccws), [(0x800, 0x8F0), (0x2000, 0x5000)])

    def test_merge_ranges(self):
        self.assertEqual(hr.merge_ranges([(0x300, 0x400), (0x100, 0x380), (0x500, 0x600)],
                                         floor=0x200),
                         [(0x200, 0x400), (0x500, 0x600)])


STATE_LOG = """ds 0120
0120:D/T=3390 Subchannel_Number=0000
     PMCW=IntParm:00010000 Flags:1881 Dev:0120 LPM:FF PNOM:00 LPUM:80 PIM:80
          MBI:0000 POM:FF PAM:80 CHPIDs:0100000000000000 Misc:00000000
     SCSW=Flags:0040 SCHC:0000 Stat:0C00 Count:0000 CCW:00000820
cr
CR00=000000E0  CR01=00000000  CR02=00000000  CR03=00000000
CR04=00000000  CR05=00000000  CR06=00000000  CR07=00000000
CR08=00000000  CR09=00000000  CR10=00000000  CR11=00000000
CR12=00000000  CR13=00000000  CR14=C2000000  CR15=00000000
clocks
HHCPN028I tod = E3AAC408EF98A000    2026.336 00:46:05.846922
          ckc = 0000000000000000    1900.001 00:00:00.000000
          cpt = FFFFFFFFFFCD7000
"""


class FuzzPolicyTest(unittest.TestCase):
    """hercules_fuzz.py: the changing seed and what fails a run with --explore."""

    ROOT = Path(__file__).resolve().parents[2]

    def test_seeds(self):
        self.assertEqual(hf.derive_seed("20261202", self.ROOT), (20261202, ""))
        self.assertEqual(hf.derive_seed("0x10", self.ROOT)[0], 16)
        seed, origin = hf.derive_seed("date", self.ROOT)
        self.assertTrue(19700101 <= seed <= 99991231 and "date" in origin)
        self.assertIsNone(hf.derive_seed("tomorrow", self.ROOT)[0])
        head = subprocess.run(["git", "-C", str(self.ROOT), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=False).stdout.strip()
        if head:  # a tarball without .git has no commit seed
            self.assertEqual(hf.derive_seed("commit", self.ROOT), (int(head[:8], 16),
                                                                   f"from commit {head[:12]}"))

    def test_lists_name_wait_codes(self):
        names = set(ipl_compare.wait_code_names().values())
        for listed in (hf.ALLOWED_REFUSALS, hf.KNOWN_OPEN_REFUSALS, hf.STATIC_REFUSALS):
            self.assertEqual(listed - names, set())

    def test_explore_tolerates_only_static_checks(self):
        class Args:
            known_open = True
            open_classes = {"kDasdBadCcwAddress"}
            explore = True
            out = tempfile.gettempdir()
            seed = 1
        run = hf.Run(Args())
        self.assertTrue(run.tolerated("kGuardDataInReservedRange"))   # allowed
        self.assertTrue(run.tolerated("kDasdSplitNotFaithful"))       # known open
        self.assertTrue(run.tolerated("kDasdBadCcwAddress"))          # named open
        self.assertFalse(run.new_class("kDasdBadCcwAddress"))         # ... so not new
        self.assertTrue(run.new_class("kGuardIndirectData"))          # a static check: new class
        for condition in ("kDasdUnitCheck", "kDasdProgramCheck", "kDasdIncorrectLength",
                          "kDasdUnexpectedStatus", "kDasdUnexpectedEnd", "kDasdBadIplPsw"):
            self.assertFalse(run.tolerated(condition) or run.new_class(condition), condition)
        Args.explore = False
        self.assertFalse(hf.Run(Args()).new_class("kGuardIndirectData"))


class MachineStateTest(unittest.TestCase):
    """machine_state.py on `ds`/`cr`/`clocks` output as Hercules 3.13 prints it."""

    def test_parse(self):
        st = ms.parse_state(STATE_LOG, None)
        self.assertEqual(st.schib["intparm"], 0x00010000)
        self.assertEqual(st.schib["flags"], 0x1881)  # ISC 3, enabled, device number valid
        self.assertEqual((st.schib["lpm"], st.schib["lpum"], st.schib["pim"]), (0xFF, 0x80, 0x80))
        self.assertEqual((st.schib["scsw_flags"], st.schib["stat"], st.schib["ccw"]),
                         (0x0040, 0x0C00, 0x820))
        self.assertEqual(st.control_registers[0], 0xE0)
        self.assertEqual(st.control_registers[14], 0xC2000000)
        self.assertEqual(st.clock_comparator, 0)
        self.assertFalse(ms.complete(st))  # no storage saved

    def _result(self, log, core, psw):
        return hr.HerculesResult(outcome="wait", psw_words=psw, psw_address=psw[1] & 0x7FFFFFFF,
                                 end_message="", log=log, elapsed=0, total_elapsed=0,
                                 storage={}, prefix=0, program_interrupts=0, ccws=[],
                                 workdir=None, state=ms.parse_state(log + "savecore command complete\n", core))

    def test_compare_finds_each_kind_of_difference(self):
        with tempfile.TemporaryDirectory() as tmp:
            a, b = Path(tmp) / "a", Path(tmp) / "b"
            mem = bytearray(0x10000)
            mem[0x2000:0x2010] = b"payload payload!"
            a.write_bytes(bytes(mem))
            mem[0x86] = 0x24          # an external-interruption code in low core
            mem[0x9000] = 0x01        # inside the "firmware": not compared
            b.write_bytes(bytes(mem))
            native = self._result(STATE_LOG.replace("IntParm:00010000 Flags:1881", "IntParm:00000000 Flags:0081")
                                  .replace("LPM:FF", "LPM:80").replace("Flags:0040", "Flags:0000"),
                                  a, [0x000A0000, 0x8000C0DE])
            boot = self._result(STATE_LOG, b, [0x000A0000, 0x8000C0DE])
            diff = ms.compare(native, boot, [(0x2000, 0x2010)], (0x9000, 0xA000))
            self.assertIn("storage: 0x86..0x87 native 00 ccwboot 24", diff)
            self.assertIn("subchannel: intparm native 0x0, ccwboot 0x10000", diff)
            self.assertIn("subchannel: flags native 0x81, ccwboot 0x1881", diff)
            self.assertIn("subchannel: lpm native 0x80, ccwboot 0xff", diff)
            self.assertFalse(any("scsw_flags" in d for d in diff))  # not compared
            self.assertFalse(any(d.startswith("loaded") for d in diff))
            self.assertEqual(len(diff), 4, diff)
            self.assertEqual(ms.compare(native, native, [(0x2000, 0x2010)], (0x9000, 0xA000)), [])
            boot.psw_words = [0x000A0000, 0x8000C0DF]
            self.assertTrue(any(d.startswith("psw:") for d in
                                ms.compare(native, boot, [], (0x9000, 0xA000))))


class LiveTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="herc-selftest-")
        self.volume = Path(self.tmp.name) / "v.3390"
        dasdinit_volume(self.volume)

    def tearDown(self):
        self.tmp.cleanup()

    def test_dasdinit_volume_fails_ipl(self):
        res = hr.run(self.volume, "0120", timeout=20)
        self.assertEqual(res.outcome, "ipl-failed", res.log)
        self.assertIn("HHCCP030E", res.end_message)

    def test_no_device(self):
        res = hr.run(None, "0120", timeout=20)
        self.assertEqual(res.outcome, "device-missing", res.log)

    def test_wait_psw_trace_and_storage(self):
        # IPL1: disabled-wait PSW; Read Data of R2 (IPL2, 144 zero bytes) into 0x800.
        patch_ipl1(self.volume, bytes.fromhex("000A00008000C0DE") +
                   ccw0(0x06, 0x800, 0x20, 0x90) + bytes(8))
        traced = hr.run(self.volume, "0120", timeout=20, trace=True)
        self.assertEqual(traced.outcome, "wait", traced.log)
        self.assertEqual(traced.psw_address, 0xC0DE)
        ranges = hr.loaded_ranges(traced.ccws)
        self.assertEqual(ranges, [(0x800, 0x890)])
        dumped = hr.run(self.volume, "0120", timeout=20, dump=ranges + [(0x0, 0x18)])
        self.assertEqual(dumped.prefix, 0)
        self.assertEqual(hr.read_range(dumped.storage, 0x800, 0x890), bytes(0x90))
        self.assertEqual(hr.read_range(dumped.storage, 0x0, 0x8),
                         bytes.fromhex("000A00008000C0DE"))

    def test_machine_state_after_native_ipl(self):
        # What the machine's own IPL leaves: subchannel enabled, ISC 0,
        # interruption parameter 0, LPM 0x80; initial control registers;
        # the subsystem-id word at 0xB8 in the saved storage.
        patch_ipl1(self.volume, bytes.fromhex("000A00008000C0DE") +
                   ccw0(0x06, 0x800, 0x20, 0x90) + bytes(8))
        core = Path(self.tmp.name) / "core"
        res = hr.run(self.volume, "0120", timeout=20, state=core)
        self.assertTrue(ms.complete(res.state), res.log)
        x = res.state.schib
        self.assertEqual((x["intparm"], x["flags"], x["lpm"], x["devno"]), (0, 0x0081, 0x80, 0x120))
        self.assertEqual(res.state.control_registers[0], 0xE0)
        self.assertEqual(res.state.control_registers[14], 0xC2000000)
        mem = res.state.storage()
        self.assertEqual(len(mem), hr.MAINSIZE_MB << 20)
        self.assertEqual(mem[0xB8:0xC0], bytes.fromhex("0001000000000000"))
        self.assertEqual(mem[0:8], bytes.fromhex("000A00008000C0DE"))

    def test_program_interrupt_loop(self):
        # IPL PSW into zeroed storage: operation exception, and the program-new
        # PSW is zero too, so Hercules reports a program interrupt loop.
        patch_ipl1(self.volume, bytes.fromhex("0008000080003000") +
                   ccw0(0x06, 0x800, 0x20, 0x90) + bytes(8))
        res = hr.run(self.volume, "0120", timeout=20)
        self.assertEqual(res.outcome, "program-loop", res.log)
        self.assertGreaterEqual(res.program_interrupts, 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
