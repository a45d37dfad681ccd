/*
 * test_pace.c - which polls ask for every socket under --cpu-budget, and
 * the bulk carried between them: what is kept, what leaves the carry, how
 * the timers count down, and what comes along with the records.
 *
 * Costs are multiples of 1/8 so that the formula's quotient is exact.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "pace.h"

#define M(s)	TS_BIT(TS_##s)

static struct sock_rec *
add(struct snapshot *snap, uint64_t cookie, int state)
{
	size_t i;
	struct sock_rec *s = snapshot_add(snap, &i);

	s->cookie = cookie;
	s->family = AF_INET;
	s->state = (uint8_t)state;
	s->sport = (uint16_t)(1000 + cookie);
	s->dport = 80;
	if (snap->info != NULL) {
		snap->info[i].rtt_us = (uint32_t)(100 * cookie);
		s->flags |= SOCK_HAS_INFO;
	}
	if (snap->mem != NULL) {
		snap->mem[i].rcvbuf = (uint32_t)(10 * cookie);
		s->flags |= SOCK_HAS_MEM;
	}
	return s;
}

static struct sock_rec *
add_timer(struct snapshot *snap, uint64_t cookie, int state, int timer,
    uint32_t expires_ms)
{
	struct sock_rec *s = add(snap, cookie, state);

	s->timer = (uint8_t)timer;
	s->expires_ms = expires_ms;
	return s;
}

static void
at(struct snapshot *snap, time_t sec, long msec)
{
	snap->when.tv_sec = sec;
	snap->when.tv_nsec = msec * 1000000L;
}

static const struct sock_rec *
find(const struct snapshot *snap, uint64_t cookie)
{
	size_t i;

	for (i = 0; i < snap->n; i++)
		if (snap->socks[i].cookie == cookie)
			return &snap->socks[i];
	return NULL;
}

static size_t
count_cookie(const struct snapshot *snap, uint64_t cookie)
{
	size_t i, n = 0;

	for (i = 0; i < snap->n; i++)
		n += snap->socks[i].cookie == cookie;
	return n;
}

/*
 * The simulated clock of the polls, in seconds: pace_full is told the time
 * of each poll, and a carry older than its promised polls is not used.
 */
static double sim;
static double sim_step;		/* between polls; 0: the interval */

static struct timespec
ts(double t)
{
	struct timespec when;

	when.tv_sec = (time_t)t;
	when.tv_nsec = (long)((t - (double)when.tv_sec) * 1e9 + 0.5);
	return when;
}

/* The decision for a poll at the simulated time; the clock moves on. */
static int
decide(struct pace *p, double interval, int force)
{
	struct timespec now = ts(sim);
	int full = pace_full(p, &now, interval, force);

	sim += sim_step > 0 ? sim_step : interval;
	return full;
}

/* After a full poll decided at the time `t`: keep its bulk (one socket). */
static void
keep_at(struct pace *p, double t)
{
	struct snapshot snap;

	snapshot_init(&snap);
	add(&snap, 1, TS_ESTABLISHED);
	snap.when = ts(t);
	pace_keep(p, &snap);
	snapshot_free(&snap);
}

/* One poll as source_poll makes it: decided, kept when full, paid for. */
static int
poll_once(struct pace *p, double interval, int force, double full,
    double part)
{
	double t = sim;
	int f = decide(p, interval, force);

	if (f)
		keep_at(p, t);
	pace_cost(p, f ? full : part);
	return f;
}

/* A first, full poll at time 1000 that cost `cost`. */
static void
full_poll(struct pace *p, double interval, double cost)
{
	sim = 1000;
	sim_step = 0;
	assert_true(poll_once(p, interval, 0, cost, cost));
}

/* The decisions of n polls, each costing full or part: "FPPF...". */
static void
decisions(struct pace *p, double interval, double full, double part,
    char *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = poll_once(p, interval, 0, full, part) ? 'F' : 'P';
	out[n] = '\0';
}

/*
 * Over the budget: a first full poll costing full, then the partial poll
 * that learns what part costs (never full: there is no part cost yet).
 */
static void
learn(struct pace *p, double interval, double full, double part)
{
	full_poll(p, interval, full);
	assert_false(poll_once(p, interval, 0, full, part));
}

/* The next polls decide as want says ("FPP..."), every as expected. */
static void
expect_rounds(struct pace *p, double interval, double full, double part,
    const char *want, unsigned every)
{
	char got[64];

	assert_true(strlen(want) < sizeof got);
	decisions(p, interval, full, part, got, strlen(want));
	assert_string_equal(got, want);
	assert_int_equal(p->every, every);
}

/*
 * Half a core at 1 s polls, full and partial costs learned: the next poll
 * is partial. Returns how often the bulk is then asked for.
 */
static unsigned
every_learned(struct pace *p, double full, double part)
{
	pace_init(p, 0.5);
	learn(p, 1, full, part);
	assert_false(decide(p, 1, 0));
	return p->every;
}

static void
test_no_budget_never_paces(void **state)
{
	struct pace p;
	int i;

	(void)state;
	pace_init(&p, 0);
	sim = 1000;
	for (i = 0; i < 20; i++) {
		/* five seconds a poll: still full */
		assert_true(poll_once(&p, 1, 0, 5.0, 5.0));
		assert_int_equal(p.every, 1);
	}
	pace_free(&p);
}

static void
test_within_budget_always_full(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 0.5);		/* half a core, 0.5 s a 1 s poll */
	full_poll(&p, 1, 0.5);		/* at the allowance: still within */
	expect_rounds(&p, 1, 0.5, 0.125, "FFFFFFFFFF", 1);
	pace_free(&p);
}

static void
test_over_budget_learns_then_paces(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 0.5);
	/* Four times the allowance: one partial poll to learn its cost,
	   every = 2 meanwhile. */
	learn(&p, 1, 2.0, 0.25);
	assert_int_equal(p.every, 2);
	/* k = ceil((2 - 0.25) / (0.5 - 0.25)) = 7: 2 + 6 * 0.25 = 3.5 <= 7 * 0.5;
	   the learning poll was the first part of the first round of 7. */
	expect_rounds(&p, 1, 2.0, 0.25, "PPPPPFPPPPPPFP", 7);
	pace_free(&p);
}

/* Polls that come early (keys that ask for one at once) count as polls. */
static void
test_count_when_polls_come_early(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 0.5);
	full_poll(&p, 1, 2.0);
	sim_step = 0.25;
	assert_false(poll_once(&p, 1, 0, 2.0, 0.25));
	expect_rounds(&p, 1, 2.0, 0.25, "PPPPPFPPPPPPFP", 7);
	sim_step = 0;
	pace_free(&p);
}

static void
test_every_follows_interval(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 0.25);
	learn(&p, 2, 2.0, 0.25);	/* allowance 0.5 at a 2 s interval */
	assert_false(decide(&p, 2, 0));
	assert_int_equal(p.every, 7);
	/* At 8 s the allowance is 2: the full cost fits, every poll is full. */
	assert_true(decide(&p, 8, 0));
	assert_int_equal(p.every, 1);
	pace_free(&p);
}

static void
test_part_at_allowance_is_max(void **state)
{
	static const double parts[] = { 0.5, 0.75, 3.0 };
	struct pace p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		pace_init(&p, 0.5);
		learn(&p, 1, 2.0, parts[i]);
		expect_rounds(&p, 1, 2.0, parts[i], "PPPPPPPPFPPPPPPPPPFP",
		    PACE_MAX_EVERY);
		pace_free(&p);
	}
}

static void
test_every_capped_and_least_two(void **state)
{
	struct pace p;

	(void)state;
	/* A huge full cost with a cheap part: never more than the cap. */
	assert_int_equal(every_learned(&p, 1000.0, 0.125), PACE_MAX_EVERY);
	pace_free(&p);

	/* Just over: ceil((0.625 - 0.125) / (0.5 - 0.125)) = 2. */
	pace_init(&p, 0.5);
	learn(&p, 1, 0.625, 0.125);
	expect_rounds(&p, 1, 0.625, 0.125, "FPFP", 2);
	pace_free(&p);
}

/* Over: even a full poll every PACE_MAX_EVERY costs more than allowed. */
static void
test_over_when_the_cap_is_not_enough(void **state)
{
	struct pace p;

	(void)state;
	/* ceil((2.0 - 0.25) / (0.5 - 0.25)) = 7: within, not over. */
	assert_int_equal(every_learned(&p, 2.0, 0.25), 7);
	assert_false(p.over);
	pace_free(&p);

	/* (10 + 9 * 0.4) / 10 = 1.36 > 0.5: over, and it says so. */
	assert_int_equal(every_learned(&p, 10.0, 0.4), PACE_MAX_EVERY);
	assert_true(p.over);
	/* A longer interval brings it within: no longer over. */
	decide(&p, 4, 0);
	assert_false(p.over);
	pace_free(&p);

	/* Unknown costs are never over. */
	pace_init(&p, 0.5);
	full_poll(&p, 1, 10.0);
	assert_false(p.over);
	pace_free(&p);
}

static void
test_force_gives_full(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 0.5);
	full_poll(&p, 1, 2.0);
	assert_false(poll_once(&p, 1, 0, 2.0, 0.25));
	assert_false(poll_once(&p, 1, 0, 2.0, 0.25));
	assert_true(poll_once(&p, 1, 1, 2.0, 0.25));	/* after a kill */
	assert_int_equal(p.every, 7);
	assert_int_equal(p.since_full, 0);
	/* The round starts again from the forced full poll. */
	assert_false(decide(&p, 1, 0));
	assert_int_equal(p.since_full, 1);
	pace_free(&p);
}

/*
 * A carry as old as the polls it was promised for (every * interval, as
 * after a pause) is not used: the poll is full, whatever the count says.
 */
static void
test_stale_carry_gives_full(void **state)
{
	char got[16];
	struct pace p;

	(void)state;
	pace_init(&p, 0.5);
	full_poll(&p, 1, 2.0);
	assert_false(poll_once(&p, 1, 0, 2.0, 0.25));
	decisions(&p, 1, 2.0, 0.25, got, 6);
	assert_string_equal(got, "PPPPPF");	/* every 7, full at 1007 */
	/* Paused for a minute after the second poll of the round. */
	assert_false(poll_once(&p, 1, 0, 2.0, 0.25));
	sim += 60;
	assert_true(poll_once(&p, 1, 0, 2.0, 0.25));
	assert_int_equal(p.since_full, 0);
	/* Then the count goes on from there. */
	decisions(&p, 1, 2.0, 0.25, got, 7);
	assert_string_equal(got, "PPPPPPF");

	/* Exactly every * interval after the full poll: full; just before: not. */
	keep_at(&p, 2000);
	p.since_full = 0;
	sim = 2000 + 6.5;
	assert_false(decide(&p, 1, 0));
	p.since_full = 0;
	sim = 2000 + 7;
	assert_true(decide(&p, 1, 0));
	/* At 2 s, every = ceil(1.75 / 0.75) = 3: a promise of 6 s. */
	keep_at(&p, 3000);
	p.since_full = 0;
	sim = 3000 + 5.5;
	assert_false(decide(&p, 2, 0));
	assert_int_equal(p.every, 3);
	p.since_full = 0;
	sim = 3000 + 6;
	assert_true(decide(&p, 2, 0));
	pace_free(&p);
}

static void
test_no_carry_gives_full(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 0.5);
	sim = 1000;
	/* Never kept: over budget, but nothing to stand in for the bulk. */
	assert_true(decide(&p, 1, 0));
	pace_cost(&p, 2.0);
	assert_true(decide(&p, 1, 0));
	assert_int_equal(p.every, 2);
	pace_cost(&p, 2.0);

	/* Once kept, the next may skip it. */
	keep_at(&p, sim - 1);
	assert_false(decide(&p, 1, 0));
	pace_free(&p);
}

/* A poll far within the budget keeps no carry; the next is then full. */
static void
test_far_within_keeps_nothing(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 0.5);
	full_poll(&p, 1, 0.125);	/* a quarter of the allowance */
	assert_true(decide(&p, 1, 0));
	keep_at(&p, sim - 1);
	assert_int_equal(p.full_when.tv_sec, 0);
	pace_cost(&p, 2.0);		/* suddenly over: full, no carry */
	assert_true(decide(&p, 1, 0));
	pace_free(&p);
}

/*
 * Near the allowance but within it, the bulk is kept so that a poll that
 * goes over can skip it at once. "Near" is a share of the allowance of a
 * cycle (budget times interval), whatever the interval.
 */
static void
test_near_budget_keeps_at_any_interval(void **state)
{
	static const double intervals[] = { 0.1, 1, 10 };
	struct pace p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof intervals / sizeof intervals[0]; i++) {
		double iv = intervals[i], allowed = 0.5 * iv;

		pace_init(&p, 0.5);
		full_poll(&p, iv, allowed * 0.75);
		assert_true(poll_once(&p, iv, 0, allowed * 4, allowed * 4));
		assert_int_not_equal(p.full_when.tv_sec, 0);
		assert_false(decide(&p, iv, 0));
		pace_free(&p);

		/* And far within it, at an eighth, nothing is kept. */
		pace_init(&p, 0.5);
		full_poll(&p, iv, allowed * 0.125);
		assert_true(poll_once(&p, iv, 0, allowed * 4, allowed * 4));
		assert_int_equal(p.full_when.tv_sec, 0);
		pace_free(&p);
	}
}

/* A pace that has decided on a partial poll, its carry kept from full. */
static void
paced(struct pace *p, const struct snapshot *full)
{
	struct timespec now = full->when;

	pace_init(p, 0.5);
	assert_true(pace_full(p, &now, 1, 0));
	pace_keep(p, full);
	pace_cost(p, 2.0);
	now.tv_sec++;
	assert_false(pace_full(p, &now, 1, 0));
}

/*
 * The carry is the full poll's bulk where it stands in the caller's
 * snapshot: the next partial poll keeps those records, nothing else of
 * the last poll, and appends its dump after them.
 */
static void
test_keep_only_bulk(void **state)
{
	struct snapshot full, part;
	struct pace p;
	int s;

	(void)state;
	snapshot_init(&full);
	snapshot_init(&part);
	for (s = TS_ESTABLISHED; s <= TS_CLOSING; s++)
		add(&full, (uint64_t)s, s)->expires_ms = 60000;
	at(&full, 1000, 250);
	paced(&p, &full);
	assert_int_equal(p.full_when.tv_sec, 1000);
	assert_int_equal(p.full_when.tv_nsec, 250000000L);
	at(&part, 1001, 0);
	assert_int_equal(pace_carry(&p, &full, &part), 2);
	assert_int_equal(full.n, 2);
	assert_non_null(find(&full, TS_ESTABLISHED));
	assert_non_null(find(&full, TS_TIME_WAIT));
	assert_int_equal(full.when.tv_sec, 1001);

	/* A second full poll replaces the carry, it does not add to it. */
	snapshot_clear(&full);
	add(&full, 20, TS_ESTABLISHED);
	add(&full, 21, TS_LISTEN);
	at(&full, 1010, 0);
	assert_true(pace_full(&p, &full.when, 1, 1));
	pace_keep(&p, &full);
	assert_int_equal(p.full_when.tv_sec, 1010);
	at(&part, 1011, 0);
	assert_int_equal(pace_carry(&p, &full, &part), 1);
	assert_int_equal(full.n, 1);
	assert_non_null(find(&full, 20));
	snapshot_free(&full);
	snapshot_free(&part);
	pace_free(&p);
}

static void
test_carry_adds_bulk(void **state)
{
	struct snapshot full, part;
	struct pace p;

	(void)state;
	snapshot_init(&full);
	snapshot_init(&part);
	add(&full, 1, TS_LISTEN);
	add(&full, 2, TS_ESTABLISHED);
	add(&full, 3, TS_ESTABLISHED);
	add_timer(&full, 4, TS_TIME_WAIT, TIMER_TIME_WAIT, 60000);
	add(&full, 5, TS_CLOSE_WAIT);
	at(&full, 1000, 0);
	paced(&p, &full);

	add(&part, 1, TS_LISTEN);
	add(&part, 5, TS_CLOSE_WAIT);
	add(&part, 6, TS_SYN_SENT);
	at(&part, 1001, 0);
	assert_int_equal(pace_carry(&p, &full, &part), 3);
	assert_int_equal(full.n, 6);
	/* The carry stays where it was, in its order; the dump after it. */
	assert_int_equal(full.socks[0].cookie, 2);
	assert_int_equal(full.socks[1].cookie, 3);
	assert_int_equal(full.socks[2].cookie, 4);
	assert_int_equal(full.socks[3].cookie, 1);
	assert_int_equal(full.socks[4].cookie, 5);
	assert_int_equal(full.socks[5].cookie, 6);
	assert_int_equal(find(&full, 2)->state, TS_ESTABLISHED);
	assert_int_equal(find(&full, 3)->state, TS_ESTABLISHED);
	assert_int_equal(find(&full, 4)->state, TS_TIME_WAIT);
	assert_int_equal(count_cookie(&full, 1), 1);
	assert_int_equal(count_cookie(&full, 5), 1);

	/* The next partial poll: the last dump's records go, the carry stays. */
	snapshot_clear(&part);
	add(&part, 5, TS_CLOSE_WAIT);
	at(&part, 1002, 0);
	assert_int_equal(pace_carry(&p, &full, &part), 3);
	assert_int_equal(full.n, 4);
	assert_null(find(&full, 1));
	assert_null(find(&full, 6));
	assert_int_equal(count_cookie(&full, 5), 1);
	snapshot_free(&full);
	snapshot_free(&part);
	pace_free(&p);
}

/* What the kernel says of a looked-up socket: its state by cookie. */
static int looked;

static int
look_state(void *arg, const struct sock_rec *s, struct sock_rec *out)
{
	const int *states = arg;	/* indexed by cookie; 0: gone */

	looked++;
	if (states[s->cookie] == 0)
		return -1;
	*out = *s;
	out->state = (uint8_t)states[s->cookie];
	out->timer = TIMER_TIME_WAIT;
	out->expires_ms = 59000;
	return 0;
}

/*
 * Sockets seen on their way into the bulk and missing from the next dump
 * without it: looked up one by one; those now in the bulk are carried.
 */
static void
test_follow_into_bulk(void **state)
{
	static int states[16];
	struct snapshot full, part;
	struct pace p;

	(void)state;
	snapshot_init(&full);
	snapshot_init(&part);
	add(&full, 1, TS_ESTABLISHED);
	add(&full, 2, TS_FIN_WAIT2);	/* will be TIME_WAIT */
	add(&full, 3, TS_FIN_WAIT1);	/* will be gone */
	add(&full, 4, TS_SYN_SENT);	/* will be ESTABLISHED */
	add(&full, 5, TS_FIN_WAIT2);	/* still FIN_WAIT2: in the dump */
	add(&full, 6, TS_CLOSE_WAIT);	/* not on its way into the bulk */
	at(&full, 1000, 0);
	paced(&p, &full);
	pace_remember(&p, &full);
	assert_int_equal(p.follow.n, 4);

	states[2] = TS_TIME_WAIT;
	states[4] = TS_ESTABLISHED;
	add(&part, 5, TS_FIN_WAIT2);
	at(&part, 1001, 0);
	looked = 0;
	assert_int_equal(pace_follow(&p, &part, &full, look_state, states), 3);
	assert_int_equal(looked, 3);	/* 2, 3 and 4; 5 is in the dump */
	pace_remember(&p, &part);
	assert_int_equal(pace_carry(&p, &full, &part), 3);	/* 1, 2 and 4 */
	assert_int_equal(find(&full, 1)->state, TS_ESTABLISHED);
	assert_int_equal(find(&full, 2)->state, TS_TIME_WAIT);
	assert_int_equal(find(&full, 4)->state, TS_ESTABLISHED);
	assert_null(find(&full, 3));
	assert_int_equal(count_cookie(&full, 5), 1);
	assert_int_equal(count_cookie(&full, 2), 1);
	/* Followed once: the next poll looks up nothing it already has. */
	looked = 0;
	assert_int_equal(pace_follow(&p, &part, &full, look_state, states), 0);
	assert_int_equal(looked, 0);
	snapshot_free(&full);
	snapshot_free(&part);
	pace_free(&p);
}

/* More missing than PACE_MAX_FOLLOW: no lookups past it, a full poll next. */
static void
test_follow_too_many(void **state)
{
	static int states[PACE_MAX_FOLLOW + 8];
	struct snapshot full, part;
	struct pace p;
	uint64_t c;

	(void)state;
	snapshot_init(&full);
	snapshot_init(&part);
	for (c = 1; c <= PACE_MAX_FOLLOW + 1; c++)
		add(&full, c, TS_FIN_WAIT1);
	at(&full, 1000, 0);
	paced(&p, &full);
	pace_remember(&p, &full);
	at(&part, 1001, 0);
	looked = 0;
	assert_int_equal(pace_follow(&p, &part, &full, look_state, states),
	    -1);
	assert_int_equal(looked, PACE_MAX_FOLLOW);
	snapshot_free(&full);
	snapshot_free(&part);
	pace_free(&p);
}

/* A carried socket the new dump has changed state: it counts once, for good. */
static void
test_carry_cookie_leaves(void **state)
{
	struct snapshot full, part;
	struct pace p;

	(void)state;
	snapshot_init(&full);
	snapshot_init(&part);
	add(&full, 10, TS_ESTABLISHED);
	add(&full, 11, TS_ESTABLISHED);
	add(&full, 12, TS_ESTABLISHED);
	add(&full, 13, TS_ESTABLISHED);
	at(&full, 1000, 0);
	paced(&p, &full);

	/* 11 shut down writing (FIN_WAIT2), its peer 12 is in CLOSE_WAIT. */
	add(&part, 12, TS_CLOSE_WAIT);
	add(&part, 11, TS_FIN_WAIT2);
	at(&part, 1000, 500);
	assert_int_equal(pace_carry(&p, &full, &part), 2);
	assert_int_equal(full.n, 4);
	assert_int_equal(count_cookie(&full, 11), 1);
	assert_int_equal(count_cookie(&full, 12), 1);
	assert_int_equal(find(&full, 11)->state, TS_FIN_WAIT2);
	assert_int_equal(find(&full, 12)->state, TS_CLOSE_WAIT);

	/* Then both are gone from the kernel: they do not come back. */
	snapshot_clear(&part);
	at(&part, 1001, 0);
	assert_int_equal(pace_carry(&p, &full, &part), 2);
	assert_int_equal(full.n, 2);
	assert_null(find(&full, 11));
	assert_null(find(&full, 12));
	assert_non_null(find(&full, 10));
	assert_non_null(find(&full, 13));

	/* And an empty carry adds nothing. */
	snapshot_clear(&part);
	add(&part, 10, TS_FIN_WAIT1);
	add(&part, 13, TS_LAST_ACK);
	assert_int_equal(pace_carry(&p, &full, &part), 0);
	assert_int_equal(full.n, 2);
	assert_int_equal(pace_carry(&p, &full, &part), 0);
	assert_int_equal(full.n, 2);
	snapshot_free(&full);
	snapshot_free(&part);
	pace_free(&p);
}

static void
test_carry_timers(void **state)
{
	struct snapshot full, part;
	struct pace p;
	long i;

	(void)state;
	snapshot_init(&full);
	snapshot_init(&part);
	add_timer(&full, 1, TS_TIME_WAIT, TIMER_TIME_WAIT, 1000);
	add_timer(&full, 2, TS_TIME_WAIT, TIMER_TIME_WAIT, 1500);
	add_timer(&full, 3, TS_TIME_WAIT, TIMER_TIME_WAIT, 1501);
	add_timer(&full, 4, TS_TIME_WAIT, TIMER_TIME_WAIT, 60000);
	add_timer(&full, 5, TS_ESTABLISHED, TIMER_KEEPALIVE, 1000);
	add_timer(&full, 6, TS_ESTABLISHED, TIMER_RETRANS, 7200000);
	add_timer(&full, 7, TS_ESTABLISHED, TIMER_NONE, 700);
	at(&full, 1000, 600);
	paced(&p, &full);

	at(&part, 1002, 100);		/* 1.5 s after the full poll */
	assert_int_equal(pace_carry(&p, &full, &part), 5);
	assert_null(find(&full, 1));	/* expired */
	assert_null(find(&full, 2));	/* expired at exactly the elapsed time */
	assert_int_equal(find(&full, 3)->expires_ms, 1);
	assert_int_equal(find(&full, 4)->expires_ms, 58500);
	/* Only TIME_WAIT leaves by its timer; others saturate at 0. */
	assert_int_equal(find(&full, 5)->expires_ms, 0);
	assert_int_equal(find(&full, 6)->expires_ms, 7200000 - 1500);
	assert_int_equal(find(&full, 7)->expires_ms, 700);	/* no timer */

	/* The next counts on from there: 4 s after the full poll in all. */
	snapshot_clear(&part);
	at(&part, 1004, 600);		/* 4 s after */
	assert_int_equal(pace_carry(&p, &full, &part), 4);
	assert_null(find(&full, 3));
	assert_int_equal(find(&full, 4)->expires_ms, 56000);
	assert_int_equal(find(&full, 6)->expires_ms, 7200000 - 4000);

	/* A clock that stepped back counts nothing down. */
	snapshot_clear(&part);
	at(&part, 999, 0);
	assert_int_equal(pace_carry(&p, &full, &part), 4);
	assert_int_equal(find(&full, 4)->expires_ms, 56000);
	assert_int_equal(find(&full, 6)->expires_ms, 7200000 - 4000);

	/* Polls 1.5 ms apart: 13.5 ms in all count 13, not 1 a poll. */
	for (i = 1; i <= 9; i++) {
		snapshot_clear(&part);
		at(&part, 1004, 600);
		part.when.tv_nsec += i * 1500000L;
		assert_int_equal(pace_carry(&p, &full, &part), 4);
	}
	assert_int_equal(find(&full, 4)->expires_ms, 56000 - 13);
	snapshot_free(&full);
	snapshot_free(&part);
	pace_free(&p);
}

static void
test_carry_info_and_mem(void **state)
{
	struct snapshot full, part;
	struct pace p;
	const struct sock_rec *s;
	size_t i;

	(void)state;
	snapshot_init(&full);
	snapshot_want(&full, 1, 1);
	add(&full, 1, TS_ESTABLISHED);
	add(&full, 2, TS_TIME_WAIT)->expires_ms = 30000;
	add(&full, 3, TS_LISTEN);
	at(&full, 1000, 0);
	paced(&p, &full);

	/* A dump with tcp_info but no memory figures: the carried keep
	   theirs, the dump's records have what the dump had. */
	snapshot_init(&part);
	snapshot_want(&part, 1, 0);
	add(&part, 3, TS_LISTEN);
	at(&part, 1001, 0);
	assert_int_equal(pace_carry(&p, &full, &part), 2);
	assert_int_equal(full.n, 3);
	for (i = 0; i < full.n; i++) {
		s = &full.socks[i];
		assert_true(s->flags & SOCK_HAS_INFO);
		assert_int_equal(full.info[i].rtt_us, 100 * s->cookie);
		assert_int_equal((s->flags & SOCK_HAS_MEM) != 0,
		    s->cookie != 3);
		if (s->flags & SOCK_HAS_MEM)
			assert_int_equal(full.mem[i].rcvbuf, 10 * s->cookie);
		/* Marked, so the dashboard asks again for those on screen. */
		assert_int_equal((s->flags & SOCK_CARRIED) != 0,
		    s->cookie != 3);
	}
	snapshot_free(&part);
	snapshot_free(&full);

	/* A full poll without arrays, a dump with both after it: the
	   carried claim nothing they do not have. */
	snapshot_init(&full);
	add(&full, 7, TS_ESTABLISHED);
	at(&full, 1002, 0);
	assert_true(pace_full(&p, &full.when, 1, 1));
	pace_keep(&p, &full);
	snapshot_init(&part);
	snapshot_want(&part, 1, 1);
	add(&part, 8, TS_LISTEN);
	at(&part, 1003, 0);
	assert_int_equal(pace_carry(&p, &full, &part), 1);
	assert_int_equal(full.socks[0].cookie, 7);
	assert_int_equal(full.socks[0].flags & (SOCK_HAS_INFO |
	    SOCK_HAS_MEM), 0);
	assert_int_equal(full.socks[1].cookie, 8);
	assert_int_equal(full.info[1].rtt_us, 800);
	assert_int_equal(full.mem[1].rcvbuf, 80);
	snapshot_free(&part);
	snapshot_free(&full);
	pace_free(&p);
}

/* Thousands carried: the snapshot grows, the cookie lookup holds. */
static void
test_carry_many(void **state)
{
	struct snapshot full, part;
	struct pace p;
	uint64_t c;

	(void)state;
	snapshot_init(&full);
	snapshot_init(&part);
	for (c = 1; c <= 5000; c++)
		add(&full, c * 7919 % 100003, c % 3 ? TS_ESTABLISHED :
		    TS_TIME_WAIT)->expires_ms = c % 3 ? 0 : 60000;
	at(&full, 1000, 0);
	paced(&p, &full);
	for (c = 1; c <= 5000; c += 5)
		add(&part, c * 7919 % 100003, TS_CLOSE_WAIT);
	at(&part, 1001, 0);
	assert_int_equal(pace_carry(&p, &full, &part), 4000);
	assert_int_equal(full.n, 5000);
	for (c = 1; c <= 5000; c++)
		assert_int_equal(count_cookie(&full, c * 7919 % 100003), 1);
	snapshot_free(&full);
	snapshot_free(&part);
	pace_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_budget_never_paces),
		cmocka_unit_test(test_within_budget_always_full),
		cmocka_unit_test(test_over_budget_learns_then_paces),
		cmocka_unit_test(test_count_when_polls_come_early),
		cmocka_unit_test(test_every_follows_interval),
		cmocka_unit_test(test_part_at_allowance_is_max),
		cmocka_unit_test(test_every_capped_and_least_two),
		cmocka_unit_test(test_over_when_the_cap_is_not_enough),
		cmocka_unit_test(test_force_gives_full),
		cmocka_unit_test(test_stale_carry_gives_full),
		cmocka_unit_test(test_no_carry_gives_full),
		cmocka_unit_test(test_far_within_keeps_nothing),
		cmocka_unit_test(test_near_budget_keeps_at_any_interval),
		cmocka_unit_test(test_keep_only_bulk),
		cmocka_unit_test(test_carry_adds_bulk),
		cmocka_unit_test(test_follow_into_bulk),
		cmocka_unit_test(test_follow_too_many),
		cmocka_unit_test(test_carry_cookie_leaves),
		cmocka_unit_test(test_carry_timers),
		cmocka_unit_test(test_carry_info_and_mem),
		cmocka_unit_test(test_carry_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
