#!/bin/sh
# tests/tui/pace.sh - the dashboard under a tiny --cpu-budget, on real
# sockets in a namespace of the test's own: the header says how often the
# bulk (ESTABLISHED, TIME_WAIT) is asked for, the state bar still counts
# every socket on the polls that carry it, a connection leaving
# ESTABLISHED moves at once, and the poll right after a kill asks for
# every socket, so the killed row is gone at once, not at the next full poll.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_cmd ss
. "$TESTS_SRCDIR/tui/tui-lib.sh"

ns=$(make_netns tuipace)
dir=$(tmpdir)

# 1 listener on 7000, 5 connections (10 ESTABLISHED sockets), 2 CLOSE_WAIT
# (and their 2 FIN_WAIT2 peers), 3 TIME_WAIT: 18 sockets.
hold_sockets "$ns" 1 5 2 3 7000

# The header's clock, which changes at least every other poll at -d 0.5.
clock() {
	tui_line '^ sockwatch ' | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2}'
}

clock_moved() {
	[ "$(clock)" != "$1" ]
}

# Every count of the state bar, on three polls with another clock each:
# nearly all of them partial, the bulk carried.
counts_hold() {
	for _k in 1 2 3; do
		_c=$(clock)
		wait_for 5 clock_moved "$_c" || fail "the dashboard stopped polling"
		for _s in "LISTEN $1" "ESTABLISHED $2" "FIN_WAIT2 $3" \
		    "CLOSE_WAIT $4" "TIME_WAIT $5" "$6 sockets"; do
			tui_expect "$_s"
		done
	done
}

# 0.01 % of a core is 50 µs a 0.5 s poll: every poll costs more, so from
# the second poll on the bulk is asked for every few polls only.
tui_start 110 36 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH -N $ns -d 0.5 --cpu-budget 0.01"
tui_wait "ESTABLISHED 10"
tui_wait ", bulk " 10
# 0.01 % of a core is beyond reach even with the bulk every tenth poll:
# the footer says so once (for three seconds).
tui_wait "polling costs more than --cpu-budget" 10
tui_line '^ sockwatch ' | grep -qE 'every 0\.5s, bulk ([1-4](\.5)?|5)s  18 sockets' ||
	fail "the header: $(tui_line '^ sockwatch ')"
counts_hold 1 10 2 2 3 18

# A connection leaves ESTABLISHED between two full polls: its two ends
# show up in their new states, and not also as carried ESTABLISHED.
echo "shut e5" >&9
wait_for 5 grep -q '^shut ' "$HOLD_OUT" || fail "sockgen did not shut down: $(cat "$HOLD_OUT")"
three_close_wait() {
	[ "$(kernel_count "$ns" close-wait)" -eq 3 ]
}
wait_for 5 three_close_wait ||
	fail "no third CLOSE_WAIT in the kernel"
tui_wait "CLOSE_WAIT 3"
counts_hold 1 8 3 3 3 18
tui_keys q
tui_wait "sockwatch-exit=0"

# A kill. Polls every 30 s: the first is full, and the one the kill asks
# for at once would be the first partial one, the killed socket carried
# over as ESTABLISHED until the next full poll a minute later. It must be
# full: the row goes within seconds (the next poll is 30 s away).
est=$(kernel_count "$ns" established)
tui_start 110 36 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH -N $ns -d 30 --cpu-budget 0.0001"
tui_wait "ESTABLISHED $est"
tui_reject ", bulk "
tui_keys '\' 'established' Enter
tui_wait "sockets: $est rows,"
tui_keys k
tui_wait "Destroy 1 connection?"
victim=$(tui_line 'ESTABLISHED 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:[0-9]+')
port=$(echo "$victim" | grep -oE '127\.0\.0\.1:[0-9]+' | cut -d: -f2 | grep -vx 7000)
[ -n "$port" ] || { tui_screen >&2; fail "the dialog names no connection"; }
tui_keys y
tui_wait "destroyed 1 of 1"
# The kernel: the killed end is gone, and its peer, reset, with it.
two_fewer() {
	[ "$(kernel_count "$ns" established)" -eq $((est - 2)) ]
}
wait_for 5 two_fewer ||
	fail "the kernel still has $(kernel_count "$ns" established) ESTABLISHED sockets, not $((est - 2))"
tui_wait "sockets: $((est - 2)) rows," 10
tui_expect "ESTABLISHED $((est - 2))"
tui_wait ", bulk 60s"		# the kill's poll was paced: every 2nd full
tui_reject "127.0.0.1:$port "
tui_keys q
tui_wait "sockwatch-exit=0"
echo "paced header and counts held; the killed row went with the next poll"
