#!/bin/sh
# bench/tui-cpu.sh - what the dashboard costs: N sockets (default 100000)
# in a namespace of its own, the dashboard polling them every second
# under tmux, its CPU time over SECONDS (default 30) read from
# /proc/PID/stat. The budget is 8 % of one core for 100k sockets.
#
#   bench/tui-cpu.sh [N [SECONDS [EXTRA SOCKWATCH OPTIONS...]]]
top=$(cd "$(dirname "$0")/.." && pwd)
: "${TESTS_SRCDIR:=$top/tests}"
: "${SOCKWATCH:=$top/src/sockwatch}"
. "$TESTS_SRCDIR/lib.sh"
require_root
require_cmd python3 tmux

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

# The population runs in that inner namespace; -N takes its PID.
mkfifo "$dir/in"
ip netns exec "$outer" unshare -n sh -c \
    "ip link set lo up && exec python3 $top/bench/tui-population.py $n" \
    < "$dir/in" > "$dir/out" 2>&1 &
popid=$!
track_pid $popid
exec 9> "$dir/in"
wait_for 300 grep -q ready "$dir/out" || fail "population: $(cat "$dir/out")"
ns=$popid

tmux -L "$server" -f /dev/null new-session -d -x 120 -y 40 \
    "echo \$\$ > $dir/pid; exec env LC_ALL=C.UTF-8 TERM=xterm-256color $SOCKWATCH -N $ns -i 1 $*" ||
	fail "tmux"
wait_for 10 test -s "$dir/pid" || fail "the dashboard did not start"
pid=$(cat "$dir/pid")
sleep 5		# the first polls, the allocations that last

# utime and stime are fields 14 and 15; the command name may hold spaces,
# so count from the closing parenthesis.
ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{print $12, $13}'
}
hz=$(getconf CLK_TCK)
t0=$(ticks "$pid")
sleep "$secs"
t1=$(ticks "$pid")
tmux -L "$server" capture-pane -p | head -2 >&2
tmux -L "$server" kill-server

# The floor: the same polls as a batch summary, which only dumps and counts.
polls=10
floor=$( { /usr/bin/env time -f "%U %S" "$SOCKWATCH" -N "$ns" -s --batch \
    -c $polls -i 1 > /dev/null; } 2>&1 | tail -1)

echo "$t0 $t1 $floor" | awk -v hz="$hz" -v s="$secs" -v n="$n" -v p=$polls '{
	u = ($3 - $1) / hz; k = ($4 - $2) / hz
	printf "dashboard, %d sockets, 1 poll/s, %d s: user %.2f s + system %.2f s = %.1f %% of one core\n",
	    n, s, u, k, 100 * (u + k) / s
	printf "batch summary, same polls (the dump alone): user %.3f s + system %.3f s per poll = %.1f %% at 1 poll/s\n",
	    $5 / p, $6 / p, 100 * ($5 + $6) / p }'
