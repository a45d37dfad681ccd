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

