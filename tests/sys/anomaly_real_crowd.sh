#!/bin/sh
# A flash crowd of real clients on the kernel's defaults (syncookies on):
# 2000 connections in about 2 s against a listener of backlog 64 whose
# process accepts 200 a second. The accept queue overflows, the SYN queue
# fills with requests whose ACK the full accept queue dropped, and the
# kernel answers with syncookies, which every client returns. That is an
# accept-queue problem, not a SYN flood: no syn-flood finding, neither on
# the listener nor for the system.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

[ "$(in_ns "$A" sysctl -n net.ipv4.tcp_syncookies)" -eq 1 ] ||
	skip "tcp_syncookies is not 1 by default here"
start_peer "$A" server server --addr 10.201.0.1 --port 8091 --backlog 64 \
	--mode slow-accept --rate 200 --seconds 40
netstat_of() {
	in_ns "$A" awk -v k="$1" '/^TcpExt:/ { if (!h) { split($0, n); h = 1 }
		else { for (i = 2; i <= NF; i++) if (n[i] == k) print $i } }' \
		/proc/net/netstat
}
start_peer "$B" crowd clients --addr 10.201.0.1 --port 8091 --mode burst \
	--count 2000 --rate 1000 --seconds 40
# The crowd is in: the accept queue overflows and cookies go out.
wait_for 10 sh -c "[ \$(ip netns exec $A ss -tnH state syn-recv | wc -l) -ge 8 ]" ||
	note "few SYN_RECV: $(kernel_count "$A" syn-recv)"

status=$(check "$A" "$T/out.json")
show "$T/out.json"
sent=$(netstat_of SyncookiesSent) recv=$(netstat_of SyncookiesRecv)
failed=$(netstat_of SyncookiesFailed) over=$(netstat_of ListenOverflows)
note "SYN_RECV $(jq '.states.SYN_RECV' "$T/out.json"), ESTABLISHED" \
	"$(jq '.states.ESTABLISHED' "$T/out.json"); SyncookiesSent $sent," \
	"SyncookiesRecv $recv, SyncookiesFailed $failed, ListenOverflows $over"
[ "$sent" -gt 0 ] || fail "no syncookies sent: the test did not overflow the SYN queue"
[ "$over" -gt 0 ] || fail "the accept queue never overflowed"
finding "$T/out.json" '.rule == "syn-flood"' &&
	fail "a flash crowd of real clients was reported as a SYN flood"
# A second run against the same state: still no flood.
status=$(check "$A" "$T/out2.json")
show "$T/out2.json"
finding "$T/out2.json" '.rule == "syn-flood"' &&
	fail "the second run called the flash crowd a SYN flood"
# The queue swings as the process accepts: by the second run it has been
# full or dropping on two polls.
finding "$T/out.json" '.rule == "accept-queue" and
	.subject == "listener 10.201.0.1:8091"' ||
finding "$T/out2.json" '.rule == "accept-queue" and
	.subject == "listener 10.201.0.1:8091"' ||
	fail "no accept-queue finding for the listener the crowd overflows"
exit 0
