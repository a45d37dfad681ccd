#!/bin/sh
# locale.sh - machine output (JSON, CSV) is the same whatever the locale:
# English keys, '.' decimals. Uses de_DE.UTF-8, compiled into a private
# directory with localedef when it is not installed.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"

t=$(tmpdir)
loc=de_DE.UTF-8
if [ "$(LC_ALL=$loc locale decimal_point 2>/dev/null)" != "," ]; then
	command -v localedef >/dev/null 2>&1 || skip "no $loc and no localedef"
	mkdir "$t/locale"
	localedef -i de_DE -f UTF-8 "$t/locale/$loc" >/dev/null 2>&1 ||
		skip "cannot compile $loc (no locale sources?)"
	LOCPATH="$t/locale"
	export LOCPATH
	[ "$(LC_ALL=$loc locale decimal_point 2>/dev/null)" = "," ] ||
		skip "$loc does not take effect"
fi

for args in "-f json" "-f csv" "-f json -s" "-f csv -s"; do
	LC_ALL=C "$SOCKWATCH" --replay "$BASIC2" $args >"$t/c.out" ||
		fail "C: $args"
	LC_ALL=$loc "$SOCKWATCH" --replay "$BASIC2" $args >"$t/de.out" ||
		fail "$loc: $args"
	cmp -s "$t/c.out" "$t/de.out" || fail "$args differs under $loc"
	[ -s "$t/c.out" ] || fail "$args: no output"
done
exit 0
