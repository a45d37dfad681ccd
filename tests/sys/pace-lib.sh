# tests/sys/pace-lib.sh - what the --cpu-budget tests share: a paced batch
# run in the background, the commands of hold_sockets' sockgen, and the
# end of the run. Sourced after tests/lib.sh.

# start_paced NS OUT COUNT: COUNT JSON reports in OUT, 0.25 s apart, under
# a budget no poll meets (0.01 % of a core: a full poll every tenth).
# Returns once OUT holds a full poll under pacing (bulk_every > 1, nothing
# carried), the moment to change a connection.
start_paced() {
	PACED_OUT=$2
	"$SOCKWATCH" -N "$1" --batch -f json -c "$3" -d 0.25 --cpu-budget 0.01 \
	    >"$PACED_OUT" 2>"$PACED_OUT.err" &
	PACED_PID=$!
	track_pid $PACED_PID
	wait_for 20 _full_paced ||
		fail "no full poll under pacing: $(cat "$PACED_OUT.err")"
}

_full_paced() {
	jq -se 'any(.[]; (.bulk_every // 1) > 1 and .carried == 0)' "$PACED_OUT"
}

# end_paced: the run's end (at most 30 s more); it must have succeeded.
end_paced() {
	_ep=0
	while kill -0 $PACED_PID 2>/dev/null && [ $_ep -lt 300 ]; do
		sleep 0.1
		_ep=$((_ep + 1))
	done
	wait $PACED_PID || fail "sockwatch exited $?: $(cat "$PACED_OUT.err")"
}

# hold_say VERB NAME: shut or close the connection of NAME (sockgen_hold.c);
# HOLD_PORT is its client's port once sockgen has done it.
hold_say() {
	echo "$1 $2" >&9
	wait_for 5 grep -q "^$1 $2 " "$HOLD_OUT" ||
		fail "sockgen did not $1 $2: $(cat "$HOLD_OUT")"
	HOLD_PORT=$(sed -n "s/^$1 $2 //p" "$HOLD_OUT")
}
