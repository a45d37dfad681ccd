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
	for fmt in json csv csv-findings; do
		a=$(LC_ALL=C "$SOCKWATCH" --replay "$rec" -f "$fmt")
		b=$(LC_ALL=zh_CN.UTF-8 SOCKWATCH_LOCALEDIR=$dir "$SOCKWATCH" --replay "$rec" -f "$fmt")
		[ "$a" = "$b" ] || fail "$fmt output of $rec differs under zh_CN"
	done
	checked=1
done

# Findings: in Chinese where people read them (text, nagios), English in
# JSON and CSV. Thresholds low enough for one poll of basic.rec to raise
# close-wait (2 connections) and accept-queue (1 of 8).
rec=$TESTS_SRCDIR/data/basic.rec
conf=$dir/findings.conf
printf '%s\n' 'hysteresis.raise_after = 1' 'rule.close-wait.min_age_s = 0' \
	'rule.close-wait.warning_count = 1' \
	'rule.accept-queue.warning_share = 0.01' >"$conf"
zh() { LC_ALL=zh_CN.UTF-8 SOCKWATCH_LOCALEDIR=$dir "$SOCKWATCH" --config "$conf" --replay "$rec" "$@"; }
en() { LC_ALL=C "$SOCKWATCH" --config "$conf" --replay "$rec" "$@"; }
zh -s >"$dir/zh.txt" || fail "text report under zh_CN failed"
en -s >"$dir/en.txt" || fail "text report under C failed"
grep -q '^          2 connections in CLOSE_WAIT, the oldest for at least 0ms$' "$dir/en.txt" ||
	fail "no English close-wait finding: $(cat "$dir/en.txt")"
grep -q '^          2 个连接处于 CLOSE_WAIT 状态，最久的至少 0ms$' "$dir/zh.txt" ||
	fail "the close-wait finding is not in Chinese: $(cat "$dir/zh.txt")"
grep -q '127.0.0.1:7001 的 accept 队列中有 1 个连接，上限为 8' "$dir/zh.txt" ||
	fail "the accept-queue finding is not in Chinese: $(cat "$dir/zh.txt")"
grep -q 'close() the sockets\|has not called close()' "$dir/zh.txt" &&
	fail "English cause left in the zh_CN text report"
grep -q '^警告 *close-wait *uid 0$' "$dir/zh.txt" ||
	fail "rule ids and subjects must stay as they are: $(cat "$dir/zh.txt")"
zh --check >"$dir/zh.nagios"
grep -q '^SOCKWATCH WARNING - .*close-wait uid 0: 2 个连接处于 CLOSE_WAIT' "$dir/zh.nagios" ||
	fail "nagios finding is not in Chinese: $(cat "$dir/zh.nagios")"
for fmt in json csv-findings; do
	zh -f "$fmt" >"$dir/zh.$fmt" || fail "-f $fmt under zh_CN failed"
	en -f "$fmt" >"$dir/en.$fmt" || fail "-f $fmt under C failed"
	cmp -s "$dir/zh.$fmt" "$dir/en.$fmt" ||
		fail "-f $fmt with findings differs under zh_CN: $(diff "$dir/en.$fmt" "$dir/zh.$fmt")"
	LC_ALL=C grep -q "$cjk" "$dir/zh.$fmt" && fail "Chinese in -f $fmt"
	grep -q '2 connections in CLOSE_WAIT, the oldest for at least 0ms' "$dir/zh.$fmt" ||
		fail "-f $fmt lost the English summary"
	grep -q 'the peer closed; the process has not called close()' "$dir/zh.$fmt" ||
		fail "-f $fmt lost the English cause"
done
echo "help, errors and findings translated; machine output identical${checked:+ on recordings}"
