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

_lib_netns=""
_lib_pids=""
_lib_tmp=""
_lib_at_exit=""

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit $SKIP
}

note() {
	echo "# $*" >&2
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
	command -v ip >/dev/null 2>&1 || skip "needs ip (iproute2)"
}

require_cmd() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "needs $c"
	done
}

_lib_cleanup() {
	status=$?
	[ -n "$_lib_at_exit" ] && eval "$_lib_at_exit"
	for p in $_lib_pids; do
		kill "$p" 2>/dev/null
	done
	for p in $_lib_pids; do
		wait "$p" 2>/dev/null
	done
	# make_netns usually runs in $(...), a subshell whose _lib_netns is
	# lost: the names it made all start with sw-$$- ($$ is this shell's
	# PID in subshells too), so find them by that prefix.
	for ns in $_lib_netns $(ip netns list 2>/dev/null |
	    sed -n "s/^\(sw-$$-[^ ]*\).*/\1/p"); do
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$_lib_tmp" ] && rm -rf "$_lib_tmp"
	exit $status
}
trap _lib_cleanup EXIT
trap 'exit 130' INT TERM HUP

# at_exit COMMAND: run COMMAND (a shell string) at exit, before the rest of
# the cleanup (e.g. stop a tmux server the test started).
at_exit() {
	_lib_at_exit="$_lib_at_exit $1;"
}

# A private temporary directory, removed at exit.
tmpdir() {
	if [ -z "$_lib_tmp" ]; then
		_lib_tmp=$(mktemp -d "${TMPDIR:-/tmp}/sockwatch-test.XXXXXX") ||
			fail "mktemp"
	fi
	echo "$_lib_tmp"
}

# Remember a background process to stop at exit: track_pid $!
track_pid() {
	_lib_pids="$_lib_pids $1"
}

# make_netns TAG: create a namespace with loopback up; prints its name.
make_netns() {
	name="sw-$$-$1"
	ip netns add "$name" || fail "ip netns add $name"
	_lib_netns="$_lib_netns $name"
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
