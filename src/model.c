/*
 * model.c - socket history across polls, keyed by cookie.
 *
 * Each poll marks the entries of the cookies it holds, then one sweep over
 * the table drops the rest with backward-shift deletion, so the table never
 * fills with tombstones and stays sized to the live sockets.
 *
 * The table is as large as its entries need (cap_for), not the next power
 * of two: that left a million sockets' table under half full, 64 MB where
 * 46 MB hold them, and every fresh page costs (see populate). A key's home
 * slot is its hash scaled to the table (slot_of), so any size will do.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "model.h"
#include "xmalloc.h"

#define MODEL_MIN_CAP	1024
/* Slots of a large table come in huge pages' worth (xmap). */
#define SLOTS_STEP	(HUGE_PAGE / sizeof(struct model_entry))
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
	group_builder_free(m->builder);
	xunmap(m->tab, m->cap * sizeof *m->tab);
	free(m->socks);
	memset(m, 0, sizeof *m);
}

/* Forget every socket (another boot, another namespace). */
void
model_reset(struct model *m)
{
	xunmap(m->tab, m->cap * sizeof *m->tab);
	m->tab = NULL;
	m->cap = m->n = 0;
	m->unswept = 0;
	m->base = 0;
	m->prev = 0;
	m->prev_unasked = 0;
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

/*
 * The home slot of key: the high half of its hash times the size, over
 * 2^32 (a table of fewer than 2^32 slots), where a mask of its low bits
 * would need a power of two.
 */
static size_t
slot_of(const struct model *m, uint64_t key)
{
	return (size_t)(((mix64(key) >> 32) * (uint64_t)m->cap) >> 32);
}

static size_t
next_slot(const struct model *m, size_t i)
{
	return i + 1 == m->cap ? 0 : i + 1;
}

/*
 * Slots for n entries with the table at most 70 % full: a power of two up
 * to a huge page's worth, then whole huge pages of slots.
 */
static size_t
cap_for(size_t n)
{
	size_t need = (n * 10 + 6) / 7, cap = MODEL_MIN_CAP;

	if (need > SLOTS_STEP)
		return (need + SLOTS_STEP - 1) / SLOTS_STEP * SLOTS_STEP;
	while (cap < need)
		cap *= 2;
	return cap;
}

static struct model_entry *
find_entry(const struct model *m, uint64_t key)
{
	size_t i;

	if (m->cap == 0 || key == 0)
		return NULL;
	for (i = slot_of(m, key); m->tab[i].key != 0; i = next_slot(m, i))
		if (m->tab[i].key == key)
			return &m->tab[i];
	return NULL;
}

/* The entry of key, as a swept table would hold it (model_sweep_later). */
const struct model_entry *
model_find(const struct model *m, uint64_t key)
{
	const struct model_entry *e = find_entry(m, key);

	return e != NULL && model_entry_live(m, e) ? e : NULL;
}

/* Ask the cache early for the slot where a search for key begins. */
void
model_prefetch(const struct model *m, uint64_t key)
{
	if (m->cap > 0)
		__builtin_prefetch(&m->tab[slot_of(m, key)]);
}

static void
rehash(struct model *m, size_t cap)
{
	struct model_entry *old = m->tab;
	size_t oldcap = m->cap, i, j;

	/* Read at random, and every page gets keys: see xmap. */
	m->tab = xmap(cap * sizeof *m->tab);
	m->cap = cap;
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == 0)
			continue;
		for (j = slot_of(m, old[i].key); m->tab[j].key != 0;
		    j = next_slot(m, j))
			;
		m->tab[j] = old[i];
	}
	xunmap(old, oldcap * sizeof *old);
}

/*
 * Room for n entries in all without growing one doubling at a time. A
 * table that grows while it is filled in another table's slot order piles
 * the keys of that order's second half onto its first half's clusters, and
 * every insertion walks them: reserve before inserting many.
 */
void
model_reserve(struct model *m, size_t n)
{
	if (m->cap == 0 || n * 10 > m->cap * 7)
		rehash(m, cap_for(n));
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
		rehash(m, cap_for(m->n + m->n / 2 + 1));
	for (i = slot_of(m, key); m->tab[i].key != 0; i = next_slot(m, i)) {
		m->probes++;
		if (m->tab[i].key == key)
			return &m->tab[i];
	}
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
	size_t j = i, home;

	for (;;) {
		m->tab[i].key = 0;
		for (;;) {
			j = next_slot(m, j);
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
	size_t start, k, i;

	m->unswept = 0;
	if (m->cap == 0)
		return;
	for (start = 0; m->tab[start].key != 0; start++)
		;
	for (k = 1; k <= m->cap; k++) {
		i = start + k < m->cap ? start + k : start + k - m->cap;
		while (m->tab[i].key != 0 && !(m->tab[i].flags & MODEL_SEEN))
			delete_at(m, i);
		m->tab[i].flags &= ~(MODEL_SEEN | MODEL_FRESH);
	}
	if (m->cap > MODEL_MIN_CAP && m->n * 8 < m->cap)
		rehash(m, cap_for(m->n * 2));
}

#define GAP_TICKS	((int32_t)(MODEL_KNOWN_GAP_S * TICKS))
#define ALL_STATES	(TS_ALL_MASK & ~TS_BIT(TS_NEW_SYN_RECV))

/* Milliseconds as ticks, rounded down: never more than the kernel said. */
static int32_t
ms_ticks(double ms)
{
	double t = ms / (1000 / TICKS);

	return t >= INT32_MAX / 2 ? INT32_MAX / 2 : (int32_t)t;
}

/*
 * The states a socket now in `state` can have been in at an earlier poll,
 * under the same cookie. A handshake or a listener begins in its state (an
 * accepted connection is a new socket, with a cookie of its own).
 */
static uint32_t
states_before(int state)
{
	switch (state) {
	case TS_SYN_SENT:
	case TS_SYN_RECV:
	case TS_LISTEN:
		return TS_BIT(state);
	default:
		return ALL_STATES & ~TS_BIT(TS_LISTEN);
	}
}

/*
 * The last poll the model took (or its state file's); 0: none. While a
 * poll is tracked, m->now is already the new one's.
 */
static double
last_poll(const struct model *m)
{
	if (m->tracking)
		return m->prev;
	return m->polls > 0 && m->now > 0 ? m->now : m->prev;
}

/*
 * Whether a socket in `state` absent from the last poll (at time last)
 * began after it: that poll was recent, and it asked for every state the
 * socket can have been in (unasked: the states the new poll leaves out).
 */
static int
births_seen(const struct model *m, double last, double now, int state,
    uint32_t unasked)
{
	if (last <= 0 || now < last || now - last > MODEL_KNOWN_GAP_S)
		return 0;
	return ((unasked | m->prev_unasked) & states_before(state)) == 0;
}

/*
 * A handshake before its first retransmission began less than one initial
 * timeout ago (1 s, or what the timer says): seen at its start.
 */
static int
handshake_young(const struct sock_rec *s)
{
	return (s->state == TS_SYN_SENT || s->state == TS_SYN_RECV) &&
	    s->retrans == 0 && s->expires_ms <= MODEL_KNOWN_GAP_S * 1000;
}

/*
 * Whether the model would learn the age of a socket new to it from its
 * tcp_info: it is past its handshake, and the last poll (now: the time of
 * the one under way) cannot tell that it began since.
 */
int
model_wants_info(const struct model *m, const struct sock_rec *s, double now)
{
	if (!(TS_BIT(s->state) & SOCK_STAMPED))
		return 0;
	return !births_seen(m, last_poll(m), now, s->state, 0);
}

/* Move a start earlier to what the kernel proves; a contradiction unknows. */
static void
move_back(int32_t *start, uint16_t *flags, uint16_t known, int32_t proven)
{
	if (proven >= *start)
		return;
	if ((*flags & known) && *start - proven > GAP_TICKS)
		*flags &= (uint16_t)~known;	/* it was there before the poll */
	*start = proven;
}

/*
 * What the kernel proves about a socket: TIME_WAIT's timer gives the time
 * in that state (it lasts 60 s, rearmed only by a FIN the peer sends
 * again), tcp_info lower bounds of the age and, in CLOSE_WAIT and
 * FIN_WAIT2, of the time in the state (the FIN, or the ACK of ours, was
 * received then or before the last ACK).
 */
static void
kernel_bounds(struct model_entry *e, const struct snapshot *snap, size_t i,
    int32_t now, int entered)
{
	const struct sock_rec *s = &snap->socks[i];
	const struct sock_info *t;
	uint32_t ms;

	if (entered && s->state == TS_TIME_WAIT && s->timer == TIMER_TIME_WAIT) {
		ms = s->expires_ms < MODEL_TIME_WAIT_S * 1000 ?
		    s->expires_ms : MODEL_TIME_WAIT_S * 1000;
		e->state_since = now - ms_ticks(MODEL_TIME_WAIT_S * 1000 - ms);
		e->flags |= MODEL_STATE_KNOWN;
	}
	if ((s->flags & SOCK_HAS_INFO) && snap->info != NULL) {
		t = &snap->info[i];
		move_back(&e->born, &e->flags, MODEL_AGE_KNOWN,
		    now - ms_ticks(sock_proven_age(s, t, 0) * 1000));
		move_back(&e->state_since, &e->flags, MODEL_STATE_KNOWN,
		    now - ms_ticks(sock_proven_age(s, t, 1) * 1000));
	}
	/* A socket is at least as old as its state. */
	move_back(&e->born, &e->flags, MODEL_AGE_KNOWN, e->state_since);
}

/* A cookie new to the model: did a poll see it begin? */
static void
first_sight(struct model *m, const struct snapshot *snap, size_t i,
    struct model_entry *e, int32_t now)
{
	const struct sock_rec *s = &snap->socks[i];

	e->flags = MODEL_FRESH;
	e->prev_state = 0;
	e->born = e->state_since = e->queue_since = now;
	e->state = s->state;
	e->rqueue = s->rqueue;
	e->wqueue = s->wqueue;
	if (((s->flags & SOCK_CARRIED) == 0 &&
	    births_seen(m, m->prev, m->now, s->state, snap->unasked)) ||
	    handshake_young(s))
		e->flags |= MODEL_AGE_KNOWN | MODEL_STATE_KNOWN;
}

/*
 * Another state than at the last poll: it began since, known when that
 * poll was recent and dumped the socket rather than carried it over (a
 * record carried, or a state that poll did not ask for).
 */
static void
state_change(struct model *m, const struct sock_rec *s, struct model_entry *e,
    int32_t now)
{
	e->prev_state = e->state;
	e->state = s->state;
	e->state_since = now;
	e->flags &= (uint16_t)~MODEL_STATE_KNOWN;
	if (!(e->flags & MODEL_STALE) && m->prev > 0 &&
	    m->now - m->prev <= MODEL_KNOWN_GAP_S &&
	    !(m->prev_unasked & TS_BIT(e->prev_state)))
		e->flags |= MODEL_STATE_KNOWN;
}

/* What the sinks read of a tracked socket. */
static void
view_socket(struct model_sock *v, const struct model_entry *e, int32_t now)
{
	v->age_s = (float)((now - e->born) / TICKS);
	v->state_age_s = (float)((now - e->state_since) / TICKS);
	v->queue_age_s = (float)((now - e->queue_since) / TICKS);
	v->prev_state = e->prev_state;
	v->flags = (uint8_t)((v->flags & (MODEL_NEW | MODEL_INFO_LATE)) |
	    (e->flags & (MODEL_AGE_KNOWN | MODEL_STATE_KNOWN)));
}

static void
track_socket(struct model *m, const struct snapshot *snap, size_t i,
    int32_t now)
{
	const struct sock_rec *s = &snap->socks[i];
	struct model_sock *v = &m->socks[i];
	struct model_entry *e;
	int created, entered;

	memset(v, 0, sizeof *v);
	if (s->cookie == 0)
		return;
	e = model_insert(m, s->cookie, &created);
	/* New at this poll, and read again: its dump restarted. */
	created |= (e->flags & MODEL_FRESH) != 0;
	entered = created || e->state != s->state;
	if (created) {
		first_sight(m, snap, i, e, now);
		v->flags |= MODEL_NEW;
		/* Tracked as the dump is read: its tcp_info may come later. */
		if (m->tracking && !(s->flags & SOCK_HAS_INFO))
			v->flags |= MODEL_INFO_LATE;
	} else if (entered)
		state_change(m, s, e, now);
	kernel_bounds(e, snap, i, now, entered);
	if (e->rqueue != s->rqueue || e->wqueue != s->wqueue) {
		e->rqueue = s->rqueue;
		e->wqueue = s->wqueue;
		e->queue_since = now;
	}
	e->flags &= (uint16_t)~MODEL_STALE;
	e->flags |= MODEL_SEEN | ((s->flags & SOCK_CARRIED) ? MODEL_STALE : 0);
	view_socket(v, e, now);
}

/*
 * The new sockets tracked while their dump was read, before the tcp_info
 * fetched after it (diag_fill_info): what it proves of their ages.
 */
static void
late_bounds(struct model *m, const struct snapshot *snap, size_t n,
    int32_t now)
{
	struct model_entry *e;
	size_t i;

	for (i = 0; i < n; i++) {
		struct model_sock *v = &m->socks[i];

		if (!(v->flags & MODEL_INFO_LATE))
			continue;
		v->flags &= (uint8_t)~MODEL_INFO_LATE;
		if (!(snap->socks[i].flags & SOCK_HAS_INFO) ||
		    (e = find_entry(m, snap->socks[i].cookie)) == NULL)
			continue;
		kernel_bounds(e, snap, i, now, 0);
		view_socket(v, e, now);
	}
}

/* Figures faulted in ahead of the sockets tracked: a huge page's worth. */
#define SOCKS_AHEAD	(HUGE_PAGE / sizeof(struct model_sock))

/*
 * Room for the figures of snap's first n sockets, faulted in a step ahead
 * of them: the room is the snapshot's, made for the sockets the system
 * counted, and its tail may stay unused (fresh pages cost as much as the
 * kernel's walk of their sockets: see populate).
 */
static void
ensure_socks(struct model *m, const struct snapshot *snap, size_t n)
{
	size_t upto;

	if (n > m->socks_cap) {
		/* Once, as large as the snapshot's room: see snapshot_reserve. */
		m->socks_cap = snap->cap > n + n / 4 ? snap->cap : n + n / 4;
		m->socks = xreallocarray(m->socks, m->socks_cap,
		    sizeof *m->socks);
		advise_huge(m->socks, m->socks_cap * sizeof *m->socks);
	}
	if (n <= m->socks_ready)
		return;
	upto = m->socks_cap - n < SOCKS_AHEAD ? m->socks_cap : n + SOCKS_AHEAD;
	populate(m->socks + m->socks_ready,
	    (upto - m->socks_ready) * sizeof *m->socks);
	m->socks_ready = upto;
}

/* Sockets [from, to) of snap, their entries asked for ahead up to ahead. */
static void
track_range(struct model *m, const struct snapshot *snap, size_t from,
    size_t to, size_t ahead)
{
	int32_t now = model_time(m, m->now);
	size_t i;

	ensure_socks(m, snap, to);
	for (i = from; i < to; i++) {
		/* The table is far larger than the caches: ask ahead. */
		if (i + MODEL_PREFETCH < ahead)
			model_prefetch(m, snap->socks[i + MODEL_PREFETCH].cookie);
		track_socket(m, snap, i, now);
	}
	m->tracked = to;
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
 * Pacing: whether socks[i] of snap is a carried record that the last poll
 * judged (snap->origin), unchanged since: its entry cannot have changed.
 */
static int
view_carried(const struct model *m, const struct snapshot *snap, size_t i)
{
	return snapshot_origin_of(snap, i, m->judged) != SNAPSHOT_NO_ORIGIN;
}

/* An age dt ticks later, to the tick as view_socket gives it. */
static float
age_later(float age_s, int32_t dt)
{
	return (float)((lrintf(age_s * (float)TICKS) + dt) / TICKS);
}

/*
 * A paced poll's carried records that the last poll judged: their figures
 * are the last poll's, dt ticks older, moved to where the record is now
 * (never later: the carry only drops records). The table, far larger than
 * the cache, is not read for them: most of a paced poll's sockets.
 * Returns how many.
 */
static size_t
carry_views(struct model *m, const struct snapshot *snap, int32_t dt)
{
	struct model_sock v;
	size_t i, moved = 0;

	for (i = 0; i < snap->carried && i < snap->n; i++) {
		if (!view_carried(m, snap, i))
			continue;
		v = m->socks[snap->origin[i]];
		v.age_s = age_later(v.age_s, dt);
		v.state_age_s = age_later(v.state_age_s, dt);
		v.queue_age_s = age_later(v.queue_age_s, dt);
		v.flags &= (uint8_t)~(MODEL_NEW | MODEL_INFO_LATE);
		m->socks[i] = v;
		moved++;
	}
	return moved;
}

/* The rest of a paced poll: every socket that carry_views did not take. */
static void
track_uncarried(struct model *m, const struct snapshot *snap)
{
	int32_t now = model_time(m, m->now);
	size_t i;

	for (i = 0; i < snap->n; i++) {
		if (view_carried(m, snap, i))
			continue;
		if (i + MODEL_PREFETCH < snap->n &&
		    !view_carried(m, snap, i + MODEL_PREFETCH))
			model_prefetch(m, snap->socks[i + MODEL_PREFETCH].cookie);
		track_socket(m, snap, i, now);
	}
}

/*
 * After a paced poll whose carry was not marked seen, no sweep: the marks
 * of the sockets it tracked are taken back, so that the next full poll's
 * sweep keeps only what that poll holds.
 */
static void
unmark_tracked(struct model *m, const struct snapshot *snap)
{
	struct model_entry *e;
	size_t i;

	for (i = 0; i < snap->n; i++)
		if (!view_carried(m, snap, i) &&
		    (e = find_entry(m, snap->socks[i].cookie)) != NULL)
			e->flags &= (uint16_t)~(MODEL_SEEN | MODEL_FRESH);
}

/* A new poll: its time, and whether the history still applies to it. */
static void
begin_poll(struct model *m, const struct snapshot *snap)
{
	double when = (double)snap->when.tv_sec + snap->when.tv_nsec / 1e9;

	if (strcmp(m->boot_id, snap->boot_id) != 0 ||
	    strcmp(m->netns, snap->netns) != 0) {
		model_reset(m);
		snprintf(m->boot_id, sizeof m->boot_id, "%s", snap->boot_id);
		snprintf(m->netns, sizeof m->netns, "%s", snap->netns);
	}
	if (m->polls > 0 && when < m->now)
		model_reset(m);	/* the clock went back: no age can be told */
	if (m->unswept)
		sweep(m);
	free_poll(m);
	m->snap = snap;
	m->now = when;
	if (m->base == 0)
		m->base = (int64_t)m->now;
	m->tracked = 0;
}

/*
 * A dump parsed so far into snap (from on: new since the last call, lower
 * when the dump restarted): its sockets tracked now, while the kernel
 * fills the rest, instead of after it; model_update ends the poll. The
 * snapshot's stamp and unasked states must be set before the dump, and
 * its records must not move until the update. On two cores this is the
 * reading thread's idle time: the kernel's walk is the slower.
 */
void
model_track_parsed(struct model *m, const struct snapshot *snap, size_t from)
{
	if (!m->tracking || m->snap != snap) {
		begin_poll(m, snap);
		/* Without history, room for the count the system gave (the
		   snapshot's), not one growth after another. */
		if (m->n == 0)
			model_reserve(m, snap->cap);
		m->tracking = 1;
		if (m->builder == NULL)
			m->builder = group_builder_new();
		group_builder_clear(m->builder);
	}
	group_builder_add(m->builder, snap, from);
	if (from < m->tracked)
		m->tracked = from;	/* a restart: the rest is read again */
	/* The last few wait for the sockets after them to be asked ahead. */
	if (snap->n > m->tracked + MODEL_PREFETCH)
		track_range(m, snap, m->tracked, snap->n - MODEL_PREFETCH,
		    snap->n);
}

/* Whether socks[i] of snap is tracked already (model_track_parsed). */
int
model_tracked(const struct model *m, const struct snapshot *snap, size_t i)
{
	return m->tracking && m->snap == snap && i < m->tracked;
}

/*
 * Take one poll: track its sockets, group it, and forget the cookies it no
 * longer holds. The snapshot must outlive the model's use of this poll.
 */
void
model_update(struct model *m, const struct snapshot *snap)
{
	int32_t was = model_time(m, m->now);
	int again = m->snap == snap && !m->tracking;
	int parsed = m->tracking && m->snap == snap;
	size_t early = 0, moved = 0;

	if (parsed)	/* a retry may end with fewer */
		early = m->tracked < snap->n ? m->tracked : snap->n;
	else {
		begin_poll(m, snap);
		model_reserve(m, snap->n);
	}
	m->tracking = 0;
	ensure_socks(m, snap, snap->n);
	/* A paced poll of the snapshot judged last: its carry moves on. */
	if (again && m->polls > 0 && snap->origin != NULL)
		moved = carry_views(m, snap, model_time(m, m->now) - was);
	if (moved > 0)
		track_uncarried(m, snap);
	else
		track_range(m, snap, early, snap->n, snap->n);
	late_bounds(m, snap, early, model_time(m, m->now));
	if (parsed)
		group_builder_finish(m->builder, &m->groups, snap);
	else
		group_build(&m->groups, snap);
	track_listeners(m);
	if (moved > 0)
		unmark_tracked(m, snap);
	else if (m->sweep_later)
		m->unswept = 1;
	else
		sweep(m);
	m->prev = m->now;
	m->prev_unasked = snap->unasked;
	m->judged = snap->n;
	m->polls++;
}

/*
 * Updates leave the entries their poll did not see in the table, and the
 * next poll sweeps them out before it begins. A batch run saves its model
 * after the last update and exits: the sweep (a pass that writes every
 * entry: 12 ms at a million sockets) is of no use to it, and the save
 * skips what was not seen (model_entry_live).
 */
void
model_sweep_later(struct model *m)
{
	m->sweep_later = 1;
}

/*
 * -N all: the model of several namespaces' polls merged into snap (their
 * snapshots appended in the order of parts): each part's figures in turn,
 * and snap's groups. Only what the sinks read is merged; the parts keep
 * the history.
 */
void
model_merge(struct model *m, const struct snapshot *snap,
    const struct model *const *parts, size_t n)
{
	size_t i, at = 0, len;

	if (snap->n > m->socks_cap) {
		m->socks_cap = snap->n + snap->n / 4;
		m->socks = xreallocarray(m->socks, m->socks_cap,
		    sizeof *m->socks);
	}
	for (i = 0; i < n; i++) {
		len = parts[i]->snap != NULL ? parts[i]->snap->n : 0;
		if (len > 0 && at + len <= snap->n)
			memcpy(m->socks + at, parts[i]->socks,
			    len * sizeof *m->socks);
		at += len;
	}
	m->snap = snap;
	group_free(&m->groups);
	group_build(&m->groups, snap);
}
