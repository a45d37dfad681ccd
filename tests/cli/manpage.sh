#!/bin/sh
# The manual page is well-formed and documents every long option of --help.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"

man="$TESTS_SRCDIR/../doc/sockwatch.8"
[ -f "$man" ] || fail "no $man"
require_cmd groff

warnings=$(groff -man -ww -z "$man" 2>&1) || fail "groff failed: $warnings"
[ -z "$warnings" ] || fail "groff warnings: $warnings"
if command -v mandoc >/dev/null 2>&1; then
	# STYLE-level remarks are taste; warnings and errors are defects.
	lint=$(mandoc -Tlint -Wwarning "$man" 2>&1)
	[ -z "$lint" ] || fail "mandoc: $lint"
else
	note "mandoc not installed: lint with groff only"
fi

opts=$("$SOCKWATCH" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
[ -n "$opts" ] || fail "--help lists no long options"
missing=""
for o in $opts; do
	# The page escapes hyphens: --no-color is written \-\-no\-color.
	pat=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
	grep -q -- "$pat" "$man" || missing="$missing $o"
done
[ -z "$missing" ] || fail "options missing from the manual page:$missing"
n=$(echo "$opts" | wc -l)
echo "manual page documents all $n long options"
