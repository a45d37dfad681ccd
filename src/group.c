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

/* A listening socket, merged with those that share its address and port. */
static void
add_listening(struct groups *g, const struct snapshot *snap,
    struct port_index *pi, size_t i)
{
	const struct sock_rec *s = &snap->socks[i];
	struct listener *l;

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
		g->reqs[g->nreqs].sock = (uint32_t)i;
		g->reqs[g->nreqs++].listener = (uint32_t)(best - g->listeners);
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

/*
 * The groups of a snapshot added up as its records come, so that a dump's
 * are ready when it ends (the parsing thread waits for the kernel anyway):
 * counts and listeners at once, request sockets attributed at the end,
 * when every listener is known.
 */
struct group_builder {
	struct groups		 g;
	struct port_index	 pi;
	size_t			 done;		/* records added so far */
	uint32_t		*reqs;		/* request sockets, to attribute */
	size_t			 nreqs, reqs_cap;
};

struct group_builder *
group_builder_new(void)
{
	struct group_builder *b = xcalloc(1, sizeof *b);

	b->pi.head = xmalloc(65536 * sizeof *b->pi.head);
	memset(b->pi.head, 0xff, 65536 * sizeof *b->pi.head);
	return b;
}

/* Begin again: another snapshot, or a dump that restarted. */
void
group_builder_clear(struct group_builder *b)
{
	group_free(&b->g);
	memset(&b->g, 0, sizeof b->g);
	memset(b->pi.head, 0xff, 65536 * sizeof *b->pi.head);
	b->pi.cap = 0;		/* next grows with the listeners again */
	b->done = 0;
	b->nreqs = 0;
}

void
group_builder_free(struct group_builder *b)
{
	if (b == NULL)
		return;
	group_free(&b->g);
	free(b->pi.head);
	free(b->pi.next);
	free(b->reqs);
	free(b);
}

static void
add_record(struct group_builder *b, const struct snapshot *snap, size_t i)
{
	const struct sock_rec *s = &snap->socks[i];

	b->g.states[s->state]++;
	if (is_orphan(s))
		b->g.orphans++;
	if (s->state == TS_LISTEN)
		add_listening(&b->g, snap, &b->pi, i);
	else if (s->state == TS_SYN_RECV && s->inode == 0) {
		if (b->nreqs == b->reqs_cap) {
			b->reqs_cap = b->reqs_cap == 0 ? 1024 : b->reqs_cap * 2;
			b->reqs = xreallocarray(b->reqs, b->reqs_cap,
			    sizeof *b->reqs);
		}
		b->reqs[b->nreqs++] = (uint32_t)i;
	}
}

/*
 * snap's records from `from` on are new (as diag_request's parsed says).
 * A dump that restarted begins again: `from` is lower than before, or the
 * retry ended with fewer records than were added.
 */
void
group_builder_add(struct group_builder *b, const struct snapshot *snap,
    size_t from)
{
	size_t i;

	if (from < b->done || snap->n < b->done)
		group_builder_clear(b);
	for (i = b->done; i < snap->n; i++)
		add_record(b, snap, i);
	b->done = snap->n;
}

/* The groups of the whole of snap, into g; the builder is clear again. */
void
group_builder_finish(struct group_builder *b, struct groups *g,
    const struct snapshot *snap)
{
	size_t k;

	group_builder_add(b, snap, b->done);
	b->g.total = snap->n;
	sort_listeners(&b->g, snap, &b->pi);
	/* A list, not a listener per socket: a poll holds few of them, and
	   memory the size of the poll costs its page faults at each. */
	if (b->nreqs > 0)
		b->g.reqs = xreallocarray(NULL, b->nreqs, sizeof *b->g.reqs);
	for (k = 0; k < b->nreqs; k++)
		attribute_syn_recv(&b->g, snap, &b->pi, b->reqs[k]);
	*g = b->g;
	memset(&b->g, 0, sizeof b->g);	/* g's now */
	group_builder_clear(b);
}

void
group_build(struct groups *g, const struct snapshot *snap)
{
	struct group_builder *b = group_builder_new();

	group_builder_finish(b, g, snap);
	group_builder_free(b);
}

void
group_free(struct groups *g)
{
	if (g == NULL)
		return;
	free(g->listeners);
	g->listeners = NULL;
	free(g->reqs);
	g->reqs = NULL;
	g->nreqs = 0;
	g->nlisteners = 0;
}
