#!/bin/sh
# A server that sends more than its client reads, then closes: its
# sockets become orphans in FIN_WAIT1, probing the client's zero window
# -> orphans warning for the stuck orphans.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

start_peer "$A" server server --addr 10.201.0.1 --port 8085 \
	--mode send-close --seconds 60
start_peer "$B" clients clients --addr 10.201.0.1 --port 8085 --count 4 \
	--mode hold --rcvbuf 4096 --seconds 60
wait_for 20 sh -c "[ \$(ip netns exec $A ss -tnoH state fin-wait-1 | grep -c persist) -ge 4 ]" || {
	in_ns "$A" ss -tno >&2
	fail "no orphan probing a zero window"
}

status=$(check "$A" "$T/out.json")
show "$T/out.json"
[ "$status" -ge 1 ] || fail "--check exited $status, expected a warning"
finding "$T/out.json" '.rule == "orphans" and .severity == "warning" and
	.evidence.stuck == 4 and .evidence.fin_wait1 == 4' ||
	fail "no orphans warning with 4 stuck in FIN_WAIT1"

# tcp_max_orphans and the orphan count are the host's, not the
# namespace's: their share is left to the unit tests.
exit 0
