#!/bin/sh
# run.sh SECONDS TARGET... - make fuzz: run each libFuzzer target for
# SECONDS from its seed corpus, then print one line per target: executions,
# coverage (libFuzzer's cov: edges, ft: features), corpus size and crashes.
# What a run learns goes to work-NAME beside the targets, crashes to
# crashes-found/; the seeds in the sources are never written.
# FUZZ_FORK=1 goes on after a crash (libFuzzer -fork=1 -ignore_crashes=1).
set -u
seconds=$1
shift
bin=${FUZZ_BIN:?}
src=${FUZZ_SRC:?}
mkdir -p "$bin/crashes-found"
summary=
for t in "$@"; do
	mkdir -p "$bin/work-$t"
	set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$bin/crashes-found/$t-"
	[ -f "$src/$t.dict" ] && set -- "$@" -dict="$src/$t.dict"
	[ "${FUZZ_FORK:-0}" = 1 ] && set -- "$@" -fork=1 -ignore_crashes=1
	echo "=== fuzz_$t for ${seconds}s"
	"$bin/fuzz_$t" "$@" "$bin/work-$t" "$src/corpus-$t" \
		>"$bin/$t.fuzzlog" 2>&1
	status=$?
	last=$(grep -E '^#[0-9]+' "$bin/$t.fuzzlog" | tail -1)
	execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
	crashes=$(ls "$bin/crashes-found" | grep -c "^$t-")
	ubsan=$(grep -c 'runtime error' "$bin/$t.fuzzlog")
	line="$t: execs ${execs:-?} cov ${cov:-?} ft ${ft:-?} corpus ${corp:-?} crashes $crashes ubsan-reports $ubsan exit $status"
	echo "$line"
	summary="$summary$line
"
done
echo "=== summary"
printf '%s' "$summary"
