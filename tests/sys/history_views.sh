#!/bin/sh
# history_views.sh - the state file between batch runs: a socket's age grows
# from run to run, and a run that asks for some sockets only (--state, -4,
# a filter) keeps its history apart, so it does not make every other socket
# new again. --state-file never creates directories, and a history it
# cannot save fails the run (exit 3). History files of sockwatch's own
# directory unused for a day, or written before this boot, are removed.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_cmd jq

ns=$(make_netns hist)
hold_sockets "$ns" 1 2 0 0 7000

# The age of one ESTABLISHED socket of port 7000, as a report says (at
# least: the first run did not see it begin): the one with the lowest
# cookie. Cookies are hex strings, a shorter one lower; they are not given
# in the order sockets are made (each CPU takes a batch), so sockets made
# later for another port could have lower ones.
age() {
	"$SOCKWATCH" -N "$ns" -f json >"$(tmpdir)/age.json" || fail "sockwatch -N $ns"
	jq -e '[.sockets[] | select(.state == "ESTABLISHED" and
	    ((.local | endswith(":7000")) or (.peer | endswith(":7000"))))] |
	    sort_by([(.cookie | length), .cookie]) |
	    .[0].age_at_least_s' "$(tmpdir)/age.json"
}

a0=$(age) || fail "no ESTABLISHED socket in the report"
sleep 1.2
a1=$(age) || fail "no ESTABLISHED socket in the second report"
jq -ne "$a1 >= $a0 + 1" >/dev/null ||
	fail "the age did not grow between runs: $a0 then $a1"

# Views of some sockets only, between two full reports.
"$SOCKWATCH" -N "$ns" -s --state listen >/dev/null || fail "--state listen"
"$SOCKWATCH" -N "$ns" -s -6 >/dev/null || fail "-6"
"$SOCKWATCH" -N "$ns" -s 'sport = :7000' >/dev/null || fail "a filter"
sleep 0.5
a2=$(age) || fail "no ESTABLISHED socket in the third report"
jq -ne "$a2 >= $a1 + 0.5" >/dev/null ||
	fail "a partial view reset the ages: $a1, then $a2 after the views"
n=$(ls "$SOCKWATCH_STATE_DIR" | grep -c '\.view-')
[ "$n" -eq 3 ] || fail "expected three histories of views, got $n: $(ls "$SOCKWATCH_STATE_DIR")"

# Expired histories go at the next save: one a day old, one from before
# this boot; a fresh one, a link, another name and a file with a second
# link stay.
S=$SOCKWATCH_STATE_DIR
boot=$(( $(date +%s) - $(cut -d. -f1 /proc/uptime) ))
for f in state.view-old state.view-boot state.view-fresh state.web notes \
    state.view-linked; do
	echo x >"$S/$f"
done
ln "$S/state.view-linked" "$S/linked-too"
ln -s state.view-fresh "$S/state.view-symlink"
touch -d '25 hours ago' "$S/state.view-old" "$S/notes" "$S/state.view-linked"
touch -h -d '25 hours ago' "$S/state.view-symlink"
touch -d "@$((boot - 120))" "$S/state.view-boot"
"$SOCKWATCH" -N "$ns" -s >/dev/null || fail "a report"
for f in state.view-old state.view-boot; do
	[ ! -e "$S/$f" ] || fail "$f did not expire: $(ls "$S")"
done
for f in state.view-fresh state.web notes state.view-linked \
    state.view-symlink; do
	[ -e "$S/$f" ] || [ -L "$S/$f" ] || fail "$f was removed"
done
[ "$(ls "$S" | grep -c '\.view-[0-9a-f]\{16\}$')" -eq 3 ] ||
	fail "a view in use was removed: $(ls "$S")"

# An explicit --state-file in a directory that is not there: said, not
# made, and the run fails after its report.
dir=$(tmpdir)
"$SOCKWATCH" -N "$ns" -s --state-file "$dir/missing/state" >"$dir/out" \
    2>"$dir/err"
st=$?
[ "$st" -eq 3 ] || fail "a state file not saved: exit $st, expected 3"
grep -q ESTABLISHED "$dir/out" || fail "no report before the error"
[ -d "$dir/missing" ] && fail "--state-file created a directory"
grep -q "cannot write state file $dir/missing/state" "$dir/err" ||
	fail "no word of the state file: $(cat "$dir/err")"

# A listing's history is saved while the listing is written: the same
# error after the whole report, in every format.
for args in "" "-f json" "-f csv"; do
	"$SOCKWATCH" -N "$ns" $args --state-file "$dir/missing/state" \
	    >"$dir/out" 2>"$dir/err"
	st=$?
	[ "$st" -eq 3 ] || fail "'$args', state file not saved: exit $st"
	[ "$(grep -c 'cannot write state file' "$dir/err")" -eq 1 ] ||
		fail "'$args': $(cat "$dir/err")"
	grep -q 7000 "$dir/out" || fail "'$args': no listing before the error"
done

# A report that cannot be written still keeps the poll's history, whole,
# and leaves no temporary file.
state="$S/state.$ns"
before=$(stat -c %y "$state") || fail "no history of $ns in $(ls "$S")"
sleep 0.1
"$SOCKWATCH" -N "$ns" >/dev/full 2>"$dir/err"
st=$?
[ "$st" -eq 3 ] || fail "a report to /dev/full: exit $st, expected 3"
[ "$(wc -l <"$dir/err")" -eq 1 ] &&
    grep -q 'cannot write the report' "$dir/err" ||
	fail "a report to /dev/full: $(cat "$dir/err")"
[ "$(stat -c %y "$state")" != "$before" ] ||
	fail "the history of a report that could not be written was lost"
ls -a "$S" | grep -q "^state\.$ns\.......\$" &&
	fail "a temporary state file was left: $(ls -a "$S")"
a3=$(age) || fail "no ESTABLISHED socket after the failed report"
jq -ne "$a3 >= $a2" >/dev/null ||
	fail "the history after a failed report: $a2, then $a3"

# SIGTERM during a report that waits on its reader (a pager, a terminal)
# ends the run once the history is saved, not once the report is read:
# here a pipe of one page that nobody reads, and a report longer than it.
hold_sockets "$ns" 1 60 0 0 7100
python3 - "$SOCKWATCH" "$ns" <<'EOF' || fail "SIGTERM during a report that waits"
import fcntl, os, signal, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, 1031, 4096)		# F_SETPIPE_SZ: one page
p = subprocess.Popen([sys.argv[1], "-N", sys.argv[2]], stdout=w,
    stderr=subprocess.DEVNULL)
os.close(w)
time.sleep(2)
if p.poll() is not None:
    sys.exit("the report did not wait for its reader")
p.send_signal(signal.SIGTERM)
try:
    st = p.wait(timeout=10)
except subprocess.TimeoutExpired:
    p.kill()
    p.wait()
    sys.exit("SIGTERM waited for the report to be read")
os.close(r)
if st != -signal.SIGTERM:
    sys.exit("ended with %d, not by SIGTERM" % st)
EOF
ls -a "$S" | grep -q "^state\.$ns\.......\$" &&
	fail "SIGTERM left a temporary state file: $(ls -a "$S")"
a4=$(age) || fail "no ESTABLISHED socket after SIGTERM"
jq -ne "$a4 >= $a3" >/dev/null ||
	fail "the history after SIGTERM: $a3, then $a4"

# A report piped to a reader that is gone (| head that has read enough)
# ends by SIGPIPE, as any program in a pipe does, once its history is
# saved: the write that meets the closed pipe comes while the save runs.
before=$(stat -c %y "$state")
python3 - "$SOCKWATCH" "$ns" <<'EOF' || fail "a report to a closed pipe"
import os, signal, subprocess, sys
r, w = os.pipe()
os.close(r)			# the reader is gone before the first write
p = subprocess.Popen([sys.argv[1], "-N", sys.argv[2], "-f", "json"],
    stdout=w, stderr=subprocess.PIPE)
os.close(w)
try:
    err = p.communicate(timeout=30)[1]
except subprocess.TimeoutExpired:
    p.kill()
    p.wait()
    sys.exit("a report to a closed pipe did not end")
if p.returncode != -signal.SIGPIPE:
    sys.exit("ended with %d, not by SIGPIPE: %s" % (p.returncode, err))
if err:
    sys.exit("SIGPIPE said something: %s" % err)
EOF
ls -a "$S" | grep -q "^state\.$ns\.......\$" &&
	fail "a report to a closed pipe left a temporary state file: $(ls -a "$S")"
[ "$(stat -c %y "$state")" != "$before" ] ||
	fail "the history of a report to a closed pipe was lost"
a5=$(age) || fail "no ESTABLISHED socket after SIGPIPE"
jq -ne "$a5 >= $a4" >/dev/null ||
	fail "the history after SIGPIPE: $a4, then $a5"
exit 0
