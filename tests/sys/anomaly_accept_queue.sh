#!/bin/sh
# A listener that never accepts: complete connections pile up in its
# accept queue beyond the backlog -> accept-queue critical.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

start_peer "$A" server server --addr 10.201.0.1 --port 8082 --backlog 4 \
	--mode never-accept --seconds 60
# The queue overflows at backlog + 1: five connections complete.
start_peer "$B" clients clients --addr 10.201.0.1 --port 8082 --count 5 \
	--mode hold --seconds 60

status=$(check "$A" "$T/out.json")
show "$T/out.json"
[ "$status" -eq 2 ] || fail "--check exited $status, expected 2 (CRITICAL)"
finding "$T/out.json" '.rule == "accept-queue" and .severity == "critical" and
	.subject == "listener 10.201.0.1:8082" and
	.evidence.accept_queue == 5 and .evidence.backlog == 4' ||
	fail "no critical accept-queue on 10.201.0.1:8082"
finding "$T/out.json" '.rule == "accept-queue" and
	(.advice | test("raise the listen\\(\\) backlog"))' ||
	fail "a backlog of 4 should get the advice to raise it"
exit 0
