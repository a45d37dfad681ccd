#!/bin/sh
# structure.sh - the boundaries between source files, read from the
# compiler and the objects of this build, not from grep on the text:
#  - curses: only src/tui*.c include it, directly or through any header
#    (the compiler's dependency list, so a transitive include counts);
#  - SOCK_DESTROY: only src/kill.c uses the macro, found in the token
#    stream the preprocessor makes of each file (so a comment or a string
#    does not count, and a wrapper macro in a header does);
#  - calls: the graph between source files (an undefined symbol of one
#    object resolved to the object that defines it) has no cycle, save the
#    registry below. A cycle means a function lives in the wrong file: the
#    files of a cycle cannot be read, tested or linked one without the other.
# make check passes the compiler, the flags and the sources of the build
# (tests/cli/local.mk); the objects are read from the build directory.
. "$TESTS_SRCDIR/lib.sh"

# A registry names its members: the rule table in anomaly.c lists the rules
# of the rule files, which use anomaly.c's helpers (as tmux's cmd_table in
# cmd.c lists the cmd-*.c files). A member is a file that defines a symbol
# of the given prefix (a rule file defines anomaly_check_*; anomaly_text.c
# and anomaly_evidence.c are helpers, not members). Edges FROM the registry
# TO a member are left out of the graph; every other edge counts.
registry='anomaly.c>anomaly_check_'

# Cycles left to another change, each as its exact set of files (sorted,
# separated by commas): reported, not failed; a larger set fails. None
# today; keep the mechanism for a change that lands in steps.
pending=''

[ -n "${STRUCTURE_CC:-}" ] ||
	skip "run through make check: it passes the compiler and flags of the build"
nm=${NM:-nm}
command -v "$nm" >/dev/null 2>&1 || skip "needs nm (binutils)"
require_cmd awk grep sed tr

srcdir=$TESTS_SRCDIR/..
cd "$TESTS_BUILDDIR/.." || fail "no build directory at $TESTS_BUILDDIR/.."
work=$(tmpdir)

# SOCK_DESTROY is a macro, gone from the preprocessed text: each file is
# preprocessed with it defined first as a marker that stays there (the
# kernel header, included first, is not read again), so the marker shows
# where the macro is used, also through another macro, and not where a
# comment or a string names it.
marker=sockwatch_structure_destroy_marker
printf '#include <linux/sock_diag.h>\n#undef SOCK_DESTROY\n#define SOCK_DESTROY %s\n' \
	"$marker" >"$work/destroy.h"
printf '#include <linux/sock_diag.h>\nint x = SOCK_DESTROY;\n' >"$work/probe.c"
eval "$STRUCTURE_CC -E -include \"\$work/destroy.h\" \"\$work/probe.c\"" \
	2>/dev/null | grep -qw "$marker" ||
	skip "the compiler ($STRUCTURE_CC) cannot preprocess with -include <linux/sock_diag.h>"

# One preprocessor pass per source file gives both its token stream and
# its dependencies; each source is found next to its object.
: >"$work/objects"
for s in $STRUCTURE_LIB_SOURCES $STRUCTURE_PROG_SOURCES; do
	case $s in *.c) ;; *) continue ;; esac
	f=${s##*/}
	b=${f%.c}
	case " $STRUCTURE_LIB_SOURCES " in
	*" $s "*) obj=src/libsockwatch_a-$b.o flags=$STRUCTURE_CPPFLAGS ;;
	*) obj=src/sockwatch-$b.o flags="$STRUCTURE_CPPFLAGS $STRUCTURE_PROG_CFLAGS" ;;
	esac
	[ -f "$obj" ] || fail "no object $obj for $s: build first (make)"
	eval "$STRUCTURE_CC $flags -E -include \"\$work/destroy.h\" \
		-MD -MF \"\$work/$b.d\" -o \"\$work/$b.i\" \"\$srcdir/$s\"" ||
		fail "the compiler could not preprocess $s"
	echo "$f $obj" >>"$work/objects"
done
[ -s "$work/objects" ] || fail "make check passed no sources"

# (a) curses, seen in the dependency list of each file.
curses=
bad=
while read -r f obj; do
	sed 's/\\$//' "$work/${f%.c}.d" | tr ' ' '\n' |
		grep -Eq '(^|/)(n?curses|ncurses_dll)\.h$|/ncursesw?/' || continue
	curses="$curses $f"
	case $f in tui*.c) ;; *) bad="$bad $f" ;; esac
done <"$work/objects"
[ -n "$curses" ] ||
	fail "no file includes curses, not even src/tui_draw.c: the dependency lists are not what this test expects"
[ -z "$bad" ] || fail "only src/tui*.c may include curses, also through a header:$bad"

# (b) SOCK_DESTROY, seen where its marker is in the token stream.
destroy=
others=
while read -r f obj; do
	grep -v '^#' "$work/${f%.c}.i" | grep -qw "$marker" || continue
	destroy="$destroy $f"
	[ "$f" = kill.c ] || others="$others $f"
done <"$work/objects"
case " $destroy " in
*" kill.c "*) ;;
*) fail "src/kill.c no longer uses SOCK_DESTROY (found in:${destroy:- none}): update this test" ;;
esac
[ -z "$others" ] || fail "only src/kill.c may send SOCK_DESTROY; also:$others"

# (c) the call graph. nm -P prints "name type ...": U for a symbol the
# object uses, an upper-case letter for one it defines for others.
while read -r f obj; do
	"$nm" -P "$obj" | awk -v f="$f" '$2 == "U" { print "use", f, $1; next }
		$2 ~ /^[A-Z]$/ { print "def", f, $1 }'
done <"$work/objects" >"$work/symbols" || fail "$nm failed"
grep -q '^def main.c main$' "$work/symbols" ||
	fail "$nm found no main in main.c: the objects are not what this test expects"

awk -v registry="$registry" -v pending="$pending" '
function allowed(a, b,    n, i, r, ab) {
	n = split(registry, r, " ")
	for (i = 1; i <= n; i++) {
		split(r[i], ab, ">")
		if (a == ab[1] && b != a && (b, ab[2]) in defines)
			return 1
	}
	return 0
}
$1 == "def" {
	def[$3] = $2; node[$2] = 1
	n = split(registry, r, " ")
	for (i = 1; i <= n; i++) {
		split(r[i], ab, ">")
		if (index($3, ab[2]) == 1)
			defines[$2, ab[2]] = 1
	}
	next
}
$1 == "use" { use[++nu] = $2 SUBSEP $3; node[$2] = 1 }
END {
	for (i = 1; i <= nu; i++) {
		split(use[i], u, SUBSEP)
		a = u[1]; s = u[2]
		if (!(s in def) || (b = def[s]) == a || allowed(a, b))
			continue
		if (!((a, b) in edge)) {
			edge[a, b] = s
			out[a] = out[a] " " b
		} else if (length(edge[a, b]) < 60)
			edge[a, b] = edge[a, b] ", " s
	}
	# Reachability from every file, breadth first.
	for (a in node) {
		delete seen; q[1] = a; head = 1; tail = 1
		while (head <= tail) {
			x = q[head++]
			n = split(out[x], next_, " ")
			for (i = 1; i <= n; i++)
				if (!(next_[i] in seen)) {
					seen[next_[i]] = 1
					q[++tail] = next_[i]
					reach[a, next_[i]] = 1
				}
		}
	}
	# A strongly connected component: the files that reach each other.
	for (a in node) {
		if (a in done || !((a, a) in reach))
			continue
		members = ""
		for (b in node)
			if ((a, b) in reach && (b, a) in reach) {
				done[b] = 1
				members = members " " b
			}
		n = split(members, m, " ")
		for (i = 2; i <= n; i++)	# sorted: one name for the set
			for (j = i; j > 1 && m[j - 1] > m[j]; j--) {
				x = m[j]; m[j] = m[j - 1]; m[j - 1] = x
			}
		set = m[1]
		for (i = 2; i <= n; i++)
			set = set "," m[i]
		line = ""
		for (i = 1; i <= n; i++)
			for (j = 1; j <= n; j++)
				if ((m[i], m[j]) in edge)
					line = line "\n    " m[i] " -> " m[j] " (" edge[m[i], m[j]] ")"
		kind = index("," pending ",", "," set ",") ? "pending" : "cycle"
		print kind ": " set line
	}
}' "$work/symbols" >"$work/cycles" || fail "awk failed"

if grep -q '^pending:' "$work/cycles"; then
	note "call cycles left to another change (see pending in $0):"
	awk '/^[a-z]+:/ { p = $1 == "pending:" } p' "$work/cycles" >&2
fi
if grep -q '^cycle:' "$work/cycles"; then
	echo "call cycles between source files (move each function to the file it belongs in):" >&2
	awk '/^[a-z]+:/ { p = $1 == "cycle:" } p' "$work/cycles" >&2
	fail "$(grep -c '^cycle:' "$work/cycles") call cycle(s) between source files"
fi
echo "curses only in:$curses; SOCK_DESTROY only in kill.c; no call cycle between $(wc -l <"$work/objects") source files, save those left to another change"
