#!/bin/sh
# Nothing wrong, nothing said: a server that closes first leaves its
# TIME_WAIT sockets on its own listening port (here inside the ephemeral
# range), and clients that end with an abortive close (SO_LINGER {1, 0})
# send resets and leave no TIME_WAIT. Both are normal: no finding on
# either side, over a few polls.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

port=40123
lo=$(in_ns "$A" sysctl -n net.ipv4.ip_local_port_range | awk '{ print $1 }')
[ "$port" -ge "$lo" ] || skip "port $port is below the ephemeral range"
start_peer "$A" server server --addr 10.201.0.1 --port $port \
	--mode accept-close --seconds 40
start_peer "$A" rserver server --addr 10.201.0.1 --port 8095 \
	--mode read-close --seconds 40
# The clients keep their end 2 s: the server closes first.
in_ns "$B" "$SOCKGEN" clients --addr 10.201.0.1 --port $port \
	--count 400 --mode hold --seconds 2 || fail "clients"
in_ns "$B" "$SOCKGEN" clients --addr 10.201.0.1 --port 8095 \
	--count 400 --mode reset --seconds 20 || fail "reset clients"
tw=$(in_ns "$A" ss -tanH state time-wait "( sport = :$port )" | wc -l)
note "server-side TIME_WAIT on :$port: $tw"
[ "$tw" -ge 200 ] || fail "only $tw server-side TIME_WAIT"
[ "$(kernel_count "$B" time-wait)" -eq 0 ] ||
	note "TIME_WAIT in $B: $(kernel_count "$B" time-wait)"

for ns in "$A" "$B"; do
	"$SOCKWATCH" -N "$ns" -f json -c 3 -d 0.5 --config "$T/sockwatch.conf" \
		--state-file "$T/quiet.$ns" >"$T/quiet.json" ||
		fail "reports in $ns"
	jq -c '.anomalies[] | {rule, severity, subject}' "$T/quiet.json" >&2
	jq -se 'all(.[]; (.anomalies | length) == 0)' "$T/quiet.json" \
		>/dev/null || fail "a finding where nothing is wrong ($ns)"
done
exit 0
