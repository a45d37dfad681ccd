#!/bin/bash
# The bash completion offers options, formats and state names.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"

comp="$TESTS_SRCDIR/../doc/completion/sockwatch"
bc=/usr/share/bash-completion/bash_completion
[ -f "$bc" ] || skip "needs bash-completion"

# complete WORDS...: what completion offers for the last word.
complete_words() {
	bash --norc --noprofile -c '
		. "$1"; . "$2"; shift 2
		sockwatch() { "$SOCKWATCH" "$@"; }
		compopt() { :; }
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_sockwatch sockwatch "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$bc" "$comp" "$@"
}

out=$(complete_words sockwatch --for)
echo "$out" | grep -qx -- '--format=' || fail "--for does not complete to --format=: $out"
out=$(complete_words sockwatch -f j)
[ "$out" = json ] || fail "-f j gave: $out"
out=$(complete_words sockwatch --state close-w)
[ "$out" = close-wait ] || fail "--state close-w gave: $out"
out=$(complete_words sockwatch --state listen,time)
[ "$out" = listen,time-wait ] || fail "--state listen,time gave: $out"
out=$(complete_words sockwatch -f csv-)
[ "$out" = csv-findings ] || fail "-f csv- gave: $out"
for o in --delay= --interval= --info --memory --extended --resolve --output= --set=; do
	out=$(complete_words sockwatch "${o%=}")
	echo "$out" | grep -qx -- "$o" || fail "${o%=} does not complete to $o: $out"
done
out=$(complete_words sockwatch -d '')
[ -z "$out" ] || fail "-d offers words for seconds: $out"
out=$(complete_words sockwatch -N al)
[ "$out" = all ] || fail "-N al gave: $out"
# Every state name the completion offers is one sockwatch accepts.
for s in $(complete_words sockwatch --state ''); do
	"$SOCKWATCH" --state "$s" --help >/dev/null 2>&1 ||
		fail "completion offers state $s that sockwatch refuses"
done
echo "completion offers options, formats and states"
