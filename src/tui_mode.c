/*
 * tui_mode.c - the dashboard's views, one descriptor each (as tmux's
 * window modes): the name, the columns, the first sort, and the key that
 * groups the sockets into its rows.
 *
 * Adding a view is an entry of enum tui_group (tui_view.h) and a
 * descriptor here; the rows, cells, sort, filter and keys follow from it.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "nls.h"
#include "tui_view.h"

#define NITEMS(a) (sizeof (a) / sizeof (a)[0])

static uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

/* The peer's network: IPv4 (and IPv4-mapped) /24, IPv6 /48. */
static void
peer_prefix(const struct sock_rec *s, uint8_t *family, uint8_t *addr)
{
	memset(addr, 0, 16);
	if (s->family == AF_INET || format_is_v4mapped(s->family, s->dst)) {
		*family = AF_INET;
		memcpy(addr, s->family == AF_INET ? s->dst : s->dst + 12, 3);
	} else {
		*family = AF_INET6;
		memcpy(addr, s->dst, 6);
	}
}

static uint64_t
addr_key(uint8_t family, const uint8_t *addr, uint16_t port)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = hash_bytes(h, &family, 1);
	h = hash_bytes(h, addr, 16);
	h = hash_bytes(h, &port, 2);
	return h | 1;	/* never 0: 0 is "no group" */
}

static uint64_t
key_socket(const struct tui_view *v, size_t i)
{
	return v->snap->socks[i].cookie;
}

/* A listening socket: its address and port, in its namespace (-N all). */
static uint64_t
key_listener(const struct tui_view *v, size_t i)
{
	const struct sock_rec *s = &v->snap->socks[i];
	uint8_t addr[16];

	if (s->state != TS_LISTEN)
		return 0;
	memset(addr, 0, sizeof addr);
	memcpy(addr, s->src, s->family == AF_INET ? 4 : 16);
	return hash_bytes(addr_key(s->family, addr, s->sport), &s->netns,
	    sizeof s->netns) | 1;
}

static uint64_t
key_peer(const struct tui_view *v, size_t i)
{
	const struct sock_rec *s = &v->snap->socks[i];
	uint8_t family, addr[16];

	if (s->state == TS_LISTEN)
		return 0;
	peer_prefix(s, &family, addr);
	return addr_key(family, addr, 0);
}

static void
label_peer(struct tui_agg *a, const struct sock_rec *s)
{
	peer_prefix(s, &a->family, a->addr);
}

static uint64_t
key_process(const struct tui_view *v, size_t i)
{
	int pid;

	tui_sock_process(v, i, &pid);
	return (uint64_t)pid + 1;
}

/* The process (with p) before tcp_info's RTT and RETR: more often wanted. */
static const enum tui_col sockets_cols[] = {
	TUI_COL_STATE, TUI_COL_LOCAL, TUI_COL_PEER, TUI_COL_RECVQ,
	TUI_COL_SENDQ, TUI_COL_AGE, TUI_COL_STATE_AGE, TUI_COL_PROCESS,
	TUI_COL_RTT, TUI_COL_RETRANS,
};
static const enum tui_col listeners_cols[] = {
	TUI_COL_LOCAL, TUI_COL_ACCEPTQ, TUI_COL_BACKLOG, TUI_COL_SYNRECV,
	TUI_COL_DROPS, TUI_COL_SOCKETS, TUI_COL_PROCESS,
};
/* -N all: the same, with the namespace (a drill-down names the address). */
static const enum tui_col sockets_ns_cols[] = {
	TUI_COL_NETNS, TUI_COL_STATE, TUI_COL_LOCAL, TUI_COL_PEER,
	TUI_COL_RECVQ, TUI_COL_SENDQ, TUI_COL_AGE, TUI_COL_STATE_AGE,
	TUI_COL_PROCESS, TUI_COL_RTT, TUI_COL_RETRANS,
};
static const enum tui_col listeners_ns_cols[] = {
	TUI_COL_LOCAL, TUI_COL_NETNS, TUI_COL_ACCEPTQ, TUI_COL_BACKLOG,
	TUI_COL_SYNRECV, TUI_COL_DROPS, TUI_COL_SOCKETS, TUI_COL_PROCESS,
};
static const enum tui_col peers_cols[] = {
	TUI_COL_PREFIX, TUI_COL_SOCKETS, TUI_COL_ESTAB, TUI_COL_SYNRECV,
	TUI_COL_CLOSEWAIT, TUI_COL_TIMEWAIT, TUI_COL_RECVQ, TUI_COL_SENDQ,
};
static const enum tui_col processes_cols[] = {
	TUI_COL_PID, TUI_COL_PROCESS, TUI_COL_SOCKETS, TUI_COL_ESTAB,
	TUI_COL_CLOSEWAIT, TUI_COL_TIMEWAIT, TUI_COL_RECVQ, TUI_COL_SENDQ,
};


const struct tui_mode tui_modes[TUI_GROUP_COUNT] = {
	[TUI_GROUP_SOCKETS] = {
		.name = N_("sockets"),
		.rows = TUI_ROWS_SOCKETS,
		.cols = sockets_cols,
		.ncols = NITEMS(sockets_cols),
		.ns_cols = sockets_ns_cols,
		.nns_cols = NITEMS(sockets_ns_cols),
		.sort = TUI_COL_STATE,
		.key = key_socket,
	},
	[TUI_GROUP_LISTENERS] = {
		.name = N_("listeners"),
		.rows = TUI_ROWS_LISTENERS,
		.cols = listeners_cols,
		.ncols = NITEMS(listeners_cols),
		.ns_cols = listeners_ns_cols,
		.nns_cols = NITEMS(listeners_ns_cols),
		.sort = TUI_COL_LOCAL,
		.key = key_listener,
		.state = TS_LISTEN,
	},
	[TUI_GROUP_PEERS] = {
		.name = N_("peers"),
		.rows = TUI_ROWS_SUMS,
		.cols = peers_cols,
		.ncols = NITEMS(peers_cols),
		.ns_cols = peers_cols,
		.nns_cols = NITEMS(peers_cols),
		.sort = TUI_COL_SOCKETS,
		.key = key_peer,
		.label = label_peer,
	},
	[TUI_GROUP_PROCESSES] = {
		.name = N_("processes"),
		.rows = TUI_ROWS_SUMS,
		.cols = processes_cols,
		.ncols = NITEMS(processes_cols),
		.ns_cols = processes_cols,
		.nns_cols = NITEMS(processes_cols),
		.sort = TUI_COL_SOCKETS,
		.key = key_process,
		.owners = 1,
	},
};

/* The key of the row a socket belongs to in view g; 0 for none. */
uint64_t
tui_mode_key(const struct tui_view *v, enum tui_group g, size_t i)
{
	return tui_modes[g].key(v, i);
}
