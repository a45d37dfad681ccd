#!/bin/sh
# make-filter-pop.sh - how tests/data/filter-pop.rec was made: a small mixed
# population (IPv4, IPv6, IPv4-mapped; LISTEN, ESTABLISHED, CLOSE_WAIT,
# FIN_WAIT2, TIME_WAIT) in a namespace of its own, recorded by sockwatch.
# Run as root from the build tree: tests/data/make-filter-pop.sh OUT.rec
set -eu
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
ns=sw-$$-pop
ip netns add "$ns"
pid=""
trap 'kill $pid 2>/dev/null || :; ip netns del "$ns"' EXIT
ip -n "$ns" link set lo up
specs=""
for p in 80 443 8080; do
	for a in 127.0.0.1 ::1; do
		specs="$specs listen:$a:$p est:$a:$p:e1 est:$a:$p:e2"
		specs="$specs closewait:$a:$p:c1 timewait:$a:$p"
	done
done
specs="$specs listen:[::]:9000 est:127.0.0.1:9000:m1 listen:0.0.0.0:22"
mkfifo "/tmp/$ns.fifo"
ip netns exec "$ns" python3 "$top/tests/sys/tcpsocks.py" $specs \
	<"/tmp/$ns.fifo" >"/tmp/$ns.out" &
pid=$!
exec 3>"/tmp/$ns.fifo"
i=0
until grep -q ready "/tmp/$ns.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || exit 1; sleep 0.1
done
ip netns exec "$ns" "$top/src/sockwatch" -b --record "$out" >/dev/null
echo >&3
wait $pid || true
rm -f "/tmp/$ns.fifo" "/tmp/$ns.out"
