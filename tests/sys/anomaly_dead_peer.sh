#!/bin/sh
# A dead idle peer: clients in B hold idle connections with SO_KEEPALIVE
# (a probe a second after a second of silence), and from some moment on
# the server in A drops everything that arrives (its input hook), as a
# host that went down would. The probes go unanswered (ss: timer
# keepalive, a growing count) while tcpi_retransmits stays 0 -> dead-peer
# names the peer and the process, after about three probes, long before
# the kernel gives up.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

start_peer "$A" server server --addr 10.201.0.1 --port 8093 --mode hold \
	--seconds 40
start_peer "$B" clients clients --addr 10.201.0.1 --port 8093 --count 2 \
	--mode keepalive --seconds 40
pid=$(cat "$T/clients.ready")
in_ns "$A" nft -f - <<NFT || fail "nftables in $A"
table inet swdead {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp dport 8093 drop
	}
}
NFT
wait_for 15 sh -c "ip netns exec $B ss -tnoH state established | grep -q 'timer:(keepalive,[^,]*,[3-9])'" || {
	in_ns "$B" ss -tno >&2
	fail "no keepalive probe went unanswered three times"
}

status=$(check "$B" "$T/out.json" -p)
show "$T/out.json"
in_ns "$B" ss -tnoH state established >&2
[ "$status" -ge 1 ] || fail "--check exited $status, expected a warning"
finding "$T/out.json" ".rule == \"dead-peer\" and
	.subject == \"peer 10.201.0.1\" and .pid == $pid and
	.evidence.timer == \"keepalive\" and .evidence.count == 2 and
	.evidence.probes >= 3 and
	.evidence.process == \"pid $pid (sockgen)\"" ||
	fail "no dead-peer finding naming 10.201.0.1 and pid $pid"
# Without -p the same finding, by the kernel's view alone.
status=$(check "$B" "$T/nop.json")
finding "$T/nop.json" '.rule == "dead-peer" and .subject == "peer 10.201.0.1"' ||
	fail "no dead-peer finding without -p"
exit 0
