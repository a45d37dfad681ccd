# tests/tui/local.mk - the dashboard under tmux.
TESTS += tests/tui/replay.sh tests/tui/look.sh tests/tui/live.sh
EXTRA_DIST += tests/tui/replay.sh tests/tui/look.sh tests/tui/live.sh \
	tests/tui/tui-lib.sh tests/tui/sockets.py tests/data/tui-small.rec
