/*
 * diag_reader.c - read a sock_diag dump on one thread, parse it on another.
 *
 * The kernel walks its socket tables inside recvmsg(): each read fills the
 * next datagram. Read and parse on one thread, and the parse waits for the
 * walk and the walk for the parse. Here a reader thread only reads, into
 * blocks of a few dozen datagrams that it hands over in order, while the
 * caller parses the blocks before: on a machine with two cores our work
 * hides under the kernel's. The reader stops at the datagram that ends the
 * dump (NLMSG_DONE or NLMSG_ERROR) or at a failed read; it never parses.
 *
 * The blocks come from a pool mapped once, when the socket opens
 * (diag_blocks): a reader that asked malloc for a block in the middle of
 * the walk grew its arena with mprotect(), which waits for the process's
 * mmap lock, and the parsing thread holds that lock while it faults in
 * the snapshot's huge pages. At a million sockets the walk stood still for
 * a fifth of its time. Faulting in a block's pages takes only the lock
 * of its own mapping.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>

#include "diag_reader.h"
#include "log.h"
#include "thread.h"
#include "xmalloc.h"

#define BLOCK_BYTES	((size_t)1 << 20)	/* with its header: pages apart */
#define BLOCKS_AHEAD	64	/* then the reader waits: 64 MiB at most */
/* Those, the one being filled and the caller's: all a reader holds. */
#define BLOCKS		(BLOCKS_AHEAD + 2)
#define BLOCKS_KEPT	2	/* kept faulted in between dumps */
#define ALIGN8(n)	(((n) + 7) & ~(size_t)7)

/* Datagrams one after the other, each after its length. */
struct block {
	struct block	*next;
	size_t		 used;
	size_t		 at;		/* the caller's read position */
	char		 data[];
};

#define BLOCK_DATA	(BLOCK_BYTES - sizeof(struct block))

/*
 * The blocks' memory, reserved, not faulted in until a block is used: on
 * huge pages where the kernel has them, since the reader, whose walk is
 * the dump's pace, is the thread that takes each block's fresh pages (in
 * a guest whose page tables the host shadows, a fault on every 4 KiB of a
 * block: see advise_huge).
 */
struct diag_blocks {
	char		*map;		/* as mapped: base, aligned, is inside */
	char		*base;
	size_t		 used;		/* blocks handed out since the last trim */
};

#define POOL_BYTES	(BLOCKS * BLOCK_BYTES)
#define MAP_BYTES	(POOL_BYTES + HUGE_PAGE)

struct diag_reader {
	struct diag_blocks *pool;
	int		 fd;
	size_t		 maxlen;	/* of one datagram */
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	struct block	*head, *tail;	/* read, not yet parsed */
	struct block	*spare;		/* parsed, to read into again */
	struct block	*cur;		/* the caller's */
	size_t		 queued;
	int		 done;		/* the reader has stopped */
	int		 err;		/* why, if a read failed */
};

struct diag_blocks *
diag_blocks_new(void)
{
	struct diag_blocks *p = xcalloc(1, sizeof *p);

	p->map = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p->map == MAP_FAILED)
		fatal("out of memory mapping %zu bytes", MAP_BYTES);
	p->base = (char *)(((uintptr_t)p->map + HUGE_PAGE - 1) &
	    ~(uintptr_t)(HUGE_PAGE - 1));
	advise_huge(p->base, POOL_BYTES);
	return p;
}

void
diag_blocks_free(struct diag_blocks *p)
{
	if (p == NULL)
		return;
	munmap(p->map, MAP_BYTES);
	free(p);
}

/*
 * After a dump: the blocks past the first few go back to the kernel, so
 * that one slow parse does not keep its backlog's memory for good.
 */
static void
blocks_trim(struct diag_blocks *p)
{
	if (p->used > BLOCKS_KEPT)
		(void)madvise(p->base + BLOCKS_KEPT * BLOCK_BYTES,
		    (p->used - BLOCKS_KEPT) * BLOCK_BYTES, MADV_DONTNEED);
	p->used = 0;
}

/* The next block to fill: a parsed one, else one not used yet. */
static struct block *
block_get(struct diag_reader *r)
{
	struct block *b;

	pthread_mutex_lock(&r->lock);
	while (r->queued >= BLOCKS_AHEAD)
		pthread_cond_wait(&r->cond, &r->lock);
	if ((b = r->spare) != NULL)
		r->spare = b->next;
	else
		b = (struct block *)(void *)(r->pool->base +
		    r->pool->used++ * BLOCK_BYTES);
	pthread_mutex_unlock(&r->lock);
	b->next = NULL;
	b->used = b->at = 0;
	return b;
}

static void
block_put(struct diag_reader *r, struct block *b, int done, int err)
{
	pthread_mutex_lock(&r->lock);
	if (b != NULL && b->used > 0) {
		if (r->tail != NULL)
			r->tail->next = b;
		else
			r->head = b;
		r->tail = b;
		r->queued++;
	} else if (b != NULL) {
		b->next = r->spare;
		r->spare = b;
	}
	r->done = done;
	r->err = err;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

/* Whether this datagram holds the last message of the dump. */
int
diag_reader_dump_ended(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
			return 1;
	return 0;
}

static void *
reader_main(void *arg)
{
	struct diag_reader *r = arg;
	struct block *b = block_get(r);
	size_t need = sizeof(size_t) + ALIGN8(r->maxlen);
	ssize_t len;
	char *p;

	for (;;) {
		if (BLOCK_DATA - b->used < need) {
			block_put(r, b, 0, 0);
			b = block_get(r);
		}
		p = b->data + b->used;
		len = recv(r->fd, p + sizeof(size_t), r->maxlen, 0);
		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0) {
			block_put(r, b, 1, len < 0 ? errno : EPIPE);
			return NULL;
		}
		memcpy(p, &(size_t){ (size_t)len }, sizeof(size_t));
		b->used += sizeof(size_t) + ALIGN8((size_t)len);
		if (diag_reader_dump_ended(p + sizeof(size_t), (size_t)len)) {
			block_put(r, b, 1, 0);
			return NULL;
		}
	}
}

/*
 * Start reading the reply to the request just sent on fd, datagrams of
 * maxlen bytes at most. NULL if no thread could be made: read it here.
 */
struct diag_reader *
diag_reader_start(int fd, size_t maxlen, struct diag_blocks *pool)
{
	struct diag_reader *r = xcalloc(1, sizeof *r);

	r->pool = pool;
	r->fd = fd;
	r->maxlen = maxlen;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (thread_start(&r->thread, reader_main, r) != 0) {
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->cond);
		free(r);
		return NULL;
	}
	return r;
}

/*
 * The next datagram of the dump and its length; NULL after the last, with
 * *err the errno of a failed read or 0 when the dump ended.
 */
const void *
diag_reader_next(struct diag_reader *r, size_t *len, int *err)
{
	struct block *b = r->cur;
	const char *p;

	if (b != NULL && b->at >= b->used) {
		pthread_mutex_lock(&r->lock);
		b->next = r->spare;
		r->spare = b;
		pthread_mutex_unlock(&r->lock);
		b = r->cur = NULL;
	}
	if (b == NULL) {
		pthread_mutex_lock(&r->lock);
		while (r->head == NULL && !r->done)
			pthread_cond_wait(&r->cond, &r->lock);
		if ((b = r->head) != NULL) {
			if ((r->head = b->next) == NULL)
				r->tail = NULL;
			r->queued--;
			pthread_cond_broadcast(&r->cond);
		}
		*err = r->err;
		pthread_mutex_unlock(&r->lock);
		if ((r->cur = b) == NULL)
			return NULL;
	}
	p = b->data + b->at;
	memcpy(len, p, sizeof *len);
	b->at += sizeof(size_t) + ALIGN8(*len);
	return p + sizeof(size_t);
}

/* Wait for the reader to reach the end of the dump, and free it all. */
void
diag_reader_finish(struct diag_reader *r)
{
	size_t len;
	int err, saved = errno;

	if (r == NULL)
		return;
	while (diag_reader_next(r, &len, &err) != NULL)
		;
	pthread_join(r->thread, NULL);
	blocks_trim(r->pool);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r);
	errno = saved;
}
