# tests/sys/states-lib.sh - compare sockwatch with what tests/sockgen built
# (its manifest, $MANIFEST) and with ss on the same namespace. Sourced by the
# tests of tests/sys after tests/lib.sh.
#
# TIME_WAIT sockets last 60 s, and a loaded machine can take that long to
# run all the comparisons. So the views are taken first, in one burst
# (view, view_ss: files in $V), and compared afterwards (check_*: each
# fails the test on a difference, working in $T).
#
# Rows are "STATE LOCAL PEER" in sockwatch's spelling, sorted; counts are
# "STATE N" for all eleven states, sorted.

ALL_STATES="LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2
CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSE"

# build_states SOCKGEN-OPTIONS...: two namespaces linked by veth ($srv, the
# server side, and $cli), the generator holding its sockets in them, and
# $T, $MANIFEST for the checks. Needs root and the built generator.
build_states() {
	require_root
	require_cmd jq ss nft
	require_sockgen
	srv=$(make_netns srv)
	cli=$(make_netns cli)
	link_netns "$srv" "$cli"
	T=$(tmpdir)
	MANIFEST=$T/manifest
	start_sockgen "$MANIFEST" --server "$srv" --client "$cli" "$@"
}

# same WHAT EXPECTED GOT: the two files must be identical.
same() {
	cmp -s "$2" "$3" && return 0
	diff -u "$2" "$3" | head -40 >&2
	fail "$1"
}

# view NS NAME ARGS...: keep sockwatch -N NS ARGS as $V/NS.NAME.
view() {
	_ns=$1 _name=$2
	shift 2
	"$SOCKWATCH" -N "$_ns" "$@" >"$V/$_ns.$_name" ||
		fail "sockwatch -N $_ns $* exited with status $?"
}

# view_ss NS OPTIONS: keep ss OPTIONS on NS as $V/NS.ssOPTIONS.
view_ss() {
	ip netns exec "$1" ss "$2" >"$V/$1.ss$2" 2>/dev/null ||
		fail "ss $2 in $1 failed"
}

# take_views NS: what check_rows, check_methods and check_replay compare.
take_views() {
	view "$1" json -f json
	view "$1" text -f text
	view_ss "$1" -tanoeH
	view "$1" legacy -f json --diag-method legacy
	view "$1" family -f json --diag-method family
	# Ages come from the history earlier runs left; a recording has none.
	_keep=$SOCKWATCH_STATE_DIR
	SOCKWATCH_STATE_DIR=$V/$1.live-state
	view "$1" live -f json --record "$V/$1.rec"
	SOCKWATCH_STATE_DIR=$_keep
}

# views_taken SINCE: fail if taking the views outlasted TIME_WAIT; SINCE is
# the time (date +%s) the generator became ready.
views_taken() {
	_took=$(($(date +%s) - $1))
	[ $_took -lt 55 ] || fail "taking the views took $_took s: TIME_WAIT" \
	    "sockets may have ended; the machine is too loaded"
}

# manifest_rows NS [AWK-CONDITION]: what was built in NS; the condition may
# use $3 (state) and $4 (ipv4 or ipv6).
manifest_rows() {
	awk -v ns="$1" '$1 == "socket" && $2 == ns && ('"${2:-1}"') {
		print $3, $5, $6 }' "$MANIFEST" | sort
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

# ss_rows FILE [details]: ss -tanoeH output in sockwatch's spelling: ss
# writes a dual-stack [::] as * and IPv4-mapped addresses as
# [::ffff:10.0.0.1]. With "details", each row also has its timer kind,
# inode and cookie.
ss_rows() {
	awk -v details="${2:-}" '
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
	}' "$1" | sort
}

# check_rows NS: the JSON and text reports, the manifest and ss agree on
# every row and every count; inodes, orphans, timers and cookies too.
check_rows() {
	manifest_rows "$1" >"$T/want"
	[ -s "$T/want" ] || fail "the manifest has no socket in $1"
	rows_counts "$T/want" >"$T/want.counts"
	json_rows "$V/$1.json" >"$T/got"
	same "$1: sockwatch's sockets differ from those built" "$T/want" "$T/got"
	json_counts "$V/$1.json" >"$T/got.counts"
	same "$1: sockwatch's state counts differ from those built" \
	    "$T/want.counts" "$T/got.counts"
	[ "$(jq .total "$V/$1.json")" -eq "$(wc -l <"$T/want")" ] ||
		fail "$1: total $(jq .total "$V/$1.json") is not $(wc -l <"$T/want")"
	check_holders "$1" "$V/$1.json"
	ss_rows "$V/$1.ss-tanoeH" >"$T/ss"
	same "$1: ss's sockets differ from those built" "$T/want" "$T/ss"
	rows_counts "$T/ss" >"$T/ss.counts"
	same "$1: ss's state counts differ from sockwatch's" \
	    "$T/ss.counts" "$T/got.counts"
	check_ss_details "$1"
	check_text "$1"
}

# check_holders NS JSON: a socket has an inode exactly when a process has it
# open, and the orphans sockwatch counts are the full sockets closed and
# still ending (not the timewait mini sockets a close can leave).
check_holders() {
	awk -v ns="$1" '$1 == "socket" && $2 == ns {
		print $3, $5, $6, ($8 == "file" ? "file" : "none") }' \
	    "$MANIFEST" | sort >"$T/want.holders"
	jq -r '.sockets[] | "\(.state) \(.local) \(.peer) \(if .inode == 0
	    then "none" else "file" end)"' "$2" | sort >"$T/got.holders"
	same "$1: sockets with and without an inode differ from those built" \
	    "$T/want.holders" "$T/got.holders"
	_orphans=$(awk -v ns="$1" '$1 == "socket" && $2 == ns &&
	    $8 == "orphan"' "$MANIFEST" | wc -l)
	[ "$(jq .orphans "$2")" -eq "$_orphans" ] ||
		fail "$1: $(jq .orphans "$2") orphans, not $_orphans"
}

# check_ss_details NS: sockwatch and ss agree on each socket's timer kind,
# inode and cookie.
check_ss_details() {
	ss_rows "$V/$1.ss-tanoeH" details >"$T/ss.details"
	jq -r '.sockets[] |
	    "\(.state) \(.local) \(.peer) \(.timer) \(.inode) \(.cookie)"' \
	    "$V/$1.json" | sort >"$T/got.details"
	same "$1: timers, inodes or cookies differ from ss's" \
	    "$T/ss.details" "$T/got.details"
}

# check_text NS: the text report's count table, orphans and socket list.
check_text() {
	awk '/^STATE +COUNT$/ { on = 1; next } on && NF == 0 { exit }
	    on && $1 ~ /^[A-Z_0-9]+$/ && NF == 2 { print $1, $2 }' \
	    "$V/$1.text" | sort >"$T/text.counts"
	same "$1: the text report's counts differ" "$T/want.counts" \
	    "$T/text.counts"
	_text_orphans=$(awk '/^[0-9]+ orphaned sockets/ { print $1 }' "$V/$1.text")
	[ "${_text_orphans:-0}" -eq "$_orphans" ] ||
		fail "$1: the text report says ${_text_orphans:-no} orphans, not $_orphans"
	awk '/^STATE +LOCAL +PEER/ { on = 1; next } on { print $1, $2, $3 }' \
	    "$V/$1.text" | sort >"$T/text.rows"
	same "$1: the text report's sockets differ" "$T/want" "$T/text.rows"
}

# check_listeners NS: accept queue, backlog and SYN_RECV children of each
# listener, against the manifest and (queue, backlog) against ss. Needs the
# views json-s and text-s (sockwatch -s) and ss -tlnH.
check_listeners() {
	awk -v ns="$1" '$1 == "listener" && $2 == ns { print $3, $4, $5, $6 }' \
	    "$MANIFEST" | sort >"$T/want.listeners"
	[ -s "$T/want.listeners" ] || fail "the manifest has no listener in $1"
	jq -r '.listeners[] |
	    "\(.local) \(.accept_queue) \(.backlog) \(.syn_recv)"' \
	    "$V/$1.json-s" | sort >"$T/got.listeners"
	same "$1: sockwatch's listeners differ from those built" \
	    "$T/want.listeners" "$T/got.listeners"
	[ "$(jq '[.listeners[].sockets] | add' "$V/$1.json-s")" -eq \
	    "$(wc -l <"$T/want.listeners")" ] ||
		fail "$1: listeners do not have one socket each"
	awk '{ sub(/^\*:/, "[::]:", $4); print $4, $2, $3 }' \
	    "$V/$1.ss-tlnH" | sort >"$T/ss.listeners"
	cut -d' ' -f1-3 "$T/want.listeners" >"$T/want.listeners3"
	same "$1: ss's listen queues differ from those built" \
	    "$T/want.listeners3" "$T/ss.listeners"
	awk '/^LISTENER / { on = 1; next } on && NF == 0 { exit }
	    on { print $1, $2, $3, $4 }' "$V/$1.text-s" |
	    sort >"$T/text.listeners"
	same "$1: the text report's listeners differ" "$T/want.listeners" \
	    "$T/text.listeners"
}

# check_selection NS AWK-CONDITION VIEW: the JSON view shows exactly the
# built sockets the condition selects, and counts only those.
check_selection() {
	manifest_rows "$1" "$2" >"$T/want.sel"
	[ -s "$T/want.sel" ] || fail "$1: nothing built for view $3"
	rows_counts "$T/want.sel" >"$T/want.sel.counts"
	json_rows "$V/$1.$3" >"$T/got.sel"
	same "$1: view $3 shows other sockets" "$T/want.sel" "$T/got.sel"
	json_counts "$V/$1.$3" >"$T/got.sel.counts"
	same "$1: view $3 counts other sockets" "$T/want.sel.counts" \
	    "$T/got.sel.counts"
}

# check_methods NS [SUFFIX]: the one-walk legacy request and the per-family
# requests (views legacySUFFIX, familySUFFIX) return the same sockets, down
# to inode and cookie.
check_methods() {
	for _m in legacy family; do
		jq -r '.sockets[] |
		    "\(.state) \(.local) \(.peer) \(.inode) \(.cookie)"' \
		    "$V/$1.$_m${2:-}" | sort >"$T/method.$_m"
	done
	[ -s "$T/method.legacy" ] || fail "$1: no socket with --diag-method legacy"
	same "$1: --diag-method legacy and family differ (${2:-})" \
	    "$T/method.legacy" "$T/method.family"
}

# check_processes NS: with -p (view procs), every socket the generator holds
# open is its own, across namespaces, and no other socket has a process.
check_processes() {
	jq -r --argjson pid "$SOCKGEN_PID" '.sockets[] |
	    select((.inode != 0) != (.pid == $pid and .process == "sockgen")) |
	    "\(.state) \(.local) \(.peer) inode \(.inode) pid \(.pid)"' \
	    "$V/$1.procs" >"$T/procs.bad"
	same "$1: sockets attributed to the wrong process (-p)" /dev/null \
	    "$T/procs.bad"
	[ "$(jq '[.sockets[] | select(.pid != null)] | length' \
	    "$V/$1.procs")" -gt 0 ] || fail "$1: -p attributed no socket"
	jq -r --argjson pid "$SOCKGEN_PID" '.listeners[] |
	    select(.pid != $pid) | .local' "$V/$1.procs" >"$T/procs.bad"
	same "$1: listeners attributed to the wrong process (-p)" /dev/null \
	    "$T/procs.bad"
}

# check_replay NS: the live report made with --record (view live) and the
# replay of that recording, each with no history, are the same document.
check_replay() {
	_keep=$SOCKWATCH_STATE_DIR
	SOCKWATCH_STATE_DIR=$T/$1.replay-state
	"$SOCKWATCH" --replay "$V/$1.rec" -f json >"$T/replay.json" ||
		fail "sockwatch --replay of $1's recording exited with status $?"
	SOCKWATCH_STATE_DIR=$_keep
	same "$1: the replay of a recording differs from the live report" \
	    "$V/$1.live" "$T/replay.json"
}
