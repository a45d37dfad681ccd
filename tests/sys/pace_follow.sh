#!/bin/sh
# pace_follow.sh - under --cpu-budget, a connection that closes between two
# full polls: its client is seen in FIN_WAIT2 by a poll without the bulk,
# then its server end closes and the client goes to TIME_WAIT, a bulk
# state that polls without the bulk do not ask for. The next reports must
# still show it, in TIME_WAIT, with the same cookie, as the kernel has it.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
. "$TESTS_SRCDIR/sys/pace-lib.sh"
require_root
require_cmd ss jq

ns=$(make_netns pacef)
dir=$(tmpdir)
out=$dir/run.json
hold_sockets "$ns" 1 50 0 0 7000	# 1 listener, 100 ESTABLISHED

start_paced "$ns" "$out" 40	# a full poll every tenth
hold_say shut e50
port=$HOLD_PORT

fin_wait2_seen() {
	tail -n 1 "$out" | jq -e --arg p "127.0.0.1:$port" \
	    '.carried > 0 and any(.sockets[]; .local == $p and
	    .state == "FIN_WAIT2")'
}
wait_for 10 fin_wait2_seen || fail "no poll without the bulk saw FIN_WAIT2"
cookie=$(tail -n 1 "$out" | jq -r --arg p "127.0.0.1:$port" \
    '.sockets[] | select(.local == $p) | .cookie')

hold_say close e50
wait_for 5 sh -c "ip netns exec $ns ss -tanH state time-wait | grep -q ':$port '" ||
	fail "the client of port $port never reached TIME_WAIT"
n=$(wc -l <"$out")

end_paced
note "cookie $cookie, port $port, TIME_WAIT in the kernel by report $n of $(wc -l <"$out")"

# Every report from then on shows it in TIME_WAIT, polled with the bulk
# or without it; at least one of them without.
jq -se --argjson n "$n" --arg c "$cookie" '
	(.[$n + 1:] | length) >= 3 and
	all(.[$n + 1:][]; [.sockets[] | select(.cookie == $c) | .state] ==
	    ["TIME_WAIT"]) and
	any(.[$n + 1:][]; .carried > 0)' "$out" >/dev/null ||
	fail "a report after the close lost the socket: $(jq -c --arg c "$cookie" \
	    '[.carried, ([.sockets[] | select(.cookie == $c) | .state])]' "$out" | tr '\n' ' ')"
# And the counts are the kernel's: 98 ESTABLISHED, one TIME_WAIT.
jq -se --argjson n "$n" 'all(.[$n + 1:][]; .states.ESTABLISHED == 98 and
	.states.TIME_WAIT == 1 and .total == 100)' "$out" >/dev/null ||
	fail "counts after the close: $(jq -c '.states | with_entries(select(.value > 0))' "$out" | tail -3 | tr '\n' ' ')"
exit 0
