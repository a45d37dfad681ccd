# tests/tui/local.mk - the dashboard under tmux.
TUI_TESTS = tests/tui/findings.sh tests/tui/kill.sh tests/tui/kill_listen.sh tests/tui/layout.sh tests/tui/live.sh tests/tui/locale.sh tests/tui/look.sh \
	tests/tui/names.sh \
	tests/tui/pace.sh \
	tests/tui/netns_all.sh tests/tui/netns_exec.sh \
	tests/tui/replay.sh tests/tui/resolve.sh
TESTS += $(TUI_TESTS)
EXTRA_DIST += $(TUI_TESTS) tests/tui/tui-lib.sh tests/data/tui-small.rec
