/*
 * model.c - socket history across polls, keyed by cookie.
 *
 * Each poll marks the entries of the cookies it holds, then one sweep over
 * the table drops the rest with backward-shift deletion, so the table never
 * fills with tombstones and stays sized to the live sockets.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "model.h"
#include "xmalloc.h"

#define MODEL_MIN_CAP	1024
#define TICKS		10.0	/* entry times are deciseconds */
#define MODEL_PREFETCH	8	/* sockets looked up ahead */

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

void
model_init(struct model *m)
{
	memset(m, 0, sizeof *m);
}

static void
free_poll(struct model *m)
{
	group_free(&m->groups);
	free(m->listeners);
	m->listeners = NULL;
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	free_poll(m);
	free(m->tab);
	free(m->socks);
	memset(m, 0, sizeof *m);
}

/* Forget every socket (another boot, another namespace). */
void
model_reset(struct model *m)
{
	free(m->tab);
	m->tab = NULL;
	m->cap = m->n = 0;
	m->base = 0;
	m->prev = 0;
	m->polls = 0;
}

int32_t
model_time(const struct model *m, double unix_seconds)
{
	double t = (unix_seconds - (double)m->base) * TICKS;

	if (t > INT32_MAX)
		return INT32_MAX;
	if (t < INT32_MIN)
		return INT32_MIN;
	return (int32_t)lrint(t);
}

double
model_seconds(const struct model *m, int32_t t)
{
	return (double)m->base + t / TICKS;
}

static size_t
slot_of(const struct model *m, uint64_t key)
{
	return (size_t)mix64(key) & (m->cap - 1);
}

const struct model_entry *
model_find(const struct model *m, uint64_t key)
{
	size_t i;

	if (m->cap == 0 || key == 0)
		return NULL;
	for (i = slot_of(m, key); m->tab[i].key != 0; i = (i + 1) & (m->cap - 1))
		if (m->tab[i].key == key)
			return &m->tab[i];
	return NULL;
}

static void
rehash(struct model *m, size_t cap)
{
	struct model_entry *old = m->tab;
	size_t oldcap = m->cap, i, j;

	m->tab = xcalloc(cap, sizeof *m->tab);
	m->cap = cap;
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == 0)
			continue;
		for (j = slot_of(m, old[i].key); m->tab[j].key != 0;
		    j = (j + 1) & (cap - 1))
			;
		m->tab[j] = old[i];
	}
	free(old);
}

/* Room for n entries in all without growing one doubling at a time. */
static void
model_reserve(struct model *m, size_t n)
{
	size_t cap = m->cap > 0 ? m->cap : MODEL_MIN_CAP;

	while (n * 10 > cap * 7)
		cap *= 2;
	if (cap != m->cap)
		rehash(m, cap);
}

/* The entry for key, created empty if new; the table stays under 70 %. */
struct model_entry *
model_insert(struct model *m, uint64_t key, int *created)
{
	size_t i;

	*created = 0;
	if (m->cap == 0)
		rehash(m, MODEL_MIN_CAP);
	else if ((m->n + 1) * 10 > m->cap * 7)
		rehash(m, m->cap * 2);
	for (i = slot_of(m, key); m->tab[i].key != 0; i = (i + 1) & (m->cap - 1))
		if (m->tab[i].key == key)
			return &m->tab[i];
	memset(&m->tab[i], 0, sizeof m->tab[i]);
	m->tab[i].key = key;
	m->n++;
	*created = 1;
	return &m->tab[i];
}

/* A stable key for a listening address, apart from cookies (top bit). */
uint64_t
model_listener_key(const struct sock_rec *s)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ s->family;
	size_t i;

	for (i = 0; i < sizeof s->src; i += 8) {
		uint64_t w;

		memcpy(&w, s->src + i, 8);
		h = mix64(h ^ w);
	}
	h = mix64(h ^ s->sport);
	return h | (1ULL << 63);
}

/* Remove the entry at i, shifting its cluster back over the hole. */
static void
delete_at(struct model *m, size_t i)
{
	size_t mask = m->cap - 1, j = i, home;

	for (;;) {
		m->tab[i].key = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (m->tab[j].key == 0) {
				m->n--;
				return;
			}
			home = slot_of(m, m->tab[j].key);
			/* Can j's entry move to i without passing its home? */
			if (i <= j ? (home <= i || home > j) :
			    (home <= i && home > j))
				break;
		}
		m->tab[i] = m->tab[j];
		i = j;
	}
}

/*
 * Drop what this poll did not see. The walk starts after an empty slot, so
 * no cluster wraps around its start; a deletion pulls later entries back
 * into the current slot, which is then looked at again.
 */
static void
sweep(struct model *m)
{
	size_t mask = m->cap - 1, start, k, i;

	if (m->cap == 0)
		return;
	for (start = 0; m->tab[start].key != 0; start++)
		;
	for (k = 1; k <= m->cap; k++) {
		i = (start + k) & mask;
		while (m->tab[i].key != 0 && !(m->tab[i].flags & MODEL_SEEN))
			delete_at(m, i);
		m->tab[i].flags &= ~MODEL_SEEN;
	}
	if (m->cap > MODEL_MIN_CAP && m->n * 8 < m->cap) {
		for (k = MODEL_MIN_CAP; k < m->n * 4; k *= 2)
			;
		rehash(m, k);
	}
}

/* When the current state began, if a timer or tcp_info tells. */
static int
estimate_since(const struct model *m, const struct snapshot *snap, size_t i,
    int32_t now, int32_t *since)
{
	const struct sock_rec *s = &snap->socks[i];
	uint32_t ms;

	(void)m;
	if (s->state == TS_TIME_WAIT && s->timer == TIMER_TIME_WAIT) {
		ms = s->expires_ms < MODEL_TIME_WAIT_S * 1000 ?
		    s->expires_ms : MODEL_TIME_WAIT_S * 1000;
		*since = now - (int32_t)((MODEL_TIME_WAIT_S * 1000 - ms) / 100);
		return 1;
	}
	if ((s->flags & SOCK_HAS_INFO) && (s->state == TS_CLOSE_WAIT ||
	    s->state == TS_FIN_WAIT2)) {
		/* The FIN (or the ACK of ours) was the last thing received. */
		ms = snap->info[i].last_ack_recv_ms;
		*since = now - (int32_t)(ms / 100);
		return 1;
	}
	return 0;
}

static void
track_socket(struct model *m, const struct snapshot *snap, size_t i,
    int32_t now)
{
	const struct sock_rec *s = &snap->socks[i];
	struct model_sock *v = &m->socks[i];
	struct model_entry *e;
	int32_t since;
	int created;

	memset(v, 0, sizeof *v);
	if (s->cookie == 0)
		return;
	e = model_insert(m, s->cookie, &created);
	if (created) {
		e->first_seen = e->state_since = e->queue_since = now;
		e->state = s->state;
		e->rqueue = s->rqueue;
		e->wqueue = s->wqueue;
		if (estimate_since(m, snap, i, now, &since)) {
			e->state_since = e->first_seen = since;
			e->flags |= MODEL_ESTIMATED;
		}
	} else if (e->state != s->state) {
		e->prev_state = e->state;
		e->state = s->state;
		e->state_since = now;
		e->flags &= ~MODEL_ESTIMATED;
		if (s->state == TS_TIME_WAIT &&
		    estimate_since(m, snap, i, now, &since))
			e->state_since = since;
	}
	if (e->rqueue != s->rqueue || e->wqueue != s->wqueue) {
		e->rqueue = s->rqueue;
		e->wqueue = s->wqueue;
		e->queue_since = now;
	}
	if (e->state_since < e->first_seen)
		e->first_seen = e->state_since;
	e->flags |= MODEL_SEEN;
	v->age_s = (float)((now - e->first_seen) / TICKS);
	v->state_age_s = (float)((now - e->state_since) / TICKS);
	v->queue_age_s = (float)((now - e->queue_since) / TICKS);
	v->prev_state = e->prev_state;
	v->flags = (uint8_t)(e->flags & MODEL_ESTIMATED);
}

/* Drops since the last poll for each listener, keyed by its address. */
static void
track_listeners(struct model *m)
{
	const struct snapshot *snap = m->snap;
	struct model_entry *e;
	size_t j;
	int created;
	double dt = m->prev > 0 ? m->now - m->prev : 0;

	m->listeners = xcalloc(m->groups.nlisteners + 1, sizeof *m->listeners);
	for (j = 0; j < m->groups.nlisteners; j++) {
		const struct listener *l = &m->groups.listeners[j];
		struct model_listener *ml = &m->listeners[j];

		e = model_insert(m, model_listener_key(&snap->socks[l->sock]),
		    &created);
		e->flags |= MODEL_SEEN | MODEL_LISTENER;
		if (!l->drops_known) {
			e->wqueue = 0;
			continue;
		}
		if (!created && e->wqueue && l->drops >= e->rqueue && dt > 0) {
			ml->drops_delta = l->drops - e->rqueue;
			ml->drops_rate = (double)ml->drops_delta / dt;
			ml->drops_known = 1;
		}
		e->rqueue = (uint32_t)l->drops;
		e->wqueue = 1;
	}
}

/*
 * Take one poll: track its sockets, group it, and forget the cookies it no
 * longer holds. The snapshot must outlive the model's use of this poll.
 */
void
model_update(struct model *m, const struct snapshot *snap)
{
	int32_t now;
	size_t i;

	double when = (double)snap->when.tv_sec + snap->when.tv_nsec / 1e9;

	if (strcmp(m->boot_id, snap->boot_id) != 0 ||
	    strcmp(m->netns, snap->netns) != 0) {
		model_reset(m);
		snprintf(m->boot_id, sizeof m->boot_id, "%s", snap->boot_id);
		snprintf(m->netns, sizeof m->netns, "%s", snap->netns);
	}
	if (m->polls > 0 && when < m->now)
		model_reset(m);	/* the clock went back: no age can be told */
	free_poll(m);
	m->snap = snap;
	m->now = when;
	if (m->base == 0)
		m->base = (int64_t)m->now;
	if (snap->n > m->socks_cap) {
		m->socks_cap = snap->n + snap->n / 4;
		m->socks = xreallocarray(m->socks, m->socks_cap, sizeof *m->socks);
	}
	now = model_time(m, m->now);
	model_reserve(m, snap->n);
	for (i = 0; i < snap->n; i++) {
		/* The table is far larger than the caches: ask ahead. */
		if (i + MODEL_PREFETCH < snap->n && m->cap > 0)
			__builtin_prefetch(&m->tab[slot_of(m,
			    snap->socks[i + MODEL_PREFETCH].cookie)]);
		track_socket(m, snap, i, now);
	}
	group_build(&m->groups, snap);
	track_listeners(m);
	sweep(m);
	m->prev = m->now;
	m->polls++;
}
