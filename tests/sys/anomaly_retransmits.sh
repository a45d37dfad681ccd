#!/bin/sh
# A peer that vanishes: from some moment on nothing from the server
# reaches it, so the server's data is sent again and again ->
# retransmits, named by the peer's prefix.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

echo "rule.retransmits.socket_warning = 3" >>"$T/sockwatch.conf"
start_peer "$A" server server --addr 10.201.0.1 --port 8086 --mode send \
	--seconds 60
start_peer "$B" clients clients --addr 10.201.0.1 --port 8086 --count 2 \
	--mode hold --seconds 60
# The peer is gone: B drops what the server sends from now on.
in_ns "$B" nft -f - <<NFT || fail "nftables"
table inet swgone {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		tcp sport 8086 drop
	}
}
NFT
wait_for 20 sh -c "ip netns exec $A ss -tnoH state established | grep -q 'timer:(on,[^,]*,[3-9])'" || {
	in_ns "$A" ss -tno >&2
	fail "the server never retransmitted three times"
}

status=$(check "$A" "$T/out.json")
show "$T/out.json"
[ "$status" -ge 1 ] || fail "--check exited $status, expected a warning"
finding "$T/out.json" '.rule == "retransmits" and
	.subject == "peers 10.201.0.0/24" and .evidence.count == 2 and
	.evidence.retransmits >= 3' ||
	fail "no retransmits finding for peers 10.201.0.0/24"
exit 0
