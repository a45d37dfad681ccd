#!/bin/sh
# select.sh - -4, -6, -l, --state and -s applied to a recording.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
require_cmd jq

t=$(tmpdir)

# check "ARGS" TOTAL JQ-EXPR: the report of ARGS has TOTAL sockets, counts
# that agree with its list, and EXPR true.
check() {
	sw "$t/sel.json" --replay "$BASIC" -f json $1
	jq_check "$t/sel.json" ".total == $2 and (.sockets | length) == $2 and
	    (.states | add) == $2"
	jq_check "$t/sel.json" '. as $r | all($r.states | to_entries[];
	    .key as $k | .value == ([$r.sockets[] | select(.state == $k)] | length))'
	jq_check "$t/sel.json" "$3"
}

check "" 30 'true'
# IPv4: 20 sockets; the IPv4-mapped ones are IPv6 and stay out.
check "-4" 20 'all(.sockets[]; .local | startswith("[") | not) and
    all(.sockets[]; .local != "127.0.0.1:7003" and .local != "127.0.0.1:7008") and
    ([.listeners[].local] | sort) == ["0.0.0.0:7004","127.0.0.1:7001",
    "127.0.0.1:7005","127.0.0.1:7006","127.0.0.1:7007"]'
check "-6" 10 'any(.sockets[]; .local == "127.0.0.1:7003") and
    ([.listeners[].local] | sort) == ["[::1]:7002","[::]:7003","[::]:7008"]'
check "-4 -6" 30 'true'
check "-l" 12 'all(.sockets[]; .state == "LISTEN" or .state == "SYN_RECV") and
    .states.SYN_RECV == 3 and (.listeners | length) == 8'
check "-l -6" 5 'all(.sockets[]; .state == "LISTEN" or .state == "SYN_RECV")'
check "--state close-wait,TIME_WAIT" 3 '.states.CLOSE_WAIT == 2 and .states.TIME_WAIT == 1'
check "--state bucket" 4 '.states.SYN_RECV == 3 and .states.TIME_WAIT == 1'
check "--state connected" 21 '.states.LISTEN == 0 and (.listeners | length) == 0'
check "--state synchronized" 19 '.states.SYN_SENT == 0'
check "--state big" 26 '.states.SYN_RECV == 0 and .states.TIME_WAIT == 0'
check "--state listen --state established" 20 '.states.LISTEN == 9 and .states.ESTABLISHED == 11'
check "-l --state fin-wait-2" 14 '.states.FIN_WAIT2 == 2'
check "--state syn_recv -4" 1 '.sockets[0].local == "127.0.0.1:7006"'
check "--state syn-recv -6" 2 '([.sockets[].local] | sort) == ["127.0.0.1:7008","[::1]:7008"]'
check "--state closing" 0 '.sockets == [] and .listeners == []'

# -s with a selection: counts of the selection, no list.
sw "$t/s.json" --replay "$BASIC" -f json -s -6
jq_check "$t/s.json" '(has("sockets") | not) and .total == 10 and .states.LISTEN == 3'
sw "$t/l.txt" --replay "$BASIC" -l
n=$(awk '/^STATE +LOCAL/{on=1; next} on {n++} END {print n + 0}' "$t/l.txt")
[ "$n" -eq 12 ] || fail "-l text: $n socket rows, not 9 LISTEN and 3 SYN_RECV"
# -l keeps the listeners' requests: each counts the same as without -l.
sw "$t/l.json" --replay "$BASIC" -f json -l
sw "$t/all.json" --replay "$BASIC" -f json
jq -c '[.listeners[] | [.local, .syn_recv]]' "$t/l.json" >"$t/l.req"
jq -c '[.listeners[] | [.local, .syn_recv]]' "$t/all.json" >"$t/all.req"
cmp -s "$t/l.req" "$t/all.req" ||
	fail "-l: the listeners' SYN_RECV $(cat "$t/l.req"), not $(cat "$t/all.req")"
jq -e '[.listeners[].syn_recv] | add == 3' "$t/l.json" >/dev/null ||
	fail "-l: the listeners count $(jq '[.listeners[].syn_recv] | add' "$t/l.json") requests, not 3"
grep -Eq '^ESTABLISHED +[0-9]+$' "$t/l.txt" || fail "-l text lost the state counts"
exit 0
