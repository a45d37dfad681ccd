#!/bin/sh
# netns_exec.sh - sockwatch run inside a named namespace (`ip netns exec
# NAME sockwatch`) names it, as -N NAME does: in the text header, in JSON's
# netns and in a netns label on every Prometheus series. Its history is
# kept per namespace (state.NAME, the file of -N NAME), so a run on the
# host and one under ip netns exec never wipe each other's.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_cmd jq

ns=$(make_netns exec)
hold_sockets "$ns" 1 2 0 0 7100
t=$(tmpdir)
inside() {
	ip netns exec "$ns" "$SOCKWATCH" "$@"
}

# The name, wherever a report says which namespace it is of.
inside -f json >"$t/json" || fail "sockwatch -f json in $ns"
jq -e --arg ns "$ns" '.netns == $ns and .states.ESTABLISHED == 4' \
    "$t/json" >/dev/null || fail "JSON: $(jq -c '{netns, states}' "$t/json")"
inside -s >"$t/text" || fail "sockwatch -s in $ns"
head -1 "$t/text" | grep -q ", network namespace $ns, at " ||
	fail "header: $(head -1 "$t/text")"
inside -f prometheus >"$t/prom" || fail "sockwatch -f prometheus in $ns"
grep -q "^sockwatch_sockets{netns=\"$ns\",state=\"ESTABLISHED\"} 4\$" \
    "$t/prom" || fail "no netns label: $(grep -v '^#' "$t/prom" | head -3)"
grep -q "^sockwatch_listener_backlog{netns=\"$ns\",local=\"127.0.0.1:7100\"} " \
    "$t/prom" || fail "listener without netns: $(grep listener "$t/prom")"
unlabelled=$(grep -v '^#' "$t/prom" | grep -v "{netns=\"$ns\"[,}]")
[ -z "$unlabelled" ] || fail "series without the netns label: $unlabelled"
# -N NAME gives the same names.
"$SOCKWATCH" -N "$ns" -f prometheus >"$t/prom-N.raw" ||
	fail "sockwatch -N $ns -f prometheus"
grep -v '^#' "$t/prom-N.raw" | grep -v '_timestamp_' | sort >"$t/prom-N"
grep -v '^#' "$t/prom" | grep -v '_timestamp_' | sort | cmp -s - "$t/prom-N" ||
	fail "-N $ns and ip netns exec $ns differ: $(diff "$t/prom-N" "$t/prom")"

# On the host: no name (the host's namespace is not one made by ip netns).
"$SOCKWATCH" -f json >"$t/host" || fail "sockwatch -f json on the host"
jq -e '.netns == ""' "$t/host" >/dev/null ||
	fail "the host's report names a namespace: $(jq -c .netns "$t/host")"

# History: the namespace's own file, the one -N uses; the host's is left
# as it was by a run in the namespace.
state=$SOCKWATCH_STATE_DIR/state
[ -f "$state" ] || fail "the host run left no $state"
[ -f "$state.$ns" ] || fail "no history of $ns: $(ls "$SOCKWATCH_STATE_DIR")"
cp "$state" "$t/host-state"
inside -s >/dev/null || fail "sockwatch -s in $ns"
cmp -s "$state" "$t/host-state" ||
	fail "a run in $ns rewrote the host's history $state"
cp "$state.$ns" "$t/ns-state"
"$SOCKWATCH" -s >/dev/null || fail "sockwatch -s on the host"
cmp -s "$state.$ns" "$t/ns-state" ||
	fail "a run on the host rewrote $ns's history"

exit 0
