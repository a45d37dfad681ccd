/*
 * test_model.c - sockets tracked by cookie across polls: ages, state
 * changes, TIME_WAIT from its timer, vanished cookies dropped, listener
 * drops, and the peer-prefix tally.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <time.h>

#include <cmocka.h>

#include "model.h"
#include "monitor.h"
#include "prefix.h"
#include "statefile.h"

/* What the sinks read of a socket's ages: known, or a lower bound. */
#define KNOWN(ms)	((ms).flags & (MODEL_AGE_KNOWN | MODEL_STATE_KNOWN))

static struct sock_rec *
add(struct snapshot *snap, uint64_t cookie, int state)
{
	size_t i;
	struct sock_rec *s = snapshot_add(snap, &i);

	memset(s, 0, sizeof *s);
	s->cookie = cookie;
	s->family = AF_INET;
	s->state = (uint8_t)state;
	s->src[0] = 10;
	s->dst[0] = 10;
	s->dst[3] = (uint8_t)cookie;
	s->sport = 80;
	s->dport = (uint16_t)(1000 + cookie);
	s->inode = (uint32_t)cookie;
	return s;
}

static void
poll_at(struct snapshot *snap, time_t t)
{
	snapshot_clear(snap);
	snap->when.tv_sec = t;
	snap->when.tv_nsec = 0;
	strcpy(snap->boot_id, "boot-a");
}

/* A poll at time t that sees one ESTABLISHED socket, cookie 1. */
static void
see_one(struct model *m, struct snapshot *snap, time_t t)
{
	poll_at(snap, t);
	add(snap, 1, TS_ESTABLISHED);
	model_update(m, snap);
}

/* A snapshot and a model, made for each test that polls and freed after. */
struct polled {
	struct snapshot	snap;
	struct model	m;
};

static int
polled_setup(void **state)
{
	struct polled *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	snapshot_init(&f->snap);
	model_init(&f->m);
	*state = f;
	return 0;
}

static int
polled_teardown(void **state)
{
	struct polled *f = *state;

	model_free(&f->m);
	snapshot_free(&f->snap);
	free(f);
	return 0;
}

static void
test_ages(void **state)
{
	struct polled *f = *state;
	struct snapshot *snap = &f->snap;
	struct model *m = &f->m;

	poll_at(snap, 1000);
	add(snap, 1, TS_ESTABLISHED);
	model_update(m, snap);
	assert_true(m->socks[0].age_s == 0);
	assert_int_equal(KNOWN(m->socks[0]), 0);	/* it was there before */

	poll_at(snap, 1010);
	add(snap, 1, TS_ESTABLISHED);
	add(snap, 2, TS_ESTABLISHED);
	model_update(m, snap);
	assert_true(m->socks[0].age_s > 9.9 && m->socks[0].age_s < 10.1);
	assert_int_equal(KNOWN(m->socks[0]), 0);	/* still only at least */
	/* Not there 10 s ago: at least 0 s, at most 10 s old. */
	assert_true(m->socks[1].age_s == 0);
	assert_int_equal(KNOWN(m->socks[1]), 0);

	poll_at(snap, 1011);
	add(snap, 1, TS_CLOSE_WAIT);
	add(snap, 2, TS_ESTABLISHED);
	add(snap, 3, TS_ESTABLISHED);
	model_update(m, snap);
	assert_true(m->socks[0].age_s > 10.9 && m->socks[0].age_s < 11.1);
	assert_true(m->socks[0].state_age_s == 0);
	assert_int_equal(KNOWN(m->socks[0]), MODEL_STATE_KNOWN);
	assert_int_equal(m->socks[0].prev_state, TS_ESTABLISHED);
	assert_true(m->socks[1].age_s > 0.9 && m->socks[1].age_s < 1.1);
	assert_int_equal(KNOWN(m->socks[1]), 0);
	/* Not there a second ago: it began since. */
	assert_true(m->socks[2].age_s == 0);
	assert_int_equal(KNOWN(m->socks[2]), MODEL_AGE_KNOWN | MODEL_STATE_KNOWN);

	poll_at(snap, 1015);
	add(snap, 1, TS_CLOSE_WAIT);
	add(snap, 3, TS_FIN_WAIT1);
	model_update(m, snap);
	assert_true(m->socks[1].age_s > 3.9 && m->socks[1].age_s < 4.1);
	/* It left ESTABLISHED within the last 4 s: only that is sure. */
	assert_int_equal(KNOWN(m->socks[1]), MODEL_AGE_KNOWN);

	poll_at(snap, 1020);
	add(snap, 1, TS_CLOSE_WAIT);
	model_update(m, snap);
	assert_true(m->socks[0].state_age_s > 8.9 && m->socks[0].state_age_s < 9.1);
	assert_null(model_find(m, 2));		/* vanished: forgotten */
	assert_non_null(model_find(m, 1));
}

static void
test_time_wait(void **state)
{
	struct polled *f = *state;
	struct snapshot *snap = &f->snap;
	struct model *m = &f->m;
	struct sock_rec *s;

	poll_at(snap, 5000);
	s = add(snap, 7, TS_TIME_WAIT);
	s->timer = TIMER_TIME_WAIT;
	s->expires_ms = 45000;
	model_update(m, snap);
	assert_true(m->socks[0].state_age_s > 14.9 && m->socks[0].state_age_s < 15.1);
	/* The timer proves the time in TIME_WAIT, not the socket's age. */
	assert_int_equal(KNOWN(m->socks[0]), MODEL_STATE_KNOWN);
	assert_true(m->socks[0].age_s > 14.9 && m->socks[0].age_s < 15.1);
}

/* tcp_info with its last send, receive and ACK this long ago (ms). */
static void
idle_for(struct snapshot *snap, struct sock_rec *s, uint32_t sent,
    uint32_t recv, uint32_t ack)
{
	struct sock_info *t = &snap->info[s - snap->socks];

	memset(t, 0, sizeof *t);
	t->last_data_sent_ms = sent;
	t->last_data_recv_ms = recv;
	t->last_ack_recv_ms = ack;
	s->flags |= SOCK_HAS_INFO;
}

/*
 * A poll of 300 sockets at time t: cookies from `first` on, in the states
 * in turn. The second poll (first 100) keeps 200 of the first's (first 1).
 */
static void
many(struct snapshot *snap, uint64_t first, time_t t)
{
	static const int states[] = { TS_ESTABLISHED, TS_CLOSE_WAIT,
	    TS_TIME_WAIT, TS_FIN_WAIT2, TS_SYN_RECV, TS_LISTEN };
	uint64_t c;

	poll_at(snap, t);
	for (c = first; c < first + 300; c++) {
		struct sock_rec *s = add(snap, c, states[c % 6]);

		s->expires_ms = (uint32_t)(c * 97 % 60000);
		s->timer = s->state == TS_TIME_WAIT ? TIMER_TIME_WAIT : 0;
		s->rqueue = (uint32_t)(c % 3);
	}
}

/* As diag_fill_info after the dump: tcp_info for the new sockets. */
static void
info_for_new(struct snapshot *snap, const struct model *old)
{
	size_t i;

	for (i = 0; i < snap->n; i++)
		if (model_find(old, snap->socks[i].cookie) == NULL &&
		    snap->socks[i].state != TS_SYN_RECV)
			idle_for(snap, &snap->socks[i], 40000 + (uint32_t)i,
			    30000, 20000 + (uint32_t)i * 10);
}

/*
 * A poll tracked while its dump is read (in datagrams, one restart, the
 * tcp_info of the new sockets fetched after it) leaves the model as one
 * tracked at once: the same ages, flags and entries.
 */
static void
test_track_parsed(void **state)
{
	struct snapshot whole, dump;
	struct model once, early;
	size_t i, at;
	int restarted = 0;

	(void)state;
	snapshot_init(&whole);
	snapshot_init(&dump);
	snapshot_want(&whole, 1, 0);
	snapshot_want(&dump, 1, 0);
	model_init(&once);
	model_init(&early);
	many(&whole, 1, 1000);
	model_update(&once, &whole);
	model_update(&early, &whole);

	many(&whole, 101, 1030);	/* long after: lower bounds */
	poll_at(&dump, 1030);
	for (at = 0; at < whole.n;) {	/* datagrams of 37 sockets */
		size_t from = dump.n, end = at + 37 < whole.n ? at + 37 :
		    whole.n;

		for (; at < end; at++)
			*snapshot_add(&dump, &i) = whole.socks[at];
		model_track_parsed(&early, &dump, from);
		if (at == 259 && !restarted) {	/* the tables moved: again */
			snapshot_truncate(&dump, 222);
			at = 222;
			restarted = 1;
			/* and this time the walk meets them in another order */
			for (i = 0; i < 18; i++) {
				struct sock_rec tmp = whole.socks[222 + i];

				whole.socks[222 + i] = whole.socks[258 - i];
				whole.socks[258 - i] = tmp;
			}
		}
	}
	assert_true(model_tracked(&early, &dump, 290));
	assert_false(model_tracked(&early, &dump, dump.n - 1));
	info_for_new(&whole, &once);
	info_for_new(&dump, &once);
	model_update(&once, &whole);
	model_update(&early, &dump);

	assert_int_equal(once.n, early.n);
	/* Its groups, added up as it was read, are the snapshot's. */
	assert_memory_equal(once.groups.states, early.groups.states,
	    sizeof once.groups.states);
	assert_int_equal(early.groups.total, dump.n);
	assert_int_equal(once.groups.nlisteners, early.groups.nlisteners);
	for (i = 0; i < whole.n; i++) {
		const struct model_sock *a = &once.socks[i], *b = &early.socks[i];
		const struct model_entry *ea, *eb;

		assert_float_equal(a->age_s, b->age_s, 0);
		assert_float_equal(a->state_age_s, b->state_age_s, 0);
		assert_float_equal(a->queue_age_s, b->queue_age_s, 0);
		assert_int_equal(a->flags, b->flags);
		assert_int_equal(a->flags & MODEL_NEW, whole.socks[i].cookie > 300 ?
		    MODEL_NEW : 0);
		ea = model_find(&once, whole.socks[i].cookie);
		eb = model_find(&early, whole.socks[i].cookie);
		assert_non_null(eb);
		assert_int_equal(ea->born, eb->born);
		assert_int_equal(ea->state_since, eb->state_since);
		assert_int_equal(ea->flags, eb->flags);
	}
	model_free(&once);
	model_free(&early);
	snapshot_free(&whole);
	snapshot_free(&dump);
}

/* The bulk of a paced poll: its carry, asked for every few polls. */
static int
in_bulk(const struct sock_rec *s, void *arg)
{
	(void)arg;
	return s->state == TS_ESTABLISHED || s->state == TS_TIME_WAIT;
}

/*
 * The next poll of a paced source, as pace.c makes it, into f: the last
 * poll's bulk carried (one socket looked up again by the dashboard since,
 * one replaced by a lookup, one that left the bulk), then the dump of the
 * other states with `changed`'s state changed, and one found joining the
 * bulk. r gets the same records with no origins: the model reads every
 * socket from its table there.
 */
static void
paced_poll(struct snapshot *f, struct snapshot *r, time_t t)
{
	uint64_t changed = (uint64_t)(t - 1000) * 6 + 1;	/* CLOSE_WAIT */
	uint64_t left = (uint64_t)(t - 1000) * 6 + 6;	/* ESTABLISHED */
	struct snapshot dump;
	struct sock_rec *s;
	size_t i, at;

	f->socks[3].rqueue += 7;	/* the dashboard's lookup (refresh) */
	f->socks[3].flags |= SOCK_REFRESHED;
	snapshot_origin_begin(f);
	f->socks[5].wqueue += 1;	/* pace_forget's lookup */
	snapshot_origin_forget(f, 5);
	for (i = 0; i < f->n; i++)	/* it left the bulk: in the dump */
		if (f->socks[i].cookie == left)
			f->socks[i].state = TS_CLOSE_WAIT;
	snapshot_init(&dump);
	for (i = 0; i < f->n; i++)
		if (!in_bulk(&f->socks[i], NULL)) {
			s = snapshot_append(&dump, f, i);
			if (s->cookie == changed)
				s->state = TS_LAST_ACK;
		}
	snapshot_select(f, in_bulk, NULL);
	s = snapshot_add(f, &at);	/* pace_follow: it joined the bulk */
	memset(s, 0, sizeof *s);
	*s = f->socks[0];
	s->cookie = 5000 + (uint64_t)t;
	f->carried = f->n;
	for (i = 0; i < f->n; i++)
		f->socks[i].flags |= SOCK_CARRIED;
	for (i = 0; i < dump.n; i++)
		snapshot_append(f, &dump, i);
	f->when.tv_sec = t;
	f->unasked = TS_BIT(TS_ESTABLISHED) | TS_BIT(TS_TIME_WAIT);
	snapshot_free(&dump);

	snapshot_clear(r);
	for (i = 0; i < f->n; i++)
		snapshot_append(r, f, i);
	r->when = f->when;
	r->carried = f->carried;
	r->unasked = f->unasked;
}

/* The two models agree on every socket of the poll, and on its entries. */
static void
assert_models_agree(const struct model *a, const struct model *b,
    const struct snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->n; i++) {
		const struct model_entry *ea, *eb;

		assert_float_equal(a->socks[i].age_s, b->socks[i].age_s, 0);
		assert_float_equal(a->socks[i].state_age_s,
		    b->socks[i].state_age_s, 0);
		assert_float_equal(a->socks[i].queue_age_s,
		    b->socks[i].queue_age_s, 0);
		assert_int_equal(a->socks[i].prev_state, b->socks[i].prev_state);
		assert_int_equal(a->socks[i].flags, b->socks[i].flags);
		ea = model_find(a, snap->socks[i].cookie);
		eb = model_find(b, snap->socks[i].cookie);
		assert_non_null(ea);
		assert_non_null(eb);
		assert_int_equal(ea->born, eb->born);
		assert_int_equal(ea->state_since, eb->state_since);
		assert_int_equal(ea->queue_since, eb->queue_since);
		assert_int_equal(ea->flags & (MODEL_AGE_KNOWN | MODEL_STATE_KNOWN),
		    eb->flags & (MODEL_AGE_KNOWN | MODEL_STATE_KNOWN));
	}
}

/*
 * Paced polls: the carried sockets the last poll judged take its figures,
 * a second older, without the table; every figure is the one the table
 * gives (to the tick, over 30 polls), and the next full poll's sweep
 * leaves the same entries.
 */
static void
test_paced_carry(void **state)
{
	struct snapshot fast, ref;
	struct model mf, mr;
	time_t t;

	(void)state;
	snapshot_init(&fast);
	snapshot_init(&ref);
	model_init(&mf);
	model_init(&mr);
	many(&fast, 1, 1000);		/* a full poll */
	many(&ref, 1, 1000);
	model_update(&mf, &fast);
	model_update(&mr, &ref);
	for (t = 1001; t < 1031; t++) {
		paced_poll(&fast, &ref, t);
		model_update(&mf, &fast);
		model_update(&mr, &ref);
		assert_models_agree(&mf, &mr, &fast);
	}
	assert_int_equal(fast.origin[0], 0);
	assert_true(fast.carried >= 90);
	/* The carry's sockets were not looked up in the table. */
	assert_true(mf.probes + 30 * 80 < mr.probes);
	many(&fast, 1, 1031);		/* full again, with the joiners */
	many(&ref, 1, 1031);
	for (t = 1001; t < 1031; t++) {
		add(&fast, 5000 + (uint64_t)t, TS_ESTABLISHED);
		add(&ref, 5000 + (uint64_t)t, TS_ESTABLISHED);
	}
	model_update(&mf, &fast);
	model_update(&mr, &ref);
	assert_models_agree(&mf, &mr, &fast);
	assert_int_equal(mf.n, mr.n);
	model_free(&mf);
	model_free(&mr);
	snapshot_free(&fast);
	snapshot_free(&ref);
}

/*
 * Sockets that were there before the first poll: keep-alive connections
 * idle for six minutes are at least that old (never "2s"), a listener is
 * at least as old as the run has seen it, and nothing is called known.
 */
static void
test_ages_before_first_poll(void **state)
{
	struct polled *f = *state;
	struct snapshot *snap = &f->snap;
	struct model *m = &f->m;
	struct sock_rec *s;

	snapshot_want(snap, 1, 0);
	poll_at(snap, 1000);
	s = add(snap, 1, TS_ESTABLISHED);
	idle_for(snap, s, 368364, 368000, 368364);
	add(snap, 2, TS_LISTEN);
	s = add(snap, 3, TS_SYN_SENT);	/* before its first retransmission */
	s = add(snap, 4, TS_SYN_RECV);
	s->retrans = 2;			/* SYN-ACK sent three times: 3 s old */
	s = add(snap, 5, TS_CLOSE_WAIT);
	idle_for(snap, s, 90000, 75000, 72000);
	model_update(m, snap);
	assert_true(m->socks[0].age_s > 368.2 && m->socks[0].age_s < 368.4);
	assert_true(m->socks[0].state_age_s > 368.2);	/* stamped at the handshake */
	assert_int_equal(KNOWN(m->socks[0]), 0);
	assert_true(m->socks[1].age_s == 0);
	assert_int_equal(KNOWN(m->socks[1]), 0);
	assert_int_equal(KNOWN(m->socks[2]), MODEL_AGE_KNOWN | MODEL_STATE_KNOWN);
	assert_int_equal(KNOWN(m->socks[3]), 0);
	assert_true(m->socks[4].age_s > 89.8 && m->socks[4].age_s < 90.1);
	assert_true(m->socks[4].state_age_s > 71.8 && m->socks[4].state_age_s < 72.1);
	assert_int_equal(KNOWN(m->socks[4]), 0);

	/* A second later: bounds grow; what is new since is known. */
	poll_at(snap, 1001);
	s = add(snap, 1, TS_ESTABLISHED);
	add(snap, 2, TS_LISTEN);
	s = add(snap, 6, TS_ESTABLISHED);
	idle_for(snap, s, 400, 400, 400);
	add(snap, 7, TS_LISTEN);
	model_update(m, snap);
	assert_true(m->socks[0].age_s > 369.2 && m->socks[0].age_s < 369.4);
	assert_int_equal(KNOWN(m->socks[0]), 0);
	assert_true(m->socks[1].age_s > 0.9 && m->socks[1].age_s < 1.1);
	assert_int_equal(KNOWN(m->socks[1]), 0);
	/* Known, and never shorter than its own last send. */
	assert_true(m->socks[2].age_s > 0.25 && m->socks[2].age_s < 0.45);
	assert_int_equal(KNOWN(m->socks[2]), MODEL_AGE_KNOWN | MODEL_STATE_KNOWN);
	assert_int_equal(KNOWN(m->socks[3]), MODEL_AGE_KNOWN | MODEL_STATE_KNOWN);
}

/*
 * A socket absent from the last poll began since only when that poll
 * would have shown it: recent, not paced, every state it can come from
 * asked for; and the kernel may prove it was there all along.
 */
static void
test_births_seen(void **state)
{
	struct polled *f = *state;
	struct snapshot *snap = &f->snap;
	struct model *m = &f->m;
	struct sock_rec *s;

	snapshot_want(snap, 1, 0);
	see_one(m, snap, 1000);
	poll_at(snap, 1300);		/* a cron run five minutes later */
	add(snap, 1, TS_CLOSE_WAIT);
	add(snap, 2, TS_ESTABLISHED);
	model_update(m, snap);
	assert_int_equal(KNOWN(m->socks[0]), 0);
	assert_int_equal(KNOWN(m->socks[1]), 0);

	/* Only CLOSE_WAIT asked for: a new one may have been ESTABLISHED. */
	poll_at(snap, 1301);
	snap->unasked = TS_ALL_MASK & ~TS_BIT(TS_NEW_SYN_RECV) &
	    ~TS_BIT(TS_CLOSE_WAIT) & ~TS_BIT(TS_SYN_SENT);
	add(snap, 1, TS_CLOSE_WAIT);
	add(snap, 2, TS_ESTABLISHED);
	model_update(m, snap);
	poll_at(snap, 1302);
	add(snap, 3, TS_CLOSE_WAIT);
	add(snap, 4, TS_SYN_SENT);
	s = add(snap, 5, TS_SYN_SENT);
	s->retrans = 3;
	model_update(m, snap);
	assert_int_equal(KNOWN(m->socks[0]), 0);
	/* A handshake begins in its state: new since, whatever it retried. */
	assert_int_equal(KNOWN(m->socks[1]), MODEL_AGE_KNOWN | MODEL_STATE_KNOWN);
	assert_int_equal(KNOWN(m->socks[2]), MODEL_AGE_KNOWN | MODEL_STATE_KNOWN);
	snap->unasked = 0;

	/* New since a recent poll, but idle for a minute: it was there. */
	poll_at(snap, 1303);
	s = add(snap, 6, TS_ESTABLISHED);
	idle_for(snap, s, 60000, 60000, 60000);
	model_update(m, snap);
	assert_int_equal(KNOWN(m->socks[0]), 0);
	assert_true(m->socks[0].age_s > 59.8 && m->socks[0].age_s < 60.1);

	/* Carried over by pacing: its state is older than this poll. */
	poll_at(snap, 1304);
	s = add(snap, 6, TS_ESTABLISHED);
	s->flags |= SOCK_CARRIED;
	model_update(m, snap);
	poll_at(snap, 1305);
	add(snap, 6, TS_CLOSE_WAIT);
	model_update(m, snap);
	assert_int_equal(KNOWN(m->socks[0]), 0);
	poll_at(snap, 1306);
	add(snap, 6, TS_LAST_ACK);
	model_update(m, snap);
	assert_int_equal(KNOWN(m->socks[0]), MODEL_STATE_KNOWN);
}

static void
test_boot_change(void **state)
{
	struct polled *f = *state;
	struct snapshot *snap = &f->snap;
	struct model *m = &f->m;

	see_one(m, snap, 1000);
	poll_at(snap, 1100);
	strcpy(snap->boot_id, "boot-b");
	add(snap, 1, TS_ESTABLISHED);
	model_update(m, snap);
	assert_true(m->socks[0].age_s == 0);	/* another boot: new socket */
}

/* The clock stepped back: ages start again, never negative. */
static void
test_clock_back(void **state)
{
	struct polled *f = *state;
	struct snapshot *snap = &f->snap;
	struct model *m = &f->m;

	see_one(m, snap, 1000);
	see_one(m, snap, 1010);
	assert_true(m->socks[0].age_s > 9.9);
	see_one(m, snap, 900);
	assert_true(m->socks[0].age_s == 0);
	assert_true(m->socks[0].state_age_s == 0);
	see_one(m, snap, 905);
	assert_true(m->socks[0].age_s > 4.9 && m->socks[0].age_s < 5.1);
}

/* Many cookies, half vanishing each poll: the rest must all be found. */
static void
test_churn(void **state)
{
	struct polled *f = *state;
	struct snapshot *snap = &f->snap;
	struct model *m = &f->m;
	uint64_t c, round;
	size_t i;

	for (round = 0; round < 6; round++) {
		poll_at(snap, (time_t)(1000 + round));
		for (c = 1 + round * 20000; c <= 60000 + round * 20000; c++)
			add(snap, c * 2654435761u, TS_ESTABLISHED);
		model_update(m, snap);
		assert_int_equal(m->n, 60000);
		for (i = 0; i < snap->n; i++)
			assert_non_null(model_find(m, snap->socks[i].cookie));
		/* seen before: three polls at most */
		c = 1 + round * 20000;
		assert_true(m->socks[0].age_s == (round < 2 ? round : 2));
	}
	poll_at(snap, 2000);
	add(snap, 3, TS_ESTABLISHED);
	model_update(m, snap);
	assert_int_equal(m->n, 1);
	assert_true(m->cap <= 4096);	/* memory follows the live sockets */
}

/*
 * Tables past a huge page's worth of slots are sized to their entries, not
 * to the next power of two, and lose nothing: a third of the cookies new
 * each poll, so deletions shift clusters across the end of the table.
 */
static void
test_table_sized(void **state)
{
	static const size_t sizes[] = { 100000, 150000, 60000 };
	const size_t step = ((size_t)2 << 20) / sizeof(struct model_entry);
	struct polled *f = *state;
	struct snapshot *snap = &f->snap;
	struct model *m = &f->m;
	uint64_t c, first = 1, gone = 1;	/* [gone, first): vanished */
	size_t k, i, n;

	for (k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		n = sizes[k];
		poll_at(snap, (time_t)(1000 + k));
		for (c = first; c < first + n; c++)
			add(snap, c * 0x9e3779b97f4a7c15ULL, TS_ESTABLISHED);
		model_update(m, snap);
		assert_int_equal(m->n, n);
		assert_true(m->n * 10 <= m->cap * 7);
		if (k == 0)	/* at first, the size asked for and no more */
			assert_true(m->cap < n * 10 / 7 + step);
		for (i = 0; i < snap->n; i++)
			assert_non_null(model_find(m, snap->socks[i].cookie));
		for (c = gone; c < first; c++)
			assert_null(model_find(m, c * 0x9e3779b97f4a7c15ULL));
		gone = first;
		first += n / 3;
	}
}

static void
test_listener_drops(void **state)
{
	struct polled *f = *state;
	struct snapshot *snap = &f->snap;
	struct model *m = &f->m;
	struct sock_rec *s;

	snapshot_want(snap, 0, 1);
	poll_at(snap, 1000);
	s = add(snap, 1, TS_LISTEN);
	s->flags |= SOCK_HAS_MEM;
	snap->mem[0].drops = 10;
	model_update(m, snap);
	assert_int_equal(m->groups.nlisteners, 1);
	assert_false(m->listeners[0].drops_known);
	poll_at(snap, 1002);
	s = add(snap, 1, TS_LISTEN);
	s->flags |= SOCK_HAS_MEM;
	snap->mem[0].drops = 30;
	model_update(m, snap);
	assert_true(m->listeners[0].drops_known);
	assert_int_equal(m->listeners[0].drops_delta, 20);
	assert_true(m->listeners[0].drops_rate > 9.9 &&
	    m->listeners[0].drops_rate < 10.1);
}

static void
test_prefix(void **state)
{
	struct prefix_tally t;
	struct prefix_stats st;
	uint8_t a[16] = { 192, 0, 2, 77 };
	uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0xff };
	char buf[PREFIX_STRLEN];
	int i;

	(void)state;
	prefix_format(buf, sizeof buf, prefix_of(AF_INET, a));
	assert_string_equal(buf, "192.0.2.0/24");
	prefix_format(buf, sizeof buf, prefix_of(AF_INET6, b));
	assert_string_equal(buf, "2001:db8:1::/48");

	prefix_tally_init(&t);
	for (i = 0; i < 1000; i++) {
		a[1] = (uint8_t)(i >> 8);
		a[2] = (uint8_t)i;
		prefix_tally_add(&t, prefix_of(AF_INET, a));
	}
	prefix_tally_stats(&t, &st);
	assert_int_equal(st.distinct, 1000);
	assert_true(st.entropy > 0.99);
	prefix_tally_free(&t);

	prefix_tally_init(&t);
	for (i = 0; i < 1000; i++)
		prefix_tally_add(&t, i < 900 ? 1 : 2 + (uint64_t)i % 3);
	prefix_tally_stats(&t, &st);
	assert_int_equal(st.distinct, 4);
	assert_true(st.entropy < 0.1);
	assert_int_equal(st.top[0].prefix, 1);
	assert_int_equal(st.top[0].count, 900);
	assert_int_equal(st.ntop, 4);
	prefix_tally_free(&t);
}

/*
 * tcp_info is fetched only for the sockets the rules read it for: a
 * retransmit or probe timer (not a SYN_RECV request socket, which has
 * none), unsent data, CLOSE_WAIT or FIN_WAIT2 seen for the first time;
 * and never for a rule that is switched off. The model reads it for a
 * connection that may have begun before the last poll (its last send
 * bounds its age), and for no other.
 */
static void
test_wants_info(void **state)
{
	struct anomaly_config cfg;
	struct monitor mon;
	struct snapshot snap;
	struct counters c;
	struct sock_rec s;
	size_t i;

	(void)state;
	anomaly_config_defaults(&cfg);
	monitor_init(&mon, &cfg, 0);
	memset(&s, 0, sizeof s);
	s.family = AF_INET;
	s.cookie = 42;
	s.state = TS_ESTABLISHED;
	s.inode = 1;
	assert_true(monitor_wants_info(&mon, &s));	/* no poll yet: its age */
	s.state = TS_LISTEN;
	assert_false(monitor_wants_info(&mon, &s));	/* tcp_info tells nothing */
	s.state = TS_ESTABLISHED;
	s.timer = TIMER_RETRANS;
	s.retrans = 1;
	assert_true(monitor_wants_info(&mon, &s));
	s.state = TS_SYN_RECV;		/* a request socket: the kernel has none */
	assert_false(monitor_wants_info(&mon, &s));
	s.flags = SOCK_HAS_SHUT;	/* a full one (Fast Open) has */
	assert_true(monitor_wants_info(&mon, &s));
	s.flags = 0;
	s.state = TS_ESTABLISHED;
	s.timer = TIMER_PROBE;
	s.retrans = 0;
	assert_true(monitor_wants_info(&mon, &s));
	s.timer = TIMER_NONE;
	s.wqueue = 10;
	assert_true(monitor_wants_info(&mon, &s));
	s.wqueue = 0;
	s.state = TS_CLOSE_WAIT;
	assert_true(monitor_wants_info(&mon, &s));	/* new to the model */
	s.inode = 0;
	assert_true(monitor_wants_info(&mon, &s));	/* not the rules': its age */

	/* Once the model knows the CLOSE_WAIT socket, its age is known. */
	s.inode = 1;
	snapshot_init(&snap);
	*snapshot_add(&snap, &i) = s;
	clock_gettime(CLOCK_REALTIME, &snap.when);
	counters_init(&c);
	monitor_update(&mon, &snap, &c);
	assert_false(monitor_wants_info(&mon, &s));
	/* New since a poll a moment ago: it began since, its age is known. */
	s.cookie = 43;
	s.state = TS_ESTABLISHED;
	assert_false(monitor_wants_info(&mon, &s));
	s.state = TS_CLOSE_WAIT;
	s.inode = 0;
	assert_false(monitor_wants_info(&mon, &s));	/* not accepted yet */
	s.state = TS_ESTABLISHED;
	s.inode = 1;

	/* A rule switched off asks for nothing. */
	mon.cfg.enabled[anomaly_rule_index("retransmits")] = 0;
	s.timer = TIMER_RETRANS;
	s.retrans = 3;
	assert_false(monitor_wants_info(&mon, &s));
	monitor_free(&mon);
	snapshot_free(&snap);
}

/* One poll of the monitor at time t: the sockets of cookies[]. */
static void
monitor_poll(struct monitor *mon, struct snapshot *snap, time_t t,
    const uint64_t *cookies, size_t n)
{
	struct counters c;
	size_t i;

	poll_at(snap, t);
	for (i = 0; i < n; i++)
		add(snap, cookies[i], TS_ESTABLISHED);
	counters_init(&c);
	monitor_update(mon, snap, &c);
}

/*
 * The state file saved at path as versions 2 and 3 wrote it: the same
 * header and tail (the rules' tracks and the counter readings), and the
 * model's entries as fixed records. The header's offsets are the file's.
 */
#define HEADER_BYTES	128
#define HEADER_VERSION	8
#define HEADER_NTRACKS	112
#define HEADER_NCOUNTERS 120

static void
rewrite_fixed(const char *path, const struct model *m, uint32_t version)
{
	static char file[1 << 20];
	uint64_t ntracks, ncounters;
	size_t size, tail, i;
	FILE *f;

	assert_non_null(f = fopen(path, "rb"));
	size = fread(file, 1, sizeof file, f);
	fclose(f);
	assert_true(size >= HEADER_BYTES && size < sizeof file);
	memcpy(&ntracks, file + HEADER_NTRACKS, sizeof ntracks);
	memcpy(&ncounters, file + HEADER_NCOUNTERS, sizeof ncounters);
	tail = ntracks * sizeof(struct anomaly_track) +
	    ncounters * sizeof(struct counters);
	assert_true(size >= HEADER_BYTES + tail);
	memcpy(file + HEADER_VERSION, &version, sizeof version);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(file, 1, HEADER_BYTES, f), HEADER_BYTES);
	for (i = 0; i < m->cap; i++)
		if (m->tab[i].key != 0)
			assert_int_equal(fwrite(&m->tab[i], sizeof m->tab[i],
			    1, f), 1);
	assert_int_equal(fwrite(file + size - tail, 1, tail, f), tail);
	assert_int_equal(fclose(f), 0);
}

/*
 * The state file keeps which ages are known, so the next cron run still
 * knows them; a file of version 3 (fixed records) loads the same, and one of
 * version 2 (which did not say) with every age a lower bound.
 */
static void
test_state_file(void **state)
{
	static const uint64_t cookies[] = { 1, 2 };
	struct anomaly_config cfg;
	struct monitor *mon = calloc(2, sizeof *mon);
	struct snapshot snap;
	char path[] = "/tmp/test_model.XXXXXX", *cause = NULL;
	int fd;

	(void)state;
	assert_non_null(mon);
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	anomaly_config_defaults(&cfg);
	snapshot_init(&snap);
	monitor_init(&mon[0], &cfg, 0);
	monitor_poll(&mon[0], &snap, 1000, cookies, 1);
	monitor_poll(&mon[0], &snap, 1001, cookies, 2);
	assert_int_equal(statefile_save(&mon[0], path, 0, &cause), 0);

	monitor_init(&mon[1], &cfg, 0);
	assert_int_equal(statefile_load(&mon[1], path, "boot-a", "", 1300, &cause),
	    STATEFILE_LOADED);
	assert_false(model_find(&mon[1].model, 1)->flags & MODEL_AGE_KNOWN);
	assert_true(model_find(&mon[1].model, 2)->flags & MODEL_AGE_KNOWN);
	monitor_poll(&mon[1], &snap, 1300, cookies, 2);
	assert_int_equal(KNOWN(mon[1].model.socks[0]), 0);
	assert_true(mon[1].model.socks[1].flags & MODEL_AGE_KNOWN);
	assert_true(mon[1].model.socks[1].age_s > 298.9 &&
	    mon[1].model.socks[1].age_s < 299.1);
	monitor_free(&mon[1]);

	rewrite_fixed(path, &mon[0].model, 3);
	monitor_init(&mon[1], &cfg, 0);
	assert_int_equal(statefile_load(&mon[1], path, "boot-a", "", 1300, &cause),
	    STATEFILE_LOADED);
	assert_false(model_find(&mon[1].model, 1)->flags & MODEL_AGE_KNOWN);
	assert_true(model_find(&mon[1].model, 2)->flags & MODEL_AGE_KNOWN);
	monitor_free(&mon[1]);

	rewrite_fixed(path, &mon[0].model, 2);
	monitor_init(&mon[1], &cfg, 0);
	assert_int_equal(statefile_load(&mon[1], path, "boot-a", "", 1300, &cause),
	    STATEFILE_LOADED);
	assert_false(model_find(&mon[1].model, 2)->flags & MODEL_AGE_KNOWN);
	assert_true(model_find(&mon[1].model, 2)->born <
	    model_time(&mon[1].model, 1002));

	unlink(path);
	monitor_free(&mon[0]);
	monitor_free(&mon[1]);
	snapshot_free(&snap);
	free(mon);
}

/*
 * History saved by one run and loaded by the next is spread over the
 * table as it was: the file lists entries in the saved table's slot order,
 * and loading them into a table that grew as it filled piled them into
 * clusters that every lookup of this run then walked.
 */
/*
 * Room made once: a history of 100k sockets loads into a table that takes
 * a quarter more (the sockets new since) before it grows, and a first poll
 * tracked as its dump is read, without history, into one as large as the
 * room its snapshot was given.
 */
static void
test_table_room(void **state)
{
	enum { N = 137000 };
	struct anomaly_config cfg;
	struct monitor *mon = calloc(2, sizeof *mon);
	struct snapshot snap, dump;
	struct model fresh;
	uint64_t *cookies = calloc(N, sizeof *cookies);
	char path[] = "/tmp/test_model.XXXXXX", *cause = NULL;
	size_t i, cap;
	int fd;

	(void)state;
	assert_non_null(mon);
	assert_non_null(cookies);
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	for (i = 0; i < N; i++)
		cookies[i] = (i + 1) * 0x9e3779b97f4a7c15ULL;
	anomaly_config_defaults(&cfg);
	snapshot_init(&snap);
	monitor_init(&mon[0], &cfg, 0);
	monitor_poll(&mon[0], &snap, 1000, cookies, N);
	assert_int_equal(statefile_save(&mon[0], path, 0, &cause), 0);
	monitor_init(&mon[1], &cfg, 0);
	assert_int_equal(statefile_load(&mon[1], path, "boot-a", "", 1010,
	    &cause), STATEFILE_LOADED);
	assert_int_equal(mon[1].model.n, N);
	assert_true((N + N / 4) * 10 <= mon[1].model.cap * 7);
	unlink(path);

	/* The dump read in two parts; the table made before the first. */
	model_init(&fresh);
	snapshot_init(&dump);
	poll_at(&dump, 2000);
	snapshot_reserve(&dump, 2 * N);
	for (i = 0; i < N / 2; i++)
		add(&dump, cookies[i], TS_ESTABLISHED);
	model_track_parsed(&fresh, &dump, 0);
	cap = fresh.cap;
	assert_true(dump.cap * 10 <= cap * 7);
	for (; i < N; i++)
		add(&dump, cookies[i], TS_ESTABLISHED);
	model_track_parsed(&fresh, &dump, N / 2);
	model_update(&fresh, &dump);
	assert_int_equal(fresh.cap, cap);
	assert_int_equal(fresh.n, N);
	model_free(&fresh);

	monitor_free(&mon[0]);
	monitor_free(&mon[1]);
	snapshot_free(&snap);
	snapshot_free(&dump);
	free(cookies);
	free(mon);
}

static void
test_history_reload(void **state)
{
	struct anomaly_config cfg;
	struct monitor *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	struct snapshot snap;
	char dir[] = "/tmp/test_model.XXXXXX", path[64], *cause = NULL;
	uint64_t c;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/state", dir);
	anomaly_config_defaults(&cfg);
	monitor_init(a, &cfg, 0);
	monitor_init(b, &cfg, 0);
	snapshot_init(&snap);
	poll_at(&snap, time(NULL) - 10);
	for (c = 1; c <= 300000; c++)
		add(&snap, c * 0x10001, TS_ESTABLISHED);
	model_update(&a->model, &snap);
	assert_int_equal(statefile_save(a, path, 0, &cause), 0);
	assert_int_equal(statefile_load(b, path, "boot-a", "", (double)time(NULL),
	    &cause), STATEFILE_LOADED);
	assert_int_equal(b->model.n, 300000);
	/* Under 70 % full, an insertion reads about one occupied slot. */
	assert_true(b->model.probes < 3 * b->model.n);
	assert_non_null(model_find(&b->model, 4242 * 0x10001));
	unlink(path);
	rmdir(dir);
	snapshot_free(&snap);
	monitor_free(a);
	monitor_free(b);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ages, polled_setup,
		    polled_teardown),
		cmocka_unit_test_setup_teardown(test_ages_before_first_poll,
		    polled_setup, polled_teardown),
		cmocka_unit_test_setup_teardown(test_births_seen, polled_setup,
		    polled_teardown),
		cmocka_unit_test(test_wants_info),
		cmocka_unit_test(test_track_parsed),
		cmocka_unit_test(test_paced_carry),
		cmocka_unit_test(test_state_file),
		cmocka_unit_test_setup_teardown(test_time_wait, polled_setup,
		    polled_teardown),
		cmocka_unit_test_setup_teardown(test_boot_change, polled_setup,
		    polled_teardown),
		cmocka_unit_test_setup_teardown(test_clock_back, polled_setup,
		    polled_teardown),
		cmocka_unit_test_setup_teardown(test_table_sized, polled_setup,
		    polled_teardown),
		cmocka_unit_test(test_table_room),
		cmocka_unit_test_setup_teardown(test_churn, polled_setup,
		    polled_teardown),
		cmocka_unit_test_setup_teardown(test_listener_drops, polled_setup,
		    polled_teardown),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_history_reload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
