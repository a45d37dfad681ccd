/*
 * test_batch_lines.c - batch_lines writes every line of a listing once, in
 * order, whether one thread formats it or two (a listing long enough is
 * cut into chunks, the odd ones formatted on a helper thread into memory).
 * Lines of varied length, some longer than struct out's buffer, so chunks
 * cross its flushes.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "batch.h"
#include "format.h"
#include "sock.h"

#define LONG_LINE	70000	/* more than struct out's 64 KiB */

/* Line k: its position, the socket it shows, and k % 97 dots. */
static void
numbered_line(struct out *o, const struct report *r, size_t k, void *arg)
{
	size_t *calls = arg;
	size_t i, dots = k % 97;

	__atomic_fetch_add(calls, 1, __ATOMIC_RELAXED);	/* two threads */
	out_uint(o, k);
	out_char(o, ' ');
	out_uint(o, r->order[k]);
	out_char(o, ' ');
	if (k == 12345)
		dots = LONG_LINE;
	for (i = 0; i < dots; i++)
		out_char(o, '.');
	out_char(o, '\n');
}

/* What numbered_line writes for the whole listing, on one thread. */
static char *
expected(const struct report *r, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	size_t k, i, dots;

	assert_non_null(f);
	for (k = 0; k < r->norder; k++) {
		dots = k == 12345 ? LONG_LINE : k % 97;
		fprintf(f, "%zu %u ", k, r->order[k]);
		for (i = 0; i < dots; i++)
			fputc('.', f);
		fputc('\n', f);
	}
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
check_listing(size_t n)
{
	struct snapshot snap;
	struct report r;
	struct out *o = malloc(sizeof *o);
	uint32_t *order = malloc((n + 1) * sizeof *order);
	char *got = NULL, *want;
	size_t got_len, want_len, calls = 0, k;
	FILE *f = open_memstream(&got, &got_len);

	assert_non_null(o);
	assert_non_null(order);
	assert_non_null(f);
	snapshot_init(&snap);
	for (k = 0; k < n; k++) {
		snapshot_add(&snap, &(size_t){ 0 });
		order[k] = (uint32_t)(n - 1 - k);	/* not the identity */
	}
	memset(&r, 0, sizeof r);
	r.snap = &snap;
	r.order = order;
	r.norder = n;
	out_init(o, f);
	batch_lines(o, &r, numbered_line, &calls);
	assert_int_equal(out_flush(o), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(calls, n);
	want = expected(&r, &want_len);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	free(got);
	free(want);
	free(order);
	free(o);
	snapshot_free(&snap);
}

static void
test_short_listing(void **state)
{
	(void)state;
	check_listing(0);
	check_listing(1);
	check_listing(20000);
}

static void
test_long_listing(void **state)
{
	(void)state;
	check_listing(100003);		/* 13 chunks, the last short */
	check_listing(8192 * 6);	/* whole chunks, an even count */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_listing),
		cmocka_unit_test(test_long_listing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
