/*
 * tui_group.c - the rows of each grouped view and their order.
 *
 * The sockets view is the filtered sockets themselves. The other views add
 * the filtered sockets up: by listening address (from group.c), by peer
 * prefix (/24 for IPv4, /48 for IPv6, where one network usually ends), and
 * by owning process. Every order ends on an identity (the cookie, the
 * group key), so rows keep their places between polls.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tui_view.h"
#include "xmalloc.h"

uint64_t
tui_row_key(const struct tui_view *v, size_t row)
{
	if (v->group == TUI_GROUP_SOCKETS)
		return v->snap->socks[v->rows[row]].cookie;
	return v->aggs[v->rows[row]].key;
}

static void
rows_reserve(struct tui_view *v, size_t n)
{
	if (n > v->rows_cap) {
		v->rows_cap = n;
		v->rows = xreallocarray(v->rows, n, sizeof *v->rows);
	}
}

static struct tui_agg *
agg_add(struct tui_view *v, uint64_t key, size_t first)
{
	struct tui_agg *a;

	if (v->naggs == v->aggs_cap) {
		v->aggs_cap = v->aggs_cap == 0 ? 64 : v->aggs_cap * 2;
		v->aggs = xreallocarray(v->aggs, v->aggs_cap, sizeof *v->aggs);
	}
	a = &v->aggs[v->naggs++];
	memset(a, 0, sizeof *a);
	a->key = key;
	a->first = first;
	return a;
}

static void
build_listeners(struct tui_view *v)
{
	const struct snapshot *snap = v->snap;
	struct tui_agg *a;
	size_t j;

	for (j = 0; j < v->groups.nlisteners; j++) {
		const struct listener *l = &v->groups.listeners[j];
		const struct sock_rec *s = &snap->socks[l->sock];

		if (!tui_filter_match(&v->filter, v, l->sock))
			continue;
		a = agg_add(v, tui_mode_key(v, v->group,
		    l->sock), l->sock);
		a->family = s->family;
		memcpy(a->addr, s->src, s->family == AF_INET ? 4 : 16);
		a->port = s->sport;
		a->listener = j;
		a->n = l->members;
		a->states[TS_LISTEN] = l->members;
		a->states[TS_SYN_RECV] = l->syn_recv;
		a->recvq = l->accept_queue;
		a->sendq = l->backlog;
		a->process = tui_sock_process(v, l->sock, &a->pid);
	}
}

/* Open addressing from group key to aggregate, for one build. */
struct agg_index {
	uint64_t	*keys;
	uint32_t	*aggs;
	size_t		 mask;
};

static struct tui_agg *
agg_find(struct tui_view *v, struct agg_index *ix, uint64_t key, size_t i)
{
	size_t h = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & ix->mask;

	for (; ix->keys[h] != 0; h = (h + 1) & ix->mask)
		if (ix->keys[h] == key)
			return &v->aggs[ix->aggs[h]];
	ix->keys[h] = key;
	ix->aggs[h] = (uint32_t)v->naggs;
	return agg_add(v, key, i);
}

static void
build_sums(struct tui_view *v)
{
	const struct tui_mode *m = &tui_modes[v->group];
	const struct snapshot *snap = v->snap;
	struct agg_index ix;
	struct tui_agg *a;
	uint64_t key;
	size_t i, cap = 256;

	while (cap < 2 * snap->n)
		cap *= 2;
	ix.keys = xcalloc(cap, sizeof *ix.keys);
	ix.aggs = xmalloc(cap * sizeof *ix.aggs);
	ix.mask = cap - 1;
	for (i = 0; i < snap->n; i++) {
		const struct sock_rec *s = &snap->socks[i];

		if (!tui_filter_match(&v->filter, v, i) ||
		    (key = tui_mode_key(v, v->group, i)) == 0)
			continue;
		a = agg_find(v, &ix, key, i);
		if (a->n++ == 0) {
			if (m->label != NULL)
				m->label(a, s);
			a->process = tui_sock_process(v, i, &a->pid);
		}
		a->states[s->state]++;
		/* A listener's queues count connections and its backlog
		   limit, not bytes: they are the listeners view's. */
		if (s->state == TS_LISTEN)
			continue;
		a->recvq += s->rqueue;
		a->sendq += s->wqueue;
	}
	free(ix.keys);
	free(ix.aggs);
}

/* The rows of the current view, filtered, in snapshot order. */
void
tui_rows_build(struct tui_view *v)
{
	size_t i;

	v->nrows = 0;
	v->naggs = 0;
	if (tui_modes[v->group].rows == TUI_ROWS_SOCKETS) {
		rows_reserve(v, v->snap->n);
		for (i = 0; i < v->snap->n; i++)
			if (tui_filter_match(&v->filter, v, i))
				v->rows[v->nrows++] = (uint32_t)i;
		return;
	}
	if (tui_modes[v->group].rows == TUI_ROWS_LISTENERS)
		build_listeners(v);
	else
		build_sums(v);
	rows_reserve(v, v->naggs);
	for (i = 0; i < v->naggs; i++)
		v->rows[v->nrows++] = (uint32_t)i;
}
