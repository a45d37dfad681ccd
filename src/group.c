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
