#!/bin/sh
# hostile_names.sh - any local user names their process (a program's name
# becomes its comm; prctl(PR_SET_NAME) does the same). Three servers called
# 'a|b', '=cmd' and 'e<ESC>[2Jx' hold CLOSE_WAIT sockets (issue 11):
# the Nagios status line keeps one '|', a CSV cell does not start a formula
# ('=cmd, as OWASP advises), no ESC reaches the text report, and JSON gives
# back each name's bytes.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/sys/anomaly_lib.sh"

cat >>"$T/sockwatch.conf" <<CONF
rule.close-wait.min_age_s = 0
rule.close-wait.warning_count = 3
CONF
esc=$(printf 'e\033[2Jx')
port=8081
for name in 'a|b' '=cmd' "$esc"; do
	ln -s "$SOCKGEN" "$T/$name" || fail "ln -s $name"
	ip netns exec "$A" "$T/$name" server --addr 10.201.0.1 --port $port \
		--mode hold --seconds 60 --ready "$T/s$port.ready" \
		2>"$T/s$port.err" &
	track_pid $!
	wait_for 15 test -s "$T/s$port.ready" || fail "server $port: $(cat "$T/s$port.err")"
	[ "$(cat "/proc/$(cat "$T/s$port.ready")/comm")" = "$name" ] ||
		fail "server $port is not called $name"
	in_ns "$B" "$SOCKGEN" clients --addr 10.201.0.1 --port $port \
		--count 4 --mode close --seconds 20 || fail "clients of $port"
	port=$((port + 1))
done
wait_for 10 sh -c "[ \$(ip netns exec $A ss -tnH state close-wait | wc -l) -eq 12 ]" ||
	fail "the servers' sockets did not reach CLOSE_WAIT"

# Nagios: one line, its only '|' starts the perfdata. (Findings' subjects
# no longer name processes, so no name reaches the status text here; with
# -N all a namespace's name does, through the same \x7c escape.)
"$SOCKWATCH" -N "$A" --check -p -d 0.5 --config "$T/sockwatch.conf" \
	--state-file "$T/state.nagios" >"$T/nagios" 2>"$T/nagios.err"
st=$?
[ $st -eq 1 ] || fail "--check exited $st: $(cat "$T/nagios" "$T/nagios.err")"
[ "$(wc -l <"$T/nagios")" -eq 1 ] || fail "not one line: $(cat "$T/nagios")"
[ "$(tr -cd '|' <"$T/nagios" | wc -c)" -eq 1 ] ||
	fail "more than one '|': $(cat "$T/nagios")"
LC_ALL=C grep -q "$(printf '\033')" "$T/nagios" && fail "ESC in the nagios line"

# CSV: the process cells, read back by Python's csv module.
"$SOCKWATCH" -N "$A" -p -f csv state close-wait >"$T/csv" 2>"$T/csv.err" ||
	fail "csv: exit $?: $(cat "$T/csv.err")"
python3 - "$T/csv" >"$T/cells" <<'PY' || fail "csv: not read back"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
col = rows[0].index("process")
for r in rows[1:]:
    if len(r) > col:
        print(r[col])
PY
[ "$(grep -cx "'=cmd" "$T/cells")" -eq 4 ] || fail "'=cmd cells: $(sort -u "$T/cells")"
grep -q '^=' "$T/cells" && fail "a cell starts a formula"
[ "$(grep -cxF 'a|b' "$T/cells")" -eq 4 ] || fail "a|b cells: $(sort -u "$T/cells")"
[ "$(grep -cxF 'e\x1b[2Jx' "$T/cells")" -eq 4 ] || fail "ESC cells: $(sort -u "$T/cells")"
LC_ALL=C grep -q "$(printf '\033')" "$T/csv" && fail "ESC in the CSV"

# Text: sanitised once.
"$SOCKWATCH" -N "$A" -p state close-wait >"$T/text" 2>"$T/text.err" ||
	fail "text: exit $?"
LC_ALL=C grep -q "$(printf '\033')" "$T/text" && fail "ESC in the text report"
[ "$(grep -cF '/e\x1b[2Jx' "$T/text")" -eq 4 ] || fail "text: $(cat "$T/text")"

# JSON: the bytes themselves, \u001b once, never "\\x1b".
"$SOCKWATCH" -N "$A" -p -f json state close-wait >"$T/json" 2>"$T/json.err" ||
	fail "json: exit $?"
grep -qF '"process":"e\u001b[2Jx"' "$T/json" || fail "JSON: $(cat "$T/json")"
for name in 'a|b' '=cmd' "$esc"; do
	[ "$(jq --arg n "$name" '[.sockets[] | select(.process == $n)] | length' \
	    "$T/json")" -eq 4 ] || fail "JSON lacks the exact name $name"
done
exit 0
