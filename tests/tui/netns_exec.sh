#!/bin/sh
# tests/tui/netns_exec.sh - the dashboard run inside a namespace made by
# ip netns add (ip netns exec NAME sockwatch) names it in its header, as
# -N NAME does (it said "netns -").
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
. "$TESTS_SRCDIR/tui/tui-lib.sh"

ns=$(make_netns tuix)
tui_start 120 24 "LC_ALL=C.UTF-8 TERM=xterm-256color ip netns exec $ns $SOCKWATCH -d 0.5"
tui_wait " sockwatch  "
tui_wait "  netns $ns  "
tui_quit
