/*
 * pace.c - which polls ask the kernel for every socket, and what stands in
 * for the bulk between them (see pace.h).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pace.h"
#include "xmalloc.h"

enum { RUN_NONE, RUN_FULL, RUN_PART };

void
pace_init(struct pace *p, double budget)
{
	memset(p, 0, sizeof *p);
	p->budget = budget;
	p->full_cost = -1;
	p->part_cost = -1;
	p->every = 1;
	snapshot_init(&p->follow);
}

void
pace_free(struct pace *p)
{
	snapshot_free(&p->follow);
}

/* Costs move with load and with what the screen shows: follow them. */
static void
follow(double *average, double cost)
{
	*average = *average < 0 ? cost : (*average + cost) / 2;
}

/* The cycle that began with the last decision has ended; it cost this. */
void
pace_cost(struct pace *p, double cpu_seconds)
{
	if (p->running == RUN_FULL)
		follow(&p->full_cost, cpu_seconds);
	else if (p->running == RUN_PART)
		follow(&p->part_cost, cpu_seconds);
}

/*
 * The fewest polls per full one that keep the average cycle within
 * `allowed`: k cycles cost full + (k - 1) * part.
 */
static unsigned
pace_every(const struct pace *p, double allowed)
{
	double k;

	if (p->full_cost < 0 || p->full_cost <= allowed)
		return 1;
	if (p->part_cost < 0)
		return 2;		/* one part, to learn what it costs */
	if (p->part_cost >= allowed)
		return PACE_MAX_EVERY;
	k = ceil((p->full_cost - p->part_cost) / (allowed - p->part_cost));
	if (k < 2)
		return 2;
	return k > PACE_MAX_EVERY ? PACE_MAX_EVERY : (unsigned)k;
}

static double
seconds_between(const struct timespec *from, const struct timespec *to)
{
	return (double)(to->tv_sec - from->tv_sec) +
	    (double)(to->tv_nsec - from->tv_nsec) / 1e9;
}

/*
 * Whether the poll starting `now`, with `interval` seconds to the next one,
 * asks for every socket. force: the caller needs every socket fresh (after
 * a kill). Without a carry from a full poll there is nothing to stand in,
 * and a carry older than the promised `every` polls (after a pause) would
 * show sockets long gone: full.
 */
int
pace_full(struct pace *p, const struct timespec *now, double interval,
    int force)
{
	int full;

	p->allowed = p->budget * interval;
	p->every = p->budget > 0 ? pace_every(p, p->allowed) : 1;
	p->over = p->every == PACE_MAX_EVERY && p->part_cost >= 0 &&
	    p->full_cost + (PACE_MAX_EVERY - 1) * p->part_cost >
	    PACE_MAX_EVERY * p->allowed;
	full = force || p->every == 1 || p->full_when.tv_sec == 0 ||
	    p->since_full + 1 >= p->every ||
	    seconds_between(&p->full_when, now) >= p->every * interval;
	p->since_full = full ? 0 : p->since_full + 1;
	p->running = full ? RUN_FULL : RUN_PART;
	return full;
}

/*
 * After a full poll: its bulk, left where it is in the caller's snapshot,
 * stands in for the bulk at the polls after it (see pace_carry).
 */
void
pace_keep(struct pace *p, const struct snapshot *snap)
{
	memset(&p->full_when, 0, sizeof p->full_when);
	p->carry_when = p->full_when;
	if (p->every == 1 && p->full_cost >= 0 &&
	    p->full_cost < p->allowed / 2)
		return;			/* far within the budget: no need */
	p->full_when = snap->when;
	p->carry_when = snap->when;
}

static int
in_bulk(const struct sock_rec *s)
{
	return (PACE_BULK_STATES & TS_BIT(s->state)) != 0;
}

static uint32_t
elapsed_ms(const struct timespec *from, const struct timespec *to)
{
	double ms = seconds_between(from, to) * 1e3;

	return ms <= 0 ? 0 : ms >= 4e9 ? UINT32_MAX : (uint32_t)ms;
}

/*
 * What decides whether a carried socket still stands. Few carried sockets
 * are in the dump, so a bitmap of its cookies (16 bits a socket, a few in
 * a hundred false) answers most of them before the index is searched.
 */
struct carry_check {
	const struct snapshot	*snap;
	uint32_t		*idx;
	uint64_t		*bits;
	size_t			 mask;		/* bit count - 1 */
	uint32_t		 elapsed;
};

static size_t
cookie_bit(const struct carry_check *k, uint64_t cookie)
{
	return (size_t)((cookie * 0x9e3779b97f4a7c15ULL) >> 20) & k->mask;
}

static void
carry_check_init(struct carry_check *k, const struct snapshot *snap)
{
	size_t nbits = 1024, i, b;

	while (nbits < 16 * snap->n)
		nbits *= 2;
	k->snap = snap;
	k->idx = snapshot_cookie_index(snap);
	k->bits = xcalloc(nbits / 64, sizeof *k->bits);
	k->mask = nbits - 1;
	for (i = 0; i < snap->n; i++) {
		b = cookie_bit(k, snap->socks[i].cookie);
		k->bits[b / 64] |= 1ULL << (b % 64);
	}
}

static int
in_dump(const struct carry_check *k, uint64_t cookie)
{
	size_t b = cookie_bit(k, cookie);

	if (!(k->bits[b / 64] & (1ULL << (b % 64))))
		return 0;
	return snapshot_find_cookie(k->snap, k->idx, cookie) >= 0;
}

static int
still_carried(const struct sock_rec *c, void *arg)
{
	const struct carry_check *k = arg;

	if (!in_bulk(c))
		return 0;		/* the last dump's: this one has it anew */
	if (in_dump(k, c->cookie))
		return 0;		/* it left the bulk: the dump has it */
	if (c->state == TS_TIME_WAIT && c->expires_ms <= k->elapsed)
		return 0;		/* its 2 MSL are over: the kernel freed it */
	return 1;
}

/*
 * After a poll without the bulk: snap, the caller's last snapshot, keeps
 * its bulk (the carry) in place, its timers counted down to the dump's
 * time, and the dump is appended after it. Only the small dump is copied,
 * never the carry. Returns how many sockets were carried.
 */
size_t
pace_carry(struct pace *p, struct snapshot *snap, const struct snapshot *dump)
{
	struct carry_check k;
	size_t i, n;

	carry_check_init(&k, dump);
	k.elapsed = elapsed_ms(&p->carry_when, &dump->when);
	snapshot_select(snap, still_carried, &k);
	free(k.idx);
	free(k.bits);
	for (i = 0; i < snap->n; i++) {
		struct sock_rec *s = &snap->socks[i];

		s->flags |= SOCK_CARRIED;
		if (s->timer != TIMER_NONE)
			s->expires_ms = s->expires_ms > k.elapsed ?
			    s->expires_ms - k.elapsed : 0;
	}
	/* By what was counted down, whole milliseconds, so that nothing is
	   lost to rounding over the polls; a clock stepped back, nothing. */
	p->carry_when.tv_sec += k.elapsed / 1000;
	p->carry_when.tv_nsec += (long)(k.elapsed % 1000) * 1000000L;
	if (p->carry_when.tv_nsec >= 1000000000L) {
		p->carry_when.tv_sec++;
		p->carry_when.tv_nsec -= 1000000000L;
	}
	n = snap->n;
	snapshot_want(snap, dump->info != NULL, dump->mem != NULL);
	for (i = 0; i < dump->n; i++)
		snapshot_append(snap, dump, i);
	snap->when = dump->when;
	return n;
}

/*
 * After a poll, before anything is carried into snap: remember its sockets
 * on their way into the bulk, for pace_follow at the next poll.
 */
void
pace_remember(struct pace *p, const struct snapshot *snap)
{
	size_t i;

	snapshot_clear(&p->follow);
	for (i = 0; i < snap->n; i++)
		if (PACE_INTO_BULK & TS_BIT(snap->socks[i].state))
			snapshot_append(&p->follow, snap, i);
}

/*
 * After a poll without the bulk: the remembered sockets missing from the
 * dump went into the bulk, or are gone. look() asks the kernel for one (0
 * and *out when found); those found in the bulk join the carry in snap.
 * Returns how many were looked up, or -1 when more than PACE_MAX_FOLLOW
 * were missing: the next poll had better be full.
 */
long
pace_follow(struct pace *p, const struct snapshot *dump, struct snapshot *snap,
    int (*look)(void *, const struct sock_rec *, struct sock_rec *),
    void *arg)
{
	uint32_t *idx = snapshot_cookie_index(dump);
	struct sock_rec found, *s;
	size_t i, at;
	long n = 0;

	for (i = 0; i < p->follow.n; i++) {
		if (snapshot_find_cookie(dump, idx, p->follow.socks[i].cookie) >= 0)
			continue;
		if (++n > PACE_MAX_FOLLOW) {
			n = -1;
			break;
		}
		if (look(arg, &p->follow.socks[i], &found) < 0 ||
		    !in_bulk(&found))
			continue;
		s = snapshot_add(snap, &at);
		*s = found;
		s->flags &= (uint8_t)~(SOCK_HAS_INFO | SOCK_HAS_MEM);
	}
	free(idx);
	return n;
}

/* What pace_forget drops: a mark per record of snap. */
static int
not_marked(const struct sock_rec *s, void *arg)
{
	const struct snapshot *snap = ((const struct snapshot **)arg)[0];
	const uint8_t *drop = ((const uint8_t **)arg)[1];

	return !drop[s - snap->socks];
}

/*
 * After a poll without the bulk, before pace_carry: the carried sockets
 * (snap's bulk) that the kernel said it freed (gone, from the sock_diag
 * destroy groups) leave the carry at once, not at the next full poll. The
 * socket of a cookie may live on in the bulk (a TIME_WAIT socket keeps the
 * cookie of the one it replaces), so each is looked up; found in the bulk,
 * it is carried as it is now. Returns how many were looked up, or -1 when
 * more than PACE_MAX_FOLLOW: the next poll had better be full.
 */
long
pace_forget(struct pace *p, struct snapshot *snap, const struct snapshot *gone,
    int (*look)(void *, const struct sock_rec *, struct sock_rec *),
    void *arg)
{
	uint32_t *idx;
	uint8_t *drop;
	const void *sel[2];
	struct sock_rec found, *c;
	size_t i;
	long n = 0;

	(void)p;
	if (gone->n == 0 || snap->n == 0)
		return 0;
	idx = snapshot_cookie_index(gone);
	drop = xcalloc(snap->n, 1);
	for (i = 0; i < snap->n && n >= 0; i++) {
		c = &snap->socks[i];
		if (!in_bulk(c) ||
		    snapshot_find_cookie(gone, idx, c->cookie) < 0)
			continue;
		if (++n > PACE_MAX_FOLLOW)
			n = -1;
		else if (look(arg, c, &found) == 0 && in_bulk(&found)) {
			*c = found;
			c->flags &= (uint8_t)~(SOCK_HAS_INFO | SOCK_HAS_MEM);
			snapshot_origin_forget(snap, i);
		} else
			drop[i] = 1;
	}
	sel[0] = snap;
	sel[1] = drop;
	snapshot_select(snap, not_marked, sel);
	free(drop);
	free(idx);
	return n;
}
