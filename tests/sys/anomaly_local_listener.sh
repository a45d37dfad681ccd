#!/bin/sh
# Clients on this host connect to a local listener whose process accepts
# nothing: once its accept queue is full the kernel drops their SYNs, and
# they sit in SYN_SENT retrying. That is the listener's fault, not the
# path's: the accept-queue finding of the listener counts them, and no
# retransmits finding blames "loss on the path" (nor quotes a time since
# the last ACK for sockets that never received one).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

echo "rule.retransmits.socket_warning = 2" >>"$T/sockwatch.conf"
start_peer "$A" server server --addr 10.201.0.1 --port 8094 --backlog 4 \
	--mode never-accept --seconds 40
start_peer "$A" clients clients --addr 10.201.0.1 --port 8094 --mode burst \
	--count 12 --seconds 40
# Five fill the queue (backlog + 1); the other seven retry their SYN.
wait_for 15 sh -c "ip netns exec $A ss -tnoH state syn-sent | grep -q 'timer:(on,[^,]*,[2-9])'" || {
	in_ns "$A" ss -tno >&2
	fail "no SYN sent again twice"
}

status=$(check "$A" "$T/out.json")
show "$T/out.json"
waiting=$(kernel_count "$A" syn-sent)
note "SYN_SENT: $waiting"
[ "$waiting" -ge 1 ] || fail "no client waits in SYN_SENT"
finding "$T/out.json" '.rule == "retransmits"' &&
	fail "SYNs a full local listener drops were reported as retransmits"
finding "$T/out.json" ".rule == \"accept-queue\" and
	.subject == \"listener 10.201.0.1:8094\" and
	.evidence.local_clients_waiting >= 1 and
	(.cause | test(\"local clients? waits? on this full listener\"))" ||
	fail "the accept-queue finding does not name the local clients waiting"
exit 0
