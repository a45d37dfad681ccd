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

#define ADDR_V6_WIDTH	47

/* A row's item is a socket on the sockets view, an aggregate elsewhere. */
static const struct tui_agg *
agg_of(const struct tui_view *v, uint32_t id)
{
	return v->group == TUI_GROUP_SOCKETS ? NULL : &v->aggs[id];
}

/* The socket of an item: itself, or the first of its group. */
static size_t
sock_of(const struct tui_view *v, uint32_t id)
{
	return v->group == TUI_GROUP_SOCKETS ? id : v->aggs[id].first;
}

static size_t
put_none(char *buf, size_t size)
{
	return (size_t)snprintf(buf, size, "-");
}

static size_t
put_count(char *buf, size_t size, uint64_t v)
{
	return (size_t)snprintf(buf, size, "%llu", (unsigned long long)v);
}

static size_t
cell_state(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	(void)arg;
	if (agg_of(v, id) != NULL)
		return put_none(buf, size);
	return (size_t)snprintf(buf, size, "%s",
	    sock_state_name(v->snap->socks[id].state));
}

static size_t
cell_local(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	const struct tui_agg *a = agg_of(v, id);
	const struct sock_rec *s = &v->snap->socks[id];

	(void)arg;
	if (a != NULL)
		return format_addr(buf, size, a->family, a->addr, a->port);
	return format_addr(buf, size, s->family, s->src, s->sport);
}

/* The peer's address, or with -r its name once known: "db1.lan:5432". */
static size_t
cell_peer(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	const struct sock_rec *s = &v->snap->socks[id];
	const char *name = NULL;
	char clean[256];

	(void)arg;
	if (agg_of(v, id) != NULL)
		return put_none(buf, size);
	if (v->core->peer_name != NULL)
		name = v->core->peer_name(v->core->arg, v->snap, id);
	if (name == NULL)
		return format_addr(buf, size, s->family, s->dst, s->dport);
	format_sanitize(clean, sizeof clean, name);
	return (size_t)snprintf(buf, size, "%s:%u", clean, s->dport);
}

/* Queues: arg 0 receive, 1 send; of a socket or added up. */
static double
value_queue(const struct tui_view *v, uint32_t id, int arg, int *at_least)
{
	const struct tui_agg *a = agg_of(v, id);
	const struct sock_rec *s = &v->snap->socks[id];

	(void)at_least;
	if (a != NULL)
		return (double)(arg ? a->sendq : a->recvq);
	return arg ? s->wqueue : s->rqueue;
}

static size_t
cell_queue(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	return put_count(buf, size, (uint64_t)value_queue(v, id, arg, NULL));
}

/* A listener's accept queue (arg 0) and backlog (arg 1): groups only. */
static double
value_listen_queue(const struct tui_view *v, uint32_t id, int arg,
    int *at_least)
{
	if (agg_of(v, id) == NULL)
		return 0;
	return value_queue(v, id, arg, at_least);
}

static size_t
cell_listen_queue(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	if (agg_of(v, id) == NULL)
		return put_none(buf, size);
	return cell_queue(v, id, arg, buf, size);
}

/*
 * Ages: arg 0 since it began, 1 in its state. An age sorts by what is
 * proven: its lower bound where it is only one (at_least).
 */
static double
value_age(const struct tui_view *v, uint32_t id, int arg, int *at_least)
{
	int known = 1;
	double age;

	if (agg_of(v, id) != NULL)
		return 0;
	age = tui_sock_age(v, id, arg, &known);
	*at_least = age >= 0 && !known;
	return age;
}

static size_t
cell_age(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	int known;
	double age;

	if (agg_of(v, id) != NULL ||
	    (age = tui_sock_age(v, id, arg, &known)) < 0)
		return put_none(buf, size);
	return format_age(buf, size, age, known);
}

/* tcp_info: arg 0 the smoothed RTT, 1 retransmissions; -1 unknown. */
static double
value_info(const struct tui_view *v, uint32_t id, int arg, int *at_least)
{
	const struct sock_info *t;

	(void)at_least;
	if (agg_of(v, id) != NULL)
		return 0;
	if ((t = tui_sock_info(v, id)) == NULL)
		return -1;
	return arg ? (double)t->total_retrans : (double)t->rtt_us;
}

static size_t
cell_rtt(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	const struct sock_info *t;
	uint32_t us;

	(void)arg;
	if (agg_of(v, id) != NULL || (t = tui_sock_info(v, id)) == NULL ||
	    t->rtt_us == 0)
		return put_none(buf, size);
	us = t->rtt_us;
	if (us < 1000)
		return (size_t)snprintf(buf, size, "%uus", us);
	if (us < 10000)
		return (size_t)snprintf(buf, size, "%.2fms", us / 1000.0);
	if (us < 1000000)
		return (size_t)snprintf(buf, size, "%.1fms", us / 1000.0);
	return (size_t)snprintf(buf, size, "%.2fs", us / 1e6);
}

static size_t
cell_retrans(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	const struct sock_info *t;

	(void)arg;
	if (agg_of(v, id) != NULL || (t = tui_sock_info(v, id)) == NULL)
		return put_none(buf, size);
	return put_count(buf, size, t->total_retrans);
}

/* The owner's name (unsanitised), or NULL. */
static const char *
text_process(const struct tui_view *v, uint32_t id)
{
	const struct tui_agg *a = agg_of(v, id);
	int pid;

	if (a != NULL)
		return a->process;
	return tui_sock_process(v, id, &pid);
}

static size_t
cell_process(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	const struct tui_agg *a = agg_of(v, id);
	const char *name;
	char clean[128];
	int pid;

	(void)arg;
	if (a != NULL)
		return a->process == NULL ? put_none(buf, size) :
		    format_sanitize(buf, size, a->process);
	name = tui_sock_process(v, id, &pid);
	if (name == NULL && pid == 0)
		return put_none(buf, size);
	format_sanitize(clean, sizeof clean, name != NULL ? name : "?");
	if (pid == 0)
		return (size_t)snprintf(buf, size, "%s", clean);
	return (size_t)snprintf(buf, size, "%d/%s", pid, clean);
}

static size_t
cell_prefix(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	const struct tui_agg *a = agg_of(v, id);
	char ip[ADDR_STRLEN];

	(void)arg;
	if (a == NULL)
		return put_none(buf, size);
	format_ip(ip, sizeof ip, a->family, a->addr);
	return (size_t)snprintf(buf, size, "%s/%d", ip,
	    a->family == AF_INET ? 24 : 48);
}

static double
value_pid(const struct tui_view *v, uint32_t id, int arg, int *at_least)
{
	const struct tui_agg *a = agg_of(v, id);

	(void)arg;
	(void)at_least;
	return a != NULL ? a->pid : 0;
}

static size_t
cell_pid(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	const struct tui_agg *a = agg_of(v, id);

	(void)arg;
	if (a == NULL || a->pid == 0)
		return put_none(buf, size);
	return (size_t)snprintf(buf, size, "%d", a->pid);
}

/* A group's sockets: all of them (arg < 0) or those in state arg. */
static double
value_members(const struct tui_view *v, uint32_t id, int arg, int *at_least)
{
	const struct tui_agg *a = agg_of(v, id);

	(void)at_least;
	if (a == NULL)
		return 0;
	return (double)(arg < 0 ? a->n : a->states[arg]);
}

static size_t
cell_members(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	if (agg_of(v, id) == NULL)
		return put_none(buf, size);
	return put_count(buf, size, (uint64_t)value_members(v, id, arg, NULL));
}

static double
value_drops(const struct tui_view *v, uint32_t id, int arg, int *at_least)
{
	const struct tui_agg *a = agg_of(v, id);

	(void)arg;
	(void)at_least;
	if (a == NULL)
		return 0;
	return (double)v->groups.listeners[a->listener].drops;
}

static size_t
cell_drops(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	const struct tui_agg *a = agg_of(v, id);
	const struct listener *l;

	(void)arg;
	if (a == NULL || !(l = &v->groups.listeners[a->listener])->drops_known)
		return put_none(buf, size);
	return put_count(buf, size, l->drops);
}

/* -N all: the namespace's name (unsanitised), or NULL. */
static const char *
text_netns(const struct tui_view *v, uint32_t id)
{
	if (v->core == NULL || v->core->netns == NULL)
		return NULL;
	return v->core->netns(v->core->arg, v->snap, sock_of(v, id));
}

static size_t
cell_netns(const struct tui_view *v, uint32_t id, int arg, char *buf,
    size_t size)
{
	const char *label = text_netns(v, id);

	(void)arg;
	return format_sanitize(buf, size, label != NULL ? label : "-");
}

#define RIGHT	TUI_CF_RIGHT
#define ADDR	TUI_CF_ADDR

/*
 * Every column, as htop's field table: title, the width it needs and may
 * grow to, how it is drawn and how it sorts. A view lists the columns it
 * shows (tui_mode.c); F2 hides and orders them (tui_setup.c).
 */
const struct tui_column tui_columns[TUI_COL_COUNT] = {
	[TUI_COL_STATE] = { "STATE", 11, 11, 0, TUI_SORT_NONE, 0,
	    cell_state, NULL, NULL },
	[TUI_COL_LOCAL] = { "LOCAL", 15, ADDR_V6_WIDTH, ADDR,
	    TUI_SORT_LOCAL, 0, cell_local, NULL, NULL },
	[TUI_COL_PEER] = { "PEER", 15, ADDR_V6_WIDTH, ADDR,
	    TUI_SORT_PEER, 0, cell_peer, NULL, NULL },
	[TUI_COL_RECVQ] = { "RECV-Q", 6, 6, RIGHT, TUI_SORT_MOST, 0,
	    cell_queue, value_queue, NULL },
	[TUI_COL_SENDQ] = { "SEND-Q", 6, 6, RIGHT, TUI_SORT_MOST, 1,
	    cell_queue, value_queue, NULL },
	[TUI_COL_AGE] = { "AGE", 7, 7, RIGHT, TUI_SORT_MOST, 0,
	    cell_age, value_age, NULL },		/* ">=1h05m" */
	[TUI_COL_STATE_AGE] = { "ST-AGE", 7, 7, RIGHT, TUI_SORT_MOST, 1,
	    cell_age, value_age, NULL },
	[TUI_COL_RTT] = { "RTT", 7, 7, RIGHT | TUI_CF_INFO, TUI_SORT_MOST,
	    0, cell_rtt, value_info, NULL },
	[TUI_COL_RETRANS] = { "RETR", 4, 4, RIGHT | TUI_CF_INFO,
	    TUI_SORT_MOST, 1, cell_retrans, value_info, NULL },
	[TUI_COL_PROCESS] = { "PROCESS", 12, 40, TUI_CF_OWNER,
	    TUI_SORT_TEXT, 0, cell_process, NULL, text_process },
	[TUI_COL_PREFIX] = { "PREFIX", 18, 44, 0, TUI_SORT_NONE, 0,
	    cell_prefix, NULL, NULL },
	[TUI_COL_PID] = { "PID", 7, 7, RIGHT, TUI_SORT_LEAST, 0,
	    cell_pid, value_pid, NULL },
	[TUI_COL_SOCKETS] = { "SOCKETS", 7, 7, RIGHT, TUI_SORT_MOST, -1,
	    cell_members, value_members, NULL },
	[TUI_COL_ESTAB] = { "ESTAB", 7, 7, RIGHT, TUI_SORT_MOST,
	    TS_ESTABLISHED, cell_members, value_members, NULL },
	[TUI_COL_SYNRECV] = { "SYN-RECV", 8, 8, RIGHT, TUI_SORT_MOST,
	    TS_SYN_RECV, cell_members, value_members, NULL },
	[TUI_COL_CLOSEWAIT] = { "CLOSE-WAIT", 10, 10, RIGHT,
	    TUI_SORT_MOST, TS_CLOSE_WAIT, cell_members, value_members, NULL },
	[TUI_COL_TIMEWAIT] = { "TIME-WAIT", 9, 9, RIGHT, TUI_SORT_MOST,
	    TS_TIME_WAIT, cell_members, value_members, NULL },
	[TUI_COL_ACCEPTQ] = { "ACCEPT-Q", 8, 8, RIGHT, TUI_SORT_MOST, 0,
	    cell_listen_queue, value_listen_queue, NULL },
	[TUI_COL_BACKLOG] = { "BACKLOG", 7, 7, RIGHT, TUI_SORT_MOST, 1,
	    cell_listen_queue, value_listen_queue, NULL },
	[TUI_COL_DROPS] = { "DROPS", 7, 7, RIGHT, TUI_SORT_MOST, 0,
	    cell_drops, value_drops, NULL },
	[TUI_COL_NETNS] = { "NETNS", 16, 24, 0, TUI_SORT_TEXT, 0,
	    cell_netns, NULL, text_netns },
};

#undef RIGHT
#undef ADDR
/* Each view's columns as its descriptor lists them (-N all: with NETNS). */
void
tui_cell_init(struct tui_view *v)
{
	int ns = v->core != NULL && v->core->netns != NULL, g;

	for (g = 0; g < TUI_GROUP_COUNT; g++) {
		const struct tui_mode *m = &tui_modes[g];
		struct tui_colset *cs = &v->colsets[g];

		cs->n = ns ? m->nns_cols : m->ncols;
		memcpy(cs->col, ns ? m->ns_cols : m->cols,
		    cs->n * sizeof *cs->col);
		cs->hidden = 0;
	}
}

/* The columns of the current view, in display order, hidden ones too. */
const enum tui_col *
tui_cell_columns(const struct tui_view *v, size_t *n)
{
	const struct tui_colset *cs = &v->colsets[v->group];

	if (n != NULL)
		*n = cs->n;
	return cs->col;
}

const char *
tui_cell_title(enum tui_col col)
{
	return tui_columns[col].title;
}

int
tui_cell_right(enum tui_col col)
{
	return (tui_columns[col].flags & TUI_CF_RIGHT) != 0;
}

/* Hidden with F2 (tui_setup.c). */
int
tui_cell_hidden(const struct tui_view *v, enum tui_col col)
{
	return (v->colsets[v->group].hidden & (1u << col)) != 0;
}

/* Shown on this view now: not hidden, and an owner only with processes. */
int
tui_cell_shown(const struct tui_view *v, enum tui_col col)
{
	if (tui_cell_hidden(v, col))
		return 0;
	return !(tui_columns[col].flags & TUI_CF_OWNER) || v->processes ||
	    tui_modes[v->group].owners;
}

/* F2: show or hide the i-th column of the view; the last one stays. */
void
tui_cell_toggle(struct tui_view *v, size_t i)
{
	struct tui_colset *cs = &v->colsets[v->group];
	uint32_t bit, all = 0;
	size_t k;

	if (i >= cs->n)
		return;
	for (k = 0; k < cs->n; k++)
		all |= 1u << cs->col[k];
	bit = 1u << cs->col[i];
	if (!(cs->hidden & bit) && (cs->hidden | bit) == all)
		return;
	cs->hidden ^= bit;
}

/* F2: move the i-th column one place left (dir < 0) or right. */
size_t
tui_cell_move(struct tui_view *v, size_t i, int dir)
{
	struct tui_colset *cs = &v->colsets[v->group];
	size_t j;
	enum tui_col c;

	if (i >= cs->n || (dir < 0 && i == 0) || (dir > 0 && i + 1 >= cs->n))
		return i;
	j = dir < 0 ? i - 1 : i + 1;
	c = cs->col[i];
	cs->col[i] = cs->col[j];
	cs->col[j] = c;
	return j;
}

/*
 * How wide a column must be for rows first..first+count-1 and its title
 * (with the sort mark on the sorted one): a name or an address takes what
 * the widest on screen needs, not what the widest anywhere might; a
 * number at least its usual width, so the table does not jitter.
 */
static int
col_width(const struct tui_view *v, enum tui_col col, size_t first,
    size_t count)
{
	const struct tui_column *c = &tui_columns[col];
	int fixed = c->width == c->max, w, cap, cw;
	char cell[160];
	size_t r;

	w = (int)strlen(c->title) + (col == v->sort_col[v->group]);
	if (fixed && w < c->width)
		w = c->width;
	cap = c->max;
	if (c->flags & TUI_CF_RIGHT)
		cap = 20;		/* any 64-bit count */
	for (r = first; r < first + count && r < v->nrows && w < cap; r++) {
		tui_cell(v, r, col, cell, sizeof cell);
		cw = (int)format_text_width(cell);
		if (cw > w)
			w = cw;
	}
	return w < cap ? w : cap;
}

/*
 * The columns shown, in the view's order, each as wide as the rows
 * first..first+count-1 need: the table may be wider than the screen, whose
 * left and right arrows scroll it. One space separates columns. Returns
 * how many.
 */
size_t
tui_cell_layout(const struct tui_view *v, size_t first, size_t count,
    enum tui_col *cols, int *widths)
{
	size_t nall, i, n = 0;
	const enum tui_col *all = tui_cell_columns(v, &nall);

	for (i = 0; i < nall; i++) {
		if (!tui_cell_shown(v, all[i]))
			continue;
		cols[n] = all[i];
		widths[n++] = col_width(v, all[i], first, count);
	}
	return n;
}

/* The text of one cell; "-" when the value is not known. */
size_t
tui_cell(const struct tui_view *v, size_t row, enum tui_col col, char *buf,
    size_t size)
{
	const struct tui_column *c = &tui_columns[col];
	size_t n;

	n = c->cell(v, v->rows[row], c->arg, buf, size);
	return n < size ? n : size - 1;
}
