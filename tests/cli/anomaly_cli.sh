#!/bin/sh
# The anomaly engine's command line without privilege: configuration
# errors (FILE:LINE, exit 64), the state file (corrupt or a symlink: one
# warning and a fresh start; written atomically), and the prometheus and
# nagios formats.
. "$TESTS_SRCDIR/lib.sh"
require_cmd jq
T=$(tmpdir)
SW="$SOCKWATCH"

# A bad line names the file and the line, and exits 64.
printf '# ok\nhysteresis.raise_after = 2\nrule.close-wait.warn = 3\n' >"$T/bad.conf"
"$SW" --config "$T/bad.conf" --state-file "$T/st" -s >/dev/null 2>"$T/err"
status=$?
[ "$status" -eq 64 ] || fail "bad configuration exited $status, expected 64"
[ "$(cat "$T/err")" = "sockwatch: $T/bad.conf:3: rule close-wait has no setting 'warn'" ] ||
	fail "message: $(cat "$T/err")"
"$SW" --config "$T/none.conf" -s >/dev/null 2>"$T/err"
[ $? -eq 64 ] || fail "a missing --config file must exit 64"
grep -q "^sockwatch: cannot read configuration $T/none.conf" "$T/err" ||
	fail "message: $(cat "$T/err")"
# The user's file is read from $XDG_CONFIG_HOME.
mkdir -p "$T/xdg/sockwatch"
echo "nonsense" >"$T/xdg/sockwatch/sockwatch.conf"
XDG_CONFIG_HOME="$T/xdg" "$SW" -s --state-file "$T/st" >/dev/null 2>"$T/err"
[ $? -eq 64 ] || fail "a bad user configuration must exit 64"
grep -q "$T/xdg/sockwatch/sockwatch.conf:1: expected 'key = value'" "$T/err" ||
	fail "message: $(cat "$T/err")"
# A user's file another user cannot reach (a HOME left behind by su) is
# not theirs: skipped, not a usage error. Needs root to become nobody.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$SW" --version >/dev/null 2>&1; then
	chmod 700 "$T/xdg"
	setpriv --reuid=65534 --regid=65534 --clear-groups env \
	    -u SOCKWATCH_STATE_DIR \
	    XDG_CONFIG_HOME="$T/xdg" XDG_STATE_HOME=/nonexistent \
	    "$SW" -s >/dev/null 2>"$T/err" ||
		fail "an unreachable user configuration failed the run: $(cat "$T/err")"
fi
printf 'rule.orphans.enabled = no\n' >"$T/good.conf"

# A corrupt state file: one warning, a fresh start, then a good file.
echo "garbage" >"$T/state"
"$SW" --config "$T/good.conf" --state-file "$T/state" -s >/dev/null 2>"$T/err" ||
	fail "a corrupt state file must not stop the run"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "expected one warning: $(cat "$T/err")"
grep -q "^sockwatch: state file $T/state is corrupt" "$T/err" ||
	fail "message: $(cat "$T/err")"
head -c 8 "$T/state" | grep -q SOCKWST1 || fail "the state file was not rewritten"
"$SW" --config "$T/good.conf" --state-file "$T/state" -s >/dev/null 2>"$T/err"
[ ! -s "$T/err" ] || fail "a good state file gave: $(cat "$T/err")"
ls "$T" | grep -q 'state\.' && fail "a temporary state file was left behind"

# Never through a symbolic link: the target stays untouched.
echo "precious" >"$T/target"
ln -s "$T/target" "$T/link"
"$SW" --config "$T/good.conf" --state-file "$T/link" -s >/dev/null 2>"$T/err"
grep -q "^sockwatch: state file $T/link is a symbolic link" "$T/err" ||
	fail "message: $(cat "$T/err")"
[ "$(cat "$T/target")" = "precious" ] || fail "written through a symlink"

# Prometheus: every sample line is NAME{LABELS} VALUE or NAME VALUE.
"$SW" --config "$T/good.conf" --state-file "$T/state" -f prometheus \
	>"$T/prom" || fail "prometheus"
grep -q '^sockwatch_sockets{state="ESTABLISHED"} [0-9][0-9]*$' "$T/prom" ||
	fail "no state gauge"
grep -v '^#' "$T/prom" | grep -v -E '^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$' &&
	fail "a malformed prometheus line"
grep -q '^# TYPE sockwatch_anomalies gauge$' "$T/prom" || fail "no anomalies"

# Nagios: one line, the status word, perfdata after '|'.
"$SW" --config "$T/good.conf" --state-file "$T/state" --check \
	>"$T/nagios"
status=$?
[ "$status" -le 2 ] || fail "--check exited $status"
[ "$(wc -l <"$T/nagios")" -eq 1 ] || fail "nagios output is not one line"
grep -q -E "^SOCKWATCH (OK|WARNING|CRITICAL) - .* \| 'LISTEN'=[0-9]+;;;0 " \
	"$T/nagios" || fail "nagios line: $(cat "$T/nagios")"

# -f nagios exits with its verdict, as --check does: a replay whose
# findings are warnings (thresholds lowered) exits 1, its line says so.
printf '%s\n' 'hysteresis.raise_after = 1' 'rule.close-wait.min_age_s = 0' \
	'rule.close-wait.warning_count = 1' >"$T/warn.conf"
"$SOCKWATCH" --replay "$TESTS_SRCDIR/data/basic.rec" --config "$T/warn.conf" \
	-f nagios -c 1 >"$T/nagios.warn"
status=$?
grep -q "^SOCKWATCH WARNING - " "$T/nagios.warn" ||
	fail "-f nagios line: $(cat "$T/nagios.warn")"
[ "$status" -eq 1 ] || fail "-f nagios exited $status on a WARNING, expected 1"

# JSON always carries the anomalies array, and ages: proven lower bounds
# always, the age itself when known (else null).
"$SW" --config "$T/good.conf" --state-file "$T/state" -f json >"$T/json" ||
	fail "json"
jq -e '(.anomalies | type) == "array" and
	all(.sockets[]; (.age_at_least_s | type) == "number" and
	    (.state_age_at_least_s | type) == "number" and
	    ((.age_s | type) == "null" or .age_s == .age_at_least_s))' \
	"$T/json" >/dev/null || fail "JSON without anomalies or ages"

# Several findings in one report (a replay, thresholds lowered): still one
# JSON document on one line, every finding in it, and a CSV table of them.
cat >"$T/multi.conf" <<'CONF'
hysteresis.raise_after = 1
rule.close-wait.min_age_s = 0
rule.close-wait.warning_count = 1
rule.time-wait.warning_share = 0.0001
CONF
"$SOCKWATCH" --replay "$TESTS_SRCDIR/data/basic.rec" --config "$T/multi.conf" \
	-f json >"$T/multi.json" || fail "multi: json"
[ "$(wc -l <"$T/multi.json")" -eq 1 ] ||
	fail "a report with findings spans $(wc -l <"$T/multi.json") lines"
jq -e '[.anomalies[].rule] | index("close-wait") != null and
    index("time-wait") != null' "$T/multi.json" >/dev/null ||
	fail "multi: findings $(jq -c '[.anomalies[].rule]' "$T/multi.json")"
"$SOCKWATCH" --replay "$TESTS_SRCDIR/data/basic.rec" --config "$T/multi.conf" \
	-f csv-findings >"$T/multi.csv" || fail "multi: csv"
grep -q '^netns,rule,severity,subject,summary,cause,advice,pid,evidence' "$T/multi.csv" ||
	fail "multi: no CSV table of findings"
exit 0
