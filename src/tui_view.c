/*
 * tui_view.c - the dashboard's view of a snapshot: one update per poll,
 * the selection that follows its socket, search, and drilling into a group.
 *
 * Pure: no terminal here. The selection is remembered by the identity of
 * its row (a cookie, a prefix, a pid), not by its position, because the
 * position changes every poll while the user is looking at one thing.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tui_view.h"
#include "xmalloc.h"

#define VIEW_PREFETCH	8	/* sockets looked up ahead */
#define SEEN_GONE	UINT64_MAX	/* a freed slot; no cookie is that */
#define SEEN_NONE	((size_t)UINT32_MAX)	/* no slot */

const char *
tui_group_name(enum tui_group g)
{
	return tui_modes[g].name;
}

void
tui_view_init(struct tui_view *v, const struct tui_core *core)
{
	static const struct tui_core none;
	int g;

	memset(v, 0, sizeof *v);
	v->core = core != NULL ? core : &none;
	for (g = 0; g < TUI_GROUP_COUNT; g++)
		v->sort_col[g] = (enum tui_col)tui_modes[g].sort;
	tui_filter_clear(&v->filter);
	tui_cell_init(v);
}

void
tui_view_free(struct tui_view *v)
{
	if (v == NULL)
		return;
	if (v->own_groups)
		group_free(&v->groups);
	tui_filter_clear(&v->filter);
	free(v->rows);
	free(v->aggs);
	free(v->marks);
	free(v->prev_rank);
	free(v->slot);
	free(v->seen.cookies);
	free(v->seen.states);
	free(v->seen.ranks);
	free(v->seen.gens);
	memset(v, 0, sizeof *v);
}

/* Cookies are sequential: multiply to spread them over the table. */
static size_t
seen_home(const struct tui_seen *seen, uint64_t cookie)
{
	return (size_t)((cookie * 0x9e3779b97f4a7c15ULL) >> 17) & seen->mask;
}

/* The slot of cookie, or SEEN_NONE; *free gets the first reusable one. */
static size_t
seen_find(const struct tui_seen *seen, uint64_t cookie, size_t *free_slot)
{
	size_t h;

	*free_slot = SEEN_NONE;
	for (h = seen_home(seen, cookie); seen->cookies[h] != 0;
	    h = (h + 1) & seen->mask) {
		if (seen->cookies[h] == cookie)
			return h;
		if (seen->cookies[h] == SEEN_GONE && *free_slot == SEEN_NONE)
			*free_slot = h;
	}
	if (*free_slot == SEEN_NONE)
		*free_slot = h;
	return SEEN_NONE;
}

/*
 * Room for n live cookies, the table at most 60 % full, without the
 * slots of the gone; what is there stays (slots move: look them up again).
 */
static void
seen_rehash(struct tui_seen *seen, size_t n)
{
	struct tui_seen old = *seen;
	size_t cap = 1024, h, to;

	while (cap * 6 < n * 10)
		cap *= 2;
	seen->cookies = xcalloc(cap, sizeof *seen->cookies);
	seen->states = xmalloc(cap);
	seen->ranks = xmalloc(cap * sizeof *seen->ranks);
	seen->gens = xmalloc(cap);
	seen->mask = cap - 1;
	seen->gone = 0;
	for (h = 0; old.cookies != NULL && h <= old.mask; h++) {
		if (old.cookies[h] == 0 || old.cookies[h] == SEEN_GONE)
			continue;
		seen_find(seen, old.cookies[h], &to);
		seen->cookies[to] = old.cookies[h];
		seen->states[to] = old.states[h];
		seen->ranks[to] = old.ranks[h];
		seen->gens[to] = old.gens[h];
	}
	free(old.cookies);
	free(old.states);
	free(old.ranks);
	free(old.gens);
}

/* The cookies this poll did not show are gone: their slots free. */
static void
seen_sweep(struct tui_seen *seen)
{
	size_t h;

	for (h = 0; h <= seen->mask; h++) {
		if (seen->gens[h] == seen->gen || seen->cookies[h] == 0 ||
		    seen->cookies[h] == SEEN_GONE)
			continue;
		seen->cookies[h] = SEEN_GONE;
		seen->n--;
		seen->gone++;
	}
}

static void
marks_reserve(struct tui_view *v, size_t n)
{
	if (n <= v->marks_cap)
		return;
	v->marks_cap = n;
	v->marks = xreallocarray(v->marks, n, sizeof *v->marks);
	v->prev_rank = xreallocarray(v->prev_rank, n, sizeof *v->prev_rank);
	v->slot = xreallocarray(v->slot, n, sizeof *v->slot);
}

/*
 * This poll's sockets already in the table: marked new or changed against
 * the last poll, their state and generation brought up to date. Returns
 * how many are not there yet (their slot SEEN_NONE).
 */
static size_t
seen_known(struct tui_view *v, const struct snapshot *snap)
{
	struct tui_seen *seen = &v->seen;
	size_t i, h, free_slot, missing = 0;

	for (i = 0; i < snap->n; i++) {
		const struct sock_rec *s = &snap->socks[i];

		/* The table is far larger than the caches: ask ahead. */
		if (i + VIEW_PREFETCH < snap->n)
			__builtin_prefetch(&seen->cookies[seen_home(seen,
			    snap->socks[i + VIEW_PREFETCH].cookie)]);
		v->prev_rank[i] = UINT32_MAX;
		h = seen_find(seen, s->cookie, &free_slot);
		v->slot[i] = (uint32_t)h;
		if (h == SEEN_NONE) {
			if (v->polls > 0) {
				v->marks[i] = TUI_MARK_NEW;
				v->nnew++;
			}
			missing++;
			continue;
		}
		if (seen->gens[h] != seen->gen) {	/* the last poll's */
			if (v->polls > 0 && seen->states[h] != s->state) {
				v->marks[i] = TUI_MARK_CHANGED;
				v->nchanged++;
			}
			if (v->polls > 0)
				v->prev_rank[i] = seen->ranks[h];
		}
		seen->states[h] = s->state;
		seen->gens[h] = seen->gen;
	}
	return missing;
}

/*
 * Compare with the previous poll: a cookie not seen before is new, one
 * seen in another state changed. The first poll marks nothing: everything
 * would be new, which says nothing. Each socket also learns its row in
 * the previous order, so sorting again is mostly merging. One table,
 * kept from poll to poll: the cookies of the poll are looked up in it,
 * the new ones added, and those that did not come back freed.
 */
static void
view_mark(struct tui_view *v, const struct snapshot *snap)
{
	struct tui_seen *seen = &v->seen;
	size_t i, h, free_slot, missing;

	marks_reserve(v, snap->n);
	if (snap->n > 0)
		memset(v->marks, 0, snap->n);
	v->nnew = v->nchanged = 0;
	if (seen->cookies == NULL || v->polls == 0)
		seen_rehash(seen, snap->n);	/* empty: start again */
	if (v->polls == 0) {
		memset(seen->cookies, 0, (seen->mask + 1) * sizeof *seen->cookies);
		seen->n = seen->gone = 0;
	}
	seen->gen = (uint8_t)(seen->gen + 1);
	missing = seen_known(v, snap);
	if ((seen->n + seen->gone + missing) * 4 > (seen->mask + 1) * 3) {
		seen_rehash(seen, seen->n + missing);
		for (i = 0; i < snap->n; i++)	/* the slots moved */
			if (v->slot[i] != SEEN_NONE)
				v->slot[i] = (uint32_t)seen_find(seen,
				    snap->socks[i].cookie, &free_slot);
	}
	for (i = 0; i < snap->n && missing > 0; i++) {
		if (v->slot[i] != SEEN_NONE)
			continue;
		h = seen_find(seen, snap->socks[i].cookie, &free_slot);
		if (h == SEEN_NONE) {	/* not a second record of one */
			h = free_slot;
			if (seen->cookies[h] == SEEN_GONE)
				seen->gone--;
			seen->cookies[h] = snap->socks[i].cookie;
			seen->ranks[h] = UINT32_MAX;
			seen->n++;
		}
		seen->states[h] = snap->socks[i].state;
		seen->gens[h] = seen->gen;
		v->slot[i] = (uint32_t)h;
	}
	seen_sweep(seen);
}

static void
regroup(struct tui_view *v, const struct snapshot *snap)
{
	const struct groups *g = NULL;

	v->snap = snap;
	if (v->own_groups)
		group_free(&v->groups);
	if (v->core->groups != NULL)
		g = v->core->groups(v->core->arg, snap);
	if (g != NULL)
		v->groups = *g;
	else
		group_build(&v->groups, snap);
	v->own_groups = g == NULL;
	v->have_groups = 1;
}

/*
 * A new poll, which the driver has judged (the core reads its model and
 * rules): marks, groups and the trend learn it, but no row is built
 * (tui_view_update builds them): a recording taken again from its start
 * goes through its earlier polls this way.
 */
void
tui_view_feed(struct tui_view *v, const struct snapshot *snap)
{
	memset(v->info.sock, 0, sizeof v->info.sock);
	v->info.n = 0;
	view_mark(v, snap);
	v->polls++;
	regroup(v, snap);
	tui_trend_push(&v->trend, v->groups.states);
}

/*
 * A recording taken again from its start: no poll seen, no history. The
 * model that lent its groups has started again too: the view groups the
 * snapshot it shows itself until the next poll.
 */
void
tui_view_restart(struct tui_view *v)
{
	if (v->have_groups && !v->own_groups && v->snap != NULL) {
		group_build(&v->groups, v->snap);
		v->own_groups = 1;
	}
	v->polls = 0;
	memset(&v->trend, 0, sizeof v->trend);
}

/*
 * A snapshot arrived (new_poll) or the same one is shown again: bring the
 * groups, marks, history and rows up to date.
 */
void
tui_view_update(struct tui_view *v, const struct snapshot *snap,
    int new_poll)
{
	if (new_poll)
		tui_view_feed(v, snap);
	else
		regroup(v, snap);
	tui_view_rebuild(v);
}

static int
find_row(const struct tui_view *v, uint64_t key, size_t *row)
{
	size_t r;

	for (r = 0; r < v->nrows; r++) {
		if (tui_row_key(v, r) == key) {
			*row = r;
			return 1;
		}
	}
	return 0;
}

/* Rows again after a filter, sort or group change; the selection stays. */
void
tui_view_rebuild(struct tui_view *v)
{
	size_t row;

	if (v->snap == NULL)
		return;
	tui_rows_build(v);
	tui_rows_sort(v);
	if (v->sel_valid && find_row(v, v->sel_key, &row))
		v->sel = row;
	tui_view_select(v, v->sel);
}

void
tui_view_set_group(struct tui_view *v, enum tui_group g)
{
	if (v->group == g)
		return;
	v->group = g;
	v->sel = v->top = 0;
	v->sel_valid = 0;
	tui_view_rebuild(v);
}

void
tui_view_select(struct tui_view *v, size_t row)
{
	if (v->nrows == 0) {
		v->sel = v->top = 0;
		v->sel_valid = 0;
		return;
	}
	if (row >= v->nrows)
		row = v->nrows - 1;
	v->sel = row;
	v->sel_key = tui_row_key(v, row);
	v->sel_valid = 1;
}

void
tui_view_move(struct tui_view *v, long delta)
{
	long row = (long)v->sel + delta;

	if (row < 0)
		row = 0;
	tui_view_select(v, (size_t)row);
}

/* Keep the selected row inside a window of height rows. */
void
tui_view_scroll(struct tui_view *v, size_t height)
{
	if (height == 0)
		return;
	if (v->sel < v->top)
		v->top = v->sel;
	else if (v->sel >= v->top + height)
		v->top = v->sel - height + 1;
	if (v->nrows <= height)
		v->top = 0;
	else if (v->top > v->nrows - height)
		v->top = v->nrows - height;
}

static int
contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	for (; *hay != '\0'; hay++) {
		for (i = 0; i < n && hay[i] != '\0'; i++)
			if (tolower((unsigned char)hay[i]) !=
			    tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return 1;
	}
	return n == 0;
}

static int
row_matches(const struct tui_view *v, size_t row, const char *text)
{
	const enum tui_col *cols;
	char cell[128];
	size_t ncols, c;

	cols = tui_cell_columns(v, &ncols);
	for (c = 0; c < ncols; c++) {
		tui_cell(v, row, cols[c], cell, sizeof cell);
		if (contains_nocase(cell, text))
			return 1;
	}
	return 0;
}

/*
 * Select the next row (dir 1) or the previous one (dir -1) whose text
 * holds `text`, starting at the selection itself when dir is 0. Wraps;
 * returns 0 when no row matches.
 */
int
tui_view_search(struct tui_view *v, const char *text, int dir)
{
	size_t i, row;

	if (v->nrows == 0 || *text == '\0')
		return 0;
	for (i = 0; i < v->nrows; i++) {
		if (dir >= 0)
			row = (v->sel + i + (dir > 0)) % v->nrows;
		else
			row = (v->sel + v->nrows * 2 - i - 1) % v->nrows;
		if (row_matches(v, row, text)) {
			tui_view_select(v, row);
			return 1;
		}
	}
	return 0;
}

/* The socket of a row: itself, or the first socket of a group row. */
long
tui_view_socket(const struct tui_view *v, size_t row)
{
	if (row >= v->nrows)
		return -1;
	if (v->group == TUI_GROUP_SOCKETS)
		return (long)v->rows[row];
	return (long)v->aggs[v->rows[row]].first;
}

/* Narrow f to the sockets of group row `row`. */
static void
group_filter(const struct tui_view *v, size_t row, struct tui_filter *f)
{
	const struct tui_agg *a = &v->aggs[v->rows[row]];

	f->group = v->group;
	f->group_key = a->key;
	f->group_family = a->family;
	memcpy(f->group_addr, a->addr, sizeof f->group_addr);
	f->group_port = a->port;
	f->group_netns = v->snap->socks[a->first].netns;
}

/*
 * From a group row to the sockets it adds up: the sockets view, filtered
 * to that group. Returns 0 on the sockets view, where there is nothing to
 * open.
 */
int
tui_view_drill(struct tui_view *v)
{
	struct tui_filter *f = &v->filter;

	if (v->group == TUI_GROUP_SOCKETS || v->sel >= v->nrows)
		return 0;
	group_filter(v, v->sel, f);
	tui_cell(v, v->sel, tui_modes[v->group].cols[0],
	    f->group_label, sizeof f->group_label);
	tui_view_set_group(v, TUI_GROUP_SOCKETS);
	return 1;
}

/* Back from the sockets of a group to the group's view, on its row. */
void
tui_view_undrill(struct tui_view *v)
{
	enum tui_group back = v->filter.group;
	uint64_t key = v->filter.group_key;
	size_t r;

	v->filter.group = TUI_GROUP_SOCKETS;
	v->filter.group_label[0] = '\0';
	if (back == TUI_GROUP_SOCKETS || v->group != TUI_GROUP_SOCKETS) {
		tui_view_rebuild(v);
		return;
	}
	tui_view_set_group(v, back);
	for (r = 0; r < v->nrows; r++)
		if (v->aggs[v->rows[r]].key == key) {
			tui_view_select(v, r);
			break;
		}
}

/*
 * The sockets of a group row, in the order Enter on the row shows them:
 * its connections only. A listening socket is destroyed from its own row
 * of the sockets view, never with a group's connections: the service would
 * stop accepting. On the listeners view a row's connections are those
 * accepted on its port.
 */
uint32_t *
tui_view_row_sockets(const struct tui_view *v, size_t row, size_t *n)
{
	struct tui_filter f;
	uint32_t *idx;
	size_t i, k = 0;

	*n = 0;
	if (row >= v->nrows)
		return NULL;
	if (v->group == TUI_GROUP_SOCKETS) {
		idx = xmalloc(sizeof *idx);
		idx[0] = v->rows[row];
		*n = 1;
		return idx;
	}
	f = v->filter;		/* its expression, with this group */
	group_filter(v, row, &f);
	idx = xreallocarray(NULL, v->snap->n + 1, sizeof *idx);
	for (i = 0; i < v->snap->n; i++) {
		const struct sock_rec *s = &v->snap->socks[i];

		if (s->state == TS_LISTEN || !tui_filter_match(&f, v, i))
			continue;
		idx[k++] = (uint32_t)i;
	}
	tui_sort_sockets(v, idx, k);
	*n = k;
	return idx;
}

struct ranked {
	uint64_t	 key;
	size_t		 rank;
};

static int
ranked_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	return a->key < b->key ? -1 : a->key > b->key;
}

struct sock_rank {
	uint32_t	 sock;
	size_t		 rank;
};

static int
sock_rank_cmp(const void *pa, const void *pb)
{
	const struct sock_rank *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->sock < b->sock ? -1 : a->sock > b->sock;
}

/* A grouped view's filtered connections, by their group's row. */
static size_t
filtered_by_row(const struct tui_view *v, uint32_t *idx, size_t *listeners)
{
	struct ranked *keys, want, *hit;
	struct sock_rank *sr;
	size_t i, r, k = 0;

	keys = xreallocarray(NULL, v->nrows + 1, sizeof *keys);
	for (r = 0; r < v->nrows; r++) {
		keys[r].key = v->aggs[v->rows[r]].key;
		keys[r].rank = r;
	}
	qsort(keys, v->nrows, sizeof *keys, ranked_cmp);
	sr = xreallocarray(NULL, v->snap->n + 1, sizeof *sr);
	for (i = 0; i < v->snap->n; i++) {
		if (!tui_filter_match(&v->filter, v, i))
			continue;
		if (v->snap->socks[i].state == TS_LISTEN) {
			(*listeners)++;
			continue;
		}
		want.key = tui_mode_key(v, v->group, i);
		hit = v->nrows > 0 ? bsearch(&want, keys, v->nrows,
		    sizeof *keys, ranked_cmp) : NULL;
		sr[k].sock = (uint32_t)i;
		sr[k++].rank = hit != NULL ? hit->rank : v->nrows;
	}
	if (k > 1)
		qsort(sr, k, sizeof *sr, sock_rank_cmp);
	for (i = 0; i < k; i++)
		idx[i] = sr[i].sock;
	free(sr);
	free(keys);
	return k;
}

/*
 * Every connection the dashboard's filter lets through, in the table's
 * order, or NULL without a filter: destroying "everything shown" must
 * never mean every socket. Listening sockets are left out (counted in
 * *listeners): each is destroyed from its own row.
 */
uint32_t *
tui_view_filtered_sockets(const struct tui_view *v, size_t *n,
    size_t *listeners)
{
	uint32_t *idx;
	size_t r, k = 0;

	*n = *listeners = 0;
	if (v->snap == NULL || !tui_filter_active(&v->filter))
		return NULL;
	idx = xreallocarray(NULL, v->snap->n + 1, sizeof *idx);
	if (v->group != TUI_GROUP_SOCKETS)
		k = filtered_by_row(v, idx, listeners);
	else
		for (r = 0; r < v->nrows; r++) {
			if (v->snap->socks[v->rows[r]].state == TS_LISTEN)
				(*listeners)++;
			else
				idx[k++] = v->rows[r];
		}
	*n = k;
	return idx;
}

/* The next (dir 1) or previous (dir -1) column to sort by, as < and >. */
void
tui_view_sort_next(struct tui_view *v, int dir)
{
	enum tui_col cols[TUI_COL_COUNT];
	size_t n = tui_sort_columns(v, cols), i;

	if (n == 0)
		return;
	for (i = 0; i < n && cols[i] != v->sort_col[v->group]; i++)
		;
	if (i == n)		/* sorted by a column no longer shown */
		i = dir > 0 ? n - 1 : 0;
	i = (i + (size_t)(dir > 0 ? 1 : n - 1)) % n;
	v->sort_col[v->group] = cols[i];
	tui_view_rebuild(v);
}
