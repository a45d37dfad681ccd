#!/usr/bin/env python3
# tcpsocks.py - hold TCP sockets in chosen states for a test, then report
# what their peers saw.
#
#   tcpsocks.py SPEC...
#     listen:ADDR:PORT       a listener (backlog 128); ADDR may be [::]
#     est:ADDR:PORT:NAME     a connection to that listener, accepted; the
#                            client end is watched as NAME
#     closewait:ADDR:PORT:NAME  the client shuts down writing: the accepted
#                            end is in CLOSE_WAIT, the client in FIN_WAIT2
#     timewait:ADDR:PORT     the accepted end closes first: TIME_WAIT
#     synsent:ADDR:PORT      a non-blocking connect (SYN_RECV on the server
#                            when the test drops the SYN-ACK)
#
# It prints "ready" once everything is in place, then waits (at most 120 s)
# for a line on stdin; it then prints "NAME reset|eof|open" for every
# watched client and exits. Addresses stay on loopback or inside the test's
# namespaces.
import errno
import select
import socket
import sys
import time

held = []
watched = []
listeners = {}


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def split(spec):
    kind, rest = spec.split(":", 1)
    # The address may itself contain colons (IPv6): the port follows the last
    # colon of "ADDR:PORT", the name follows after.
    parts = rest.rsplit(":", 2) if kind in ("est", "closewait") else rest.rsplit(":", 1)
    return kind, parts


def connect(addr, port):
    c = socket.create_connection((addr, port), timeout=5)
    l = listeners.get((addr, port))
    if l is None:  # a wildcard listener on that port
        l = [v for k, v in listeners.items() if k[1] == port][0]
    a, _ = l.accept()
    held.extend([c, a])
    return c, a


def make(spec):
    kind, parts = split(spec)
    addr, port = parts[0].strip("[]"), int(parts[1])
    if kind == "listen":
        s = socket.socket(family(addr), socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(128)
        s.settimeout(5)
        listeners[(addr, port)] = s
        held.append(s)
    elif kind in ("est", "closewait"):
        c, a = connect(addr, port)
        if kind == "closewait":
            c.shutdown(socket.SHUT_WR)
        watched.append((parts[2], c))
    elif kind == "timewait":
        c, a = connect(addr, port)
        a.close()
        c.recv(1)
        c.close()
    elif kind == "synsent":
        c = socket.socket(family(addr), socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect((addr, port))
        except BlockingIOError:
            pass
        held.append(c)
    else:
        raise SystemExit("unknown spec " + spec)


def state_of(c):
    c.setblocking(False)
    try:
        data = c.recv(1)
    except BlockingIOError:
        return "open"
    except ConnectionResetError:
        return "reset"
    except OSError as e:
        return "error-" + errno.errorcode.get(e.errno, str(e.errno))
    return "eof" if data == b"" else "open"


def main():
    for spec in sys.argv[1:]:
        make(spec)
    time.sleep(0.2)  # let the FINs of closewait/timewait arrive
    print("ready", flush=True)
    r, _, _ = select.select([sys.stdin], [], [], 120)
    if r:
        sys.stdin.readline()
    time.sleep(0.2)  # let the RSTs arrive
    for name, c in watched:
        print(name, state_of(c), flush=True)


main()
