#!/bin/sh
# Messages are translated; machine output never is.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"

require_cmd msgfmt locale
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
	skip "the zh_CN.UTF-8 locale is not generated (locale-gen zh_CN.UTF-8)"

dir=$(tmpdir)
mkdir -p "$dir/zh_CN/LC_MESSAGES"
msgfmt -c -o "$dir/zh_CN/LC_MESSAGES/sockwatch.mo" "$TESTS_SRCDIR/../po/zh_CN.po" ||
	fail "msgfmt -c po/zh_CN.po"

help=$(LC_ALL=zh_CN.UTF-8 SOCKWATCH_LOCALEDIR=$dir "$SOCKWATCH" --help) ||
	fail "--help failed under zh_CN"
# CJK ideographs start with bytes 0xe4-0xe9 in UTF-8: the help is in Chinese.
cjk=$(printf '[\344-\351]')
printf '%s' "$help" | LC_ALL=C grep -q "$cjk" || fail "--help is not translated: $help"
# Every option is still there, untranslated.
for o in --batch --format --state --netns --record --replay --help --version; do
	printf '%s' "$help" | grep -q -- "$o" || fail "$o missing from the zh_CN help"
done

err=$(LC_ALL=zh_CN.UTF-8 SOCKWATCH_LOCALEDIR=$dir "$SOCKWATCH" --state nosuch 2>&1)
[ $? -eq 64 ] || fail "bad state under zh_CN did not exit 64"
printf '%s' "$err" | grep -q '^sockwatch: ' || fail "error not prefixed: $err"
printf '%s' "$err" | LC_ALL=C grep -q "$cjk" || fail "error is not translated: $err"

# Machine output stays English with '.' decimals under any locale.
for rec in "$TESTS_SRCDIR"/data/*.rec; do
	[ -f "$rec" ] || continue
	for fmt in json csv; do
		a=$(LC_ALL=C "$SOCKWATCH" --replay "$rec" -f "$fmt")
		b=$(LC_ALL=zh_CN.UTF-8 SOCKWATCH_LOCALEDIR=$dir "$SOCKWATCH" --replay "$rec" -f "$fmt")
		[ "$a" = "$b" ] || fail "$fmt output of $rec differs under zh_CN"
	done
	checked=1
done
echo "help and errors translated; machine output identical${checked:+ on recordings}"
