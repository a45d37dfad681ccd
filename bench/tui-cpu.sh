#!/bin/sh
# bench/tui-cpu.sh - what the dashboard costs: N sockets (default 100000)
# in a namespace of its own, the dashboard polling them every second
# under tmux, its CPU time over SECONDS (default 30) read from
# /proc/PID/stat, its RSS per socket from /proc/PID/status (at the end,
# and its peak). The budget is 8 % of one core for 100k sockets. Measured
# on the same population: the dashboard as it starts (--cpu-budget 8),
# the dashboard asking for every socket at every poll (--cpu-budget 0),
# and `ss -tan` once a second (watch ss), the cost a user compares with.
#
#   bench/tui-cpu.sh [N [SECONDS [EXTRA SOCKWATCH OPTIONS...]]]
top=$(cd "$(dirname "$0")/.." && pwd)
: "${TESTS_SRCDIR:=$top/tests}"
: "${SOCKWATCH:=$top/src/sockwatch}"
. "$TESTS_SRCDIR/lib.sh"
require_root
require_cmd tmux
: "${POPGEN:=$top/bench/popgen}"
[ -x "$POPGEN" ] || skip "no $POPGEN: run make bench-tui"

n=${1:-100000}
secs=${2:-30}
shift 2 2>/dev/null
# The kernel walks a whole established-hash table per dump, and by
# default every namespace shares the host's: other work on this machine
# would be measured too. A namespace created from inside one whose
# tcp_child_ehash_entries is set gets a table of its own, as a host does.
outer=$(make_netns bench-outer)
ip netns exec "$outer" sysctl -qw net.ipv4.tcp_child_ehash_entries=262144 ||
	skip "this kernel has no per-namespace TCP hash tables"
dir=$(tmpdir)
server="sw-$$-bench"
at_exit "tmux -L $server kill-server >/dev/null 2>&1"

# The population (ESTABLISHED pairs, IPv4) runs in that inner namespace;
# -N takes its PID. Every command execs the next: $! is popgen's PID.
ip netns exec "$outer" unshare -n sh -c \
    "ip link set lo up && exec $POPGEN -e -6 0 -n $n" \
    </dev/null >"$dir/out" 2>&1 &
popid=$!
track_pid $popid
wait_for 300 grep -q ready "$dir/out" || fail "population: $(cat "$dir/out")"
ns=$popid

# CPU seconds (user, system) a process has used; the command name may hold
# spaces, so count from the closing parenthesis.
ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{print $12, $13}'
}
hz=$(getconf CLK_TCK)

# One dashboard under tmux for $secs seconds: prints "LABEL USER SYS".
measure_dashboard() {
	label=$1
	shift
	rm -f "$dir/pid"
	tmux -L "$server" -f /dev/null new-session -d -x 120 -y 40 \
	    "echo \$\$ > $dir/pid; exec env LC_ALL=C.UTF-8 TERM=xterm-256color SOCKWATCH_STATE_DIR=$dir $SOCKWATCH -N $ns -d 1 $*" ||
		fail "tmux"
	wait_for 10 test -s "$dir/pid" || fail "the dashboard did not start"
	pid=$(cat "$dir/pid")
	sleep 5		# the first polls, the allocations that last
	t0=$(ticks "$pid")
	sleep "$secs"
	t1=$(ticks "$pid")
	rss=$(kib "$pid" VmRSS)
	peak=$(kib "$pid" VmHWM)
	tmux -L "$server" capture-pane -p | head -1 >&2
	tmux -L "$server" kill-server
	echo "$label $t0 $t1 $rss $peak" | awk -v hz="$hz" \
	    '{ print $1, ($4 - $2) / hz, ($5 - $3) / hz, $6, $7 }'
}

# A memory figure of /proc/PID/status, in KiB.
kib() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}

{
	measure_dashboard paced "$@"
	measure_dashboard unpaced --cpu-budget 0 "$@"
	# watch ss: ten runs of ss -tan in the namespace, CPU per run.
	polls=10
	/usr/bin/env time -f "ss %U %S" sh -c "i=0; while [ \$i -lt $polls ]; do
	    nsenter -t $ns -n ss -tan > /dev/null; i=\$((i + 1)); done" 2>&1 |
	    awk -v p=$polls -v s="$secs" '/^ss / { print "ss", $2 / p * s, $3 / p * s }'
} > "$dir/results"

awk -v s="$secs" -v n="$n" '
	{ u[$1] = $2; k[$1] = $3; pct[$1] = 100 * ($2 + $3) / s
	  rss[$1] = $4; peak[$1] = $5 }
	END {
		printf "%d sockets, one poll a second, CPU over %d s (share of one core):\n", n, s
		printf "  dashboard (default, --cpu-budget 8)  user %5.2f s  system %5.2f s  %5.1f %%\n", u["paced"], k["paced"], pct["paced"]
		printf "  dashboard --cpu-budget 0             user %5.2f s  system %5.2f s  %5.1f %%\n", u["unpaced"], k["unpaced"], pct["unpaced"]
		printf "  ss -tan every second (watch ss)      user %5.2f s  system %5.2f s  %5.1f %%\n", u["ss"], k["ss"], pct["ss"]
		split("paced unpaced", ms, " ")
		for (i = 1; i <= 2; i++)
			if (rss[m = ms[i]] != "")
				printf "  %-8s RSS %4.0f B a socket (peak %4.0f), user/system %.2f\n", m, rss[m] * 1024 / n, peak[m] * 1024 / n, (k[m] > 0 ? u[m] / k[m] : 0)
		if (pct["ss"] > 0)
			printf "  ratio to ss -tan: default %.2f, --cpu-budget 0 %.2f\n", pct["paced"] / pct["ss"], pct["unpaced"] / pct["ss"]
	}' "$dir/results"
