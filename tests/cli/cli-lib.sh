# tests/cli/cli-lib.sh - shared by the command-line tests; source it after
# tests/lib.sh. These tests need no privilege: they read the recordings in
# tests/data with --replay.

DATA="$TESTS_SRCDIR/data"
BASIC="$DATA/basic.rec"
BASIC2="$DATA/basic-family.rec"

# The eleven states, in the order of a connection's life.
STATES="LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE_WAIT
CLOSING LAST_ACK TIME_WAIT CLOSE"

# sw OUTFILE ARGS...: run sockwatch, which must succeed, into OUTFILE.
sw() {
	_out=$1
	shift
	"$SOCKWATCH" "$@" >"$_out" 2>"$_out.err" ||
		fail "sockwatch $*: exit $?: $(cat "$_out.err")"
	[ ! -s "$_out.err" ] || fail "sockwatch $*: wrote to stderr: $(cat "$_out.err")"
}

# jq_check FILE EXPR: EXPR must be true for FILE.
jq_check() {
	jq -e "$2" "$1" >/dev/null || fail "$(basename "$1"): not true: $2"
}

# expect_fail STATUS PATTERN ARGS...: sockwatch must exit with STATUS,
# print nothing on stdout, and one line on stderr that starts with
# "sockwatch: " and holds PATTERN.
expect_fail() {
	_want=$1 _pat=$2
	shift 2
	_t=$(tmpdir)
	"$SOCKWATCH" "$@" >"$_t/fail.out" 2>"$_t/fail.err"
	_st=$?
	[ "$_st" -eq "$_want" ] ||
		fail "sockwatch $*: exit $_st, expected $_want: $(cat "$_t/fail.err")"
	[ ! -s "$_t/fail.out" ] || fail "sockwatch $*: wrote to stdout"
	[ "$(wc -l <"$_t/fail.err")" -eq 1 ] ||
		fail "sockwatch $*: stderr is not one line: $(cat "$_t/fail.err")"
	grep -q '^sockwatch: ' "$_t/fail.err" ||
		fail "sockwatch $*: message does not start 'sockwatch: ': $(cat "$_t/fail.err")"
	grep -q -e "$_pat" "$_t/fail.err" ||
		fail "sockwatch $*: message lacks '$_pat': $(cat "$_t/fail.err")"
}
