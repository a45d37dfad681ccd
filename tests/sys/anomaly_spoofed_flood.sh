#!/bin/sh
# A spoofed SYN flood on the kernel's defaults (syncookies on): raw SYNs
# from random sources in 10.0.0.0/8, which B takes as its own addresses
# and whose SYN-ACKs it drops in its input hook, as hosts that do not
# exist would. The listener's SYN queue is full of requests nobody
# answers and the kernel answers the rest with cookies that never come
# back: syn-flood critical on the listener (spoofed) and for the system.
# The server's own SYN-ACK retransmissions are no "loss on the path": no
# retransmits finding.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

[ "$(in_ns "$A" sysctl -n net.ipv4.tcp_syncookies)" -eq 1 ] ||
	skip "tcp_syncookies is not 1 by default here"
ip -n "$B" route add local 10.0.0.0/9 dev lo || fail "route in $B"
in_ns "$B" nft -f - <<NFT || fail "nftables in $B"
table inet swtest {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp flags & (syn | ack) == (syn | ack) drop
	}
}
NFT
flood 8092 128

status=$(check "$A" "$T/out.json")
show "$T/out.json"
[ "$status" -eq 2 ] || fail "--check exited $status, expected 2 (CRITICAL)"
finding "$T/out.json" '.rule == "syn-flood" and .severity == "critical" and
	.subject == "listener 10.201.0.1:8092" and
	.evidence.verdict == "spoofed" and .evidence.completed_share == 0' ||
	fail "no critical spoofed syn-flood on 10.201.0.1:8092"
# The system level judges counter rates: a rate needs two polls, and a
# second poll of that rate to rise. One run, without history, takes
# them: a cron run is never a run late.
finding "$T/out.json" '.rule == "syn-flood" and .subject == "system" and
	.evidence.syncookies_recv_per_s == 0' ||
	fail "the first run has no system syn-flood finding"
# The next run, with the state file, still says so.
sleep 0.5
status=$(check "$A" "$T/out2.json")
show "$T/out2.json"
finding "$T/out2.json" '.rule == "syn-flood" and .subject == "system" and
	.evidence.syncookies_sent_per_s > 1 and
	.evidence.syncookies_recv_per_s == 0' ||
	fail "no system syn-flood finding with cookies that never come back"
finding "$T/out2.json" '.rule == "retransmits"' &&
	fail "the server's SYN-ACK retransmissions were reported as retransmits"
exit 0
