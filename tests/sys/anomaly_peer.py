#!/usr/bin/env python3
# tests/sys/anomaly_peer.py - the far side of the anomaly system tests.
#
# Servers and clients that misbehave on purpose (never close, never
# accept, never read), and raw-socket peers that send SYNs from many
# source addresses and either never answer the SYN-ACK (a spoofed flood)
# or answer it late (a flash crowd of slow but real clients). Run only
# inside the test's own network namespaces; every loop is bounded in count
# and in time.
import argparse
import os
import random
import select
import socket
import struct
import sys
import time


def log(msg):
    print("# anomaly_peer: " + msg, file=sys.stderr, flush=True)


def ready(path):
    if path:
        with open(path + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename(path + ".tmp", path)


def server(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    s.bind((a.addr, a.port))
    s.listen(a.backlog)
    ready(a.ready)
    held = []
    deadline = time.time() + a.seconds
    while time.time() < deadline:
        if a.mode == "never-accept":
            time.sleep(0.2)
            continue
        r, _, _ = select.select([s] + (held if a.mode == "read-close" else []),
                                [], [], 0.2)
        for c in r:
            if c is not s:
                try:
                    data = c.recv(65536)
                except OSError:
                    data = b""
                if not data:                # the client closed first
                    held.remove(c)
                    c.close()
                continue
            c, _ = s.accept()
            if a.mode == "accept-close":
                c.close()
            elif a.mode == "send-close":
                # More than the peer will read, then close: an orphan
                # with data the kernel still has to deliver.
                c.setblocking(False)
                try:
                    for _ in range(64):
                        c.send(b"x" * 65536)
                except BlockingIOError:
                    pass
                c.close()
            elif len(held) < 10000:  # hold, read-close, send keep it open
                held.append(c)
        if a.mode == "send":
            # A little data now and then: retransmitted if the peer is gone.
            for c in held:
                try:
                    c.send(b"x" * 1000, socket.MSG_DONTWAIT)
                except OSError:
                    pass
    return 0


def clients(a):
    socks = []
    deadline = time.time() + a.seconds
    for i in range(a.count):
        if time.time() > deadline:
            break
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if a.rcvbuf:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
        c.settimeout(5)
        c.connect((a.addr, a.port))
        if a.mode == "close":
            c.close()
        else:
            if a.mode == "shutdown":
                c.shutdown(socket.SHUT_WR)      # our FIN; theirs never comes
            socks.append(c)
    if a.mode == "send-block":
        # Fill the peer's receive buffer and ours, then wait: the peer
        # does not read, so the kernel probes a zero window.
        for c in socks:
            c.setblocking(False)
            sent = 0
            while sent < 64 << 20 and time.time() < deadline:
                try:
                    sent += c.send(b"x" * 65536)
                except BlockingIOError:
                    break
    ready(a.ready)
    while time.time() < deadline and a.mode != "close":
        time.sleep(0.2)
    return 0


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def tcp_packet(src, dst, sport, dport, seq, ack, flags):
    offset = 5 << 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, offset, flags,
                      65535, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + \
        struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(hdr))
    csum = checksum(pseudo + hdr)
    tcp = hdr[:16] + struct.pack("!H", csum) + hdr[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0, 64,
                     socket.IPPROTO_TCP, 0, socket.inet_aton(src),
                     socket.inet_aton(dst))
    return ip + tcp


def random_source(rng):
    # 10.0.0.0/8 outside the test link 10.201.0.0/24: routed only inside
    # the test's namespaces.
    while True:
        a = rng.randrange(0, 200)
        if a != 201:
            return "10.%d.%d.%d" % (a, rng.randrange(256), rng.randrange(1, 255))


def raw_sender():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    return s


def synflood(a):
    rng = random.Random(a.seed)
    s = raw_sender()
    start = time.time()
    for i in range(a.count):
        now = time.time()
        if now > start + a.seconds:
            break
        if a.rate and i > (now - start) * a.rate:
            time.sleep(1.0 / a.rate)
        src = random_source(rng)
        pkt = tcp_packet(src, a.dst, rng.randrange(1024, 65535), a.port,
                         rng.randrange(1 << 32), 0, 0x02)
        s.sendto(pkt, (a.dst, 0))
    log("sent %d spoofed SYNs" % (i + 1))
    return 0


def crowd(a):
    """SYNs from many sources; each SYN-ACK answered after a.delay s."""
    rng = random.Random(a.seed)
    s = raw_sender()
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                        socket.htons(0x0800))
    cap.bind((a.ifname, 0x0800))
    cap.setblocking(False)
    sources = [("10.%d.%d.%d" % (rng.randrange(0, 200), rng.randrange(256),
                                 rng.randrange(1, 255)))
               for _ in range(a.sources)]
    pending = {}        # (src, sport) -> our seq
    acks = []           # (time to send, packet)
    start = time.time()
    sent = answered = 0
    interval = 1.0 / a.rate
    next_syn = start
    while time.time() - start < a.seconds:
        now = time.time()
        if now >= next_syn and sent < a.count:
            src = rng.choice(sources)
            sport = rng.randrange(1024, 65535)
            seq = rng.randrange(1 << 32)
            pending[(src, sport)] = seq
            s.sendto(tcp_packet(src, a.dst, sport, a.port, seq, 0, 0x02),
                     (a.dst, 0))
            sent += 1
            next_syn += interval
        while True:
            try:
                pkt = cap.recv(2048)
            except BlockingIOError:
                break
            if len(pkt) < 40 or pkt[9] != socket.IPPROTO_TCP:
                continue
            ihl = (pkt[0] & 15) * 4
            sport, dport, sseq, sack, _, flags = \
                struct.unpack("!HHIIBB", pkt[ihl:ihl + 14])
            # A SYN-ACK from the server to one of our sources.
            key = (socket.inet_ntoa(pkt[16:20]), dport)
            if flags & 0x12 == 0x12 and key in pending:
                seq = pending.pop(key)
                ack = tcp_packet(key[0], a.dst, dport, a.port, seq + 1,
                                 (sseq + 1) & 0xffffffff, 0x10)
                acks.append((now + a.delay, ack))
        while acks and acks[0][0] <= now:
            s.sendto(acks.pop(0)[1], (a.dst, 0))
            answered += 1
        time.sleep(0.001)
    log("crowd: %d SYNs, %d handshakes completed" % (sent, answered))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sv = sub.add_parser("server")
    sv.add_argument("--addr", default="0.0.0.0")
    sv.add_argument("--port", type=int, required=True)
    sv.add_argument("--backlog", type=int, default=128)
    sv.add_argument("--mode", choices=["hold", "never-accept", "accept-close",
                                      "read-close", "send-close", "send"],
                    default="hold")
    sv.add_argument("--rcvbuf", type=int, default=0)
    sv.add_argument("--seconds", type=float, default=60)
    sv.add_argument("--ready")
    cl = sub.add_parser("clients")
    cl.add_argument("--addr", required=True)
    cl.add_argument("--port", type=int, required=True)
    cl.add_argument("--count", type=int, default=10)
    cl.add_argument("--mode", choices=["close", "hold", "send-block",
                                       "shutdown"],
                    default="close")
    cl.add_argument("--rcvbuf", type=int, default=0)
    cl.add_argument("--seconds", type=float, default=60)
    cl.add_argument("--ready")
    for name in ("synflood", "crowd"):
        f = sub.add_parser(name)
        f.add_argument("--dst", required=True)
        f.add_argument("--port", type=int, required=True)
        f.add_argument("--count", type=int, default=300)
        f.add_argument("--seconds", type=float, default=20)
        f.add_argument("--seed", type=int, default=5757)
        f.add_argument("--rate", type=float,
                       default=0 if name == "synflood" else 250)
        f.add_argument("--delay", type=float, default=0.6)
        f.add_argument("--sources", type=int, default=100)
        f.add_argument("--ifname", default="eth0")
    a = p.parse_args()
    return {"server": server, "clients": clients, "synflood": synflood,
            "crowd": crowd}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
