#!/bin/sh
# pace.sh - --cpu-budget in batch mode against a few hundred real sockets in
# a namespace of the test's own. A tiny budget forces pacing: the polls
# after the first ask for ESTABLISHED and TIME_WAIT only every few polls
# and carry them over between. Every report must still count what the
# kernel has (ss); a connection taken out of ESTABLISHED between two full
# polls shows up in its new states at once and is not counted twice; the
# carried TIME_WAIT timers count down. Without a budget the keys are absent.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
. "$TESTS_SRCDIR/sys/pace-lib.sh"
require_root
require_cmd ss jq

ns=$(make_netns pace)
dir=$(tmpdir)
out=$dir/run.json

# 1 listener on 7000, 150 connections (300 ESTABLISHED sockets), 5
# CLOSE_WAIT with their 5 FIN_WAIT2 peers, 20 TIME_WAIT: 331 sockets.
hold_sockets "$ns" 1 150 5 20 7000

# The kernel's state counts, as sockwatch names them: {"LISTEN":1,...}.
ss_states() {
	ip netns exec "$ns" ss -tanH | awk '{ n[$1]++ } END { for (s in n) print s, n[s] }' |
	    sed -e 's/^ESTAB /ESTABLISHED /' -e 's/^UNCONN /CLOSE /' \
		-e 's/^FIN-WAIT-\([12]\) /FIN_WAIT\1 /' -e 's/-/_/g' |
	    jq -Rnc '[inputs | split(" ") | {(.[0]): (.[1] | tonumber)}] | add'
}

# check WHAT JQ-EXPRESSION: the expression holds for the array of reports.
check() {
	_what=$1
	shift
	jq -se --argjson before "$before" --argjson after "$after" \
	    --argjson n0 "$n0" --argjson n1 "$n1" --arg port "$port" \
	    "def nonzero: with_entries(select(.value > 0)); $1" "$out" \
	    >/dev/null || fail "$_what"
}

before=$(ss_states)
[ "$(echo "$before" | jq -S -c .)" = \
    '{"CLOSE_WAIT":5,"ESTABLISHED":300,"FIN_WAIT2":5,"LISTEN":1,"TIME_WAIT":20}' ] ||
	fail "the population is not what hold_sockets builds: $before"

# 0.01 % of a core over 0.25 s is 25 µs a poll: a few hundred sockets cost
# more, and so does a poll without the bulk, so a full poll every 10. Once
# a full poll under pacing is out, take a connection out of ESTABLISHED:
# the polls after it carry its bulk.
start_paced "$ns" "$out" 30
n0=$(wc -l <"$out")
hold_say shut e150
port=$HOLD_PORT
wait_for 5 sh -c "ip netns exec $ns ss -tanH state fin-wait-2 | grep -qE ':$port( |\$)'" ||
	fail "the client of port $port never reached FIN_WAIT2"
wait_for 5 sh -c "ip netns exec $ns ss -tanH state close-wait | grep -qE ':$port( |\$)'" ||
	fail "the server end of port $port never reached CLOSE_WAIT"
# Reports after n1 + 1 were all polled after the kernel had the new states.
n1=$(wc -l <"$out")
after=$(ss_states)
[ "$(echo "$after" | jq -c '[.ESTABLISHED, .FIN_WAIT2, .CLOSE_WAIT]')" = '[298,6,6]' ] ||
	fail "the kernel after the shutdown: $after"

end_paced
note "reports: $(wc -l <"$out"), shut after report $n0, in the kernel by $n1, port $port"

check "not 30 reports" 'length == 30'
check "the first report (full, nothing measured yet) has bulk_every" \
    '.[0] | has("bulk_every") | not'
check "a report after the first is not paced" \
    'all(.[1:][]; .bulk_every > 1 and .bulk_every <= 10 and has("carried"))'
check "no report carried anything" 'any(.[]; .carried > 0)'
check "no full poll after the first under pacing" \
    '[.[1:][] | select(.carried == 0)] | length >= 2'

# Each report on its own: one row per cookie, the state counts add up.
check "a report counts a socket twice or misses one" \
    'all(.[]; .total == (.sockets | length) and
	.total == ([.sockets[].cookie] | unique | length) and
	.total == ([.states[]] | add) and .total == 331)'
# A partial poll carries exactly the ESTABLISHED and TIME_WAIT it shows.
check "carried is not the ESTABLISHED and TIME_WAIT of a partial poll" \
    'all(.[]; (.carried // 0) == 0 or
	.carried == .states.ESTABLISHED + .states.TIME_WAIT)'

# Against the kernel: before the shutdown, after it, and between either.
check "a report before the shutdown differs from ss ($before)" \
    'all(.[:$n0][]; (.states | nonzero) == $before)'
check "a report after the shutdown differs from ss ($after)" \
    'all(.[$n1 + 1:][]; (.states | nonzero) == $after) and
	(.[$n1 + 1:] | length) >= 5'
# During it the pair passes through FIN_WAIT1 (its FIN not yet acknowledged:
# milliseconds when softirqs wait under load), so a report may show either
# end in any state on the way; everything else must be as before.
check "a report during the shutdown shows more changing than the pair" \
    'all(.[$n0:$n1 + 1][];
	[.sockets[] | select(.local == "127.0.0.1:\($port)" or
	    .peer == "127.0.0.1:\($port)") | .state] as $pair |
	($pair | length) == 2 and
	all($pair[]; IN("ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
	    "CLOSE_WAIT")) and
	([.sockets[] | select(.local != "127.0.0.1:\($port)" and
	    .peer != "127.0.0.1:\($port)") | .state] | group_by(.) |
	    map({key: .[0], value: length}) | from_entries) ==
	    ($before | .ESTABLISHED -= 2))'

# The pair itself: ESTABLISHED before, then once each in its new state.
check "the pair was not ESTABLISHED before the shutdown" \
    'all(.[:$n0][]; [.sockets[] | select(.local == "127.0.0.1:\($port)" or
	.peer == "127.0.0.1:\($port)") | .state] == ["ESTABLISHED", "ESTABLISHED"])'
check "the pair is not once in FIN_WAIT2 and once in CLOSE_WAIT after it" \
    'all(.[$n1 + 1:][];
	[.sockets[] | select(.local == "127.0.0.1:\($port)") | .state] ==
	    ["FIN_WAIT2"] and
	[.sockets[] | select(.peer == "127.0.0.1:\($port)") | .state] ==
	    ["CLOSE_WAIT"])'
# That was the carry's doing: the first reports that show it were polled
# without the bulk, their carry from a full poll where it was ESTABLISHED.
check "no partial poll after the shutdown before the next full one" \
    '[.[$n0:][] | .carried > 0] | .[:($n1 - $n0 + 2)] | all'

# A carried TIME_WAIT socket's timer counts down from poll to poll, full
# or partial; sockgen made them at most a minute ago: never expired.
check "a TIME_WAIT timer does not count down from poll to poll" \
    '([.[0].sockets[] | select(.state == "TIME_WAIT") | .cookie] | min) as $c |
	[.[] | .sockets[] | select(.cookie == $c) | .expires_ms] as $t |
	($t | length) == 30 and
	all(range(1; 30); $t[.] < $t[. - 1] and $t[.] > 0)'

# The text report says how many were carried.
LC_ALL=C "$SOCKWATCH" -N "$ns" --batch -f text -s -c 3 -d 0.2 \
    --cpu-budget 0.01 >"$dir/run.txt" 2>&1 || fail "text: $(cat "$dir/run.txt")"
carried=$(echo "$after" | jq '.ESTABLISHED + .TIME_WAIT')
grep -qx "$carried ESTABLISHED and TIME_WAIT sockets are carried from an earlier poll (--cpu-budget)" \
    "$dir/run.txt" || { cat "$dir/run.txt" >&2; fail "the text report does not say $carried are carried"; }

# Without a budget, or with 0, batch mode never paces: no such keys.
for budget in "" --cpu-budget=0; do
	"$SOCKWATCH" -N "$ns" --batch -f json -c 3 -d 0.2 $budget >"$out" \
	    2>"$dir/run.err" || fail "sockwatch $budget: $(cat "$dir/run.err")"
	check "three reports ${budget:-without a budget}" 'length == 3'
	check "bulk_every or carried ${budget:-without a budget}" \
	    'all(.[]; has("bulk_every") or has("carried") | not) and
	    all(.[]; (.states | nonzero) == $after)'
	LC_ALL=C "$SOCKWATCH" -N "$ns" --batch -f text -s -c 2 -d 0.2 $budget \
	    >"$dir/run.txt" 2>&1 || fail "text $budget"
	! grep -q "carried" "$dir/run.txt" || fail "the text report carries ${budget:-without a budget}"
done
echo "30 paced reports matched ss before and after a shutdown; the pair counted once"
