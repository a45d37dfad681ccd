#!/bin/sh
# tests/tui/names.sh - the dashboard shows a process's own name through the
# sanitiser once (issue 11): 'a\b' is "a\\b" and 'e<ESC>x' is "e\x1bx", not
# escaped a second time ("a\\\\b", "e\\x1bx"), and no ESC reaches the screen.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_sockgen
. "$TESTS_SRCDIR/tui/tui-lib.sh"

ns=$(make_netns names)
dir=$(tmpdir)
port=7400
for name in 'a\b' "$(printf 'e\033x')"; do
	ln -s "$SOCKGEN" "$dir/$name" || fail "ln -s"
	mkfifo "$dir/in$port" || fail "mkfifo"
	ip netns exec "$ns" "$dir/$name" hold -H 600 listen:127.0.0.1:$port \
		<"$dir/in$port" >"$dir/out$port" 2>&1 &
	track_pid $!
	eval "exec $((port - 7394))>\"\$dir/in$port\""
	wait_for 20 grep -q ready "$dir/out$port" ||
		fail "hold as $name: $(cat "$dir/out$port")"
	port=$((port + 1))
done

tui_start 120 30 "LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N $ns -p -d 0.5"
tui_wait "LISTEN 2"
tui_wait '/a\\b' 10
tui_wait '/e\x1bx'
tui_screen >"$dir/screen"
grep -qF 'a\\\\b' "$dir/screen" && fail "'a\\b' escaped twice: $(cat "$dir/screen")"
grep -qF 'e\\x1bx' "$dir/screen" && fail "ESC escaped twice: $(cat "$dir/screen")"
tui_screen_attrs | grep -q "$(printf 'e\033x')" && fail "a raw ESC on the screen"
tui_keys q
tui_wait "sockwatch-exit=0"
exit 0
