#!/bin/sh
# -N all: one report of every network namespace. Two named namespaces and
# an unnamed one (held by a process this test starts with `unshare -n`),
# each with its own sockets; the same listening address in two of them.
# sockwatch must put every socket under the right namespace, count each
# namespace as ss does inside it, keep equal addresses of two namespaces
# apart, and judge the rules per namespace.
. "$TESTS_SRCDIR/lib.sh"
require_root
require_cmd jq ss unshare nsenter sysctl
require_sockgen
T=$(tmpdir)

A=$(make_netns alla)
B=$(make_netns allb)
# A's TIME_WAIT table holds one socket: its one TIME_WAIT fills it, B's
# (with the default size) does not. Only counters read inside A show it.
ip netns exec "$A" sysctl -qw net.ipv4.tcp_max_tw_buckets=1 ||
	fail "tcp_max_tw_buckets in $A"

# hold NAME FD CMD...: run `sockgen hold $SPECS` under CMD with its stdin
# on a fifo kept open on FD; NAME.pid holds its pid once it is ready.
hold() {
	_n=$1 _fd=$2
	shift 2
	mkfifo "$T/$_n.in" || fail "mkfifo"
	"$@" "$SOCKGEN" hold $SPECS <"$T/$_n.in" >"$T/$_n.out" 2>"$T/$_n.err" &
	echo $! >"$T/$_n.pid"
	track_pid $!
	eval "exec $_fd>\"\$T/\$_n.in\""
	wait_for 10 grep -q ready "$T/$_n.out" ||
		fail "sockgen hold in $_n did not start: $(cat "$T/$_n.err")"
}

SPECS="listen:127.0.0.1:8080 est:127.0.0.1:8080:a1 est:127.0.0.1:8080:a2
	listen:127.0.0.1:8081 closewait:127.0.0.1:8081:a3
	timewait:127.0.0.1:8081"
hold a 4 ip netns exec "$A"
SPECS="listen:127.0.0.1:8080 est:127.0.0.1:8080:b1 timewait:127.0.0.1:8080
	listen:[::]:8082
	est:::1:8082:b2 est:::1:8082:b3 est:::1:8082:b4"
hold b 5 ip netns exec "$B"
# The unnamed one: only this process holds it.
SPECS="listen:127.0.0.1:8083 est:127.0.0.1:8083:c1 closewait:127.0.0.1:8083:c2"
hold c 6 unshare -n sh -c 'ip link set lo up && exec "$0" "$@"'
cpid=$(cat "$T/c.pid")
cino=$(stat -L -c %i "/proc/$cpid/ns/net") || fail "no namespace of pid $cpid"
C="net:[$cino]"
note "namespaces: $A $B $C (pid $cpid)"

"$SOCKWATCH" -N all -f json >"$T/all.json" || fail "sockwatch -N all failed"
jq -e . "$T/all.json" >/dev/null || fail "not JSON"

# ss_counts CMD...: ss's counts by state inside a namespace, as a JSON
# object with sockwatch's state names.
ss_counts() {
	"$@" ss -tanH | awk '
		BEGIN { m["ESTAB"] = "ESTABLISHED"; m["TIME-WAIT"] = "TIME_WAIT"
			m["CLOSE-WAIT"] = "CLOSE_WAIT"; m["FIN-WAIT-1"] = "FIN_WAIT1"
			m["FIN-WAIT-2"] = "FIN_WAIT2"; m["SYN-SENT"] = "SYN_SENT"
			m["SYN-RECV"] = "SYN_RECV"; m["LAST-ACK"] = "LAST_ACK"
			m["UNCONN"] = "CLOSE"; m["LISTEN"] = "LISTEN"
			m["CLOSING"] = "CLOSING" }
		{ n[m[$1]]++ }
		END { printf "{"; s = ""
			for (k in n) { printf "%s\"%s\":%d", s, k, n[k]; s = "," }
			print "}" }'
}

# same LABEL CMD...: sockwatch's counts of LABEL equal ss's inside it.
same() {
	_label=$1
	shift
	_ss=$(ss_counts "$@")
	jq -e --arg ns "$_label" --argjson ss "$_ss" '
		.namespaces[$ns] as $n | $n != null and
		($n.states | with_entries(select(.value > 0))) == $ss and
		$n.total == ([$ss[]] | add)' "$T/all.json" >/dev/null ||
		fail "counts of $_label: sockwatch $(jq -c --arg ns "$_label" \
		    '.namespaces[$ns]' "$T/all.json"), ss $_ss"
}
same "$A" ip netns exec "$A"
same "$B" ip netns exec "$B"
same "$C" nsenter -t "$cpid" -n

# Every socket of a namespace under its name, and only there. (Other
# namespaces of the host may use these ports too: they are left out.)
for spec in "$A 8081 4" "$B 8082 7" "$C 8083 5"; do
	set -- $spec
	jq -e --arg ns "$1" --argjson port "$2" --argjson n "$3" \
		--arg a "$A" --arg b "$B" --arg c "$C" '
		[.sockets[] | select(.netns == $a or .netns == $b or
		    .netns == $c) | select((.local | endswith(":\($port)")) or
		    (.peer | endswith(":\($port)")))] as $s |
		($s | length) == $n and all($s[]; .netns == $ns)' \
		"$T/all.json" >/dev/null ||
		fail "sockets of port $2: not all $3 under $1"
done
# Totals add up over the namespaces.
jq -e '.total == ([.namespaces[].total] | add) and
	.total == (.sockets | length)' "$T/all.json" >/dev/null ||
	fail "totals do not add up"
# Cookies are unique across namespaces since Linux 5.10 (before, each
# namespace counted its own from 1: sockwatch keeps a model per namespace).
if [ "$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')" -ge 5010 ]; then
	jq -e '(.sockets | map(.cookie) | unique | length) ==
		(.sockets | length)' "$T/all.json" >/dev/null ||
		fail "a cookie appears twice"
fi
# The same address in two namespaces is two listeners, one each.
jq -e --arg a "$A" --arg b "$B" '
	[.listeners[] | select(.local == "127.0.0.1:8080" and
	    (.netns == $a or .netns == $b))] as $l |
	($l | length) == 2 and ([$l[].netns] | sort) == ([$a, $b] | sort) and
	all($l[]; .sockets == 1)' "$T/all.json" >/dev/null ||
	fail "the listeners on 127.0.0.1:8080 of $A and $B are not apart"
# The unnamed namespace: its inode and the process holding it; ours too.
jq -e --arg c "$C" --argjson pid "$cpid" --argjson ino "$cino" '
	.netns == "all" and .namespaces[$c].pid == $pid and
	.namespaces[$c].inode == $ino and .namespaces[$c].named == false and
	([.namespaces[] | select(.self)] | length) == 1' "$T/all.json" \
	>/dev/null || fail "the unnamed namespace or our own is not described"

# A filter selects across namespaces; counts follow what is shown.
"$SOCKWATCH" -N all -f json sport = :8082 >"$T/f.json" || fail "filter"
jq -e --arg b "$B" '([.sockets[] | select(.netns == $b)] | length) == 4 and
	all(.sockets[]; .local | endswith(":8082")) and
	.namespaces[$b].total == 4 and .total == ([.namespaces[].total] | add) and
	.total == (.sockets | length)' "$T/f.json" \
	>/dev/null || fail "sport = :8082 did not give B's four sockets"

# Rules judge each namespace, with -p: the CLOSE_WAIT of A and of the
# unnamed one are two findings naming their own process and namespace.
cat >"$T/sockwatch.conf" <<CONF
rule.close-wait.min_age_s = 0
rule.close-wait.warning_count = 1
CONF
"$SOCKWATCH" -N all --check -f json -d 0.2 -p --config "$T/sockwatch.conf" \
	>"$T/check.json"
status=$?
# (1, or 2 if another namespace of the host has something critical)
[ "$status" -eq 1 ] || [ "$status" -eq 2 ] ||
	fail "--check -N all exited $status, expected 1"
for spec in "$A a" "$C c"; do
	set -- $spec
	pid=$(cat "$T/$2.pid")
	jq -e --arg ns "$1" --argjson pid "$pid" '[.anomalies[] |
		select(.rule == "close-wait" and .netns == $ns and
		.pid == $pid)] | length == 1' "$T/check.json" >/dev/null ||
		fail "no close-wait finding of pid $pid in $1"
	jq -e --arg ns "$1" --argjson pid "$pid" '[.sockets[] |
		select(.netns == $ns and .state == "CLOSE_WAIT")] |
		length == 1 and .[0].pid == $pid' "$T/check.json" >/dev/null ||
		fail "the CLOSE_WAIT socket of $1 is not pid $pid's"
done

# Limits are read in each namespace: A's full TIME_WAIT table, not B's.
jq -e --arg a "$A" --arg b "$B" '
	([.anomalies[] | select(.rule == "time-wait" and .netns == $a)] |
	    length) == 1 and
	([.anomalies[] | select(.netns == $b)] | length) == 0' \
	"$T/check.json" >/dev/null ||
	fail "time-wait should be raised in $A only: $(jq -c '.anomalies' \
	    "$T/check.json")"

# Text gains a NETNS column in this mode only; CSV always has its netns
# column, filled with each socket's namespace.
"$SOCKWATCH" -N all -b >"$T/all.txt" || fail "text"
grep -q "^NETNS  *STATE  *LOCAL" "$T/all.txt" || fail "no NETNS column"
grep -q "^$A  *LISTEN  *127.0.0.1:8081 " "$T/all.txt" ||
	fail "no row of $A's listener"
# Each run to a file first: through a pipe a crash would go unnoticed.
"$SOCKWATCH" -N all -f csv >"$T/all.csv" || fail "csv"
"$SOCKWATCH" -N "$A" -f csv >"$T/one.csv" || fail "csv of $A"
[ "$(head -1 "$T/all.csv")" = "$(head -1 "$T/one.csv")" ] ||
	fail "CSV columns differ with -N all: $(head -1 "$T/all.csv")"
head -1 "$T/all.csv" | grep -q "^state,local,.*,netns," || fail "no netns column"
grep -q "^LISTEN,127.0.0.1:8081,.*,$A," "$T/all.csv" ||
	fail "no CSV row of $A's listener with its namespace"
"$SOCKWATCH" -N "$A" -b >"$T/one.txt" || fail "text of -N $A"
grep -q "LISTEN  *127.0.0.1:8081" "$T/one.txt" || fail "no table with -N $A"
grep -q NETNS "$T/one.txt" && fail "NETNS column with -N NAME"

# What it cannot do is refused with a reason (64), before any namespace.
for args in "--record $T/x.rec" "--state-file $T/x.state" \
	"--kill --yes state close-wait" "--replay $T/x.rec"; do
	"$SOCKWATCH" -N all -b $args >/dev/null 2>"$T/err"
	status=$?
	[ "$status" -eq 64 ] || fail "-N all $args exited $status, expected 64"
	grep -q "^sockwatch: .*netns" "$T/err" || fail "-N all $args: $(cat "$T/err")"
done
# Without CAP_SYS_ADMIN: one line saying what to do, exit 3. The build
# tree may be closed to other users (make distcheck): run a copy.
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
if nobody true 2>/dev/null; then
	pub=$(mktemp -d /tmp/sockwatch-nobody.XXXXXX) || fail "mktemp"
	at_exit "rm -rf '$pub'"
	chmod 755 "$pub" && cp "$SOCKWATCH" "$pub/sockwatch" || fail "copy"
	nobody env HOME=/nonexistent "$pub/sockwatch" -N all -b >/dev/null \
		2>"$T/err"
	status=$?
	[ "$status" -eq 3 ] || fail "unprivileged -N all exited $status"
	[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "CAP_SYS_ADMIN" "$T/err" ||
		fail "unprivileged -N all said: $(cat "$T/err")"
else
	note "setpriv cannot drop to nobody: the unprivileged case is not run"
fi
exit 0
