/*
 * resolve_async.c - peer names for the dashboard's -r: one thread asks
 * the resolver, the dashboard reads what is known so far.
 *
 * A lookup may wait for DNS for seconds; the dashboard must not. It asks
 * for a name and gets NULL (the address is shown) until the thread has
 * the answer, which a later frame shows. Bounded: at most RA_NAMES
 * addresses are remembered for the run and RA_QUEUE wait at once; beyond,
 * an address is asked for again on a later frame, or stays a number.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "resolve.h"
#include "thread.h"
#include "xmalloc.h"

#define RA_BUCKETS	1021
#define RA_NAMES	4096
#define RA_QUEUE	64

struct ra_entry {
	struct ra_entry	*next;
	uint8_t		 family;
	uint8_t		 addr[16];
	int		 done;
	char		*name;		/* NULL: none (or not yet) */
};

struct resolve_async {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	struct ra_entry	*bucket[RA_BUCKETS];
	size_t		 n;
	struct ra_entry	*queue[RA_QUEUE];
	size_t		 qhead;
	size_t		 qlen;
	int		 busy;		/* the thread is in a lookup */
	int		 stop;
};

static void *
ra_main(void *arg)
{
	struct resolve_async *r = arg;
	struct ra_entry *e;
	char *name;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		while (r->qlen == 0 && !r->stop)
			pthread_cond_wait(&r->cond, &r->lock);
		if (r->stop)
			break;
		e = r->queue[r->qhead];
		r->qhead = (r->qhead + 1) % RA_QUEUE;
		r->qlen--;
		r->busy = 1;
		pthread_mutex_unlock(&r->lock);
		name = resolve_lookup(e->family, e->addr);
		pthread_mutex_lock(&r->lock);
		r->busy = 0;
		e->name = name;
		e->done = 1;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* NULL when no thread can be started: the dashboard shows numbers. */
struct resolve_async *
resolve_async_create(void)
{
	struct resolve_async *r = xcalloc(1, sizeof *r);

	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (thread_start(&r->thread, ra_main, r) != 0) {
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->cond);
		free(r);
		return NULL;
	}
	return r;
}

static void
ra_free_entries(struct resolve_async *r)
{
	struct ra_entry *e, *next;
	size_t i;

	for (i = 0; i < RA_BUCKETS; i++)
		for (e = r->bucket[i]; e != NULL; e = next) {
			next = e->next;
			free(e->name);
			free(e);
		}
}

/*
 * The thread is stopped and joined, unless it is inside a lookup: then it
 * is left to end on its own (sockwatch is quitting and must not wait for
 * DNS), and the little it holds goes with the process.
 */
void
resolve_async_free(struct resolve_async *r)
{
	int busy;

	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	busy = r->busy;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	if (busy) {
		pthread_detach(r->thread);
		return;
	}
	pthread_join(r->thread, NULL);
	ra_free_entries(r);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r);
}

/*
 * The host name of a peer if the thread has it, else NULL, and the
 * address is queued when there is room. The name stays valid until
 * resolve_async_free.
 */
const char *
resolve_async_peer(struct resolve_async *r, int family, const uint8_t *addr)
{
	struct ra_entry *e;
	const char *name = NULL;
	size_t len;
	long h;

	if ((h = resolve_bucket(family, addr, RA_BUCKETS, &len)) < 0)
		return NULL;
	pthread_mutex_lock(&r->lock);
	for (e = r->bucket[h]; e != NULL; e = e->next)
		if (e->family == family && memcmp(e->addr, addr, len) == 0)
			break;
	if (e != NULL) {
		name = e->done ? e->name : NULL;
	} else if (r->n < RA_NAMES && r->qlen < RA_QUEUE) {
		e = xcalloc(1, sizeof *e);
		e->family = (uint8_t)family;
		memcpy(e->addr, addr, len);
		e->next = r->bucket[h];
		r->bucket[h] = e;
		r->n++;
		r->queue[(r->qhead + r->qlen++) % RA_QUEUE] = e;
		pthread_cond_signal(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
	return name;
}
