#!/usr/bin/env python3
"""Pack ccwboot's image for the self-unpacking stub (src/platform/s390x/unpack).

The format ("CLZ1") is ccwboot's own, an LZ77 variant; include/ccwboot/lz_unpack.h
is its decoder. The stream mixes whole bytes and bits: bits come MSB first
from a tag byte, and when the tag is used up the next bit takes the next
byte of the stream as the new tag. Items:
  bit 0, byte B                    one literal byte B
  bit 1, gamma(L-1), gamma(H+1), byte low
                                   a copy of L >= 2 bytes from O = (H << 8 | low) + 1
                                   bytes back (it may overlap what it writes)
  gamma(v), v >= 1: as many 0 bits as v has bits after its leading 1, then v.
The stream ends when the descriptor's unpacked size is reached. Literal bytes
and offsets' low bytes are whole bytes so that the stub copies them instead
of shifting them bit by bit (TCG runs the stub; each instruction counts).

    lzpack.py --elf ccwboot.elf --bin ccwboot.bin --nm NM --out ccwboot.lz --asm payload.S
    lzpack.py --raw IN OUT           (stream only, for tests)

The descriptor in front of the stream (big-endian, include/ccwboot/lz_unpack.h
UnpackDescriptor) tells the stub where the image goes and what to do after:
unpacked size, size with bss, entry, the R_390_RELATIVE table's place, a
checksum. Every stream is decoded again here before it is written.
Standard library only.
"""
import argparse
import struct
import subprocess
import sys

MAGIC = b"CCWLZ1\0\0"
MAX_LEN = 4096      # longest copy the packer emits
CHAIN = 2048        # earlier positions tried per position: 24 left 2.2 KB of matches unfound
PAGE = 4096


def fail(msg):
    sys.exit("lzpack: " + msg)


def gamma_bits(v):
    return 2 * (v.bit_length() - 1) + 1


def copy_bits(length, offset):
    return 1 + gamma_bits(length - 1) + gamma_bits(((offset - 1) >> 8) + 1) + 8


def matches_at(data, i, heads, prev):
    """(length, offset) pairs at i, each longer than the one before, nearest first."""
    n = len(data)
    out = []
    best = 1
    limit = min(MAX_LEN, n - i)
    if limit < 2:
        return out
    c = heads.get(data[i:i + 2])
    tries = CHAIN
    while c is not None and tries:
        tries -= 1
        if best < limit and data[c + best] == data[i + best]:
            l = 2
            while l + 16 <= limit and data[c + l:c + l + 16] == data[i + l:i + l + 16]:
                l += 16
            while l < limit and data[c + l] == data[i + l]:
                l += 1
            if l > best:
                out.append((l, i - c))
                best = l
                if l == limit:
                    break
        c = prev[c]
    return out


def compress(data):
    n = len(data)
    heads, prev = {}, [None] * n
    found = [None] * n
    for i in range(n):
        found[i] = matches_at(data, i, heads, prev)
        if i + 1 < n:
            k = data[i:i + 2]
            prev[i] = heads.get(k)
            heads[k] = i
    # Cheapest parse, from the end backwards: cost[i] bits to code data[i:].
    cost = [0] * (n + 1)
    step = [None] * n
    for i in range(n - 1, -1, -1):
        best, choice = 9 + cost[i + 1], None
        shorter = 1
        for length, offset in found[i]:
            lengths = range(shorter + 1, length + 1) if length <= 16 else \
                list(range(shorter + 1, min(length, 16) + 1)) + [length]
            for l in lengths:
                c = copy_bits(l, offset) + cost[i + l]
                if c < best:
                    best, choice = c, (l, offset)
            shorter = length
        cost[i], step[i] = best, choice
    w = Writer()
    i = 0
    while i < n:
        if step[i] is None:
            w.bit(0)
            w.byte(data[i])
            i += 1
        else:
            length, offset = step[i]
            w.bit(1)
            w.gamma(length - 1)
            w.gamma(((offset - 1) >> 8) + 1)
            w.byte((offset - 1) & 0xff)
            i += length
    return bytes(w.out)


class Writer:
    """Bytes in order; bits go to the current tag byte, a new one is
    appended where the next bit is written when the tag is full."""

    def __init__(self):
        self.out = bytearray()
        self.tag = -1
        self.free = 0

    def bit(self, b):
        if self.free == 0:
            self.tag = len(self.out)
            self.out.append(0)
            self.free = 8
        self.free -= 1
        self.out[self.tag] |= b << self.free

    def byte(self, v):
        self.out.append(v)

    def gamma(self, v):
        w = v.bit_length()
        for _ in range(w - 1):
            self.bit(0)
        for k in range(w - 1, -1, -1):
            self.bit((v >> k) & 1)


def decompress(stream, size):
    """Reference decoder, the same rules as lz_unpack.cc."""
    st = {"pos": 0, "tag": 0, "left": 0}

    def byte():
        if st["pos"] >= len(stream):
            fail("stream ends early")
        st["pos"] += 1
        return stream[st["pos"] - 1]

    def bit():
        if st["left"] == 0:
            st["tag"], st["left"] = byte(), 8
        st["left"] -= 1
        return (st["tag"] >> st["left"]) & 1

    def gamma():
        z = 0
        while bit() == 0:
            z += 1
        v = 1
        for _ in range(z):
            v = (v << 1) | bit()
        return v

    out = bytearray()
    while len(out) < size:
        if bit() == 0:
            out.append(byte())
        else:
            length = gamma() + 1
            offset = ((gamma() - 1) << 8 | byte()) + 1
            if offset > len(out):
                fail("copy before the start")
            for _ in range(length):
                out.append(out[-offset])
    return bytes(out)


def checksum(data):
    """Adler-32 (RFC 1950), as lz::checksum() computes it."""
    a, b = 1, 0
    for x in data:
        a = (a + x) % 65521
        b = (b + a) % 65521
    return (b << 16) | a


def symbols(nm, elf):
    out = subprocess.run([nm, elf], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", nargs=2, metavar=("IN", "OUT"))
    ap.add_argument("--elf")
    ap.add_argument("--bin")
    ap.add_argument("--nm")
    ap.add_argument("--out")
    ap.add_argument("--asm")
    a = ap.parse_args()
    if a.raw:
        data = open(a.raw[0], "rb").read()
        stream = compress(data)
        if decompress(stream, len(data)) != data:
            fail("round trip failed")
        open(a.raw[1], "wb").write(stream)
        return
    elf = open(a.elf, "rb").read()
    entry, = struct.unpack_from(">Q", elf, 24)
    syms = symbols(a.nm, a.elf)
    data = open(a.bin, "rb").read()
    memsz = syms["__image_end"]
    # objcopy's binary ends with the last section; __file_end is 8-aligned
    if syms["__image_start"] != 0 or not 0 <= syms["__file_end"] - len(data) < 8:
        fail("%s is not the image from 0 to __file_end" % a.bin)
    data += bytes(syms["__file_end"] - len(data))
    stream = compress(data)
    if decompress(stream, len(data)) != data:
        fail("round trip failed")
    # The stub copies itself to `high` above its load address before it
    # unpacks: page aligned, above everything the unpacking writes. It checks
    # at run time that its own size fits below `high` (it must not overlap).
    high = (len(data) + PAGE - 1) // PAGE * PAGE
    blob = struct.pack(">8sQQQQQQII", MAGIC, len(data), memsz, entry, syms["__rela_start"],
                       syms["__rela_end"], high, checksum(data), len(stream)) + stream
    open(a.out, "wb").write(blob)
    with open(a.asm, "w") as f:
        f.write("/* generated by tools/lzpack/lzpack.py: the packed image for the stub */\n")
        f.write('\t.section .rodata.payload,"a"\n\t.balign 8\n\t.globl unpack_payload\n')
        f.write('unpack_payload:\n\t.incbin "%s"\n' % a.out)
        f.write("\t.balign 8\n\t.globl unpack_payload_end\nunpack_payload_end:\n")
        # What the image needs above its load address while the stub runs:
        # the unpacked image with bss, or the stub's copy at `high` with its stack.
        f.write('\t.section .bss.reserve,"aw",@nobits\n\t.balign 8\n')
        f.write("\t.globl unpack_reserve\nunpack_reserve:\n\t.skip %d\n" % max(high, memsz))
    print("lzpack: %d -> %d bytes (%.1f%%)" % (len(data), len(blob), 100.0 * len(blob) / len(data)))


if __name__ == "__main__":
    main()
