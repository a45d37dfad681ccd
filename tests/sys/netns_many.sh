#!/bin/sh
# -N all on a host with more namespaces than the default soft limit of
# descriptors allows: each namespace costs sockwatch a descriptor to enter
# it and a sock_diag socket inside it. With the soft limit at 48 and 40
# namespaces held by processes, sockwatch must still report every one
# (it raises its soft limit to the hard one), not die or drop some.
. "$TESTS_SRCDIR/lib.sh"
require_root
require_cmd jq unshare
T=$(tmpdir)

N=40
i=0
while [ $i -lt $N ]; do
	unshare -n sleep 60 &
	track_pid $!
	echo $! >>"$T/pids"
	i=$((i + 1))
done
# Each holds its own namespace once unshare has exec'd sleep.
for pid in $(cat "$T/pids"); do
	wait_for 10 sh -c "[ \"\$(stat -L -c %i /proc/$pid/ns/net)\" != \
\"\$(stat -L -c %i /proc/self/ns/net)\" ]" || fail "pid $pid has no namespace"
	stat -L -c %i "/proc/$pid/ns/net" >>"$T/inodes"
done
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 256 ] ||
	skip "the hard limit of descriptors is below 256"

(ulimit -Sn 48 && exec "$SOCKWATCH" -N all -f json) >"$T/all.json" \
	2>"$T/err" || fail "sockwatch -N all failed: $(cat "$T/err")"
for ino in $(cat "$T/inodes"); do
	jq -e --argjson i "$ino" '[.namespaces[] | select(.inode == $i)] |
	    length == 1' "$T/all.json" >/dev/null ||
		fail "namespace net:[$ino] is missing: $(cat "$T/err")"
done
note "$(jq '.namespaces | length' "$T/all.json") namespaces reported"
exit 0
