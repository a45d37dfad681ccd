/*
 * tui_sort.c - the order of the rows: by the chosen column, then by an
 * identity, so that equal rows never swap places between polls.
 *
 * Counts, queues, ages and times sort largest first, as in htop: the row
 * a user looks for is the one with the most. `I` inverts the whole order.
 * The sort value of each row is computed once before sorting, because ages
 * and process names come through callbacks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tui_view.h"
#include "xmalloc.h"

struct sort_item {
	double		 value;		/* numeric columns */
	const char	*text;		/* the process column */
	uint32_t	 row;
};

struct sort_ctx {
	const struct tui_view	*v;
	enum tui_col		 col;
	int			 numeric;
	int			 invert;
};

static int
col_descending(enum tui_col col)
{
	switch (col) {
	case TUI_COL_STATE:
	case TUI_COL_LOCAL:
	case TUI_COL_PEER:
	case TUI_COL_PROCESS:
	case TUI_COL_PREFIX:
	case TUI_COL_PID:
		return 0;
	default:
		return 1;
	}
}

static double
sock_value(const struct tui_view *v, size_t i, enum tui_col col)
{
	const struct sock_rec *s = &v->snap->socks[i];
	int has_info = (s->flags & SOCK_HAS_INFO) && v->snap->info != NULL;

	switch (col) {
	case TUI_COL_RECVQ:
		return s->rqueue;
	case TUI_COL_SENDQ:
		return s->wqueue;
	case TUI_COL_AGE:
		return tui_sock_age(v, i, 0);
	case TUI_COL_STATE_AGE:
		return tui_sock_age(v, i, 1);
	case TUI_COL_RTT:
		return has_info ? (double)v->snap->info[i].rtt_us : -1;
	case TUI_COL_RETRANS:
		return has_info ? (double)v->snap->info[i].total_retrans : -1;
	default:
		return 0;
	}
}

static double
agg_value(const struct tui_view *v, const struct tui_agg *a, enum tui_col col)
{
	switch (col) {
	case TUI_COL_PID:
		return a->pid;
	case TUI_COL_SOCKETS:
		return (double)a->n;
	case TUI_COL_ESTAB:
		return (double)a->states[TS_ESTABLISHED];
	case TUI_COL_SYNRECV:
		return (double)a->states[TS_SYN_RECV];
	case TUI_COL_CLOSEWAIT:
		return (double)a->states[TS_CLOSE_WAIT];
	case TUI_COL_TIMEWAIT:
		return (double)a->states[TS_TIME_WAIT];
	case TUI_COL_RECVQ:
	case TUI_COL_ACCEPTQ:
		return (double)a->recvq;
	case TUI_COL_SENDQ:
	case TUI_COL_BACKLOG:
		return (double)a->sendq;
	case TUI_COL_DROPS:
		return (double)v->groups.listeners[a->listener].drops;
	default:
		return 0;
	}
}

static int
compare_peer(const struct sock_rec *a, const struct sock_rec *b)
{
	int c;

	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	if ((c = memcmp(a->dst, b->dst, sizeof a->dst)) != 0)
		return c;
	if (a->dport != b->dport)
		return a->dport < b->dport ? -1 : 1;
	return 0;
}

/* Life-cycle order of states, then addresses, then cookie. */
static int
compare_identity(const struct sock_rec *a, const struct sock_rec *b)
{
	int ra = sock_state_rank(a->state), rb = sock_state_rank(b->state);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	return group_compare_socks(a, b);
}

static int
compare_agg_identity(const struct tui_agg *a, const struct tui_agg *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, sizeof a->addr)) != 0)
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return 0;
}

static int
compare_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);	/* unknown last */
	return strcmp(a, b);
}

static int
compare_items(const void *pa, const void *pb, void *arg)
{
	const struct sort_item *a = pa, *b = pb;
	const struct sort_ctx *ctx = arg;
	const struct tui_view *v = ctx->v;
	int c = 0;

	if (ctx->numeric && a->value != b->value)
		c = a->value < b->value ? 1 : -1;
	else if (ctx->col == TUI_COL_PROCESS)
		c = compare_text(a->text, b->text);
	if (c == 0 && v->group == TUI_GROUP_SOCKETS) {
		const struct sock_rec *sa = &v->snap->socks[a->row];
		const struct sock_rec *sb = &v->snap->socks[b->row];

		if (ctx->col == TUI_COL_PEER)
			c = compare_peer(sa, sb);
		if (c == 0 && ctx->col == TUI_COL_LOCAL)
			c = group_compare_socks(sa, sb);
		if (c == 0)
			c = compare_identity(sa, sb);
	} else if (c == 0) {
		c = compare_agg_identity(&v->aggs[a->row], &v->aggs[b->row]);
	}
	return ctx->invert ? -c : c;
}

static void
fill_item(const struct tui_view *v, struct sort_item *it, uint32_t row,
    enum tui_col col)
{
	int pid;

	it->row = row;
	it->text = NULL;
	it->value = 0;
	if (v->group == TUI_GROUP_SOCKETS) {
		if (col == TUI_COL_PROCESS)
			it->text = tui_sock_process(v, row, &pid);
		else
			it->value = sock_value(v, row, col);
	} else {
		if (col == TUI_COL_PROCESS)
			it->text = v->aggs[row].process;
		else
			it->value = agg_value(v, &v->aggs[row], col);
	}
}

void
tui_rows_sort(struct tui_view *v)
{
	struct sort_item *items;
	struct sort_ctx ctx;
	size_t i;

	if (v->nrows < 2)
		return;
	ctx.v = v;
	ctx.col = v->sort_col[v->group];
	ctx.numeric = col_descending(ctx.col) || ctx.col == TUI_COL_PID;
	ctx.invert = v->sort_invert;
	if (ctx.col == TUI_COL_PID)
		ctx.invert = !ctx.invert;	/* pids read best ascending */
	items = xreallocarray(NULL, v->nrows, sizeof *items);
	for (i = 0; i < v->nrows; i++)
		fill_item(v, &items[i], v->rows[i], ctx.col);
	qsort_r(items, v->nrows, sizeof *items, compare_items, &ctx);
	for (i = 0; i < v->nrows; i++)
		v->rows[i] = items[i].row;
	free(items);
}
