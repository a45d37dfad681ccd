#!/bin/sh
# tests/tui/replay.sh - the dashboard on a recording (no root needed):
# state bar, stepping, marks, sort, filter, search, detail, help, explain,
# grouped views, resize and quit.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
. "$TESTS_SRCDIR/tui/tui-lib.sh"

rec="$TESTS_SRCDIR/data/tui-small.rec"
[ -r "$rec" ] || fail "missing $rec"

tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -d 0.3 --replay $rec"
tui_wait "REPLAY 1/3"

# The state bar of the first poll: 3 listeners, 5 connections (10
# sockets), 4 CLOSE_WAIT/FIN_WAIT2 pairs, 6 TIME_WAIT.
# (waits, not instant checks: a capture may land in the middle of a frame)
tui_wait "27 sockets"
for c in "LISTEN 3" "ESTABLISHED 10" "FIN_WAIT2 4" "CLOSE_WAIT 4" \
    "TIME_WAIT 6" "SYN_RECV 0"; do
	tui_wait "$c"
done
tui_wait "sockets: 27 rows"
tui_reject "watching only"	# nothing left out
# Nothing is marked on the first poll.
tui_screen | grep -q '^[+*]' && fail "marks on the first poll"

# One poll forward: a new listener and two connections, marked "+".
tui_keys ']'
tui_wait "REPLAY 2/3"
tui_wait "ESTABLISHED 14"
tui_expect "32 sockets"
new_rows() {
	[ "$(tui_screen | grep -c '^+')" -eq 5 ]
}
wait_for 5 new_rows || { tui_screen >&2; fail "expected 5 new rows marked +"; }
tui_line '^\+LISTEN' | grep -q '127.0.0.1:7100' || fail "new listener not marked"

# Third poll: the two connections closed; their sockets that went to
# TIME_WAIT changed state ("*").
tui_keys ']'
tui_wait "REPLAY 3/3"
tui_wait "TIME_WAIT 8"
tui_keys '\' 'time-wait' Enter
tui_wait "sockets: 8 rows"
n=$(tui_screen | grep -c '^\*TIME_WAIT')
[ "$n" -eq 2 ] || { tui_screen >&2; fail "expected 2 rows marked *, got $n"; }
tui_keys '\' C-u Enter
tui_wait "sockets: 29 rows"
tui_keys '['
tui_wait "REPLAY 2/3"
# A step back shows that poll as the way forward did: the listener seen
# since the first poll is at least 1s old there (it was there before the
# recording began), not new again, and the marks are
# those of poll 2 against poll 1 (5 new rows), not against poll 3.
tui_keys PPage PPage
listener_1s() {
	tui_line '^ LISTEN +127\.0\.0\.1:7000 ' | grep -Eq ' ≥1s +≥1s '
}
wait_for 5 listener_1s ||
	{ tui_screen >&2; fail "a step back lost the ages of the first poll"; }
wait_for 5 new_rows || { tui_screen >&2; fail "a step back: not 5 rows marked +"; }
tui_reject "*ESTABLISHED"

# Filter, in the command line's language: a state name, then ports.
tui_keys '\' 'close-wait' Enter
tui_wait "sockets: 4 rows"
tui_expect "filter: close-wait"
[ "$(tui_screen | grep -c '^ CLOSE_WAIT  127.0.0.1:7000')" -eq 4 ] ||
	fail "the filter does not show the 4 CLOSE_WAIT sockets"
tui_reject "ESTABLISHED 127"
# The prompt is pre-filled with the current filter: ^U clears it.
tui_keys '\' C-u 'sport = :7100 or dport = :7100' Enter
tui_wait "filter: sport = :7100 or dport = :7100"
tui_expect "sockets: 5 rows"
# A mistake is shown with its column, and the filter stays.
tui_keys '\' C-u 'sport = :' Enter
tui_wait "col "
tui_expect "sockets: 5 rows"
tui_keys Escape
# A message wider than the screen is shown whole (what to do is at its
# end), above the prompt, which keeps the text to correct.
tui_keys '\' C-u 'state bogus' Enter
tui_wait "bucket, big, all"
tui_expect "Filter: state bogus"
tui_expect "sockets: 5 rows"
tui_keys BSpace BSpace BSpace BSpace BSpace 'close-wait' Enter
tui_wait "filter: state close-wait"
tui_expect "sockets: 4 rows"
tui_reject "unknown state"
tui_keys '\' C-u Enter
tui_wait "sockets: 32 rows"

# Sort: default by STATE, LISTEN first; > goes to LOCAL, I inverts.
tui_expect ' STATEv '
first=$(tui_screen | sed -n '/STATEv/{n;p;q}')
echo "$first" | grep -q '^.LISTEN' || fail "first row is not a listener: $first"
tui_keys '>'
tui_wait "sorted by LOCAL"
local=$(tui_screen | sed -n '/LOCALv/{n;p;q}' | awk '{print $2}')
[ "$local" = "127.0.0.1:7000" ] || fail "LOCAL order starts with $local"
tui_keys 'I'
tui_wait "sorted by LOCAL (inverted)"
local=$(tui_screen | sed -n '/LOCAL^/{n;p;q}' | awk '{print $2}')
[ "${local##*:}" -ge 32768 ] ||
	fail "inverted LOCAL order does not start with an ephemeral port: $local"
# The mark is in the sorted column's own cell, never against the title
# before it ("AGE^ST-AGE"): the column widens for it.
tui_keys 'I' '>' '>'
tui_wait "sorted by RECV-Q"
tui_expect ' RECV-Qv '
tui_keys 'I'
tui_wait "sorted by RECV-Q (inverted)"
tui_expect ' RECV-Q^ '
tui_keys 'I' '>' '>' '>' '>' '>'
tui_wait "sorted by RETR"
tui_line ' RTT RETRv$' >/dev/null || { tui_screen >&2; fail "RETR's mark"; }
tui_keys '<' '<' '<' '<' '<' 'I'
tui_wait "sorted by RECV-Q (inverted)"
tui_keys 'I' '<' '<' F6
tui_wait "Sort by"
tui_reject "PROCESS"	# as < and >: no column to sort by without p
tui_keys Up Enter
tui_wait "sorted by STATE"

# Search: the selection moves to the row; Enter shows its detail.
tui_keys '/' '7002' Enter
tui_keys Enter
tui_wait "Socket 127.0.0.1:7002"
tui_expect "Cookie"
tui_expect "LISTEN"
tui_expect "Backlog"
tui_expect "eExplain"	# the footer offers e where it does something
# e from the detail explains the state.
tui_keys e
tui_wait "Explanation"
tui_expect "listening socket"
# Esc goes back to the detail it came from, Esc again to the table.
tui_keys Escape
tui_wait_gone "Explanation"
tui_wait "Socket 127.0.0.1:7002"
tui_expect "Backlog"
tui_keys Escape
tui_wait_gone "Socket 127.0.0.1:7002"
tui_wait "sorted by STATE"

# Explain a CLOSE_WAIT socket from the table.
tui_keys '/' 'CLOSE_WAIT' Enter e
tui_wait "has not called close()"
tui_keys q
tui_wait "sockets: 32 rows"

# Help.
tui_keys F1
tui_wait "Keys"
tui_expect "choose the sort column"
tui_reject "destroy the selected"	# no kill function in this build
tui_reject "eExplain"	# e does nothing on the help page
tui_keys Escape
tui_wait "sockets: 32 rows"

# Grouped views.
tui_keys g
tui_wait "listeners: 4 rows"
tui_expect "127.0.0.1:7100"
tui_keys g
tui_wait "peers: 1 row,"
tui_line '127.0.0.0/24' | grep -Eq '127\.0\.0\.0/24 +28 +14 ' ||
	fail "peer prefix row: $(tui_line '127.0.0.0/24')"
# Enter opens the sockets of the group.
tui_keys Enter
tui_wait "in peers 127.0.0.0/24"
tui_expect "sockets: 28 rows"
# Backspace goes back to the view the group came from.
tui_keys BSpace
tui_wait "peers: 1 row,"
tui_wait_gone "in peers 127.0.0.0/24"
tui_keys g
tui_wait "processes: "
# A recording holds no processes: p says so (not "this build").
tui_keys p
tui_wait "a recording holds no processes"
tui_keys g
tui_wait "sockets: 32 rows"

# Resize: 80x24 still draws everything, 60x20 says why it cannot.
tui resize-window -x 80 -y 24
tui_wait "ESTABLISHED 14"
tui_expect "STATEv"
tui resize-window -x 60 -y 20
tui_wait "at least 80x24"
tui_reject "ESTABLISHED 14"
tui resize-window -x 100 -y 30
tui_wait "ESTABLISHED 14"
# A page open across a resize is wrapped again to the new width.
tui_keys F1
tui_wait "filter, as on the command line"
tui_reject "10.0.0.0/8, process nginx"	# at 100 columns it breaks after
tui resize-window -x 80 -y 24
tui_wait "10.0.0.0/8, process nginx"
tui_keys Escape
tui resize-window -x 100 -y 30
tui_wait "ESTABLISHED 14"

# Space plays the recording to its end; space at the end starts again.
tui_keys '[' '['
tui_wait "REPLAY 1/3 stopped"
tui_keys ' '
tui_wait "REPLAY 3/3 stopped" 10
tui_wait "TIME_WAIT 8"

tui_quit

# A command-line filter is applied before the dashboard: the state bar
# counts only what it lets through, so the table says it is there.
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $rec state close-wait"
tui_wait "REPLAY 1/3"
tui_wait "ESTABLISHED 0"
tui_wait "sockets: 4 rows, sorted by STATE, watching only: state close-wait"
tui_quit

# So do -4, -6, -l and --state, before the filter: the recording is IPv4
# only, so with -6 every count is 0, and the title says why.
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $rec -6"
tui_wait "LISTEN 0"
tui_wait "sockets: 0 rows, sorted by STATE, watching only: IPv6"
tui_quit
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $rec -l"
tui_wait "ESTABLISHED 0"
tui_wait "sockets: 3 rows, sorted by STATE, watching only: LISTEN/SYN_RECV"
tui_quit
# Most states: those left out are fewer to read.
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $rec --state connected"
tui_wait "LISTEN 0"
tui_wait "sockets: 24 rows, sorted by STATE, watching only: all but LISTEN/CLOSE"
tui_quit
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $rec -4 --state close-wait,last-ack sport = :7000"
tui_wait "CLOSE_WAIT 4"
tui_wait "sockets: 4 rows, sorted by STATE, watching only: IPv4, CLOSE_WAIT/LAST_ACK, sport = :7000"
tui_quit

# A filter on ages is the view's: the title shows it as the filter (a
# lower bound proves "age >= 0"; "age < 1h" it would leave open). The
# source still reads only its states, so once the filter is cleared at
# the prompt the title says so, and the table keeps 4 rows, not 27.
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $rec state close-wait and age '>=' 0"
tui_wait "sockets: 4 rows, sorted by STATE, filter: state close-wait and age >= 0"
tui_reject "watching only"
tui_keys '\' C-u Enter
tui_wait "sockets: 4 rows, sorted by STATE, watching only: part of state close-wait and age >= 0"
tui_quit
# A recording has no kernel to take ports: cleared, nothing is left out.
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $rec sport = :7000 and age '>=' 0"
tui_wait "filter: sport = :7000 and age >= 0"
tui_keys '\' C-u Enter
tui_wait "sockets: 27 rows, sorted by STATE"
tui_reject "watching only"
tui_quit

# + polls less often and - more often, from an interval off their table
# too (-d 600: + stays, - goes to 300 s).
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -d 600 --replay $rec"
tui_wait "every 600s"
tui_keys +
tui_wait "polling every 600s"
tui_keys -
tui_wait "polling every 300s"
tui_quit

# Too small, the screen says "press q to quit": q quits, whatever is open
# behind it (the search prompt took q as text, a page took it as back).
quit_small() {
	tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $rec"
	tui_wait "REPLAY 1/3"
	tui_keys "$1"
	tui resize-window -x 60 -y 20
	tui_wait "at least 80x24"
	tui_keys q
	tui_wait "sockwatch-exit=0"
}
quit_small '/'
quit_small F1
exit 0
