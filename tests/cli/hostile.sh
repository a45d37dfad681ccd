#!/bin/sh
# hostile.sh - text from outside sockwatch cannot drive the terminal, and a
# configuration that arrives in pieces is read whole (issue 11).
#
# A recording's host and netns fields are anyone's bytes: the text report
# shows them sanitised (no ESC, no BEL), JSON gives back the very bytes
# (jq decodes them), an invalid UTF-8 byte as U+FFFD. Error messages quote
# paths through the same sanitiser.
. "$TESTS_SRCDIR/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"
require_cmd jq python3
T=$(tmpdir)

# basic.rec with its POLL frames' host and netns replaced (same frames,
# lengths and padding recomputed).
python3 - "$BASIC" "$T/evil.rec" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
out, off = bytearray(data[:16]), 16
host = b"web\x1b]0;owned\x07\x1b[2J\xc2\x9b1m\xff"
netns = b"ns\x1b[31mred"
while off + 16 <= len(data):
    kind, length, t = struct.unpack_from("=IIQ", data, off)
    body = data[off + 16:off + 16 + length]
    off += 16 + ((length + 7) & ~7)
    if kind == 1:   # REC_POLL: key=value lines
        lines = [b"host=" + host if l.startswith(b"host=") else
                 b"netns=" + netns if l.startswith(b"netns=") else l
                 for l in body.split(b"\n")]
        body = b"\n".join(lines)
    out += struct.pack("=IIQ", kind, len(body), t) + body
    out += b"\0" * (((len(body) + 7) & ~7) - len(body))
open(sys.argv[2], "wb").write(out)
PY
grep -q "$(printf 'owned')" "$T/evil.rec" || fail "the recording was not rewritten"

# No control byte at all in the text report (only its line breaks).
"$SOCKWATCH" --replay "$T/evil.rec" -c 1 >"$T/text" 2>"$T/err" ||
	fail "text report: exit $?: $(cat "$T/err")"
tr -d '\n' <"$T/text" | LC_ALL=C grep -q "$(printf '[\001-\037\177]')" &&
	fail "a control byte reached the text report: $(head -1 "$T/text" | od -c | head)"
head -1 "$T/text" | grep -qF 'on web\x1b]0;owned\x07\x1b[2J\xc2\x9b1m\xff, network namespace ns\x1b[31mred,' ||
	fail "header: $(head -1 "$T/text")"
"$SOCKWATCH" --replay "$T/evil.rec" -c 1 -s -f nagios >"$T/nagios" 2>"$T/err"
LC_ALL=C grep -q "$(printf '[\001-\037\177]')" "$T/nagios" &&
	fail "a control byte reached the nagios line"

# JSON: the raw bytes, escaped once (\u001b), never C-escaped first.
"$SOCKWATCH" --replay "$T/evil.rec" -c 1 -s -f json >"$T/json" 2>"$T/err" ||
	fail "json: exit $?"
grep -qF '"host":"web\u001b]0;owned\u0007\u001b[2J\u009b1m\ufffd"' "$T/json" ||
	fail "host in JSON: $(grep -o '"host":"[^"]*"' "$T/json")"
grep -qF '"netns":"ns\u001b[31mred"' "$T/json" || fail "netns in JSON"
[ "$(jq -j .netns "$T/json" | od -An -tx1 | tr -d ' \n')" = \
    "6e731b5b33316d726564" ] || fail "jq does not decode the netns bytes"

# An error message quoting a path: sanitised, one line.
"$SOCKWATCH" --replay "$(printf "$T/x\033[2J\nline2")" >/dev/null 2>"$T/err"
[ $? -eq 3 ] || fail "missing recording: exit not 3"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "message spans lines: $(cat "$T/err")"
LC_ALL=C grep -q "$(printf '\033')" "$T/err" && fail "ESC in a message"
grep -qF 'x\x1b[2J\x0aline2' "$T/err" || fail "message: $(cat "$T/err")"

# --config through a pipe that delivers it in two pieces: read to the end.
# The value "1000" is cut after "1": read once, the threshold was 1 and
# close-wait raised a WARNING; read whole, nothing is wrong.
conf='hysteresis.raise_after = 1\nrule.close-wait.min_age_s = 0\nrule.close-wait.warning_count = 1'
{ printf "$conf"; sleep 0.3; printf '000\n'; } |
	"$SOCKWATCH" --replay "$BASIC" --config /dev/stdin -f nagios -c 1 \
	>"$T/split" 2>"$T/err"
st=$?
[ $st -eq 0 ] || fail "split config: exit $st: $(cat "$T/split" "$T/err")"
grep -q '^SOCKWATCH OK - ' "$T/split" || fail "split config: $(cat "$T/split")"
# The same whole in one piece warns: the test can tell the two apart.
printf "$conf\n" | "$SOCKWATCH" --replay "$BASIC" --config /dev/stdin \
	-f nagios -c 1 >"$T/whole" 2>"$T/err"
[ $? -eq 1 ] || fail "warning_count = 1 did not warn: $(cat "$T/whole")"
# A bad line in the second piece is seen: exit 64 with its line number.
{ printf 'hysteresis.raise_after = 1\n'; sleep 0.3; printf 'nonsense\n'; } |
	"$SOCKWATCH" --replay "$BASIC" --config /dev/stdin -s >/dev/null \
	2>"$T/err"
[ $? -eq 64 ] || fail "a bad second piece was not read"
grep -q '^sockwatch: /dev/stdin:2: ' "$T/err" || fail "message: $(cat "$T/err")"
exit 0
