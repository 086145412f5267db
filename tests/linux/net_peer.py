#!/usr/bin/env python3
"""A network peer for QEMU's virtio-net under our control: ARP, DHCP, DNS and
TFTP (RFC 1350 with blksize, tsize and windowsize, RFC 2347/2348/2349/7440).

QEMU's user network (slirp) cannot hand out a host name in option 66, has no
name server we control, and ignores windowsize; this peer does all three and
logs what each firmware asked for. QEMU reaches it through a stream netdev
on a Unix socket (QEMU 7.2 and 10.0 both have it; each frame on the stream
is a 4-byte big-endian length and the Ethernet frame):

    -netdev stream,id=n0,server=off,addr.type=unix,addr.path=SOCK
    -device virtio-net-ccw,netdev=n0,...

Library use (tests/linux/net_peer_boot.py, bench/netboot_bench.py):

    peer = NetPeer(sock, root=DIR, bootfile="pxe.cfg", server_name="boot.example.test")
    peer.start()            # listens; start QEMU after this
    ...
    peer.stop()             # closes the socket, joins the thread
    peer.events             # [{"what": "dhcp", ...}, {"what": "dns", ...}, {"what": "tftp", ...}]

Command line, to boot any firmware by hand against it (Ctrl-C stops it):

    net_peer.py --socket /tmp/n.sock --root DIR --bootfile pxe.cfg [--server-name NAME]
                [--dns NAME=IP]... [--dns-mode answer|nxdomain|silent]
                [--blksize-max N] [--window-max N]

Addresses (one MAC answers ARP for all of them): router and DHCP server
10.0.3.1, TFTP server 10.0.3.4, name server 10.0.3.3, the client gets
10.0.3.15/24. With a server name, siaddr is 0 and the TFTP server's address
is only in the name server's answer.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
from pathlib import Path

PEER_MAC = bytes.fromhex("525400fe0001")
ROUTER = "10.0.3.1"  # also the DHCP server
DNS_SERVER = "10.0.3.3"
TFTP_SERVER = "10.0.3.4"
CLIENT = "10.0.3.15"
NETMASK = "255.255.255.0"
BROADCAST_MAC = b"\xff" * 6

# The largest block that fits a 1500-byte frame (IPv4 20 + UDP 8 + TFTP 4).
MAX_BLKSIZE = 1468
RETRANSMIT_S = 1.0
MAX_RETRANSMITS = 8


def ip4(s: str) -> bytes:
    return socket.inet_aton(s)


def checksum(data: bytes) -> int:
    """The Internet checksum. 2^16 = 1 modulo 0xFFFF, so the one's complement
    sum of the 16-bit words is the whole buffer as one number modulo 0xFFFF
    (0xFFFF, not 0, for data that is not all zero): one C-level operation
    instead of a Python loop, which made the peer the bottleneck."""
    if len(data) % 2:
        data += b"\0"
    s = int.from_bytes(data, "big") % 0xFFFF
    if s == 0 and any(data):
        s = 0xFFFF
    return ~s & 0xFFFF


def udp_frame(dst_mac: bytes, src_ip: str, dst_ip: str, sport: int, dport: int,
              payload: bytes) -> bytes:
    src, dst = ip4(src_ip), ip4(dst_ip)
    ulen = 8 + len(payload)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, ulen)
    udp = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    csum = checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", csum) + udp[8:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0x4000, 64, 17, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return dst_mac + PEER_MAC + b"\x08\x00" + hdr + udp


class Transfer:
    """One TFTP read: blocks numbered from 1 without wrapping (block % 65536 on the wire)."""

    def __init__(self, name: str, data: bytes, client: tuple, mac: bytes, tid: int,
                 blksize: int, window: int, oack: bool):
        self.name, self.data, self.client, self.mac, self.tid = name, data, client, mac, tid
        self.blksize, self.window = blksize, window
        self.blocks = len(data) // blksize + 1  # the last one is short, maybe empty
        self.acked = 0  # highest block acknowledged in order (0: the OACK's)
        self.sent = 0  # highest block sent
        self.awaiting_oack_ack = oack
        self.oack = b""
        self.deadline = 0.0
        self.retransmits = 0
        self.acks = 0
        self.windows_sent = 0
        self.resent_blocks = 0
        self.start = time.monotonic()


class NetPeer:
    def __init__(self, sock_path: str | os.PathLike, root: str | os.PathLike, bootfile: str,
                 server_name: str | None = None, dns: dict[str, str] | None = None,
                 dns_mode: str = "answer", blksize_max: int = MAX_BLKSIZE, window_max: int = 16,
                 log=None):
        self.sock_path = str(sock_path)
        self.root = Path(root).resolve()
        self.bootfile, self.server_name = bootfile, server_name
        self.dns = dict(dns or {})
        if server_name and not self.dns:
            self.dns[server_name] = TFTP_SERVER
        self.dns_mode, self.blksize_max, self.window_max = dns_mode, blksize_max, window_max
        self.log = log
        self.events: list[dict] = []
        self._transfers: dict[tuple, Transfer] = {}
        self._next_tid = 40000
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listener: socket.socket | None = None
        self._conn: socket.socket | None = None
        self.error: str | None = None

    # -- life cycle ---------------------------------------------------------
    def start(self) -> None:
        try:
            os.unlink(self.sock_path)
        except FileNotFoundError:
            pass
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.sock_path)
        self._listener.listen(1)
        self._thread = threading.Thread(target=self._run, name="net-peer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        for s in (self._conn, self._listener):
            if s:
                s.close()
        try:
            os.unlink(self.sock_path)
        except FileNotFoundError:
            pass

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def netdev_args(self, devno: str = "fe.0.0002", bootindex: int | None = 1) -> list[str]:
        dev = "virtio-net-ccw,netdev=n0,devno=%s,mac=52:54:00:12:34:56" % devno
        if bootindex is not None:
            dev += ",bootindex=%d" % bootindex
        return ["-netdev", "stream,id=n0,server=off,addr.type=unix,addr.path=%s" % self.sock_path,
                "-device", dev]

    def _event(self, what: str, **kw) -> None:
        if self.log:
            self.log("net-peer: %s %s" % (what, " ".join("%s=%s" % kv for kv in kw.items())))
        kw["what"] = what
        kw["t"] = round(time.monotonic(), 3)
        self.events.append(kw)

    # -- the loop -----------------------------------------------------------
    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                r, _, _ = select.select([self._listener], [], [], 0.1)
                if r:
                    self._conn, _ = self._listener.accept()
                    self._event("connect")
                    try:
                        self._serve(self._conn)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # QEMU went away (killed once a test has seen enough)
                    self._conn.close()
                    self._conn = None
                    self._event("disconnect")
        except Exception as e:  # noqa: BLE001 - reported through .error and the log
            self.error = "%s: %s" % (type(e).__name__, e)
            self._event("error", text=self.error)

    def _serve(self, conn: socket.socket) -> None:
        buf = b""
        while not self._stop.is_set():
            r, _, _ = select.select([conn], [], [], 0.05)
            if r:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buf += chunk
                while len(buf) >= 4:
                    n = struct.unpack("!I", buf[:4])[0]
                    if len(buf) < 4 + n:
                        break
                    frame, buf = buf[4:4 + n], buf[4 + n:]
                    self._frame(frame)
            self._timers()

    def _send(self, *frames: bytes) -> None:
        out = []
        for f in frames:
            if len(f) < 60:
                f += b"\0" * (60 - len(f))
            out += [struct.pack("!I", len(f)), f]
        self._conn.sendall(b"".join(out))

    def _frame(self, f: bytes) -> None:
        if len(f) < 14:
            return
        src_mac, etype = f[6:12], struct.unpack("!H", f[12:14])[0]
        if etype == 0x0806:
            self._arp(f[14:])
        elif etype == 0x0800:
            self._ipv4(src_mac, f[14:])

    def _arp(self, p: bytes) -> None:
        if len(p) < 28:
            return
        htype, ptype, hlen, plen, op = struct.unpack("!HHBBH", p[:8])
        sha, spa, tpa = p[8:14], p[14:18], p[24:28]
        if (htype, ptype, hlen, plen, op) != (1, 0x0800, 6, 4, 1):
            return
        if socket.inet_ntoa(tpa) not in (ROUTER, DNS_SERVER, TFTP_SERVER):
            return
        reply = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + PEER_MAC + tpa + sha + spa
        self._send(sha + PEER_MAC + b"\x08\x06" + reply)

    def _ipv4(self, src_mac: bytes, p: bytes) -> None:
        if len(p) < 20 or p[0] >> 4 != 4:
            return
        ihl = (p[0] & 15) * 4
        total = struct.unpack("!H", p[2:4])[0]
        if p[9] != 17 or total > len(p) or ihl < 20:
            return
        src, dst = socket.inet_ntoa(p[12:16]), socket.inet_ntoa(p[16:20])
        udp = p[ihl:total]
        if len(udp) < 8:
            return
        sport, dport, ulen = struct.unpack("!HHH", udp[:6])
        payload = udp[8:ulen]
        if dport == 67:
            self._dhcp(src_mac, payload)
        elif dport == 53 and dst == DNS_SERVER:
            self._dns(src_mac, src, sport, payload)
        elif dst == TFTP_SERVER and dport == 69:
            self._rrq(src_mac, src, sport, payload)
        elif dst == TFTP_SERVER and (src, sport, dport) in self._transfers:
            self._tftp_packet(self._transfers[(src, sport, dport)], payload)

    # -- DHCP ---------------------------------------------------------------
    def _dhcp(self, mac: bytes, p: bytes) -> None:
        if len(p) < 240 or p[0] != 1 or p[236:240] != b"\x63\x82\x53\x63":
            return
        xid, flags, chaddr = p[4:8], p[10:12], p[28:34]
        opts, i = {}, 240
        while i < len(p) and p[i] != 255:
            if p[i] == 0:
                i += 1
                continue
            if i + 1 >= len(p):
                break
            code, n = p[i], p[i + 1]
            opts[code] = p[i + 2:i + 2 + n]
            i += 2 + n
        kind = opts.get(53, b"\0")[0]
        if kind == 1:
            reply_kind, name = 2, "DISCOVER"
        elif kind == 3:
            reply_kind, name = 5, "REQUEST"
        else:
            return
        self._event("dhcp", got=name, mac=chaddr.hex(":"))
        siaddr = "0.0.0.0" if self.server_name else TFTP_SERVER
        bootp = struct.pack("!BBBB4s2s2s4s4s4s4s16s64s128s4s", 2, 1, 6, 0, xid, b"\0\0", flags,
                            ip4("0.0.0.0"), ip4(CLIENT), ip4(siaddr), ip4("0.0.0.0"),
                            chaddr + b"\0" * 10, b"", b"", b"\x63\x82\x53\x63")

        def opt(code: int, value: bytes) -> bytes:
            return bytes([code, len(value)]) + value

        o = opt(53, bytes([reply_kind])) + opt(54, ip4(ROUTER)) + opt(51, struct.pack("!I", 86400))
        o += opt(1, ip4(NETMASK)) + opt(3, ip4(ROUTER)) + opt(6, ip4(DNS_SERVER))
        if self.server_name:
            o += opt(66, self.server_name.encode())
        o += opt(67, self.bootfile.encode()) + b"\xff"
        self._send(udp_frame(BROADCAST_MAC, ROUTER, "255.255.255.255", 67, 68, bootp + o))

    # -- DNS ----------------------------------------------------------------
    def _dns(self, mac: bytes, src: str, sport: int, p: bytes) -> None:
        if len(p) < 12:
            return
        qid, flags, qd = struct.unpack("!HHH", p[:6])
        if flags & 0x8000 or qd != 1:
            return
        labels, i = [], 12
        while i < len(p) and p[i] != 0:
            n = p[i]
            if n > 63 or i + 1 + n > len(p):
                return
            labels.append(p[i + 1:i + 1 + n].decode("ascii", "replace"))
            i += 1 + n
        if i + 5 > len(p):
            return
        qtype = struct.unpack("!H", p[i + 1:i + 3])[0]
        question = p[12:i + 5]
        name = ".".join(labels)
        addr = self.dns.get(name.lower()) if qtype == 1 else None
        if self.dns_mode == "silent":
            self._event("dns", name=name, qtype=qtype, answer="none (silent)")
            return
        if self.dns_mode == "answer" and addr:
            rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + ip4(addr)
            body = struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + question + rr
            self._event("dns", name=name, qtype=qtype, answer=addr)
        else:
            body = struct.pack("!HHHHHH", qid, 0x8183, 1, 0, 0, 0) + question
            self._event("dns", name=name, qtype=qtype, answer="NXDOMAIN")
        self._send(udp_frame(mac, DNS_SERVER, src, 53, sport, body))

    # -- TFTP ---------------------------------------------------------------
    def _tftp_send(self, t: Transfer, *payloads: bytes) -> None:
        self._send(*(udp_frame(t.mac, TFTP_SERVER, t.client[0], t.tid, t.client[1], p)
                     for p in payloads))

    def _rrq(self, mac: bytes, src: str, sport: int, p: bytes) -> None:
        if len(p) < 4 or struct.unpack("!H", p[:2])[0] != 1:
            return
        fields = p[2:].split(b"\0")
        if len(fields) < 3:
            return
        name = fields[0].decode("latin-1")
        asked = {}
        for k in range(2, len(fields) - 1, 2):
            if fields[k]:
                asked[fields[k].decode("latin-1").lower()] = fields[k + 1].decode("latin-1")
        tid = self._next_tid
        self._next_tid += 1
        rel = Path(name.lstrip("/"))
        path = self.root / rel
        ok = ".." not in rel.parts and path.is_file()
        if not ok:
            self._event("tftp", file=name, asked=asked, result="not found")
            t = Transfer(name, b"", (src, sport), mac, tid, 512, 1, False)
            self._tftp_send(t, struct.pack("!HH", 5, 1) + b"file not found\0")
            return
        data = path.read_bytes()
        granted = {}
        blksize, window = 512, 1
        try:
            if "blksize" in asked and int(asked["blksize"]) >= 8:
                blksize = min(int(asked["blksize"]), self.blksize_max)
                granted["blksize"] = blksize
            if "tsize" in asked:
                granted["tsize"] = len(data)
            if "windowsize" in asked and self.window_max > 1 and int(asked["windowsize"]) >= 1:
                window = min(int(asked["windowsize"]), self.window_max)
                granted["windowsize"] = window
        except ValueError:
            granted = {}
            blksize, window = 512, 1
        t = Transfer(name, data, (src, sport), mac, tid, blksize, window, bool(granted))
        self._transfers[(src, sport, tid)] = t
        self._event("rrq", file=name, asked=asked, granted=granted)
        if granted:
            t.oack = struct.pack("!H", 6) + b"".join(
                k.encode() + b"\0" + str(v).encode() + b"\0" for k, v in granted.items())
            self._tftp_send(t, t.oack)
            t.deadline = time.monotonic() + RETRANSMIT_S
        else:
            self._send_window(t)

    def _send_window(self, t: Transfer) -> None:
        first, last = t.acked + 1, min(t.acked + t.window, t.blocks)
        if first <= t.sent:
            t.resent_blocks += t.sent - first + 1
        # The whole window in one write to the socket.
        self._tftp_send(t, *(struct.pack("!HH", 3, b & 0xFFFF) +
                             t.data[(b - 1) * t.blksize:b * t.blksize]
                             for b in range(first, last + 1)))
        t.sent = max(t.sent, last)
        t.windows_sent += 1
        t.deadline = time.monotonic() + RETRANSMIT_S

    def _tftp_packet(self, t: Transfer, p: bytes) -> None:
        if len(p) < 4:
            return
        op, block = struct.unpack("!HH", p[:4])
        if op == 5:
            self._event("tftp", file=t.name, result="client error %d" % block)
            self._finish(t)
            return
        if op != 4:
            return
        t.acks += 1
        if t.awaiting_oack_ack:
            if block != 0:
                return
            t.awaiting_oack_ack = False
            t.retransmits = 0
            self._send_window(t)
            return
        # The acknowledged block among those in flight (block numbers wrap at 65536).
        for b in range(t.sent, t.acked - 1, -1):
            if b & 0xFFFF == block:
                break
        else:
            return
        t.acked = b
        t.retransmits = 0
        if t.acked == t.blocks:
            secs = time.monotonic() - t.start
            self._event("tftp", file=t.name, result="sent", bytes=len(t.data), blocks=t.blocks,
                        blksize=t.blksize, windowsize=t.window, acks=t.acks,
                        windows=t.windows_sent, resent=t.resent_blocks, seconds=round(secs, 3))
            self._finish(t)
            return
        self._send_window(t)

    def _finish(self, t: Transfer) -> None:
        self._transfers.pop((t.client[0], t.client[1], t.tid), None)

    def _timers(self) -> None:
        now = time.monotonic()
        for t in list(self._transfers.values()):
            if t.deadline and now > t.deadline:
                t.retransmits += 1
                if t.retransmits > MAX_RETRANSMITS:
                    self._event("tftp", file=t.name, result="gave up", acked=t.acked)
                    self._finish(t)
                elif t.awaiting_oack_ack:
                    t.deadline = now + RETRANSMIT_S
                    self._tftp_send(t, t.oack)
                else:
                    self._send_window(t)

    # -- for tests ----------------------------------------------------------
    def find(self, what: str, **match) -> list[dict]:
        return [e for e in self.events
                if e["what"] == what and all(e.get(k) == v for k, v in match.items())]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--socket", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--bootfile", required=True)
    ap.add_argument("--server-name", help="option 66 as a host name (else siaddr)")
    ap.add_argument("--dns", action="append", default=[], metavar="NAME=IP")
    ap.add_argument("--dns-mode", choices=("answer", "nxdomain", "silent"), default="answer")
    ap.add_argument("--blksize-max", type=int, default=MAX_BLKSIZE)
    ap.add_argument("--window-max", type=int, default=16)
    a = ap.parse_args()
    dns = dict(x.split("=", 1) for x in a.dns)
    peer = NetPeer(a.socket, a.root, a.bootfile, a.server_name, dns, a.dns_mode, a.blksize_max,
                   a.window_max, log=lambda s: print(s, flush=True))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop() runs in the finally below
    peer.start()
    print("net-peer: listening on %s; start QEMU with: %s" % (a.socket, " ".join(peer.netdev_args())),
          flush=True)
    try:
        while True:
            time.sleep(1)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        peer.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
