#!/bin/sh
# kill_eperm.sh - without CAP_NET_ADMIN the kernel refuses: sockwatch says
# what is missing, exits 3, and the connection lives on.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/tcpsocks.sh"
require_root
require_cmd setpriv

ns=$(make_netns eperm)
d=$(tmpdir)
socks_start "$ns" listen:127.0.0.1:7201 est:127.0.0.1:7201:c1

ip netns exec "$ns" setpriv --inh-caps=-all --bounding-set=-net_admin \
	"$SOCKWATCH" --kill --yes 'state established and sport = :7201' \
	>"$d/out" 2>"$d/err"
st=$?
[ $st -eq 3 ] || fail "exit $st, expected 3: $(cat "$d/err")"
grep -q '^permission denied  *ESTABLISHED ' "$d/out" || fail "$(cat "$d/out")"
grep -qx 'sockwatch: permission denied (1 socket): destroying a socket needs CAP_NET_ADMIN in its network namespace: run as root' "$d/err" ||
	fail "message: $(cat "$d/err")"
[ "$(count "$ns" state established sport = :7201)" -eq 1 ] || fail "it was destroyed"
socks_finish >"$d/peers"
grep -qx 'c1 open' "$d/peers" || fail "the peer saw: $(cat "$d/peers")"
exit 0
