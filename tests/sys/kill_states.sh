#!/bin/sh
# kill_states.sh - --kill on real sockets in a namespace of the test's own:
# an ESTABLISHED and a CLOSE_WAIT socket are destroyed, their peers see
# ECONNRESET and the sockets are gone; TIME_WAIT and SYN_RECV get what the
# kernel allows, and the report says what really happened.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/tcpsocks.sh"
require_root

ns=$(make_netns kill)
d=$(tmpdir)
socks_start "$ns" listen:127.0.0.1:7001 est:127.0.0.1:7001:est \
	listen:[::1]:7002 closewait:[::1]:7002:cw \
	listen:127.0.0.1:7003 timewait:127.0.0.1:7003

[ "$(count "$ns" state established sport = :7001)" -eq 1 ] || fail "no ESTABLISHED"
[ "$(count "$ns" state close-wait)" -eq 1 ] || fail "no CLOSE_WAIT"

sw "$ns" --kill --yes 'state established and sport = :7001' >"$d/out" 2>"$d/err" ||
	fail "kill ESTABLISHED exited $?: $(cat "$d/err")"
grep -q '^destroyed  *ESTABLISHED  *127.0.0.1:7001 ' "$d/out" ||
	fail "no 'destroyed' line: $(cat "$d/out")"
sw "$ns" --kill --yes 'state close-wait' >"$d/out" 2>"$d/err" ||
	fail "kill CLOSE_WAIT exited $?: $(cat "$d/err")"
grep -q '^destroyed  *CLOSE_WAIT  *\[::1\]:7002 ' "$d/out" ||
	fail "no 'destroyed' line: $(cat "$d/out")"

# Gone from the kernel's tables, and the peers were reset.
[ "$(count "$ns" exclude listen '( sport = :7001 or sport = :7002 )')" -eq 0 ] ||
	fail "destroyed sockets are still there: $(sw "$ns" -f csv sport = :7001 or sport = :7002)"
socks_finish >"$d/peers"
grep -qx 'est reset' "$d/peers" || fail "the ESTABLISHED peer saw: $(cat "$d/peers")"
grep -qx 'cw reset' "$d/peers" || fail "the CLOSE_WAIT peer saw: $(cat "$d/peers")"

# TIME_WAIT: destroyed on kernels that can, refused (exit 3) on older ones.
[ "$(count "$ns" state time-wait)" -eq 1 ] || fail "no TIME_WAIT"
sw "$ns" --kill --yes state time-wait >"$d/out" 2>"$d/err"
st=$?
left=$(count "$ns" state time-wait)
case $st in
0)	grep -q '^destroyed  *TIME_WAIT ' "$d/out" || fail "TIME_WAIT: $(cat "$d/out")"
	[ "$left" -eq 0 ] || fail "reported destroyed, but TIME_WAIT is still there" ;;
3)	grep -q 'not supported' "$d/out" || fail "TIME_WAIT: $(cat "$d/out")"
	[ "$left" -eq 1 ] || fail "reported not supported, but TIME_WAIT is gone"
	note "this kernel cannot destroy TIME_WAIT sockets" ;;
*)	fail "TIME_WAIT: exit $st: $(cat "$d/err")" ;;
esac
exit 0
