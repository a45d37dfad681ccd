#!/bin/sh
# filter_cli.sh - FILTER on the command line: errors name the column and
# exit 64, a recording is filtered like the kernel would, and --kill refuses
# what it must refuse.
. "$TESTS_SRCDIR/lib.sh"
require_cmd jq python3

rec=$TESTS_SRCDIR/data/filter-pop.rec
d=$(tmpdir)

# usage_error EXPECTED-STDERR ARGS...: exit 64 and exactly that message.
usage_error() {
	want=$1
	shift
	"$SOCKWATCH" "$@" >"$d/out" 2>"$d/err"
	st=$?
	[ $st -eq 64 ] || fail "'$*' exited $st, expected 64"
	[ "$(cat "$d/err")" = "$want" ] ||
		fail "'$*' said '$(cat "$d/err")', expected '$want'"
	[ ! -s "$d/out" ] || fail "'$*' wrote to stdout"
}

usage_error "sockwatch: filter: col 14: expected a port after ':'" \
	--replay "$rec" src 10.0.0.1:
usage_error "sockwatch: filter: col 27: expected ')' to close the '(' at col 14" \
	--replay "$rec" state listen '(' sport = :80
usage_error "sockwatch: filter: col 1: unknown term 'prot': use state, exclude, sport, dport, src, dst, age, state-age, process, pid, uid, recv-q, send-q or retrans" \
	--replay "$rec" prot 80

# rows FILTER...: the number of sockets a filter selects from the recording.
rows() {
	"$SOCKWATCH" --replay "$rec" -f csv "$@" >"$d/csv" ||
		fail "'$*' failed"
	echo $(($(wc -l <"$d/csv") - 1))
}

[ "$(rows)" -eq 52 ] || fail "the recording should hold 52 sockets"
[ "$(rows 'sport = :80')" -eq 10 ] || fail "sport = :80: $(rows 'sport = :80')"
# Arguments are joined with spaces, as ss does.
[ "$(rows sport = :80 and src ::1)" -eq 5 ] || fail "joined arguments"
[ "$(rows 'state close-wait' or state time-wait)" -eq 12 ] || fail "or"
[ "$(rows --state close-wait 'sport = :443')" -eq 2 ] || fail "--state and FILTER"
[ "$(rows -4 'not ( state listen or src 127.0.0.1 )')" -eq 0 ] || fail "not"
[ "$(rows 'src 127.0.0.0/8:9000')" -eq 1 ] || fail "IPv4-mapped"
[ "$(rows 'recv-q > 0')" -eq 6 ] || fail "recv-q"
[ "$(rows 'exclude listen exclude established')" -eq 18 ] || fail "exclude"

usage_error "sockwatch: --kill needs a FILTER, so that it never destroys every socket by accident: give one such as 'state close-wait and dport = :8080': see 'sockwatch --help'" \
	--kill --yes
usage_error "sockwatch: --kill and --readonly cannot be used together: see 'sockwatch --help'" \
	--kill --readonly 'sport = :1'
usage_error "sockwatch: --kill destroys live sockets: it cannot be used with --replay: see 'sockwatch --help'" \
	--kill --replay "$rec" 'sport = :1'
usage_error "sockwatch: --yes and --dry-run go with --kill: see 'sockwatch --help'" \
	--dry-run 'sport = :1'
# Ages come from the model: TIME_WAIT's time in state from its timer
# (basic.rec has one, 0.8 s into its 60 s), a known age; the connection
# began before that, how long before nobody can tell: its age is at least
# 0.8 s, so neither younger nor older than 30 s. The counts follow the
# selection.
basic=$TESTS_SRCDIR/data/basic.rec
"$SOCKWATCH" --replay "$basic" 'state time-wait and state-age < 30s' -f json \
	>"$d/young" || fail "state-age < 30s"
jq -e '.total == 1 and .states.TIME_WAIT == 1 and (.sockets | length) == 1 and
    .sockets[0].state_age_s < 30 and .sockets[0].age_s == null and
    .sockets[0].age_at_least_s >= .sockets[0].state_age_s' "$d/young" \
	>/dev/null || fail "state-age < 30s: $(cat "$d/young")"
for age in 'age < 30s' 'age > 30s' 'state-age > 30s'; do
	"$SOCKWATCH" --replay "$basic" "time-wait and $age" -f json >"$d/old" ||
		fail "$age"
	jq -e '.total == 0 and (.sockets | length) == 0' "$d/old" >/dev/null ||
		fail "$age kept sockets: $(cat "$d/old")"
done

# A recording holds no processes.
usage_error "sockwatch: a recording holds no processes: -p and the process and pid filters need a live host, not --replay: see 'sockwatch --help'" \
	--replay "$basic" 'process nginx'

# Live: a process is found by its name (a user can read its own).
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True); time.sleep(30)' >"$d/port" &
track_pid $!
wait_for 10 test -s "$d/port" || fail "no listener"
port=$(cat "$d/port")
"$SOCKWATCH" "process python* and sport = :$port" -f json >"$d/proc" ||
	fail "process filter"
jq -e --argjson pid $! '(.sockets | length) == 1 and .sockets[0].pid == $pid and
    (.sockets[0].process | startswith("python"))' "$d/proc" >/dev/null ||
	fail "process filter: $(cat "$d/proc")"
"$SOCKWATCH" "process nosuchprocess and sport = :$port" -f json -s >"$d/none" ||
	fail "process nosuch"
jq -e '.total == 0' "$d/none" >/dev/null || fail "process nosuch kept sockets"
exit 0

