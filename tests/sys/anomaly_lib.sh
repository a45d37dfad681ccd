# tests/sys/anomaly_lib.sh - shared by the anomaly system tests; source it
# after tests/lib.sh.
#
# Two namespaces: A (servers, 10.201.0.1) and B (clients, 10.201.0.2). A
# routes everything else to B, so replies to spoofed 10.x sources go to B,
# where nftables drops SYN-ACKs at prerouting: the kernel of B never
# answers them with a reset, and the server's request sockets stay.

require_root
require_cmd jq nft ss sysctl
require_sockgen
T=$(tmpdir)
A=$(make_netns a)
B=$(make_netns b)
link_netns "$A" "$B"
ip -n "$A" route add default via 10.201.0.2 || fail "route in $A"
ip netns exec "$A" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.eth0.rp_filter=0 >/dev/null || fail "sysctl in $A"

# A configuration with lower thresholds, plus what the test adds.
cat >"$T/sockwatch.conf" <<CONF
# anomaly system tests
hysteresis.raise_after = 2
CONF

# in_ns NS CMD...: run in a namespace.
in_ns() {
	ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# start_peer NS NAME ARGS...: sockgen server or clients (tests/sockgen_peer.c)
# in the background, waiting until it is ready; its pid is then in
# $T/NAME.ready. Never call it in $(...): the subshell's exit would stop it.
start_peer() {
	ns=$1
	name=$2
	shift 2
	ip netns exec "$ns" "$SOCKGEN" "$@" --ready "$T/$name.ready" \
		2>"$T/$name.err" &
	track_pid $!
	wait_for 15 test -s "$T/$name.ready" || {
		cat "$T/$name.err" >&2
		fail "$name did not start"
	}
}

drop_synack_in() {
	in_ns "$1" nft -f - <<NFT || fail "nftables in $1"
table inet swtest {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		tcp flags & (syn | ack) == (syn | ack) drop
	}
}
NFT
}

# flood PORT BACKLOG: a listener in A that never accepts, and a steady
# flood of spoofed SYNs to it from B (400 a second for 30 s at most); it
# returns once a SYN-ACK was sent again (requests count as unanswered
# from then on). The kernel drops old requests early when the queue is
# full (fewer SYN-ACK retries), so it is kept full while the test looks.
flood() {
	start_peer "$A" server server --addr 10.201.0.1 --port "$1" \
		--backlog "$2" --mode never-accept --seconds 60
	in_ns "$B" "$SOCKGEN" synflood --dst 10.201.0.1 --port "$1" \
		--count 12000 --rate 400 --seconds 30 2>"$T/flood.err" &
	track_pid $!
	wait_for 10 sh -c "ip netns exec $A ss -tno state syn-recv | grep -q 'timer:(on,[^,]*,1)'" ||
		fail "no SYN-ACK retransmitted"
	sleep 1
}

# check NS OUTFILE [OPTIONS]: sockwatch --check -f json; prints its status.
check() {
	ns=$1
	out=$2
	shift 2
	"$SOCKWATCH" -N "$ns" --check -f json -d 0.5 --config "$T/sockwatch.conf" \
		--state-file "$T/state.$ns" "$@" >"$out" 2>"$out.err"
	status=$?
	jq -e . "$out" >/dev/null || {
		cat "$out" "$out.err" >&2
		fail "the report is not JSON"
	}
	# One report, one line: a stream of them is JSON Lines.
	[ "$(wc -l <"$out")" -eq 1 ] || {
		cat "$out" >&2
		fail "the JSON report spans $(wc -l <"$out") lines"
	}
	echo $status
}

# finding FILE JQ-FILTER: true when an anomaly matches.
finding() {
	jq -e "[.anomalies[] | select($2)] | length > 0" "$1" >/dev/null
}

show() {
	jq -c '.anomalies[] | {rule, severity, subject, evidence}' "$1" >&2
}
