# tests/sys/tcpsocks.sh - hold sockets in a namespace (sockgen hold, see
# tests/sockgen_hold.c) and collect what the peers saw. Source it after
# tests/lib.sh.

# filter_pop_specs: the mixed population of tests/data/filter-pop.rec
# (IPv4, IPv6, IPv4-mapped; LISTEN, ESTABLISHED, CLOSE_WAIT, FIN_WAIT2,
# TIME_WAIT), as sockgen hold specs on one line.
filter_pop_specs() {
	_specs=""
	for _p in 80 443 8080; do
		for _a in 127.0.0.1 ::1; do
			_specs="$_specs listen:$_a:$_p est:$_a:$_p:e1 est:$_a:$_p:e2"
			_specs="$_specs closewait:$_a:$_p:c1 timewait:$_a:$_p"
		done
	done
	echo "$_specs listen:[::]:9000 est:127.0.0.1:9000:m1 listen:0.0.0.0:22"
}

# socks_start NS SPEC...: hold the sockets; returns when they are in place.
socks_start() {
	_socks_ns=$1
	shift
	hold_specs "$_socks_ns" 3 "$@"
	_socks_pid=$HOLD_PID _socks_out=$HOLD_OUT
}

# socks_finish: let sockgen hold look at its clients; prints "NAME STATE" lines.
socks_finish() {
	echo >&3
	exec 3>&-
	wait $_socks_pid
	grep -v '^ready$' "$_socks_out"
}

# sw NS ARGS...: sockwatch inside the namespace.
sw() {
	_sw_ns=$1
	shift
	ip netns exec "$_sw_ns" "$SOCKWATCH" "$@"
}

# count NS FILTER...: how many sockets the filter selects there.
count() {
	_c_ns=$1
	shift
	sw "$_c_ns" -f csv "$@" | tail -n +2 | wc -l
}
