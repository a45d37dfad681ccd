#!/bin/sh
# tests/tui/findings.sh - the anomalies panel on real trouble: connections
# whose FIN is never acknowledged retransmit (sockgen's fin-wait1). At 80
# columns a finding too long ends at a whole word, a selects it and e
# explains it, with the whole summary.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_sockgen
. "$TESTS_SRCDIR/tui/tui-lib.sh"

srv=$(make_netns fsrv)
cli=$(make_netns fcli)
link_netns "$srv" "$cli"
start_sockgen "$(tmpdir)/manifest" --server "$srv" --client "$cli" \
    -4 -n 3 -o fin-wait1

tui_start 80 24 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N $cli -i 0.5"
tui_wait "retransmits   peers 10.201.0.0/24: " 30
tui_keys ' '		# hold the screen still
tui_wait "PAUSED"
line=$(tui_line 'retransmits   peers 10\.201\.0\.0/24: ')
shown=${line#*10.201.0.0/24: }

tui_keys a e
tui_wait "What was found"
tui_expect "retransmits: peers 10.201.0.0/24"
summary=$(tui_screen | sed -n '/^What was found/{n;p;q}')
case "$summary" in
"$shown") ;;			# it fitted
"$shown "*) ;;			# cut after a word
*) tui_screen >&2; fail "the panel shows '$shown' of '$summary'" ;;
esac
[ "$shown" != "$summary" ] || fail "the summary fits 80 columns: no test"
tui_keys Escape
tui_wait "Anomalies: "
tui_quit
exit 0
