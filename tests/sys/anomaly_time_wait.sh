#!/bin/sh
# Many short connections to one destination through a narrowed
# ip_local_port_range: TIME_WAIT holds most of the ports -> time-wait.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

in_ns "$B" sysctl -qw net.ipv4.ip_local_port_range="40000 40099" \
	>/dev/null || fail "sysctl"
start_peer "$A" server server --addr 10.201.0.1 --port 8083 \
	--mode read-close --seconds 60
# The client closes first, so TIME_WAIT is on its side.
in_ns "$B" "$SOCKGEN" clients --addr 10.201.0.1 --port 8083 \
	--count 85 --mode close --seconds 30 || fail "clients"
# Under load a connection or two may not make it; 81 of the 100 usable
# ports is still past the critical share (80 %), and the evidence must
# count exactly what the kernel holds.
tw_count() {
	ip netns exec "$B" ss -tnH state time-wait | wc -l
}
wait_for 20 sh -c "[ \$(ip netns exec $B ss -tnH state time-wait | wc -l) -ge 85 ]"
n=$(tw_count)
[ "$n" -ge 81 ] || {
	in_ns "$B" ss -tan | awk '{print $1}' | sort | uniq -c >&2
	in_ns "$A" ss -tan | awk '{print $1}' | sort | uniq -c >&2
	cat "$T/server.err" >&2
	fail "only $n of the clients' sockets reached TIME_WAIT"
}
[ "$n" -eq 85 ] || note "$n of 85 connections reached TIME_WAIT"

status=$(check "$B" "$T/out.json")
show "$T/out.json"
[ "$status" -eq 2 ] || fail "--check exited $status, expected 2 (CRITICAL)"
finding "$T/out.json" '.rule == "time-wait" and .severity == "critical" and
	.subject == "10.201.0.2 -> 10.201.0.1:8083" and
	.evidence.count == '"$n"' and .evidence.usable_ports == 100 and
	.evidence.time_wait == '"$n"'' ||
	fail "no critical time-wait to 10.201.0.1:8083"
exit 0
