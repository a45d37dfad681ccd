#!/bin/sh
# csv.sh - the CSV report, read back by Python's csv module: its rows and
# fields agree with the JSON report of the same recording; it is one RFC
# 4180 table with the same columns whatever the flags, and the findings
# are a table of their own (-f csv-findings).
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
require_cmd python3

t=$(tmpdir)
sw "$t/basic.csv" --replay "$BASIC" -f csv
sw "$t/basic.json" --replay "$BASIC" -f json
sw "$t/sum.csv" --replay "$BASIC" -f csv -s
sw "$t/two.csv" --replay "$BASIC2" -f csv
sw "$t/flags.csv" --replay "$BASIC" -f csv -o -e -m -i -tan
sw "$t/multi.csv" --replay "$BASIC" -f csv --config "$DATA/findings.conf"
sw "$t/findings.csv" --replay "$BASIC" -f csv-findings --config "$DATA/findings.conf"
sw "$t/none.csv" --replay "$BASIC" -f csv-findings

python3 - "$t" <<'PY' || fail "CSV and JSON disagree"
import csv, json, sys

t = sys.argv[1]

def rows(name):
    with open(f"{t}/{name}", newline="", encoding="utf-8") as f:
        return list(csv.reader(f, strict=True))

doc = json.load(open(f"{t}/basic.json"))
table = rows("basic.csv")
header = table[0]
assert header[:19] == ["state", "local", "peer", "recv_q", "send_q", "timer",
                  "expires_ms", "retrans", "uid", "inode", "cookie",
                  "age_s", "age_at_least_s", "state_age_s",
                  "state_age_at_least_s", "pid", "process", "netns",
                  "peer_name"], header
assert "rtt_ms" in header and "rcvbuf" in header, header
body = table[1:]
assert len(body) == len(doc["sockets"]) == 30, len(body)
for row, sock in zip(body, doc["sockets"]):
    assert len(row) == len(header), row
    rec = dict(zip(header, row))
    for key in ("state", "local", "peer", "timer", "cookie"):
        assert rec[key] == sock[key], (key, rec, sock)
    for key in ("recv_q", "send_q", "expires_ms", "retrans", "uid", "inode"):
        assert int(rec[key]) == sock[key], (key, rec, sock)
    # Unknown is empty: a recording holds no processes, no names.
    assert rec["pid"] == rec["process"] == rec["peer_name"] == "", rec
    for key in ("age_s", "age_at_least_s", "state_age_s",
                "state_age_at_least_s"):
        want = "" if sock[key] is None else sock[key]
        assert (rec[key] and float(rec[key])) == want, (key, rec, sock)

# RFC 4180 line ends, and nothing else ends a line.
raw = open(f"{t}/basic.csv", "rb").read()
assert raw.count(b"\r\n") == 31 and b"\n" not in raw.replace(b"\r\n", b"")

# --summary: one row per state, the counts of the JSON report.
summary = rows("sum.csv")
assert summary[0] == ["state", "count"], summary[0]
assert len(summary) == 12
assert {r[0]: int(r[1]) for r in summary[1:]} == doc["states"]

# The flags of ss change no column: the same table, the same header.
flags = rows("flags.csv")
assert flags[0] == header and len(flags) == len(table), flags[0]
# A recording's tcp_info and memory fill their columns whatever the flags.
assert flags == table

# Findings never add a second table to -f csv; -f csv-findings is one
# table of them, its header even when there are none.
multi = rows("multi.csv")
assert multi == table, "findings changed the socket table"
fh = ["netns", "rule", "severity", "subject", "summary", "cause", "advice",
      "pid", "evidence"]
found = rows("findings.csv")
assert found[0] == fh, found[0]
assert len(found) > 2 and all(len(r) == len(fh) for r in found), found
assert {r[1] for r in found[1:]} >= {"close-wait", "time-wait"}, found
assert rows("none.csv") == [fh]
raw = open(f"{t}/findings.csv", "rb").read()
assert b"\r\n\r\n" not in raw and b"\n" not in raw.replace(b"\r\n", b"")

# Two polls: two tables, each with its header.
two = rows("two.csv")
assert len(two) == 2 * 31 and two[31] == header
print("ok")
PY
exit 0
