/*
 * batch_lines.c - the socket listing's lines, formatted on two threads.
 *
 * Once the dump has ended, the second core has nothing to do, and a
 * million lines take longer to format than the kernel took to walk its
 * tables. The listing is cut into chunks: this thread formats the even
 * ones straight into the output, a helper the odd ones into memory, and
 * each odd chunk is written after the even one before it, so the bytes
 * are those one thread would have written. The helper keeps at most two
 * chunks ahead, into two buffers it keeps, so the memory is bounded
 * whatever the population and fresh pages are not faulted in per chunk.
 *
 * Rows come in sorted order, which jumps all over a snapshot far larger
 * than the cache at a million sockets: the records some rows ahead are
 * asked for early (batch_prefetch), or each row waits for its own.
 *
 * A line must be pure: it reads the report and writes into its own out.
 * A report that asks something shared while it is formatted (-r's
 * resolver and its cache) is written on one thread.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "thread.h"
#include "xmalloc.h"

#define CHUNK_LINES	8192
#define SPLIT_MIN	(4 * CHUNK_LINES)	/* shorter: one thread */
#define AHEAD		2			/* the helper's chunks in memory */

/* A chunk's bytes: a buffer that keeps its size between chunks. */
struct membuf {
	char	*p;
	size_t	 len, cap;
};

struct slot {
	struct membuf	 mem;
	FILE		*f;		/* writes into mem */
	int		 ready;		/* formatted, not yet written */
	int		 failed;	/* not formatted: the writer formats it */
};

struct lines_job {
	const struct report	*r;
	batch_line_fn		 line;
	void			*arg;
	size_t			 nchunks;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct slot		 slot[AHEAD];	/* odd chunk c in slot (c/2) % AHEAD */
	size_t			 written;	/* odd chunks written so far */
};

static ssize_t
membuf_write(void *cookie, const char *buf, size_t n)
{
	struct membuf *m = cookie;

	if (n > m->cap - m->len) {
		while (n > m->cap - m->len)
			m->cap = m->cap == 0 ? (1u << 20) : m->cap * 2;
		m->p = xreallocarray(m->p, m->cap, 1);
	}
	memcpy(m->p + m->len, buf, n);
	m->len += n;
	return (ssize_t)n;
}

static void
format_chunk(struct out *o, const struct lines_job *job, size_t c)
{
	const struct report *r = job->r;
	size_t k, end = (c + 1) * CHUNK_LINES;

	if (end > r->norder)
		end = r->norder;
	for (k = c * CHUNK_LINES; k < end; k++) {
		batch_prefetch(r, k);
		job->line(o, r, k, job->arg);
	}
}

static void *
helper_main(void *arg)
{
	struct lines_job *job = arg;
	struct out *o = xmalloc(sizeof *o);
	struct slot *sl;
	size_t j, c;
	int ok;

	for (j = 0; (c = 2 * j + 1) < job->nchunks; j++) {
		sl = &job->slot[j % AHEAD];
		pthread_mutex_lock(&job->lock);
		while (j >= job->written + AHEAD)
			pthread_cond_wait(&job->cond, &job->lock);
		pthread_mutex_unlock(&job->lock);
		sl->mem.len = 0;
		ok = sl->f != NULL;
		if (ok) {
			out_init(o, sl->f);
			format_chunk(o, job, c);
			ok = out_flush(o) == 0;
		}
		pthread_mutex_lock(&job->lock);
		sl->failed = !ok;
		sl->ready = 1;
		pthread_cond_broadcast(&job->cond);
		pthread_mutex_unlock(&job->lock);
	}
	free(o);
	return NULL;
}

/* Write the helper's j-th chunk (chunk 2j + 1) once it is formatted. */
static void
write_helper_chunk(struct out *o, struct lines_job *job, size_t j)
{
	struct slot *sl = &job->slot[j % AHEAD];

	pthread_mutex_lock(&job->lock);
	while (!sl->ready)
		pthread_cond_wait(&job->cond, &job->lock);
	pthread_mutex_unlock(&job->lock);
	if (sl->failed)
		format_chunk(o, job, 2 * j + 1);
	else
		out_mem(o, sl->mem.p, sl->mem.len);
	pthread_mutex_lock(&job->lock);
	sl->ready = 0;
	job->written++;
	pthread_cond_broadcast(&job->cond);
	pthread_mutex_unlock(&job->lock);
}

static void
split_lines(struct out *o, struct lines_job *job)
{
	cookie_io_functions_t io = { .write = membuf_write };
	pthread_t helper;
	size_t c, i;

	for (i = 0; i < AHEAD; i++)
		if ((job->slot[i].f = fopencookie(&job->slot[i].mem, "w",
		    io)) != NULL)
			setvbuf(job->slot[i].f, NULL, _IONBF, 0);
	pthread_mutex_init(&job->lock, NULL);
	pthread_cond_init(&job->cond, NULL);
	if (thread_start(&helper, helper_main, job) != 0) {
		for (c = 0; c < job->nchunks; c++)
			format_chunk(o, job, c);
	} else {
		for (c = 0; c < job->nchunks; c++) {
			if (c % 2 == 0)
				format_chunk(o, job, c);
			else
				write_helper_chunk(o, job, c / 2);
		}
		pthread_join(helper, NULL);
	}
	pthread_cond_destroy(&job->cond);
	pthread_mutex_destroy(&job->lock);
	for (i = 0; i < AHEAD; i++) {
		if (job->slot[i].f != NULL)
			fclose(job->slot[i].f);
		free(job->slot[i].mem.p);
	}
}

/*
 * line(o, r, k, arg) for k = 0 .. r->norder - 1, in that order (k is the
 * position in r->order). A long listing is formatted on two threads when
 * the report allows it.
 */
void
batch_lines(struct out *o, const struct report *r, batch_line_fn line,
    void *arg)
{
	struct lines_job job = { .r = r, .line = line, .arg = arg };
	size_t k;

	if (r->norder < SPLIT_MIN || r->peer_name != NULL) {
		for (k = 0; k < r->norder; k++) {
			batch_prefetch(r, k);
			line(o, r, k, arg);
		}
		return;
	}
	job.nchunks = (r->norder + CHUNK_LINES - 1) / CHUNK_LINES;
	split_lines(o, &job);
}
