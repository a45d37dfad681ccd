/*
 * test_tui_view.c - the dashboard's view without a terminal: marks,
 * order, selection by cookie, filter, grouped views, search, layout,
 * sparklines and the pages of text.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "format.h"
#include "sock.h"
#include "tui_bindings.h"
#include "tui_text.h"
#include "tui_view.h"

/* A cell's text as the dashboard draws it; a macro, so that a failure
   names the line of the check. */
#define assert_cell(v, row, col, want) do {				\
	char cell_[128];						\
									\
	tui_cell((v), (row), (col), cell_, sizeof cell_);		\
	assert_string_equal(cell_, (want));				\
} while (0)

static struct sock_rec *
add(struct snapshot *snap, uint64_t cookie, int state, const char *src,
    uint16_t sport, const char *dst, uint16_t dport)
{
	struct sock_rec *s;
	size_t i;
	unsigned a, b, c, d;

	s = snapshot_add(snap, &i);
	s->cookie = cookie;
	s->state = (uint8_t)state;
	s->family = AF_INET;
	sscanf(src, "%u.%u.%u.%u", &a, &b, &c, &d);
	s->src[0] = (uint8_t)a; s->src[1] = (uint8_t)b;
	s->src[2] = (uint8_t)c; s->src[3] = (uint8_t)d;
	sscanf(dst, "%u.%u.%u.%u", &a, &b, &c, &d);
	s->dst[0] = (uint8_t)a; s->dst[1] = (uint8_t)b;
	s->dst[2] = (uint8_t)c; s->dst[3] = (uint8_t)d;
	s->sport = sport;
	s->dport = dport;
	return s;
}

/* A server at 10.0.0.1:80 with clients in two /24 networks. */
static void
population(struct snapshot *snap)
{
	snapshot_init(snap);
	add(snap, 1, TS_LISTEN, "10.0.0.1", 80, "0.0.0.0", 0)->wqueue = 128;
	add(snap, 2, TS_ESTABLISHED, "10.0.0.1", 80, "192.168.1.5", 40000);
	add(snap, 3, TS_ESTABLISHED, "10.0.0.1", 80, "192.168.1.6", 40001)
	    ->rqueue = 500;
	add(snap, 4, TS_CLOSE_WAIT, "10.0.0.1", 80, "192.168.2.9", 40002)
	    ->rqueue = 1;
	add(snap, 5, TS_TIME_WAIT, "10.0.0.1", 80, "192.168.2.10", 40003);
}

static size_t
row_of(const struct tui_view *v, uint64_t cookie)
{
	size_t r;

	for (r = 0; r < v->nrows; r++)
		if (v->snap->socks[v->rows[r]].cookie == cookie)
			return r;
	return (size_t)-1;
}

static void
test_marks(void **state)
{
	struct snapshot a, b;
	struct tui_view v;

	(void)state;
	population(&a);
	tui_view_init(&v, NULL);
	tui_view_update(&v, &a, 1);
	assert_int_equal(v.nnew, 0);	/* the first poll marks nothing */
	assert_int_equal(v.nchanged, 0);

	population(&b);
	b.socks[3].state = TS_LAST_ACK;	/* cookie 4 changed state */
	add(&b, 9, TS_SYN_SENT, "10.0.0.1", 5000, "10.9.9.9", 443);
	tui_view_update(&v, &b, 1);
	assert_int_equal(v.nnew, 1);
	assert_int_equal(v.nchanged, 1);
	assert_int_equal(v.marks[5], TUI_MARK_NEW);
	assert_int_equal(v.marks[3], TUI_MARK_CHANGED);
	assert_int_equal(v.marks[1], 0);

	/* Marks last one poll. */
	tui_view_update(&v, &b, 1);
	assert_int_equal(v.nnew, 0);
	assert_int_equal(v.nchanged, 0);
	tui_view_free(&v);
	snapshot_free(&a);
	snapshot_free(&b);
}

/*
 * A full walk with > visits each column shown once, PROCESS only with
 * processes on, and comes back; < undoes >.
 */
static void
check_sort_walk(struct tui_view *v)
{
	enum tui_col cols[TUI_COL_COUNT];
	enum tui_col start = v->sort_col[v->group];
	size_t n, k;
	int procs;

	for (procs = 0; procs <= 1; procs++) {
		v->processes = procs;
		n = tui_sort_columns(v, cols);
		assert_true(n > 2);
		for (k = 0; k < n; k++)
			assert_true(procs || cols[k] != TUI_COL_PROCESS);
		for (k = 0; k < n; k++) {
			tui_view_sort_next(v, 1);
			assert_true(procs || v->sort_col[v->group] !=
			    TUI_COL_PROCESS);
		}
		assert_int_equal(v->sort_col[v->group], start);
		tui_view_sort_next(v, 1);
		tui_view_sort_next(v, -1);
		assert_int_equal(v->sort_col[v->group], start);
	}
	v->processes = 0;
	v->sort_col[v->group] = TUI_COL_PROCESS;	/* then p went off */
	tui_view_sort_next(v, 1);
	assert_int_equal(v->sort_col[v->group], cols[0]);
}

static void
test_sort(void **state)
{
	struct snapshot a;
	struct tui_view v;

	(void)state;
	population(&a);
	tui_view_init(&v, NULL);
	tui_view_update(&v, &a, 1);
	/* By state in the order of a connection's life. */
	assert_int_equal(v.snap->socks[v.rows[0]].state, TS_LISTEN);
	assert_int_equal(v.snap->socks[v.rows[3]].state, TS_CLOSE_WAIT);
	assert_int_equal(v.snap->socks[v.rows[4]].state, TS_TIME_WAIT);

	/* Recv-Q: largest first, ties by state then address. */
	v.sort_col[TUI_GROUP_SOCKETS] = TUI_COL_RECVQ;
	tui_view_rebuild(&v);
	assert_int_equal(v.snap->socks[v.rows[0]].cookie, 3);
	assert_int_equal(v.snap->socks[v.rows[1]].cookie, 4);
	assert_int_equal(v.snap->socks[v.rows[2]].cookie, 1);
	v.sort_invert = 1;
	tui_view_rebuild(&v);
	assert_int_equal(v.snap->socks[v.rows[4]].cookie, 3);

	/* < and > walk the columns. */
	v.sort_invert = 0;
	tui_view_sort_next(&v, 1);
	assert_int_equal(v.sort_col[TUI_GROUP_SOCKETS], TUI_COL_SENDQ);
	tui_view_sort_next(&v, -1);
	tui_view_sort_next(&v, -1);
	assert_int_equal(v.sort_col[TUI_GROUP_SOCKETS], TUI_COL_PEER);
	assert_int_equal(v.snap->socks[v.rows[0]].cookie, 1);	/* 0.0.0.0 */
	assert_int_equal(v.snap->socks[v.rows[4]].cookie, 5);
	check_sort_walk(&v);
	tui_view_free(&v);
	snapshot_free(&a);
}

static void
random_population(struct snapshot *snap, unsigned seed, size_t n,
    uint64_t first)
{
	struct sock_rec *s;
	size_t i, k;

	srand(seed);
	for (i = 0; i < n; i++) {
		s = snapshot_add(snap, &k);
		s->cookie = first + i;
		s->family = AF_INET;
		s->state = (uint8_t)(1 + rand() % TS_CLOSING);
		s->src[0] = 10;
		s->src[3] = (uint8_t)(rand() % 4);
		s->dst[0] = 192;
		s->dst[3] = (uint8_t)(rand() % 256);
		s->sport = (uint16_t)(rand() % 8);
		s->dport = (uint16_t)rand();
		s->rqueue = (uint32_t)(rand() % 3);
	}
}

/* Sorting from the previous order gives what sorting afresh gives. */

/*
 * A view updated from its last poll holds the rows a view built afresh
 * from the same snapshot, with the same sort, would hold.
 */
static void
assert_rows_as_fresh(const struct tui_view *v, const struct snapshot *snap)
{
	struct tui_view fresh;

	tui_view_init(&fresh, NULL);
	fresh.sort_col[TUI_GROUP_SOCKETS] = v->sort_col[TUI_GROUP_SOCKETS];
	fresh.sort_invert = v->sort_invert;
	tui_view_update(&fresh, snap, 1);
	assert_int_equal(v->nrows, fresh.nrows);
	assert_memory_equal(v->rows, fresh.rows, v->nrows * sizeof *v->rows);
	tui_view_free(&fresh);
}
static void
test_sort_incremental(void **state)
{
	static const enum tui_col cols[] = { TUI_COL_STATE, TUI_COL_RECVQ,
	    TUI_COL_PEER };
	struct snapshot a, b;
	struct tui_view v;
	size_t c, i;
	int inv;

	(void)state;
	for (c = 0; c < 3; c++) {
		for (inv = 0; inv < 2; inv++) {
			snapshot_init(&a);
			random_population(&a, 7, 3000, 1);
			tui_view_init(&v, NULL);
			v.sort_col[TUI_GROUP_SOCKETS] = cols[c];
			v.sort_invert = inv;
			tui_view_update(&v, &a, 1);

			/* Some gone, some new, some with other queues. */
			snapshot_init(&b);
			for (i = 0; i < a.n; i++) {
				size_t k;

				if (i % 7 == 0)
					continue;
				*snapshot_add(&b, &k) = a.socks[i];
				if (i % 11 == 0)
					b.socks[k].rqueue += 5;
				/* Its state changed: its place by identity too. */
				if (i % 13 == 0)
					b.socks[k].state = (uint8_t)(1 +
					    b.socks[k].state % TS_CLOSING);
			}
			random_population(&b, 8, 500, 100000);
			tui_view_update(&v, &b, 1);
			assert_int_equal(v.ranked_n, v.nrows);

			assert_rows_as_fresh(&v, &b);
			tui_view_free(&v);
			snapshot_free(&a);
			snapshot_free(&b);
		}
	}
}

/*
 * Many polls of churn (sockets gone, new, changed, the population growing
 * then shrinking): the marks are what comparing with the last poll says,
 * and the order from the last one is the order sorted afresh.
 */
static void
test_marks_churn(void **state)
{
	struct snapshot prev, cur;
	struct tui_view v;
	size_t poll, i, k, nnew, nchanged;
	uint64_t next = 1;

	(void)state;
	snapshot_init(&prev);
	snapshot_init(&cur);
	tui_view_init(&v, NULL);
	srand(11);
	for (poll = 0; poll < 40; poll++) {
		size_t keep = poll < 20 ? 97 : 80;	/* % of the last */
		size_t add_n = poll < 20 ? 400 : 50;

		snapshot_clear(&cur);
		nnew = nchanged = 0;
		for (i = 0; i < prev.n; i++) {
			if ((size_t)(rand() % 100) >= keep)
				continue;
			*snapshot_add(&cur, &k) = prev.socks[i];
			if (rand() % 20 == 0) {
				cur.socks[k].state = (uint8_t)(1 +
				    cur.socks[k].state % TS_CLOSING);
				nchanged++;
			}
		}
		random_population(&cur, (unsigned)(100 + poll), add_n, next);
		next += add_n;
		nnew = add_n;
		tui_view_update(&v, &cur, 1);
		if (poll > 0) {
			assert_int_equal(v.nnew, nnew);
			assert_int_equal(v.nchanged, nchanged);
		}
		for (i = 0; i < cur.n && poll > 0; i++)
			assert_int_equal(v.marks[i] == TUI_MARK_NEW,
			    cur.socks[i].cookie >= next - add_n);
		assert_rows_as_fresh(&v, &cur);
		snapshot_clear(&prev);
		for (i = 0; i < cur.n; i++)
			snapshot_append(&prev, &cur, i);
	}
	assert_true(v.seen.n == cur.n);
	tui_view_free(&v);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

static void
test_selection_follows_cookie(void **state)
{
	struct snapshot a, b;
	struct tui_view v;

	(void)state;
	population(&a);
	tui_view_init(&v, NULL);
	tui_view_update(&v, &a, 1);
	tui_view_select(&v, row_of(&v, 4));
	assert_int_equal(v.sel, 3);

	/* Two new rows sort before it: the selection moves with it. */
	population(&b);
	add(&b, 10, TS_LISTEN, "10.0.0.1", 22, "0.0.0.0", 0);
	add(&b, 11, TS_ESTABLISHED, "10.0.0.1", 22, "10.1.1.1", 5555);
	tui_view_update(&v, &b, 1);
	assert_int_equal(v.sel, 5);
	assert_int_equal(v.snap->socks[v.rows[v.sel]].cookie, 4);

	/* Gone: the selection stays at its place, on a neighbour. */
	snapshot_free(&a);
	population(&a);
	a.n = 3;
	tui_view_update(&v, &a, 1);
	assert_int_equal(v.sel, 2);
	tui_view_free(&v);
	snapshot_free(&a);
	snapshot_free(&b);
}

static void
test_filter(void **state)
{
	struct snapshot a;
	struct tui_view v;
	char *cause = NULL;

	(void)state;
	population(&a);
	tui_view_init(&v, NULL);
	tui_view_update(&v, &a, 1);

	/* The command line's language: bare state names, or, addresses. */
	assert_int_equal(tui_filter_compile(&v.filter, "close-wait or TIME_WAIT",
	    &cause), 0);
	tui_view_rebuild(&v);
	assert_int_equal(v.nrows, 2);
	assert_int_equal(tui_filter_compile(&v.filter,
	    "established and ( src 192.168.1.6 or dst 192.168.1.6 )", &cause), 0);
	tui_view_rebuild(&v);
	assert_int_equal(v.nrows, 1);
	assert_int_equal(v.snap->socks[v.rows[0]].cookie, 3);
	assert_int_equal(tui_filter_compile(&v.filter,
	    "sport = :40003 or dport = :40003", &cause), 0);
	tui_view_rebuild(&v);
	assert_int_equal(v.nrows, 1);
	assert_int_equal(tui_filter_compile(&v.filter, "sport = :1", &cause), 0);
	tui_view_rebuild(&v);
	assert_int_equal(v.nrows, 0);

	/* A bad filter changes nothing and says where it went wrong. */
	assert_int_equal(tui_filter_compile(&v.filter, "sport = :", &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "col "));
	free(cause);
	cause = NULL;
	assert_string_equal(v.filter.text, "sport = :1");
	tui_view_rebuild(&v);
	assert_int_equal(v.nrows, 0);
	assert_int_equal(tui_filter_compile(&v.filter, "", &cause), 0);
	assert_false(tui_filter_active(&v.filter));
	tui_view_rebuild(&v);
	assert_int_equal(v.nrows, 5);
	tui_view_free(&v);
	snapshot_free(&a);
}

static const char *
fake_process(void *arg, const struct snapshot *snap, size_t i, int *pid)
{
	(void)arg;
	if (snap->socks[i].state == TS_TIME_WAIT) {
		*pid = 0;
		return NULL;
	}
	*pid = 812;
	return "nginx\x1b[31m";
}

static double
fake_age(void *arg, const struct snapshot *snap, size_t i, int *known)
{
	(void)arg;
	*known = 1;
	return snap->socks[i].cookie == 2 ? 312.4 : -1;
}

static void
test_groups(void **state)
{
	static const struct tui_core x = {
		.process = fake_process, .age = fake_age,
	};
	struct snapshot a;
	struct tui_view v;
	uint32_t *idx;
	size_t n, i;

	(void)state;
	population(&a);
	tui_view_init(&v, &x);
	v.processes = 1;
	tui_view_update(&v, &a, 1);

	tui_view_set_group(&v, TUI_GROUP_PEERS);
	assert_int_equal(v.nrows, 2);
	assert_cell(&v, 0, TUI_COL_PREFIX, "192.168.1.0/24");
	assert_cell(&v, 1, TUI_COL_CLOSEWAIT, "1");
	idx = tui_view_row_sockets(&v, 1, &n);
	assert_int_equal(n, 2);
	free(idx);

	/* Enter on a group: its sockets. */
	tui_view_select(&v, 1);
	assert_true(tui_view_drill(&v));
	assert_int_equal(v.group, TUI_GROUP_SOCKETS);
	assert_int_equal(v.nrows, 2);
	assert_string_equal(v.filter.group_label, "192.168.2.0/24");
	/* Back: the peers view again, on the row it came from. */
	tui_view_undrill(&v);
	assert_int_equal(v.group, TUI_GROUP_PEERS);
	assert_int_equal(v.nrows, 2);
	assert_int_equal(v.sel, 1);
	assert_string_equal(v.filter.group_label, "");
	tui_view_set_group(&v, TUI_GROUP_SOCKETS);
	assert_int_equal(v.nrows, 5);

	tui_view_set_group(&v, TUI_GROUP_PROCESSES);
	assert_int_equal(v.nrows, 2);
	assert_cell(&v, 0, TUI_COL_SOCKETS, "4");
	assert_cell(&v, 0, TUI_COL_PROCESS, "nginx\\x1b[31m");	/* sanitised */
	assert_cell(&v, 1, TUI_COL_PID, "-");
	/* A listener's Send-Q is its backlog limit, not bytes: not added. */
	assert_cell(&v, 0, TUI_COL_SENDQ, "0");
	assert_cell(&v, 1, TUI_COL_SENDQ, "0");

	/* k on nginx's row: its connections, not its listener. */
	assert_cell(&v, 0, TUI_COL_SOCKETS, "4");
	idx = tui_view_row_sockets(&v, 0, &n);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_int_not_equal(a.socks[idx[i]].state, TS_LISTEN);
	free(idx);

	tui_view_set_group(&v, TUI_GROUP_LISTENERS);
	assert_int_equal(v.nrows, 1);
	assert_cell(&v, 0, TUI_COL_BACKLOG, "128");
	/* k on the listener: the four connections accepted on its port. */
	idx = tui_view_row_sockets(&v, 0, &n);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		assert_int_not_equal(a.socks[idx[i]].state, TS_LISTEN);
	free(idx);

	tui_view_set_group(&v, TUI_GROUP_SOCKETS);
	assert_cell(&v, row_of(&v, 2), TUI_COL_AGE, "5m12s");
	assert_cell(&v, row_of(&v, 3), TUI_COL_AGE, "-");
	assert_cell(&v, row_of(&v, 3), TUI_COL_RTT, "-");	/* no tcp_info */
	tui_view_free(&v);
	snapshot_free(&a);
}

/* The model's groups, counted: the view borrows them, builds none. */
static struct groups shared_groups;
static const struct snapshot *shared_for;
static int shared_asked;

static const struct groups *
fake_groups(void *arg, const struct snapshot *snap)
{
	(void)arg;
	shared_asked++;
	return snap == shared_for ? &shared_groups : NULL;
}

static void
test_groups_shared(void **state)
{
	static const struct tui_core x = { .groups = fake_groups };
	struct snapshot a, b;
	struct tui_view v;

	(void)state;
	population(&a);
	population(&b);
	group_build(&shared_groups, &a);
	shared_for = &a;
	tui_view_init(&v, &x);
	tui_view_update(&v, &a, 1);
	assert_int_equal(shared_asked, 1);
	assert_ptr_equal(v.groups.listeners, shared_groups.listeners);
	tui_view_set_group(&v, TUI_GROUP_LISTENERS);
	assert_int_equal(v.nrows, 1);
	assert_cell(&v, 0, TUI_COL_BACKLOG, "128");

	/* Not the snapshot the model grouped: the view groups it itself. */
	tui_view_update(&v, &b, 1);
	assert_ptr_not_equal(v.groups.listeners, shared_groups.listeners);
	assert_int_equal(v.nrows, 1);
	tui_view_free(&v);	/* frees its own groups, not the model's */
	assert_int_equal(shared_groups.nlisteners, 1);
	group_free(&shared_groups);
	snapshot_free(&a);
	snapshot_free(&b);
}

static void
test_search(void **state)
{
	struct snapshot a;
	struct tui_view v;

	(void)state;
	population(&a);
	tui_view_init(&v, NULL);
	tui_view_update(&v, &a, 1);
	assert_true(tui_view_search(&v, "close_wait", 0));
	assert_int_equal(v.snap->socks[v.rows[v.sel]].cookie, 4);
	assert_true(tui_view_search(&v, "192.168.", 1));
	assert_int_equal(v.snap->socks[v.rows[v.sel]].cookie, 5);
	assert_true(tui_view_search(&v, "192.168.", 1));	/* wraps */
	assert_int_equal(v.snap->socks[v.rows[v.sel]].cookie, 2);
	assert_true(tui_view_search(&v, "192.168.", -1));
	assert_int_equal(v.snap->socks[v.rows[v.sel]].cookie, 5);
	assert_false(tui_view_search(&v, "nowhere", 1));
	assert_int_equal(v.snap->socks[v.rows[v.sel]].cookie, 5);
	tui_view_free(&v);
	snapshot_free(&a);
}

/* The width layout gave column col, or -1 when it is not there. */
static int
width_of(const enum tui_col *cols, const int *widths, size_t n,
    enum tui_col col)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cols[i] == col)
			return widths[i];
	return -1;
}

/*
 * Columns are as wide as the rows on screen need: an IPv6 address off
 * screen widens nothing, a long process name gets its room, the sorted
 * column room for its mark; F2 hides and moves columns.
 */
static void
test_layout(void **state)
{
	static const struct tui_core x = { .process = fake_process };
	enum tui_col cols[TUI_COL_COUNT];
	int widths[TUI_COL_COUNT];
	struct snapshot a;
	struct tui_view v;
	const char *nginx = "812/nginx\\x1b[31m";	/* sanitised */
	size_t n, i;

	(void)state;
	population(&a);
	a.socks[4].family = AF_INET6;	/* the TIME_WAIT, the last row */
	memset(a.socks[4].src, 0x11, 16);
	tui_view_init(&v, &x);
	tui_view_update(&v, &a, 1);
	n = tui_cell_layout(&v, 0, 4, cols, widths);
	assert_int_equal(cols[0], TUI_COL_STATE);
	assert_int_equal(cols[1], TUI_COL_LOCAL);
	assert_int_equal(widths[1], 11);	/* "10.0.0.1:80" */
	assert_int_equal(width_of(cols, widths, n, TUI_COL_PEER), 17);
	/* The IPv6 row on screen: "[1111:...:1111]:80". */
	n = tui_cell_layout(&v, 0, 5, cols, widths);
	assert_int_equal(widths[1], 44);

	/* Processes off: no such column; on, as wide as its names. */
	assert_int_equal(width_of(cols, widths, n, TUI_COL_PROCESS), -1);
	v.processes = 1;
	n = tui_cell_layout(&v, 0, 5, cols, widths);
	assert_int_equal(cols[n - 3], TUI_COL_PROCESS);	/* before RTT RETR */
	assert_cell(&v, 0, TUI_COL_PROCESS, nginx);
	assert_int_equal(widths[n - 3], (int)strlen(nginx));

	/* The sort mark has its own place: RETR is 4 wide, RETRv 5. */
	assert_int_equal(width_of(cols, widths, n, TUI_COL_RETRANS), 4);
	v.sort_col[TUI_GROUP_SOCKETS] = TUI_COL_RETRANS;
	n = tui_cell_layout(&v, 0, 5, cols, widths);
	assert_int_equal(width_of(cols, widths, n, TUI_COL_RETRANS), 5);

	/* F2: LOCAL hidden, STATE moved after PEER; the last stays shown. */
	tui_cell_toggle(&v, 1);
	assert_true(tui_cell_hidden(&v, TUI_COL_LOCAL));
	assert_int_equal(tui_cell_move(&v, 0, 1), 1);
	assert_int_equal(tui_cell_move(&v, 1, 1), 2);
	n = tui_cell_layout(&v, 0, 5, cols, widths);
	assert_int_equal(width_of(cols, widths, n, TUI_COL_LOCAL), -1);
	assert_int_equal(cols[0], TUI_COL_PEER);
	assert_int_equal(cols[1], TUI_COL_STATE);
	tui_cell_columns(&v, &n);
	for (i = 0; i < n; i++)
		if (!tui_cell_hidden(&v, tui_cell_columns(&v, NULL)[i]))
			tui_cell_toggle(&v, i);
	n = tui_cell_layout(&v, 0, 5, cols, widths);
	assert_int_equal(n, 1);
	/* The other views keep their own. */
	tui_view_set_group(&v, TUI_GROUP_LISTENERS);
	n = tui_cell_layout(&v, 0, 1, cols, widths);
	assert_int_equal(cols[0], TUI_COL_LOCAL);
	tui_view_free(&v);
	snapshot_free(&a);
}

static void
test_sparkline(void **state)
{
	struct tui_trend h;
	uint64_t counts[TS_MAX + 1];
	char buf[256];
	int k;

	(void)state;
	memset(&h, 0, sizeof h);
	memset(counts, 0, sizeof counts);
	for (k = 0; k <= 8; k++) {
		counts[TS_ESTABLISHED] = (uint64_t)k;
		tui_trend_push(&h, counts);
	}
	tui_trend_sparkline(&h, TS_ESTABLISHED, 12, 0, buf, sizeof buf);
	assert_string_equal(buf, "    .:-=+*#@");
	/* Only the last 4 samples: 5..8 scaled to 8. */
	tui_trend_sparkline(&h, TS_ESTABLISHED, 4, 0, buf, sizeof buf);
	assert_string_equal(buf, "+*#@");
	tui_trend_sparkline(&h, TS_ESTABLISHED, 2, 1, buf, sizeof buf);
	assert_string_equal(buf, "\u2587\u2588");
	assert_int_equal(tui_trend_max(&h, TS_ESTABLISHED, 3), 8);
	tui_trend_sparkline(&h, TS_CLOSE_WAIT, 3, 1, buf, sizeof buf);
	assert_string_equal(buf, "   ");
}

static int
lines_have(const struct tui_lines *l, const char *text)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strstr(l->v[i], text) != NULL)
			return 1;
	return 0;
}

static void
test_pages(void **state)
{
	struct tui_lines l = { 0 };
	struct snapshot a;
	struct tui_view v;
	size_t i;
	int st;

	(void)state;
	population(&a);
	tui_view_init(&v, NULL);
	tui_view_update(&v, &a, 1);
	tui_detail(&v, 3, &l, 80);
	assert_true(lines_have(&l, "CLOSE_WAIT"));
	assert_true(lines_have(&l, "0x4"));
	assert_true(lines_have(&l, "192.168.2.9:40002"));
	tui_lines_free(&l);

	/* tcp_info; an ssthresh no loss has set is said so, not 2147483647. */
	snapshot_want(&a, 1, 0);
	a.socks[3].flags |= SOCK_HAS_INFO;
	a.info[3].snd_ssthresh = 0x7fffffff;
	tui_detail(&v, 3, &l, 80);
	assert_true(lines_have(&l, "none yet (no loss)"));
	assert_false(lines_have(&l, "2147483647"));
	tui_lines_free(&l);
	a.info[3].snd_ssthresh = 31;
	tui_detail(&v, 3, &l, 80);
	assert_false(lines_have(&l, "none yet"));
	assert_true(lines_have(&l, "31"));
	tui_lines_free(&l);

	for (st = 1; st <= TS_CLOSING; st++) {
		tui_explain_state(st, &l, 60);
		assert_true(l.n > 5);
		for (i = 0; i < l.n; i++)
			assert_true(format_text_width(l.v[i]) <= 60);
		tui_lines_free(&l);
	}
	tui_explain_state(TS_CLOSE_WAIT, &l, 80);
	assert_true(lines_have(&l, "close()"));
	tui_lines_free(&l);
	tui_explain_state(TS_TIME_WAIT, &l, 80);
	assert_true(lines_have(&l, "SO_REUSEADDR"));
	tui_lines_free(&l);

	{
		struct tui_finding f = { .rule = "close-wait",
		    .severity = TUI_SEV_WARNING,
		    .subject = "pid 812 (ev\x1b]0;il)",
		    .summary = "14 connections in CLOSE_WAIT",
		    .cause = "the application has not called close()",
		    .advice = "find where it loses connections" };

		tui_explain_finding(&f, &l, 80);
		assert_true(lines_have(&l, "close-wait: pid 812 (ev\\x1b]0;il)"));
		assert_true(lines_have(&l, "14 connections"));
		/* Both the cause and the advice, each under its heading. */
		assert_true(lines_have(&l, "Likely cause"));
		assert_true(lines_have(&l, "has not called close()"));
		assert_true(lines_have(&l, "What to do"));
		assert_true(lines_have(&l, "find where it loses"));
		assert_true(lines_have(&l, "About this rule"));
		for (i = 0; i < l.n; i++)
			assert_null(strchr(l.v[i], '\x1b'));
		tui_lines_free(&l);
	}

	tui_help(&l, 80, 0);
	assert_false(lines_have(&l, "F9"));
	tui_lines_free(&l);
	tui_help(&l, 80, 1);
	assert_true(lines_have(&l, "F9"));
	tui_lines_free(&l);
	tui_view_free(&v);
	snapshot_free(&a);
}

/*
 * The column table: every column has a title, a cell, widths that fit,
 * and says how it sorts (TUI_SORT_NONE when it has no key of its own),
 * with the function that key needs.
 */
static void
test_column_table(void **state)
{
	size_t c;

	(void)state;
	for (c = 0; c < TUI_COL_COUNT; c++) {
		const struct tui_column *col = &tui_columns[c];

		if (col->title == NULL || col->cell == NULL)
			fail_msg("column %zu has no title or no cell", c);
		assert_true(col->width > 0 && col->width <= col->max);
		switch (col->sort) {
		case TUI_SORT_NONE:
		case TUI_SORT_LOCAL:
		case TUI_SORT_PEER:
			break;
		case TUI_SORT_MOST:
		case TUI_SORT_LEAST:
			if (col->value == NULL)
				fail_msg("%s sorts by a value it lacks",
				    col->title);
			break;
		case TUI_SORT_TEXT:
			if (col->text == NULL)
				fail_msg("%s sorts by a text it lacks",
				    col->title);
			break;
		default:
			fail_msg("%s does not say how it sorts", col->title);
		}
	}
}

static const char *
fake_netns(void *arg, const struct snapshot *snap, size_t i)
{
	(void)arg;
	return snap->socks[i].netns == 0 ? "red" : "blue";
}

/*
 * -N all: the same address listening in two namespaces is two listeners,
 * two rows, each with its own namespace's sockets (one row with both was
 * shown, and its drill-down mixed them).
 */
static void
test_listeners_per_netns(void **state)
{
	static const struct tui_core x = { .netns = fake_netns };
	struct snapshot a;
	struct tui_view v;
	char cell[128];
	uint32_t *idx;
	size_t n, r;

	(void)state;
	snapshot_init(&a);
	add(&a, 1, TS_LISTEN, "127.0.0.1", 8080, "0.0.0.0", 0);
	add(&a, 2, TS_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40000);
	add(&a, 3, TS_LISTEN, "127.0.0.1", 8080, "0.0.0.0", 0)->netns = 1;
	add(&a, 4, TS_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40001)
	    ->netns = 1;
	add(&a, 5, TS_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40002)
	    ->netns = 1;
	tui_view_init(&v, &x);
	tui_view_update(&v, &a, 1);
	tui_view_set_group(&v, TUI_GROUP_LISTENERS);
	assert_int_equal(v.nrows, 2);
	assert_int_not_equal(tui_row_key(&v, 0), tui_row_key(&v, 1));
	for (r = 0; r < 2; r++) {
		int blue;

		tui_cell(&v, r, TUI_COL_NETNS, cell, sizeof cell);
		blue = strcmp(cell, "blue") == 0;
		idx = tui_view_row_sockets(&v, r, &n);
		assert_int_equal(n, blue ? 2 : 1);
		free(idx);
		/* Enter: that namespace's sockets only, the listener too. */
		tui_view_select(&v, r);
		assert_true(tui_view_drill(&v));
		assert_int_equal(v.nrows, blue ? 3 : 2);
		for (n = 0; n < v.nrows; n++)
			assert_int_equal(a.socks[v.rows[n]].netns, blue);
		tui_view_undrill(&v);
		assert_int_equal(v.sel, r);
	}
	tui_view_free(&v);
	snapshot_free(&a);
}

/* k's dialog lists a group row's sockets as Enter on the row shows them. */
static void
check_kill_order(struct tui_view *v, enum tui_group g)
{
	uint32_t *idx, shown[16];
	size_t r, n, k, i;

	tui_view_set_group(v, g);
	for (r = 0; r < v->nrows; r++) {
		tui_view_select(v, r);
		assert_true(tui_view_drill(v));
		for (k = 0, i = 0; i < v->nrows && k < 16; i++)
			if (v->snap->socks[v->rows[i]].state != TS_LISTEN)
				shown[k++] = v->rows[i];
		tui_view_undrill(v);
		idx = tui_view_row_sockets(v, r, &n);
		assert_int_equal(n, k);
		for (i = 0; i < n; i++)
			assert_int_equal(v->snap->socks[idx[i]].cookie,
			    v->snap->socks[shown[i]].cookie);
		free(idx);
	}
}

static void
test_kill_order(void **state)
{
	static const struct tui_core x = { .process = fake_process };
	struct snapshot a;
	struct tui_view v;
	uint32_t *idx;
	size_t n;
	int inv;

	(void)state;
	population(&a);
	tui_view_init(&v, &x);
	v.processes = 1;
	tui_view_update(&v, &a, 1);
	/* The sockets view by RECV-Q: 3 (500 bytes), 4 (1), then the rest. */
	v.sort_col[TUI_GROUP_SOCKETS] = TUI_COL_RECVQ;
	tui_view_set_group(&v, TUI_GROUP_PROCESSES);
	idx = tui_view_row_sockets(&v, 0, &n);
	assert_int_equal(n, 3);
	assert_int_equal(a.socks[idx[0]].cookie, 3);
	assert_int_equal(a.socks[idx[1]].cookie, 4);
	assert_int_equal(a.socks[idx[2]].cookie, 2);
	free(idx);
	for (inv = 0; inv <= 1; inv++) {
		v.sort_invert = inv;
		check_kill_order(&v, TUI_GROUP_LISTENERS);
		check_kill_order(&v, TUI_GROUP_PEERS);
		check_kill_order(&v, TUI_GROUP_PROCESSES);
	}
	tui_view_free(&v);
	snapshot_free(&a);
}

/* Every view has a name, a key, columns, and a first sort it shows. */
static void
test_mode_table(void **state)
{
	size_t g, c;
	int found;

	(void)state;
	for (g = 0; g < TUI_GROUP_COUNT; g++) {
		const struct tui_mode *m = &tui_modes[g];

		assert_non_null(m->name);
		assert_non_null(m->key);
		assert_true(m->ncols > 0 && m->nns_cols > 0);
		/* Cells and sort take TUI_GROUP_SOCKETS for "rows are sockets". */
		assert_int_equal(m->rows == TUI_ROWS_SOCKETS,
		    g == TUI_GROUP_SOCKETS);
		for (found = 0, c = 0; c < m->ncols; c++)
			found |= m->cols[c] == (enum tui_col)m->sort;
		if (!found)
			fail_msg("the %s view sorts by a column it lacks",
			    m->name);
	}
}

/* Whether a help line lists `key` among the keys in its first column. */
static int
help_lists(const struct tui_lines *l, const char *key)
{
	size_t i, n = strlen(key);
	const char *p;

	for (i = 0; i < l->n; i++) {
		if (strncmp(l->v[i], "  ", 2) != 0 || l->v[i][2] == ' ')
			continue;
		for (p = l->v[i] + 2; *p != '\0' && p < l->v[i] + 16; ) {
			size_t len = strcspn(p, " ");

			if (len == n && strncmp(p, key, n) == 0)
				return 1;
			p += len;
			p += strspn(p, " ");
		}
	}
	return 0;
}

/* Every key the handler acts on is on the help page (h, Q, F3 were not). */
static void
test_help_lists_every_key(void **state)
{
	struct tui_lines l = { 0 };
	char name[32];
	const char *p;
	size_t i, len;

	(void)state;
	tui_help(&l, 80, 1);
	for (i = 0; i < tui_nbindings; i++) {
		const struct tui_binding *b = &tui_bindings[i];

		if (b->label != NULL) {
			if (!lines_have(&l, b->label))
				fail_msg("help lacks \"%s\"", b->label);
			continue;
		}
		for (p = b->keys; *p != '\0'; p += strspn(p, " ")) {
			len = strcspn(p, " ");
			snprintf(name, sizeof name, "%.*s", (int)len, p);
			if (!help_lists(&l, name))
				fail_msg("help lacks the key \"%s\"", name);
			assert_ptr_equal(tui_binding_find(name), b);
			p += len;
		}
	}
	tui_lines_free(&l);
	/* Without kill, its keys are neither listed nor needed. */
	tui_help(&l, 80, 0);
	assert_false(help_lists(&l, "F9"));
	assert_false(help_lists(&l, "K"));
	tui_lines_free(&l);
}

/*
 * Chinese has no spaces: a paragraph breaks between wide characters, fills
 * its lines, and never starts a line with closing punctuation.
 */
static void
test_wrap_cjk(void **state)
{
	static const char text[] = "对端已经关闭了连接，但是应用程序还没有调用"
	    "close()，所以套接字停留在 CLOSE_WAIT 状态，直到进程关闭它为止。";
	struct tui_lines l = { 0 };
	size_t i;

	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		skip();
		return;
	}
	tui_lines_wrap(&l, text, 24, 0);
	assert_true(l.n >= 4 && l.n <= 5);	/* lines are filled */
	for (i = 0; i < l.n; i++) {
		assert_true(format_text_width(l.v[i]) <= 24);
		assert_true(strncmp(l.v[i], "，", strlen("，")) != 0);
		assert_true(strncmp(l.v[i], "。", strlen("。")) != 0);
	}
	assert_true(lines_have(&l, "close()"));	/* never split */
	tui_lines_free(&l);
	setlocale(LC_ALL, "C");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_sort_incremental),
		cmocka_unit_test(test_marks_churn),
		cmocka_unit_test(test_selection_follows_cookie),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_groups_shared),
		cmocka_unit_test(test_listeners_per_netns),
		cmocka_unit_test(test_kill_order),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_sparkline),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_help_lists_every_key),
		cmocka_unit_test(test_column_table),
		cmocka_unit_test(test_mode_table),
		cmocka_unit_test(test_wrap_cjk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
