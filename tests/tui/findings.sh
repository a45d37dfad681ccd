#!/bin/sh
# tests/tui/findings.sh - the anomalies panel on real trouble: connections
# whose FIN is never acknowledged retransmit (sockgen's fin-wait1). At 80
# columns a finding too long ends at a whole word and an ellipsis, a
# selects it and e explains it, with the whole summary. Full accept queues: the selected
# finding stays selected when a worse one comes above it.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_sockgen
. "$TESTS_SRCDIR/tui/tui-lib.sh"

srv=$(make_netns fsrv)
cli=$(make_netns fcli)
link_netns "$srv" "$cli"
start_sockgen "$(tmpdir)/manifest" --server "$srv" --client "$cli" \
    -4 -n 3 -o fin-wait1

tui_start 80 24 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N $cli -d 0.5"
tui_wait "retransmits   peers 10.201.0.0/24: " 30
tui_keys ' '		# hold the screen still
tui_wait "PAUSED"
line=$(tui_line 'retransmits   peers 10\.201\.0\.0/24: ')
shown=${line#*10.201.0.0/24: }

tui_keys a e
tui_wait "What was found"
tui_expect "retransmits: peers 10.201.0.0/24"
summary=$(tui_screen | sed -n '/^What was found/{n;p;q}')
[ "$shown" != "$summary" ] || fail "the summary fits 80 columns: no test"
# Cut, it says so: an ellipsis after the last whole word.
case "$shown" in
*…) shown=${shown%…} ;;
*) tui_screen >&2; fail "a finding cut without an ellipsis: '$shown'" ;;
esac
case "$summary" in
"$shown "*) ;;			# cut after a word
*) tui_screen >&2; fail "the panel shows '$shown' of '$summary'" ;;
esac
tui_keys Escape
tui_wait "Anomalies: "
tui_quit

# Two listeners with a backlog of 4: 7401's queue holds 4 (warning), then
# 7402's 5 (critical, so listed first).
lq=$(make_netns lq)
hold_specs "$lq" 7 backlog:127.0.0.1:7401:4 backlog:127.0.0.1:7402:4
# queue PORT N: N connections left in PORT's accept queue.
queue() {
	echo "queue $1 $2" >&7
	wait_for 10 grep -q "^queue $1 $2\$" "$HOLD_OUT" ||
		fail "sockgen did not queue: $(cat "$HOLD_OUT")"
}
queue 7401 4

tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N $lq -d 0.2"
tui_wait "accept-queue  listener 127.0.0.1:7401" 10
tui_keys a
queue 7402 5
tui_wait "accept-queue  listener 127.0.0.1:7402" 10
# 7402's five connections may span two polls: wait for the critical one.
critical_first() {
	tui_screen | sed -n '/^Anomalies: /{n;p;q}' |
		grep -q '^CRIT accept-queue  listener 127.0.0.1:7402'
}
wait_for 5 critical_first ||
	{ tui_screen >&2; fail "the critical finding is not first"; }
tui_keys e
tui_wait "Explanation"
tui_expect "accept-queue: listener 127.0.0.1:7401"
tui_keys Escape
tui_quit

# Those queues in a recording of one poll, played again and again: each
# play is that first poll again, so no finding rises (each play used to
# count as one more poll of trouble, and one rose after a few).
rec=$(tmpdir)/queues.rec
"$SOCKWATCH" -N "$lq" --record "$rec" --count 1 >/dev/null 2>&1 ||
	fail "cannot record the queues"
# Polls 30 s apart: a play of it stays "playing" until Space stops it.
tui_start 100 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH --replay $rec -d 30"
tui_wait "REPLAY 1/1 stopped"
tui_wait "ESTABLISHED"
tui_reject "accept-queue"
for play in 1 2 3 4 5; do
	tui_keys Space
	tui_wait "REPLAY 1/1 playing"
	tui_keys Space
	tui_wait "REPLAY 1/1 stopped"
done
# And the sparklines hold that one poll, not one a play.
[ "$(tui_line '^SYN_RECV .* ESTABLISHED ' | grep -o '█' | wc -l)" -eq 1 ] ||
	{ tui_screen >&2; fail "the sparkline counts the plays"; }
tui_reject "accept-queue"
tui_quit
exit 0
