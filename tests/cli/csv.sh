#!/bin/sh
# csv.sh - the CSV report, read back by Python's csv module: its rows and
# fields agree with the JSON report of the same recording.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
require_cmd python3

t=$(tmpdir)
sw "$t/basic.csv" --replay "$BASIC" -f csv
sw "$t/basic.json" --replay "$BASIC" -f json
sw "$t/sum.csv" --replay "$BASIC" -f csv -s
sw "$t/two.csv" --replay "$BASIC2" -f csv

python3 - "$t" <<'PY' || fail "CSV and JSON disagree"
import csv, json, sys

t = sys.argv[1]

def rows(name):
    with open(f"{t}/{name}", newline="", encoding="utf-8") as f:
        return list(csv.reader(f, strict=True))

doc = json.load(open(f"{t}/basic.json"))
table = rows("basic.csv")
header = table[0]
assert header == ["state", "local", "peer", "recv_q", "send_q", "timer",
                  "expires_ms", "retrans", "uid", "inode", "cookie"], header
body = table[1:]
assert len(body) == len(doc["sockets"]) == 30, len(body)
for row, sock in zip(body, doc["sockets"]):
    assert len(row) == len(header), row
    rec = dict(zip(header, row))
    for key in ("state", "local", "peer", "timer", "cookie"):
        assert rec[key] == sock[key], (key, rec, sock)
    for key in ("recv_q", "send_q", "expires_ms", "retrans", "uid", "inode"):
        assert int(rec[key]) == sock[key], (key, rec, sock)

# RFC 4180 line ends, and nothing else ends a line.
raw = open(f"{t}/basic.csv", "rb").read()
assert raw.count(b"\r\n") == 31 and b"\n" not in raw.replace(b"\r\n", b"")

# --summary: one row per state, the counts of the JSON report.
summary = rows("sum.csv")
assert summary[0] == ["state", "count"], summary[0]
assert len(summary) == 12
assert {r[0]: int(r[1]) for r in summary[1:]} == doc["states"]

# Two polls: two tables, each with its header.
two = rows("two.csv")
assert len(two) == 2 * 31 and two[31] == header
print("ok")
PY
exit 0
