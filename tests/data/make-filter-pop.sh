#!/bin/sh
# make-filter-pop.sh - how tests/data/filter-pop.rec was made: the mixed
# population of filter_pop_specs (tests/sys/tcpsocks.sh) in a namespace of
# its own, recorded by sockwatch. Run as root from the build tree:
#   tests/data/make-filter-pop.sh OUT.rec
out=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS_SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
SOCKWATCH=${SOCKWATCH:-$TESTS_SRCDIR/../src/sockwatch}
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/tcpsocks.sh"
require_root

ns=$(make_netns pop)
socks_start "$ns" $(filter_pop_specs)
ip netns exec "$ns" "$SOCKWATCH" -b --record "$out" >/dev/null ||
	fail "sockwatch --record $out"
socks_finish >/dev/null
