#!/bin/sh
# make-basic.sh - remake tests/data/basic*.rec, the recordings the unit and
# CLI tests read. Needs root; not run by make check (the recordings are in
# git, so the tests need no privilege).
#
# In a namespace of its own it builds a small, known population, all on
# fixed ports so the tests can name them:
#   7001 LISTEN 127.0.0.1, backlog 8: one accepted ESTABLISHED pair (client
#        port 40001) and one connection left in the accept queue (40002)
#   7002 LISTEN [::1], IPv6 only: an ESTABLISHED pair from [::1]:40003
#   7003 LISTEN [::] dual-stack: an IPv4 client 40004, so the accepted side
#        is IPv4-mapped IPv6
#   7004 LISTEN 0.0.0.0, two sockets of one SO_REUSEPORT group
#   7005 LISTEN 127.0.0.1: 40005 CLOSE_WAIT against a FIN_WAIT2 that only
#        shut down writing (it keeps its file), 40006 CLOSE_WAIT against an
#        orphaned FIN_WAIT2 (closed), 40007 TIME_WAIT (the client closed first)
#   7006 LISTEN 127.0.0.1: nftables drops the client's last ACK, so 40008
#        is ESTABLISHED and the listener has a SYN_RECV child
#   7007 LISTEN 127.0.0.1 owned by uid 65534
#   7008 LISTEN [::] dual-stack; nftables drops the clients' last ACK, so an
#        IPv4 (40011) and an IPv6 ([::1]:40012) request socket wait on it.
#        The kernel reports the IPv4 one as IPv6, v4-mapped.
#   SYN_SENT from 127.0.0.2:40009 and [::1]:40010 to port 7999, whose SYNs
#        nftables drops
#
# Usage: tests/data/make-basic.sh [SOCKWATCH]   (from the top source dir)
set -eu

sockwatch=${1:-src/sockwatch}
out=$(dirname "$0")
ns="sw-unit-$$"
pid=""

cleanup() {
	set +e
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	ip netns del "$ns" 2>/dev/null
	rm -f "$ready"
}
ready=$(mktemp)
rm -f "$ready"
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || { echo "make-basic.sh: needs root" >&2; exit 1; }
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" nft -f - <<'EOF'
table inet sw_basic {
	chain out {
		type filter hook output priority 0;
		tcp dport { 7006, 7008 } tcp flags & (syn | ack | fin | rst) == ack drop
		tcp dport 7999 drop
	}
}
EOF

ip netns exec "$ns" python3 - "$ready" <<'EOF' &
import os, socket, sys, time

keep = []

def listener(fam, addr, port, backlog=8, v6only=None, reuse=False):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    s.bind((addr, port))
    s.listen(backlog)
    keep.append(s)
    return s

def client(fam, src, sport, dst, dport, block=True):
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((src, sport))
    if block:
        c.connect((dst, dport))
    else:
        c.setblocking(False)
        try:
            c.connect((dst, dport))
        except BlockingIOError:
            pass
    keep.append(c)
    return c

def accept(l):
    a, _ = l.accept()
    keep.append(a)
    return a

V4, V6 = socket.AF_INET, socket.AF_INET6

l1 = listener(V4, "127.0.0.1", 7001)
client(V4, "127.0.0.1", 40001, "127.0.0.1", 7001)
accept(l1)
client(V4, "127.0.0.1", 40002, "127.0.0.1", 7001)

l2 = listener(V6, "::1", 7002, v6only=1)
client(V6, "::1", 40003, "::1", 7002)
accept(l2)

l3 = listener(V6, "::", 7003, v6only=0)
client(V4, "127.0.0.1", 40004, "127.0.0.1", 7003)
accept(l3)

listener(V4, "0.0.0.0", 7004, reuse=True)
listener(V4, "0.0.0.0", 7004, reuse=True)

l5 = listener(V4, "127.0.0.1", 7005)
client(V4, "127.0.0.1", 40005, "127.0.0.1", 7005)
accept(l5).shutdown(socket.SHUT_WR)
client(V4, "127.0.0.1", 40006, "127.0.0.1", 7005)
a = accept(l5)
keep.remove(a)
a.close()
tw = client(V4, "127.0.0.1", 40007, "127.0.0.1", 7005)
a = accept(l5)
keep.remove(tw)
tw.close()
time.sleep(0.2)
keep.remove(a)
a.close()

listener(V4, "127.0.0.1", 7006)
client(V4, "127.0.0.1", 40008, "127.0.0.1", 7006, block=False)

listener(V6, "::", 7008, v6only=0)
client(V4, "127.0.0.1", 40011, "127.0.0.1", 7008, block=False)
client(V6, "::1", 40012, "::1", 7008, block=False)

os.seteuid(65534)
listener(V4, "127.0.0.1", 7007)
os.seteuid(0)

client(V4, "127.0.0.2", 40009, "127.0.0.1", 7999, block=False)
client(V6, "::1", 40010, "::1", 7999, block=False)

time.sleep(0.5)
open(sys.argv[1], "w").close()
time.sleep(60)
EOF
pid=$!

i=0
while [ ! -e "$ready" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "make-basic.sh: sockets not ready" >&2; exit 1; }
	sleep 0.1
done

"$sockwatch" -N "$ns" --record "$out/basic.rec" -c 1 >/dev/null
"$sockwatch" -N "$ns" --diag-method=family --record "$out/basic-family.rec" \
    -c 2 -d 0.2 >/dev/null
ip netns exec "$ns" ss -tanoi 2>/dev/null || true
echo "make-basic.sh: wrote $out/basic.rec and $out/basic-family.rec"
