#!/bin/sh
# make-recordings.sh - remake tests/data/states-v4v6*: recordings of real
# sockets in every TCP state over IPv4 and IPv6, for the tests that need no
# privilege. Needs root; make check does not run it (the files are in git).
#
# tests/sockgen builds two connections per scenario and family between a
# server and a client namespace joined by a veth (tests/sockgen --help), and
# sockwatch records one poll of each namespace:
#   states-v4v6-server.rec  LISTEN (one dual-stack), SYN_RECV, ESTABLISHED
#                           (accepted and in the accept queue, some
#                           IPv4-mapped), FIN_WAIT1, CLOSE_WAIT, LAST_ACK
#                           (some orphaned)
#   states-v4v6-client.rec  SYN_SENT, ESTABLISHED, FIN_WAIT1 and CLOSING
#                           (some orphaned), FIN_WAIT2 (some timewait mini
#                           sockets), TIME_WAIT
#   states-v4v6.manifest    what sockgen built, its namespaces renamed
#                           "server" and "client"
#   states-v4v6-server.expected.json, states-v4v6-client.expected.json
#                           sockwatch --replay REC -f json -s
# Before it writes anything it checks that each recording replays as the
# live report made with it, and holds exactly the sockets (state, local,
# peer) and listeners that were built.
#
# Usage, from a built tree: tests/data/make-recordings.sh

top=$(cd "$(dirname "$0")/../.." && pwd)
: "${SOCKWATCH:=$top/src/sockwatch}"
: "${SOCKGEN:=$top/tests/sockgen}"
TESTS_SRCDIR=$top/tests
data=$top/tests/data
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/states-lib.sh"

[ "$(id -u)" -eq 0 ] || fail "make-recordings.sh needs root"
[ -x "$SOCKWATCH" ] || fail "build first (make check)"
build_states --count 2

for role in server client; do
	[ $role = server ] && ns=$srv || ns=$cli
	"$SOCKWATCH" -N "$ns" --record "$T/$role.rec" -c 1 -f json \
	    >"$T/$role.live.json" || fail "sockwatch could not record $ns"
	"$SOCKWATCH" --replay "$T/$role.rec" -f json >"$T/$role.full.json" ||
		fail "sockwatch could not replay $T/$role.rec"
	same "$role: the replay differs from the live report" \
	    "$T/$role.live.json" "$T/$role.full.json"
	"$SOCKWATCH" --replay "$T/$role.rec" -f json -s >"$T/$role.json" ||
		fail "sockwatch could not replay $T/$role.rec"
	manifest_rows "$ns" >"$T/want"
	json_rows "$T/$role.full.json" >"$T/got"
	same "$role: the recording differs from what was built" \
	    "$T/want" "$T/got"
	rows_counts "$T/want" >"$T/want.counts"
	json_counts "$T/$role.json" >"$T/got.counts"
	same "$role: the replayed counts differ" "$T/want.counts" \
	    "$T/got.counts"
done
awk -v ns="$srv" '$1 == "listener" && $2 == ns { print $3, $4, $5, $6 }' \
    "$MANIFEST" | sort >"$T/want.listeners"
jq -r '.listeners[] | "\(.local) \(.accept_queue) \(.backlog) \(.syn_recv)"' \
    "$T/server.json" | sort >"$T/got.listeners"
same "the replayed listeners differ" "$T/want.listeners" "$T/got.listeners"

for role in server client; do
	cp "$T/$role.rec" "$data/states-v4v6-$role.rec"
	cp "$T/$role.json" "$data/states-v4v6-$role.expected.json"
done
grep -v '^READY$' "$MANIFEST" |
    sed "s/ $srv / server /; s/ $cli / client /" >"$data/states-v4v6.manifest"
echo "make-recordings.sh: wrote $data/states-v4v6*"
