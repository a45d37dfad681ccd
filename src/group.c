/*
 * group.c - counts per state, listeners, and the display order.
 *
 * Request sockets (SYN_RECV) carry no pointer to their listener, so they are
 * attributed by local port and address: an exact address first, then a
 * wildcard of the same family, then a dual-stack IPv6 wildcard. With
 * -N all a snapshot holds several namespaces: a listener and its requests
 * are always of one namespace, and equal addresses of two are two listeners.
 */
#include "config.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "group.h"
#include "xmalloc.h"

#define NONE UINT32_MAX

/* Listeners chained by local port: head[port], then next[listener]. */
struct port_index {
	uint32_t	*head;		/* 65536 entries */
	uint32_t	*next;
	size_t		 cap;
};

static int
addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static int
addr_is_any(int family, const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, (size_t)addr_len(family)) == 0;
}

static struct listener *
find_listener(struct groups *g, const struct snapshot *snap,
    const struct port_index *pi, const struct sock_rec *s)
{
	uint32_t j;

	for (j = pi->head[s->sport]; j != NONE; j = pi->next[j]) {
		const struct sock_rec *l = &snap->socks[g->listeners[j].sock];

		if (l->family == s->family && l->netns == s->netns &&
		    memcmp(l->src, s->src, (size_t)addr_len(s->family)) == 0)
			return &g->listeners[j];
	}
	return NULL;
}

static struct listener *
add_listener(struct groups *g, struct port_index *pi, size_t sock,
    uint16_t port)
{
	struct listener *l;
	uint32_t j = (uint32_t)g->nlisteners;

	if (g->nlisteners == pi->cap) {
		pi->cap = pi->cap == 0 ? 16 : pi->cap * 2;
		g->listeners = xreallocarray(g->listeners, pi->cap,
		    sizeof *g->listeners);
		pi->next = xreallocarray(pi->next, pi->cap, sizeof *pi->next);
	}
	l = &g->listeners[g->nlisteners++];
	memset(l, 0, sizeof *l);
	l->sock = sock;
	pi->next[j] = pi->head[port];
	pi->head[port] = j;
	return l;
}

/* Merge the listening sockets that share an address and port. */
static void
collect_listeners(struct groups *g, const struct snapshot *snap,
    struct port_index *pi)
{
	struct listener *l;
	size_t i;

	for (i = 0; i < snap->n; i++) {
		const struct sock_rec *s = &snap->socks[i];

		if (s->state != TS_LISTEN)
			continue;
		if ((l = find_listener(g, snap, pi, s)) == NULL) {
			l = add_listener(g, pi, i, s->sport);
			l->uid = s->uid;
		}
		l->members++;
		l->accept_queue += s->rqueue;
		l->backlog += s->wqueue;
		if (s->flags & SOCK_HAS_MEM) {
			l->drops += snap->mem[i].drops;
			l->drops_known = 1;
		}
	}
}

/* 3: same address, 2: wildcard of its family, 1: dual-stack, 0: no. */
static int
listener_match(const struct sock_rec *l, const struct sock_rec *req)
{
	if (l->netns != req->netns)	/* -N all: another namespace's port */
		return 0;
	if (l->family == req->family) {
		if (memcmp(l->src, req->src, (size_t)addr_len(l->family)) == 0)
			return 3;
		if (addr_is_any(l->family, l->src))
			return 2;
		return 0;
	}
	if (l->family == AF_INET6 && req->family == AF_INET &&
	    addr_is_any(AF_INET6, l->src))
		return 1;
	return 0;
}

static void
attribute_syn_recv(struct groups *g, const struct snapshot *snap,
    const struct port_index *pi, size_t i)
{
	const struct sock_rec *req = &snap->socks[i];
	struct listener *best = NULL;
	int score, best_score = 0;
	uint32_t j;

	for (j = pi->head[req->sport]; j != NONE; j = pi->next[j]) {
		score = listener_match(&snap->socks[g->listeners[j].sock], req);
		if (score > best_score) {
			best_score = score;
			best = &g->listeners[j];
		}
	}
	if (best != NULL) {
		best->syn_recv++;
		if (g->req_listener == NULL) {
			g->req_listener = xreallocarray(NULL, snap->n,
			    sizeof *g->req_listener);
			memset(g->req_listener, 0xff,
			    snap->n * sizeof *g->req_listener);
		}
		g->req_listener[i] = (uint32_t)(best - g->listeners);
	} else
		g->syn_recv_unattributed++;
}

static int
is_orphan(const struct sock_rec *s)
{
	if (s->inode != 0)
		return 0;
	switch (s->state) {
	case TS_FIN_WAIT1:
	case TS_CLOSING:
	case TS_LAST_ACK:
		return 1;
	case TS_FIN_WAIT2:
		return s->timer != TIMER_TIME_WAIT;	/* else a timewait socket */
	default:
		return 0;
	}
}

static int
compare_listeners(const void *pa, const void *pb, void *arg)
{
	const struct sock_rec *socks = arg;

	return group_compare_socks(&socks[((const struct listener *)pa)->sock],
	    &socks[((const struct listener *)pb)->sock]);
}

/*
 * Listeners in address order, not the kernel's hash order, which changes
 * with the request method and between polls; the port chains follow.
 */
static void
sort_listeners(struct groups *g, const struct snapshot *snap,
    struct port_index *pi)
{
	size_t j;

	if (g->nlisteners < 2)
		return;
	qsort_r(g->listeners, g->nlisteners, sizeof *g->listeners,
	    compare_listeners, snap->socks);
	memset(pi->head, 0xff, 65536 * sizeof *pi->head);
	for (j = g->nlisteners; j-- > 0;) {
		uint16_t port = snap->socks[g->listeners[j].sock].sport;

		pi->next[j] = pi->head[port];
		pi->head[port] = (uint32_t)j;
	}
}

void
group_build(struct groups *g, const struct snapshot *snap)
{
	struct port_index pi;
	size_t i;

	memset(g, 0, sizeof *g);
	memset(&pi, 0, sizeof pi);
	pi.head = xmalloc(65536 * sizeof *pi.head);
	memset(pi.head, 0xff, 65536 * sizeof *pi.head);

	collect_listeners(g, snap, &pi);
	sort_listeners(g, snap, &pi);
	for (i = 0; i < snap->n; i++) {
		const struct sock_rec *s = &snap->socks[i];

		g->states[s->state]++;
		if (s->state == TS_SYN_RECV && s->inode == 0)
			attribute_syn_recv(g, snap, &pi, i);
		if (is_orphan(s))
			g->orphans++;
	}
	g->total = snap->n;
	free(pi.head);
	free(pi.next);
}

void
group_free(struct groups *g)
{
	if (g == NULL)
		return;
	free(g->listeners);
	g->listeners = NULL;
	free(g->req_listener);
	g->req_listener = NULL;
	g->nlisteners = 0;
}

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

/* Merge the sorted halves of keys[0..n) through tmp. */
static void
merge_halves(struct sort_key *keys, size_t n, struct sort_key *tmp,
    const struct sock_rec *socks)
{
	size_t half = n / 2, i = 0, j = half, k = 0;

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
	if (compare_keys(&keys[half], &keys[half - 1], socks) >= 0)
		return;		/* in order already, as kernel dumps often are */
	merge_halves(keys, n, tmp, socks);
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
