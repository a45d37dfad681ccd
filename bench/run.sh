#!/bin/bash
# bench/run.sh - time sockwatch against ss on a large socket population.
#
# usage: bench/run.sh [SOCKETS [RUNS]]     (make bench SOCKETS=1000000 RUNS=5)
#
# Creates a network namespace of its own (swbench-PID), builds SOCKETS
# sockets in it with bench/popgen (half TIME_WAIT, the rest ESTABLISHED with
# some CLOSE_WAIT/FIN_WAIT2 pairs and SYN_RECV; 20 % IPv6), then times every
# command RUNS times, round-robin so that the population's drift (TIME_WAIT
# sockets live 60 s) touches all of them alike, and prints the medians of
# the wall-clock times and their ratios to `ss -tan` and `ss -s`.
# Everything runs inside the namespace, on loopback; the namespace and
# popgen are removed at exit, by name and PID.
#
# Every sockwatch run keeps its history in a state directory of the bench's
# own (SOCKWATCH_STATE_DIR), as cron's runs do: after the warm-up round each
# command loads and saves the history of the whole population. The
# exceptions, "no history", remove their state file before each run. The
# BENCH_COMPARE build keeps its history apart: a build of another state
# file version would take the other's file for corrupt and start afresh.
#
# The floor is bench/dumpcount: the kernel's walk for the requests
# `sockwatch -s` makes, counted and thrown away. The report gives every
# command against `ss -tan` and against that floor.
#
# Environment: SOCKWATCH, POPGEN, DUMPCOUNT (the binaries), BENCH_RECORD=FILE also
# writes a --record of the population (for --replay comparisons),
# BENCH_COMPARE=PATH also times another sockwatch build (before/after).
# Needs root, bash >= 5 (EPOCHREALTIME), ip, ss, nft.

set -u

SOCKETS=${1:-100000}
RUNS=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
: "${SOCKWATCH:=$here/../src/sockwatch}"
: "${POPGEN:=$here/popgen}"
: "${DUMPCOUNT:=$here/dumpcount}"
SYN_PORT=9999		# popgen.c SYN_PORT

die() {
	echo "bench: $*" >&2
	exit 1
}

# --- inside the namespace: the timing loop ------------------------------

# A run without history: its state file removed first.
nohistory() {
	rm -f "$BENCH_STATE/none"
	"$SOCKWATCH" --state-file "$BENCH_STATE/none" "$@"
}

# The compared build, with a history of its own.
other() {
	SOCKWATCH_STATE_DIR=$BENCH_STATE/other "$BENCH_COMPARE" "$@"
}

commands=(
	"raw dump (counts only)|$DUMPCOUNT"
	"sockwatch --batch (text, full)|$SOCKWATCH --batch"
	"sockwatch --batch, no history|nohistory --batch"
	"sockwatch --batch -f json|$SOCKWATCH --batch -f json"
	"sockwatch --batch -f csv|$SOCKWATCH --batch -f csv"
	"sockwatch --batch --diag-method family|$SOCKWATCH --batch --diag-method family"
	"sockwatch -s|$SOCKWATCH -s"
	"sockwatch -s, no history|nohistory -s"
	"sockwatch -s --diag-method legacy|$SOCKWATCH -s --diag-method legacy"
	"sockwatch -s --diag-method family|$SOCKWATCH -s --diag-method family"
	${BENCH_COMPARE:+"other sockwatch --batch|other --batch"}
	${BENCH_COMPARE:+"other sockwatch -s|other -s"}
	"ss -tan|ss -tan"
	"ss -s|ss -s"
)

# TIME_WAIT sockets live 60 s: popgen restarts their clocks on SIGUSR1 and
# says "refreshed" when done. Done before each round, outside the timings.
refresh() {
	local before i

	before=$(grep -c '^refreshed' "$BENCH_READY")
	kill -USR1 "$BENCH_POPGEN_PID" || die "popgen is gone"
	for i in $(seq 600); do
		if [ "$(grep -c '^refreshed' "$BENCH_READY")" -gt "$before" ]; then
			sleep 1		# the ACKs sent are still being received
			return
		fi
		sleep 0.1
	done
	die "popgen did not refresh TIME_WAIT in time"
}

# Microseconds of wall clock, user and system time of one run: "WALL USR SYS".
time_one() {
	local t0 t1 cpu status
	local TIMEFORMAT='%3U %3S'

	t0=$EPOCHREALTIME
	cpu=$( { time "$@" >/dev/null 2>/dev/null; } 2>&1 )
	status=$?
	t1=$EPOCHREALTIME
	[ $status -eq 0 ] || die "'$*' failed with status $status"
	set -- $cpu
	echo "$(( ${t1/./} - ${t0/./} )) $(awk -v u="$1" -v s="$2" \
	    'BEGIN { printf "%d %d", u * 1000000, s * 1000000 }')"
}

median() {
	tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 }
	    END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# The fastest run: on a shared machine, the one least disturbed.
fastest() {
	tr ' ' '\n' | sed '/^$/d' | sort -n | head -1
}

population() {
	"$SOCKWATCH" -s | awk '/^STATE/ { on = 1; next } on && NF == 2 && $2 > 0 \
	    { printf "%s %s  ", $1, $2 } /^$/ && on { exit }'
	echo
}

# Round r's order of the commands: shuffled, with r as the seed. A command
# pays for what the one before left to free (a dump's sockets, ss's
# memory), and gains from what it freed: for two seconds the kernel keeps
# freed huge pages before the host takes them back, and the next command
# finds them warm (in this VM: 3 ms for 64 MiB instead of 120). In a fixed
# cycle each command always followed the same one, and one build could
# look 5 % faster than another only by its neighbour.
order() {
	local -a o=( "${!commands[@]}" )
	local i j t

	RANDOM=$1
	for (( i = ${#o[@]} - 1; i > 0; i-- )); do
		j=$(( RANDOM % (i + 1) ))
		t=${o[i]} o[i]=${o[j]} o[j]=$t
	done
	echo "${o[@]}"
}

measure() {
	local i r res
	local -a walls usrs syss

	echo "population before: $(population)"
	for i in "${!commands[@]}"; do		# warm caches once
		time_one ${commands[$i]#*|} >/dev/null
	done
	for r in $(seq "$RUNS"); do
		refresh
		# Each command after half a second, in this round's order.
		for i in $(order "$r"); do
			sleep 0.5
			res=( $(time_one ${commands[$i]#*|}) ) || exit 1
			walls[$i]="${walls[$i]:-} ${res[0]}"
			usrs[$i]="${usrs[$i]:-} ${res[1]}"
			syss[$i]="${syss[$i]:-} ${res[2]}"
		done
	done
	echo "population after:  $(population)"
	for i in "${!commands[@]}"; do
		echo "${commands[$i]%%|*}|$(echo "${walls[$i]}" | median)|$(echo \
		    "${usrs[$i]}" | median)|$(echo "${syss[$i]}" | median)|$(echo \
		    "${walls[$i]}" | fastest)"
	done >"$BENCH_OUT"
	if [ -n "${BENCH_RECORD:-}" ]; then
		"$SOCKWATCH" --batch --record "$BENCH_RECORD" >/dev/null ||
			die "cannot record to $BENCH_RECORD"
	fi
}

if [ "${1:-}" = "--measure" ]; then
	SOCKETS=$2 RUNS=$3
	export SOCKWATCH_STATE_DIR=$BENCH_STATE
	measure
	exit
fi

# --- outside: namespace, population, report ------------------------------

[ "$(id -u)" -eq 0 ] || die "needs root (it builds a network namespace)"
for c in ip ss nft awk; do
	command -v $c >/dev/null 2>&1 || die "needs $c"
done
[ -x "$SOCKWATCH" ] || die "no sockwatch at $SOCKWATCH: run make first"
[ -x "$POPGEN" ] || die "no popgen at $POPGEN: run make bench"
[ -x "$DUMPCOUNT" ] || die "no dumpcount at $DUMPCOUNT: run make bench"

NS=swbench-$$
popgen_pid=""
measure_pid=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/swbench.XXXXXX") || die "mktemp"

# Background jobs are started as `ip netns exec` alone, which execs its
# command, so $! is popgen's or the measuring shell's own PID.
cleanup() {
	local p

	for p in $measure_pid $popgen_pid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

in_ns() {
	ip netns exec "$NS" "$@"
}

setup_netns() {
	local syn=$((SOCKETS / 50))

	ip netns add "$NS" || die "ip netns add $NS"
	ip -n "$NS" link set lo up
	ip -n "$NS" -6 addr add fd00:5757:a::1/128 dev lo nodad
	ip -n "$NS" -6 route add local fd00:5757:b::/48 dev lo
	in_ns sysctl -q -w \
		net.ipv4.tcp_max_tw_buckets=$((SOCKETS + 100000)) \
		net.ipv4.tcp_tw_reuse=0 \
		net.ipv4.tcp_rfc1337=1 \
		net.ipv4.tcp_syncookies=0 \
		net.ipv4.tcp_max_syn_backlog=$((4 * syn + 4096)) \
		net.core.somaxconn=$((4 * syn + 4096)) \
		net.ipv4.tcp_synack_retries=10 >/dev/null ||
		die "cannot set the namespace's sysctls"
	# SYN-ACKs to the raw SYNs must vanish before delivery: a SYN-ACK that
	# reaches the stack draws a RST and frees the request socket.
	in_ns nft -f - <<-EOF || die "cannot load the nftables rule"
	table ip popgen {
		chain pre {
			type filter hook prerouting priority raw; policy accept;
			tcp sport $SYN_PORT tcp flags & (syn | ack) == syn | ack drop
		}
	}
	EOF
}

build_population() {
	local i

	: >"$tmp/ready"
	ip netns exec "$NS" "$POPGEN" -n "$SOCKETS" </dev/null >"$tmp/ready" &
	popgen_pid=$!	# ip execs popgen: this is popgen
	for i in $(seq 6000); do	# ten minutes at most
		grep -q '^ready' "$tmp/ready" && break
		kill -0 "$popgen_pid" 2>/dev/null || die "popgen failed"
		sleep 0.1
	done
	grep -q '^ready' "$tmp/ready" || die "popgen did not finish in time"
	echo "popgen: $(cat "$tmp/ready")"
	BENCH_POPGEN_PID=$(sed -n 's/^ready pid=\([0-9]*\).*/\1/p' "$tmp/ready")
}

# Medians of each column taken separately: user + sys need not add up to
# the CPU of one run, but on a busy machine wall time can be far above it.
# "best" is the fastest run's wall time: this VM moves 15 % between runs.
report() {
	awk -F'|' '
	{ name[NR] = $1; wall[NR] = $2; usr[NR] = $3; sys[NR] = $4; best[NR] = $5 }
	$1 == "ss -tan" { tan = $2 }
	$1 == "ss -s" { sum = $2 }
	$1 ~ /^raw dump/ { raw = $2 }
	$1 ~ /^sockwatch --batch \(text/ { full = $2 }
	$1 == "sockwatch -s" { summary = $2 }
	$1 == "sockwatch --batch -f json" { json = $2 }
	$1 == "sockwatch --batch -f csv" { csv = $2 }
	END {
		printf "\n%-40s %9s %8s %8s %9s %8s %8s %9s\n", "median of runs",
		    "wall ms", "user ms", "sys ms", "/ ss -tan", "/ ss -s",
		    "/ raw", "best ms"
		for (i = 1; i <= NR; i++)
			printf "%-40s %9.1f %8.1f %8.1f %8.0f%% %7.1fx %7.2fx %9.1f\n",
			    name[i], wall[i] / 1000, usr[i] / 1000,
			    sys[i] / 1000, 100 * wall[i] / tan,
			    wall[i] / sum, wall[i] / raw, best[i] / 1000
		printf "\nwith history (targets in issue 12):\n"
		printf "  -s / raw dump:          %.2fx (<= 1.3x)\n", summary / raw
		printf "  --batch / ss -tan:      %.0f%% (<= 40%% at 1M)\n",
		    100 * full / tan
		printf "  -f json, csv / ss -tan: %.0f%%, %.0f%% (<= 50%%)\n",
		    100 * json / tan, 100 * csv / tan
	}' "$tmp/results"
}

echo "bench: $SOCKETS sockets, $RUNS runs, namespace $NS, $(nproc) CPUs, kernel $(uname -r)"
setup_netns
build_population
# In the background, so that a signal is handled at once, not after the runs.
mkdir -m 700 "$tmp/state" "$tmp/state/other" || die "mkdir $tmp/state"
BENCH_OUT=$tmp/results SOCKWATCH=$SOCKWATCH BENCH_RECORD=${BENCH_RECORD:-} \
	DUMPCOUNT=$DUMPCOUNT BENCH_STATE=$tmp/state \
	BENCH_COMPARE=${BENCH_COMPARE:-} \
	BENCH_READY=$tmp/ready BENCH_POPGEN_PID=$BENCH_POPGEN_PID \
	ip netns exec "$NS" bash "$0" --measure "$SOCKETS" "$RUNS" &
measure_pid=$!
wait "$measure_pid" || die "measuring failed"
measure_pid=""
report
