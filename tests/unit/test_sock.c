/*
 * test_sock.c - state names and groups, and the snapshot array.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "sock.h"

#define M(s)	TS_BIT(TS_##s)
#define ALL	(M(ESTABLISHED) | M(SYN_SENT) | M(SYN_RECV) | M(FIN_WAIT1) | \
		 M(FIN_WAIT2) | M(TIME_WAIT) | M(CLOSE) | M(CLOSE_WAIT) | \
		 M(LAST_ACK) | M(LISTEN) | M(CLOSING))

static uint32_t
parse(const char *name)
{
	uint32_t mask = 0xdeadbeef;

	if (sock_state_parse(name, &mask) < 0)
		fail_msg("'%s' was refused", name);
	return mask;
}

static void
refused(const char *name)
{
	uint32_t mask = 0xdeadbeef;

	assert_int_equal(sock_state_parse(name, &mask), -1);
	assert_int_equal(mask, 0xdeadbeef);	/* untouched */
}

static void
test_state_spellings(void **state)
{
	static const struct {
		const char	*name;
		uint32_t	 mask;
	} cases[] = {
		{ "ESTABLISHED", M(ESTABLISHED) }, { "established", M(ESTABLISHED) },
		{ "Established", M(ESTABLISHED) },
		{ "SYN_SENT", M(SYN_SENT) }, { "syn-sent", M(SYN_SENT) },
		{ "synsent", M(SYN_SENT) },
		{ "SYN_RECV", M(SYN_RECV) }, { "syn-recv", M(SYN_RECV) },
		{ "syn-received", M(SYN_RECV) }, { "SYNRECV", M(SYN_RECV) },
		{ "FIN_WAIT1", M(FIN_WAIT1) }, { "fin-wait-1", M(FIN_WAIT1) },
		{ "finwait1", M(FIN_WAIT1) },
		{ "FIN_WAIT2", M(FIN_WAIT2) }, { "fin-wait-2", M(FIN_WAIT2) },
		{ "TIME_WAIT", M(TIME_WAIT) }, { "time-wait", M(TIME_WAIT) },
		{ "timewait", M(TIME_WAIT) }, { "TiMe_WaIt", M(TIME_WAIT) },
		{ "CLOSE", M(CLOSE) }, { "closed", M(CLOSE) },
		{ "CLOSE_WAIT", M(CLOSE_WAIT) }, { "close-wait", M(CLOSE_WAIT) },
		{ "closewait", M(CLOSE_WAIT) },
		{ "LAST_ACK", M(LAST_ACK) }, { "last-ack", M(LAST_ACK) },
		{ "LISTEN", M(LISTEN) }, { "listening", M(LISTEN) },
		{ "CLOSING", M(CLOSING) }, { "closing", M(CLOSING) },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (parse(cases[i].name) != cases[i].mask)
			fail_msg("'%s' gave %#x, not %#x", cases[i].name,
			    parse(cases[i].name), cases[i].mask);
}

static void
test_state_groups(void **state)
{
	uint32_t connected = ALL & ~(M(LISTEN) | M(CLOSE));

	(void)state;
	assert_int_equal(parse("all"), ALL);
	assert_int_equal(parse("ALL"), ALL);
	assert_int_equal(parse("bucket"), M(SYN_RECV) | M(TIME_WAIT));
	assert_int_equal(parse("big"), ALL & ~(M(SYN_RECV) | M(TIME_WAIT)));
	assert_int_equal(parse("connected"), connected);
	assert_int_equal(parse("synchronized"), connected & ~M(SYN_SENT));
	/* Request sockets are asked for through SYN_RECV, never by name. */
	assert_int_equal(parse("all") & M(NEW_SYN_RECV), 0);
}

static void
test_state_refused(void **state)
{
	(void)state;
	refused("");
	refused("-");
	refused("established,listen");
	refused("estab");
	refused("close wait");
	refused("new-syn-recv");
	refused("listen ");
	refused("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
}

static void
test_state_names_order(void **state)
{
	static const char *const expect[] = {
		"LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1",
		"FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
		"CLOSE",
	};
	const int *order = sock_state_order();
	uint32_t seen = 0;
	int i;

	(void)state;
	for (i = 0; i < TS_COUNT; i++) {
		assert_string_equal(sock_state_name(order[i]), expect[i]);
		assert_int_equal(sock_state_rank(order[i]), i);
		seen |= TS_BIT(order[i]);
	}
	assert_int_equal(order[TS_COUNT], 0);
	assert_int_equal(seen, ALL);
	assert_string_equal(sock_state_name(TS_NEW_SYN_RECV), "SYN_RECV");
	assert_string_equal(sock_state_name(0), "UNKNOWN");
	assert_string_equal(sock_state_name(TS_MAX + 1), "UNKNOWN");
	assert_string_equal(sock_state_name(-1), "UNKNOWN");
	assert_int_equal(sock_state_rank(0), TS_COUNT);
	assert_string_equal(sock_timer_name(TIMER_NONE), "off");
	assert_string_equal(sock_timer_name(TIMER_RETRANS), "on");
	assert_string_equal(sock_timer_name(TIMER_KEEPALIVE), "keepalive");
	assert_string_equal(sock_timer_name(TIMER_TIME_WAIT), "timewait");
	assert_string_equal(sock_timer_name(TIMER_PROBE), "persist");
	assert_string_equal(sock_timer_name(99), "off");
}

/* A snapshot of n sockets cycling through states and families. */
static void
fill(struct snapshot *snap, size_t n)
{
	size_t i, idx, first = snap->n;

	for (i = 0; i < n; i++) {
		struct sock_rec *s = snapshot_add(snap, &idx);

		assert_int_equal(idx, first + i);
		s->family = i % 2 == 0 ? AF_INET : AF_INET6;
		s->state = (uint8_t)(1 + i % TS_COUNT);
		s->inode = (uint32_t)i;
		if (snap->info != NULL) {
			snap->info[idx].rtt_us = (uint32_t)i;
			s->flags |= SOCK_HAS_INFO;
		}
		if (snap->mem != NULL) {
			snap->mem[idx].drops = (uint32_t)i;
			s->flags |= SOCK_HAS_MEM;
		}
	}
}

static void
test_snapshot_grow(void **state)
{
	struct snapshot snap;
	size_t i;

	(void)state;
	snapshot_init(&snap);
	snapshot_want(&snap, 1, 1);
	fill(&snap, 5000);		/* past several doublings */
	assert_int_equal(snap.n, 5000);
	assert_true(snap.cap >= 5000);
	for (i = 0; i < snap.n; i++) {
		assert_int_equal(snap.socks[i].inode, i);
		assert_int_equal(snap.info[i].rtt_us, i);
		assert_int_equal(snap.mem[i].drops, i);
	}
	snapshot_truncate(&snap, 10);
	assert_int_equal(snap.n, 10);
	snapshot_truncate(&snap, 20);	/* never grows */
	assert_int_equal(snap.n, 10);
	snapshot_clear(&snap);
	assert_int_equal(snap.n, 0);
	snapshot_free(&snap);
	assert_null(snap.socks);
	snapshot_free(NULL);
}

/*
 * snapshot_append copies a record with its tcp_info and memory figures
 * when both snapshots hold the array; where either lacks it, the flag goes.
 */
static void
test_snapshot_append(void **state)
{
	struct snapshot from, both, none, info_only;
	const uint8_t has = SOCK_HAS_INFO | SOCK_HAS_MEM | SOCK_HAS_SHUT;
	struct sock_rec *s;
	size_t i;

	(void)state;
	snapshot_init(&from);
	snapshot_want(&from, 1, 1);
	fill(&from, 3000);
	for (i = 0; i < from.n; i++) {
		from.socks[i].flags = has;
		from.socks[i].cookie = 1000 + i;
		from.socks[i].shutdown = 2;
	}
	snapshot_init(&both);
	snapshot_want(&both, 1, 1);
	snapshot_init(&none);
	snapshot_init(&info_only);
	snapshot_want(&info_only, 1, 0);
	fill(&info_only, 1);		/* appended after what is there */
	for (i = 0; i < from.n; i += 2) {	/* 1500: past a growth */
		s = snapshot_append(&both, &from, i);
		assert_ptr_equal(s, &both.socks[both.n - 1]);
		assert_memory_equal(s, &from.socks[i], sizeof *s);
		assert_int_equal(both.info[both.n - 1].rtt_us, i);
		assert_int_equal(both.mem[both.n - 1].drops, i);

		s = snapshot_append(&none, &from, i);
		assert_int_equal(s->cookie, 1000 + i);
		assert_int_equal(s->inode, i);
		assert_int_equal(s->flags, SOCK_HAS_SHUT);
		assert_int_equal(s->shutdown, 2);

		s = snapshot_append(&info_only, &from, i);
		assert_int_equal(s->flags, SOCK_HAS_INFO | SOCK_HAS_SHUT);
		assert_int_equal(info_only.info[info_only.n - 1].rtt_us, i);
	}
	assert_int_equal(both.n, 1500);
	assert_int_equal(none.n, 1500);
	assert_int_equal(info_only.n, 1501);
	assert_int_equal(info_only.socks[0].inode, 0);
	assert_int_equal(info_only.socks[1].cookie, 1000);
	assert_int_equal(from.n, 3000);		/* the source is untouched */

	/* From a snapshot without the arrays into one with them. */
	none.socks[0].flags = has;
	s = snapshot_append(&both, &none, 0);
	assert_int_equal(s->flags, SOCK_HAS_SHUT);
	assert_int_equal(both.n, 1501);
	snapshot_free(&from);
	snapshot_free(&both);
	snapshot_free(&none);
	snapshot_free(&info_only);
}

/*
 * A carried socket looked up again takes the kernel's queues, timer and
 * tcp_info while in its state, and is marked as asked either way.
 */
static void
test_snapshot_refresh(void **state)
{
	struct snapshot snap;
	struct sock_rec now;
	struct sock_info info;

	(void)state;
	snapshot_init(&snap);
	snapshot_want(&snap, 1, 0);
	fill(&snap, 3);
	snap.socks[1].cookie = 41;
	snap.socks[1].state = TS_ESTABLISHED;
	snap.socks[1].flags = SOCK_CARRIED | SOCK_HAS_INFO;
	now = snap.socks[1];
	now.flags = SOCK_HAS_INFO;
	now.rqueue = 5000;
	now.wqueue = 7;
	now.timer = TIMER_RETRANS;
	now.expires_ms = 200;
	now.retrans = 2;
	memset(&info, 0, sizeof info);
	info.rtt_us = 1234;
	assert_int_equal(snapshot_refresh(&snap, 1, &now, &info), 1);
	assert_int_equal(snap.socks[1].rqueue, 5000);
	assert_int_equal(snap.socks[1].wqueue, 7);
	assert_int_equal(snap.socks[1].timer, TIMER_RETRANS);
	assert_int_equal(snap.socks[1].expires_ms, 200);
	assert_int_equal(snap.socks[1].retrans, 2);
	/* Changed since its poll: the model does not take its old figures. */
	assert_int_equal(snap.socks[1].flags, SOCK_HAS_INFO | SOCK_REFRESHED);
	assert_int_equal(snap.info[1].rtt_us, 1234);
	assert_int_equal(snap.socks[0].rqueue, 0);	/* the others stay */
	assert_int_equal(snap.info[2].rtt_us, 2);

	/* Left its state, or gone: nothing taken, not asked again. */
	snap.socks[2].flags = SOCK_CARRIED;
	snap.socks[2].state = TS_ESTABLISHED;
	now = snap.socks[2];
	now.state = TS_CLOSE_WAIT;
	now.rqueue = 9;
	assert_int_equal(snapshot_refresh(&snap, 2, &now, &info), 0);
	assert_int_equal(snap.socks[2].rqueue, 0);
	assert_int_equal(snap.socks[2].state, TS_ESTABLISHED);
	assert_int_equal(snap.socks[2].flags, 0);
	snap.socks[0].flags = SOCK_CARRIED;
	assert_int_equal(snapshot_refresh(&snap, 0, NULL, NULL), 0);
	assert_int_equal(snap.socks[0].flags, 0);
	snapshot_free(&snap);
}

static int
keep_odd(const struct sock_rec *s, void *arg)
{
	(void)arg;
	return s->cookie % 2 == 1;
}

/*
 * Origins follow a carry: where each record was when its snapshot was
 * judged, none for one looked up again since, or added after.
 */
static void
test_snapshot_origin(void **state)
{
	struct snapshot snap;
	size_t i, at;

	(void)state;
	snapshot_init(&snap);
	fill(&snap, 6000);		/* past one growth */
	for (i = 0; i < snap.n; i++)
		snap.socks[i].cookie = i + 1;
	snap.socks[4].flags |= SOCK_REFRESHED;	/* cookie 5 */
	snapshot_origin_begin(&snap);
	assert_int_equal(snap.socks[4].flags & SOCK_REFRESHED, 0);
	snapshot_origin_forget(&snap, 6);	/* cookie 7: replaced */
	snapshot_select(&snap, keep_odd, NULL);
	snapshot_add(&snap, &at);
	for (i = 0; i < 3000; i++) {
		uint32_t want = (uint32_t)(2 * i);

		if (i == 2 || i == 3)	/* cookies 5 and 7 */
			want = SNAPSHOT_NO_ORIGIN;
		assert_int_equal(snap.origin[i], want);
	}
	assert_int_equal(snap.origin[at], SNAPSHOT_NO_ORIGIN);
	snapshot_reserve(&snap, 20000);
	assert_int_equal(snap.origin[2999], 5998);
	snapshot_free(&snap);
}

/* Asked for after sockets were added, the arrays follow the capacity. */
static void
test_snapshot_want_late(void **state)
{
	struct snapshot snap;
	size_t idx;

	(void)state;
	snapshot_init(&snap);
	fill(&snap, 1500);
	snapshot_want(&snap, 1, 0);
	assert_non_null(snap.info);
	assert_null(snap.mem);
	fill(&snap, 1500);
	snapshot_add(&snap, &idx);
	assert_int_equal(snap.info[idx].rtt_us, 0);	/* zeroed */
	assert_int_equal(snap.info[idx - 1].rtt_us, 1499);
	snapshot_free(&snap);
}

/*
 * tcp_info from a dump of a few states lands on the sockets of the same
 * cookie, and only there: a record without it (a request socket) or with a
 * cookie the snapshot lacks adds nothing.
 */
static void
test_snapshot_take_info(void **state)
{
	struct snapshot snap, more;
	size_t i, at;

	(void)state;
	snapshot_init(&snap);
	snapshot_init(&more);
	fill(&snap, 110);
	for (i = 0; i < snap.n; i++)
		snap.socks[i].cookie = 1000 + i;
	snapshot_want(&more, 1, 0);
	for (i = 0; i < snap.n; i++) {
		if (snap.socks[i].state != TS_CLOSE_WAIT)
			continue;
		*snapshot_add(&more, &at) = snap.socks[i];
		more.socks[at].flags = i == 7 ? 0 : SOCK_HAS_INFO;
		more.info[at].rtt_us = 5000 + (uint32_t)i;
	}
	more.socks[snapshot_add(&more, &at) - more.socks].cookie = 9;
	more.socks[at].state = TS_CLOSE_WAIT;
	more.socks[at].flags = SOCK_HAS_INFO;
	assert_int_equal(snapshot_take_info(&snap, &more), 9);
	for (i = 0; i < snap.n; i++) {
		int has = snap.socks[i].state == TS_CLOSE_WAIT && i != 7;

		assert_int_equal(!!(snap.socks[i].flags & SOCK_HAS_INFO), has);
		if (has)
			assert_int_equal(snap.info[i].rtt_us, 5000 + i);
	}
	snapshot_free(&snap);
	snapshot_free(&more);
}

static void
test_snapshot_keep(void **state)
{
	struct snapshot snap;
	size_t i;

	(void)state;
	snapshot_init(&snap);
	snapshot_want(&snap, 1, 1);
	fill(&snap, 110);

	snapshot_keep(&snap, 3, ALL);
	assert_int_equal(snap.n, 110);

	snapshot_keep(&snap, 1, ALL);	/* IPv4: the even ones */
	assert_int_equal(snap.n, 55);
	for (i = 0; i < snap.n; i++) {
		assert_int_equal(snap.socks[i].family, AF_INET);
		assert_int_equal(snap.socks[i].inode, 2 * i);
		/* The optional arrays move with their records. */
		assert_int_equal(snap.info[i].rtt_us, 2 * i);
		assert_int_equal(snap.mem[i].drops, 2 * i);
	}

	snapshot_keep(&snap, 3, M(LISTEN) | M(TIME_WAIT));
	for (i = 0; i < snap.n; i++) {
		assert_true(snap.socks[i].state == TS_LISTEN ||
		    snap.socks[i].state == TS_TIME_WAIT);
		assert_int_equal(snap.mem[i].drops, snap.socks[i].inode);
	}
	assert_int_equal(snap.n, 10);	/* 5 of each among 55 */

	snapshot_keep(&snap, 2, ALL);
	assert_int_equal(snap.n, 0);
	snapshot_free(&snap);

	snapshot_init(&snap);
	fill(&snap, 22);
	snapshot_keep(&snap, 2, M(ESTABLISHED) | M(SYN_SENT));
	assert_int_equal(snap.n, 2);	/* inode 1 (SYN_SENT) and 11 (EST.) */
	assert_int_equal(snap.socks[0].inode, 1);
	assert_int_equal(snap.socks[1].inode, 11);
	snapshot_free(&snap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_spellings),
		cmocka_unit_test(test_state_groups),
		cmocka_unit_test(test_state_refused),
		cmocka_unit_test(test_state_names_order),
		cmocka_unit_test(test_snapshot_grow),
		cmocka_unit_test(test_snapshot_want_late),
		cmocka_unit_test(test_snapshot_append),
		cmocka_unit_test(test_snapshot_keep),
		cmocka_unit_test(test_snapshot_take_info),
		cmocka_unit_test(test_snapshot_refresh),
		cmocka_unit_test(test_snapshot_origin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
