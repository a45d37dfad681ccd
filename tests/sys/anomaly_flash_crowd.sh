#!/bin/sh
# A flash crowd: SYNs from many sources whose handshakes complete, slowly
# (each SYN-ACK answered after 0.6 s, before the kernel sends it again).
# The SYN queue is as full as under a flood, but this is load, not an
# attack: no syn-flood finding.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

in_ns "$A" sysctl -qw net.ipv4.tcp_syncookies=0 \
	net.ipv4.tcp_max_syn_backlog=4096 >/dev/null || fail "sysctl"
drop_synack_in "$B"	# the crowd answers from user space, not B's kernel
start_peer "$A" server server --addr 10.201.0.1 --port 8090 --backlog 128 \
	--mode accept-close --seconds 60
in_ns "$B" "$SOCKGEN" crowd --dst 10.201.0.1 --port 8090 --rate 200 \
	--delay 0.6 --sources 200 --count 5000 --seconds 12 2>"$T/crowd.err" &
track_pid $!
# Wait until the SYN queue holds the crowd (over half the backlog).
wait_for 10 sh -c "[ \$(ip netns exec $A ss -tnH state syn-recv | wc -l) -gt 72 ]" ||
	fail "the crowd did not fill the SYN queue"

status=$(check "$A" "$T/out.json")
show "$T/out.json"
syn=$(jq '.states.SYN_RECV' "$T/out.json")
note "SYN_RECV during the check: $syn"
# At 50 % of the backlog a rule that counted SYN_RECV alone would raise.
[ "$syn" -ge 64 ] || fail "only $syn SYN_RECV: the test did not build a crowd"
finding "$T/out.json" '.rule == "syn-flood"' &&
	fail "a flash crowd was reported as a SYN flood"
[ "$status" -ne 2 ] || fail "--check exited 2 (CRITICAL) for a flash crowd"
wait_for 15 grep -q "handshakes completed" "$T/crowd.err" || true
cat "$T/crowd.err" >&2
exit 0
