#!/usr/bin/env python3
"""Pack ccwboot's image for the self-unpacking stub (src/platform/s390x/unpack).

The format ("CLZ1") is ccwboot's own, an LZ77 variant with bit-coded fields,
read MSB first; include/ccwboot/lz_unpack.h is its decoder:
  0 + 8 bits                  one literal byte
  1 + gamma(L-1) + gamma(H+1) + 8 bits (low)
                              a copy of L >= 2 bytes from O = (H << 8 | low) + 1
                              bytes back
  gamma(v), v >= 1: as many 0 bits as v has bits after its leading 1, then v.
The stream ends when the descriptor's unpacked size is reached.

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
CHAIN = 24          # earlier positions tried per position
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
    bits = BitWriter()
    i = 0
    while i < n:
        if step[i] is None:
            bits.put(0, 1)
            bits.put(data[i], 8)
            i += 1
        else:
            length, offset = step[i]
            bits.put(1, 1)
            bits.gamma(length - 1)
            bits.gamma(((offset - 1) >> 8) + 1)
            bits.put((offset - 1) & 0xff, 8)
            i += length
    return bits.finish()


class BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.count = 0

    def put(self, value, width):
        self.acc = (self.acc << width) | value
        self.count += width
        while self.count >= 8:
            self.count -= 8
            self.out.append((self.acc >> self.count) & 0xff)
        self.acc &= (1 << self.count) - 1

    def gamma(self, v):
        w = v.bit_length()
        self.put(0, w - 1)
        self.put(v, w)

    def finish(self):
        if self.count:
            self.out.append((self.acc << (8 - self.count)) & 0xff)
        return bytes(self.out)


def decompress(stream, size):
    """Reference decoder, the same rules as lz_unpack.cc."""
    pos = [0]

    def bit():
        byte = pos[0] >> 3
        if byte >= len(stream):
            fail("stream ends early")
        b = (stream[byte] >> (7 - (pos[0] & 7))) & 1
        pos[0] += 1
        return b

    def bits(w):
        v = 0
        for _ in range(w):
            v = (v << 1) | bit()
        return v

    def gamma():
        z = 0
        while bit() == 0:
            z += 1
        return (1 << z) | bits(z)

    out = bytearray()
    while len(out) < size:
        if bit() == 0:
            out.append(bits(8))
        else:
            length = gamma() + 1
            offset = ((gamma() - 1) << 8 | bits(8)) + 1
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
