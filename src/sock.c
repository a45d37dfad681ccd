/*
 * sock.c - the snapshot array, and what a socket's record proves. The
 * names of states and timers are in sock_names.c.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "sock.h"
#include "xmalloc.h"

#define SNAPSHOT_MIN_CAP 1024
#define POPULATE_RECS	4096	/* records faulted in at once: 300 KiB */

void
snapshot_init(struct snapshot *snap)
{
	memset(snap, 0, sizeof *snap);
}

void
snapshot_clear(struct snapshot *snap)
{
	snap->n = 0;
}

void
snapshot_free(struct snapshot *snap)
{
	if (snap == NULL)
		return;
	free(snap->socks);
	free(snap->info);
	free(snap->mem);
	free(snap->origin);
	snapshot_init(snap);
}

/*
 * Ask for exactly these optional arrays: one not wanted is freed, so that a
 * dump without tcp_info does not keep (and fill) the last one's.
 */
void
snapshot_want_only(struct snapshot *snap, int want_info, int want_mem)
{
	if (!want_info) {
		free(snap->info);
		snap->info = NULL;
	}
	if (!want_mem) {
		free(snap->mem);
		snap->mem = NULL;
	}
	snap->info_all = want_info;
	snapshot_want(snap, want_info, want_mem);
}

/*
 * tcp_info asked of every socket fills its array from one end, as the
 * records do, and most of it (every socket but TIME_WAIT's and request
 * sockets'): huge pages, faulted in ahead with the records (see populate).
 * Asked of a few, it stays where it is, its pages untouched.
 */
static void
advise_info(struct snapshot *snap)
{
	if (snap->info_all && snap->info != NULL)
		advise_huge(snap->info, snap->cap * sizeof *snap->info);
}

/* Ask for the optional arrays; they follow the capacity of the main one. */
void
snapshot_want(struct snapshot *snap, int want_info, int want_mem)
{
	if (want_info && snap->info == NULL && snap->cap > 0) {
		snap->info = xcalloc(snap->cap, sizeof *snap->info);
		advise_info(snap);
	}
	if (want_mem && snap->mem == NULL && snap->cap > 0)
		snap->mem = xcalloc(snap->cap, sizeof *snap->mem);
	if (want_info && snap->info == NULL)
		snap->info = xcalloc(1, sizeof *snap->info);
	if (want_mem && snap->mem == NULL)
		snap->mem = xcalloc(1, sizeof *snap->mem);
}

static void
snapshot_resize(struct snapshot *snap, size_t cap)
{
	snap->socks = xreallocarray(snap->socks, cap, sizeof *snap->socks);
	advise_huge(snap->socks, cap * sizeof *snap->socks);
	if (snap->info != NULL)
		snap->info = xreallocarray(snap->info, cap, sizeof *snap->info);
	snap->cap = cap;
	advise_info(snap);
	if (snap->mem != NULL)
		snap->mem = xreallocarray(snap->mem, cap, sizeof *snap->mem);
	if (snap->origin != NULL)
		snap->origin = xreallocarray(snap->origin, cap,
		    sizeof *snap->origin);
}

static void
snapshot_grow(struct snapshot *snap)
{
	snapshot_resize(snap, snap->cap < SNAPSHOT_MIN_CAP ? SNAPSHOT_MIN_CAP :
	    snap->cap * 2);
}

/*
 * Room for n records, made before a dump that will hold about that many:
 * an array that doubles while it is filled is moved each time (mremap),
 * and in a guest whose page tables the host shadows, every page moved
 * costs a fault again at its first touch after.
 */
void
snapshot_reserve(struct snapshot *snap, size_t n)
{
	if (n > snap->cap)
		snapshot_resize(snap, n);
}

/*
 * A zeroed record at the end of the array; its index through *index. Its
 * tcp_info and memory figures are left as they are: only the flags make
 * them valid, and most sockets have neither (TIME_WAIT, request sockets,
 * all but the listeners' memory), so their pages are never touched.
 */
struct sock_rec *
snapshot_add(struct snapshot *snap, size_t *index)
{
	struct sock_rec *s;

	if (snap->n == snap->cap)
		snapshot_grow(snap);
	/* Fault in the next records' pages at once, not one by one. */
	if (snap->n % POPULATE_RECS == 0) {
		size_t k = snap->cap - snap->n < POPULATE_RECS ?
		    snap->cap - snap->n : POPULATE_RECS;

		populate(&snap->socks[snap->n], k * sizeof *snap->socks);
		if (snap->info_all)
			populate(&snap->info[snap->n], k * sizeof *snap->info);
	}
	if (snap->origin != NULL)
		snap->origin[snap->n] = SNAPSHOT_NO_ORIGIN;
	*index = snap->n++;
	s = &snap->socks[*index];
	memset(s, 0, sizeof *s);
	return s;
}

/*
 * Append record i of `from`, with its tcp_info and memory figures when both
 * snapshots hold them (its flags say which came along).
 */
struct sock_rec *
snapshot_append(struct snapshot *snap, const struct snapshot *from, size_t i)
{
	struct sock_rec *s;
	size_t at;

	s = snapshot_add(snap, &at);
	*s = from->socks[i];
	if (snap->info == NULL || from->info == NULL)
		s->flags &= (uint8_t)~SOCK_HAS_INFO;
	else if (s->flags & SOCK_HAS_INFO)
		snap->info[at] = from->info[i];
	if (snap->mem == NULL || from->mem == NULL)
		s->flags &= (uint8_t)~SOCK_HAS_MEM;
	else if (s->flags & SOCK_HAS_MEM)
		snap->mem[at] = from->mem[i];
	return s;
}

void
snapshot_truncate(struct snapshot *snap, size_t n)
{
	if (n < snap->n)
		snap->n = n;
}

/*
 * Keep the records keep() accepts, in their order, with their tcp_info and
 * memory figures.
 */
void
snapshot_select(struct snapshot *snap,
    int (*keep)(const struct sock_rec *, void *), void *arg)
{
	size_t i, n = 0;

	for (i = 0; i < snap->n; i++) {
		if (!keep(&snap->socks[i], arg))
			continue;
		if (n != i) {
			snap->socks[n] = snap->socks[i];
			if (snap->socks[n].flags & SOCK_HAS_INFO)
				snap->info[n] = snap->info[i];
			if (snap->socks[n].flags & SOCK_HAS_MEM)
				snap->mem[n] = snap->mem[i];
			if (snap->origin != NULL)
				snap->origin[n] = snap->origin[i];
		}
		n++;
	}
	snap->n = n;
}

/*
 * Pacing, before a poll's carry is made from snap (the last poll's, as
 * judged then): every record is where it was, except those looked up
 * again since (SOCK_REFRESHED), which are not what was judged. The carry
 * moves and drops records (snapshot_select), and adds others
 * (snapshot_add): the origins follow.
 */
void
snapshot_origin_begin(struct snapshot *snap)
{
	size_t i;

	if (snap->origin == NULL)
		snap->origin = xreallocarray(NULL, snap->cap + 1,
		    sizeof *snap->origin);
	for (i = 0; i < snap->n; i++) {
		snap->origin[i] = (snap->socks[i].flags & SOCK_REFRESHED) ?
		    SNAPSHOT_NO_ORIGIN : (uint32_t)i;
		snap->socks[i].flags &= (uint8_t)~SOCK_REFRESHED;
	}
}

/* Record i is no longer the one judged at the last poll. */
void
snapshot_origin_forget(struct snapshot *snap, size_t i)
{
	if (snap->origin != NULL)
		snap->origin[i] = SNAPSHOT_NO_ORIGIN;
}

struct keep_args {
	int		families;
	uint32_t	states;
};

static int
keep_family_state(const struct sock_rec *s, void *arg)
{
	const struct keep_args *k = arg;
	int fam = s->family == AF_INET ? 1 : 2;

	return (k->families & fam) && (k->states & TS_BIT(s->state));
}

/*
 * Keep only the sockets of the given families (bit 0 IPv4, bit 1 IPv6) and
 * states. The kernel already selects them live; a replay needs this.
 */
void
snapshot_keep(struct snapshot *snap, int families, uint32_t states)
{
	struct keep_args k = { families, states };

	snapshot_select(snap, keep_family_state, &k);
}

/*
 * A cookie index: its count, then the (cookie, index) pairs sorted by
 * cookie, side by side so that neither the sort nor a look-up reads the
 * records, which at 300,000 sockets are far larger than the caches.
 */
struct cookie_pair {
	uint64_t	cookie;
	uint64_t	index;
};

static int
compare_cookie_pair(const void *pa, const void *pb)
{
	uint64_t a = ((const struct cookie_pair *)pa)->cookie;
	uint64_t b = ((const struct cookie_pair *)pb)->cookie;

	return a < b ? -1 : a > b;
}

/*
 * The snapshot's sockets sorted by cookie, after their count: the index is
 * only good for a snapshot of that many sockets. Read it with
 * snapshot_find_cookie; free it with free().
 */
uint32_t *
snapshot_cookie_index(const struct snapshot *snap)
{
	struct cookie_pair *p = xreallocarray(NULL, snap->n + 1, sizeof *p);
	size_t i;

	memset(p, 0, sizeof *p);
	*(uint32_t *)p = (uint32_t)snap->n;
	for (i = 0; i < snap->n; i++) {
		p[i + 1].cookie = snap->socks[i].cookie;
		p[i + 1].index = i;
	}
	if (snap->n > 1)
		qsort(p + 1, snap->n, sizeof *p, compare_cookie_pair);
	return (uint32_t *)p;
}

/* The index of the socket with this cookie (idx from snapshot_cookie_index). */
long
snapshot_find_cookie(const struct snapshot *snap, const uint32_t *idx,
    uint64_t cookie)
{
	const struct cookie_pair *p = (const struct cookie_pair *)idx + 1;
	size_t lo = 0, hi = snap->n, mid;

	/* A stale index would read, and its caller write, past the array. */
	if (idx[0] != snap->n)
		fatal("cookie index of %u sockets used for %zu", idx[0],
		    snap->n);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p[mid].cookie < cookie)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < snap->n && p[lo].cookie == cookie)
		return (long)p[lo].index;
	return -1;
}

/*
 * Copy the tcp_info of `from`'s sockets onto the sockets of snap with the
 * same cookie (idx from snapshot_cookie_index); returns how many.
 */
size_t
snapshot_merge_info(struct snapshot *snap, const uint32_t *idx,
    const struct snapshot *from)
{
	size_t i, merged = 0;
	long at;

	for (i = 0; i < from->n; i++) {
		if (!(from->socks[i].flags & SOCK_HAS_INFO) ||
		    (at = snapshot_find_cookie(snap, idx,
		    from->socks[i].cookie)) < 0)
			continue;
		snapshot_want(snap, 1, 0);
		snap->info[at] = from->info[i];
		snap->socks[at].flags |= SOCK_HAS_INFO;
		merged++;
	}
	return merged;
}

/*
 * The same for a `from` far smaller than snap (a dump of a few states for
 * their tcp_info): only from is sorted, and only snap's sockets in the
 * states from holds look it up, instead of sorting every socket of snap.
 */
size_t
snapshot_take_info(struct snapshot *snap, const struct snapshot *from)
{
	uint32_t *idx = snapshot_cookie_index(from), states = 0;
	size_t i, merged = 0;
	long at;

	for (i = 0; i < from->n; i++)
		if (from->socks[i].flags & SOCK_HAS_INFO)
			states |= TS_BIT(from->socks[i].state);
	if (states != 0)
		snapshot_want(snap, 1, 0);
	for (i = 0; i < snap->n && states != 0; i++) {
		if (!(states & TS_BIT(snap->socks[i].state)) ||
		    (at = snapshot_find_cookie(from, idx,
		    snap->socks[i].cookie)) < 0 ||
		    !(from->socks[at].flags & SOCK_HAS_INFO))
			continue;
		snap->info[i] = from->info[at];
		snap->socks[i].flags |= SOCK_HAS_INFO;
		merged++;
	}
	free(idx);
	return merged;
}

/*
 * A carried socket (SOCK_CARRIED) looked up again: `now` is the kernel's
 * record of it (NULL when gone) and info its tcp_info. Queues, timer and
 * tcp_info are taken when it is still in its state (one that left it shows
 * in the next poll); either way it is not looked up again. Returns whether
 * anything was taken.
 */
int
snapshot_refresh(struct snapshot *snap, size_t i, const struct sock_rec *now,
    const struct sock_info *info)
{
	struct sock_rec *s = &snap->socks[i];

	s->flags &= (uint8_t)~SOCK_CARRIED;
	if (now == NULL || now->cookie != s->cookie || now->state != s->state)
		return 0;
	s->flags |= SOCK_REFRESHED;
	s->rqueue = now->rqueue;
	s->wqueue = now->wqueue;
	s->timer = now->timer;
	s->expires_ms = now->expires_ms;
	s->retrans = now->retrans;
	if ((s->flags & SOCK_HAS_INFO) && info != NULL)
		snap->info[i] = *info;
	return 1;
}

#define JIFFY_MS	10	/* tcp_info's times may overstate by a tick */

/*
 * Seconds tcp_info proves the socket has existed (state_age: has been in
 * its state), 0 if it proves nothing. The last send, receive and ACK are
 * stamped when the handshake completes, that is when ESTABLISHED begins,
 * so the longest of them is a lower bound of the age; before the
 * handshake, and on a listener, they are not stamped and mean nothing. In
 * CLOSE_WAIT and FIN_WAIT2 the state began with a segment that carried an
 * ACK (the peer's FIN, the ACK of ours): the last ACK came then or later.
 */
double
sock_proven_age(const struct sock_rec *s, const struct sock_info *t,
    int state_age)
{
	uint32_t ms = t->last_ack_recv_ms;
	int all = !state_age || s->state == TS_ESTABLISHED;

	if (!(TS_BIT(s->state) & SOCK_STAMPED))
		return 0;
	if (!all && s->state != TS_CLOSE_WAIT && s->state != TS_FIN_WAIT2)
		return 0;
	if (all) {
		if (t->last_data_sent_ms > ms)
			ms = t->last_data_sent_ms;
		if (t->last_data_recv_ms > ms)
			ms = t->last_data_recv_ms;
	}
	return ms > JIFFY_MS ? (ms - JIFFY_MS) / 1000.0 : 0;
}
