#!/bin/sh
# tests/tui/netns_all.sh - the dashboard with -N all: a NETNS column in the
# socket and listener views, each row under its own namespace, the same
# address of two namespaces as two listeners, and no kill key.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_cmd python3
. "$TESTS_SRCDIR/tui/tui-lib.sh"

A=$(make_netns tuia)
B=$(make_netns tuib)
dir=$(tmpdir)

# hold NS FD SPEC...: tcpsocks.py in NS, its stdin a fifo kept open on FD.
hold() {
	_ns=$1 _fd=$2
	shift 2
	mkfifo "$dir/$_ns.in"
	ip netns exec "$_ns" python3 "$TESTS_SRCDIR/sys/tcpsocks.py" "$@" \
	    <"$dir/$_ns.in" >"$dir/$_ns.out" 2>&1 &
	track_pid $!
	eval "exec $_fd>\"\$dir/\$_ns.in\""
	wait_for 10 grep -q ready "$dir/$_ns.out" ||
		fail "tcpsocks.py in $_ns: $(cat "$dir/$_ns.out")"
}
hold "$A" 4 listen:127.0.0.1:7311 est:127.0.0.1:7311:a1 listen:127.0.0.1:7313
hold "$B" 5 listen:127.0.0.1:7312 est:127.0.0.1:7312:b1 \
    est:127.0.0.1:7312:b2 listen:127.0.0.1:7313

# Only our listeners and the server ends of our connections: other
# namespaces of the host may hold anything.
tui_start 150 40 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N all -i 0.5" \
    "'sport >= :7311 and sport <= :7313'"
tui_wait "netns all"
tui_wait "sockets: 7 rows"
tui_line '^ NETNS +STATE' >/dev/null || fail "no NETNS column"
for row in "$A +LISTEN +127.0.0.1:7311 " "$A +ESTABLISHED +127.0.0.1:7311 " \
    "$A +LISTEN +127.0.0.1:7313 " "$B +LISTEN +127.0.0.1:7312 " \
    "$B +LISTEN +127.0.0.1:7313 "; do
	tui_line "^.$row" >/dev/null || { tui_screen >&2; fail "no row '$row'"; }
done
[ "$(tui_screen | grep -cE "^.$B +ESTABLISHED +127.0.0.1:7312 ")" -eq 2 ] ||
	fail "B's two connections are not both under $B"
tui_reject "F9Kill"
# The detail of a socket names its namespace.
tui_keys Enter
tui_wait "Network namespace"
tui_line "^  Network namespace +($A|$B)\$" >/dev/null ||
	fail "detail: $(tui_line 'Network namespace')"
tui_keys Escape
tui_wait "sockets: 7 rows"

# Listeners: 127.0.0.1:7313 twice, once per namespace.
tui_keys g
tui_wait "listeners: 4 rows"
tui_line '^ LOCALv? +NETNS +ACCEPT-Q' >/dev/null || fail "no NETNS in listeners"
tui_line "^.127.0.0.1:7313 +$A " >/dev/null || fail "no 7313 listener of $A"
tui_line "^.127.0.0.1:7313 +$B " >/dev/null || fail "no 7313 listener of $B"
tui_quit

# Above 5000 sockets the dashboard asks the kernel for one socket's
# tcp_info when its detail opens: through the netlink socket made in that
# socket's namespace (another one's kernel does not know it).
C=$(make_netns tuic)
mkfifo "$dir/c.in"
ip netns exec "$C" python3 -c '
import socket, sys
l = socket.socket(); l.bind(("127.0.0.1", 7314)); l.listen(4096)
held = []
for i in range(2600):
    c = socket.create_connection(("127.0.0.1", 7314)); a, _ = l.accept()
    held += [c, a]
print("ready", flush=True); sys.stdin.read()' <"$dir/c.in" >"$dir/c.out" 2>&1 &
track_pid $!
exec 6>"$dir/c.in"
wait_for 60 grep -q ready "$dir/c.out" || fail "2600 connections in $C"
tui_start 150 40 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N all -i 1" \
    "'sport = :7314 or dport = :7314'"
tui_wait "5201 sockets" 10
# A later poll (ages of a second or more): no bulk tcp_info any more.
aged() { tui_screen | grep -qE "^.$C +ESTABLISHED .* [1-9][0-9]*s "; }
wait_for 10 aged || { tui_screen >&2; fail "the sockets never aged"; }
tui_keys Down Enter
tui_wait "Network namespace"
tui_line "^  Network namespace +$C\$" >/dev/null ||
	fail "detail: $(tui_line 'Network namespace')"
tui_wait "Minimum RTT"
tui_keys Escape
tui_quit
exit 0
