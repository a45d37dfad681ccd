#!/bin/sh
# filter_kernel.sh - the filter compiled for the kernel selects the same
# sockets as the filter checked in user space alone (--no-bytecode), on
# live sockets of every family; and a selective filter makes the kernel
# send less.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/tcpsocks.sh"
require_root

ns=$(make_netns bc)
d=$(tmpdir)
socks_start "$ns" $(filter_pop_specs)

# Columns that do not change between two dumps.
pick() {
	sw "$ns" -f csv "$@" | cut -d, -f1,2,3,11 | sort
}

cat >"$d/filters" <<'EOF_FILTERS'
sport = :80
sport != :80
dport >= :1024 and sport < :8080
not ( sport > :443 or dport = :80 )
src 127.0.0.0/8
src ::1
dst [::1]:443
src ::ffff:127.0.0.1
src 127.0.0.1:9000
src *:22 or dst :9000
state time-wait and src [::1]
exclude listen not dst 127.0.0.1
state close-wait or recv-q > 0 and dport = :443
not ( recv-q = 0 and sport = :8080 )
EOF_FILTERS

# Both requests carry the bytecode: the legacy one and the per-family one.
n=0
for method in legacy family; do
	while read -r filter; do
		pick --diag-method=$method "$filter" >"$d/k" ||
			fail "'$filter' failed"
		pick --no-bytecode "$filter" >"$d/u" || fail "'$filter' failed"
		cmp -s "$d/k" "$d/u" || fail "'$filter' ($method): kernel and user space differ:
$(diff "$d/k" "$d/u")"
		n=$((n + $(wc -l <"$d/k") - 1))
	done <"$d/filters"
done
[ $n -gt 100 ] || fail "the filters selected only $n sockets in all"

# The kernel sends less with the bytecode: compare the recorded dumps.
sw "$ns" --record "$d/with.rec" 'sport = :9000' >/dev/null || fail "record"
sw "$ns" --record "$d/without.rec" --no-bytecode 'sport = :9000' >/dev/null ||
	fail "record"
with=$(wc -c <"$d/with.rec")
without=$(wc -c <"$d/without.rec")
[ "$with" -lt $((without / 2)) ] ||
	fail "bytecode did not shrink the dump: $with vs $without bytes"
exit 0
