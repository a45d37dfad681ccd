/*
 * tui_cell.c - the columns of each view, how they share the width of the
 * screen, and the text of each cell.
 *
 * Column titles stay English like those of ss and ps: they are names of
 * fields, and their widths are part of the layout.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "tui_view.h"

struct col_info {
	const char	*title;
	int		 width;		/* what it needs at least */
	int		 max;		/* what it may grow to */
	int		 right;		/* right-aligned: numbers */
	int		 prio;		/* lower: kept first on a narrow screen */
};

#define ADDR_V4_WIDTH	21	/* "255.255.255.255:65535" */
#define ADDR_V6_WIDTH	47

static const struct col_info col_info[TUI_COL_COUNT] = {
	[TUI_COL_STATE] = { "STATE", 11, 11, 0, 0 },
	[TUI_COL_LOCAL] = { "LOCAL", 15, ADDR_V4_WIDTH, 0, 0 },
	[TUI_COL_PEER] = { "PEER", 15, ADDR_V4_WIDTH, 0, 1 },
	[TUI_COL_RECVQ] = { "RECV-Q", 6, 6, 1, 2 },
	[TUI_COL_SENDQ] = { "SEND-Q", 6, 6, 1, 3 },
	[TUI_COL_AGE] = { "AGE", 7, 7, 1, 4 },		/* ">=1h05m" */
	[TUI_COL_STATE_AGE] = { "ST-AGE", 7, 7, 1, 5 },
	[TUI_COL_RTT] = { "RTT", 7, 7, 1, 7 },
	[TUI_COL_RETRANS] = { "RETR", 4, 4, 1, 8 },
	[TUI_COL_PROCESS] = { "PROCESS", 12, 40, 0, 6 },
	[TUI_COL_PREFIX] = { "PREFIX", 18, 44, 0, 0 },
	[TUI_COL_PID] = { "PID", 7, 7, 1, 0 },
	[TUI_COL_SOCKETS] = { "SOCKETS", 7, 7, 1, 1 },
	[TUI_COL_ESTAB] = { "ESTAB", 7, 7, 1, 2 },
	[TUI_COL_SYNRECV] = { "SYN-RECV", 8, 8, 1, 3 },
	[TUI_COL_CLOSEWAIT] = { "CLOSE-WAIT", 10, 10, 1, 3 },
	[TUI_COL_TIMEWAIT] = { "TIME-WAIT", 9, 9, 1, 4 },
	[TUI_COL_ACCEPTQ] = { "ACCEPT-Q", 8, 8, 1, 1 },
	[TUI_COL_BACKLOG] = { "BACKLOG", 7, 7, 1, 2 },
	[TUI_COL_DROPS] = { "DROPS", 7, 7, 1, 4 },
	[TUI_COL_NETNS] = { "NETNS", 16, 24, 0, 1 },
};

static const enum tui_col sockets_cols[] = {
	TUI_COL_STATE, TUI_COL_LOCAL, TUI_COL_PEER, TUI_COL_RECVQ,
	TUI_COL_SENDQ, TUI_COL_AGE, TUI_COL_STATE_AGE, TUI_COL_RTT,
	TUI_COL_RETRANS, TUI_COL_PROCESS,
};
static const enum tui_col listeners_cols[] = {
	TUI_COL_LOCAL, TUI_COL_ACCEPTQ, TUI_COL_BACKLOG, TUI_COL_SYNRECV,
	TUI_COL_DROPS, TUI_COL_SOCKETS, TUI_COL_PROCESS,
};
/* -N all: the same, with the namespace (a drill-down names the address). */
static const enum tui_col sockets_ns_cols[] = {
	TUI_COL_NETNS, TUI_COL_STATE, TUI_COL_LOCAL, TUI_COL_PEER,
	TUI_COL_RECVQ, TUI_COL_SENDQ, TUI_COL_AGE, TUI_COL_STATE_AGE,
	TUI_COL_RTT, TUI_COL_RETRANS, TUI_COL_PROCESS,
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

#define NITEMS(a) (sizeof (a) / sizeof (a)[0])

const enum tui_col *
tui_cell_columns(const struct tui_view *v, size_t *n)
{
	int ns = v->extras != NULL && v->extras->netns != NULL;
	size_t dummy;

	if (n == NULL)
		n = &dummy;
	switch (v->group) {
	case TUI_GROUP_LISTENERS:
		*n = ns ? NITEMS(listeners_ns_cols) : NITEMS(listeners_cols);
		return ns ? listeners_ns_cols : listeners_cols;
	case TUI_GROUP_PEERS:
		*n = NITEMS(peers_cols);
		return peers_cols;
	case TUI_GROUP_PROCESSES:
		*n = NITEMS(processes_cols);
		return processes_cols;
	default:
		*n = ns ? NITEMS(sockets_ns_cols) : NITEMS(sockets_cols);
		return ns ? sockets_ns_cols : sockets_cols;
	}
}

const char *
tui_cell_title(enum tui_col col)
{
	return col_info[col].title;
}

int
tui_cell_right(enum tui_col col)
{
	return col_info[col].right;
}

int
tui_cell_shown(const struct tui_view *v, enum tui_col col)
{
	return col != TUI_COL_PROCESS || v->processes ||
	    v->group == TUI_GROUP_PROCESSES;
}

/* Whether any row needs the width of an IPv6 address (once per rebuild). */
int
tui_cell_need_v6(const struct tui_view *v)
{
	const struct sock_rec *s;
	size_t r;

	for (r = 0; r < v->nrows; r++) {
		if (v->group == TUI_GROUP_SOCKETS)
			s = &v->snap->socks[v->rows[r]];
		else
			s = &v->snap->socks[v->aggs[v->rows[r]].first];
		if (s->family == AF_INET6 && !format_is_v4mapped(s->family,
		    s->src))
			return 1;
	}
	return 0;
}

static int
col_max(enum tui_col col, int v6)
{
	if (v6 && (col == TUI_COL_LOCAL || col == TUI_COL_PEER))
		return ADDR_V6_WIDTH;
	return col_info[col].max;
}

/*
 * Which columns fit in width, and how wide each is: the most important
 * first, then what is left goes to the columns that can use it. Columns
 * keep their display order; one space separates them. Returns how many.
 */
size_t
tui_cell_layout(const struct tui_view *v, int width, enum tui_col *cols,
    int *widths)
{
	const enum tui_col *all = tui_cell_columns(v, NULL);
	int keep[TUI_COL_COUNT] = { 0 }, used = 0, prio, v6, grow, want;
	size_t nall, i, n = 0;

	tui_cell_columns(v, &nall);
	v6 = v->need_v6;
	for (prio = 0; prio <= 8; prio++) {
		for (i = 0; i < nall; i++) {
			const struct col_info *ci = &col_info[all[i]];

			if (ci->prio != prio || !tui_cell_shown(v, all[i]))
				continue;
			/* Addresses first get what an IPv4 one needs. */
			want = all[i] == TUI_COL_LOCAL || all[i] == TUI_COL_PEER ?
			    ADDR_V4_WIDTH : ci->width;
			if (used + want + (used > 0) > width)
				want = ci->width;
			if (used + want + (used > 0) <= width) {
				keep[i] = want;
				used += want + (used > 0);
			}
		}
	}
	for (i = 0; i < nall; i++) {
		if (keep[i] == 0)
			continue;
		grow = col_max(all[i], v6) - keep[i];
		if (grow > width - used)
			grow = width - used;
		if (grow > 0) {
			keep[i] += grow;
			used += grow;
		}
		cols[n] = all[i];
		widths[n++] = keep[i];
	}
	return n;
}

static size_t
put_count(char *buf, size_t size, uint64_t v)
{
	return (size_t)snprintf(buf, size, "%llu", (unsigned long long)v);
}

static size_t
put_age(const struct tui_view *v, size_t i, int state, char *buf, size_t size)
{
	int known;
	double age = tui_sock_age(v, i, state, &known);

	if (age < 0)
		return (size_t)snprintf(buf, size, "-");
	return format_age(buf, size, age, known);
}

static size_t
put_process(char *buf, size_t size, const char *name, int pid)
{
	char clean[128];

	if (name == NULL && pid == 0)
		return (size_t)snprintf(buf, size, "-");
	format_sanitize(clean, sizeof clean, name != NULL ? name : "?");
	if (pid == 0)
		return (size_t)snprintf(buf, size, "%s", clean);
	return (size_t)snprintf(buf, size, "%d/%s", pid, clean);
}

static size_t
put_rtt(char *buf, size_t size, uint32_t us)
{
	if (us < 1000)
		return (size_t)snprintf(buf, size, "%uus", us);
	if (us < 10000)
		return (size_t)snprintf(buf, size, "%.2fms", us / 1000.0);
	if (us < 1000000)
		return (size_t)snprintf(buf, size, "%.1fms", us / 1000.0);
	return (size_t)snprintf(buf, size, "%.2fs", us / 1e6);
}

static size_t
put_netns(const struct tui_view *v, size_t i, char *buf, size_t size)
{
	const char *label = NULL;

	if (v->extras != NULL && v->extras->netns != NULL)
		label = v->extras->netns(v->extras->arg, v->snap, i);
	return format_sanitize(buf, size, label != NULL ? label : "-");
}

static size_t
sock_cell(const struct tui_view *v, size_t i, enum tui_col col, char *buf,
    size_t size)
{
	const struct sock_rec *s = &v->snap->socks[i];
	const struct sock_info *t = tui_sock_info(v, i);
	const char *proc;
	int pid;

	switch (col) {
	case TUI_COL_STATE:
		return (size_t)snprintf(buf, size, "%s", sock_state_name(s->state));
	case TUI_COL_LOCAL:
		return format_addr(buf, size, s->family, s->src, s->sport);
	case TUI_COL_PEER:
		return format_addr(buf, size, s->family, s->dst, s->dport);
	case TUI_COL_RECVQ:
		return put_count(buf, size, s->rqueue);
	case TUI_COL_SENDQ:
		return put_count(buf, size, s->wqueue);
	case TUI_COL_AGE:
		return put_age(v, i, 0, buf, size);
	case TUI_COL_STATE_AGE:
		return put_age(v, i, 1, buf, size);
	case TUI_COL_RTT:
		if (t == NULL || t->rtt_us == 0)
			break;
		return put_rtt(buf, size, t->rtt_us);
	case TUI_COL_RETRANS:
		if (t == NULL)
			break;
		return put_count(buf, size, t->total_retrans);
	case TUI_COL_PROCESS:
		proc = tui_sock_process(v, i, &pid);
		return put_process(buf, size, proc, pid);
	case TUI_COL_NETNS:
		return put_netns(v, i, buf, size);
	default:
		break;
	}
	return (size_t)snprintf(buf, size, "-");
}

static size_t
put_prefix(char *buf, size_t size, const struct tui_agg *a)
{
	char ip[ADDR_STRLEN];

	format_ip(ip, sizeof ip, a->family, a->addr);
	return (size_t)snprintf(buf, size, "%s/%d", ip,
	    a->family == AF_INET ? 24 : 48);
}

static size_t
agg_cell(const struct tui_view *v, const struct tui_agg *a, enum tui_col col,
    char *buf, size_t size)
{
	const struct listener *l;

	switch (col) {
	case TUI_COL_LOCAL:
		return format_addr(buf, size, a->family, a->addr, a->port);
	case TUI_COL_PREFIX:
		return put_prefix(buf, size, a);
	case TUI_COL_PID:
		if (a->pid == 0)
			break;
		return (size_t)snprintf(buf, size, "%d", a->pid);
	case TUI_COL_PROCESS:
		if (a->process == NULL)
			break;
		return format_sanitize(buf, size, a->process);
	case TUI_COL_SOCKETS:
		return put_count(buf, size, a->n);
	case TUI_COL_ESTAB:
		return put_count(buf, size, a->states[TS_ESTABLISHED]);
	case TUI_COL_SYNRECV:
		return put_count(buf, size, a->states[TS_SYN_RECV]);
	case TUI_COL_CLOSEWAIT:
		return put_count(buf, size, a->states[TS_CLOSE_WAIT]);
	case TUI_COL_TIMEWAIT:
		return put_count(buf, size, a->states[TS_TIME_WAIT]);
	case TUI_COL_RECVQ:
	case TUI_COL_ACCEPTQ:
		return put_count(buf, size, a->recvq);
	case TUI_COL_SENDQ:
	case TUI_COL_BACKLOG:
		return put_count(buf, size, a->sendq);
	case TUI_COL_DROPS:
		l = &v->groups.listeners[a->listener];
		if (!l->drops_known)
			break;
		return put_count(buf, size, l->drops);
	case TUI_COL_NETNS:
		return put_netns(v, a->first, buf, size);
	default:
		break;
	}
	return (size_t)snprintf(buf, size, "-");
}

/* The text of one cell; "-" when the value is not known. */
size_t
tui_cell(const struct tui_view *v, size_t row, enum tui_col col, char *buf,
    size_t size)
{
	size_t n;

	if (v->group == TUI_GROUP_SOCKETS)
		n = sock_cell(v, v->rows[row], col, buf, size);
	else
		n = agg_cell(v, &v->aggs[v->rows[row]], col, buf, size);
	return n < size ? n : size - 1;
}
