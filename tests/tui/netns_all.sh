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

# Listeners: 127.0.0.1:7313 twice, once per namespace.
tui_keys g
tui_wait "listeners: 4 rows"
tui_line '^ LOCALv? +NETNS +ACCEPT-Q' >/dev/null || fail "no NETNS in listeners"
tui_line "^.127.0.0.1:7313 +$A " >/dev/null || fail "no 7313 listener of $A"
tui_line "^.127.0.0.1:7313 +$B " >/dev/null || fail "no 7313 listener of $B"
tui_quit
exit 0
