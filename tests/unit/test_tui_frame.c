/*
 * test_tui_frame.c - drawing does no I/O: with a source that counts its
 * lookups, drawing the dashboard's table asks for nothing, and a frame
 * asks, before it draws, for exactly what the rows on screen lack (their
 * tcp_info, not in the poll), once per poll.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "tui_curses.h"
#include <term.h>		/* setupterm: after curses.h */
#include "tui_screen.h"

#define NSOCKS	200

static size_t lookups;

/* A poll of NSOCKS established sockets, without their tcp_info. */
static int
fake_poll(void *arg, const struct tui_ask *ask, struct snapshot *snap)
{
	struct sock_rec *s;
	size_t i, at;

	(void)arg;
	(void)ask;
	snapshot_clear(snap);
	clock_gettime(CLOCK_REALTIME, &snap->when);
	for (i = 0; i < NSOCKS; i++) {
		s = snapshot_add(snap, &at);
		s->cookie = i + 1;
		s->state = TS_ESTABLISHED;
		s->family = AF_INET;
		s->src[0] = 127;
		s->src[3] = 1;
		s->dst[0] = 127;
		s->dst[3] = 2;
		s->sport = 80;
		s->dport = (uint16_t)(10000 + i);
	}
	return 1;
}

static int
counting_lookup(void *arg, const struct sock_rec *s, struct sock_rec *now,
    struct sock_info *info)
{
	(void)arg;
	lookups++;
	*now = *s;
	now->flags |= SOCK_HAS_INFO;
	memset(info, 0, sizeof *info);
	info->rtt_us = 1000;
	return 0;
}

static struct tui_config cfg;
static struct tui t;
static SCREEN *screen;
static FILE *out, *in;

static int
setup(void **state)
{
	(void)state;
	if ((out = fopen("/dev/null", "w")) == NULL ||
	    (in = fopen("/dev/null", "r")) == NULL)
		return -1;
	if ((screen = newterm("xterm", out, in)) == NULL)
		return -1;
	resizeterm(40, 120);
	memset(&cfg, 0, sizeof cfg);
	cfg.interval = 1;
	cfg.poll = fake_poll;
	cfg.lookup = counting_lookup;
	memset(&t, 0, sizeof t);
	t.cfg = &cfg;
	t.interval = 1;
	snapshot_init(&t.snap);
	tui_view_init(&t.view, NULL);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tui_view_free(&t.view);
	snapshot_free(&t.snap);
	endwin();
	delscreen(screen);
	/* newterm's terminal description outlives the screen: LeakSanitizer
	 * would report it. */
	if (cur_term != NULL)
		del_curterm(cur_term);
	fclose(out);
	fclose(in);
	return 0;
}

/* Whether every row the last frame showed has what it needs. */
static size_t
rows_lacking(void)
{
	size_t i, n = 0;
	long sock;

	for (i = 0; i < (size_t)t.table_height && t.view.top + i <
	    t.view.nrows; i++) {
		sock = tui_view_socket(&t.view, t.view.top + i);
		if (sock >= 0 && tui_sock_info_wanted(&t.view, (size_t)sock))
			n++;
	}
	return n;
}

static void
test_draw_reads_only(void **state)
{
	(void)state;
	assert_true(tui_load_poll(&t, 0));
	assert_int_equal(t.snap.n, NSOCKS);
	lookups = 0;
	tui_draw(&t);
	assert_int_equal(lookups, 0);		/* the drawing asked nothing */
	assert_true(t.table_height > 0);
	tui_draw(&t);
	assert_int_equal(lookups, 0);
}

static void
test_frame_fetches_first(void **state)
{
	size_t shown;

	(void)state;
	assert_true(tui_load_poll(&t, 0));
	lookups = 0;
	tui_frame(&t);
	shown = (size_t)t.table_height;
	assert_true(shown > 0 && shown < NSOCKS);
	assert_int_equal(lookups, shown);	/* each row on screen, once */
	assert_int_equal(rows_lacking(), 0);
	tui_frame(&t);				/* the same poll again */
	assert_int_equal(lookups, shown);
	/* Scrolled down a screen: only the rows new on it. */
	t.view.sel = t.view.top + shown + shown / 2;
	tui_frame(&t);
	assert_int_equal(rows_lacking(), 0);
	assert_true(lookups > shown && lookups <= 2 * shown);
	/* A new poll forgets what the last one's lookups found. */
	assert_true(tui_load_poll(&t, 0));
	lookups = 0;
	tui_frame(&t);
	assert_int_equal(lookups, (size_t)t.table_height);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_draw_reads_only, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_frame_fetches_first,
		    setup, teardown),
	};

	setenv("TERM", "xterm", 1);
	if (setupterm("xterm", 1, NULL) == ERR) {
		fprintf(stderr, "no terminfo entry for xterm: skipped\n");
		return 77;
	}
	del_curterm(cur_term);		/* only asked whether it exists */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
