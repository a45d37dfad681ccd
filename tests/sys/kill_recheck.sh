#!/bin/sh
# kill_recheck.sh - --kill destroys what matches when the answer comes, not
# what it listed (issue 11): of two ESTABLISHED connections listed, one
# goes to CLOSE_WAIT while the question waits on a terminal; that one is
# skipped and reported as CLOSE_WAIT, the other is destroyed.
. "$TESTS_SRCDIR/lib.sh"
require_root
require_cmd script ss

ns=$(make_netns recheck)
d=$(tmpdir)
hold_sockets "$ns" 1 2 0 0 7301	# e1, e2 to 127.0.0.1:7301
[ "$(kernel_count "$ns" established)" -eq 4 ] || fail "no 4 ESTABLISHED sockets"

mkfifo "$d/tty.in" || fail "mkfifo"
ip netns exec "$ns" script -qec \
	"'$SOCKWATCH' --kill 'state established and sport = :7301'" /dev/null \
	<"$d/tty.in" >"$d/tty" 2>&1 &
pid=$!
track_pid $pid
exec 8>"$d/tty.in"
wait_for 20 grep -q 'Destroy these 2 sockets?' "$d/tty" ||
	fail "no question: $(cat "$d/tty")"

# While it waits, e1's client shuts down: its server socket is CLOSE_WAIT.
echo "shut e1" >&9
wait_for 10 sh -c "[ \$(ip netns exec $ns ss -tanH state close-wait | wc -l) -eq 1 ]" ||
	fail "e1's server socket did not reach CLOSE_WAIT"
echo y >&8
wait $pid
st=$?
exec 8>&-
tr -d '\r' <"$d/tty" >"$d/out"
[ $st -eq 0 ] || fail "--kill exited $st: $(cat "$d/out")"
[ "$(grep -c '^destroyed  *ESTABLISHED  *127.0.0.1:7301 ' "$d/out")" -eq 1 ] ||
	fail "not one destroyed ESTABLISHED: $(cat "$d/out")"
[ "$(grep -c '^skipped  *CLOSE_WAIT  *127.0.0.1:7301 ' "$d/out")" -eq 1 ] ||
	fail "the CLOSE_WAIT one not skipped in its state now: $(cat "$d/out")"
grep -q '^destroyed  *CLOSE_WAIT' "$d/out" && fail "a CLOSE_WAIT was destroyed"
grep -q 'skipped (1 socket): it changed after it was listed and no longer matches the filter' \
	"$d/out" || fail "no count and reason of the skipped: $(cat "$d/out")"

# The kernel agrees: the CLOSE_WAIT socket is still there, e2 is gone.
[ "$(kernel_count "$ns" close-wait)" -eq 1 ] || fail "the CLOSE_WAIT socket was destroyed"
[ "$(ip netns exec "$ns" ss -tanH state established '( sport = :7301 )' | wc -l)" -eq 0 ] ||
	fail "an ESTABLISHED server socket survived"
exit 0
