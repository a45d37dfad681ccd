#!/bin/sh
# Cron runs: each run loads the history the last one saved. One run must
# give the answer, and what a run says must be true of that run.
#  1. CLOSE_WAIT sockets that cross the age threshold between two runs are
#     reported by the run that first sees them past it, not the next one.
#  2. A condition that needs confirmation (a full accept queue) that
#     appears between two runs is confirmed within the run that sees it.
#  3. Once the CLOSE_WAIT sockets are gone, the finding held by hysteresis
#     says it is clearing and quotes no number the report's counts deny.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

cat >>"$T/sockwatch.conf" <<CONF
rule.close-wait.min_age_s = 4
rule.close-wait.warning_count = 5
CONF
start_peer "$A" server server --addr 10.201.0.1 --port 8081 --mode hold \
	--seconds 60
server=$(cat "$T/server.ready")
in_ns "$B" "$SOCKGEN" clients --addr 10.201.0.1 --port 8081 \
	--count 12 --mode close --seconds 20 || fail "clients"
wait_for 10 sh -c "[ \$(ip netns exec $A ss -tnH state close-wait | wc -l) -eq 12 ]" ||
	fail "the server's sockets did not reach CLOSE_WAIT"

# The first run sees them young: nothing to say, but it saves history.
status=$(check "$A" "$T/run1.json")
[ "$status" -eq 0 ] || { show "$T/run1.json"; fail "run 1 exited $status, expected 0"; }
[ -s "$T/state.$A" ] || fail "run 1 saved no history"

sleep 5
status=$(check "$A" "$T/run2.json")
show "$T/run2.json"
[ "$status" -eq 1 ] || fail "run 2 exited $status: the CLOSE_WAIT sockets are past 4 s, expected 1 (WARNING) in this run"
finding "$T/run2.json" '.rule == "close-wait" and .evidence.count == 12 and
	.clearing == false' || fail "run 2 has no close-wait finding for 12 sockets"

# A listener that never accepts, filled between two runs.
start_peer "$A" listener server --addr 10.201.0.1 --port 8082 --backlog 4 \
	--mode never-accept --seconds 60
start_peer "$B" queued clients --addr 10.201.0.1 --port 8082 --count 5 \
	--mode hold --seconds 60
wait_for 10 sh -c "[ \$(ip netns exec $A ss -tnlH 'sport = :8082' | awk '{print \$2}') -eq 5 ]" ||
	fail "the accept queue of :8082 did not fill"
status=$(check "$A" "$T/run3.json")
show "$T/run3.json"
[ "$status" -eq 2 ] || fail "run 3 exited $status: a full accept queue seen by this run, expected 2 (CRITICAL)"
finding "$T/run3.json" '.rule == "accept-queue" and .subject == "listener 10.201.0.1:8082"' ||
	fail "run 3 has no accept-queue finding"

# The process holding the CLOSE_WAIT sockets ends: they are gone.
kill "$server"
wait_for 10 sh -c "[ \$(ip netns exec $A ss -tnH state close-wait | wc -l) -eq 0 ]" ||
	fail "the CLOSE_WAIT sockets did not go"
status=$(check "$A" "$T/run4.json")
show "$T/run4.json"
jq -e '.states.CLOSE_WAIT == 0' "$T/run4.json" >/dev/null ||
	fail "run 4 still counts CLOSE_WAIT sockets"
jq -e '[.anomalies[] | select(.rule == "close-wait")] | length == 1 and
	all(.clearing == true and (.evidence.count // 0) == 0)' "$T/run4.json" >/dev/null ||
	fail "run 4 quotes CLOSE_WAIT sockets its own counts do not have, or does not say it is clearing"
exit 0
