#!/bin/sh
# pace_destroy.sh - under --cpu-budget, a carried connection that the
# kernel frees between two full polls (both ends closed with a reset, so
# neither passes through a state a poll without the bulk asks for). Root
# may join the sock_diag destroy groups, as `ss -E` does: the next report
# must no longer count it, not the next full poll.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
. "$TESTS_SRCDIR/sys/pace-lib.sh"
require_root
require_cmd ss jq

ns=$(make_netns paced)
dir=$(tmpdir)
out=$dir/run.json
hold_sockets "$ns" 1 50 0 0 7000	# 1 listener, 100 ESTABLISHED

start_paced "$ns" "$out" 100	# a full poll every few

# Abort e50 (then e49 and on, ten at most, if need be) until no poll
# with the bulk came between the abort and the first report polled after
# the kernel freed both ends: only then can a report still count the
# connection from a carry. n1: reports before that one's poll began. A
# poll without the bulk comes first, so that the abort falls among them.
est=100
for name in e50 e49 e48 e47 e46 e45 e44 e43 e42 e41; do
	wait_for 10 sh -c "tail -n 1 $out | jq -e '.carried > 0' >/dev/null" ||
		fail "no poll without the bulk: $(jq -c .carried "$out" | tr '\n' ' ')"
	na=$(wc -l <"$out")
	hold_say abort $name	# both closed: freed when sockgen says so
	n1=$(wc -l <"$out")
	port=$HOLD_PORT
	est=$((est - 2))
	[ "$(ip netns exec "$ns" ss -tanH state established | wc -l)" -eq $est ] ||
		fail "the kernel still has the connection of port $port"
	wait_for 5 sh -c "[ \$(wc -l <$out) -ge $((n1 + 2)) ]" || fail "no more reports"
	jq -se --argjson a "$na" --argjson n "$n1" \
	    'all(.[$a:$n + 2][]; .carried > 0)' "$out" >/dev/null && break
done
end_paced
note "$name aborted, freed by report $n1 of $(wc -l <"$out"), port $port"
note "carried, ESTABLISHED: $(jq -sc "[.[] | [.carried, .states.ESTABLISHED]]" "$out")"

jq -se --argjson a "$na" --argjson n "$n1" 'all(.[$a:$n + 2][]; .carried > 0)' \
    "$out" >/dev/null ||
	fail "ten aborts, each with a full poll after it: $(jq -c .carried "$out" | tr '\n' ' ')"
jq -se --argjson n "$n1" --argjson e "$est" --arg p "127.0.0.1:$port" '
	all(.[$n + 1:][]; .states.ESTABLISHED == $e and .total == $e + 1 and
	all(.sockets[]; .local != $p and .peer != $p))' "$out" >/dev/null ||
	fail "a report after the abort still counts it: $(jq -sc --argjson n "$n1" \
	    '[.[$n + 1:][] | [.carried, .states.ESTABLISHED]]' "$out")"
exit 0
