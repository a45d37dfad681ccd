#!/bin/sh
# prometheus.sh - the textfile is valid for promtool ("promtool check
# metrics"), with --count too; a finding is one series whatever its
# severity; --output FILE replaces FILE in one rename.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
command -v promtool >/dev/null 2>&1 ||
	skip "needs promtool (Debian: apt-get install prometheus)"

t=$(tmpdir)

# promtool FILE: the exposition is valid.
lint() {
	promtool check metrics <"$1" >"$1.lint" 2>&1 ||
		fail "promtool rejects $(basename "$1"): $(cat "$1.lint")"
}

# A recording of several polls, the live host twice, -N all: one
# exposition each, every series once.
sw "$t/rec.prom" --replay "$BASIC2" -f prometheus
lint "$t/rec.prom"
sw "$t/live.prom" -c 2 -d 0.1 -f prometheus
lint "$t/live.prom"
[ "$(grep -c '^# HELP sockwatch_sockets ' "$t/live.prom")" -eq 1 ] ||
	fail "-c 2: more than one exposition"
sw "$t/find.prom" --replay "$BASIC" -f prometheus --config "$DATA/findings.conf"
lint "$t/find.prom"

# Severity is the value of a finding's series, not a label of it.
grep -q '^sockwatch_anomaly{\(netns="[^"]*",\)\{0,1\}rule="close-wait",subject="[^"]*"} [12]$' "$t/find.prom" ||
	fail "no close-wait series: $(grep anomaly "$t/find.prom")"
grep '^sockwatch_anomaly{' "$t/find.prom" | grep -q 'severity=' &&
	fail "sockwatch_anomaly carries a severity label"
# Escalating changes the value only: the same labels at both severities.
sw "$t/crit.prom" --replay "$BASIC" -f prometheus --config "$DATA/findings.conf" \
	--set rule.close-wait.critical_count=1
w=$(grep '^sockwatch_anomaly{.*rule="close-wait"' "$t/find.prom")
c=$(grep '^sockwatch_anomaly{.*rule="close-wait"' "$t/crit.prom")
[ "${w% *}" = "${c% *}" ] && [ "${w##* }" = 1 ] && [ "${c##* }" = 2 ] ||
	fail "escalation changed the series: '$w' then '$c'"

# --output: a new file renamed over the old one (a new inode), complete,
# readable by a collector running as another user, no temporary left.
sw "$t/none" --replay "$BASIC" -f prometheus --output "$t/out.prom"
[ ! -s "$t/none" ] || fail "--output also wrote to stdout"
lint "$t/out.prom"
first=$(ls -i "$t/out.prom" | awk '{ print $1 }')
sw "$t/none" --replay "$BASIC" -f prometheus --output "$t/out.prom"
second=$(ls -i "$t/out.prom" | awk '{ print $1 }')
[ "$first" != "$second" ] || fail "--output rewrote the file in place"
[ "$(stat -c %a "$t/out.prom")" = 644 ] || fail "mode $(stat -c %a "$t/out.prom")"
[ "$(ls -A "$t" | grep -c 'out\.prom')" -eq 2 ] ||	# out.prom, out.prom.lint
	fail "a temporary file was left: $(ls -A "$t")"
(cd "$t" && "$SOCKWATCH" --replay "$BASIC" -f prometheus --output rel.prom) ||
	fail "--output with a relative name"
lint "$t/rel.prom"
expect_fail 3 "cannot write $t/no/such/dir.prom" --replay "$BASIC" -f prometheus \
	--output "$t/no/such/dir.prom"
echo "prometheus: promtool passes, stable series, atomic --output"
