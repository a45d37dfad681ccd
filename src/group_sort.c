/*
 * group_sort.c - the display order: sockets by state in the order of a
 * connection's life, then by address (family, local address and port,
 * peer). group_sort orders a snapshot at once; a group_sorter orders one
 * as its dump is read, a run at a time while the kernel walks, and merges
 * the runs after.
 */
#include "config.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "group.h"
#include "xmalloc.h"

static inline uint64_t
load_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return be64toh(v);
}

/* What memcmp says of two 16-byte addresses, in two integer comparisons. */
static inline int
compare_addr(const uint8_t *a, const uint8_t *b)
{
	uint64_t x = load_be64(a), y = load_be64(b);

	if (x == y) {
		x = load_be64(a + 8);
		y = load_be64(b + 8);
	}
	return (x > y) - (x < y);
}

/* Family (IPv4 first), local address and port, peer address and port. */
static inline int
compare_socks(const struct sock_rec *a, const struct sock_rec *b)
{
	int c;

	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	if ((c = compare_addr(a->src, b->src)) != 0)
		return c;
	if (a->sport != b->sport)
		return a->sport < b->sport ? -1 : 1;
	if ((c = compare_addr(a->dst, b->dst)) != 0)
		return c;
	if (a->dport != b->dport)
		return a->dport < b->dport ? -1 : 1;
	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	if (a->cookie != b->cookie)
		return a->cookie < b->cookie ? -1 : 1;
	return 0;
}

int
group_compare_socks(const struct sock_rec *a, const struct sock_rec *b)
{
	return compare_socks(a, b);
}

/*
 * A socket's place in the display order within its state, as three
 * integers compared in turn: family (IPv4 first), local address and port,
 * then as much of the peer as fits (all of it for IPv4). Sorting these
 * instead of indexes keeps the sort off the records, which at a million
 * sockets are far larger than the cache; equal keys, rare, are settled by
 * compare_socks on the records.
 */
struct sort_key {
	uint64_t	k[3];
	uint32_t	index;
};

static void
make_key(struct sort_key *key, const struct sock_rec *s, uint32_t index)
{
	uint64_t src_hi = load_be64(s->src), src_lo = load_be64(s->src + 8);
	uint64_t dst_hi = load_be64(s->dst);

	if (s->family == AF_INET) {
		key->k[0] = src_hi >> 32 << 16 | s->sport;
		key->k[1] = dst_hi >> 32 << 16 | s->dport;
		key->k[2] = 0;
	} else {
		key->k[0] = 1ULL << 63 | src_hi >> 1;
		key->k[1] = src_hi << 63 | src_lo >> 1;
		key->k[2] = src_lo << 63 | (uint64_t)s->sport << 47 | dst_hi >> 17;
	}
	key->index = index;
}

static inline int
compare_keys(const struct sort_key *a, const struct sort_key *b,
    const struct sock_rec *socks)
{
	int i;

	for (i = 0; i < 3; i++)
		if (a->k[i] != b->k[i])
			return a->k[i] < b->k[i] ? -1 : 1;
	return compare_socks(&socks[a->index], &socks[b->index]);
}

/*
 * Merge the sorted keys[0..half) and keys[half..n) through tmp; on a tie
 * the first half's key goes first, so that the sort stays stable.
 */
static void
merge_halves(struct sort_key *keys, size_t n, size_t half,
    struct sort_key *tmp, const struct sock_rec *socks)
{
	size_t i = 0, j = half, k = 0;

	if (half == 0 || half == n ||
	    compare_keys(&keys[half], &keys[half - 1], socks) >= 0)
		return;		/* in order already, as kernel dumps often are */
	while (i < half && j < n) {
		if (compare_keys(&keys[j], &keys[i], socks) < 0)
			tmp[k++] = keys[j++];
		else
			tmp[k++] = keys[i++];
	}
	while (i < half)
		tmp[k++] = keys[i++];
	memcpy(keys, tmp, k * sizeof *keys);	/* keys[j..n) are in place */
}

/*
 * A stable merge sort, so equal sockets keep their order as with the
 * qsort_r it replaced (glibc's merge sort); its comparison is inlined,
 * which a qsort callback cannot be.
 */
static void
sort_keys(struct sort_key *keys, size_t n, struct sort_key *tmp,
    const struct sock_rec *socks)
{
	size_t half = n / 2;

	if (n < 2)
		return;
	sort_keys(keys, half, tmp, socks);
	sort_keys(keys + half, n - half, tmp, socks);
	merge_halves(keys, n, half, tmp, socks);
}

/* Sort order[0..n), the indexes of one state, by address. */
static void
sort_bucket(uint32_t *order, size_t n, struct sort_key *keys,
    struct sort_key *tmp, const struct sock_rec *socks)
{
	size_t i;

	for (i = 0; i < n; i++)
		make_key(&keys[i], &socks[order[i]], order[i]);
	sort_keys(keys, n, tmp, socks);
	for (i = 0; i < n; i++)
		order[i] = keys[i].index;
}

/*
 * Indexes of the sockets in display order: by state in the order of a
 * connection's life, then by address. States are bucketed first, so the
 * comparison sort only orders sockets within one state.
 */
uint32_t *
group_sort(const struct snapshot *snap, size_t *n)
{
	size_t start[TS_COUNT + 2], fill[TS_COUNT + 1], i, largest = 0;
	uint32_t *order = xreallocarray(NULL, snap->n, sizeof *order);
	struct sort_key *keys, *tmp;
	uint8_t rank[TS_MAX + 1];
	int r;

	for (r = 0; r <= TS_MAX; r++)
		rank[r] = (uint8_t)sock_state_rank(r);
	memset(start, 0, sizeof start);
	for (i = 0; i < snap->n; i++)
		start[rank[snap->socks[i].state] + 1]++;
	for (r = 1; r <= TS_COUNT + 1; r++) {
		if (start[r] > largest)
			largest = start[r];
		start[r] += start[r - 1];
	}
	memcpy(fill, start, sizeof fill);
	for (i = 0; i < snap->n; i++)
		order[fill[rank[snap->socks[i].state]]++] = (uint32_t)i;

	keys = xreallocarray(NULL, largest, sizeof *keys);
	tmp = xreallocarray(NULL, largest, sizeof *tmp);
	populate(keys, largest * sizeof *keys);
	populate(tmp, largest * sizeof *tmp);
	for (r = 0; r <= TS_COUNT; r++)
		sort_bucket(order + start[r], start[r + 1] - start[r], keys, tmp,
		    snap->socks);
	free(keys);
	free(tmp);
	*n = snap->n;
	return order;
}

/*
 * The keys of one state as a dump is read, in runs of SORT_RUN: a run is
 * sorted when it fills, while its records are still in the cache and the
 * kernel fills the next datagrams; the runs are merged at the end.
 */
#define SORT_RUN	65536		/* keys: 2 MiB, within the cache */
#define RUN_BYTES	(SORT_RUN * sizeof (struct sort_key))	/* a huge page */

struct sort_run {
	struct sort_key	*keys;		/* SORT_RUN, allocated once */
	size_t		 n;
	int		 sorted;
};

struct group_sorter {
	struct sort_run	*runs[TS_COUNT + 1];	/* by rank, in index order */
	size_t		 nruns[TS_COUNT + 1];
	size_t		 done;		/* records of the snapshot keyed */
	struct sort_key	*tmp;		/* SORT_RUN */
	uint8_t		 rank[TS_MAX + 1];
};

struct group_sorter *
group_sorter_new(void)
{
	struct group_sorter *g = xcalloc(1, sizeof *g);
	int r;

	for (r = 0; r <= TS_MAX; r++)
		g->rank[r] = (uint8_t)sock_state_rank(r);
	return g;
}

/* Forget every key: the next poll begins. */
void
group_sorter_clear(struct group_sorter *g)
{
	size_t r, i;

	for (r = 0; r <= TS_COUNT; r++) {
		for (i = 0; i < g->nruns[r]; i++)
			xunmap(g->runs[r][i].keys, RUN_BYTES);
		free(g->runs[r]);
		g->runs[r] = NULL;
		g->nruns[r] = 0;
	}
	g->done = 0;
}

void
group_sorter_free(struct group_sorter *g)
{
	if (g == NULL)
		return;
	group_sorter_clear(g);
	free(g->tmp);
	free(g);
}

/* A restarted dump: the keys of records from `from` on are dropped. */
static void
forget_from(struct group_sorter *g, size_t from)
{
	size_t r, i, j, k;

	for (r = 0; r <= TS_COUNT; r++)
		for (i = 0; i < g->nruns[r]; i++) {
			struct sort_run *run = &g->runs[r][i];

			for (j = k = 0; j < run->n; j++)
				if (run->keys[j].index < from)
					run->keys[k++] = run->keys[j];
			run->n = k;	/* a sorted run stays sorted */
		}
	g->done = from;
}

/* The run that the next key of rank r goes into. */
static struct sort_run *
open_run(struct group_sorter *g, int r)
{
	struct sort_run *run;

	if (g->nruns[r] > 0 && g->runs[r][g->nruns[r] - 1].n < SORT_RUN)
		return &g->runs[r][g->nruns[r] - 1];
	g->runs[r] = xreallocarray(g->runs[r], g->nruns[r] + 1,
	    sizeof *g->runs[r]);
	run = &g->runs[r][g->nruns[r]++];
	run->keys = xmap(RUN_BYTES);
	run->n = 0;
	run->sorted = 0;
	return run;
}

static void
sort_run(struct group_sorter *g, struct sort_run *run,
    const struct sock_rec *socks)
{
	if (g->tmp == NULL) {
		g->tmp = xreallocarray(NULL, SORT_RUN, sizeof *g->tmp);
		populate(g->tmp, SORT_RUN * sizeof *g->tmp);
	}
	if (!run->sorted)
		sort_keys(run->keys, run->n, g->tmp, socks);
	run->sorted = 1;
}

/*
 * The records of snap parsed so far (diag_parsed): those from `from` on
 * are new, or read again after a restart.
 */
void
group_sorter_add(struct group_sorter *g, const struct snapshot *snap,
    size_t from)
{
	struct sort_run *run;
	size_t i;

	if (from < g->done)
		forget_from(g, from);
	for (i = g->done; i < snap->n; i++) {
		run = open_run(g, g->rank[snap->socks[i].state]);
		make_key(&run->keys[run->n++], &snap->socks[i], (uint32_t)i);
		run->sorted = 0;
		if (run->n == SORT_RUN)
			sort_run(g, run, snap->socks);
	}
	g->done = snap->n;
}

/*
 * A heap of the runs of one rank by their next key, the smallest on top;
 * of two equal keys, the earlier run's (the sort stays stable).
 */
struct run_heap {
	struct sort_run		*runs;
	size_t			*at;		/* each run's next key */
	size_t			*heap;		/* run numbers */
	size_t			 n;
	const struct sock_rec	*socks;
};

static int
heap_less(const struct run_heap *h, size_t a, size_t b)
{
	int c = compare_keys(&h->runs[a].keys[h->at[a]],
	    &h->runs[b].keys[h->at[b]], h->socks);

	return c != 0 ? c < 0 : a < b;
}

static void
heap_down(struct run_heap *h, size_t i)
{
	size_t child, top = h->heap[i];

	while ((child = 2 * i + 1) < h->n) {
		if (child + 1 < h->n &&
		    heap_less(h, h->heap[child + 1], h->heap[child]))
			child++;
		if (!heap_less(h, h->heap[child], top))
			break;
		h->heap[i] = h->heap[child];
		i = child;
	}
	h->heap[i] = top;
}

/*
 * The runs of rank r, each sorted, merged into order: straight from the
 * runs, so the merge asks for no fresh memory (in this guest the kernel
 * zeroes a fresh page at 400 MB/s). Their keys are freed; returns how
 * many there were.
 */
static size_t
merge_rank(struct group_sorter *g, int r, const struct sock_rec *socks,
    uint32_t *order)
{
	struct run_heap h;
	size_t i, k, out = 0, nruns = g->nruns[r];

	if (nruns == 0)
		return 0;
	h.runs = g->runs[r];
	h.socks = socks;
	h.at = xcalloc(nruns, sizeof *h.at);
	h.heap = xreallocarray(NULL, nruns, sizeof *h.heap);
	h.n = 0;
	for (i = 0; i < nruns; i++) {
		sort_run(g, &h.runs[i], socks);
		if (h.runs[i].n > 0)
			h.heap[h.n++] = i;
	}
	for (i = h.n / 2; i-- > 0;)
		heap_down(&h, i);
	while (h.n > 0) {
		k = h.heap[0];
		order[out++] = h.runs[k].keys[h.at[k]].index;
		if (++h.at[k] == h.runs[k].n)
			h.heap[0] = h.heap[--h.n];	/* this run is done */
		if (h.n > 0)
			heap_down(&h, 0);
	}
	for (i = 0; i < nruns; i++) {
		xunmap(h.runs[i].keys, RUN_BYTES);
		h.runs[i].keys = NULL;
		h.runs[i].n = 0;
	}
	free(h.at);
	free(h.heap);
	return out;
}

/*
 * The display order of snap (as group_sort's) from what was added, the
 * records after those added first; the sorter is cleared for the next.
 */
uint32_t *
group_sorter_finish(struct group_sorter *g, const struct snapshot *snap,
    size_t *n)
{
	uint32_t *order = xreallocarray(NULL, snap->n + 1, sizeof *order);
	size_t at = 0;
	int r;

	advise_huge(order, (snap->n + 1) * sizeof *order);
	group_sorter_add(g, snap, g->done);
	for (r = 0; r <= TS_COUNT; r++)
		at += merge_rank(g, r, snap->socks, order + at);
	group_sorter_clear(g);
	*n = snap->n;
	return order;
}
