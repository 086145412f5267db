#!/usr/bin/env python3
"""Checks tests/linux/net_peer.py without QEMU: this script plays the guest
on the peer's socket (4-byte length + Ethernet frame), with its own framing
and a plain word-by-word checksum, and checks ARP, DHCP, DNS and TFTP
replies field by field. The QEMU tests trust the peer; this is why.

    net_peer_test.py        (ctest linux.net_peer_checks, label unit)
"""

from __future__ import annotations

import os
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import net_peer  # noqa: E402
from net_peer import NetPeer  # noqa: E402

GUEST_MAC = bytes.fromhex("525400123456")
failures: list[str] = []


def check(cond: bool, what: str) -> None:
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def plain_sum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = 0
    for i in range(0, len(data), 2):
        s += (data[i] << 8) | data[i + 1]
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


class Guest:
    def __init__(self, path: str):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.s.settimeout(2.0)
        self.buf = b""

    def send_udp(self, src: str, dst: str, sport: int, dport: int, payload: bytes,
                 dst_mac: bytes = b"\xff" * 6) -> None:
        ulen = 8 + len(payload)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0, 64, 17, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
        frame = dst_mac + GUEST_MAC + b"\x08\x00" + ip + struct.pack("!HHHH", sport, dport, ulen,
                                                                     0) + payload
        self.s.sendall(struct.pack("!I", len(frame)) + frame)

    def send_raw(self, frame: bytes) -> None:
        self.s.sendall(struct.pack("!I", len(frame)) + frame)

    def frame(self, timeout: float = 2.0) -> bytes | None:
        end = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 4:
                n = struct.unpack("!I", self.buf[:4])[0]
                if len(self.buf) >= 4 + n:
                    f, self.buf = self.buf[4:4 + n], self.buf[4 + n:]
                    return f
            left = end - time.monotonic()
            if left <= 0:
                return None
            self.s.settimeout(left)
            try:
                chunk = self.s.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                return None
            self.buf += chunk

    def udp(self, timeout: float = 2.0):
        """The next UDP datagram: (src ip, src port, dst port, payload), checksums checked."""
        f = self.frame(timeout)
        if f is None:
            return None
        check(f[12:14] == b"\x08\x00", "a frame that is not IPv4: %r" % f[:16])
        ip = f[14:34]
        check(plain_sum(ip) == 0xFFFF, "IPv4 header checksum")
        total = struct.unpack("!H", ip[2:4])[0]
        udp = f[34:14 + total]
        sport, dport, ulen, csum = struct.unpack("!HHHH", udp[:8])
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, ulen)
        check(csum != 0 and plain_sum(pseudo + udp[:ulen]) == 0xFFFF, "UDP checksum")
        return socket.inet_ntoa(ip[12:16]), sport, dport, udp[8:ulen]


def dhcp_options(p: bytes) -> dict:
    o, i = {}, 240
    while i < len(p) and p[i] != 255:
        if p[i] == 0:
            i += 1
            continue
        o[p[i]] = p[i + 2:i + 2 + p[i + 1]]
        i += 2 + p[i + 1]
    return o


def main() -> int:
    # The fast checksum against the plain one.
    for n in (0, 1, 2, 3, 20, 1471, 1500):
        for data in (os.urandom(n), b"\0" * n, b"\xff" * n):
            check(net_peer.checksum(data) == (~plain_sum(data) & 0xFFFF) or
                  (plain_sum(data) == 0 and net_peer.checksum(data) == 0xFFFF),
                  "checksum of %d bytes %r..." % (n, data[:4]))

    with tempfile.TemporaryDirectory(prefix="ccwboot-peer-test-") as t:
        root = Path(t) / "root"
        root.mkdir()
        data = os.urandom(10000)
        (root / "f").write_bytes(data)
        (Path(t) / "outside").write_bytes(b"secret")
        peer = NetPeer(Path(t) / "s.sock", root, "boot/pxe.cfg", server_name="boot.example.test")
        peer.start()
        try:
            g = Guest(str(Path(t) / "s.sock"))

            # ARP: answered for the peer's addresses only.
            def arp(target: str) -> bytes:
                return (b"\xff" * 6 + GUEST_MAC + b"\x08\x06" +
                        struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + GUEST_MAC +
                        socket.inet_aton(net_peer.CLIENT) + b"\0" * 6 + socket.inet_aton(target))
            g.send_raw(arp(net_peer.TFTP_SERVER))
            f = g.frame()
            check(f is not None and f[12:14] == b"\x08\x06" and f[20:22] == b"\0\2" and
                  f[22:28] == net_peer.PEER_MAC and f[28:32] == socket.inet_aton(net_peer.TFTP_SERVER)
                  and f[0:6] == GUEST_MAC, "ARP reply for the TFTP server: %r" % f)
            g.send_raw(arp("10.0.3.99"))
            check(g.frame(0.3) is None, "ARP answered for an address that is not the peer's")

            # DHCP: DISCOVER -> OFFER, REQUEST -> ACK, with options 1, 3, 6, 66, 67.
            for kind, want in ((1, 2), (3, 5)):
                bootp = struct.pack("!BBBB4sHH4s4s4s4s16s64s128s4s", 1, 1, 6, 0, b"\x12\x34\x56\x78",
                                    0, 0x8000, b"\0" * 4, b"\0" * 4, b"\0" * 4, b"\0" * 4,
                                    GUEST_MAC + b"\0" * 10, b"", b"", b"\x63\x82\x53\x63")
                g.send_udp("0.0.0.0", "255.255.255.255", 68, 67, bootp + bytes([53, 1, kind, 255]))
                r = g.udp()
                check(r is not None and r[1:3] == (67, 68), "DHCP reply %d: %r" % (want, r))
                if r is None:
                    break
                p = r[3]
                o = dhcp_options(p)
                check(p[0] == 2 and p[4:8] == b"\x12\x34\x56\x78" and p[28:34] == GUEST_MAC,
                      "BOOTP reply fields")
                check(p[16:20] == socket.inet_aton(net_peer.CLIENT), "yiaddr")
                check(p[20:24] == b"\0" * 4, "siaddr is 0 when option 66 names the server")
                check(o.get(53) == bytes([want]), "option 53 = %d: %r" % (want, o.get(53)))
                check(o.get(1) == socket.inet_aton(net_peer.NETMASK), "option 1")
                check(o.get(3) == socket.inet_aton(net_peer.ROUTER), "option 3")
                check(o.get(6) == socket.inet_aton(net_peer.DNS_SERVER), "option 6")
                check(o.get(54) == socket.inet_aton(net_peer.ROUTER), "option 54")
                check(o.get(66) == b"boot.example.test", "option 66: %r" % o.get(66))
                check(o.get(67) == b"boot/pxe.cfg", "option 67: %r" % o.get(67))

            # DNS: the name's A record, NXDOMAIN for another, silence when told.
            def query(name: str, qid: int) -> bytes:
                q = b"".join(bytes([len(x)]) + x.encode() for x in name.split(".")) + b"\0"
                return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + b"\0\1\0\1"
            g.send_udp(net_peer.CLIENT, net_peer.DNS_SERVER, 5353, 53, query("boot.example.test", 7),
                       net_peer.PEER_MAC)
            r = g.udp()
            check(r is not None and r[0] == net_peer.DNS_SERVER and r[1:3] == (53, 5353),
                  "DNS reply: %r" % (r,))
            if r:
                d = r[3]
                check(struct.unpack("!HHHH", d[:8]) == (7, 0x8180, 1, 1), "DNS header %r" % d[:8])
                check(d.endswith(socket.inet_aton(net_peer.TFTP_SERVER)) and d[-16:-14] == b"\xc0\x0c"
                      and d[-14:-10] == b"\0\1\0\1", "DNS A record %r" % d[-16:])
            g.send_udp(net_peer.CLIENT, net_peer.DNS_SERVER, 5353, 53, query("other.test", 8),
                       net_peer.PEER_MAC)
            r = g.udp()
            check(r is not None and struct.unpack("!HHHH", r[3][:8]) == (8, 0x8183, 1, 0),
                  "NXDOMAIN for an unknown name: %r" % (r,))
            peer.dns_mode = "silent"
            g.send_udp(net_peer.CLIENT, net_peer.DNS_SERVER, 5353, 53, query("boot.example.test", 9),
                       net_peer.PEER_MAC)
            check(g.udp(0.3) is None, "a silent name server answered")

            # TFTP: options, windows, a duplicate ACK, the end; errors.
            def rrq(name: str, port: int, *opts: str) -> None:
                body = b"\0\1" + name.encode() + b"\0octet\0" + b"".join(o.encode() + b"\0" for o in opts)
                g.send_udp(net_peer.CLIENT, net_peer.TFTP_SERVER, port, 69, body, net_peer.PEER_MAC)

            def ack(tid: int, port: int, block: int) -> None:
                g.send_udp(net_peer.CLIENT, net_peer.TFTP_SERVER, port, tid,
                           struct.pack("!HH", 4, block), net_peer.PEER_MAC)

            def blocks(tid: int, n: int) -> list[int]:
                got = []
                for _ in range(n):
                    r = g.udp()
                    if r is None or r[1] != tid or r[3][:2] != b"\0\3":
                        check(False, "expected a DATA packet: %r" % (r,))
                        break
                    b = struct.unpack("!H", r[3][2:4])[0]
                    check(r[3][4:] == data[(b - 1) * 1468:b * 1468], "block %d's data" % b)
                    got.append(b)
                return got

            rrq("f", 50000, "blksize", "2000", "tsize", "0", "windowsize", "4")
            r = g.udp()
            check(r is not None and r[3] == b"\0\6blksize\0" + b"1468\0tsize\0" + b"10000\0windowsize\0" +
                  b"4\0", "OACK: %r" % (r,))
            tid = r[1] if r else 0
            ack(tid, 50000, 0)
            check(blocks(tid, 4) == [1, 2, 3, 4], "first window")
            ack(tid, 50000, 2)  # a gap after block 2: the window starts at 3
            check(blocks(tid, 4) == [3, 4, 5, 6], "window after ACK 2")
            ack(tid, 50000, 6)
            check(blocks(tid, 1) == [7], "the last, short block")
            check(g.udp(0.3) is None, "more than the 7 blocks of 10,000 bytes")
            ack(tid, 50000, 7)
            time.sleep(0.2)
            done = peer.find("tftp", file="f", result="sent")
            check(len(done) == 1 and done[0]["acks"] == 4 and done[0]["windowsize"] == 4 and
                  done[0]["blocks"] == 7 and done[0]["resent"] == 2, "transfer log %r" % done)

            for name in ("missing", "../outside"):
                rrq(name, 50001, "blksize", "1468")
                r = g.udp()
                check(r is not None and r[3][:4] == b"\0\5\0\1", "%s: error 1, got %r" % (name, r))
        finally:
            peer.stop()
        check(peer.error is None, "the peer failed: %s" % peer.error)
        check(not os.path.exists(Path(t) / "s.sock"), "the socket is left behind")
    print("%s: %d failures" % ("FAIL" if failures else "PASS", len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
