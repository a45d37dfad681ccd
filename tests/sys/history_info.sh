#!/bin/sh
# history_info.sh - a run that expects many connections it cannot date gets
# their tcp_info in its one dump, not by walking the kernel's tables again.
#
# A socket new to the history, first seen more than 2 s after the last
# poll, needs its tcp_info: its last send, receive and ACK bound its age.
# Past 1024 of them sockwatch fetched it by a second dump of their states,
# a walk of every socket as long as the first. Now a run that expects more
# than that (no history; or more connections opened since the history's
# last reading, /proc/net/snmp's ActiveOpens + PassiveOpens) asks for
# tcp_info in its dump. In a namespace with 600 connections (1200
# ESTABLISHED sockets), each run's recording says which it did: a dump
# whose ESTABLISHED records carry INET_DIAG_INFO, or INFO frames after it.
#  1. no history: tcp_info in the dump, no INFO frames;
#  2. 3 s later, nothing new: neither (every socket is known);
#  3. 600 connections more, 3 s later: tcp_info in the dump again, and
#     every new socket's age is a lower bound, as the second dump gave it.
. "$TESTS_SRCDIR/lib.sh"
require_root
require_cmd jq python3
d=$(tmpdir)
ns=$(make_netns hinfo)
hold_sockets "$ns" 1 600 0 0 7100

# run NAME: a batch report of the namespace with the history in $d/state,
# its recording in $d/NAME.rec, the JSON in $d/NAME.json.
run() {
	"$SOCKWATCH" -N "$ns" --state-file "$d/state" --record "$d/$1.rec" \
	    -f json >"$d/$1.json" || fail "$1: sockwatch exited $?"
}

# kinds NAME: "ESTABLISHED records with tcp_info in the dump, INFO frames"
# (frames: 16-byte header of kind, length; DUMP 2 holds one datagram,
# INFO 6 the same of the dump made for tcp_info).
kinds() {
	python3 - "$d/$1.rec" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
off, with_info, info_frames = 16, 0, 0
while off + 16 <= len(data):
    kind, length, _ = struct.unpack_from('=IIQ', data, off)
    body = data[off + 16:off + 16 + length]
    off += 16 + ((length + 7) & ~7)
    if kind == 6:
        info_frames += 1
    if kind != 2:
        continue
    at = 0
    while at + 16 <= len(body):
        mlen, mtype = struct.unpack_from('=IH', body, at)
        if mlen < 16:
            break
        if mtype in (18, 20) and mlen >= 16 + 72 and body[at + 17] == 1:
            a = at + 16 + 72
            while a + 4 <= at + mlen:
                alen, atype = struct.unpack_from('=HH', body, a)
                if alen < 4:
                    break
                if atype & 0x7fff == 2:	# INET_DIAG_INFO
                    with_info += 1
                a += (alen + 3) & ~3
        at += (mlen + 3) & ~3
print(with_info, info_frames)
PY
}

# expect NAME LEAST WHAT: run NAME's dump holds tcp_info on LEAST or more
# ESTABLISHED records (on none when LEAST is 0), and no INFO frame follows.
expect() {
	run "$1"
	set -- "$2" "$3" $(kinds "$1")
	if [ "$1" -gt 0 ]; then want="$1 or more"; else want=none; fi
	{ [ "$3" -ge "$1" ] && { [ "$1" -gt 0 ] || [ "$3" -eq 0 ]; } &&
	    [ "$4" -eq 0 ]; } ||
		fail "$2: $3 ESTABLISHED records with tcp_info in the dump" \
		    "and $4 INFO frames (want $want, and no INFO frame)"
}

expect first 1200 "no history"
sleep 3
expect known 0 "every socket known"

specs="listen:127.0.0.1:7101"
i=0
while [ $i -lt 600 ]; do
	i=$((i + 1))
	specs="$specs est:127.0.0.1:7101:n$i"
done
hold_specs "$ns" 8 $specs
sleep 3
expect new 2400 "600 new connections"

# The 1200 new sockets (on addresses unknown to the earlier runs): each
# age at least what tcp_info proves, never a known age.
jq -r '.sockets[] | select(.state == "ESTABLISHED") |
    [.local, .peer, (.age_s | tostring), (.age_at_least_s | tostring)] |
    join(" ")' "$d/known.json" | awk '{ print $1; print $2 }' |
    sort -u >"$d/known.addrs"
jq -r '.sockets[] | select(.state == "ESTABLISHED") |
    [.local, .peer, (.age_s | tostring), (.age_at_least_s | tostring)] |
    join(" ")' "$d/new.json" >"$d/new.rows"
awk 'NR == FNR { seen[$1] = 1; next }
    !(seen[$1] && seen[$2]) { n++; if ($3 != "null" || $4 == "null") bad++ }
    END { printf "%d %d\n", n, bad }' "$d/known.addrs" "$d/new.rows" \
    >"$d/new.count"
read -r n bad <"$d/new.count"
[ "$n" -eq 1200 ] || fail "$n ESTABLISHED sockets new to the history, not 1200"
[ "$bad" -eq 0 ] ||
	fail "$bad new sockets without an age at least (or with a known age)"
note "dump with tcp_info when no history and after 600 new connections"
exit 0
