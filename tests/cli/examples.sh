#!/bin/sh
# The shipped examples work as an administrator would use them: every key
# of the example configuration is one sockwatch accepts, every rule it
# lists (--list-rules) is in it, and the commands of the cron entry and
# the systemd service run.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"

ex="$TESTS_SRCDIR/../doc/examples"
t=$(tmpdir)
rec="$TESTS_SRCDIR/data/basic.rec"

# The configuration with every setting uncommented loads cleanly.
sed -n 's/^#\([a-z][a-z0-9_.-]* = .*\)$/\1/p' "$ex/sockwatch.conf" >"$t/all.conf"
[ "$(wc -l <"$t/all.conf")" -gt 30 ] || fail "few settings in the example: $(wc -l <"$t/all.conf")"
"$SOCKWATCH" --config "$t/all.conf" --replay "$rec" -s >/dev/null ||
	fail "the example configuration does not load"
# Every rule the program has, as it lists them.
"$SOCKWATCH" --list-rules >"$t/rules" || fail "--list-rules failed"
rules=$(cut -d' ' -f1 "$t/rules")
[ "$(echo "$rules" | wc -l)" -ge 9 ] || fail "--list-rules lists few rules: $rules"
for rule in $rules; do
	grep -q "^rule\.$rule\.enabled = yes$" "$t/all.conf" ||
		fail "rule $rule is missing from the example configuration"
done

# The service's command, with the textfile directory moved here.
# It needs no shell: sockwatch writes the file and renames it itself.
cmd=$(sed -n "s/^ExecStart=\(.*\)$/\1/p" "$ex/sockwatch-textfile.service")
case $cmd in
"sockwatch "*) ;;
*) fail "ExecStart is not sockwatch itself: $cmd" ;;
esac
cmd=$(printf '%s' "$cmd" | sed "s|/var/lib/node_exporter/textfile_collector|$t|g; s|^sockwatch ||")
# shellcheck disable=SC2086
"$SOCKWATCH" $cmd >"$t/service.out" || fail "the service's command failed: $cmd"
[ ! -s "$t/service.out" ] || fail "the service's command wrote to stdout"
grep -q '^sockwatch_sockets{state="ESTABLISHED"} [0-9]' "$t/sockwatch.prom" ||
	fail "the textfile lacks the socket counts"
[ "$(ls -A "$t" | grep -c sockwatch.prom)" -eq 1 ] ||
	fail "a temporary file was left behind: $(ls -A "$t")"
grep -q '^OnCalendar=minutely$' "$ex/sockwatch-textfile.timer" || fail "timer"

# The cron entry's command runs and exits 0 whatever it finds.
cmd=$(sed -n 's/^\*\/5 \* \* \* \* root //p' "$ex/sockwatch.cron")
[ -n "$cmd" ] || fail "no command in the cron entry"
cmd=$(printf '%s' "$cmd" | sed "s|sockwatch |\"\$SOCKWATCH\" |g")
SOCKWATCH=$SOCKWATCH sh -c "$cmd" >"$t/cron.out" || fail "the cron command failed"
echo "examples: configuration, service and cron entry work"
