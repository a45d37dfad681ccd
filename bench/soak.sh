#!/bin/sh
# bench/soak.sh - the churn soak (make soak): RATE short connections a
# second (default 3000) opened and closed for SECONDS (default 60) in a
# namespace of its own, which also holds a listener and 250 connections
# to it (500 ESTABLISHED sockets), while these run against it:
#   - the dashboard, under tmux, one poll every 0.5 s;
#   - sockwatch -c N -d 1 -f json -s, one report a second;
#   - every 2 s, sockwatch -s -f json and ss -tan back to back.
# It prints the RSS of the dashboard and of the -c run at start (after
# their first polls) and at the end, their errors, and how the counts
# differ from ss's: for the held population, which must be exact, and for
# the whole table (sampled back to back, churn moves between the two).
#
#   bench/soak.sh [SECONDS [RATE]]      (root; needs tmux, jq)
top=$(cd "$(dirname "$0")/.." && pwd)
: "${TESTS_SRCDIR:=$top/tests}"
: "${SOCKWATCH:=$top/src/sockwatch}"
: "${CHURN:=$top/bench/churn}"
. "$TESTS_SRCDIR/lib.sh"
require_root
require_cmd tmux jq ss
[ -x "$CHURN" ] || fail "no $CHURN: run make soak"
secs=${1:-60}
rate=${2:-3000}
dir=$(tmpdir)
ns=$(make_netns soak)
hold_sockets "$ns" 1 250 0 0 7000
held='sport = :7000 or dport = :7000'
server="sw-$$-soak"
at_exit "tmux -L $server kill-server >/dev/null 2>&1"

rss() {
	awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo gone
}

ip netns exec "$ns" "$CHURN" -p 7500 -r "$rate" -t "$secs" -w 2 \
    >"$dir/churn" 2>&1 &
churn=$!
track_pid $churn
tmux -L "$server" -f /dev/null new-session -d -x 120 -y 40 \
    "echo \$\$ > $dir/tui.pid; exec env LC_ALL=C.UTF-8 TERM=xterm-256color SOCKWATCH_STATE_DIR=$dir $SOCKWATCH -N $ns -d 0.5 2>$dir/tui.err" ||
	fail "tmux"
"$SOCKWATCH" -N "$ns" -c "$secs" -d 1 -f json -s >"$dir/batch.json" \
    2>"$dir/batch.err" &
batch=$!
track_pid $batch
wait_for 10 test -s "$dir/tui.pid" || fail "the dashboard did not start"
tui=$(cat "$dir/tui.pid")
sleep 3
tui_rss0=$(rss "$tui") batch_rss0=$(rss "$batch")
pop0=$(ip netns exec "$ns" ss -tanH | wc -l)

# Back-to-back samples until the churn ends: "held total_sw total_ss
# est_sw est_ss tw_sw tw_ss" per line.
while kill -0 "$churn" 2>/dev/null; do
	h=$("$SOCKWATCH" -N "$ns" -s -f json $held |
	    jq '.states.ESTABLISHED + .states.LISTEN')
	sw=$("$SOCKWATCH" -N "$ns" -s -f json |
	    jq -r '[([.states[]] | add), .states.ESTABLISHED,
	    .states.TIME_WAIT] | map(tostring) | join(" ")')
	ss=$(ip netns exec "$ns" ss -tanH | awk '{ n++; s[$1]++ } END {
	    print n + 0, s["ESTAB"] + 0, s["TIME-WAIT"] + 0 }')
	echo "$h $sw $ss" | awk '{ print $1, $2, $5, $3, $6, $4, $7 }' \
	    >>"$dir/samples"
	sleep 2
done
tui_rss1=$(rss "$tui") batch_rss1=$(rss "$batch")
pop1=$(ip netns exec "$ns" ss -tanH | wc -l)
tmux -L "$server" capture-pane -p >"$dir/screen"
tui_alive=no
kill -0 "$tui" 2>/dev/null && tui_alive=yes
tmux -L "$server" kill-server
wait "$batch"
batch_status=$?

set -- $(cat "$dir/churn")
echo "soak: $secs s in namespace $ns, churn asked $rate/s: $2 connections" \
    "($(echo "$2 $4" | awk '{ printf "%.0f", $1 / $2 }')/s), $3 errors"
echo "sockets in the namespace (ss): $pop0 at start, $pop1 at end" \
    "(TIME_WAIT lasts 60 s)"
echo "dashboard: RSS $tui_rss0 KiB at start, $tui_rss1 KiB at end;" \
    "running at end: $tui_alive; stderr lines: $(wc -l <"$dir/tui.err")"
echo "sockwatch -c $secs: RSS $batch_rss0 KiB at start, $batch_rss1 KiB" \
    "at end; exit $batch_status; reports: $(jq -s length "$dir/batch.json");" \
    "stderr lines: $(wc -l <"$dir/batch.err")"
awk '
function abs(x) { return x < 0 ? -x : x }
{
	n++; if ($1 == 501) exact++
	d = abs($2 - $3); t += d; if (d > tm) tm = d
	d = abs($4 - $5); e += d; if (d > em) em = d
	d = abs($6 - $7); w += d; if (d > wm) wm = d
	sum += $3
}
END {
	if (n == 0) { print "count against ss: no samples"; exit }
	printf "held population (501 sockets): exact in %d of %d samples\n", exact, n
	printf "against ss, sampled back to back (%d samples, mean %.0f sockets):\n", n, sum / n
	printf "  total     mean |diff| %.1f, max %d\n", t / n, tm
	printf "  ESTAB     mean |diff| %.1f, max %d\n", e / n, em
	printf "  TIME_WAIT mean |diff| %.1f, max %d\n", w / n, wm
}' "$dir/samples"
[ -s "$dir/tui.err" ] && sed 's/^/dashboard: /' "$dir/tui.err"
[ -s "$dir/batch.err" ] && sed 's/^/sockwatch -c: /' "$dir/batch.err"
exit 0
