#!/bin/sh
# replay-states.sh - sockwatch on the recordings of every TCP state
# (tests/data/states-v4v6*, made by tests/data/make-recordings.sh), with
# no privilege: rows and inodes as built, counts and listeners as expected,
# and -4, -6, --state selections on a replay.

. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/states-lib.sh"

require_cmd jq
data=$TESTS_SRCDIR/data
T=$(tmpdir)
MANIFEST=$data/states-v4v6.manifest

for role in server client; do
	rec=$data/states-v4v6-$role.rec
	"$SOCKWATCH" --replay "$rec" -f json >"$T/json" ||
		fail "sockwatch --replay $rec exited with status $?"
	manifest_rows $role >"$T/want"
	json_rows "$T/json" >"$T/got"
	same "$role: the replayed sockets differ from those built" \
	    "$T/want" "$T/got"
	check_holders $role "$T/json"
	for key in states orphans listeners total; do
		jq -S ".$key" "$data/states-v4v6-$role.expected.json" >"$T/want.$key"
		jq -S ".$key" "$T/json" >"$T/got.$key"
		same "$role: the replayed $key differ from the expected" \
		    "$T/want.$key" "$T/got.$key"
	done
	for sel in '-4 $4=="ipv4"' '-6 $4=="ipv6"' \
	    '--state=fin-wait1,closing $3=="FIN_WAIT1"||$3=="CLOSING"'; do
		manifest_rows $role "${sel#* }" >"$T/want.sel"
		"$SOCKWATCH" --replay "$rec" -f json ${sel%% *} >"$T/json.sel" ||
			fail "sockwatch --replay $rec ${sel%% *} failed"
		json_rows "$T/json.sel" >"$T/got.sel"
		same "$role: --replay with ${sel%% *} shows other sockets" \
		    "$T/want.sel" "$T/got.sel"
	done
done
exit 0
