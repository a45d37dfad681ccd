#!/bin/sh
# tests/lib.sh's fail and skip end the test even from inside $(...) or a
# pipeline, where exit alone leaves only the subshell and a broken test
# would go on to pass.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"

t=$(tmpdir)

# run_case NAME BODY: a test script of its own that sources lib.sh.
run_case() {
	printf '. "%s/lib.sh"\n%s\necho reached\nexit 0\n' "$TESTS_SRCDIR" "$2" \
		>"$t/$1.sh"
	TESTS_SRCDIR=$TESTS_SRCDIR ${SHELL:-/bin/sh} "$t/$1.sh" >"$t/$1.out" 2>"$t/$1.err"
}

for shell in sh dash bash; do
	command -v "$shell" >/dev/null 2>&1 || continue
	SHELL=$(command -v "$shell")
	run_case subst 'helper() { fail "in a subshell"; }; x=$(helper)'
	st=$?
	[ $st -eq 1 ] || fail "$shell: fail inside \$(...): test exited $st"
	! grep -q reached "$t/subst.out" || fail "$shell: the test went on after fail"
	grep -q '^FAIL: in a subshell' "$t/subst.err" || fail "$shell: no FAIL line"

	run_case pipe 'echo x | while read -r l; do fail "in a pipeline"; done'
	st=$?
	[ $st -eq 1 ] || fail "$shell: fail in a pipeline: test exited $st"

	run_case skip 'x=$(skip "no tool")'
	st=$?
	[ $st -eq 77 ] || fail "$shell: skip inside \$(...): test exited $st"

	run_case plain 'fail "at top"'
	st=$?
	[ $st -eq 1 ] || fail "$shell: fail: test exited $st"

	run_case ok 'x=$(tmpdir); [ -d "$x" ] || exit 3'
	st=$?
	[ $st -eq 0 ] && grep -q reached "$t/ok.out" ||
		fail "$shell: a passing test exited $st"
done
echo "fail and skip end the test from subshells too"
