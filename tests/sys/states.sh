#!/bin/sh
# states.sh - sockwatch on real sockets in every TCP state, IPv4 and IPv6.
#
# tests/sockgen builds LISTEN, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT1,
# FIN_WAIT2, CLOSE_WAIT, CLOSING, LAST_ACK and TIME_WAIT sockets between two
# namespaces this test creates. In each namespace sockwatch's rows, counts
# and listeners must equal what was built and what ss sees; -4, -6, -l and
# --state must select exactly their sockets; both netlink methods must
# return the same sockets; a recording must replay as the live report; -p
# must give the generator's sockets to the generator, across namespaces.
# TIME_WAIT lasts 60 s: the checks take seconds.

. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/states-lib.sh"

build_states --count 2

# The generator must have built every state in both families, or the
# comparisons below could pass on less than they claim.
for st in LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2 \
    CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT; do
	for fam in ipv4 ipv6; do
		grep -q "^socket [^ ]* $st $fam " "$MANIFEST" ||
			fail "the generator built no $st socket over $fam"
	done
done
for ns in "$srv" "$cli"; do
	grep -q "^socket $ns .* orphan$" "$MANIFEST" ||
		fail "the generator built no orphan in $ns"
done

# Every view first, in one burst, while the TIME_WAIT sockets last.
V=$T/views
mkdir "$V" || fail "mkdir $V"
ready=$(date +%s)
for ns in "$srv" "$cli"; do
	take_views "$ns"
	view "$ns" v4 -f json -4
	view "$ns" v6 -f json -6
	view "$ns" cw-tw -f json --state close-wait,time-wait
	view "$ns" v6-some -f json -6 --state SYN_SENT,syn-recv \
	    --state closing,lastack
	view "$ns" legacy-6 -f json -6 --diag-method legacy
	view "$ns" family-6 -f json -6 --diag-method family
	view "$ns" listening -f json -l
	view "$ns" procs -f json -p
done
view "$srv" listening-4 -f json -l -4
view "$srv" json-s -f json -s
view "$srv" text-s -f text -s
view_ss "$srv" -tlnH
view "$srv" stream -f json -c 2 -d 0.1
views_taken "$ready"

for ns in "$srv" "$cli"; do
	check_rows "$ns"
	check_selection "$ns" '$4 == "ipv4"' v4
	check_selection "$ns" '$4 == "ipv6"' v6
	check_selection "$ns" '$3 == "CLOSE_WAIT" || $3 == "TIME_WAIT"' cw-tw
	check_selection "$ns" '$4 == "ipv6" && ($3 == "SYN_SENT" ||
	    $3 == "SYN_RECV" || $3 == "CLOSING" || $3 == "LAST_ACK")' v6-some
	check_methods "$ns"
	check_methods "$ns" -6
	check_replay "$ns"
	check_processes "$ns"
done
check_listeners "$srv"
# -l: the listeners and their requests, each counted as without -l.
check_selection "$srv" '$3 == "LISTEN" || $3 == "SYN_RECV"' listening
check_selection "$srv" '($3 == "LISTEN" || $3 == "SYN_RECV") && $4 == "ipv4"' \
    listening-4
listener_requests() {
	jq -r '.listeners[] | "\(.local) \(.syn_recv)"' "$1" | sort
}
listener_requests "$V/$srv.listening" >"$T/l.requests"
listener_requests "$V/$srv.json-s" >"$T/s.requests"
same "$srv: the listeners' SYN_RECV under -l differ" "$T/s.requests" \
    "$T/l.requests"
grep -qv ' 0$' "$T/l.requests" || fail "$srv: no listener has a request"
[ "$(jq '.sockets | length' "$V/$cli.listening")" -eq 0 ] ||
	fail "sockwatch -l shows sockets in $cli, which has no listener"

# Reports with --count are JSON Lines: one whole document on each line.
[ "$(wc -l <"$V/$srv.stream")" -eq 2 ] ||
	fail "sockwatch -f json -c 2 wrote $(wc -l <"$V/$srv.stream") lines, not 2"
while read -r line; do
	printf '%s\n' "$line" | jq -e '.sockets | length > 0' >/dev/null ||
		fail "a line of sockwatch -f json -c 2 is not a whole report"
done <"$V/$srv.stream"
exit 0
