#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the byte-level fuzz targets.

corpus/iplb/: IPL parameter blocks as QEMU stores them (CCW type with and
without a loadparm, QEMU's SCSI type, a truncated one).
corpus/format/: one input per conversion, in fuzz_format.cc's encoding
(conversion index, flags, width, precision, length, 8-byte value, buffer
size, string argument).

The DASD target's seeds come from mkdasd's shapes (make_dasd_seeds).
Usage: tests/fuzz/make_seeds.py   (rewrites the files in place)
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def ebcdic(text):
    table = {' ': 0x40, '.': 0x4b, '-': 0x60, '_': 0x6d}
    for i, c in enumerate('ABCDEFGHI'):
        table[c] = 0xc1 + i
    for i, c in enumerate('JKLMNOPQR'):
        table[c] = 0xd1 + i
    for i, c in enumerate('STUVWXYZ'):
        table[c] = 0xe2 + i
    for i in range(10):
        table[str(i)] = 0xf0 + i
    return bytes(table[c] for c in text)


def iplb(ptype, flags=0x00, loadparm='        ', devno=0x0120, ssid=0, length=0x78):
    b = bytearray(length)
    struct.pack_into('>I', b, 0x00, length)
    b[0x04] = 0x01                        # version
    struct.pack_into('>I', b, 0x08, length - 8)  # block 0 length
    b[0x0c] = ptype
    b[0x0d] = flags
    b[0x10:0x18] = ebcdic(loadparm)
    if length >= 0x70:
        b[0x6d] = ssid
        struct.pack_into('>H', b, 0x6e, devno)
    return bytes(b)


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def main():
    write('iplb', 'ccw-default', iplb(0x02))
    write('iplb', 'ccw-loadparm-prompt', iplb(0x02, flags=0x80, loadparm='PROMPT  ', devno=0x5678, ssid=1))
    write('iplb', 'ccw-loadparm-1', iplb(0x02, flags=0x80, loadparm='1       '))
    write('iplb', 'qemu-scsi', iplb(0xff, flags=0x80, loadparm='2       ', length=0x98))
    write('iplb', 'fcp', iplb(0x00, length=0x130))
    write('iplb', 'ccw-truncated', iplb(0x02, length=0x70)[:0x40])

    conversions = 'diuxXocs%p'
    seeds = [
        ('d', 0x20, 8, 0, 0, -42 & (2**64 - 1), 64, b''),       # %8d
        ('i', 0x22, 5, 0, 3, 7, 3, b''),                      # %05lli, tiny buffer
        ('u', 0x40, 0, 6, 1, 12345, 200, b''),                # %.6hu
        ('x', 0x08, 0xf6, 0, 4, 0xdeadbeefcafe, 100, b''),    # %*llx, negative width
        ('X', 0x04, 0, 0, 0, 0xcb0102, 100, b''),             # %#X
        ('o', 0x25, 12, 0, 5, 0o777, 100, b''),               # %-#12zo
        ('c', 0x21, 4, 0, 0, ord('Q'), 100, b''),             # %-4c
        ('s', 0x50, 0, 0xfd, 0, 0, 100, b'LOADPARM=[PROMPT  ]'),  # %.*s, negative precision
        ('%', 0x00, 0, 0, 0, 0, 100, b'literal text'),
        ('p', 0x00, 0, 0, 0, 0x12345678, 100, b''),
    ]
    for conv, flags, width, prec, length, value, size, rest in seeds:
        data = bytes([conversions.index(conv), flags, width & 0xff, prec & 0xff, length])
        data += struct.pack('>Q', value) + bytes([size]) + rest
        write('format', 'conv-' + {'%': 'percent'}.get(conv, conv if conv.islower() else 'upper-' + conv.lower()), data)


if __name__ == '__main__':
    main()
