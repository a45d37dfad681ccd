#!/bin/sh
# states.sh - sockwatch on real sockets in every TCP state, IPv4 and IPv6.
#
# tests/sockgen builds LISTEN, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT1,
# FIN_WAIT2, CLOSE_WAIT, CLOSING, LAST_ACK and TIME_WAIT sockets between two
# namespaces this test creates. In each namespace sockwatch's rows, counts
# and listeners must equal what was built and what ss sees; -4, -6, -l and
# --state must select exactly their sockets; both netlink methods must
# return the same sockets; a recording must replay as the live report.
# TIME_WAIT lasts 60 s: the checks take seconds.

. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/states-lib.sh"

require_root
require_cmd jq ss nft
[ -x "$SOCKGEN" ] || fail "no generator at $SOCKGEN: run make check"

srv=$(make_netns srv)
cli=$(make_netns cli)
link_netns "$srv" "$cli"
T=$(tmpdir)
MANIFEST=$T/manifest
start_sockgen "$MANIFEST" --server "$srv" --client "$cli" --count 2

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
	grep -q "^socket $ns .* orphan-[a-z0-9-]* kernel$" "$MANIFEST" ||
		fail "the generator built no orphan in $ns"
done

for ns in "$srv" "$cli"; do
	check_rows "$ns"
done
check_listeners "$srv"

for ns in "$srv" "$cli"; do
	check_selection "$ns" '$4 == "ipv4"' -4
	check_selection "$ns" '$4 == "ipv6"' -6
	check_selection "$ns" '$3 == "CLOSE_WAIT" || $3 == "TIME_WAIT"' \
	    --state close-wait,time-wait
	check_selection "$ns" '$4 == "ipv6" && ($3 == "SYN_SENT" ||
	    $3 == "SYN_RECV" || $3 == "CLOSING" || $3 == "LAST_ACK")' \
	    -6 --state SYN_SENT,syn-recv --state closing,lastack
	check_methods "$ns"
	check_methods "$ns" -6
	check_replay "$ns"
done
check_selection "$srv" '$3 == "LISTEN"' -l
check_selection "$srv" '$3 == "LISTEN" && $4 == "ipv4"' -l -4
[ "$(sw_json "$cli" -l | jq '.sockets | length')" -eq 0 ] ||
	fail "sockwatch -l shows sockets in $cli, which has no listener"

# Reports with --count are JSON Lines: one whole document on each line.
sw_json "$srv" -c 2 -i 0.1 >"$T/stream"
[ "$(wc -l <"$T/stream")" -eq 2 ] ||
	fail "sockwatch -f json -c 2 wrote $(wc -l <"$T/stream") lines, not 2"
while read -r line; do
	printf '%s\n' "$line" | jq -e '.sockets | length > 0' >/dev/null ||
		fail "a line of sockwatch -f json -c 2 is not a whole report"
done <"$T/stream"
exit 0
