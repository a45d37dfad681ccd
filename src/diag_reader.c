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
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>

#include "diag_reader.h"
#include "thread.h"
#include "xmalloc.h"

#define BLOCK_SIZE	(1u << 20)
#define BLOCKS_AHEAD	64	/* then the reader waits: 64 MiB at most */
#define ALIGN8(n)	(((n) + 7) & ~(size_t)7)

/* Datagrams one after the other, each after its length. */
struct block {
	struct block	*next;
	size_t		 used;
	size_t		 at;		/* the caller's read position */
	char		 data[];
};

struct diag_reader {
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

static struct block *
block_get(struct diag_reader *r)
{
	struct block *b;

	pthread_mutex_lock(&r->lock);
	while (r->queued >= BLOCKS_AHEAD)
		pthread_cond_wait(&r->cond, &r->lock);
	if ((b = r->spare) != NULL)
		r->spare = b->next;
	pthread_mutex_unlock(&r->lock);
	if (b == NULL)
		b = xmalloc(sizeof *b + BLOCK_SIZE);
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
		if (BLOCK_SIZE - b->used < need) {
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
diag_reader_start(int fd, size_t maxlen)
{
	struct diag_reader *r = xcalloc(1, sizeof *r);

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
	struct block *b, *next;
	size_t len;
	int err, saved = errno;

	if (r == NULL)
		return;
	while (diag_reader_next(r, &len, &err) != NULL)
		;
	pthread_join(r->thread, NULL);
	for (b = r->spare; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r);
	errno = saved;
}
