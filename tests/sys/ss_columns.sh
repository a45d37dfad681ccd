#!/bin/sh
# ss_columns.sh - what -e, -m and -i add is what the kernel says (checked
# against ss -tnmie in the same namespace), -tanp and -ntp see the
# connections, "dst localhost" and "dport = :PORT-NAME" select them, and
# an accept queue past its backlog gives valid Nagios perfdata.
. "$TESTS_SRCDIR/lib.sh"
require_root
require_cmd jq ss python3
require_sockgen

T=$(tmpdir)
ns=$(make_netns ssc)

# peer NAME ARGS...: a sockgen server or clients in the namespace.
peer() {
	name=$1
	shift
	ip netns exec "$ns" "$SOCKGEN" "$@" --seconds 60 --ready "$T/$name.ready" \
		2>"$T/$name.err" &
	track_pid $!
	wait_for 15 test -s "$T/$name.ready" || {
		cat "$T/$name.err" >&2
		fail "$name did not start"
	}
}

peer server server --addr 127.0.0.1 --port 7300
peer clients clients --addr 127.0.0.1 --port 7300 --count 3 --mode hold
peer full server --addr 127.0.0.1 --port 7301 --backlog 4 --mode never-accept
peer fill clients --addr 127.0.0.1 --port 7301 --count 5 --mode hold
wait_for 10 sh -c "[ \$(ip netns exec $ns ss -Htn state established '( sport = :7300 )' | wc -l) -eq 3 ]" ||
	fail "the three connections to 7300 are not up"

"$SOCKWATCH" -N "$ns" -f json -e -m -i -o 'sport = :7300' >"$T/sw.json" ||
	fail "sockwatch -e -m -i failed"
ip netns exec "$ns" ss -Htnmie state established '( sport = :7300 )' >"$T/ss.txt" 2>/dev/null ||
	fail "ss failed"
# ss -tnmie: one line a socket with ino:, sk:, skmem:(...), mss:, cwnd:.
python3 - "$T/sw.json" "$T/ss.txt" <<'PY' || fail "sockwatch and ss disagree"
import json, re, sys

doc = json.load(open(sys.argv[1]))
ours = {s["local"] + " " + s["peer"]: s for s in doc["sockets"]
        if s["state"] == "ESTABLISHED"}
assert len(ours) == 3, ours.keys()
# A socket's details go on to lines that start with white space.
lines = []
for raw in open(sys.argv[2]):
    if raw[:1].isspace() and lines:
        lines[-1] += " " + raw.strip()
    elif raw.strip():
        lines.append(raw.strip())
seen = 0
for line in lines:
    f = line.split()
    key = f[2] + " " + f[3]
    s = ours[key]
    ino = int(re.search(r"ino:(\d+)", line).group(1))
    uid = int(re.search(r"uid:(\d+)", line).group(1)) if "uid:" in line else 0
    cookie = int(re.search(r"sk:([0-9a-f]+)", line).group(1), 16)
    skmem = dict(re.findall(r"([a-z]+)(\d+)",
                            re.search(r"skmem:\(([^)]*)\)", line).group(1)))
    mss = int(re.search(r"\bmss:(\d+)", line).group(1))
    cwnd = int(re.search(r"\bcwnd:(\d+)", line).group(1))
    assert s["inode"] == ino and s["uid"] == uid, (s, line)
    assert int(s["cookie"], 16) == cookie, (s, line)
    # Idle connections: buffers and windows do not move between the dumps.
    assert s["skmem"]["rcvbuf"] == int(skmem["rb"]), (s, line)
    assert s["skmem"]["sndbuf"] == int(skmem["tb"]), (s, line)
    assert s["skmem"]["rmem_alloc"] == int(skmem["r"]), (s, line)
    assert s["tcp_info"]["mss"] == mss and s["tcp_info"]["cwnd"] == cwnd, (s, line)
    assert s["tcp_info"]["rtt_ms"] > 0, s
    seen += 1
assert seen == 3, seen
PY

# The text columns of the same sockets.
"$SOCKWATCH" -N "$ns" -b -e -m -i 'sport = :7300' >"$T/sw.txt" || fail "text"
[ "$(grep -c '^ESTABLISHED .* 0x[0-9a-f]* .*skmem:(r[0-9]*,rb[0-9]*,.* rtt:[0-9.]* .*cwnd:[0-9]*' "$T/sw.txt")" -eq 3 ] ||
	fail "text lines lack the cookie, skmem or tcp_info: $(cat "$T/sw.txt")"

# ss's habits select the same three connections, by name too.
for o in -tanp -ntp -tan; do
	n=$("$SOCKWATCH" -N "$ns" $o -f json 'sport = :7300' | jq '[.sockets[] | select(.state == "ESTABLISHED")] | length')
	[ "$n" -eq 3 ] || fail "sockwatch $o: $n connections to 7300, expected 3"
done
n=$("$SOCKWATCH" -N "$ns" -f json dst localhost and dport = :7300 | jq '.sockets | length')
[ "$n" -eq 3 ] || fail "dst localhost and dport = :7300: $n sockets, expected 3"
n=$("$SOCKWATCH" -N "$ns" -f json -tlnp | jq '[.sockets[] | select(.state == "LISTEN")] | length')
[ "$n" -eq 2 ] || fail "-tlnp: $n listeners, expected 2"

# Five connections in a queue of backlog 4: the value stays within max.
"$SOCKWATCH" -N "$ns" --check -d 0.2 >"$T/check.out"
status=$?
[ "$status" -eq 2 ] || fail "--check exited $status, expected 2: $(cat "$T/check.out")"
grep -q "'accept_queue 127.0.0.1:7301'=5;" "$T/check.out" ||
	fail "no accept_queue of 5 for 7301: $(cat "$T/check.out")"
python3 "$TESTS_SRCDIR/perfdata.py" <"$T/check.out" ||
	fail "invalid perfdata: $(cat "$T/check.out")"
echo "ss columns agree with ss; names select; perfdata valid"
