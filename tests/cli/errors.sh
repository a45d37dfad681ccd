#!/bin/sh
# errors.sh - every failure is one line "sockwatch: ..." on stderr with the
# exit status of log.h: 64 bad usage, 3 the job could not be done.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"

t=$(tmpdir)

# Bad usage: 64.
expect_fail 64 "unknown option '--bogus'" --bogus
expect_fail 64 "unknown option '-x'" -x
expect_fail 64 "unknown option '-x'" -bx
expect_fail 64 "option '--stat' is ambiguous: --state, --state-file" --stat=listen
expect_fail 64 "option '--no' is ambiguous: --no-color, --no-bytecode" --no
expect_fail 64 "option '--ipv4' takes no argument" --ipv4=3
expect_fail 64 "option '--no-color' takes no argument" --no-color=1
expect_fail 64 "unknown option '-x'" --batch -xb
expect_fail 64 "unknown option '--=x'" --=x
expect_fail 64 "'--format' needs an argument" --format
expect_fail 64 "'-c' needs an argument" -c
expect_fail 64 "unknown format 'xml'" -f xml
expect_fail 64 "unknown format ''" --format=
expect_fail 64 "unknown state 'foo'" --state foo
expect_fail 64 "unknown state 'nope'" --state listen,nope
expect_fail 64 "no state in ','" --state ,
expect_fail 64 "bad count '0'" -c 0
expect_fail 64 "bad count '-1'" --count=-1
expect_fail 64 "bad count 'x'" -c x
expect_fail 64 "bad count '2x'" -c 2x
expect_fail 64 "bad count '99999999999999999999'" -c 99999999999999999999
expect_fail 64 "bad interval '0'" -d 0
expect_fail 64 "bad interval 'abc'" --interval abc
expect_fail 64 "bad interval 'nan'" -d nan
expect_fail 64 "bad interval 'inf'" --delay inf
expect_fail 64 "bad interval '1e9'" -d 1e9
expect_fail 64 "filter: col 1: unknown term 'extra'" extra
expect_fail 64 "cannot be used together" --record "$t/x.rec" --replay "$BASIC"
expect_fail 64 "cannot be used together" -N foo --replay "$BASIC"
# What -N all cannot do is refused before any namespace is entered.
expect_fail 64 "cannot be used together" -N all --replay "$BASIC"
expect_fail 64 "--record cannot be used with --netns all" -N all \
    --record "$t/x.rec"
expect_fail 64 "give it with --netns NAME or PID, not all" -N all --kill \
    --yes state close-wait
expect_fail 64 "it cannot be used with --netns all" -N all \
    --state-file "$t/x.state"
expect_fail 64 "every namespace is polled in full" -N all --cpu-budget 5
# --kill prints what it destroys: a report's options are refused with it.
expect_fail 64 "not a report" --kill --dry-run -f json state close-wait
expect_fail 64 "not a report" --kill --dry-run -c 2 state close-wait
# A process id that names no process: said as such, not as a name.
expect_fail 3 "network namespace of process 999999999: no such process" \
	-N 999999999 -s
# Usage is checked before anything is read.
expect_fail 64 "unknown format" --replay /nonexistent -f xml

# Recordings that cannot be read: one line that names the file and the
# problem; a file that is not there is the machine's (3), one that is
# not a recording the command line's (64).
expect_fail 3 "cannot open recording $t/missing.rec: No such file" \
    --replay "$t/missing.rec"
: >"$t/empty.rec"
expect_fail 64 "recording $t/empty.rec is empty" --replay "$t/empty.rec"
echo "not a recording at all" >"$t/text.rec"
expect_fail 64 "$t/text.rec is not a sockwatch recording" --replay "$t/text.rec"
head -c 60 "$BASIC" >"$t/cut.rec"
expect_fail 64 "recording $t/cut.rec is truncated before its first complete poll" \
    --replay "$t/cut.rec"
head -c 16 "$BASIC" >"$t/header.rec"
expect_fail 64 "holds no complete poll" --replay "$t/header.rec"
# A corrupt dump: the netlink length of the first message made absurd.
cp "$BASIC" "$t/corrupt.rec"
off=$(rec_dump_after "$t/corrupt.rec" 1) || fail "no dump in $BASIC"
poke "$t/corrupt.rec" $((off + 16)) '\360\377\377\377'	# 0xfffffff0
expect_fail 64 "poll 1 of the recording is corrupt: a truncated netlink message" \
    --replay "$t/corrupt.rec"
# A truncated file keeps its complete polls and says nothing.
size=$(wc -c <"$BASIC2")
head -c $((size - 20)) "$BASIC2" >"$t/short.rec"
sw "$t/short.txt" --replay "$t/short.rec" -s
[ "$(grep -c ': 30 TCP sockets' "$t/short.txt")" -eq 1 ] ||
	fail "a cut second poll was not dropped"

# --help, --version and --list-rules succeed on stdout.
sw "$t/help" --help
grep -q -- '--replay' "$t/help" || fail "--help does not mention --replay"
sw "$t/version" --version
head -n 1 "$t/version" | grep -Eq '^sockwatch [0-9]+\.[0-9]+' || fail "--version line"
sw "$t/version" -V
sw "$t/rules" --list-rules
grep -q '^dead-peer  *connections whose peer' "$t/rules" || fail "--list-rules: $(cat "$t/rules")"

# A full disk is an error (3), not silence: a report, a summary, the help.
for args in "" "-f json" "-f csv" "-s" "-s -f csv"; do
	"$SOCKWATCH" --replay "$BASIC" $args >/dev/full 2>"$t/full.err"
	st=$?
	[ $st -eq 3 ] || fail "'$args' to /dev/full: exit $st"
	[ "$(wc -l <"$t/full.err")" -eq 1 ] &&
	grep -q '^sockwatch: cannot write.*No space left on device' "$t/full.err" ||
		fail "'$args' to /dev/full: $(cat "$t/full.err")"
done
for args in --help --version --list-rules; do
	"$SOCKWATCH" $args >/dev/full 2>"$t/full.err"
	st=$?
	[ $st -eq 3 ] || fail "$args to /dev/full: exit $st"
	grep -q '^sockwatch: cannot write' "$t/full.err" || fail "$args to /dev/full: message"
done
exit 0
