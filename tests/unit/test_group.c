/*
 * test_group.c - state counts, listeners, SYN_RECV attribution, orphans
 * and the display order, on snapshots built by hand.
 */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "group.h"
#include "sock.h"

static struct sock_rec *
add(struct snapshot *snap, int state, const char *src, uint16_t sport,
    const char *dst, uint16_t dport)
{
	int family = strchr(src, ':') != NULL ? AF_INET6 : AF_INET;
	struct sock_rec *s;
	size_t i;

	s = snapshot_add(snap, &i);
	s->family = (uint8_t)family;
	s->state = (uint8_t)state;
	assert_int_equal(inet_pton(family, src, s->src), 1);
	assert_int_equal(inet_pton(family, dst, s->dst), 1);
	s->sport = sport;
	s->dport = dport;
	s->cookie = i + 1;
	s->inode = (uint32_t)(1000 + i);
	return s;
}

static struct sock_rec *
add_listen(struct snapshot *snap, const char *src, uint16_t port,
    uint32_t accept_queue, uint32_t backlog)
{
	struct sock_rec *s = add(snap, TS_LISTEN, src, port,
	    strchr(src, ':') ? "::" : "0.0.0.0", 0);

	s->rqueue = accept_queue;
	s->wqueue = backlog;
	return s;
}

/* A request socket: SYN_RECV, no file. */
static void
add_req(struct snapshot *snap, const char *src, uint16_t port,
    const char *peer)
{
	add(snap, TS_SYN_RECV, src, port, peer, 40000)->inode = 0;
}

static const struct listener *
listener_at(const struct groups *g, const struct snapshot *snap,
    const char *src, uint16_t port)
{
	int family = strchr(src, ':') != NULL ? AF_INET6 : AF_INET;
	uint8_t a[16] = { 0 };
	size_t i;

	inet_pton(family, src, a);
	for (i = 0; i < g->nlisteners; i++) {
		const struct sock_rec *s = &snap->socks[g->listeners[i].sock];

		if (s->family == family && s->sport == port &&
		    memcmp(s->src, a, 16) == 0)
			return &g->listeners[i];
	}
	fail_msg("no listener %s port %u", src, port);
	return NULL;
}

static void
test_counts(void **state)
{
	static const int states[] = {
		TS_ESTABLISHED, TS_ESTABLISHED, TS_ESTABLISHED, TS_TIME_WAIT,
		TS_TIME_WAIT, TS_CLOSE_WAIT, TS_SYN_SENT, TS_FIN_WAIT1,
		TS_FIN_WAIT2, TS_CLOSE, TS_LAST_ACK, TS_CLOSING,
	};
	struct snapshot snap;
	struct groups g;
	size_t i;
	uint64_t sum = 0;

	(void)state;
	snapshot_init(&snap);
	for (i = 0; i < sizeof states / sizeof states[0]; i++)
		add(&snap, states[i], "10.0.0.1", (uint16_t)(1000 + i),
		    "10.0.0.2", 80);
	add_listen(&snap, "0.0.0.0", 80, 0, 128);
	group_build(&g, &snap);
	assert_int_equal(g.total, 13);
	assert_int_equal(g.states[TS_ESTABLISHED], 3);
	assert_int_equal(g.states[TS_TIME_WAIT], 2);
	assert_int_equal(g.states[TS_CLOSE_WAIT], 1);
	assert_int_equal(g.states[TS_SYN_SENT], 1);
	assert_int_equal(g.states[TS_LISTEN], 1);
	assert_int_equal(g.states[TS_SYN_RECV], 0);
	assert_int_equal(g.states[TS_NEW_SYN_RECV], 0);
	for (i = 0; i <= TS_MAX; i++)
		sum += g.states[i];
	assert_int_equal(sum, g.total);
	assert_int_equal(g.nlisteners, 1);
	assert_int_equal(g.orphans, 0);		/* they all have files */
	group_free(&g);
	assert_null(g.listeners);
	group_free(NULL);
	snapshot_free(&snap);
}

static void
test_empty(void **state)
{
	struct snapshot snap;
	struct groups g;
	uint32_t *order;
	size_t n = 99;

	(void)state;
	snapshot_init(&snap);
	group_build(&g, &snap);
	assert_int_equal(g.total, 0);
	assert_int_equal(g.nlisteners, 0);
	order = group_sort(&snap, &n);
	assert_int_equal(n, 0);
	free(order);
	group_free(&g);
	snapshot_free(&snap);
}

static void
test_listeners(void **state)
{
	struct snapshot snap;
	struct groups g;
	const struct listener *l;

	(void)state;
	snapshot_init(&snap);
	snapshot_want(&snap, 0, 1);
	/* One SO_REUSEPORT group of three, with queues and drops. */
	add_listen(&snap, "0.0.0.0", 80, 2, 511)->uid = 33;
	snap.mem[0].drops = 5;
	snap.socks[0].flags |= SOCK_HAS_MEM;
	add(&snap, TS_ESTABLISHED, "10.0.0.1", 80, "10.0.0.9", 5000);
	add_listen(&snap, "0.0.0.0", 80, 3, 511)->uid = 34;
	snap.mem[2].drops = 7;
	snap.socks[2].flags |= SOCK_HAS_MEM;
	add_listen(&snap, "0.0.0.0", 80, 0, 100);	/* drops unknown */
	/* Same port, other addresses and family: listeners of their own. */
	add_listen(&snap, "10.0.0.1", 80, 1, 10);
	add_listen(&snap, "::", 80, 0, 20);
	add_listen(&snap, "::1", 80, 0, 30);
	/* Same address, other port. */
	add_listen(&snap, "0.0.0.0", 443, 0, 40);
	group_build(&g, &snap);

	assert_int_equal(g.nlisteners, 5);
	l = listener_at(&g, &snap, "0.0.0.0", 80);
	assert_int_equal(l->members, 3);
	assert_int_equal(l->accept_queue, 5);
	assert_int_equal(l->backlog, 511 + 511 + 100);
	assert_int_equal(l->drops, 12);
	assert_true(l->drops_known);
	assert_int_equal(l->uid, 33);		/* its first socket's */
	assert_int_equal(l->sock, 0);
	l = listener_at(&g, &snap, "10.0.0.1", 80);
	assert_int_equal(l->members, 1);
	assert_int_equal(l->accept_queue, 1);
	assert_int_equal(l->backlog, 10);
	assert_false(l->drops_known);
	assert_int_equal(listener_at(&g, &snap, "::", 80)->backlog, 20);
	assert_int_equal(listener_at(&g, &snap, "::1", 80)->backlog, 30);
	assert_int_equal(listener_at(&g, &snap, "0.0.0.0", 443)->backlog, 40);
	group_free(&g);
	snapshot_free(&snap);
}

/* Many listeners on one port and many ports: the index keeps up. */
static void
test_many_listeners(void **state)
{
	struct snapshot snap;
	struct groups g;
	char a[32];
	unsigned i;

	(void)state;
	snapshot_init(&snap);
	for (i = 0; i < 300; i++) {
		snprintf(a, sizeof a, "10.0.%u.%u", i / 200, i % 200 + 1);
		add_listen(&snap, a, 8080, 0, 1);
		add_listen(&snap, "0.0.0.0", (uint16_t)(20000 + i), 0, 1);
		add_listen(&snap, "0.0.0.0", (uint16_t)(20000 + i), 0, 1);
	}
	add_req(&snap, "10.0.1.50", 8080, "10.9.9.9");
	add_req(&snap, "10.0.0.7", 20299, "10.9.9.9");
	group_build(&g, &snap);
	assert_int_equal(g.nlisteners, 600);
	assert_int_equal(listener_at(&g, &snap, "10.0.1.50", 8080)->syn_recv, 1);
	assert_int_equal(listener_at(&g, &snap, "0.0.0.0", 20299)->members, 2);
	assert_int_equal(listener_at(&g, &snap, "0.0.0.0", 20299)->syn_recv, 1);
	assert_int_equal(g.syn_recv_unattributed, 0);
	group_free(&g);
	snapshot_free(&snap);
}

static void
test_syn_recv_attribution(void **state)
{
	struct snapshot snap;
	struct groups g;

	(void)state;
	snapshot_init(&snap);
	/* Port 80: an exact, a wildcard and a dual-stack listener. */
	add_listen(&snap, "10.0.0.1", 80, 0, 128);
	add_listen(&snap, "0.0.0.0", 80, 0, 128);
	add_listen(&snap, "::", 80, 0, 128);
	add_listen(&snap, "2001:db8::1", 80, 0, 128);
	/* Port 8080: only a dual-stack IPv6 wildcard. */
	add_listen(&snap, "::", 8080, 0, 128);
	/* Port 443: only a specific IPv4 address. */
	add_listen(&snap, "10.0.0.1", 443, 0, 128);

	add_req(&snap, "10.0.0.1", 80, "192.0.2.1");	/* exact */
	add_req(&snap, "10.0.0.1", 80, "192.0.2.2");
	add_req(&snap, "10.0.0.2", 80, "192.0.2.3");	/* 0.0.0.0 > [::] */
	add_req(&snap, "2001:db8::1", 80, "2001:db8::99");	/* exact */
	add_req(&snap, "2001:db8::2", 80, "2001:db8::99");	/* [::] */
	add_req(&snap, "10.0.0.3", 8080, "192.0.2.4");	/* dual-stack */
	add_req(&snap, "fe80::1", 8080, "fe80::2");	/* family wildcard */
	add_req(&snap, "10.0.0.2", 443, "192.0.2.5");	/* no match */
	add_req(&snap, "2001:db8::1", 443, "2001:db8::5");	/* v6 on v4 */
	add_req(&snap, "10.0.0.1", 9999, "192.0.2.6");	/* no listener */
	/* A full socket in SYN_RECV (it has a file) is not a request. */
	add(&snap, TS_SYN_RECV, "10.0.0.1", 80, "192.0.2.7", 1);
	group_build(&g, &snap);

	assert_int_equal(listener_at(&g, &snap, "10.0.0.1", 80)->syn_recv, 2);
	assert_int_equal(listener_at(&g, &snap, "0.0.0.0", 80)->syn_recv, 1);
	assert_int_equal(listener_at(&g, &snap, "2001:db8::1", 80)->syn_recv, 1);
	assert_int_equal(listener_at(&g, &snap, "::", 80)->syn_recv, 1);
	assert_int_equal(listener_at(&g, &snap, "::", 8080)->syn_recv, 2);
	assert_int_equal(listener_at(&g, &snap, "10.0.0.1", 443)->syn_recv, 0);
	assert_int_equal(g.syn_recv_unattributed, 3);
	assert_int_equal(g.states[TS_SYN_RECV], 11);
	/* The list the rules read: the seven attributed, each to its own. */
	assert_int_equal(g.nreqs, 7);
	assert_int_equal(g.reqs[0].sock, 6);
	assert_ptr_equal(&g.listeners[g.reqs[0].listener],
	    listener_at(&g, &snap, "10.0.0.1", 80));
	assert_ptr_equal(&g.listeners[g.reqs[2].listener],
	    listener_at(&g, &snap, "0.0.0.0", 80));
	assert_ptr_equal(&g.listeners[g.reqs[6].listener],
	    listener_at(&g, &snap, "::", 8080));
	assert_int_equal(g.reqs[6].sock, 12);
	group_free(&g);
	snapshot_free(&snap);
}

/*
 * -N all: one snapshot of several namespaces. The same address in two
 * namespaces is two listeners, and a request goes to its own namespace's
 * listener even when another's would match better.
 */
static void
test_listeners_per_netns(void **state)
{
	struct snapshot snap;
	struct groups g;
	size_t i;

	(void)state;
	snapshot_init(&snap);
	add_listen(&snap, "127.0.0.1", 80, 1, 128);
	add_listen(&snap, "127.0.0.1", 80, 2, 64)->netns = 1;
	add_listen(&snap, "0.0.0.0", 443, 0, 128)->netns = 1;
	add_listen(&snap, "10.0.0.1", 443, 0, 128);
	add_req(&snap, "127.0.0.1", 80, "127.0.0.2");
	add_req(&snap, "127.0.0.1", 80, "127.0.0.3");
	snap.socks[snap.n - 1].netns = 1;
	add_req(&snap, "10.0.0.1", 443, "192.0.2.1");
	snap.socks[snap.n - 1].netns = 1;	/* not ns 0's exact match */
	add_req(&snap, "10.0.0.1", 8080, "192.0.2.2");
	snap.socks[snap.n - 1].netns = 2;	/* no listener there */
	group_build(&g, &snap);

	assert_int_equal(g.nlisteners, 4);
	for (i = 0; i < g.nlisteners; i++) {
		const struct listener *l = &g.listeners[i];
		const struct sock_rec *s = &snap.socks[l->sock];

		assert_int_equal(l->members, 1);
		if (s->sport == 80)
			assert_int_equal(l->accept_queue, s->netns + 1u);
		if (s->sport == 80 || s->netns == 1)
			assert_int_equal(l->syn_recv, 1);
		else
			assert_int_equal(l->syn_recv, 0);
	}
	assert_int_equal(g.syn_recv_unattributed, 1);
	group_free(&g);
	snapshot_free(&snap);
}

/* Without an IPv4 wildcard, a dual-stack listener takes IPv4 requests. */
static void
test_syn_recv_dual_stack_only(void **state)
{
	struct snapshot snap;
	struct groups g;

	(void)state;
	snapshot_init(&snap);
	add_listen(&snap, "::1", 80, 0, 1);	/* not a wildcard */
	add_listen(&snap, "::", 80, 0, 1);
	add_req(&snap, "127.0.0.1", 80, "127.0.0.1");
	add_req(&snap, "::1", 80, "::1");
	/* How the kernel reports an IPv4 request on a dual-stack listener. */
	add_req(&snap, "::ffff:127.0.0.1", 80, "::ffff:127.0.0.1");
	group_build(&g, &snap);
	assert_int_equal(listener_at(&g, &snap, "::", 80)->syn_recv, 2);
	assert_int_equal(listener_at(&g, &snap, "::1", 80)->syn_recv, 1);
	assert_int_equal(g.syn_recv_unattributed, 0);
	group_free(&g);
	snapshot_free(&snap);
}

static void
test_orphans(void **state)
{
	static const struct {
		int	state;
		int	has_file;
		int	timer;
		int	orphan;
	} cases[] = {
		{ TS_FIN_WAIT1, 0, TIMER_RETRANS, 1 },
		{ TS_FIN_WAIT1, 1, TIMER_RETRANS, 0 },
		{ TS_CLOSING, 0, TIMER_RETRANS, 1 },
		{ TS_LAST_ACK, 0, TIMER_RETRANS, 1 },
		{ TS_LAST_ACK, 1, TIMER_RETRANS, 0 },
		{ TS_FIN_WAIT2, 0, TIMER_NONE, 1 },
		{ TS_FIN_WAIT2, 0, TIMER_KEEPALIVE, 1 },
		{ TS_FIN_WAIT2, 0, TIMER_TIME_WAIT, 0 },	/* timewait sock */
		{ TS_FIN_WAIT2, 1, TIMER_NONE, 0 },
		{ TS_TIME_WAIT, 0, TIMER_TIME_WAIT, 0 },
		{ TS_ESTABLISHED, 0, TIMER_NONE, 0 },	/* not accepted yet */
		{ TS_SYN_RECV, 0, TIMER_RETRANS, 0 },
		{ TS_CLOSE_WAIT, 0, TIMER_NONE, 0 },
	};
	struct snapshot snap;
	struct groups g;
	size_t i;
	uint64_t want = 0;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sock_rec *s;

		snapshot_init(&snap);
		s = add(&snap, cases[i].state, "10.0.0.1", 80, "10.0.0.2", 1);
		s->inode = cases[i].has_file ? 77 : 0;
		s->timer = (uint8_t)cases[i].timer;
		group_build(&g, &snap);
		if (g.orphans != (uint64_t)cases[i].orphan)
			fail_msg("case %zu (%s): orphans %llu", i,
			    sock_state_name(cases[i].state),
			    (unsigned long long)g.orphans);
		group_free(&g);
		snapshot_free(&snap);
	}
	/* And summed over one snapshot. */
	snapshot_init(&snap);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sock_rec *s = add(&snap, cases[i].state, "10.0.0.1",
		    (uint16_t)(100 + i), "10.0.0.2", 1);

		s->inode = cases[i].has_file ? 77 : 0;
		s->timer = (uint8_t)cases[i].timer;
		want += (uint64_t)cases[i].orphan;
	}
	group_build(&g, &snap);
	assert_int_equal(g.orphans, want);
	assert_int_equal(want, 5);
	group_free(&g);
	snapshot_free(&snap);
}

static void
test_sort(void **state)
{
	struct snapshot snap;
	uint32_t *order;
	size_t n, k;
	/* The expected display order, by the index each one is added at. */
	static const int expect[] = { 5, 4, 9, 1, 0, 8, 2, 11, 10, 3, 7, 6 };

	(void)state;
	snapshot_init(&snap);
	add(&snap, TS_ESTABLISHED, "10.0.0.10", 80, "10.0.0.1", 1);	/* 0 */
	add(&snap, TS_ESTABLISHED, "10.0.0.2", 80, "10.0.0.1", 1);	/* 1 */
	add(&snap, TS_ESTABLISHED, "::1", 80, "::1", 1);		/* 2 */
	add(&snap, TS_TIME_WAIT, "10.0.0.1", 80, "10.0.0.1", 1);	/* 3 */
	add_listen(&snap, "0.0.0.0", 8080, 0, 1);			/* 4 */
	add_listen(&snap, "0.0.0.0", 443, 0, 1);			/* 5 */
	add(&snap, TS_CLOSE, "10.0.0.1", 1, "10.0.0.1", 1);		/* 6 */
	add(&snap, TS_TIME_WAIT, "::", 9, "::1", 1);			/* 7 */
	add(&snap, TS_ESTABLISHED, "10.0.0.10", 80, "10.0.0.1", 2);	/* 8 */
	add_listen(&snap, "::", 22, 0, 1);				/* 9 */
	add(&snap, TS_CLOSE_WAIT, "10.0.0.1", 9, "10.0.0.1", 1);	/* 10 */
	add(&snap, TS_ESTABLISHED, "::1", 443, "::1", 1);		/* 11 */
	order = group_sort(&snap, &n);
	assert_int_equal(n, sizeof expect / sizeof expect[0]);
	for (k = 0; k < n; k++)
		if (order[k] != (uint32_t)expect[k])
			fail_msg("position %zu: socket %u, expected %d", k,
			    order[k], expect[k]);
	free(order);
	snapshot_free(&snap);
}

static void
test_compare(void **state)
{
	struct snapshot snap;
	struct sock_rec a, b;

	(void)state;
	snapshot_init(&snap);
	a = *add(&snap, TS_ESTABLISHED, "10.0.0.1", 9, "10.0.0.2", 80);
	b = a;
	assert_int_equal(group_compare_socks(&a, &b), 0);
	b.cookie++;
	assert_true(group_compare_socks(&a, &b) < 0);
	assert_true(group_compare_socks(&b, &a) > 0);
	b = a;
	b.sport = 10;			/* numeric, not text: 9 < 10 */
	assert_true(group_compare_socks(&a, &b) < 0);
	b = a;
	b.dport = 443;
	assert_true(group_compare_socks(&a, &b) < 0);
	b = a;
	b.dst[3] = 1;
	assert_true(group_compare_socks(&a, &b) > 0);
	b = a;
	b.family = AF_INET6;		/* IPv4 first, whatever the address */
	memset(b.src, 0, sizeof b.src);
	assert_true(group_compare_socks(&a, &b) < 0);
	assert_true(group_compare_socks(&b, &a) > 0);
	snapshot_free(&snap);
}

/* A bigger shuffled population: the order is a permutation, and sorted. */
static void
test_sort_property(void **state)
{
	struct snapshot snap;
	uint32_t *order, seed = 7;
	size_t n, i;
	char *seen;

	(void)state;
	snapshot_init(&snap);
	for (i = 0; i < 3000; i++) {
		char a[48];
		int st;

		seed = seed * 1103515245u + 12345u;
		st = 1 + (int)((seed >> 16) % TS_COUNT);
		if (seed & 0x100)
			snprintf(a, sizeof a, "10.0.%u.%u", (seed >> 9) & 3,
			    (seed >> 11) & 255);
		else
			snprintf(a, sizeof a, "2001:db8::%x", (seed >> 9) & 0xfff);
		add(&snap, st, a, (uint16_t)(seed >> 20), strchr(a, ':') ?
		    "::1" : "127.0.0.1", (uint16_t)(seed >> 3));
	}
	order = group_sort(&snap, &n);
	assert_int_equal(n, 3000);
	seen = calloc(n, 1);
	assert_non_null(seen);
	for (i = 0; i < n; i++) {
		assert_true(order[i] < n);
		assert_false(seen[order[i]]);
		seen[order[i]] = 1;
		if (i > 0) {
			const struct sock_rec *p = &snap.socks[order[i - 1]];
			const struct sock_rec *c = &snap.socks[order[i]];
			int rp = sock_state_rank(p->state);
			int rc = sock_state_rank(c->state);

			assert_true(rp <= rc);
			if (rp == rc)
				assert_true(group_compare_socks(p, c) < 0);
		}
	}
	free(seen);
	free(order);
	snapshot_free(&snap);
}

/* Whether two groups say the same of one snapshot. */
static void
assert_same_groups(const struct groups *a, const struct groups *b, size_t n)
{
	size_t i;

	assert_memory_equal(a->states, b->states, sizeof a->states);
	assert_int_equal(a->total, b->total);
	assert_int_equal(a->orphans, b->orphans);
	assert_int_equal(a->syn_recv_unattributed, b->syn_recv_unattributed);
	assert_int_equal(a->nlisteners, b->nlisteners);
	for (i = 0; i < a->nlisteners; i++)
		assert_memory_equal(&a->listeners[i], &b->listeners[i],
		    sizeof a->listeners[i]);
	assert_int_equal(a->nreqs, b->nreqs);
	if (a->nreqs > 0)
		assert_memory_equal(a->reqs, b->reqs, a->nreqs * sizeof *a->reqs);
	for (i = 0; i < a->nreqs; i++) {
		assert_true(a->reqs[i].sock < n);
		assert_true(a->reqs[i].listener < a->nlisteners);
		assert_true(i == 0 || a->reqs[i].sock > a->reqs[i - 1].sock);
	}
}

/*
 * A population for the builder: request sockets before and after their
 * listeners (a SO_REUSEPORT pair, a wildcard, a dual-stack IPv6 one),
 * one nobody listens for, orphans and connections.
 */
static void
mixed(struct snapshot *snap)
{
	int i;

	add_req(snap, "10.0.0.1", 80, "192.0.2.1");
	add_listen(snap, "10.0.0.1", 80, 1, 128);
	add_listen(snap, "10.0.0.1", 80, 2, 128);
	add_listen(snap, "0.0.0.0", 443, 0, 64);
	add_listen(snap, "::", 8080, 0, 64);
	for (i = 0; i < 300; i++) {
		add(snap, TS_ESTABLISHED, "10.0.0.1", 80, "192.0.2.9",
		    (uint16_t)(1000 + i));
		if (i % 7 == 0)
			add_req(snap, "10.0.0.2", 443, "198.51.100.7");
		if (i % 11 == 0)
			add_req(snap, "10.0.0.3", 8080, "198.51.100.8");
		if (i % 13 == 0)
			add(snap, TS_FIN_WAIT1, "10.0.0.1", 80, "192.0.2.3",
			    (uint16_t)(2000 + i))->inode = 0;
		if (i % 17 == 0)
			add_req(snap, "10.0.0.4", 9999, "198.51.100.9");
	}
	add_req(snap, "10.0.0.1", 80, "192.0.2.2");
}

/*
 * Groups added up as a dump is read, in datagrams, with a restart that
 * reads the rest in another order and a retry that ends with fewer
 * records, say what group_build says of the final snapshot.
 */
static void
test_builder(void **state)
{
	struct snapshot whole, dump;
	struct group_builder *b = group_builder_new();
	struct groups built, ref;
	size_t i, at, from;
	int restarted = 0, round;

	(void)state;
	snapshot_init(&whole);
	snapshot_init(&dump);
	mixed(&whole);
	for (round = 0; round < 2; round++) {	/* the builder is reused */
		snapshot_clear(&dump);
		group_builder_clear(b);
		restarted = 0;
		for (at = 0; at < whole.n;) {	/* datagrams of 29 sockets */
			size_t end = at + 29 < whole.n ? at + 29 : whole.n;

			from = dump.n;
			for (; at < end; at++)
				*snapshot_add(&dump, &i) = whole.socks[at];
			group_builder_add(b, &dump, from);
			if (at >= 116 && !restarted) {	/* the tables moved */
				snapshot_truncate(&dump, 87);
				at = 87;
				restarted = 1;
				for (i = 0; i < 10; i++) {
					struct sock_rec t = whole.socks[90 + i];

					whole.socks[90 + i] = whole.socks[110 - i];
					whole.socks[110 - i] = t;
				}
			}
		}
		if (round == 1)		/* a retry that found fewer */
			snapshot_truncate(&dump, dump.n - 40);
		group_builder_finish(b, &built, &dump);
		group_build(&ref, &dump);
		assert_same_groups(&built, &ref, dump.n);
		assert_int_equal(built.nlisteners, 3);
		assert_true(built.syn_recv_unattributed > 0);
		group_free(&built);
		group_free(&ref);
	}
	group_builder_free(b);
	snapshot_free(&whole);
	snapshot_free(&dump);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_listeners),
		cmocka_unit_test(test_many_listeners),
		cmocka_unit_test(test_syn_recv_attribution),
		cmocka_unit_test(test_syn_recv_dual_stack_only),
		cmocka_unit_test(test_listeners_per_netns),
		cmocka_unit_test(test_orphans),
		cmocka_unit_test(test_builder),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_sort_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
