/*
 * test_group_sort.c - group_sort, which sorts packed integer keys for
 * speed, against the plain definition of the display order: by state rank,
 * then group_compare_socks, equal sockets kept in snapshot order (the
 * stable qsort_r it replaced). Field values are drawn from small sets so
 * that ties reach every field, including addresses that differ in the one
 * bit the IPv6 key shifts out. A group_sorter, which makes the order as
 * a dump is read, gives the same.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "group.h"
#include "sock.h"

static const struct sock_rec *ref_socks;

static int
ref_compare(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	int ra = sock_state_rank(ref_socks[a].state);
	int rb = sock_state_rank(ref_socks[b].state);
	int c;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if ((c = group_compare_socks(&ref_socks[a], &ref_socks[b])) != 0)
		return c;
	return a < b ? -1 : a > b;	/* stable */
}

static void
random_addr(uint8_t *a, int family)
{
	static const uint8_t v6[4][16] = {
		{ 0xfd, 0, 0x57, 0x57, 0, 0xa, 0, 0, [15] = 1 },
		{ 0xfd, 0, 0x57, 0x57, 0, 0xa, 0, 1, [15] = 1 },  /* +1 bit 64 */
		{ 0xfd, 0, 0x57, 0x57, 0, 0xa, 0, 1, [15] = 2 },
		{ [15] = 1 },
	};

	memset(a, 0, 16);
	if (family == AF_INET) {
		a[0] = 127;
		a[3] = (uint8_t)(random() % 3);
	} else {
		memcpy(a, v6[random() % 4], 16);
	}
}

static void
fill(struct snapshot *snap, size_t n)
{
	static const int states[] = { TS_ESTABLISHED, TS_TIME_WAIT, TS_LISTEN,
	    TS_SYN_RECV, TS_CLOSE_WAIT };
	size_t i, k;

	for (i = 0; i < n; i++) {
		struct sock_rec *s = snapshot_add(snap, &k);

		s->family = random() % 3 == 0 ? AF_INET6 : AF_INET;
		s->state = (uint8_t)states[random() % 5];
		random_addr(s->src, s->family);
		random_addr(s->dst, s->family);
		s->sport = (uint16_t)(random() % 3 * 0x7fff);
		s->dport = (uint16_t)(random() % 3);
		s->cookie = (uint64_t)(random() % 4) << 40;
		s->uid = (uint32_t)i;	/* tells equal sockets apart */
	}
}

/* The reference order of snap's sockets, the caller's to free. */
static uint32_t *
reference(const struct snapshot *snap)
{
	uint32_t *want = malloc((snap->n + 1) * sizeof *want);
	size_t i;

	assert_non_null(want);
	for (i = 0; i < snap->n; i++)
		want[i] = (uint32_t)i;
	ref_socks = snap->socks;
	qsort(want, snap->n, sizeof *want, ref_compare);
	return want;
}

static void
check_order(size_t n, unsigned seed)
{
	struct snapshot snap;
	uint32_t *got, *want;
	size_t i, norder;

	srandom(seed);
	snapshot_init(&snap);
	fill(&snap, n);
	want = reference(&snap);
	got = group_sort(&snap, &norder);
	assert_int_equal(norder, n);
	for (i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
	free(got);
	free(want);
	snapshot_free(&snap);
}

/*
 * A group_sorter fed as a dump is read (datagrams of a few hundred
 * records, a restart that reads other records, the rest left to finish)
 * gives the same order, and again after it is reused.
 */
static void
check_sorter(struct group_sorter *g, size_t n, unsigned seed)
{
	struct snapshot snap;
	uint32_t *got, *want;
	size_t i, norder, at, step;
	int restarted = 0;

	srandom(seed);
	snapshot_init(&snap);
	for (at = 0; at + 400 < n; at = snap.n) {
		step = 1 + (size_t)random() % 400;
		fill(&snap, step);
		group_sorter_add(g, &snap, at);
		if (!restarted && snap.n > n / 4) {	/* the tables moved */
			snapshot_truncate(&snap, n / 5);
			restarted = 1;
		}
	}
	assert_true(restarted);
	fill(&snap, n - snap.n);	/* the last datagrams: finish's */
	want = reference(&snap);
	got = group_sorter_finish(g, &snap, &norder);
	assert_int_equal(norder, n);
	for (i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
	free(got);
	free(want);
	snapshot_free(&snap);
}

static void
test_sorter(void **state)
{
	struct group_sorter *g = group_sorter_new();
	unsigned seed;

	(void)state;
	for (seed = 1; seed < 20; seed++)
		check_sorter(g, 1000 + seed * 97, seed);
	check_sorter(g, 700000, 3);	/* runs of every state, merged */
	group_sorter_free(g);
}

static void
test_sort_small(void **state)
{
	unsigned seed;

	(void)state;
	check_order(0, 1);
	check_order(1, 1);
	for (seed = 1; seed < 200; seed++)
		check_order(seed % 37, seed);
}

static void
test_sort_large(void **state)
{
	(void)state;
	check_order(50000, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_small),
		cmocka_unit_test(test_sort_large),
		cmocka_unit_test(test_sorter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
