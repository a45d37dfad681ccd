#!/usr/bin/env python3
# bench/tui-population.py - N ESTABLISHED sockets on the loopback of the
# namespace it runs in, for measuring the dashboard: N/2 client sockets
# held by worker processes (a process may hold about 20,000 descriptors
# here) and N/2 server sockets left in the accept queues of listeners
# that never accept, so they need no descriptor at all. Run it as root
# in a namespace of its own; it raises somaxconn and the local port range
# there. Prints "ready", holds everything until stdin closes.
import os
import socket
import sys
import time

PER_WORKER = 16000
PER_LISTENER = 30000


def sysctl(name, value):
    with open("/proc/sys/" + name.replace(".", "/"), "w") as f:
        f.write(value)


def worker(ports, count, ready_w):
    held = []
    for i in range(count):
        port = ports[i % len(ports)]
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.connect(("127.0.0.1", port))
        held.append(s)
    os.write(ready_w, b"x")
    sys.stdin.read()        # until the parent's stdin closes
    os._exit(0)


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    conns = total // 2
    sysctl("net.core.somaxconn", "65535")
    sysctl("net.ipv4.ip_local_port_range", "1024 65000")
    nlisten = (conns + PER_LISTENER - 1) // PER_LISTENER
    listeners = []
    for i in range(nlisten):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 9000 + i))
        s.listen(65535)
        listeners.append(s)
    ports = [9000 + i for i in range(nlisten)]
    ready_r, ready_w = os.pipe()
    nworkers = 0
    left = conns
    while left > 0:
        n = min(PER_WORKER, left)
        if os.fork() == 0:
            worker(ports, n, ready_w)
        nworkers += 1
        left -= n
    for _ in range(nworkers):
        os.read(ready_r, 1)
    print("ready", flush=True)
    sys.stdin.read()
    time.sleep(0.1)


if __name__ == "__main__":
    main()
