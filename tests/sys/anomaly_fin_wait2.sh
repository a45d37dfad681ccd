#!/bin/sh
# A client that shuts down its side while the server never closes: the
# client's sockets wait in FIN_WAIT2 for a FIN that never comes, and with
# a file they have no timeout -> fin-wait2 naming the client process.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

cat >>"$T/sockwatch.conf" <<CONF
rule.fin-wait2.warning_count = 3
rule.fin-wait2.age_factor = 0.01
CONF
start_peer "$A" server server --addr 10.201.0.1 --port 8088 --mode hold \
	--seconds 60
start_peer "$B" clients clients --addr 10.201.0.1 --port 8088 --count 4 \
	--mode shutdown --seconds 60
pid=$(cat "$T/clients.ready")
wait_for 10 sh -c "[ \$(ip netns exec $B ss -tnH state fin-wait-2 | wc -l) -eq 4 ]" ||
	fail "the clients' sockets did not reach FIN_WAIT2"
sleep 1		# older than 0.01 * tcp_fin_timeout (60 s)

status=$(check "$B" "$T/out.json" -p)
show "$T/out.json"
[ "$status" -eq 1 ] || fail "--check exited $status, expected 1 (WARNING)"
finding "$T/out.json" ".rule == \"fin-wait2\" and .pid == $pid and
	.evidence.count == 4" || fail "no fin-wait2 warning naming pid $pid"
exit 0
