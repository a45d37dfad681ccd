#!/bin/sh
# dump_churn.sh - dumps interrupted while thousands of short connections
# churn still count a stable population exactly.
#
# A namespace holds a listener and 250 connections to it (1 LISTEN, 500
# ESTABLISHED sockets on port 7000) while bench/churn opens and closes
# connections to another listener as fast as it can (thousands a second:
# SYN_SENT, SYN_RECV, ESTABLISHED, TIME_WAIT come and go in the tables the
# dumps walk). Every poll must count exactly the held sockets:
#  1. live polls, as the kernel answers them;
#  2. live polls whose every second dump is marked interrupted
#     (NLM_F_DUMP_INTR) by the shim tests/dump_intr.so: the kernel never
#     sets that flag on TCP socket dumps (it tracks no generation for them;
#     measured here: no interrupted dump in 100 polls under 6,000 new
#     connections a second), so this is the only way to make sockwatch
#     start a dump over. The recording holds one RESTART frame per
#     interrupted dump, and replays to the same counts.
. "$TESTS_SRCDIR/lib.sh"
require_root
require_cmd jq python3 ss
CHURN=${CHURN:-$TESTS_BUILDDIR/../bench/churn}
SHIM=${DUMP_INTR_SO:-$TESTS_BUILDDIR/dump_intr.so}
[ -x "$CHURN" ] || fail "no $CHURN: run make check"
[ -f "$SHIM" ] || fail "no $SHIM: run make check"
d=$(tmpdir)
ns=$(make_netns churn)
hold_sockets "$ns" 1 250 0 0 7000
held='sport = :7000 or dport = :7000'

ip netns exec "$ns" "$CHURN" -p 7500 -t 120 -w 2 >"$d/churn" 2>&1 &
churn=$!
track_pid $churn
wait_for 10 sh -c "ip netns exec $ns ss -tanH state time-wait | grep -q ." ||
	fail "the churn did not start: $(cat "$d/churn")"

# POLLS lines of "ESTABLISHED LISTEN others" must all read "500 1 0".
check_counts() {
	jq -r '[.states.ESTABLISHED, .states.LISTEN,
	    ([.states[]] | add) - .states.ESTABLISHED - .states.LISTEN] |
	    map(tostring) | join(" ")' "$1" | sort | uniq -c >"$1.counts"
	[ "$(cat "$1.counts")" = "     $2 500 1 0" ] ||
		fail "$3: counts per poll (polls, ESTABLISHED, LISTEN," \
		    "others): $(cat "$1.counts")"
}

# 1. Live polls under churn.
"$SOCKWATCH" -N "$ns" -c 30 -d 0.1 -f json -s $held >"$d/live.json" ||
	fail "sockwatch exited $?"
check_counts "$d/live.json" 30 "live polls under churn"

# 2. Every second dump interrupted.
LD_PRELOAD=$SHIM SOCKWATCH_TEST_DUMP_INTR=2 \
    SOCKWATCH_TEST_DUMP_INTR_LOG="$d/intr" \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    "$SOCKWATCH" -N "$ns" --record "$d/intr.rec" -c 30 -d 0.1 -f json -s \
    $held >"$d/intr.json" || fail "sockwatch with interrupted dumps exited $?"
marks=$(wc -l <"$d/intr" 2>/dev/null || echo 0)
[ "$marks" -ge 15 ] || fail "only $marks dumps were marked interrupted"
check_counts "$d/intr.json" 30 "polls with interrupted dumps"

restarts=$(python3 - "$d/intr.rec" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
off, n = 16, 0
while off + 16 <= len(data):
    kind, length, _ = struct.unpack_from('=IIQ', data, off)
    n += kind == 3
    off += 16 + ((length + 7) & ~7)
print(n)
PY
)
[ "$restarts" -eq "$marks" ] ||
	fail "$marks interrupted dumps, but $restarts RESTART frames recorded"
"$SOCKWATCH" --replay "$d/intr.rec" -f json -s $held >"$d/replay.json" ||
	fail "replay exited $?"
check_counts "$d/replay.json" 30 "the recording of interrupted dumps"

kill "$churn" 2>/dev/null
wait "$churn" 2>/dev/null
note "churn: $(ip netns exec "$ns" ss -tanH state time-wait | wc -l) TIME_WAIT" \
    "left; $marks dumps interrupted and started over"
exit 0
