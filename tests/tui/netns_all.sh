#!/bin/sh
# tests/tui/netns_all.sh - the dashboard with -N all: a NETNS column in the
# socket and listener views, each row under its own namespace, the same
# address of two namespaces as two listeners, and no kill key.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_sockgen
. "$TESTS_SRCDIR/tui/tui-lib.sh"

A=$(make_netns tuia)
B=$(make_netns tuib)
dir=$(tmpdir)

hold_specs "$A" 4 listen:127.0.0.1:7311 est:127.0.0.1:7311:a1 listen:127.0.0.1:7313
hold_specs "$B" 5 listen:127.0.0.1:7312 est:127.0.0.1:7312:b1 \
    est:127.0.0.1:7312:b2 listen:127.0.0.1:7313

# Only our listeners and the server ends of our connections: other
# namespaces of the host may hold anything.
tui_start 150 40 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N all -d 0.5" \
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
# start_peer NAME ARGS...: sockgen server or clients in C, until ready.
start_peer() {
	_p=$1
	shift
	ip netns exec "$C" "$SOCKGEN" "$@" --seconds 120 --ready "$dir/$_p.ready" \
	    2>"$dir/$_p.err" &
	track_pid $!
	wait_for 60 test -s "$dir/$_p.ready" ||
		fail "sockgen $1 in $C: $(cat "$dir/$_p.err")"
}
start_peer server server --addr 127.0.0.1 --port 7314 --backlog 4096 \
    --mode hold
start_peer clients clients --addr 127.0.0.1 --port 7314 --count 2600 \
    --mode hold
tui_start 150 40 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N all -d 1" \
    "'sport = :7314 or dport = :7314'"
tui_wait "5201 sockets" 10
# A later poll (ages of a second or more, at least: they were there
# before the first): no bulk tcp_info any more.
aged() { tui_screen | grep -qE "^.$C +ESTABLISHED .* ≥?[1-9][0-9]*s "; }
wait_for 10 aged || { tui_screen >&2; fail "the sockets never aged"; }
tui_keys Down Enter
tui_wait "Network namespace"
tui_line "^  Network namespace +$C\$" >/dev/null ||
	fail "detail: $(tui_line 'Network namespace')"
tui_wait "Minimum RTT"
tui_keys Escape
tui_quit
exit 0
