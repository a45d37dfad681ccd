#!/bin/sh
# json.sh - the JSON report of a recording: valid JSON with the keys the
# manual documents (sockwatch.8, OUTPUT FORMATS, json), counts that agree
# with the socket list, and the sockets make-basic.sh built.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
require_cmd jq

t=$(tmpdir)
j="$t/basic.json"
sw "$j" --replay "$BASIC" -f json
[ "$(wc -l <"$j")" -eq 1 ] || fail "one report is not one line"
jq -e . "$j" >/dev/null || fail "not JSON"

# The header.
jq_check "$j" '.sockwatch | type == "string" and length > 0'
jq_check "$j" '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")'
jq_check "$j" '.host | type == "string" and length > 0'
jq_check "$j" '.netns | startswith("sw-unit-")'
jq_check "$j" '.total == 30'

# All eleven states, numbers, adding up to the total and to the list.
want_keys=$(printf '%s\n' $STATES | jq -R . | jq -s -c 'sort')
jq_check "$j" "(.states | keys) == $want_keys"
jq_check "$j" 'all(.states[]; type == "number")'
jq_check "$j" '(.states | add) == .total'
jq_check "$j" '(.sockets | length) == .total'
jq_check "$j" '. as $r | all($r.states | to_entries[];
    .key as $k | .value == ([$r.sockets[] | select(.state == $k)] | length))'
jq_check "$j" '.states == {"LISTEN":9,"SYN_SENT":2,"SYN_RECV":3,
    "ESTABLISHED":11,"FIN_WAIT1":0,"FIN_WAIT2":2,"CLOSE_WAIT":2,"CLOSING":0,
    "LAST_ACK":0,"TIME_WAIT":1,"CLOSE":0}'

# Listeners: the keys, and what they add up to.
jq_check "$j" '.listeners | length == 8'
jq_check "$j" 'all(.listeners[]; (.local | type) == "string" and
    (.accept_queue | type) == "number" and (.backlog | type) == "number" and
    (.syn_recv | type) == "number" and (.drops | type) == "number")'
jq_check "$j" '([.listeners[].sockets] | add) == .states.LISTEN'
jq_check "$j" '([.listeners[].syn_recv] | add) == .states.SYN_RECV'
jq_check "$j" '[.listeners[].local] | sort == ["0.0.0.0:7004",
    "127.0.0.1:7001","127.0.0.1:7005","127.0.0.1:7006","127.0.0.1:7007",
    "[::1]:7002","[::]:7003","[::]:7008"]'
jq_check "$j" '.listeners[] | select(.local == "127.0.0.1:7001") |
    .accept_queue == 1 and .backlog == 8 and .syn_recv == 0'
jq_check "$j" '.listeners[] | select(.local == "0.0.0.0:7004") |
    .sockets == 2 and .backlog == 16'
jq_check "$j" '.listeners[] | select(.local == "127.0.0.1:7006") | .syn_recv == 1'
jq_check "$j" '.listeners[] | select(.local == "127.0.0.1:7007") | .uid == 65534'
# An IPv4 request socket on a dual-stack listener: the kernel says IPv6
# (v4-mapped), sockwatch shows IPv4 and counts it for [::]:7008.
jq_check "$j" '.listeners[] | select(.local == "[::]:7008") | .syn_recv == 2'
jq_check "$j" 'any(.sockets[]; .state == "SYN_RECV" and
    .local == "127.0.0.1:7008" and .peer == "127.0.0.1:40011")'

# Sockets: the keys and their types.
jq_check "$j" 'all(.sockets[]; (.state | type) == "string" and
    (.local | type) == "string" and (.peer | type) == "string" and
    (.recv_q | type) == "number" and (.send_q | type) == "number" and
    (.uid | type) == "number" and (.inode | type) == "number" and
    (.cookie | test("^0x[0-9a-f]+$")))'
jq_check "$j" '[.sockets[].cookie] | unique | length == 30'

# Addresses: IPv6 in brackets, IPv4-mapped shown as IPv4, port 0 as "*".
jq_check "$j" 'any(.sockets[]; .state == "ESTABLISHED" and
    .local == "127.0.0.1:7003" and .peer == "127.0.0.1:40004")'
jq_check "$j" 'all(.sockets[]; (.local + .peer) | test("ffff") | not)'
jq_check "$j" 'any(.sockets[]; .state == "SYN_SENT" and
    .local == "[::1]:40010" and .peer == "[::1]:7999")'
jq_check "$j" 'all(.sockets[] | select(.state == "LISTEN"); .peer | endswith(":*"))'

# What each socket make-basic.sh built looks like.
jq_check "$j" 'any(.sockets[]; .state == "TIME_WAIT" and
    .local == "127.0.0.1:40007" and .inode == 0)'
jq_check "$j" 'any(.sockets[]; .state == "CLOSE_WAIT" and
    .local == "127.0.0.1:40005" and .recv_q == 1)'
jq_check "$j" 'any(.sockets[]; .state == "ESTABLISHED" and
    .local == "127.0.0.1:7001" and .peer == "127.0.0.1:40002" and .inode == 0)'
jq_check "$j" 'any(.sockets[]; .state == "SYN_RECV" and
    .local == "127.0.0.1:7006" and .peer == "127.0.0.1:40008")'

# Sorted by state in the order of a connection's life.
order=$(printf '%s\n' $STATES | jq -R . | jq -s -c .)
jq_check "$j" "[.sockets[].state] as \$s | $order as \$o |
    [\$s[] | . as \$x | \$o | index(\$x)] as \$r | \$r == (\$r | sort)"

# A recording of two polls is two documents, one per line (JSON Lines).
sw "$t/two.json" --replay "$BASIC2" -f json
[ "$(wc -l <"$t/two.json")" -eq 2 ] || fail "two polls are not two lines"
jq -e -s 'length == 2 and all(.[]; .total == 30)' "$t/two.json" >/dev/null ||
	fail "two polls: not two reports of 30 sockets"
sw "$t/one.json" --replay "$BASIC2" -f json -c 1
[ "$(wc -l <"$t/one.json")" -eq 1 ] || fail "-c 1 printed more than one report"

# --summary: the counts and listeners, no socket list.
sw "$t/s.json" --replay "$BASIC" -f json -s
jq_check "$t/s.json" '(has("sockets") | not) and .total == 30 and
    (.listeners | length) == 8 and (.states | length) == 11'
exit 0
