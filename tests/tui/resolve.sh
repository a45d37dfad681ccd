#!/bin/sh
# tests/tui/resolve.sh - -r in the dashboard: peers by name once the
# resolver answers, and a resolver that never answers (a name server that
# reads nothing) stops neither the polls nor q.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_cmd ss unshare python3
. "$TESTS_SRCDIR/tui/tui-lib.sh"

getent hosts 127.0.0.1 | grep -qw localhost || skip "127.0.0.1 is not localhost in /etc/hosts"

ns=$(make_netns tuires)
dir=$(tmpdir)
# 1 listener on 7000, 2 connections to it.
hold_sockets "$ns" 1 2 0 0 7000

# The peers 127.0.0.1 are localhost (/etc/hosts).
tui_start 120 30 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH -N $ns -d 0.5 -r"
tui_wait "ESTABLISHED 4"
tui_wait "localhost:7000"
tui_expect "0.0.0.0:*"		# a listener's wildcard peer stays
tui_quit

# A name server that reads nothing, on the loopback of the namespace whose
# resolver -N uses, and an /etc/hosts without 127.0.0.1, for sockwatch
# alone (a mount namespace).
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:5\n' >"$dir/resolv.conf"
printf '127.0.0.2 elsewhere\n' >"$dir/hosts"
py="$dir/silent.py"
cat >"$py" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
sys.stdout.write("bound\n")
sys.stdout.flush()
time.sleep(120)
PY
ip netns exec "$ns" python3 "$py" >"$dir/silent.out" 2>&1 &
silent=$!
at_exit "kill $silent 2>/dev/null"
wait_for 10 grep -q bound "$dir/silent.out" ||
	fail "no silent name server: $(cat "$dir/silent.out")"
# It holds the resolver: a lookup waits (30 s, 5 times) rather than fail.
ip netns exec "$ns" unshare -m sh -c "mount --bind $dir/resolv.conf /etc/resolv.conf && mount --bind $dir/hosts /etc/hosts && timeout 2 getent hosts 127.0.0.1"
[ $? -eq 124 ] || fail "the silent name server does not hold a lookup"
tui_start 120 30 "unshare -m sh -c 'mount --bind $dir/resolv.conf /etc/resolv.conf && mount --bind $dir/hosts /etc/hosts && exec env LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH -N $ns -d 0.5 -r'"
tui_wait "ESTABLISHED 4"
tui_expect "127.0.0.1:7000"
# The resolver is stuck on 127.0.0.1; the table still follows the kernel.
echo "shut e1" >&9
tui_wait "CLOSE_WAIT 1"
tui_wait "FIN_WAIT2 1"
tui_reject "localhost"
# q does not wait for the lookup.
tui_quit
echo "-r names peers in the dashboard, and a stuck resolver stops nothing"
