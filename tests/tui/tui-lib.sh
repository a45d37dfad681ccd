# tests/tui/tui-lib.sh - run sockwatch's dashboard in a private tmux server
# and read its screen. Source it after tests/lib.sh.
#
# Every dashboard a test starts gets its own tmux server (-L sw-PID-N),
# stopped at exit, so tests running at the same time never see each
# other's panes.

require_cmd tmux

_tui_count=0
TUI_SERVER=""

tui() {
	tmux -L "$TUI_SERVER" "$@"
}

# tui_start WIDTH HEIGHT COMMAND...: run COMMAND in a new pane; when it
# ends the pane shows "sockwatch-exit=STATUS" and stays open.
tui_start() {
	_w=$1 _h=$2
	shift 2
	_tui_count=$((_tui_count + 1))
	TUI_SERVER="sw-$$-$_tui_count"
	at_exit "tmux -L $TUI_SERVER kill-server >/dev/null 2>&1"
	tui -f /dev/null new-session -d -x "$_w" -y "$_h" \
	    "$*; echo \"sockwatch-exit=\$?\"; sleep 600" ||
		fail "cannot start tmux"
}

tui_screen() {
	tui capture-pane -p
}

# The screen with its attributes as escape sequences.
tui_screen_attrs() {
	tui capture-pane -p -e
}

_tui_has() {
	tmux -L "$TUI_SERVER" capture-pane -p | grep -qF -- "$1"
}

_tui_lacks() {
	! _tui_has "$1"
}

# tui_wait TEXT [SECONDS]: until the screen shows TEXT; fails after
# SECONDS (5), printing the screen.
tui_wait() {
	wait_for "${2:-5}" _tui_has "$1" && return 0
	tui_screen >&2
	fail "the screen never showed '$1'"
}

# tui_wait_gone TEXT [SECONDS]: until TEXT has left the screen.
tui_wait_gone() {
	wait_for "${2:-5}" _tui_lacks "$1" && return 0
	tui_screen >&2
	fail "the screen still shows '$1'"
}

# tui_keys KEY...: as tmux send-keys (names such as Enter, F1, Escape).
tui_keys() {
	tui send-keys "$@" || fail "send-keys $*"
}

# tui_expect TEXT: the screen shows TEXT now.
tui_expect() {
	_tui_has "$1" && return 0
	tui_screen >&2
	fail "the screen does not show '$1'"
}

tui_reject() {
	_tui_has "$1" || return 0
	tui_screen >&2
	fail "the screen shows '$1'"
}

# tui_line PATTERN: the first screen line matching the extended regex.
tui_line() {
	tui_screen | grep -E -m1 -- "$1"
}

# tui_quit: q, then the shell again and the alternate screen left.
tui_quit() {
	tui_keys q
	tui_wait "sockwatch-exit=0"
	[ "$(tui display -p '#{alternate_on}')" = 0 ] ||
		fail "the alternate screen is still on after quitting"
	tui_reject " sockwatch  "
}

# tui_sockets NS NAME LISTENERS ESTABLISHED CLOSE_WAIT TIME_WAIT PORT: a
# known population on the loopback of NS, held by sockgen hold (at most
# 600 s) until the test ends. LISTENERS listen on 127.0.0.1 from PORT up;
# to the first of them go ESTABLISHED connections (two sockets each),
# CLOSE_WAIT ones the client shut down (a CLOSE_WAIT and a FIN_WAIT2 socket
# each) and TIME_WAIT ones the server closed first (one TIME_WAIT socket
# each, for 60 s). Its stdin, a fifo, is kept open on fd 9: move that fd
# elsewhere before the next call.
tui_sockets() {
	require_sockgen
	_ts_ns=$1 _ts_name=$2 _ts_port=$7
	_ts_specs=""
	_ts_i=0
	while [ $_ts_i -lt "$3" ] || [ $_ts_i -eq 0 ]; do
		_ts_specs="$_ts_specs listen:127.0.0.1:$((_ts_port + _ts_i))"
		_ts_i=$((_ts_i + 1))
	done
	for _ts_kind in est:$4 closewait:$5 timewait:$6; do
		_ts_i=0
		while [ $_ts_i -lt "${_ts_kind#*:}" ]; do
			_ts_i=$((_ts_i + 1))
			_ts_spec="${_ts_kind%:*}:127.0.0.1:$_ts_port"
			[ "${_ts_kind%:*}" = timewait ] ||
				_ts_spec="$_ts_spec:n$_ts_i"
			_ts_specs="$_ts_specs $_ts_spec"
		done
	done
	_ts_dir=$(tmpdir)
	mkfifo "$_ts_dir/$_ts_name.in" || fail "mkfifo"
	ip netns exec "$_ts_ns" "$SOCKGEN" hold -H 600 $_ts_specs \
	    <"$_ts_dir/$_ts_name.in" >"$_ts_dir/$_ts_name.out" 2>&1 &
	track_pid $!
	exec 9>"$_ts_dir/$_ts_name.in"	# keeps its stdin open
	wait_for 20 grep -q ready "$_ts_dir/$_ts_name.out" ||
		fail "sockgen hold $_ts_specs: $(cat "$_ts_dir/$_ts_name.out")"
}
