#!/bin/sh
# states-many.sh - a few hundred sockets in every TCP state: sockwatch's
# rows, counts and listeners against what tests/sockgen built and against
# ss, with both netlink methods. Many sockets fill several netlink
# datagrams per dump, which a handful never does.

. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/states-lib.sh"

build_states --count 40 --port 6100 --timeout 60

n=$(grep -c '^socket ' "$MANIFEST")
[ "$n" -ge 1500 ] || fail "the generator built $n sockets, not 1500 or more"
V=$T/views
mkdir "$V" || fail "mkdir $V"
ready=$(date +%s)
for ns in "$srv" "$cli"; do
	take_views "$ns"
done
view "$srv" json-s -f json -s
view "$srv" text-s -f text -s
view_ss "$srv" -tlnH
views_taken "$ready"

for ns in "$srv" "$cli"; do
	check_rows "$ns"
	check_methods "$ns"
	check_replay "$ns"
done
check_listeners "$srv"
exit 0
