#!/bin/sh
# A server that accepts and never closes while its clients close: its
# sockets sit in CLOSE_WAIT -> close-wait names that process (-p).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

cat >>"$T/sockwatch.conf" <<CONF
rule.close-wait.min_age_s = 0
rule.close-wait.warning_count = 5
CONF
start_peer "$A" server server --addr 10.201.0.1 --port 8081 --mode hold \
	--seconds 60
pid=$(cat "$T/server.ready")
in_ns "$B" "$SOCKGEN" clients --addr 10.201.0.1 --port 8081 \
	--count 12 --mode close --seconds 20 || fail "clients"
wait_for 10 sh -c "[ \$(ip netns exec $A ss -tnH state close-wait | wc -l) -eq 12 ]" ||
	fail "the server's sockets did not reach CLOSE_WAIT"

status=$(check "$A" "$T/out.json" -p)
show "$T/out.json"
[ "$status" -eq 1 ] || fail "--check exited $status, expected 1 (WARNING)"
# The subject is what the kernel shows (the uid); -p adds the process.
finding "$T/out.json" ".rule == \"close-wait\" and .severity == \"warning\" and
	.pid == $pid and .subject == \"uid 0\" and
	.evidence.process == \"pid $pid (sockgen)\" and
	(.advice | contains(\"pid $pid (sockgen)\")) and
	.evidence.count == 12 and .evidence.never_closed == 12" ||
	fail "no close-wait warning naming pid $pid"
# Without -p it is the same finding: one leak, one identity, whichever
# way a run looks (a cron --check, then a report with -p).
status=$(check "$A" "$T/nop.json")
[ "$status" -eq 1 ] || fail "--check without -p exited $status"
[ "$(jq -c '[.anomalies[] | select(.rule == "close-wait") | .subject]' "$T/nop.json")" = \
    "$(jq -c '[.anomalies[] | select(.rule == "close-wait") | .subject]' "$T/out.json")" ] ||
	fail "the close-wait finding's subject depends on -p"
# The sockets themselves carry the process and their ages.
jq -e "[.sockets[] | select(.state == \"CLOSE_WAIT\" and .pid == $pid and
	.process == \"sockgen\" and (.age_at_least_s | type) == \"number\")] |
	length == 12" \
	"$T/out.json" >/dev/null || fail "CLOSE_WAIT sockets without pid $pid"

# Above the critical count it is critical (without the first run's
# history, which would hold it at warning for one more poll).
echo "rule.close-wait.critical_count = 10" >>"$T/sockwatch.conf"
rm -f "$T/state.$A"
status=$(check "$A" "$T/out2.json" -p)
[ "$status" -eq 2 ] || fail "--check exited $status, expected 2 (CRITICAL)"
exit 0
