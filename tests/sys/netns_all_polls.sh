#!/bin/sh
# -N all over many polls, on a host with enough processes that sockwatch
# reads every /proc/PID/ns/net only every few polls (netns.c): a namespace
# that only a new process holds must appear within ten polls of its
# making, and once that process is gone the namespace must leave the
# reports of the polls that begin after, and sockwatch must close its
# descriptor (holding it would keep the namespace alive).
. "$TESTS_SRCDIR/lib.sh"
require_root
require_cmd jq unshare
T=$(tmpdir)

# 600 more processes: a full scan of /proc every other poll at least.
i=0
while [ $i -lt 600 ]; do
	sleep 300 &
	track_pid $!
	i=$((i + 1))
done

"$SOCKWATCH" -N all -f json -s -c 600 -d 0.1 >"$T/polls.json" 2>"$T/err" &
sw=$!
track_pid $sw
# reports: how many polls sockwatch has written so far.
reports() { wc -l <"$T/polls.json"; }
at_least() { [ "$(reports)" -ge "$1" ]; }
# wait_reports N: until N reports are out (at most 60 s).
wait_reports() {
	wait_for 60 at_least "$1" ||
		fail "sockwatch wrote $(reports) reports, not $1: $(cat "$T/err")"
}
# in_report N: whether report N lists the namespace.
in_report() {
	sed -n "${1}p" "$T/polls.json" |
		jq -e --arg k "$C" '.namespaces | has($k)' >/dev/null
}
# holds: whether sockwatch has a descriptor of the namespace open.
holds() {
	ls -l "/proc/$sw/fd" 2>/dev/null | grep -qF "$C"
}
wait_reports 2

unshare -n sleep 120 &
holder=$!
track_pid $holder
wait_for 10 sh -c "[ \"\$(stat -L -c %i /proc/$holder/ns/net)\" != \
\"\$(stat -L -c %i /proc/self/ns/net)\" ]" || fail "no namespace of $holder"
C="net:[$(stat -L -c %i "/proc/$holder/ns/net")]"
# The poll of report n0 + 1 may have begun before the namespace: the ten
# after it begin later, and one of them reads /proc in full.
n0=$(reports)
wait_reports $((n0 + 11))
seen=0
n=$((n0 + 1))
while [ $n -le $((n0 + 11)) ]; do
	if in_report $n; then
		seen=$n
		break
	fi
	n=$((n + 1))
done
[ $seen -gt 0 ] || fail "$C is not in reports $((n0 + 1))..$((n0 + 11))"
# Found, it stays while its process lives, between full scans too.
n=$((n0 + 12))
wait_reports $((n + 4))
while [ $n -le $((n0 + 16)) ]; do
	in_report $n || fail "$C left report $n while its process lives"
	n=$((n + 1))
done
holds || fail "sockwatch has no descriptor of $C open"

kill $holder
wait $holder 2>/dev/null
n1=$(reports)
# Report n1 + 1 may have begun before the process ended; n1 + 2 may not.
wait_reports $((n1 + 4))
n=$((n1 + 2))
while [ $n -le $((n1 + 4)) ]; do
	in_report $n && fail "$C is still in report $n, its process gone"
	n=$((n + 1))
done
holds && fail "sockwatch still holds $C, its process gone"
kill $sw
exit 0
