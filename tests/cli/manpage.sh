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

# Every format has its section under OUTPUT FORMATS.
fmts=$("$SOCKWATCH" --list-formats) || fail "--list-formats failed"
[ -n "$fmts" ] || fail "--list-formats lists nothing"
for f in $fmts; do
	pat=$(printf '%s' "$f" | sed 's/-/\\\\-/g')
	grep -q "^\.SS $pat\$" "$man" || missing="$missing $f"
done
[ -z "$missing" ] || fail "formats without a section in the manual page:$missing"
echo "manual page documents all $n long options and $(echo $fmts | wc -w) formats"
