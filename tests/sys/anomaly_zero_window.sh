#!/bin/sh
# A peer that stops reading: the sender's data fills the peer's receive
# window and the kernel probes a zero window -> zero-window on the sender,
# and on the receiver "our process is not reading".
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

echo "rule.zero-window.stall_s = 0.1" >>"$T/sockwatch.conf"
start_peer "$A" server server --addr 10.201.0.1 --port 8084 --mode hold \
	--rcvbuf 4096 --seconds 60
start_peer "$B" clients clients --addr 10.201.0.1 --port 8084 --count 1 \
	--mode send-block --seconds 60
wait_for 15 sh -c "ip netns exec $B ss -tnoH state established | grep -q persist" ||
	fail "the sender never probed a zero window"

status=$(check "$B" "$T/out.json")
show "$T/out.json"
[ "$status" -ge 1 ] || fail "--check exited $status, expected a warning"
finding "$T/out.json" '.rule == "zero-window" and .evidence.side == "peer" and
	.subject == (.subject | select(test(" -> 10.201.0.1:8084$")))' ||
	fail "no zero-window finding for the stalled sender"

# Recv-Q must stay unchanged across polls: a second run takes the
# history the first one left in the state file.
check "$A" "$T/out1.json" >/dev/null
status=$(check "$A" "$T/out2.json")
show "$T/out2.json"
finding "$T/out2.json" '.rule == "zero-window" and .evidence.side == "local" and
	(.cause | test("not reading"))' ||
	fail "no zero-window finding for the receiver that does not read"
exit 0
