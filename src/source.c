/*
 * source.c - where snapshots come from: the kernel (with the filter's
 * bytecode, tcp_info for the sockets the rules read, the counters, and a
 * recording when asked), or a recording read back.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "counters.h"
#include "diag.h"
#include "filter.h"
#include "log.h"
#include "nls.h"
#include "replay.h"
#include "source.h"
#include "sysinfo.h"
#include "xmalloc.h"

void
source_open(struct source *src, const struct source_options *opt)
{
	char *cause = NULL;

	memset(src, 0, sizeof *src);
	snapshot_init(&src->one);
	snapshot_init(&src->gone);
	snapshot_init(&src->part);
	src->netns = opt->netns_name;
	src->req.families = opt->families;
	src->req.states = opt->states;
	src->req.listen_mem = 1;	/* one walk of the listening table: cheap */
	src->req.want_info = opt->want_info;
	src->req.want_mem = opt->want_mem;
	src->filter = opt->filter;
	src->info_for = opt->info_for;
	src->info_arg = opt->info_arg;
	if (opt->replay == NULL && !opt->no_bytecode) {
		filter_compile(opt->filter, &src->bytecode,
		    &src->req.bytecode_len);
		src->req.bytecode = src->bytecode;
	}
	if (opt->replay != NULL) {
		if ((src->replay = replay_open(opt->replay, &cause)) == NULL)
			log_die(errno == EINVAL ? EXIT_USAGE : EXIT_FAILURE_JOB,
			    "%s", cause);
		return;
	}
	if (opt->netns != NULL && sysinfo_enter_netns(opt->netns, &cause) < 0)
		log_die(EXIT_FAILURE_JOB, "%s", cause);
	if ((src->diag = diag_open(&cause)) == NULL)
		log_die(EXIT_FAILURE_JOB, "%s", cause);
	diag_set_method(src->diag, opt->method);
	if (opt->record != NULL) {
		if ((src->recorder = recorder_open(opt->record, &cause)) == NULL)
			log_die(errno == EINVAL ? EXIT_USAGE : EXIT_FAILURE_JOB,
			    "%s", cause);
		diag_set_recorder(src->diag, src->recorder);
	}
	/* A recording holds what the kernel said, every socket of each poll. */
	src->interval = opt->interval;
	src->paced = opt->cpu_budget > 0 && src->recorder == NULL &&
	    (src->req.states & PACE_BULK_STATES) != 0;
	pace_init(&src->pace, opt->cpu_budget);
	/* Privileged, a carried socket the kernel frees leaves at once. */
	if (src->paced)
		diag_watch_destroy(src->diag);
}

/* The kernel applied only part of the filter, a replay none of it. */
static int
source_filter(struct source *src, struct snapshot *snap)
{
	char *cause = NULL;

	/* Ages and processes come later, from the monitor. */
	if (filter_needs(src->filter) != 0)
		return 1;

	if (filter_snapshot(src->filter, snap, NULL, &cause) < 0)
		log_die(EXIT_USAGE, "%s", cause);
	return 1;
}

/*
 * Whether a full poll's snapshot keeps its dump's records where they are:
 * a filter the kernel's bytecode could not hold all of removes some after
 * it (source_filter); one on ages and processes is the monitor's, later.
 */
static int
source_keeps_dump(const struct source *src)
{
	return filter_is_empty(src->filter) || filter_needs(src->filter) != 0;
}

#define SOURCE_ALL_STATES	(TS_ALL_MASK & ~TS_BIT(TS_NEW_SYN_RECV))

/*
 * Room for a full dump before it begins, with a quarter to spare: sockets
 * come and go, and request sockets are not counted. Pages are touched
 * only as records fill them.
 */
static void
source_reserve(struct snapshot *snap)
{
	size_t n = sysinfo_tcp_sockets();

	snapshot_reserve(snap, n + n / 4);
}

/* Up to this many sockets get tcp_info by lookup; more, by a dump. */
#define SOURCE_INFO_LOOKUPS	1024

static void
source_dump(struct source *src, struct snapshot *snap,
    const struct diag_request *req)
{
	char *cause = NULL;

	if (diag_dump(src->diag, req, snap, &cause) < 0)
		log_die(EXIT_FAILURE_JOB, _("%s: check that this kernel has "
		    "CONFIG_INET_DIAG and CONFIG_INET_TCP_DIAG"), cause);
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Whether this poll asks for the bulk: what the last cycle cost decides. */
static int
source_pace(struct source *src)
{
	struct timespec when;
	double cpu;
	int full;

	if (!src->paced)
		return 1;
	cpu = cpu_seconds();
	pace_cost(&src->pace, cpu - src->cpu_mark);
	src->cpu_mark = cpu;
	clock_gettime(CLOCK_REALTIME, &when);	/* the clock of snap->when */
	full = pace_full(&src->pace, &when, src->interval, src->fresh_all);
	src->fresh_all = 0;
	return full;
}

/* One socket by its identity, for pace_follow. */
static int
source_look(void *arg, const struct sock_rec *s, struct sock_rec *out)
{
	struct source *src = arg;
	char *cause = NULL;

	if (diag_get_one(src->diag, s, 0, &src->one, &cause) < 0 ||
	    src->one.n == 0) {
		free(cause);		/* gone: nothing to carry */
		return -1;
	}
	*out = src->one.socks[0];
	return 0;
}

/*
 * Pacing after the dump (into snap when full, into part when not): a full
 * poll is kept for the polls after it; at a partial one, snap still holds
 * the last poll, whose bulk is the carry: what the kernel freed since
 * leaves it (when the destroy groups could be joined), the sockets that
 * went into the bulk since join it, and the dump is appended after it.
 */
static void
source_carry(struct source *src, struct snapshot *snap, int full)
{
	struct snapshot *dump = full ? snap : &src->part;

	/* The model follows the carry's records from where it judged them. */
	if (!full)
		snapshot_origin_begin(snap);
	/* Read every poll, so that the kernel's queue never overflows. */
	if (diag_destroyed(src->diag, &src->gone) < 0 && !full)
		src->fresh_all = 1;	/* some were lost: all next */
	if (full)
		pace_keep(&src->pace, snap);
	else if (pace_forget(&src->pace, snap, &src->gone, source_look,
	    src) < 0 ||
	    pace_follow(&src->pace, dump, snap, source_look, src) < 0)
		src->fresh_all = 1;	/* too many to look up: all next */
	pace_remember(&src->pace, dump);
	if (!full)
		snap->carried = pace_carry(&src->pace, snap, dump);
}

/*
 * Fill snap with the next poll, and c with the counters read with it; 0
 * when a recording has no more.
 */
int
source_poll(struct source *src, struct snapshot *snap, struct counters *c)
{
	struct diag_request req;
	struct snapshot *dump;
	char *cause = NULL;
	int full;

	snap->carried = 0;
	snap->bulk_every = 1;
	snap->over_budget = 0;
	if (src->replay != NULL) {
		if (src->next_poll >= replay_polls(src->replay))
			return 0;
		if (replay_load(src->replay, src->next_poll, snap, &cause) < 0)
			log_die(EXIT_USAGE, "%s", cause);
		counters_replay(c, src->replay, src->next_poll++);
		snapshot_keep(snap, (int)src->req.families, src->req.states);
		snap->unasked = SOURCE_ALL_STATES & ~src->req.states;
		return source_filter(src, snap);
	}
	sysinfo_stamp(snap, src->netns);
	if (src->recorder != NULL)
		recorder_poll(src->recorder, snap);
	req = src->req;
	/* The carry is in the snapshot of the last poll: another has none. */
	if (snap != src->last)
		src->fresh_all = 1;
	src->last = snap;
	if (!(full = source_pace(src)))
		req.states &= ~PACE_BULK_STATES;
	if (full && src->info_for != NULL &&
	    src->expect_info > SOURCE_INFO_LOOKUPS)
		req.want_info = 1;
	src->expect_info = 0;
	/* A partial poll's dump is small: it goes after the carry. */
	dump = full ? snap : &src->part;
	snap->unasked = SOURCE_ALL_STATES & ~req.states;
	if (full && source_keeps_dump(src)) {
		req.parsed = src->track;
		req.parsed_arg = src->track_arg;
	}
	if (full)
		source_reserve(dump);
	source_dump(src, dump, &req);
	if (src->info_for != NULL && !req.want_info &&
	    diag_fill_info(src->diag, &src->req, dump, src->info_for,
	    src->info_arg, SOURCE_INFO_LOOKUPS, &cause) < 0)
		log_die(EXIT_FAILURE_JOB, "%s", cause);
	snap->bulk_every = src->pace.every;
	snap->over_budget = src->pace.over;
	if (src->paced)
		source_carry(src, snap, full);
	counters_read(c, src->recorder);
	if (src->recorder != NULL)
		recorder_frame(src->recorder, REC_END, NULL, 0);
	return source_filter(src, snap);
}

void
source_close(struct source *src)
{
	char *cause = NULL;

	diag_close(src->diag);
	replay_close(src->replay);
	pace_free(&src->pace);
	free(src->bytecode);
	snapshot_free(&src->one);
	snapshot_free(&src->gone);
	snapshot_free(&src->part);
	if (recorder_close(src->recorder, &cause) < 0)
		log_die(EXIT_FAILURE_JOB, "%s", cause);
}

/* The sockets whose tcp_info a poll fetches (the rules' choice), or none. */
void
source_set_info(struct source *src, diag_want_info *info_for, void *arg)
{
	src->info_for = info_for;
	src->info_arg = arg;
}

/*
 * About this many sockets of the next full poll will want their tcp_info.
 * More than a lookup each can fetch, and the poll's dump carries it for
 * every socket: fetched after it, by a dump of their states, it took a
 * second walk of the kernel's tables, as long as the first (300k sockets,
 * half of them new: 135 ms more, where the first walk's tcp_info cost 23).
 */
void
source_expect_info(struct source *src, size_t sockets)
{
	src->expect_info = sockets;
}

/*
 * Who is told of a full poll's sockets as its dump is read (the model,
 * tracking them while the kernel fills the rest), or NULL.
 */
void
source_set_track(struct source *src, diag_parsed *track, void *arg)
{
	src->track = track;
	src->track_arg = arg;
}

/* One socket as the kernel has it now, with its tcp_info. */
int
source_lookup(struct source *src, const struct sock_rec *s,
    struct snapshot *one)
{
	char *cause = NULL;

	if (src->diag == NULL ||
	    diag_get_one(src->diag, s, 1, one, &cause) < 0 || one->n == 0) {
		free(cause);
		return -1;
	}
	return 0;
}

/* A poll as the driver asks for it (the kernel's; a recording's is moot). */
int
source_poll_ask(struct source *src, const struct source_ask *ask,
    struct snapshot *snap, struct counters *c)
{
	if (src->replay != NULL)
		return source_poll(src, snap, c);
	src->req.want_info = ask->want_info;
	src->fresh_all |= ask->want_all;	/* or pacing asked for it */
	src->interval = ask->interval;
	return source_poll(src, snap, c);
}

static int
kernel_poll(void *arg, const struct source_ask *ask, struct snapshot *snap,
    struct counters *c)
{
	return source_poll_ask(arg, ask, snap, c);
}

static int
kernel_lookup(void *arg, const struct sock_rec *s, struct snapshot *one)
{
	return source_lookup(arg, s, one);
}

static void
entry_close(void *arg)
{
	source_close(arg);
	free(arg);
}

static const struct source_ops source_kernel_ops = {
	.name = "kernel",
	.poll = kernel_poll,
	.lookup = kernel_lookup,
	.close = entry_close,
};


static void
recording_rewind(void *arg)
{
	struct source *src = arg;

	src->next_poll = 0;
}

static size_t
recording_polls(void *arg)
{
	struct source *src = arg;

	return replay_polls(src->replay);
}

static const struct source_ops source_recording_ops = {
	.name = "recording",
	.poll = kernel_poll,	/* the ask is moot */
	.rewind = recording_rewind,
	.polls = recording_polls,
	.close = entry_close,
};

void
source_entry_open(struct source_entry *e, const struct source_options *so)
{
	struct source *src = xmalloc(sizeof *src);

	source_open(src, so);
	e->ops = src->replay != NULL ? &source_recording_ops :
	    &source_kernel_ops;
	e->data = src;
}

void
source_entry_close(struct source_entry *e)
{
	if (e->ops != NULL)
		e->ops->close(e->data);
	e->ops = NULL;
	e->data = NULL;
}
