#!/usr/bin/env python3
# tests/tui/sockets.py - a small, known population of TCP sockets on the
# loopback of the namespace it runs in, held until stdin closes or a
# signal comes. Prints "ready" once every socket is in its state.
#
#   sockets.py LISTENERS ESTABLISHED CLOSE_WAIT TIME_WAIT [PORT]
#
# LISTENERS listen on 127.0.0.1 from PORT (7000) up; ESTABLISHED counts
# connections to the first of them (two sockets each), CLOSE_WAIT
# connections closed by the client but not by the server (one CLOSE_WAIT
# and one FIN_WAIT2 socket each), TIME_WAIT connections the client closed
# the server closed first (one TIME_WAIT socket each, on the server side,
# for 60 s).
#
# A line "shut" on stdin takes the last ESTABLISHED connection out of that
# state: its client shuts down writing (FIN_WAIT2; the server end goes to
# CLOSE_WAIT). It then prints "shut PORT", PORT the client's local port.
import os
import select
import signal
import socket
import sys
import time


def listen(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(4096)
    return s


def pair(server):
    c = socket.create_connection(server.getsockname(), timeout=5)
    a, _ = server.accept()
    return c, a


def main():
    nlisten, nest, ncw, ntw = (int(x) for x in sys.argv[1:5])
    base = int(sys.argv[5]) if len(sys.argv) > 5 else 7000
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    keep = [listen(base + i) for i in range(max(nlisten, 1))]
    first = keep[0]
    pairs = []
    for _ in range(nest):
        pairs.append(pair(first))
        keep.extend(pairs[-1])
    for _ in range(ncw):
        c, a = pair(first)
        c.close()           # client: FIN_WAIT2; server a: CLOSE_WAIT
        keep.append(a)
    for _ in range(ntw):
        c, a = pair(first)
        a.close()
        time.sleep(0.005)
        c.close()           # the first closer, a, ends in TIME_WAIT
    # Let the teardowns settle before saying ready.
    time.sleep(0.5)
    print("ready", flush=True)
    deadline = time.time() + 600
    while time.time() < deadline:
        r, _, _ = select.select([sys.stdin], [], [], 1)
        if not r:
            continue
        data = os.read(sys.stdin.fileno(), 4096)
        if not data:
            break
        for _ in range(data.count(b"shut")):
            if pairs:
                c, _a = pairs.pop()
                c.shutdown(socket.SHUT_WR)
                print("shut", c.getsockname()[1], flush=True)


if __name__ == "__main__":
    main()
