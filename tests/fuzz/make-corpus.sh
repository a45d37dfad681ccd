#!/bin/sh
# make-corpus.sh - remake the seed corpora of the fuzz targets from real
# data. Needs root and a built tree (make check builds tests/sockgen); make
# check does not run it (the seeds are in git). Usage, from a built tree:
# tests/fuzz/make-corpus.sh
#
#   corpus-replay    recordings of a population held in a namespace of its
#                    own (LISTEN, ESTABLISHED, CLOSE_WAIT, FIN_WAIT2,
#                    TIME_WAIT): polls with --check (INFO frames) and -p;
#                    and tests/data/states-v4v6-*.rec (every TCP state)
#   corpus-diag      each DUMP and INFO frame of those recordings: one
#                    netlink datagram as the kernel sent it
#   corpus-state     state files left by --check runs on that population,
#                    with thresholds low enough for findings to be saved
#   corpus-conf      doc/examples/sockwatch.conf and settings of each kind
#   corpus-counters  /proc/net/netstat, snmp, sockstat and the sysctls of
#                    the namespace, behind the two bytes that pick the
#                    parser (see fuzz_counters.c)
#   corpus-proc      this host's /proc as the fake tree fuzz_proc.c reads:
#                    the holder of the population and a few processes

top=$(cd "$(dirname "$0")/../.." && pwd)
: "${SOCKWATCH:=$top/src/sockwatch}"
: "${SOCKGEN:=$top/tests/sockgen}"
TESTS_SRCDIR=$top/tests
. "$TESTS_SRCDIR/lib.sh"

[ "$(id -u)" -eq 0 ] || fail "make-corpus.sh needs root"
[ -x "$SOCKWATCH" ] || fail "build first (make check)"
require_cmd python3
fz=$top/tests/fuzz
T=$(tmpdir)

ns=$(make_netns corpus)
hold_sockets "$ns" 2 6 3 3 7100
holder=$HOLD_PID

cat >"$T/low.conf" <<'CONF'
hysteresis.raise_after = 1
rule.close-wait.min_age_s = 0
rule.close-wait.warning_count = 1
rule.fin-wait2.warning_count = 1
rule.fin-wait2.warning_age_s = 0
rule.time-wait.warning_share = 0.0001
CONF

run() {
	ip netns exec "$ns" "$SOCKWATCH" --batch --config "$T/low.conf" "$@" \
		>/dev/null
}

# Recordings.
# Seeds named regress-* reproduce a bug once found: they stay.
for c in replay diag state conf counters proc; do
	mkdir -p "$fz/corpus-$c"
	find "$fz/corpus-$c" -type f ! -name 'regress-*' -exec rm -f {} +
done
run --check -p --record "$fz/corpus-replay/check-p.rec" -c 2 -d 0.2
run -s -l --record "$fz/corpus-replay/listen.rec" -c 1
run --state close-wait,fin-wait2 --record "$fz/corpus-replay/state.rec" -c 1
run -f json --record "$fz/corpus-replay/json.rec" -c 1 -4
cp "$top/tests/data/states-v4v6-server.rec" \
	"$top/tests/data/states-v4v6-client.rec" "$fz/corpus-replay/"

# Each netlink datagram of the recordings.
python3 - "$fz/corpus-replay" "$fz/corpus-diag" <<'PY'
import os, struct, sys
src, dst = sys.argv[1], sys.argv[2]
seen = set()
for name in sorted(os.listdir(src)):
    data = open(os.path.join(src, name), 'rb').read()
    off, n = 16, 0
    while off + 16 <= len(data):
        kind, length, _ = struct.unpack_from('=IIQ', data, off)
        body = data[off + 16:off + 16 + length]
        if kind in (2, 6) and body not in seen:
            seen.add(body)
            n += 1
            open(os.path.join(dst, '%s-%d' % (name[:-4], n)), 'wb').write(body)
        off += 16 + ((length + 7) & ~7)
PY

# State files: a first run, then one that has history and findings.
for args in "--check" "--check -p" "-s"; do
	f=$fz/corpus-state/$(echo "$args" | tr -d ' -')
	run $args --state-file "$f" ; sleep 0.3
	run $args --state-file "$f"
done
run --check --state-file "$fz/corpus-state/first"

# Configuration.
cp "$top/doc/examples/sockwatch.conf" "$fz/corpus-conf/example.conf"
cp "$T/low.conf" "$fz/corpus-conf/low.conf"
printf 'rule.syn-flood.enabled = no\nfindings.max_per_rule = 5\n' \
	>"$fz/corpus-conf/enabled"
printf '# c\n  hysteresis.clear_ratio = 0.5  # x\n\nhysteresis.clear_after=4\n' \
	>"$fz/corpus-conf/spaces"

# /proc/net and sysctls, read inside the namespace: mode byte, id byte.
i=0
for f in /proc/net/netstat /proc/net/snmp /proc/net/sockstat \
	core/somaxconn ipv4/tcp_max_syn_backlog ipv4/tcp_syncookies \
	ipv4/tcp_max_orphans ipv4/tcp_max_tw_buckets ipv4/ip_local_port_range \
	ipv4/ip_local_reserved_ports ipv4/tcp_fin_timeout ipv4/tcp_tw_reuse; do
	case $f in
	*netstat|*snmp) head='\000\000' ;;
	*sockstat) head='\001\000' ;;
	*) head="\\002\\$(printf %03o $i)"; i=$((i + 1)) ;;
	esac
	case $f in /*) p=$f ;; *) p=/proc/sys/net/$f ;; esac
	out=$fz/corpus-counters/$(basename "$f")
	{ printf "$head"; ip netns exec "$ns" cat "$p" 2>/dev/null || cat "$p"
	} >"$out"
done
# SYS_PORTS_RESERVED (7): the range, a NUL, the reserved ports.
{ printf '\002\007'; ip netns exec "$ns" cat /proc/sys/net/ipv4/ip_local_port_range
  printf '\000'; echo 8080,9000-9100; } >"$fz/corpus-counters/reserved"
{ printf '\003\077'; cat /proc/sys/kernel/random/boot_id; } \
	>"$fz/corpus-counters/boot_id"

# /proc as a fake tree: a few processes, their sockets wanted.
self_ns=$(readlink /proc/self/ns/net)
for pid in $holder $$ 1 $(pgrep -x sshd | head -2); do
	[ -d /proc/$pid ] || continue
	out=$fz/corpus-proc/pid-$pid
	{
		echo "self 1"
		n=2; [ "$(readlink /proc/$pid/ns/net)" = "$self_ns" ] && n=1
		echo "pid $pid $n $(cat /proc/$pid/comm)"
		for fd in $(ls /proc/$pid/fd | head -40); do
			l=$(readlink /proc/$pid/fd/$fd) || continue
			echo "fd $fd $l"
			case $l in socket:*) w=${l#socket:[}; echo "want ${w%]}" ;; esac
		done
		echo "want 4000000000"
		echo "budget 3"
	} >"$out"
done
ls "$fz"/corpus-* | wc -l
du -sh "$fz"/corpus-*
