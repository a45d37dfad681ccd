#!/bin/sh
# tests/tui/layout.sh - the table's columns on a small screen: as wide as
# the rows on screen need, every one reachable (the arrows scroll, F2 hides
# and orders them); the state bar never leaves one state alone on a line;
# a search without a match says so. Uses a committed recording (IPv4 and
# IPv6 sockets): no root needed.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
. "$TESTS_SRCDIR/tui/tui-lib.sh"

rec="$TESTS_SRCDIR/data/states-v4v6-server.rec"
[ -r "$rec" ] || fail "missing $rec"

# title_gap A B: the spaces between the titles A and B.
title_gap() {
	tui_line '^[ <]STATE' | sed -n "s/.*$1\\( *\\)$2.*/\\1/p" | tr -d '\n' | wc -c
}

tui_start 80 24 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH --replay $rec"
tui_wait "REPLAY 1/1"
tui_wait "sockets: 78 rows"

# On screen "[fd00:5757::1]:5700" (19): LOCAL is that wide.
tui_expect " [fd00:5757::1]:5700 "
[ "$(title_gap LOCAL PEER)" -eq 15 ] ||
	{ tui_screen >&2; fail "LOCAL is not 19 columns for IPv6 on screen"; }
# Only IPv4 addresses shown ("10.201.0.1:5700", 15): IPv6 sockets
# elsewhere widen nothing.
tui_keys '\' 'src 10.201.0.1' Enter
tui_wait "filter: src 10.201.0.1"
[ "$(title_gap LOCAL PEER)" -eq 11 ] ||
	{ tui_screen >&2; fail "LOCAL is not 15 columns for IPv4 on screen"; }

# At 80 columns RETR lies beyond the edge: ">" says so, Right shows it.
tui_reject "RETR"
tui_line '^ STATEv.*>$' >/dev/null || { tui_screen >&2; fail "no > at the edge"; }
tui_keys Right
tui_wait "RETR"
tui_line '^<LOCAL' >/dev/null || { tui_screen >&2; fail "no < after scrolling"; }
tui_reject "STATEv"
tui_keys Left
tui_wait "STATEv"

# F2: hide LOCAL, and move PEER before STATE; kept when the view returns.
tui_keys F2
tui_wait "Setup: columns of the sockets view"
tui_expect "[x] LOCAL"
tui_keys Down ' '
tui_wait "[ ] LOCAL"
tui_keys Down F7 F7
tui_keys Escape
tui_wait_gone "Setup: columns"
tui_line '^ PEER +STATEv +RECV-Q' >/dev/null ||
	{ tui_screen >&2; fail "F2 did not hide LOCAL and move PEER"; }
tui_keys g
tui_wait "listeners: "
tui_line '^ LOCALv +ACCEPT-Q' >/dev/null ||
	{ tui_screen >&2; fail "the listeners view lost its columns"; }
tui_keys g g g
tui_wait "sockets: "
tui_line '^ PEER +STATEv' >/dev/null ||
	{ tui_screen >&2; fail "the sockets view forgot its setup"; }

# A search without a match says so, after Enter too.
tui_keys '/' 'nowhere' Enter
tui_wait "no row contains 'nowhere'"
tui_reject "Search: "
tui_quit

# The state bar: eleven counts need 134 columns; at 130 they go on two
# lines of 6 and 5, not ten and "CLOSE 0" alone.
tui_start 130 30 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH --replay $rec"
tui_wait "REPLAY 1/1"
tui_wait "CLOSE 0"
tui_line '^CLOSE 0 *$' >/dev/null && { tui_screen >&2; fail "CLOSE 0 alone on a line"; }
tui_line '^LISTEN 26 .* FIN_WAIT2 0$' >/dev/null ||
	{ tui_screen >&2; fail "the state bar is not split evenly"; }
tui_quit
echo "every column reachable at 80x24, sized from the screen"
