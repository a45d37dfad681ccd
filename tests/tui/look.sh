#!/bin/sh
# tests/tui/look.sh - the dashboard renders without colours (NO_COLOR,
# --no-color, TERM=vt100) and in plain ASCII, and gives the terminal back
# on SIGTERM. Uses the committed recording: no root needed.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
. "$TESTS_SRCDIR/tui/tui-lib.sh"

rec="$TESTS_SRCDIR/data/tui-small.rec"
[ -r "$rec" ] || fail "missing $rec"
esc=$(printf '\033')

# SGR colour codes (30-37, 40-47, 38;5;N, 48;5;N) on the screen?
has_colour() {
	tui_screen_attrs | grep -Eq "$esc\\[([0-9;]*;)?(3[0-8]|4[0-8])[;m]"
}

run() {
	tui_start 100 30 "$*"
	tui_wait "REPLAY 1/3"
	# The frame reaches tmux in pieces: the header may come first.
	tui_wait "ESTABLISHED 10"
}

stop() {
	tui_quit
	tui kill-server
}

# With colours, as a reference: the check can see colours.
run "LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR= $SOCKWATCH --replay $rec"
has_colour || { tui_screen_attrs >&2; fail "no colours on xterm-256color"; }
# UTF-8: block sparklines.
tui_expect "█"
stop

run "LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR=1 $SOCKWATCH --replay $rec"
has_colour && fail "colours despite NO_COLOR"
stop

run "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --no-color --replay $rec"
has_colour && fail "colours despite --no-color"
stop

# A monochrome terminal in plain ASCII: no colours, no UTF-8 on screen,
# the sparkline made of ASCII, the selection still visible (reverse).
run "LC_ALL=C TERM=vt100 $SOCKWATCH --replay $rec"
has_colour && fail "colours on a vt100"
tui_screen | LC_ALL=C grep -q "$(printf '[\200-\377]')" &&
	{ tui_screen >&2; fail "non-ASCII characters in the C locale"; }
tui_line 'ESTABLISHED +@ max 10' >/dev/null ||
	{ tui_screen >&2; fail "no ASCII sparkline"; }
tui_screen_attrs | grep -q "$esc\\[7m" || fail "no reverse video on a vt100"
tui_expect "Enter"
stop

# A header wider than 80 columns gives way to the mode by whole fields:
# "78 s" left of "78 sockets" read as seconds.
tui_start 80 24 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH --replay $TESTS_SRCDIR/data/states-v4v6-server.rec"
tui_wait "REPLAY 1/1"
tui_wait "LISTEN"
header=$(tui_line '^ sockwatch ')
echo "$header" | grep -Eq '  (every 1s|78 sockets)? +REPLAY 1/1 stopped$' ||
	fail "header cut inside a field: '$header'"
stop

# A terminal that cannot move the cursor (TERM=dumb: an editor's shell):
# one line that says what to do, not a dashboard drawn on one line.
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=dumb $SOCKWATCH --replay $rec"
tui_wait "sockwatch-exit=3"
tui_expect "cannot drive terminal type 'dumb': set TERM, or use --batch"
tui kill-server

# Keys cannot come from /dev/null: a report instead of a dashboard that
# would spin on end-of-file.
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH --replay $rec < /dev/null"
tui_wait "sockwatch-exit=0"
tui_expect "TIME_WAIT   127.0.0.1:7100"
tui_reject "REPLAY"
tui kill-server

# SIGTERM: the terminal comes back, and the shell sees the signal.
pidfile="$(tmpdir)/pid"
tui_start 100 30 "sh -c 'echo \$\$ > $pidfile; exec env LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH --replay $rec'"
tui_wait "REPLAY 1/3"
[ "$(tui display -p '#{alternate_on}')" = 1 ] || fail "no alternate screen"
kill -TERM "$(cat "$pidfile")"
tui_wait "sockwatch-exit=143"
[ "$(tui display -p '#{alternate_on}')" = 0 ] ||
	fail "the alternate screen is still on after SIGTERM"

# A fatal error (a recording damaged in its second poll): the terminal is
# restored before the one-line message, which stays readable.
bad="$(tmpdir)/bad.rec"
cp "$rec" "$bad"
off=$(rec_dump_after "$bad" 2) || fail "no second poll in $rec"
poke "$bad" $((off + 16 + 4)) '\167\167'	# nlmsg_type 0x7777
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH --replay $bad"
tui_wait "REPLAY 1/3"
tui_keys ']'
tui_wait "sockwatch-exit=64"
tui_expect "sockwatch: "
tui_reject " sockwatch  vm"
[ "$(tui display -p '#{alternate_on}')" = 0 ] ||
	fail "the alternate screen is still on after a fatal error"
exit 0
