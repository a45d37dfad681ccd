#!/bin/sh
# record.sh - --record then --replay gives the report the live run gave.
# Listing needs no privilege; a few connections on 127.0.0.1 make sure the
# dump is not empty. Other tests may open sockets meanwhile: the live
# report and the recording come from the same dump, so they still agree.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
require_cmd jq python3

t=$(tmpdir)
python3 - "$t/ready" <<'PY' &
import socket, sys, time
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(16)
keep = []
for _ in range(5):
    c = socket.create_connection(l.getsockname())
    keep += [c, l.accept()[0]]
open(sys.argv[1], "w").close()
time.sleep(30)
PY
track_pid $!
wait_for 10 test -e "$t/ready" || fail "the test's sockets are not ready"

# A replay starts without history: so must the live runs it is compared to.
for fmt in json csv text; do
	SOCKWATCH_STATE_DIR="$t/history-$fmt"
	sw "$t/live.$fmt" --record "$t/$fmt.rec" -f $fmt
	sw "$t/replay.$fmt" --replay "$t/$fmt.rec" -f $fmt
done
# The time of a poll is when the recorder stamped it, a moment before the
# dump: it may fall in the next second. Everything else is the same.
jq -e '.total >= 11' "$t/live.json" >/dev/null || fail "live report lacks our sockets"
jq -S 'del(.time)' "$t/live.json" >"$t/a"
jq -S 'del(.time)' "$t/replay.json" >"$t/b"
cmp -s "$t/a" "$t/b" || fail "JSON: replay differs from the live report"
cmp -s "$t/live.csv" "$t/replay.csv" || fail "CSV: replay differs from the live report"
tail -n +2 "$t/live.text" >"$t/a"
tail -n +2 "$t/replay.text" >"$t/b"
cmp -s "$t/a" "$t/b" || fail "text: replay differs from the live report"

# Several polls are recorded one after another and replayed in order.
SOCKWATCH_STATE_DIR="$t/history-three"
sw "$t/three.json" --record "$t/three.rec" -f json -c 3 -d 0.1
sw "$t/three-replay.json" --replay "$t/three.rec" -f json
[ "$(wc -l <"$t/three-replay.json")" -eq 3 ] || fail "3 polls recorded, not 3 replayed"
jq -S 'del(.time)' "$t/three.json" >"$t/a"
jq -S 'del(.time)' "$t/three-replay.json" >"$t/b"
cmp -s "$t/a" "$t/b" || fail "3 polls: replay differs from the live reports"

# A recording that cannot be written is an error (3), not a lost file.
expect_fail 3 "cannot create recording $t/no/such/dir.rec" \
    --record "$t/no/such/dir.rec" -s
# A write error (the file size limit here; /dev/full is a device, refused
# as such) is said when the recording is closed.
(trap '' XFSZ; ulimit -f 1; exec "$SOCKWATCH" --record "$t/big.rec" -s) \
    >/dev/null 2>"$t/err"
st=$?
[ $st -eq 3 ] || fail "--record beyond the file size limit: exit $st"
grep -q "^sockwatch: cannot write recording $t/big.rec: File too large\$" "$t/err" ||
	fail "--record beyond the file size limit: $(cat "$t/err")"
expect_fail 64 "recording /dev/full is a character device" --record /dev/full -s
exit 0
