#!/bin/sh
# hostile_files.sh - paths sockwatch is given that are not what they seem.
# --state-file and --record replace only a new file or a regular file of
# the user's with one link: a device, a FIFO, a symbolic link (dangling or
# not), another user's file or a second link is refused (exit 64, one line)
# and left exactly as it was; never the same path for both. --replay of a
# FIFO without a writer, a pipe or a directory says what it is, at once.
# The exit rule: 64 for what the command line got wrong, 3 for what the
# machine cannot do (a missing file or directory, a history not saved).
# Live runs read this host's sockets, which needs no privilege; the
# device and another user's file need root and are skipped without.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
require_cmd timeout
T=$(tmpdir)
root=0
[ "$(id -u)" -eq 0 ] && root=1

# what PATH: ls -l's type and owner and, for a file, its contents.
what() {
	if [ -L "$1" ]; then
		echo "link -> $(readlink "$1")"
	elif [ -f "$1" ]; then
		echo "file $(stat -c '%U %h' "$1") $(cat "$1")"
	else
		stat -c '%F %U %t:%T' "$1"
	fi
}

# refused OPTION PATH PATTERN: exit 64, one line with PATTERN, PATH as it
# was, and no temporary file beside it; within seconds (a FIFO blocks).
refused() {
	_before=$(what "$2")
	_t0=$(ls "$(dirname "$2")" | wc -l)
	timeout 10 "$SOCKWATCH" -s "$1" "$2" >"$T/out" 2>"$T/err"
	_st=$?
	[ "$_st" -ne 124 ] || fail "$1 $2 ($_before): hung"
	[ "$_st" -eq 64 ] || fail "$1 $2 ($_before): exit $_st: $(cat "$T/err")"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "$1 $2: not one line: $(cat "$T/err")"
	grep -q -e "$3" "$T/err" || fail "$1 $2: message: $(cat "$T/err")"
	[ ! -s "$T/out" ] || fail "$1 $2: a report was printed"
	[ "$(what "$2")" = "$_before" ] ||
		fail "$1 $2 was changed: $_before, now $(what "$2")"
	[ "$(ls "$(dirname "$2")" | wc -l)" -eq "$_t0" ] ||
		fail "$1 $2: left a file beside it: $(ls "$(dirname "$2")")"
}

for opt in --state-file --record; do
	d="$T/${opt#--}"
	mkdir "$d"
	mkfifo "$d/fifo"
	refused "$opt" "$d/fifo" "$d/fifo is a FIFO or a pipe"
	echo precious >"$d/target"
	ln -s "$d/target" "$d/link"
	refused "$opt" "$d/link" "$d/link is a symbolic link"
	ln -s "$d/nowhere" "$d/dangling"
	refused "$opt" "$d/dangling" "$d/dangling is a symbolic link"
	[ ! -e "$d/nowhere" ] || fail "$opt: created the target of a link"
	ln "$d/target" "$d/second"
	refused "$opt" "$d/second" "$d/second has other hard links"
	refused "$opt" "$d" "$d is a directory"
	if [ "$root" -eq 1 ]; then
		# A device of our own, never the machine's /dev/null.
		mknod "$d/null" c 1 3
		refused "$opt" "$d/null" "$d/null is a character device"
		echo theirs >"$d/theirs"
		chown nobody "$d/theirs"
		refused "$opt" "$d/theirs" "$d/theirs belongs to another user"
	fi
done

# The same path for both would lose both: refused before either is written.
echo old >"$T/both"
"$SOCKWATCH" -s --state-file "$T/both" --record "$T/both" >/dev/null 2>"$T/err"
[ $? -eq 64 ] || fail "the same --state-file and --record: not refused"
grep -q "is the state file" "$T/err" || fail "message: $(cat "$T/err")"
[ "$(cat "$T/both")" = old ] || fail "the same path was written"
"$SOCKWATCH" -s --state-file "$T/new-state" --record "$T/new-state" \
    >/dev/null 2>"$T/err"
[ $? -eq 64 ] || fail "a new path for both: not refused"
[ ! -e "$T/new-state" ] || fail "a new path for both was written"

# Files of the user's own are replaced as before.
echo old >"$T/mine.rec"
sw "$T/rep" -s --record "$T/mine.rec" --state-file "$T/mine.state"
head -c 8 "$T/mine.rec" | grep -q SOCKWREC || fail "--record did not replace"
head -c 8 "$T/mine.state" | grep -q SOCKWST1 || fail "no state file"

# --replay of what is no file: said at once, exit 64.
mkfifo "$T/rec.fifo"
for f in "$T/rec.fifo" "$T"; do
	timeout 10 "$SOCKWATCH" -s --replay "$f" >/dev/null 2>"$T/err"
	st=$?
	[ "$st" -ne 124 ] || fail "--replay $f hung"
	[ "$st" -eq 64 ] || fail "--replay $f: exit $st: $(cat "$T/err")"
done
expect_fail 64 "recording $T/rec.fifo is a FIFO or a pipe" --replay "$T/rec.fifo"
expect_fail 64 "recording $T is a directory" --replay "$T"
cat "$BASIC" | timeout 10 "$SOCKWATCH" -s --replay /dev/stdin >/dev/null \
    2>"$T/err"
[ $? -eq 64 ] || fail "--replay of a pipe: $(cat "$T/err")"
grep -q "is a FIFO or a pipe" "$T/err" || fail "a pipe: $(cat "$T/err")"

# The exit rule: what the machine lacks is 3, what the command line got
# wrong is 64.
expect_fail 3 "cannot open recording $T/missing.rec: No such file" \
    --replay "$T/missing.rec"
expect_fail 3 "cannot create recording $T/no/dir.rec: No such file" \
    -s --record "$T/no/dir.rec"
expect_fail 64 "is not a sockwatch recording" --replay "$T/mine.state"
expect_fail 64 "--netns '' is no namespace" -N '' -s
expect_fail 64 "--netns '.' is no namespace" -N . -s
expect_fail 64 "--netns '../x' is no namespace" -N ../x -s

# A history that cannot be saved fails the run (3), after its report;
# --check keeps its verdict and says so in its status line.
"$SOCKWATCH" -s --state-file "$T/no/state" >"$T/out" 2>"$T/err"
st=$?
[ "$st" -eq 3 ] || fail "a state file not saved: exit $st"
grep -q "^sockwatch: cannot write state file $T/no/state" "$T/err" ||
	fail "message: $(cat "$T/err")"
grep -q ESTABLISHED "$T/out" || fail "no report before the error"
"$SOCKWATCH" --check -d 0.1 --state-file "$T/no/state" >"$T/out" 2>"$T/err"
st=$?
[ "$st" -le 2 ] || fail "--check with a state file not saved: exit $st"
grep -q "^SOCKWATCH [A-Z]* - .*; history not saved |" "$T/out" ||
	fail "--check line: $(cat "$T/out")"
[ -e "$T/no" ] && fail "--state-file made a directory"
exit 0
