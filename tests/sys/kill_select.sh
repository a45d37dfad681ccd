#!/bin/sh
# kill_select.sh - a filter that matches two of five connections destroys
# exactly those two; --dry-run before it destroys nothing.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/tcpsocks.sh"
require_root

ns=$(make_netns select)
d=$(tmpdir)
specs=""
for i in 1 2 3 4 5; do
	specs="$specs listen:127.0.0.1:710$i est:127.0.0.1:710$i:c$i"
done
socks_start "$ns" $specs
filter='state established and ( sport = :7102 or sport = :7104 )'

# Not a terminal and no --yes: refused, nothing destroyed.
sw "$ns" --kill "$filter" </dev/null >"$d/out" 2>"$d/err"
[ $? -eq 64 ] || fail "--kill without a terminal or --yes did not exit 64"
grep -q 'add --yes' "$d/err" || fail "no hint: $(cat "$d/err")"

# On a terminal it asks once; "n" destroys nothing.
if command -v script >/dev/null 2>&1; then
	echo n | ip netns exec "$ns" script -qec \
		"'$SOCKWATCH' --kill '$filter'" /dev/null >"$d/tty" 2>&1
	[ "$(grep -c 'Destroy these 2 sockets?' "$d/tty")" -eq 1 ] ||
		fail "no single question: $(cat "$d/tty")"
	grep -q 'nothing destroyed' "$d/tty" || fail "$(cat "$d/tty")"
fi
[ "$(count "$ns" state established)" -eq 10 ] || fail "declined, yet destroyed"

sw "$ns" --kill --dry-run "$filter" >"$d/out" 2>"$d/err" ||
	fail "--dry-run exited $?"
[ "$(wc -l <"$d/out")" -eq 2 ] || fail "--dry-run listed: $(cat "$d/out")"
grep -q 'dry run: 2 sockets match, none destroyed' "$d/err" ||
	fail "--dry-run said: $(cat "$d/err")"
[ "$(count "$ns" state established)" -eq 10 ] || fail "--dry-run destroyed something"

sw "$ns" --kill --yes "$filter" >"$d/out" 2>"$d/err" || fail "--kill exited $?"
[ "$(grep -c '^destroyed ' "$d/out")" -eq 2 ] || fail "destroyed: $(cat "$d/out")"
[ "$(count "$ns" state established)" -eq 6 ] ||
	fail "expected 6 ESTABLISHED left: $(sw "$ns" -f csv state established)"
[ "$(count "$ns" "$filter")" -eq 0 ] || fail "a matched socket survived"

socks_finish >"$d/peers"
for i in 1 3 5; do
	grep -qx "c$i open" "$d/peers" || fail "c$i was hit: $(cat "$d/peers")"
done
for i in 2 4; do
	grep -qx "c$i reset" "$d/peers" || fail "c$i was not reset: $(cat "$d/peers")"
done

# Nothing matches now: a note, exit 0.
sw "$ns" --kill --yes "$filter" >"$d/out" 2>"$d/err" || fail "exit $? with no match"
grep -q 'no socket matches the filter' "$d/err" || fail "no note: $(cat "$d/err")"
exit 0
