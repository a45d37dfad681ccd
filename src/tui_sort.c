/*
 * tui_sort.c - the order of the rows: by the chosen column, then by an
 * identity, so that equal rows never swap places between polls.
 *
 * Counts, queues, ages and times sort largest first, as in htop: the row
 * a user looks for is the one with the most. `I` inverts the whole order.
 * The sort value of each row is computed once before sorting, because ages
 * and process names come through callbacks.
 *
 * A poll changes few sockets, so the sockets view does not sort 100,000
 * rows from scratch each second: the rows of the previous order that are
 * still there, and still in order (queues and ages may have moved them),
 * are merged with the new rows, sorted on their own.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tui_view.h"
#include "xmalloc.h"

/* 16 bytes: a sort of 300,000 rows holds one per row. */
struct sort_item {
	union {
		double		 value;	/* numeric columns */
		const char	*text;	/* TUI_SORT_TEXT: the process column */
	};
	uint32_t	 row;
	uint32_t	 at_least;	/* value is a lower bound (ages) */
};

struct sort_ctx {
	const struct tui_view	*v;
	enum tui_col		 col;
	enum tui_sort_key	 key;
	int			 numeric;
	int			 invert;
};

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
	else if (ctx->numeric && a->at_least != b->at_least)
		c = a->at_least ? -1 : 1;
	else if (ctx->key == TUI_SORT_TEXT)
		c = compare_text(a->text, b->text);
	if (c == 0 && v->group == TUI_GROUP_SOCKETS) {
		const struct sock_rec *sa = &v->snap->socks[a->row];
		const struct sock_rec *sb = &v->snap->socks[b->row];

		if (ctx->key == TUI_SORT_PEER)
			c = compare_peer(sa, sb);
		if (c == 0 && ctx->key == TUI_SORT_LOCAL)
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
	const struct tui_column *c = &tui_columns[col];

	int at_least = 0;

	it->row = row;
	it->at_least = 0;
	if (c->sort == TUI_SORT_TEXT) {
		it->text = c->text != NULL ? c->text(v, row) : NULL;
		return;
	}
	it->value = 0;
	if ((c->sort == TUI_SORT_MOST || c->sort == TUI_SORT_LEAST) &&
	    c->value != NULL) {
		it->value = c->value(v, row, c->arg, &at_least);
		it->at_least = at_least != 0;
	}
}

/* Whether the ranks remembered in the view come from this same order. */
static int
ranks_usable(const struct tui_view *v, const struct sort_ctx *ctx)
{
	return v->group == TUI_GROUP_SOCKETS && v->ranked && v->polls > 0 &&
	    v->marks_cap >= v->snap->n && v->ranked_col == ctx->col &&
	    v->ranked_invert == ctx->invert &&
	    v->ranked_processes == v->processes;
}

static void
remember_ranks(struct tui_view *v, const struct sort_ctx *ctx)
{
	size_t r;

	if (v->group != TUI_GROUP_SOCKETS || v->marks_cap < v->snap->n)
		return;
	for (r = 0; r < v->nrows; r++) {
		v->prev_rank[v->rows[r]] = (uint32_t)r;
		v->seen.ranks[v->slot[v->rows[r]]] = (uint32_t)r;
	}
	v->ranked = 1;
	v->ranked_col = ctx->col;
	v->ranked_invert = ctx->invert;
	v->ranked_processes = v->processes;
	v->ranked_n = v->nrows;
}

/*
 * Merge the sorted fresh rows (items[a..a+b)) into the sorted known ones
 * (items[0..a)), from the back, with a copy of the fresh rows only: each
 * finds its place by binary search, so a poll with few new sockets costs
 * few comparisons, not one per row. On ties the known row stays first.
 */
static void
merge(struct sort_item *items, size_t a, size_t b, struct sort_ctx *ctx)
{
	struct sort_item *fresh;
	size_t i = a, j = b, lo, hi, mid;

	if (b == 0)
		return;
	fresh = xreallocarray(NULL, b, sizeof *fresh);
	memcpy(fresh, items + a, b * sizeof *fresh);
	while (j > 0) {
		j--;
		for (lo = 0, hi = i; lo < hi;) {	/* first known after it */
			mid = lo + (hi - lo) / 2;
			if (compare_items(&fresh[j], &items[mid], ctx) < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		memmove(items + lo + j + 1, items + lo,
		    (i - lo) * sizeof *items);
		items[lo + j] = fresh[j];
		i = lo;
	}
	free(fresh);
}

/*
 * Whether the order is by identity alone (state, addresses, cookie): a
 * known socket still in its state then keeps its place among the others
 * without being compared, and only the sockets that changed state are
 * sorted again.
 */
static int
order_by_identity(const struct sort_ctx *ctx)
{
	return ctx->key == TUI_SORT_NONE || ctx->key == TUI_SORT_LOCAL ||
	    ctx->key == TUI_SORT_PEER;
}

/*
 * The known rows in their previous order, then the new ones; 0 when the
 * known rows are no longer in order and everything must be sorted.
 */
static int
sort_from_ranks(struct tui_view *v, struct sort_ctx *ctx,
    struct sort_item *items)
{
	uint32_t *place = xreallocarray(NULL, v->ranked_n + 1, sizeof *place);
	uint32_t *fresh = xreallocarray(NULL, v->nrows, sizeof *fresh);
	size_t r, k = 0, nknown, nfresh = 0;
	int identity = order_by_identity(ctx);
	uint32_t pr, row;
	int sorted = 1;

	memset(place, 0xff, (v->ranked_n + 1) * sizeof *place);
	for (r = 0; r < v->nrows; r++) {
		row = v->rows[r];
		pr = v->prev_rank[row];
		if (pr < v->ranked_n && place[pr] == UINT32_MAX &&
		    !(identity && v->marks[row] == TUI_MARK_CHANGED))
			place[pr] = row;
		else
			fresh[nfresh++] = row;
	}
	for (r = 0; r < v->ranked_n; r++)
		if (place[r] != UINT32_MAX)
			fill_item(v, &items[k++], place[r], ctx->col);
	nknown = k;
	for (r = 0; r < nfresh; r++)
		fill_item(v, &items[k++], fresh[r], ctx->col);
	for (r = 1; r < nknown && sorted && !identity; r++)
		sorted = compare_items(&items[r - 1], &items[r], ctx) <= 0;
	if (sorted) {
		qsort_r(items + nknown, nfresh, sizeof *items, compare_items,
		    ctx);
		merge(items, nknown, nfresh, ctx);
	}
	free(place);
	free(fresh);
	return sorted;
}

static void
sort_ctx_init(struct sort_ctx *ctx, const struct tui_view *v)
{
	ctx->v = v;
	ctx->col = v->sort_col[v->group];
	ctx->key = tui_columns[ctx->col].sort;
	ctx->numeric = ctx->key == TUI_SORT_MOST || ctx->key == TUI_SORT_LEAST;
	ctx->invert = v->sort_invert;
	if (ctx->key == TUI_SORT_LEAST)
		ctx->invert = !ctx->invert;	/* pids read best ascending */
}

void
tui_rows_sort(struct tui_view *v)
{
	struct sort_item *items;
	struct sort_ctx ctx;
	size_t i;

	sort_ctx_init(&ctx, v);
	if (v->nrows < 2) {
		remember_ranks(v, &ctx);
		return;
	}
	items = xreallocarray(NULL, v->nrows, sizeof *items);
	if (!ranks_usable(v, &ctx) || !sort_from_ranks(v, &ctx, items)) {
		for (i = 0; i < v->nrows; i++)
			fill_item(v, &items[i], v->rows[i], ctx.col);
		qsort_r(items, v->nrows, sizeof *items, compare_items, &ctx);
	}
	for (i = 0; i < v->nrows; i++)
		v->rows[i] = items[i].row;
	free(items);
	remember_ranks(v, &ctx);
}

/*
 * Sockets (snapshot indexes) in the sockets view's order, as a group row's
 * drill-down shows them: k's dialog lists a row's sockets so.
 */
void
tui_sort_sockets(const struct tui_view *v, uint32_t *idx, size_t n)
{
	struct tui_view *sv;
	struct sort_item *items;
	struct sort_ctx ctx;
	size_t i;

	if (n < 2)
		return;
	/* The columns read an item as a socket on the sockets view only. */
	sv = xmalloc(sizeof *sv);
	memcpy(sv, v, sizeof *sv);
	sv->group = TUI_GROUP_SOCKETS;
	sort_ctx_init(&ctx, sv);
	items = xreallocarray(NULL, n, sizeof *items);
	for (i = 0; i < n; i++)
		fill_item(sv, &items[i], idx[i], ctx.col);
	qsort_r(items, n, sizeof *items, compare_items, &ctx);
	for (i = 0; i < n; i++)
		idx[i] = items[i].row;
	free(items);
	free(sv);
}

/* The columns to sort by, as < and > step through them: those shown. */
size_t
tui_sort_columns(const struct tui_view *v, enum tui_col *out)
{
	const enum tui_col *all;
	size_t n, i, k = 0;

	all = tui_cell_columns(v, &n);
	for (i = 0; i < n; i++)
		if (tui_cell_shown(v, all[i]))
			out[k++] = all[i];
	return k;
}
