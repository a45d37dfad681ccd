#!/bin/sh
# kill_boundary.sh - only src/kill.c may send SOCK_DESTROY: the privileged
# action stays in one file that can be audited (mtr keeps its raw socket
# code apart the same way).
. "$TESTS_SRCDIR/lib.sh"

src=$TESTS_SRCDIR/../src
[ -f "$src/kill.c" ] || fail "src/kill.c is missing"
grep -q 'SOCK_DESTROY' "$src/kill.c" ||
	fail "src/kill.c no longer names SOCK_DESTROY: update this test"
bad=$(grep -rlI 'SOCK_DESTROY' "$src" | grep -v '/src/kill\.c$')
[ -z "$bad" ] || fail "SOCK_DESTROY appears outside src/kill.c: $bad"
exit 0
