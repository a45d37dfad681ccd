#!/bin/sh
# nagios.sh - sockwatch --check as a Nagios plugin: an error in the command
# line or the configuration is "SOCKWATCH UNKNOWN - ..." on stdout and exit
# 3 (the usual line on stderr too); --set changes a threshold for one run;
# every perfdata item is valid by the plugin guidelines.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
require_cmd python3

t=$(tmpdir)

# unknown PATTERN ARGS...: exit 3, one UNKNOWN line on stdout, one
# "sockwatch: " line on stderr, both holding PATTERN.
unknown() {
	_pat=$1
	shift
	"$SOCKWATCH" "$@" >"$t/u.out" 2>"$t/u.err"
	_st=$?
	[ "$_st" -eq 3 ] || fail "sockwatch $*: exit $_st, expected 3 (UNKNOWN)"
	[ "$(wc -l <"$t/u.out")" -eq 1 ] && grep -q "^SOCKWATCH UNKNOWN - .*$_pat" "$t/u.out" ||
		fail "sockwatch $*: stdout is not one UNKNOWN line: $(cat "$t/u.out")"
	grep -q '|' "$t/u.out" && fail "sockwatch $*: a '|' would start perfdata"
	[ "$(wc -l <"$t/u.err")" -eq 1 ] && grep -q "^sockwatch: .*$_pat" "$t/u.err" ||
		fail "sockwatch $*: stderr: $(cat "$t/u.err")"
}

unknown "unknown option '--bogus'" --check --bogus --replay "$BASIC"
unknown "unknown option '--bogus'" --bogus --check --replay "$BASIC"
unknown "unknown option '--bogus'" --bogus --chec --replay "$BASIC"
unknown "bad count 'x'" --check -c x --replay "$BASIC"
unknown "filter: col 1: unknown term 'nonsense'" --check --replay "$BASIC" nonsense
unknown "cannot read configuration" --check --config "$t/missing.conf" --replay "$BASIC"
printf 'rule.close-wait.warning_count = many\n' >"$t/bad.conf"
unknown "bad.conf:1:" --check --config "$t/bad.conf" --replay "$BASIC"
unknown "unknown rule 'nope'" --check --set rule.nope.warning_count=1 --replay "$BASIC"
unknown "--set rule.close-wait.warning_count" --check --set rule.close-wait.warning_count --replay "$BASIC"
unknown "rule close-wait has no setting 'bogus'" --check --set rule.close-wait.bogus=1 --replay "$BASIC"
# A run that is not a plugin keeps the usual 64 and a silent stdout.
expect_fail 64 "unknown option '--bogus'" --bogus --replay "$BASIC"
expect_fail 64 "unknown rule 'nope'" --set rule.nope.x=1 --replay "$BASIC"
# "--" ends the options: a later --check is a filter word, not the mode.
expect_fail 64 "unknown option '--bogus'" --bogus --replay "$BASIC" -- --check

# --set: thresholds for one run, any key of the file, later ones winning.
"$SOCKWATCH" --check --replay "$BASIC" >"$t/plain.out"
plain=$?
"$SOCKWATCH" --check --replay "$BASIC" --set hysteresis.raise_after=1 \
	--set rule.close-wait.min_age_s=0 --set rule.close-wait.warning_count=5 \
	--set rule.close-wait.warning_count=1 >"$t/set.out"
set=$?
[ "$set" -ge 1 ] && [ "$set" -ne "$plain" ] ||
	fail "--set changed no verdict: $plain then $set: $(cat "$t/set.out")"
grep -q 'close-wait' "$t/set.out" || fail "--set: no close-wait finding: $(cat "$t/set.out")"
"$SOCKWATCH" --check --replay "$BASIC" --set hysteresis.raise_after=1 \
	--set rule.close-wait.min_age_s=0 --set rule.close-wait.warning_count=1 \
	--set rule.close-wait.enabled=no >"$t/off.out"
grep -q 'close-wait' "$t/off.out" && fail "--set enabled=no left the rule on"

# Perfdata of every recording, valid by the guidelines.
for rec in "$DATA"/*.rec; do
	"$SOCKWATCH" --check --replay "$rec" >"$t/p.out"
	python3 "$TESTS_SRCDIR/perfdata.py" <"$t/p.out" ||
		fail "invalid perfdata for $(basename "$rec"): $(cat "$t/p.out")"
done
echo "nagios: UNKNOWN on errors, --set, valid perfdata"
