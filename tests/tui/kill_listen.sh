#!/bin/sh
# tests/tui/kill_listen.sh - k on a group destroys its connections, never a
# listening socket: the listeners view offers the connections accepted on
# the port, the processes view the process's connections; a listener goes
# only from its own row, with a warning that it stops accepting. The dialog
# lists the sockets in the table's order; --readonly says why k does
# nothing.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/lib.sh"
require_root
require_cmd ss
. "$TESTS_SRCDIR/tui/tui-lib.sh"

ns=$(make_netns tuikl)

# Listeners on 7000 and 7001; to 7000 3 connections (6 ESTABLISHED
# sockets) and 1 CLOSE_WAIT (and its FIN_WAIT2 peer): 4 accepted on 7000.
hold_sockets "$ns" 2 3 1 0 7000

tui_start 120 40 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH -N $ns -d 0.5 -p"
tui_wait "ESTABLISHED 6"
tui_wait "CLOSE_WAIT 1"
tui_keys ' '
tui_wait "PAUSED"

# The listeners view, sorted by address: 7000 first. k offers the four
# connections accepted on it, not the listener.
tui_keys g
tui_wait "listeners: 2 rows"
tui_keys Home k
tui_wait "Destroy 4 connections?"
tui_reject "LISTEN      127.0.0.1:7000"
tui_reject "stops accepting"
tui_keys n
tui_wait_gone "Destroy"
# 7001 has none: it says so, and where a listener is destroyed.
tui_keys Down k
tui_wait "no connections to destroy"
tui_reject "Destroy"

# The processes view: sockgen's 10 sockets, of which 8 are connections.
tui_keys g g
tui_wait "processes: 1 row"
tui_keys k
tui_wait "Destroy 8 connections?"
tui_reject "stops accepting"
tui_keys n
tui_wait_gone "Destroy"

# K on the sockets view: what the filter shows but the listener, in the
# table's order (inverted, so not the kernel's).
tui_keys g
tui_wait "sockets:"
tui_keys '\' 'sport = :7000' Enter
tui_wait "sockets: 5 rows"
tui_keys I
tui_wait "(inverted)"
table=$(tui_screen | sed -n 's/.*127\.0\.0\.1:7000  *127\.0\.0\.1:\([0-9]*\).*/\1/p' | tr '\n' ' ')
tui_keys K
tui_wait "Destroy 4 connections?"
tui_reject "stops accepting"
dialog=$(tui_screen | sed -n 's/.*127\.0\.0\.1:7000 -> 127\.0\.0\.1:\([0-9]*\).*/\1/p' | tr '\n' ' ')
[ -n "$table" ] || fail "no connection rows read from the table"
[ "$table" = "$dialog" ] ||
	fail "the dialog lists '$dialog', the table '$table'"
tui_keys n
tui_wait_gone "Destroy"

# The listener on 7001 from its own row: the warning says what it does.
tui_keys '\' C-u 'sport = :7001' Enter
tui_wait "sockets: 1 row"
tui_keys k
tui_wait "Destroy this listening socket?"
tui_expect "LISTEN      127.0.0.1:7001"
tui_expect "A listening socket stops accepting"
tui_keys y
tui_wait "destroyed 1 of 1"
wait_for 5 sh -c "[ \$(ip netns exec $ns ss -tlnH | wc -l) -eq 1 ]" ||
	fail "the listener on 7001 is still there"
[ "$(kernel_count "$ns" established)" -eq 6 ] || fail "connections went too"
tui_keys q
tui_wait "sockwatch-exit=0"

# --readonly: k and K say why nothing happens.
tui_start 120 40 "LC_ALL=C.UTF-8 TERM=xterm $SOCKWATCH -N $ns -d 0.5 --readonly"
tui_wait "LISTEN 1"
tui_keys k
tui_wait "--readonly: sockets are not destroyed"
tui_reject "Destroy"
tui_keys K
tui_wait "--readonly: sockets are not destroyed"
tui_keys q
tui_wait "sockwatch-exit=0"
[ "$(kernel_count "$ns" listening)" -eq 1 ] || fail "--readonly lost the listener"
echo "k takes a group's connections, a listener only from its own row"
