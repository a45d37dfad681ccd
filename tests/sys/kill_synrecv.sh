#!/bin/sh
# kill_synrecv.sh - a half-open SYN_RECV request socket (its SYN-ACK dropped
# at prerouting) is destroyed by cookie: the one sockwatch saw is gone, even
# though the client's next SYN makes a new one with the same 4-tuple.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/tcpsocks.sh"
require_root
require_cmd nft jq

ns=$(make_netns synrecv)
d=$(tmpdir)
ip netns exec "$ns" nft -f - <<NFT || fail "nft"
table inet sw_test {
	chain pre {
		type filter hook prerouting priority -300;
		tcp sport 7010 tcp flags & (syn | ack) == (syn | ack) drop
	}
}
NFT
socks_start "$ns" listen:127.0.0.1:7010 synsent:127.0.0.1:7010
wait_for 5 test "$(count "$ns" state syn-recv)" -eq 1 || fail "no SYN_RECV"
old=$(sw "$ns" -f json state syn-recv | jq -r '.sockets[0].cookie')

sw "$ns" --kill --yes state syn-recv >"$d/out" 2>"$d/err"
st=$?
cookies=$(sw "$ns" -f json state syn-recv | jq -r '.sockets[].cookie')
case $st in
0)	grep -q '^destroyed  *SYN_RECV ' "$d/out" || fail "SYN_RECV: $(cat "$d/out")"
	note "SYN_RECV destroyed: $(cat "$d/out")"
	for c in $cookies; do
		[ "$c" != "$old" ] || fail "reported destroyed, but $old is still there"
	done ;;
3)	grep -q 'not supported' "$d/out" || fail "SYN_RECV: $(cat "$d/out")"
	echo "$cookies" | grep -qx "$old" || fail "reported not supported, but it is gone" ;;
*)	fail "SYN_RECV: exit $st: $(cat "$d/err")" ;;
esac
exit 0
