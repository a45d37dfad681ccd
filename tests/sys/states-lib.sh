# tests/sys/states-lib.sh - compare sockwatch with what tests/sockgen built
# (its manifest, $MANIFEST) and with ss on the same namespace. Sourced by the
# tests of tests/sys after tests/lib.sh; every function fails the test on a
# difference and writes its files in $T.
#
# Rows are "STATE LOCAL PEER" in sockwatch's spelling, sorted; counts are
# "STATE N" for all eleven states, sorted.

ALL_STATES="LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2
CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSE"

# same WHAT EXPECTED GOT: the two files must be identical.
same() {
	cmp -s "$2" "$3" && return 0
	diff -u "$2" "$3" | head -40 >&2
	fail "$1"
}

# manifest_rows NS [AWK-CONDITION]: what was built in NS; the condition may
# use $3 (state) and $4 (ipv4 or ipv6).
manifest_rows() {
	awk -v ns="$1" '$1 == "socket" && $2 == ns && ('"${2:-1}"') {
		print $3, $5, $6 }' "$MANIFEST" | sort
}

# sw_json NS ARGS...: sockwatch's JSON report on NS, which must succeed.
sw_json() {
	_ns=$1
	shift
	"$SOCKWATCH" -N "$_ns" -f json "$@" ||
		fail "sockwatch -N $_ns -f json $* exited with status $?"
}

json_rows() {
	jq -r '.sockets[] | "\(.state) \(.local) \(.peer)"' "$1" | sort
}

json_counts() {
	jq -r '.states | to_entries[] | "\(.key) \(.value)"' "$1" | sort
}

# rows_counts FILE: the counts of a rows file, every state included.
rows_counts() {
	for _st in $ALL_STATES; do
		awk -v s="$_st" '$1 == s { n++ } END { print s, n + 0 }' "$1"
	done | sort
}

# ss_rows NS [details]: ss's view of NS in sockwatch's spelling: ss writes
# a dual-stack [::] as * and IPv4-mapped addresses as [::ffff:10.0.0.1].
# With "details", each row also has its timer kind, inode and cookie.
ss_rows() {
	ip netns exec "$1" ss -tanoeH 2>/dev/null | awk -v details="${2:-}" '
	function addr(a) {
		if (a ~ /^\[::ffff:[0-9.]+\]:/) {
			sub(/^\[::ffff:/, "", a)
			sub(/\]/, "", a)
		}
		sub(/^\*:/, "[::]:", a)
		return a
	}
	BEGIN {
		m["ESTAB"] = "ESTABLISHED"; m["SYN-SENT"] = "SYN_SENT"
		m["SYN-RECV"] = "SYN_RECV"; m["FIN-WAIT-1"] = "FIN_WAIT1"
		m["FIN-WAIT-2"] = "FIN_WAIT2"; m["TIME-WAIT"] = "TIME_WAIT"
		m["UNCONN"] = "CLOSE"; m["CLOSE-WAIT"] = "CLOSE_WAIT"
		m["LAST-ACK"] = "LAST_ACK"; m["LISTEN"] = "LISTEN"
		m["CLOSING"] = "CLOSING"
	}
	{
		row = ($1 in m ? m[$1] : "?" $1) " " addr($4) " " addr($5)
		if (details != "") {
			timer = "off"; ino = "?"; cookie = "?"
			for (i = 6; i <= NF; i++) {
				if ($i ~ /^timer:\(/) {
					timer = substr($i, 8)
					sub(/,.*/, "", timer)
				} else if ($i ~ /^ino:/)
					ino = substr($i, 5)
				else if ($i ~ /^sk:/)
					cookie = "0x" substr($i, 4)
			}
			row = row " " timer " " ino " " cookie
		}
		print row
	}' | sort
}

# check_ss_details NS: sockwatch and ss agree on each socket's timer kind,
# inode and cookie.
check_ss_details() {
	ss_rows "$1" details >"$T/ss.details"
	jq -r '.sockets[] |
	    "\(.state) \(.local) \(.peer) \(.timer) \(.inode) \(.cookie)"' \
	    "$T/json" | sort >"$T/got.details"
	same "$1: timers, inodes or cookies differ from ss's" \
	    "$T/ss.details" "$T/got.details"
}

# check_rows NS: the JSON and text reports, the manifest and ss agree on
# every row and every count.
check_rows() {
	manifest_rows "$1" >"$T/want"
	[ -s "$T/want" ] || fail "the manifest has no socket in $1"
	rows_counts "$T/want" >"$T/want.counts"
	sw_json "$1" >"$T/json"
	json_rows "$T/json" >"$T/got"
	same "$1: sockwatch's sockets differ from those built" "$T/want" "$T/got"
	json_counts "$T/json" >"$T/got.counts"
	same "$1: sockwatch's state counts differ from those built" \
	    "$T/want.counts" "$T/got.counts"
	[ "$(jq .total "$T/json")" -eq "$(wc -l <"$T/want")" ] ||
		fail "$1: total $(jq .total "$T/json") is not $(wc -l <"$T/want")"
	check_holders "$1"
	ss_rows "$1" >"$T/ss"
	same "$1: ss's sockets differ from those built" "$T/want" "$T/ss"
	check_ss_details "$1"
	rows_counts "$T/ss" >"$T/ss.counts"
	same "$1: ss's state counts differ from sockwatch's" \
	    "$T/ss.counts" "$T/got.counts"
	check_text "$1"
}

# check_holders NS: a socket has an inode exactly when a process has it
# open, and the orphans sockwatch counts are the closed sockets still ending.
check_holders() {
	awk -v ns="$1" '$1 == "socket" && $2 == ns { print $3, $5, $6, $8 }' \
	    "$MANIFEST" | sort >"$T/want.holders"
	jq -r '.sockets[] | "\(.state) \(.local) \(.peer) \(if .inode == 0
	    then "kernel" else "file" end)"' "$T/json" | sort >"$T/got.holders"
	same "$1: sockets with and without an inode differ from those built" \
	    "$T/want.holders" "$T/got.holders"
	_orphans=$(awk '$4 == "kernel" && ($1 == "FIN_WAIT1" ||
	    $1 == "FIN_WAIT2" || $1 == "CLOSING" || $1 == "LAST_ACK")' \
	    "$T/want.holders" | wc -l)
	[ "$(jq .orphans "$T/json")" -eq "$_orphans" ] ||
		fail "$1: $(jq .orphans "$T/json") orphans, not $_orphans"
}

# check_text NS: the text report's count table and socket list.
check_text() {
	"$SOCKWATCH" -N "$1" -f text >"$T/text" ||
		fail "sockwatch -N $1 -f text exited with status $?"
	awk '/^STATE +COUNT$/ { on = 1; next } on && NF == 0 { exit }
	    on && $1 ~ /^[A-Z_0-9]+$/ && NF == 2 { print $1, $2 }' "$T/text" |
	    sort >"$T/text.counts"
	same "$1: the text report's counts differ" "$T/want.counts" \
	    "$T/text.counts"
	_text_orphans=$(awk '/orphaned sockets/ { print $1 }' "$T/text")
	[ "${_text_orphans:-0}" -eq "$_orphans" ] ||
		fail "$1: the text report says ${_text_orphans:-no} orphans, not $_orphans"
	awk '/^STATE +LOCAL +PEER/ { on = 1; next } on { print $1, $2, $3 }' \
	    "$T/text" | sort >"$T/text.rows"
	same "$1: the text report's sockets differ" "$T/want" "$T/text.rows"
}

# check_listeners NS: accept queue, backlog and SYN_RECV children of each
# listener, against the manifest and (queue, backlog) against ss.
check_listeners() {
	awk -v ns="$1" '$1 == "listener" && $2 == ns { print $3, $4, $5, $6 }' \
	    "$MANIFEST" | sort >"$T/want.listeners"
	[ -s "$T/want.listeners" ] || fail "the manifest has no listener in $1"
	sw_json "$1" -s >"$T/json.s"
	jq -r '.listeners[] |
	    "\(.local) \(.accept_queue) \(.backlog) \(.syn_recv)"' \
	    "$T/json.s" | sort >"$T/got.listeners"
	same "$1: sockwatch's listeners differ from those built" \
	    "$T/want.listeners" "$T/got.listeners"
	[ "$(jq '[.listeners[].sockets] | add' "$T/json.s")" -eq \
	    "$(wc -l <"$T/want.listeners")" ] ||
		fail "$1: listeners do not have one socket each"
	ip netns exec "$1" ss -tlnH | awk '{ sub(/^\*:/, "[::]:", $4)
	    print $4, $2, $3 }' | sort >"$T/ss.listeners"
	cut -d' ' -f1-3 "$T/want.listeners" >"$T/want.listeners3"
	same "$1: ss's listen queues differ from those built" \
	    "$T/want.listeners3" "$T/ss.listeners"
	"$SOCKWATCH" -N "$1" -s >"$T/text.s" ||
		fail "sockwatch -N $1 -s exited with status $?"
	awk '/^LISTENER / { on = 1; next } on && NF == 0 { exit }
	    on { print $1, $2, $3, $4 }' "$T/text.s" | sort >"$T/text.listeners"
	same "$1: the text report's listeners differ" "$T/want.listeners" \
	    "$T/text.listeners"
}

# check_selection NS AWK-CONDITION ARGS...: sockwatch ARGS shows exactly the
# built sockets the condition selects, and counts only those.
check_selection() {
	_ns=$1 _cond=$2
	shift 2
	manifest_rows "$_ns" "$_cond" >"$T/want.sel"
	[ -s "$T/want.sel" ] || fail "$_ns: nothing built for: $*"
	rows_counts "$T/want.sel" >"$T/want.sel.counts"
	sw_json "$_ns" "$@" >"$T/json.sel"
	json_rows "$T/json.sel" >"$T/got.sel"
	same "$_ns: sockwatch $* shows other sockets" "$T/want.sel" \
	    "$T/got.sel"
	json_counts "$T/json.sel" >"$T/got.sel.counts"
	same "$_ns: sockwatch $* counts other sockets" "$T/want.sel.counts" \
	    "$T/got.sel.counts"
}

# check_methods NS ARGS...: the one-walk legacy request and the per-family
# requests return the same sockets, down to inode and cookie.
check_methods() {
	_ns=$1
	shift
	for _m in legacy family; do
		sw_json "$_ns" --diag-method "$_m" "$@" >"$T/json.$_m"
		jq -r '.sockets[] |
		    "\(.state) \(.local) \(.peer) \(.inode) \(.cookie)"' \
		    "$T/json.$_m" | sort >"$T/method.$_m"
	done
	[ -s "$T/method.legacy" ] || fail "$_ns: no socket with --diag-method legacy"
	same "$_ns: --diag-method legacy and family differ ($*)" \
	    "$T/method.legacy" "$T/method.family"
}

# check_replay NS: a report of NS and the replay of its recording, made in
# the same run, are the same document.
check_replay() {
	sw_json "$1" --record "$T/replay.rec" >"$T/live.json"
	"$SOCKWATCH" --replay "$T/replay.rec" -f json >"$T/replay.json" ||
		fail "sockwatch --replay of $1's recording exited with status $?"
	same "$1: the replay of a recording differs from the live report" \
	    "$T/live.json" "$T/replay.json"
}
