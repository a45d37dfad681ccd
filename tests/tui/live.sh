#!/bin/sh
# tests/tui/live.sh - the dashboard on real sockets in a namespace of the
# test's own: exact counts in the state bar, new sockets marked, the
# selection staying on its socket while rows move, pause and quit.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
. "$TESTS_SRCDIR/tui/tui-lib.sh"

ns=$(make_netns tui)
dir=$(tmpdir)

# 2 listeners, 6 connections (12 sockets), 3 CLOSE_WAIT (+3 FIN_WAIT2),
# 4 TIME_WAIT.
hold_sockets "$ns" a 2 6 3 4 7000
exec 8>&9

tui_start 100 40 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N $ns -i 0.5"
tui_wait "netns $ns"
for c in "LISTEN 2" "ESTABLISHED 12" "CLOSE_WAIT 3" "FIN_WAIT2 3" \
    "TIME_WAIT 4" "SYN_RECV 0" "24 sockets"; do
	tui_wait "$c"
done
tui_expect "sockets: 24 rows"

# Select the first ESTABLISHED row (after the two listeners) and remember
# which socket it is.
tui_keys Down Down Enter
tui_wait "Socket 127.0.0.1:"
title=$(tui_line '^Socket ')
echo "$title" | grep -q 7001 && fail "selected a listener: $title"
tui_keys Escape
tui_wait "sockets: 24 rows"

# New sockets sort above it (a listener, and connections to port 7100
# sort before the ephemeral ports); they are marked "+" for one poll.
hold_sockets "$ns" b 1 2 0 0 7100
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

# p attributes sockets to processes: the generator that holds them.
tui_wait_gone "/sockgen"
tui_keys p
tui_wait "/sockgen" 10

tui_quit

# The same sockets recorded, then watched again from the recording.
"$SOCKWATCH" -N "$ns" --record "$dir/live.rec" -c 2 -i 0.2 -s > /dev/null ||
	fail "cannot record"
tui_start 100 40 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $dir/live.rec"
tui_wait "REPLAY 1/2"
tui_wait "ESTABLISHED 16"
tui_expect "netns $ns"
tui_keys ']'
tui_wait "REPLAY 2/2"
tui_quit
exit 0
