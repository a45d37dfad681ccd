#!/bin/sh
# tests/tui/locale.sh - the dashboard speaks the user's language: under
# zh_CN.UTF-8 its help screen and the findings of the rules are in
# Chinese, with the keys, rule ids and TCP's state names left as they are
# typed and standardised.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
. "$TESTS_SRCDIR/tui/tui-lib.sh"
require_cmd msgfmt locale
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
	skip "the zh_CN.UTF-8 locale is not generated (locale-gen zh_CN.UTF-8)"

dir=$(tmpdir)
mkdir -p "$dir/zh_CN/LC_MESSAGES"
msgfmt -o "$dir/zh_CN/LC_MESSAGES/sockwatch.mo" "$TESTS_SRCDIR/../po/zh_CN.po" ||
	fail "msgfmt po/zh_CN.po"
rec="$TESTS_SRCDIR/data/tui-small.rec"

tui_start 110 40 "LC_ALL=zh_CN.UTF-8 SOCKWATCH_LOCALEDIR=$dir TERM=xterm $SOCKWATCH --replay $rec"
tui_wait "ESTABLISHED 10"
tui_expect "CLOSE_WAIT 4"		# state names stay English
tui_keys F1
tui_wait "F1"
cjk=$(printf '[\344-\351]')
# The help screen: most of its lines carry Chinese.
n=$(tui_screen | LC_ALL=C grep -c "$cjk")
[ "$n" -ge 10 ] || { tui_screen >&2; fail "the help screen is not in Chinese ($n lines)"; }
tui_keys Escape q
tui_wait "sockwatch-exit=0"

# A finding, in the panel and in its explanation. Thresholds low enough
# for the recording's 4 CLOSE_WAIT sockets of uid 0.
printf '%s\n' 'hysteresis.raise_after = 1' 'rule.close-wait.min_age_s = 0' \
	'rule.close-wait.warning_count = 1' >"$dir/findings.conf"
tui_start 110 40 "LC_ALL=zh_CN.UTF-8 SOCKWATCH_LOCALEDIR=$dir TERM=xterm $SOCKWATCH --config $dir/findings.conf --replay $rec"
tui_wait "close-wait    uid 0: 4 个连接处于 CLOSE_WAIT 状态，最久的至少 0ms"
tui_keys a e
tui_wait "发现的问题"
tui_expect "close-wait: uid 0"
tui_expect "找出 uid 0 在哪里丢下连接而没有调用 close()"
tui_reject "connections in CLOSE_WAIT"
tui_keys Escape Escape q
tui_wait "sockwatch-exit=0"

# The table's title: what the source reads, joined as Chinese joins it.
tui_start 110 40 "LC_ALL=zh_CN.UTF-8 SOCKWATCH_LOCALEDIR=$dir TERM=xterm $SOCKWATCH -4 --state connected --replay $rec"
tui_wait "，仅监视：IPv4，除 LISTEN/CLOSE 外的所有状态"
tui_keys q
tui_wait "sockwatch-exit=0"
echo "the dashboard's help ($n lines), findings and title are in Chinese"
