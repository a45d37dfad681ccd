#!/bin/sh
# ages.sh - every age is known or a lower bound, and says which (issue 10).
# Twenty connections idle for a few seconds before sockwatch's first poll,
# with a fresh state file: their age is not known (null), at least as long
# as the kernel's own last send (ss -i lastsnd), never longer than they have
# existed; "age < 1m" cannot pick them for --kill, which says it skipped
# them; -p changes none of that (the kernel keeps no creation time, and
# /proc/PID/fd's time stamps are of the /proc entries). Connections made
# after a run, a moment before the next, have a known age.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_cmd jq ss

ns=$(make_netns ages)
dir=$(tmpdir)
now() { date +%s.%N; }

before=$(now)		# the connections are younger than this
hold_sockets "$ns" 1 20 0 0 8080
exec 7>&9 9>&-		# the next hold_specs takes fd 9
sleep 3			# idle: no send, no receive, no ACK

# The kernel first, then sockwatch: its bound must be at least this.
ip netns exec "$ns" ss -tinH state established '( sport = :8080 )' \
	>"$dir/ss" || fail "ss"
n=$(grep -c 'lastsnd:' "$dir/ss")
[ "$n" -eq 20 ] || fail "ss shows $n idle server sockets, expected 20"
lastsnd=$(grep -o 'lastsnd:[0-9]*' "$dir/ss" | cut -d: -f2 | sort -n | head -1)
[ "$lastsnd" -ge 2500 ] || fail "the connections were not idle: lastsnd $lastsnd"

"$SOCKWATCH" -N "$ns" -f json >"$dir/first.json" || fail "first report"
elapsed=$(jq -n "$(now) - $before")
# Every ESTABLISHED socket: age unknown, at least its lastsnd, at most its
# life; the listener has no known age either (it is not 0 s old).
jq -e --argjson snd "$lastsnd" --argjson life "$elapsed" '
    [.sockets[] | select(.state == "ESTABLISHED")] as $e |
    ($e | length) == 40 and
    all($e[]; .age_s == null and .age_at_least_s >= $snd / 1000 - 0.2 and
	.age_at_least_s <= $life and .state_age_s == null and
	.state_age_at_least_s >= $snd / 1000 - 0.2) and
    all(.sockets[] | select(.state == "LISTEN"); .age_s == null)' \
	"$dir/first.json" >/dev/null ||
	fail "ages before the first poll (ss lastsnd ${lastsnd}ms, life ${elapsed}s): $(jq -c '[.sockets[] | {state, local, age_s, age_at_least_s, state_age_s}]' "$dir/first.json")"

# --kill: "younger than a minute" cannot be told of them: none chosen, and
# said how many were skipped; "older than 2 s" is proven for all of them.
filter='state established and sport = :8080'
"$SOCKWATCH" -N "$ns" --kill --dry-run "$filter and age < 1m" \
	>"$dir/young" 2>"$dir/young.err" || fail "--kill --dry-run age < 1m"
[ ! -s "$dir/young" ] || fail "age < 1m chose old connections: $(cat "$dir/young")"
grep -q "skipped 20 sockets whose age is not known" "$dir/young.err" ||
	fail "no word of the skipped sockets: $(cat "$dir/young.err")"
"$SOCKWATCH" -N "$ns" --kill --dry-run "$filter and age > 2s" \
	>"$dir/old" 2>"$dir/old.err" || fail "--kill --dry-run age > 2s"
[ "$(wc -l <"$dir/old")" -eq 20 ] ||
	fail "age > 2s chose $(wc -l <"$dir/old") connections, expected 20"
grep -q skipped "$dir/old.err" && fail "age > 2s skipped some: $(cat "$dir/old.err")"

# -p: the process is found, and still no age is made up.
"$SOCKWATCH" -N "$ns" -p -f json >"$dir/p.json" || fail "-p report"
jq -e '[.sockets[] | select(.state == "ESTABLISHED" and
    .process == "sockgen" and .age_s == null and .age_at_least_s >= 3)] |
    length == 40' "$dir/p.json" >/dev/null ||
	fail "-p: $(jq -c '[.sockets[] | {state, process, age_s, age_at_least_s}]' "$dir/p.json")"

# Five connections made between two runs a moment apart: the state file
# says they were not there, so they began since: known ages, no longer
# than the time between the runs, and --kill can tell they are young. (A
# filter keeps a history of its own: the kill's ran before too. Asked for
# ESTABLISHED alone, a new one might have been in SYN_SENT before; without
# LISTEN, not. Past MODEL_KNOWN_GAP_S, 2 s, between the runs they would be
# lower bounds: a slow machine skips this.)
young='sport = :8081 and exclude listen and age < 1m'
mark=$(now)
"$SOCKWATCH" -N "$ns" -s >/dev/null || fail "run before the new connections"
"$SOCKWATCH" -N "$ns" -s "$young" >/dev/null || fail "the kill's view before"
hold_specs "$ns" 9 listen:127.0.0.1:8081 est:127.0.0.1:8081:n1 \
	est:127.0.0.1:8081:n2 est:127.0.0.1:8081:n3 est:127.0.0.1:8081:n4 \
	est:127.0.0.1:8081:n5
"$SOCKWATCH" -N "$ns" --kill --dry-run "$young" >"$dir/new" \
	2>"$dir/new.err" || fail "--kill --dry-run of the new"
"$SOCKWATCH" -N "$ns" -f json >"$dir/new.json" || fail "report of the new"
gap=$(jq -n "$(now) - $mark")
if jq -ne "$gap < 1.8" >/dev/null; then
	jq -e --argjson gap "$gap" '
	    [.sockets[] | select(.state == "ESTABLISHED" and
		((.local | endswith(":8081")) or
		(.peer | endswith(":8081"))))] as $n |
	    ($n | length) == 10 and
	    all($n[]; .age_s != null and .age_s == .age_at_least_s and
		.age_s <= $gap and .state_age_s != null) and
	    all(.sockets[] | select((.local | endswith(":8080")) or
		(.peer | endswith(":8080"))); .age_s == null)' \
		"$dir/new.json" >/dev/null ||
		fail "new connections (${gap}s between runs): $(jq -c '[.sockets[] | {state, local, peer, age_s, age_at_least_s}]' "$dir/new.json")"
	[ "$(wc -l <"$dir/new")" -eq 5 ] ||
		fail "age < 1m chose $(wc -l <"$dir/new") of the 5 new: $(cat "$dir/new" "$dir/new.err")"
else
	note "the runs were ${gap}s apart: the known ages are not checked"
fi
exit 0
