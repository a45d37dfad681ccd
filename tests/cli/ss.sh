#!/bin/sh
# ss.sh - the habits of ss users: -tan, -tanp, -tlnp, -ntp run; -o, -e, -m
# and -i add their columns; the poll interval is -d (--delay, --interval);
# service and host names in filters; -r shows peer names.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
require_cmd jq getent

t=$(tmpdir)
SMALL="$DATA/tui-small.rec"

# What ss users type first: no privilege needed to list this host's sockets.
# Without root, -p cannot read other users' descriptors: sockwatch says so
# once on stderr, and that is the only thing it may say there.
for o in -tan -tanp -tlnp -ntp "-t -a -n" --tcp --all --numeric; do
	# shellcheck disable=SC2086
	"$SOCKWATCH" $o -b -s >"$t/live.txt" 2>"$t/live.err" ||
		fail "sockwatch $o: exit $?: $(cat "$t/live.err")"
	if [ "$(id -u)" != 0 ]; then
		grep -v '^sockwatch: cannot read the descriptors of [0-9]* processes of other users: their sockets show no process; run as root to see them$' \
			"$t/live.err" >"$t/live.other"
		mv "$t/live.other" "$t/live.err"
	fi
	[ ! -s "$t/live.err" ] || fail "sockwatch $o: wrote to stderr: $(cat "$t/live.err")"
	grep -q '^ESTABLISHED' "$t/live.txt" || fail "sockwatch $o: no report"
done
sw "$t/tln.json" -tln -f json --replay "$SMALL"
jq_check "$t/tln.json" '[.sockets[].state] | unique == ["LISTEN", "SYN_RECV"] or unique == ["LISTEN"]'

# -d, --delay and --interval are the poll interval; -i is ss's.
sw "$t/d.json" --replay "$SMALL" -f json -s -c 2 -d 0.1
sw "$t/d.json" --replay "$SMALL" -f json -s -c 2 --delay 0.1
sw "$t/d.json" --replay "$SMALL" -f json -s -c 2 --interval=0.1
expect_fail 64 "bad interval 'x'" --replay "$SMALL" -d x
expect_fail 64 "-i shows TCP internals, as in ss: give the seconds between polls with -d 5" \
	--replay "$SMALL" -c 2 -i 5

# Text: -e adds the cookie, -m the socket memory, -i tcp_info, as ss.
sw "$t/plain.txt" --replay "$SMALL" -f text
sw "$t/e.txt" --replay "$SMALL" -f text -e
sw "$t/mi.txt" --replay "$SMALL" -f text -o -m -i
grep -q 'COOKIE' "$t/plain.txt" && fail "the cookie without -e"
grep -q 'skmem:(' "$t/plain.txt" && fail "skmem without -m"
grep -q ' rtt:' "$t/plain.txt" && fail "tcp_info without -i"
grep -q '^STATE .* INODE COOKIE' "$t/e.txt" || fail "-e: no COOKIE column"
sw "$t/s.json" --replay "$SMALL" -f json
cookie=$(jq -r '.sockets[0].cookie' "$t/s.json")
grep -q " $cookie\$\| $cookie " "$t/e.txt" || fail "-e: cookie $cookie not shown"

# JSON: -m and -i add objects to every socket (null where the recording
# holds no figures; tests/sys/ss_columns.sh checks them against ss).
sw "$t/mi.json" --replay "$SMALL" -f json -m -i -e -o
jq_check "$t/s.json" '.sockets | all(has("skmem") or has("tcp_info") | not)'
jq_check "$t/mi.json" '.sockets | all(has("skmem") and has("tcp_info"))'
jq_check "$t/mi.json" '[.sockets[] | select(.state == "LISTEN")] |
	length > 0 and all(.skmem.rcvbuf > 0)'
jq_check "$t/mi.json" '.sockets | all(has("uid") and has("inode") and
	has("cookie") and has("timer") and has("expires_ms"))'
grep -q '^LISTEN .* skmem:(r[0-9]*,rb[0-9]*,t[0-9]*,tb[0-9]*,f[0-9]*,w[0-9]*,o[0-9]*,bl[0-9]*,d[0-9]*)' "$t/mi.txt" ||
	fail "-m: no skmem on LISTEN lines"

# Service names from /etc/services, as ss reads them.
if port=$(getent services http | awk '{ split($2, a, "/"); print a[1] }') &&
    [ -n "$port" ]; then
	sw "$t/num.json" --replay "$DATA/filter-pop.rec" -f json "sport = :$port or dport = :$port"
	sw "$t/name.json" --replay "$DATA/filter-pop.rec" -f json "sport = :http or dport = :http"
	cmp -s "$t/num.json" "$t/name.json" || fail "':http' is not port $port"
	sw "$t/src.json" --replay "$DATA/filter-pop.rec" -f json "src *:http"
else
	echo "no /etc/services entry for http: service names not checked"
fi
expect_fail 64 "bad port 'nosuchservice': use a number from 0 to 65535 or a service name" \
	--replay "$SMALL" dport = :nosuchservice

# Host names through getaddrinfo, every address they have.
addrs=$(getent ahosts localhost | awk '{ print $1 }' | sort -u)
[ -n "$addrs" ] || skip "localhost has no address here"
expr=""
for a in $addrs; do
	case $a in *:*) a="[$a]" ;; esac
	expr="${expr:+$expr or }dst $a"
done
sw "$t/byaddr.json" --replay "$SMALL" -f json "$expr"
sw "$t/byname.json" --replay "$SMALL" -f json dst localhost
cmp -s "$t/byaddr.json" "$t/byname.json" || fail "'dst localhost' is not '$expr'"
jq_check "$t/byname.json" '.sockets | length > 0'
sw "$t/port.json" --replay "$SMALL" -f json dst localhost:7000
jq_check "$t/port.json" '.sockets | length > 0 and all(.peer | endswith(":7000"))'
expect_fail 64 "unknown host 'no-such-host.invalid'" --replay "$SMALL" dst no-such-host.invalid

# -r: peer names, never by default.
name=$(getent hosts 127.0.0.1 | awk '{ print $2 }')
if [ -n "$name" ]; then
	sw "$t/r.txt" --replay "$SMALL" -f text -r
	sw "$t/r.json" --replay "$SMALL" -f json -r
	grep -q "^ESTABLISHED .* $name:7000 " "$t/r.txt" || fail "-r: no name $name in text"
	grep -q " $name:7000 " "$t/plain.txt" && fail "names without -r"
	jq_check "$t/r.json" "[.sockets[] | select(.peer == \"127.0.0.1:7000\") |
		.peer_name] | length > 0 and all(. == \"$name\")"
	jq_check "$t/s.json" '.sockets | all(has("peer_name") | not)'
fi
echo "ss habits: options, columns, names"
