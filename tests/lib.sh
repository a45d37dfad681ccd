# tests/lib.sh - shared by the shell tests; source it, do not run it.
#
# Namespaces and processes a test starts are registered here and removed
# by the EXIT trap, by name and by PID: a test never touches what it did
# not create.

set -u

SKIP=77
: "${SOCKWATCH:=$(cd "$(dirname "$0")/../.." && pwd)/src/sockwatch}"
: "${TESTS_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${SOCKGEN:=$TESTS_SRCDIR/sockgen}"

# Registrations go to files in one state directory, not to variables:
# helpers are called as ns=$(make_netns x) and d=$(tmpdir), in a subshell
# whose variables the EXIT trap of the test would never see.
_lib_state=$(mktemp -d "${TMPDIR:-/tmp}/sockwatch-test.XXXXXX") || {
	echo "FAIL: mktemp" >&2
	exit 1
}

# sockwatch's history between batch runs stays with this test, never in
# /var/lib/sockwatch or the user's state directory.
SOCKWATCH_STATE_DIR="$_lib_state/sockwatch-state"
export SOCKWATCH_STATE_DIR

# fail and skip end the test, also when called inside $(...) or a
# pipeline (ns=$(make_netns a), out=$(check ...)): exit alone would leave
# only that subshell and the test would carry on, and pass. The subshell
# leaves the status in the state directory and signals the test's shell,
# whose trap exits with it.
_lib_main=$$
_lib_end() {
	echo "$1" >"$_lib_state/status"
	[ "$(exec sh -c 'echo $PPID')" = "$_lib_main" ] ||
		kill -TERM "$_lib_main" 2>/dev/null
	exit "$1"
}

fail() {
	echo "FAIL: $*" >&2
	_lib_end 1
}

skip() {
	echo "SKIP: $*" >&2
	_lib_end $SKIP
}

note() {
	echo "# $*" >&2
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
	command -v ip >/dev/null 2>&1 || skip "needs ip (iproute2)"
}

# require_sockgen: the socket generator, built by make check, must be there.
require_sockgen() {
	[ -x "$SOCKGEN" ] || fail "no generator at $SOCKGEN: run make check"
}

require_cmd() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "needs $c"
	done
}

_lib_cleanup() {
	status=$?
	[ -f "$_lib_state/at_exit" ] && . "$_lib_state/at_exit"
	pids=$(cat "$_lib_state/pids" 2>/dev/null)
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		wait "$p" 2>/dev/null
	done
	for ns in $(cat "$_lib_state/netns" 2>/dev/null); do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$_lib_state"
	exit $status
}
trap _lib_cleanup EXIT
# A signal exits 130, unless a subshell's fail or skip sent it.
_lib_signal() {
	[ -s "$_lib_state/status" ] && exit "$(cat "$_lib_state/status")"
	exit 130
}
trap _lib_signal INT TERM HUP

# at_exit COMMAND: run COMMAND (a shell string) at exit, before the rest of
# the cleanup (e.g. stop a tmux server the test started).
at_exit() {
	echo "$1" >>"$_lib_state/at_exit"
}

# A private temporary directory, the same at every call, removed at exit.
tmpdir() {
	mkdir -p "$_lib_state/tmp" || fail "mkdir"
	echo "$_lib_state/tmp"
}

# Remember a background process to stop at exit: track_pid $!
track_pid() {
	echo "$1" >>"$_lib_state/pids"
}

# make_netns TAG: create a namespace with loopback up; prints its name.
make_netns() {
	name="sw-$$-$1"
	ip netns add "$name" || fail "ip netns add $name"
	echo "$name" >>"$_lib_state/netns"
	ip -n "$name" link set lo up || fail "lo up in $name"
	echo "$name"
}

# link_netns A B: a veth pair between two namespaces.
#   A: 10.201.0.1/24 and fd00:5757::1/64; B: 10.201.0.2/24 and fd00:5757::2/64
# These addresses exist only inside the test's own namespaces.
link_netns() {
	a=$1 b=$2
	ip link add "swa$$" netns "$a" type veth peer name "swb$$" netns "$b" ||
		fail "veth between $a and $b"
	ip -n "$a" link set "swa$$" name eth0
	ip -n "$b" link set "swb$$" name eth0
	ip -n "$a" addr add 10.201.0.1/24 dev eth0
	ip -n "$b" addr add 10.201.0.2/24 dev eth0
	ip -n "$a" addr add fd00:5757::1/64 dev eth0 nodad
	ip -n "$b" addr add fd00:5757::2/64 dev eth0 nodad
	ip -n "$a" link set eth0 up
	ip -n "$b" link set eth0 up
}

# wait_for SECONDS COMMAND...: retry every 0.1 s until it succeeds.
wait_for() {
	limit=$(( $1 * 10 ))
	shift
	i=0
	while [ $i -lt $limit ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# kernel_count NS STATE: how many TCP sockets the kernel has in STATE (an
# ss state name: established, time-wait...) in NS.
kernel_count() {
	ip netns exec "$1" ss -tanH state "$2" | wc -l
}

# hold_sockets NS LISTENERS ESTABLISHED CLOSE_WAIT TIME_WAIT PORT: a
# known population on the loopback of NS, held by sockgen hold (at most
# 600 s) until the test ends. LISTENERS listen on 127.0.0.1 from PORT up;
# to the first of them go ESTABLISHED connections (two sockets each),
# CLOSE_WAIT ones the client shut down (a CLOSE_WAIT and a FIN_WAIT2 socket
# each) and TIME_WAIT ones the server closed first (one TIME_WAIT socket
# each, for 60 s). The ESTABLISHED clients are named e1, e2...: "shut eK"
# written to its stdin takes one out of ESTABLISHED (see sockgen_hold.c).
# Its stdin, a fifo, is kept open on fd 9: move that fd elsewhere before
# the next call. What it prints goes to $HOLD_OUT (see hold_specs).
hold_sockets() {
	_ts_ns=$1 _ts_port=$6
	_ts_specs=""
	_ts_i=0
	while [ $_ts_i -lt "$2" ] || [ $_ts_i -eq 0 ]; do
		_ts_specs="$_ts_specs listen:127.0.0.1:$((_ts_port + _ts_i))"
		_ts_i=$((_ts_i + 1))
	done
	for _ts_kind in est:$3 closewait:$4 timewait:$5; do
		_ts_i=0
		while [ $_ts_i -lt "${_ts_kind#*:}" ]; do
			_ts_i=$((_ts_i + 1))
			_ts_spec="${_ts_kind%:*}:127.0.0.1:$_ts_port"
			case $_ts_kind in	# the clients' names: e1.., c1..
			est:*) _ts_spec="$_ts_spec:e$_ts_i" ;;
			closewait:*) _ts_spec="$_ts_spec:c$_ts_i" ;;
			esac
			_ts_specs="$_ts_specs $_ts_spec"
		done
	done
	hold_specs "$_ts_ns" 9 $_ts_specs
}

# hold_specs NS FD SPEC...: sockgen hold SPEC... in NS (at most 600 s)
# until the test ends, its stdin a fifo kept open on FD for its commands
# (shut, close, queue: see sockgen_hold.c). Returns once the sockets are in
# place, with its pid in HOLD_PID and what it prints in $HOLD_OUT.
hold_specs() {
	require_sockgen
	_hs_ns=$1 _hs_fd=$2
	shift 2
	_hs_n=$((${_hs_n:-0} + 1))
	_hs_in=$(tmpdir)/hold-$_hs_n.in
	HOLD_OUT=${_hs_in%.in}.out
	mkfifo "$_hs_in" || fail "mkfifo $_hs_in"
	ip netns exec "$_hs_ns" "$SOCKGEN" hold -H 600 "$@" \
	    <"$_hs_in" >"$HOLD_OUT" 2>&1 &
	HOLD_PID=$!
	track_pid $HOLD_PID
	eval "exec $_hs_fd>\"\$_hs_in\""	# keeps its stdin open
	wait_for 20 grep -q ready "$HOLD_OUT" ||
		fail "sockgen hold $*: $(cat "$HOLD_OUT")"
}

# start_sockgen FILE ARGS...: run the socket generator (tests/sockgen) with
# ARGS in the background, its manifest in FILE and its errors in FILE.err,
# and return once it printed READY; its pid is then in SOCKGEN_PID. It
# holds its sockets until the test exits (its stdin, a fifo kept open on
# fd 9, closes; the EXIT trap also stops it), so one generator at a time.
start_sockgen() {
	_sg_out=$1
	shift
	_sg_fifo="$(tmpdir)/sockgen.in"
	rm -f "$_sg_fifo"
	mkfifo "$_sg_fifo" || fail "mkfifo $_sg_fifo"
	"$SOCKGEN" "$@" <"$_sg_fifo" >"$_sg_out" 2>"$_sg_out.err" &
	_sg_pid=$!
	SOCKGEN_PID=$_sg_pid
	track_pid $_sg_pid
	exec 9>"$_sg_fifo"
	_sg_i=0
	while ! grep -qx READY "$_sg_out"; do
		if ! kill -0 $_sg_pid 2>/dev/null; then
			wait $_sg_pid
			# 77: a tool it needs (nft) is missing.
			[ $? -eq $SKIP ] && skip "$(sed 's/^sockgen: //' "$_sg_out.err")"
			cat "$_sg_out.err" >&2
			fail "sockgen $* did not get ready"
		fi
		if [ $_sg_i -ge 1200 ]; then
			cat "$_sg_out.err" >&2
			fail "sockgen $* did not get ready"
		fi
		sleep 0.1
		_sg_i=$((_sg_i + 1))
	done
}

# rec_dump_after FILE N: the offset in the recording FILE of the first DUMP
# frame after its Nth POLL frame (replay.h: a 16-byte header, then frames
# of a 16-byte head, kind and length first, and the data padded to 8).
rec_dump_after() {
	_rd_size=$(wc -c <"$1") _rd_off=16 _rd_polls=0
	while [ "$_rd_off" -lt "$_rd_size" ]; do
		# shellcheck disable=SC2046
		set -- "$1" "$2" $(od -An -tu4 -j"$_rd_off" -N8 "$1")
		[ "$3" -eq 1 ] && _rd_polls=$((_rd_polls + 1))
		if [ "$3" -eq 2 ] && [ "$_rd_polls" -eq "$2" ]; then
			echo "$_rd_off"
			return 0
		fi
		_rd_off=$((_rd_off + 16 + ($4 + 7) / 8 * 8))
	done
	return 1
}

# poke FILE OFFSET BYTES: overwrite bytes of FILE in place; BYTES as
# printf takes them ('\360\377').
poke() {
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
