#!/bin/sh
# layout.sh - README.md's layout names every file a newcomer would look
# for: every source and header of src/ (a header other than the .h of a
# .c of the same name by its own name), the test helpers and generator,
# bench/, doc/ and packaging/. A file added without a word there fails.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"

top="$TESTS_SRCDIR/.."
readme="$top/README.md"
[ -f "$readme" ] || fail "no README.md in $top"
layout=$(sed -n '/^## Layout$/,$p' "$readme")
[ -n "$layout" ] || fail "README.md has no Layout section"

missing=
for f in $(cd "$top" && ls src/*.c src/*.h tests/*.c tests/*/*lib.sh \
    tests/unit/bc_kernel.c tests/data/*.sh tests/fuzz/*.sh \
    tests/fuzz/fuzz_file.c tests/fuzz/fuzz_corpus.c \
    bench/*.c bench/*.sh doc/*.8 doc/*.md doc/examples/* \
    doc/completion/* packaging/build-deb 2>/dev/null); do
	case $f in
	*.h) [ -f "$top/${f%.h}.c" ] && continue ;;
	esac
	name=${f##*/}
	parent=${f%/*}
	parent=${parent##*/}
	printf '%s' "$layout" | grep -qF -e "\`$name\`" -e "\`$parent/$name\`" ||
		missing="$missing $f"
done
for f in $(cd "$top/packaging/debian" && find . -type f | sed 's|^\./||'); do
	printf '%s' "$layout" | grep -qF "\`$f\`" ||
		missing="$missing packaging/debian/$f"
done
[ -z "$missing" ] || fail "README.md's layout does not name:$missing"
echo "README.md's layout names every file"
