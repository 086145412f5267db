#!/usr/bin/env python3
"""Writes the seed corpora of the network boot fuzz targets (run by hand,
output checked in): tests/fuzz/make_net_seeds.py tests/fuzz/corpus"""
import struct
import sys
from pathlib import Path

XID = 0x63637762
MAC = bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])


def csum(b: bytes, s: int = 0) -> int:
    if len(b) % 2:
        b += b"\0"
    for i in range(0, len(b), 2):
        s += (b[i] << 8) | b[i + 1]
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp_frame(payload: bytes, src=0x0a000202, dst=0x0a00020f, sport=67, dport=68) -> bytes:
    udp_len = 8 + len(payload)
    ip = bytearray(struct.pack(">BBHHHBBHII", 0x45, 0, 20 + udp_len, 0, 0, 64, 17, 0, src, dst))
    ip[10:12] = struct.pack(">H", csum(bytes(ip)))
    pseudo = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 17 + udp_len
    udp = bytearray(struct.pack(">HHHH", sport, dport, udp_len, 0) + payload)
    udp[6:8] = struct.pack(">H", csum(bytes(udp), pseudo) or 0xffff)
    return MAC + bytes([0x52, 0x55, 10, 0, 2, 2]) + b"\x08\x00" + bytes(ip) + bytes(udp)


def dhcp(type_: int, bootfile: bytes = b"pxe.cfg") -> bytes:
    p = bytearray(240)
    p[0:3] = b"\x02\x01\x06"
    p[4:8] = struct.pack(">I", XID)
    p[16:20] = struct.pack(">I", 0x0a00020f)
    p[20:24] = struct.pack(">I", 0x0a000202)
    p[28:34] = MAC
    p[236:240] = struct.pack(">I", 0x63825363)
    p += bytes([53, 1, type_, 1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 2, 2, 54, 4, 10, 0, 2, 2])
    p += bytes([67, len(bootfile)]) + bootfile + bytes([66, 8]) + b"10.0.2.2" + b"\xff"
    return bytes(p)


def chunk(payload: bytes, flags: int = 0) -> bytes:
    return bytes([flags]) + struct.pack(">H", len(payload)) + payload


def data(block: int, body: bytes) -> bytes:
    return struct.pack(">HH", 3, block) + body


def main() -> None:
    out = Path(sys.argv[1])
    seeds = {
        "net_dhcp": {
            "offer": dhcp(2),
            "ack_frame": udp_frame(dhcp(5)),
            "arp_reply": MAC + bytes([0x52, 0x55, 10, 0, 2, 2]) + b"\x08\x06"
            + struct.pack(">HHBBH", 1, 0x0800, 6, 4, 2) + bytes([0x52, 0x55, 10, 0, 2, 2])
            + struct.pack(">I", 0x0a000202) + MAC + struct.pack(">I", 0x0a00020f) + bytes(18),
        },
        "net_pxelinux": {
            "two_labels": b"# pxelinux.cfg\ndefault rescue\ntimeout 5\nlabel debian\n  kernel vmlinuz\n"
            b"  initrd initrd.img\n  append console=ttysclp0\nlabel rescue\n  KERNEL vmlinuz\n"
            b"  append single\n",
            "ins": b"* Debian GNU/Linux for S/390\nkernel.debian 0x00000000\n"
            b"parmfile.debian 0x00010480\ninitrd.debian 0x00800000\ninitrd.off 0x00010408\n"
            b"initrd.siz 0x00010410\n",
        },
        "net_tftp": {
            "oack_three_blocks": chunk(b"\x00\x06blksize\x001428\x00tsize\x003000\x00")
            + chunk(data(1, b"A" * 1428)) + chunk(data(2, b"B" * 1428)) + chunk(data(3, b"C" * 144)),
            "no_options": chunk(data(1, b"k" * 100)),
            "not_found": chunk(b"\x00\x05\x00\x01File not found\x00"),
            "window": chunk(b"\x00\x06blksize\x008\x00windowsize\x004\x00tsize\x0020\x00")
            + chunk(data(1, b"12345678")) + chunk(data(3, b"abcd")) + chunk(data(2, b"ABCDEFGH"))
            + chunk(data(3, b"abcd")),
            "stranger_then_data": chunk(data(1, b"x" * 10), 2) + chunk(data(1, b"y" * 10)),
        },
    }
    for target, files in seeds.items():
        d = out / target
        d.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (d / name).write_bytes(content)


if __name__ == "__main__":
    main()
