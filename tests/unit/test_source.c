/*
 * test_source.c - a recording behind the source interface (source_ops):
 * it counts its polls, gives them in order and then says it has no more,
 * cannot look a socket up again, and after a rewind gives the same polls
 * again, from any point.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "counters.h"
#include "source.h"
#include "sock.h"

#define MAX_POLLS	64

/* What a test compares of a poll: when, how many sockets, which. */
struct poll_seen {
	struct timespec	 when;
	size_t		 n;
	uint64_t	 cookies;	/* their sum, order aside */
	uint64_t	 first;
};

static void
open_recording(struct source_entry *e, const char *name)
{
	struct source_options so;
	char path[512];

	snprintf(path, sizeof path, "%s/%s", TEST_DATADIR, name);
	memset(&so, 0, sizeof so);
	so.replay = path;
	so.families = DIAG_FAMILY_V4 | DIAG_FAMILY_V6;
	so.states = TS_ALL_MASK & ~TS_BIT(TS_NEW_SYN_RECV);
	source_entry_open(e, &so);
}

static int
take(struct source_entry *e, struct snapshot *snap, struct counters *c,
    struct poll_seen *seen)
{
	struct source_ask ask = { 1, 0, 1.0 };
	size_t i;

	if (!e->ops->poll(e->data, &ask, snap, c))
		return 0;
	memset(seen, 0, sizeof *seen);
	seen->when = snap->when;
	seen->n = snap->n;
	for (i = 0; i < snap->n; i++)
		seen->cookies += snap->socks[i].cookie;
	seen->first = snap->n > 0 ? snap->socks[0].cookie : 0;
	return 1;
}

static void
assert_same(const struct poll_seen *a, const struct poll_seen *b)
{
	assert_int_equal(a->when.tv_sec, b->when.tv_sec);
	assert_int_equal(a->when.tv_nsec, b->when.tv_nsec);
	assert_int_equal(a->n, b->n);
	assert_true(a->cookies == b->cookies);
	assert_true(a->first == b->first);
}

static void
rewinds(const char *name)
{
	static struct poll_seen first[MAX_POLLS], again;
	struct source_entry e;
	struct snapshot snap;
	struct counters c;
	size_t n, k, stop;

	open_recording(&e, name);
	assert_non_null(e.ops->rewind);
	assert_non_null(e.ops->polls);
	assert_null(e.ops->lookup);	/* a file cannot be asked again */
	n = e.ops->polls(e.data);
	assert_true(n > 0 && n <= MAX_POLLS);
	snapshot_init(&snap);
	counters_init(&c);
	for (k = 0; k < n; k++)
		assert_true(take(&e, &snap, &c, &first[k]));
	assert_false(take(&e, &snap, &c, &again));	/* no more */
	/* Rewound at the end and after each poll: the same polls again. */
	for (stop = n; stop > 0; stop--) {
		e.ops->rewind(e.data);
		for (k = 0; k < stop; k++) {
			assert_true(take(&e, &snap, &c, &again));
			assert_same(&first[k], &again);
		}
	}
	snapshot_free(&snap);
	source_entry_close(&e);
	assert_null(e.ops);
}

static void
test_recording_rewinds(void **state)
{
	(void)state;
	rewinds("tui-small.rec");
	rewinds("basic.rec");
	rewinds("states-v4v6-server.rec");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recording_rewinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
