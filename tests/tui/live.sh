#!/bin/sh
# tests/tui/live.sh - the dashboard on real sockets in a namespace of the
# test's own: exact counts in the state bar, new sockets marked, the
# selection staying on its socket while rows move, pause and quit.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_cmd ss
. "$TESTS_SRCDIR/tui/tui-lib.sh"

ns=$(make_netns tui)
dir=$(tmpdir)

# 2 listeners, 6 connections (12 sockets), 3 CLOSE_WAIT (+3 FIN_WAIT2),
# 4 TIME_WAIT.
hold_sockets "$ns" 2 6 3 4 7000
exec 8>&9
first_out=$HOLD_OUT

tui_start 100 40 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N $ns -d 0.5"
tui_wait "netns $ns"
for c in "LISTEN 2" "ESTABLISHED 12" "CLOSE_WAIT 3" "FIN_WAIT2 3" \
    "TIME_WAIT 4" "SYN_RECV 0" "24 sockets"; do
	tui_wait "$c"
done
tui_expect "sockets: 24 rows"

# The sockets were there before the first poll: their ages are lower
# bounds, marked, in the table and on the detail page.
row=$(tui_line '^ ESTABLISHED +127\.0\.0\.1:7000 ')
echo "$row" | grep -q '≥' || { tui_screen >&2; fail "an old connection's age unmarked: $row"; }

# Select the first ESTABLISHED row (after the two listeners) and remember
# which socket it is.
tui_keys Down Down Enter
tui_wait "Socket 127.0.0.1:"
title=$(tui_line '^Socket ')
echo "$title" | grep -q 7001 && fail "selected a listener: $title"
tui_line 'Age ' | grep -q '≥' || { tui_screen >&2; fail "the page says a known age"; }
tui_keys Escape
tui_wait "sockets: 24 rows"

# New sockets sort above it (a listener, and connections to port 7100
# sort before the ephemeral ports); they are marked "+" for one poll.
hold_sockets "$ns" 1 2 0 0 7100
tui_wait "ESTABLISHED 16" 10
tui_wait "sockets: 29 rows"
tui_keys Enter
tui_wait "Socket 127.0.0.1:"
[ "$(tui_line '^Socket ')" = "$title" ] ||
	fail "the selection moved from '$title' to '$(tui_line '^Socket ')'"
tui_keys Escape

# Marks last one poll: wait for a screen with them, then without them.
# (Pause first so the screen holds still while we read it.)
tui_keys ' '
tui_wait "PAUSED"
tui_keys ' '
tui_wait_gone "PAUSED"
wait_for 10 sh -c "! tmux -L $TUI_SERVER capture-pane -p | grep -q '^+'" ||
	fail "new sockets are still marked after later polls"

# The interval keys.
tui_keys '+'
tui_wait "every 1s"
tui_keys '-' '-'
tui_wait "every 0.2s"

# The processes view without p says how to fill it.
tui_keys g g g
tui_wait "processes: " 5
tui_wait "p looks up the processes"
tui_keys g
tui_wait "sockets: "

# A process term at the \ prompt looks the processes up, as it implies -p
# on the command line (it matched nothing without p).
tui_wait_gone "/sockgen"
tui_keys '\' 'process sockgen' Enter
tui_wait "filter: process sockgen"
tui_wait "/sockgen" 10
tui_keys '\' C-u Enter p
tui_wait_gone "filter: process"

# p attributes sockets to processes: the generator that holds them.
tui_wait_gone "/sockgen"
tui_keys p
tui_wait "/sockgen" 10

tui_quit

# A filter on ages is the view's, but its ports go to the kernel too:
# cleared at the prompt, the table keeps the 2 sockets the kernel sends
# and the title says why. With --no-bytecode nothing is left out.
filter="dport = :7100 and age '>=' 0"
tui_start 100 40 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N $ns $filter"
tui_wait "sockets: 2 rows, sorted by STATE, filter: dport = :7100 and age >= 0"
tui_reject "watching only"
tui_keys '\' C-u Enter
tui_wait "sockets: 2 rows, sorted by STATE, watching only: part of dport = :7100 and age >= 0"
tui_quit
tui_start 100 40 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N $ns --no-bytecode $filter"
tui_wait "sockets: 2 rows, sorted by STATE, filter: dport = :7100"
tui_keys '\' C-u Enter
tui_wait_gone "sockets: 2 rows"
tui_reject "watching only"
tui_quit

# The same sockets recorded, then watched again from the recording: one
# poll, a connection shut by its client (CLOSE_WAIT 3 -> 4), and after a
# second three polls 0.2 s apart. Two recordings joined: a recording is a
# 16-byte header, then frames (src/replay.c).
"$SOCKWATCH" -N "$ns" --record "$dir/a.rec" -c 1 -s > /dev/null ||
	fail "cannot record"
echo "shut e1" >&8
wait_for 5 grep -q '^shut e1' "$first_out" || fail "sockgen did not shut e1"
four_close_wait() {
	[ "$(kernel_count "$ns" close-wait)" -eq 4 ]
}
wait_for 5 four_close_wait || fail "no fourth CLOSE_WAIT"
sleep 1
"$SOCKWATCH" -N "$ns" --record "$dir/b.rec" -c 3 -d 0.2 -s > /dev/null ||
	fail "cannot record"
{ cat "$dir/a.rec"; tail -c +17 "$dir/b.rec"; } > "$dir/live.rec"

tui_start 100 40 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $dir/live.rec"
tui_wait "REPLAY 1/4"
tui_wait "ESTABLISHED 16"
tui_expect "netns $ns"
tui_wait "CLOSE_WAIT 3"
marked() {	# marked N: N rows carry a mark
	[ "$(tui_screen | grep -c '^[+*]')" -eq "$1" ]
}
# The shut connection: its two sockets changed state in poll 2.
tui_keys ']'
tui_wait "REPLAY 2/4"
tui_wait "CLOSE_WAIT 4"
wait_for 5 marked 2 || { tui_screen >&2; fail "poll 2: not 2 rows marked"; }
tui_keys ']'
tui_wait "REPLAY 3/4"
first=$(tui_line '^ LISTEN +127\.0\.0\.1:7000 ')
[ -n "$first" ] || { tui_screen >&2; fail "no listener on 7000"; }
# Back from poll 4: poll 3 as the way forward showed it (ages counted from
# poll 1, not from a model started again at poll 3), then poll 2 with its
# marks against poll 1, then poll 1 with none.
tui_keys ']'
tui_wait "REPLAY 4/4"
tui_keys '['
tui_wait "REPLAY 3/4"
same_line() {
	[ "$(tui_line '^ LISTEN +127\.0\.0\.1:7000 ')" = "$first" ]
}
wait_for 5 same_line || { tui_screen >&2; fail "poll 3 stepped back to: not '$first'"; }
tui_keys '['
tui_wait "REPLAY 2/4"
wait_for 5 marked 2 || { tui_screen >&2; fail "poll 2 stepped back to: not 2 rows marked"; }
tui_keys '['
tui_wait "REPLAY 1/4"
tui_wait "CLOSE_WAIT 3"
wait_for 5 marked 0 || { tui_screen >&2; fail "poll 1 stepped back to: marks"; }
tui_quit
exit 0
