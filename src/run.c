/*
 * run.c - the batch report and --kill: one setup for both (the rules'
 * settings, the monitor, the source, the history kept between runs), the
 * poll loop of a report and where it is written.
 *
 * One pipeline serves every mode: a source (the kernel, or a recording)
 * fills a snapshot, the monitor judges it, a format (batch.h) prints it.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "allns.h"
#include "anomaly.h"
#include "batch.h"
#include "conf.h"
#include "counters.h"
#include "diag.h"
#include "filter.h"
#include "group.h"
#include "kill.h"
#include "kill_cli.h"
#include "log.h"
#include "monitor.h"
#include "nls.h"
#include "resolve.h"
#include "run.h"
#include "statefile.h"
#include "sysinfo.h"
#include "thread.h"
#include "xmalloc.h"

/* Batch history between runs: only for the live kernel, never replays. */
struct history {
	char		*path;
	int		 required;	/* a failed save fails the run */
	int		 own_dir;	/* the default's: made when missing */
	int		 loaded;
	int		 unsaved;	/* the save failed */

	/* The load, on a thread of its own while the first dump runs. */
	pthread_t	 thread;
	int		 loading;	/* the thread runs: mon is its */
	int		 done;		/* the thread has loaded (atomic) */
	struct monitor	*mon;
	char		 boot_id[40];
	char		 netns[64];
	double		 now;
	enum statefile_result result;
	char		*cause;

	/* The save, on a thread of its own while the last report is written. */
	pthread_t	 saver;
	int		 saving;	/* the thread runs */
	struct sigaction was[4];	/* the ending signals' actions */
	const struct monitor *saved;
	int		 save_failed;
	char		*save_cause;
};

/* Where reports go: the caller's buffer, names resolved for the run. */
struct sink {
	const struct options	*opt;
	struct out		*out;		/* 64 KiB */
	struct resolve_cache	*names;		/* -r: peers recur */
};

/*
 * The listing's order, sorted on a thread of its own while the monitor
 * judges the same poll: both only read the snapshot, and the second core
 * is idle once the dump has ended. A filter on ages or processes removes
 * sockets after the monitor; its order is sorted when printed.
 */
struct presort {
	pthread_t		 thread;
	int			 running;
	const struct snapshot	*snap;
	struct group_sorter	*sorter;	/* the run's, fed by the dump */
	uint32_t		*order;
	size_t			 n;
};

/* One run's setup: what run_open makes and run_close frees. */
struct run {
	const struct options	*opt;
	struct anomaly_config	 cfg;
	struct monitor		*mon;		/* NULL: no judging (--kill) */
	struct history		 hist;
	struct source		 src;
	struct snapshot		 snap;
	struct counters		 counters;
	struct sink		 sink;
	struct presort		 sort;
	/* The listing's order, begun as the dump is read (run_track). */
	struct group_sorter	*sorter;
};

/*
 * What the source of the run reads: the kernel, or --replay's recording.
 * The mode says how much of a core its polls may cost unless --cpu-budget
 * did.
 */
void
run_source_options(struct source_options *so, const struct options *opt,
    double mode_budget)
{
	memset(so, 0, sizeof *so);
	so->replay = opt->replay;
	so->record = opt->record;
	so->netns = opt->netns;
	so->netns_name = opt->netns_name;
	so->families = (unsigned)opt->families;
	so->states = opt->states;
	so->filter = opt->filter;
	so->no_bytecode = opt->no_bytecode;
	so->method = opt->method;
	so->interval = opt->interval;
	so->cpu_budget = opt->cpu_budget >= 0 ? opt->cpu_budget : mode_budget;
	so->want_info = (opt->show & BATCH_SHOW_INFO) != 0;
	so->want_mem = (opt->show & BATCH_SHOW_MEMORY) != 0;
}

void
run_load_config(const struct options *opt, struct anomaly_config *cfg)
{
	char *cause = NULL;
	size_t i;

	if (conf_load(cfg, opt->config, &cause) < 0)
		log_die(EXIT_USAGE, "%s", cause);
	for (i = 0; i < opt->nsets; i++)
		if (conf_set(cfg, opt->sets[i], &cause) < 0)
			log_die(EXIT_USAGE, "%s", cause);
}

static void
sleep_seconds(double s)
{
	struct timespec ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void
sink_open(struct sink *k, const struct options *opt)
{
	memset(k, 0, sizeof *k);
	k->opt = opt;
	k->out = xmalloc(sizeof *k->out);
	if (opt->show & BATCH_SHOW_NAMES)
		k->names = resolve_cache_create();
}

static void
sink_close(struct sink *k)
{
	free(k->out);
	if (k->names != NULL)
		resolve_cache_free(k->names);
	memset(k, 0, sizeof *k);
}

/*
 * --output FILE: the report goes to a new file in FILE's directory, renamed
 * over FILE once complete, so a reader (node_exporter's textfile
 * collector) sees the last report or the one before, never half of one.
 * The temporary name starts with a dot and does not end in ".prom".
 */
static void
write_output(struct sink *k, const struct report *r)
{
	const char *output = k->opt->output, *slash = strrchr(output, '/');
	char *tmp;
	FILE *f;
	int fd;

	if (slash != NULL)
		xasprintf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - output),
		    output, slash + 1);
	else
		xasprintf(&tmp, ".%s.XXXXXX", output);
	if ((fd = mkstemp(tmp)) < 0)
		log_die(EXIT_FAILURE_JOB, _("cannot write %s: %s: check that "
		    "its directory exists and is writable"), output,
		    strerror(errno));
	/* What a textfile collector or a person reads: not private. */
	if (fchmod(fd, 0644) < 0 || (f = fdopen(fd, "w")) == NULL ||
	    batch_write(k->opt->format, k->out, f, r) < 0 ||
	    fsync(fileno(f)) < 0 || fclose(f) != 0 ||
	    rename(tmp, output) < 0) {
		int err = errno;

		unlink(tmp);
		log_die(EXIT_FAILURE_JOB, _("cannot write %s: %s"), output,
		    strerror(err));
	}
	free(tmp);
}

static int	report_each(const struct options *);
static void	finish_saving(void);

static void *
presort_main(void *arg)
{
	struct presort *p = arg;

	p->order = group_sorter_finish(p->sorter, p->snap, &p->n);
	return NULL;
}

/* Wait for the sort, and forget it. */
static void
presort_drop(struct presort *p)
{
	if (p->running)
		pthread_join(p->thread, NULL);
	free(p->order);
	memset(p, 0, sizeof *p);
}

/*
 * Whether a poll's listing is printed in the order of all its sockets: not
 * a summary, nor a format that prints only the last poll, nor a filter on
 * ages or processes (it removes sockets after the monitor).
 */
static int
presort_wanted(const struct options *opt)
{
	return !opt->summary && report_each(opt) && filter_needs(opt->filter) == 0;
}

/* Sort this poll's listing while the monitor judges it. */
static void
presort_start(struct run *r)
{
	presort_drop(&r->sort);
	if (r->sorter == NULL)
		return;
	r->sort.snap = &r->snap;
	r->sort.sorter = r->sorter;
	r->sort.running = thread_start(&r->sort.thread, presort_main,
	    &r->sort) == 0;
	if (!r->sort.running)
		presort_main(&r->sort);		/* no thread: sorted here */
}

/* The order sorted for snap, the caller's to free; NULL if none. */
static uint32_t *
presort_take(struct presort *p, const struct snapshot *snap, size_t *n)
{
	uint32_t *order;

	if (p == NULL || p->snap != snap) {
		if (p != NULL)
			presort_drop(p);
		return NULL;
	}
	if (p->running)
		pthread_join(p->thread, NULL);
	order = p->order;
	*n = p->n;
	memset(p, 0, sizeof *p);
	return order;
}

static void
print_report(struct sink *k, const struct snapshot *snap,
    const struct monitor *mon, const struct netns_view *ns, int unsaved,
    struct presort *sort)
{
	const struct options *opt = k->opt;
	struct report r;
	uint32_t *order;
	size_t norder = 0;

	order = presort_take(sort, snap, &norder);
	if (order == NULL && !opt->summary)
		order = group_sort(snap, &norder);
	memset(&r, 0, sizeof r);
	r.snap = snap;
	r.groups = monitor_groups(mon);
	r.order = order;
	r.norder = norder;
	r.summary = opt->summary;
	r.mon = mon;
	r.ns = ns;
	r.history_unsaved = unsaved;
	r.show = opt->show;
	if (k->names != NULL) {
		r.peer_name = resolve_peer;
		r.peer_name_arg = k->names;
	}
	if (opt->output != NULL)
		write_output(k, &r);
	else if (batch_write(opt->format, k->out, stdout, &r) < 0) {
		int err = errno;

		/* A reader gone: the SIGPIPE held ends the run once the save
		   does, as it would have ended it without a save. */
		if (err == EPIPE)
			finish_saving();
		log_die(EXIT_FAILURE_JOB, _("cannot write the report: %s"),
		    strerror(err));
	}
	free(order);
}

/*
 * A run that asks the kernel for some sockets only (states, families, a
 * filter) keeps its history apart, keyed by what it asks: its model holds
 * only those, and saving it as everything's would make every other socket
 * new again for the next run. NULL for a run that sees every socket.
 */
static const char *
view_key(const struct options *opt, char *buf, size_t size)
{
	const char *text = opt->filter_text != NULL ? opt->filter_text : "";
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	char what[64];
	const char *p;

	if (opt->states == (TS_ALL_MASK & ~TS_BIT(TS_NEW_SYN_RECV)) &&
	    opt->families == (DIAG_FAMILY_V4 | DIAG_FAMILY_V6) && *text == '\0')
		return NULL;
	snprintf(what, sizeof what, "%x/%x/", (unsigned)opt->states,
	    (unsigned)opt->families);
	for (p = what; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (p = text; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(buf, size, "view-%016llx", (unsigned long long)h);
	return buf;
}

/* Whether two paths name one file (the second may not exist yet). */
static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, b) == 0)
		return 1;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * Whether the history was asked for, so that one not saved is an error:
 * --state-file, --check (it judges with it), SOCKWATCH_STATE_DIR, or root
 * (the cron setup). A user's default under a home that may not be theirs
 * (after su) is a convenience, silently skipped as before.
 */
static int
history_required(const struct options *opt)
{
	const char *own = getenv("SOCKWATCH_STATE_DIR");

	return opt->state_file != NULL || opt->check || geteuid() == 0 ||
	    (own != NULL && *own == '/');
}

/*
 * Where the history lives. Before anything is read or written: a path
 * that is not a file of the user's own is refused (64 when --state-file
 * gave it, 3 for the default), and so is a recording on top of it.
 */
static void
history_open(struct history *h, const struct options *opt)
{
	char *cause = NULL, key[24];

	memset(h, 0, sizeof *h);
	if (opt->replay != NULL)
		return;
	h->own_dir = opt->state_file == NULL;
	h->required = history_required(opt);
	h->path = opt->state_file != NULL ? xstrdup(opt->state_file) :
	    statefile_default_path(opt->netns_name,
	    view_key(opt, key, sizeof key));
	if (h->path == NULL)
		return;
	if (statefile_check_path(h->path, opt->state_file != NULL, &cause) < 0)
		log_die(opt->state_file != NULL ? EXIT_USAGE : EXIT_FAILURE_JOB,
		    "%s", cause);
	if (opt->record != NULL && same_file(opt->record, h->path))
		log_die(EXIT_USAGE, _("--record %s is the state file: give the "
		    "recording another path"), opt->record);
}

static void *
history_loader(void *arg)
{
	struct history *h = arg;

	h->result = statefile_load(h->mon, h->path, h->boot_id,
	    h->netns, h->now, &h->cause);
	__atomic_store_n(&h->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Read the history into mon while the first poll dumps: the file and the
 * kernel's walk are independent, and on two cores the load hides under
 * the walk. Until history_wait, mon is the loader's alone. Without a
 * thread, the load runs here.
 */
static void
history_load_start(struct history *h, struct monitor *mon,
    const struct snapshot *snap)
{
	if (h->path == NULL)
		return;
	h->mon = mon;
	memcpy(h->boot_id, snap->boot_id, sizeof h->boot_id);
	h->boot_id[sizeof h->boot_id - 1] = '\0';
	memcpy(h->netns, snap->netns, sizeof h->netns);
	h->netns[sizeof h->netns - 1] = '\0';
	h->now = (double)snap->when.tv_sec + snap->when.tv_nsec / 1e9;
	if (thread_start(&h->thread, history_loader, h) == 0) {
		h->loading = 1;
	} else {
		history_loader(h);
		h->loading = -1;	/* done: history_wait says what it found */
	}
}

/* The load done, and what it found said: mon is the caller's again. */
static void
history_wait(struct history *h)
{
	if (h->loading == 0)
		return;
	if (h->loading > 0)
		pthread_join(h->thread, NULL);
	h->loading = 0;
	switch (h->result) {
	case STATEFILE_LOADED:
		h->loaded = 1;
		break;
	case STATEFILE_BAD:
		log_warn("%s", h->cause);
		free(h->cause);
		h->cause = NULL;
		break;
	case STATEFILE_NONE:
		break;
	}
}

/* Whether history_wait would return at once: the load is over. */
static int
history_ready(const struct history *h)
{
	return h->loading <= 0 || __atomic_load_n(&h->done, __ATOMIC_ACQUIRE);
}

/* The save itself: the file, then the expired files of its directory. */
static void
history_write(struct history *h, const struct monitor *mon)
{
	h->save_failed = statefile_save(mon, h->path, h->own_dir,
	    &h->save_cause) < 0;
	if (!h->save_failed && h->own_dir)
		statefile_expire(h->path);
}

/* A history asked for that could not be saved is said, and fails the run. */
static void
history_saved(struct history *h)
{
	if (h->save_failed && h->required) {
		log_warn("%s", h->save_cause);
		h->unsaved = 1;
	}
	free(h->save_cause);
	h->save_cause = NULL;
	h->save_failed = 0;
}

/*
 * The save under way on its thread. A run that dies finishes it first
 * (log_die's cleanup). A signal that ends the run waits for the end of the
 * save, not of the report, which can take long (a terminal, a pager): the
 * first one is kept in held_signal, and whichever comes second of the
 * signal and the end of the save (SAVE_DONE) sends it again, with its
 * default action. Held any other way, a run killed mid-save would leave
 * its temporary file. SIGPIPE is one of them: a report piped to a reader
 * that stops early (| head) gets it at its next write.
 */
#define SAVE_DONE	0x10000
static const int term_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE };
static struct history *saving_now;
static int held_signal;

static void	history_save_wait(struct history *);

static void
finish_saving(void)
{
	if (saving_now != NULL && !pthread_equal(pthread_self(),
	    saving_now->saver))
		history_save_wait(saving_now);
}

static void
resend(int sig)
{
	signal(sig, SIG_DFL);
	kill(getpid(), sig);	/* the main thread takes it: not blocked */
}

static void
hold_until_saved(int sig)
{
	int none = 0;

	if (!__atomic_compare_exchange_n(&held_signal, &none, sig, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) && (none & SAVE_DONE))
		resend(sig);
}

static void *
history_saver(void *arg)
{
	struct history *h = arg;
	int sig;

	history_write(h, h->saved);
	sig = __atomic_fetch_or(&held_signal, SAVE_DONE, __ATOMIC_ACQ_REL);
	if (sig != 0)
		resend(sig);
	return NULL;
}

/*
 * Save mon while the last report is written: the save reads the model,
 * the rules' tracks and the counters, the report the poll, and neither
 * changes what the other reads. Without a thread, history_save saves
 * later.
 */
static void
history_save_start(struct history *h, const struct monitor *mon)
{
	struct sigaction sa;
	size_t i;

	if (h->path == NULL)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = hold_until_saved;
	sa.sa_flags = SA_RESTART;	/* the report's writes go on */
	sigemptyset(&sa.sa_mask);
	held_signal = 0;
	for (i = 0; i < sizeof term_signals / sizeof *term_signals; i++) {
		sigaction(term_signals[i], NULL, &h->was[i]);
		if (h->was[i].sa_handler != SIG_IGN)	/* ignored: it stays */
			sigaction(term_signals[i], &sa, NULL);
	}
	h->saved = mon;
	if (thread_start(&h->saver, history_saver, h) != 0) {
		for (i = 0; i < sizeof term_signals / sizeof *term_signals; i++)
			sigaction(term_signals[i], &h->was[i], NULL);
		return;
	}
	h->saving = 1;
	saving_now = h;
	log_set_cleanup(finish_saving);
}

static void
history_save_wait(struct history *h)
{
	size_t i;

	if (!h->saving)
		return;
	pthread_join(h->saver, NULL);
	h->saving = 0;
	saving_now = NULL;
	log_set_cleanup(NULL);
	for (i = 0; i < sizeof term_signals / sizeof *term_signals; i++)
		sigaction(term_signals[i], &h->was[i], NULL);
	history_saved(h);
}

/* The history saved, here unless history_save_start did. */
static void
history_save(struct history *h, const struct monitor *mon)
{
	if (h->saving) {
		history_save_wait(h);
		return;
	}
	if (h->path == NULL)
		return;
	history_write(h, mon);
	history_saved(h);
}

static void
history_close(struct history *h)
{
	free(h->path);
	h->path = NULL;
}

/* The rules' choice of sockets whose tcp_info a batch poll fetches. */
static void
run_wants_info(const struct snapshot *snap, size_t from, size_t n,
    uint8_t *want, void *arg)
{
	struct run *r = arg;

	history_wait(&r->hist);		/* the model says which it knows */
	monitor_wants_info_of(r->mon, snap, from, n, want);
}

/*
 * A poll's sockets tracked as its dump is read, on the thread that parses
 * while the kernel walks (the slower of the two). The records parsed
 * before the history is in wait for the next call.
 */
static void
run_track(const struct snapshot *snap, size_t from, void *arg)
{
	struct run *r = arg;

	if (r->sorter != NULL)
		group_sorter_add(r->sorter, snap, from);
	if (!history_ready(&r->hist))
		return;
	history_wait(&r->hist);
	monitor_track_parsed(r->mon, snap, from);
}

/*
 * How many sockets of the first poll may want their tcp_info: those new to
 * the history that its last poll was too long ago to have seen begin
 * (monitor_wants_info); without a history, every socket. With one, the
 * connections the kernel opened since its last reading bound them, and so
 * do the sockets there are. A bound, not a guess: short connections long
 * gone, opened beside a large pool, count, and cost tcp_info in the dump
 * (a sixth more at 300k sockets); counting too few would cost a second
 * walk of the kernel's tables (twice the dump). 0 when the counters
 * cannot tell.
 */
static size_t
history_unknown(const struct history *h, const struct snapshot *snap)
{
	struct counters then, now;
	uint64_t before, opened;
	double saved, at = (double)snap->when.tv_sec +
	    snap->when.tv_nsec / 1e9;
	size_t sockets = sysinfo_tcp_sockets();

	if (h->path == NULL ||
	    statefile_peek(h->path, snap->boot_id, at, &saved, &then) < 0)
		return sockets;
	if (at - saved <= MODEL_KNOWN_GAP_S)
		return 0;
	counters_read_opens(&now);
	if (!counters_opens(&then, &before) || !counters_opens(&now, &opened))
		return 0;
	if (opened >= before)
		opened -= before;	/* else the counts began again since */
	return opened < sockets ? (size_t)opened : sockets;
}

/*
 * The setup of a run: judge, a monitor with the rules' settings and the
 * history of earlier runs (a report; --kill when its filter reads ages or
 * processes), or only the source.
 */
static void
run_open(struct run *r, const struct options *opt, int judge)
{
	struct source_options so;

	memset(r, 0, sizeof *r);
	r->opt = opt;
	if (judge) {
		history_open(&r->hist, opt);
		run_load_config(opt, &r->cfg);
		r->mon = xmalloc(sizeof *r->mon);
		monitor_init(r->mon, &r->cfg, opt->processes);
		/* the last poll's sweep: the save skips what it would drop */
		model_sweep_later(&r->mon->model);
		/* attribute everything */
		monitor_set_proc_budget(r->mon, SIZE_MAX);
	}
	run_source_options(&so, opt, 0);	/* every socket at each poll */
	source_open(&r->src, &so);
	snapshot_init(&r->snap);
	if (r->mon == NULL)
		return;
	source_set_info(&r->src, run_wants_info, r); /* the rules' */
	source_set_track(&r->src, run_track, r);
	if (presort_wanted(opt))	/* else the listing is not printed */
		r->sorter = group_sorter_new();
	/*
	 * History during the first dump: after it, the first poll asks the
	 * model which sockets it knows (those need no tcp_info to estimate
	 * their age), and run_wants_info waits for the load.
	 */
	sysinfo_stamp(&r->snap, opt->netns_name);
	clock_gettime(CLOCK_REALTIME, &r->snap.when);
	source_expect_info(&r->src, history_unknown(&r->hist, &r->snap));
	history_load_start(&r->hist, r->mon, &r->snap);
}

static void
run_close(struct run *r)
{
	presort_drop(&r->sort);
	group_sorter_free(r->sorter);
	history_wait(&r->hist);
	history_save_wait(&r->hist);
	snapshot_free(&r->snap);
	source_close(&r->src);
	history_close(&r->hist);
	monitor_free(r->mon);
	free(r->mon);
	sink_close(&r->sink);
}

/*
 * Whether each of --count's reports is printed, or only the last: --check
 * judges the last poll, and so does a format that says so (a Prometheus
 * exposition holds each series once; the polls before feed the rules'
 * counter deltas). --output FILE replaces the file with each report.
 */
static int
report_each(const struct options *opt)
{
	if (opt->check)
		return 0;
	return opt->output != NULL ||
	    !(opt->format->flags & BATCH_FORMAT_LAST);
}

/*
 * --check exits with its verdict, and so does a format that says so:
 * Nagios and Icinga read the status, not the line.
 */
static int
verdict_wanted(const struct options *opt)
{
	return opt->check || (opt->format->flags & BATCH_FORMAT_VERDICT);
}

static int
check_status(const struct monitor *mon)
{
	switch (monitor_worst(mon)) {
	case SEV_CRITICAL:
		return EXIT_CRITICAL;
	case SEV_WARNING:
		return EXIT_WARNING;
	default:
		return EXIT_OK;
	}
}

/* The filter's age, state-age, process and pid terms, after the model. */
static void
select_by_history(struct monitor *mon, struct snapshot *snap,
    const struct filter *f)
{
	char *cause = NULL;

	if (filter_needs(f) != 0 && monitor_select(mon, snap, f, &cause) < 0)
		log_die(EXIT_USAGE, "%s", cause);
}

/*
 * Whether the first poll of a batch run needs a second, --interval later,
 * so that one run gives the answer: a condition seen for the first time is
 * confirmed now rather than by the next cron run, and rates need two
 * readings. A one-off report without history shows what it sees instead.
 */
static int
confirm_wanted(const struct run *r)
{
	if (r->opt->replay != NULL || (!r->opt->check && !r->hist.loaded))
		return 0;
	return monitor_pending(r->mon) > 0 ||
	    r->mon->rates.seconds <= 0;
}

/*
 * At most this many polls confirm: a rule that judges rates sees its first
 * rate on the second poll of a run without history, and needs one more.
 */
#define CONFIRM_POLLS	2

/* A poll after the first, judged. */
static int
run_poll(struct run *r)
{
	presort_drop(&r->sort);
	if (!source_poll(&r->src, &r->snap, &r->counters))
		return 0;
	presort_start(r);
	monitor_update(r->mon, &r->snap, &r->counters);
	return 1;
}

/*
 * The first poll of a run: a one-off report without history raises what
 * it sees at once (anomaly_raise_at_once); a run with history, or
 * --check, confirms with up to CONFIRM_POLLS more.
 */
static int
run_first_poll(struct run *r)
{
	int k;

	if (!source_poll(&r->src, &r->snap, &r->counters)) {
		history_wait(&r->hist);
		return 0;
	}
	history_wait(&r->hist);
	if (!r->opt->check && !r->hist.loaded)
		monitor_raise_at_once(r->mon);
	presort_start(r);
	monitor_update(r->mon, &r->snap, &r->counters);
	for (k = 0; k < CONFIRM_POLLS && confirm_wanted(r); k++) {
		sleep_seconds(r->opt->interval);
		presort_drop(&r->sort);
		source_poll(&r->src, &r->snap, &r->counters);
		presort_start(r);
		monitor_update(r->mon, &r->snap, &r->counters);
	}
	return 1;
}

int
run_batch(const struct options *opt)
{
	struct run r;
	long i, count = opt->count;
	int status;

	if (count < 0)
		count = opt->replay != NULL ? LONG_MAX : 1;
	run_open(&r, opt, 1);
	sink_open(&r.sink, opt);
	for (i = 0; i < count; i++) {
		if (i > 0 && opt->replay == NULL)
			sleep_seconds(opt->interval);
		if (i == 0 ? !run_first_poll(&r) : !run_poll(&r))
			break;
		select_by_history(r.mon, &r.snap, opt->filter);
		if (!report_each(opt))
			continue;
		/* The last poll's listing: the history is saved meanwhile. A
		   summary is written sooner than a thread starts. */
		if (i == count - 1 && !opt->summary)
			history_save_start(&r.hist, r.mon);
		print_report(&r.sink, &r.snap, r.mon, NULL, 0, &r.sort);
	}
	if (i > 0)
		history_save(&r.hist, r.mon);
	/* --check judges the last poll: one status line, which says a
	   history not saved and keeps its verdict; a Prometheus exposition
	   is of the last poll too. */
	if (!report_each(opt) && i > 0)
		print_report(&r.sink, &r.snap, r.mon, NULL, r.hist.unsaved,
		    &r.sort);
	status = verdict_wanted(opt) ? check_status(r.mon) : EXIT_OK;
	if (r.hist.unsaved && !verdict_wanted(opt))
		status = EXIT_FAILURE_JOB;
	run_close(&r);
	return status;
}

/*
 * -N all: one report of every namespace. No history between runs (a state
 * file is of one namespace): a one-off report shows what its poll sees,
 * and --check takes two polls --interval apart.
 */
int
run_batch_all(const struct options *opt)
{
	struct anomaly_config cfg;
	struct source_options so;
	struct sink sink;
	struct allns *a = xmalloc(sizeof *a);
	long i, count = opt->count < 0 ? 1 : opt->count;
	int status;

	run_load_config(opt, &cfg);
	run_source_options(&so, opt, 0);
	allns_open(a, &so, &cfg, opt->processes);
	allns_set_proc_budget(a, SIZE_MAX);	/* one report: everything */
	sink_open(&sink, opt);
	for (i = 0; i < count; i++) {
		if (i > 0)
			sleep_seconds(opt->interval);
		if (i == 0 && opt->check) {
			allns_poll(a, NULL, 0);
			sleep_seconds(opt->interval);
		}
		allns_poll(a, opt->filter, i == 0 && !opt->check);
		if (report_each(opt))
			print_report(&sink, &a->snap, &a->mon, &a->view, 0,
			    NULL);
	}
	if (!report_each(opt))
		print_report(&sink, &a->snap, &a->mon, &a->view, 0, NULL);
	status = verdict_wanted(opt) ? check_status(&a->mon) : EXIT_OK;
	sink_close(&sink);
	allns_close(a);
	free(a);
	return status;
}

/*
 * --kill: one poll, then the conversation of kill_cli.c. A filter on ages
 * or processes reads them from the model (with the state file's history,
 * like a cron run) and the process map.
 */
int
run_kill(const struct options *opt)
{
	struct run r;
	struct kill *k = NULL;
	struct kill_recheck recheck;
	struct kill_cli_kernel kernel;
	char *cause = NULL;
	int status;

	run_open(&r, opt, filter_needs(opt->filter) != 0);
	source_poll(&r.src, &r.snap, &r.counters);
	history_wait(&r.hist);
	if (r.mon != NULL) {
		monitor_update(r.mon, &r.snap, &r.counters);
		select_by_history(r.mon, &r.snap, opt->filter);
	}
	if (!opt->kill_cli.dry_run && r.snap.n > 0 &&
	    (k = kill_open(&cause)) == NULL)
		log_die(EXIT_FAILURE_JOB, "%s", cause);
	kernel.diag = r.src.diag;
	snapshot_init(&kernel.one);
	recheck.lookup = kill_cli_lookup;
	recheck.lookup_arg = &kernel;
	recheck.filter = opt->filter;
	recheck.states = r.src.req.states;
	recheck.mon = r.mon;
	status = kill_cli_run(k, &r.snap, &opt->kill_cli,
	    r.mon != NULL ? r.mon->undecided : 0,
	    r.src.diag != NULL ? &recheck : NULL);
	snapshot_free(&kernel.one);
	kill_close(k);
	run_close(&r);
	return status;
}
