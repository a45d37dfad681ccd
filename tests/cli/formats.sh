#!/bin/sh
# formats.sh - every format's report of every recording in tests/data,
# byte for byte: one poll, --count 2, --summary, -e -m -i, findings
# (tests/data/findings.conf), a filter and --check, with exit statuses,
# against tests/data/formats.golden. A change to what a format writes is a
# change to the golden file, made on purpose:
#   FORMATS_REGEN=1 SOCKWATCH=src/sockwatch tests/cli/formats.sh
# The formats come from --list-formats, so a new one without its golden
# output fails here.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
. "$TESTS_SRCDIR/cli/cli-lib.sh"

golden="$DATA/formats.golden"
t=$(tmpdir)
ver=$("$SOCKWATCH" --version | sed -n '1s/.* //p')
[ -n "$ver" ] || fail "--version gives no version"
fmts=${FORMATS:-$("$SOCKWATCH" --list-formats)} ||
	fail "--list-formats failed"
[ "$(echo "$fmts" | wc -w)" -ge 6 ] || fail "--list-formats lists: $fmts"

# run ARGS...: one line of the golden file: the report's SHA-256, the
# exit status and the arguments; the report itself in $t/last.
run() {
	LC_ALL=C "$SOCKWATCH" "$@" >"$t/last" 2>&1
	_st=$?
	sed -i -e "s|\"sockwatch\":\"$ver\"|\"sockwatch\":\"@VERSION@\"|" \
	    -e "s|^sockwatch $ver on|sockwatch @VERSION@ on|" "$t/last"
	_sum=$(sha256sum <"$t/last")
	echo "${_sum%% *} $_st $*" | sed "s|$DATA/||g"
	cp "$t/last" "$t/report.$_n"
	_n=$((_n + 1))
}

_n=0
for rec in basic basic-family filter-pop states-v4v6-server \
    states-v4v6-client tui-small; do
	for f in $fmts; do
		r="--replay $DATA/$rec.rec -f $f"
		run $r -c 1
		run $r -c 2
		run $r -s
		run $r -e -m -i -o
		run $r --config "$DATA/findings.conf"
		run $r state established or state listen
		run $r --check --config "$DATA/findings.conf"
	done
done >"$t/now"

if [ -n "${FORMATS_REGEN:-}" ]; then
	cp "$t/now" "$golden"
	echo "wrote $golden"
	exit 0
fi
if ! diff "$golden" "$t/now" >"$t/diff"; then
	# The first report that differs, as it is now.
	n=$(diff "$golden" "$t/now" | sed -n '1s/^\([0-9]*\).*/\1/p')
	fail "reports differ from formats.golden (SHA-256, exit, arguments):
$(head -20 "$t/diff")
report $n now:
$(head -c 3000 "$t/report.$((n - 1))")"
fi
echo "$(wc -l <"$golden") reports of $(echo $fmts | wc -w) formats as formats.golden has them"
