#!/bin/sh
# text.sh - the report for people: every one of the eleven states with the
# counts of the JSON report, the listeners, then the socket list.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
require_cmd jq

t=$(tmpdir)
sw "$t/basic.txt" --replay "$BASIC"
sw "$t/basic.json" --replay "$BASIC" -f json

head -n 1 "$t/basic.txt" | grep -q ', network namespace sw-unit-[0-9]*, at .*: 30 TCP sockets$' ||
	fail "header: $(head -n 1 "$t/basic.txt")"
for s in $STATES; do
	want=$(jq ".states.$s" "$t/basic.json")
	got=$(awk -v s="$s" '$1 == s && NF == 2 { print $2; exit }' "$t/basic.txt")
	[ -n "$got" ] || fail "state $s missing from the counts"
	[ "$got" -eq "$want" ] || fail "state $s: $got in text, $want in JSON"
done
# The counts come in the order of a connection's life.
got=$(awk 'NF == 2 && $2 ~ /^[0-9]+$/ { print $1 }' "$t/basic.txt" | head -n 11 |
    tr '\n' ' ')
[ "$got" = "$(echo $STATES) " ] || fail "state order: $got"

# The listener table: a header and one row per listener.
grep -q '^LISTENER .*ACCEPT-Q.*BACKLOG.*SYN-RECV.*DROPS.*UID' "$t/basic.txt" ||
	fail "no listener table"
awk '/^LISTENER /{on=1; next} on && NF == 0 {exit} on {n++} END {exit n != 8}' \
    "$t/basic.txt" || fail "listener rows are not 8"
grep -Eq '^127\.0\.0\.1:7001 +1 +8 +0 +0 +0 +1$' "$t/basic.txt" ||
	fail "listener 127.0.0.1:7001 row"
grep -Eq '^0\.0\.0\.0:7004 +0 +16 +0 +0 +0 +2$' "$t/basic.txt" ||
	fail "listener 0.0.0.0:7004 row (SO_REUSEPORT pair)"

# The socket list: 25 rows, the columns of the issue.
grep -Eq '^STATE +LOCAL +PEER +RECV-Q +SEND-Q +TIMER +UID +INODE$' "$t/basic.txt" ||
	fail "no socket list header"
n=$(awk '/^STATE +LOCAL/{on=1; next} on {n++} END {print n + 0}' "$t/basic.txt")
[ "$n" -eq 30 ] || fail "socket rows: $n"
grep -Eq '^ESTABLISHED +127\.0\.0\.1:7003 +127\.0\.0\.1:40004 ' "$t/basic.txt" ||
	fail "IPv4-mapped not shown as IPv4"
grep -Eq '^TIME_WAIT +127\.0\.0\.1:40007 +127\.0\.0\.1:7005 +0 +0 timewait [0-9]+s +0 +0$' \
    "$t/basic.txt" || fail "TIME_WAIT row"
grep -Eq '^LISTEN +\[::1\]:7002 +\[::\]:\* ' "$t/basic.txt" || fail "IPv6 listener row"

# --summary stops before the socket list.
sw "$t/s.txt" --replay "$BASIC" -s
grep -q '^STATE *LOCAL' "$t/s.txt" && fail "-s printed the socket list"
grep -q '^LISTENER ' "$t/s.txt" || fail "-s lost the listeners"
for s in $STATES; do
	grep -Eq "^$s +[0-9]+$" "$t/s.txt" || fail "-s lost state $s"
done

# Two polls, two reports.
sw "$t/two.txt" --replay "$BASIC2" -s
[ "$(grep -c ': 30 TCP sockets' "$t/two.txt")" -eq 2 ] || fail "two polls, not two reports"
exit 0
