#!/bin/sh
# tests/tui/kill.sh - k and K in the dashboard destroy real connections in
# a namespace of the test's own, after a confirmation that names them;
# "n" destroys nothing; --readonly offers no kill at all.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_cmd ss
. "$TESTS_SRCDIR/tui/tui-lib.sh"

ns=$(make_netns tuikill)
dir=$(tmpdir)

# 1 listener on 7000, 3 connections (6 ESTABLISHED sockets), 1 CLOSE_WAIT
# (and its FIN_WAIT2 peer).
hold_sockets "$ns" 1 3 1 0 7000

tui_start 110 36 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH -N $ns -d 0.5"
tui_wait "ESTABLISHED 6"
tui_wait "CLOSE_WAIT 1"

# k on the one CLOSE_WAIT row: the dialog names it; y destroys it. Paused
# (a still screen to choose from), the row goes at once all the same.
tui_keys '\' 'close-wait' Enter
tui_wait "sockets: 1 row,"
tui_keys ' '
tui_wait "PAUSED"
tui_keys k
tui_wait "Destroy"
tui_expect "CLOSE_WAIT"
tui_expect "127.0.0.1:7000 -> 127.0.0.1:"
tui_keys y
tui_wait "destroyed 1 of 1"
tui_wait "CLOSE_WAIT 0" 10
tui_expect "PAUSED"
[ "$(kernel_count "$ns" close-wait)" -eq 0 ] || fail "the kernel still has a CLOSE_WAIT socket"
tui_keys ' '
tui_wait_gone "PAUSED"

# K on every ESTABLISHED socket: the dialog counts them; n keeps them.
tui_keys '\' C-u 'established' Enter
tui_wait "sockets: 6 rows"
tui_keys K
tui_wait "Destroy 6 connections?"
tui_keys n
tui_wait_gone "Destroy 6"
sleep 1
[ "$(kernel_count "$ns" established)" -eq 6 ] || fail "n destroyed connections"
tui_expect "ESTABLISHED 6"

# K again, and y: all six go, and the kernel agrees.
tui_keys K
tui_wait "Destroy 6 connections?"
tui_keys y
tui_wait "destroyed 6 of 6"
tui_wait "ESTABLISHED 0" 10
[ "$(kernel_count "$ns" established)" -eq 0 ] || fail "ESTABLISHED sockets remain"

# Without a filter, K refuses rather than destroying everything shown.
tui_keys '\' C-u Enter
tui_keys K
tui_wait "set a filter"
tui_expect "LISTEN 1"
tui_keys q
tui_wait "sockwatch-exit=0"

# --readonly: the key does nothing, and help does not offer it.
tui_start 110 36 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH -N $ns -d 0.5 --readonly"
tui_wait "LISTEN 1"
tui_keys k
sleep 1
tui_reject "Destroy"
tui_keys F1
tui_wait "Keys"
tui_reject "destroy the selected"
tui_keys Escape q
tui_wait "sockwatch-exit=0"
[ "$(kernel_count "$ns" listening)" -eq 1 ] || fail "--readonly lost the listener"
echo "k and K destroyed what was confirmed, n and --readonly nothing"
