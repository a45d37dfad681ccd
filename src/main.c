/*
 * main.c - mode dispatch: the batch report, --kill, the dashboard.
 *
 * One pipeline serves every mode: a source (the kernel, or a recording)
 * fills a snapshot, the core groups it, a sink prints it.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "allns.h"
#include "anomaly.h"
#include "batch.h"
#include "dashboard.h"
#include "conf.h"
#include "counters.h"
#include "diag.h"
#include "filter.h"
#include "format.h"
#include "group.h"
#include "kill.h"
#include "kill_cli.h"
#include "log.h"
#include "monitor.h"
#include "netns.h"
#include "nls.h"
#include "options.h"
#include "replay.h"
#include "resolve.h"
#include "sock.h"
#include "source.h"
#include "statefile.h"
#include "sysinfo.h"
#include "tui.h"
#include "xmalloc.h"


/*
 * What the source of the run reads: the kernel, or --replay's recording.
 * The mode says how much of a core its polls may cost unless --cpu-budget
 * did.
 */
static void
source_options_of(struct source_options *so, const struct options *opt,
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

static void
open_source(struct source *src, const struct options *opt,
    double mode_budget)
{
	struct source_options so;

	source_options_of(&so, opt, mode_budget);
	source_open(src, &so);
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

/*
 * --output FILE: the report goes to a new file in FILE's directory, renamed
 * over FILE once complete, so a reader (node_exporter's textfile
 * collector) sees the last report or the one before, never half of one.
 * The temporary name starts with a dot and does not end in ".prom".
 */
/* The reports' way out: 64 KiB, kept between the reports of a run. */
static struct out report_out;

static void
write_output(const struct options *opt, const struct report *r)
{
	const char *slash = strrchr(opt->output, '/');
	char *tmp;
	FILE *f;
	int fd;

	if (slash != NULL)
		xasprintf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - opt->output),
		    opt->output, slash + 1);
	else
		xasprintf(&tmp, ".%s.XXXXXX", opt->output);
	if ((fd = mkstemp(tmp)) < 0)
		log_die(EXIT_FAILURE_JOB, _("cannot write %s: %s: check that "
		    "its directory exists and is writable"), opt->output,
		    strerror(errno));
	/* What a textfile collector or a person reads: not private. */
	if (fchmod(fd, 0644) < 0 || (f = fdopen(fd, "w")) == NULL ||
	    batch_write(opt->format, &report_out, f, r) < 0 || fsync(fileno(f)) < 0 ||
	    fclose(f) != 0 || rename(tmp, opt->output) < 0) {
		int err = errno;

		unlink(tmp);
		log_die(EXIT_FAILURE_JOB, _("cannot write %s: %s"), opt->output,
		    strerror(err));
	}
	free(tmp);
}

static void
print_report(const struct options *opt, const struct snapshot *snap,
    const struct monitor *mon, const struct netns_view *ns, int unsaved)
{
	static struct resolve_cache *names;
	struct report r;
	uint32_t *order = NULL;
	size_t norder = 0;

	if (!opt->summary)
		order = group_sort(snap, &norder);
	memset(&r, 0, sizeof r);
	r.snap = snap;
	r.groups = &mon->model.groups;
	r.order = order;
	r.norder = norder;
	r.summary = opt->summary;
	r.mon = mon;
	r.ns = ns;
	r.history_unsaved = unsaved;
	r.show = opt->show;
	if (opt->show & BATCH_SHOW_NAMES) {
		if (names == NULL)	/* for the run: peers recur */
			names = resolve_cache_create();
		r.peer_name = resolve_peer;
		r.peer_name_arg = names;
	}
	if (opt->output != NULL)
		write_output(opt, &r);
	else if (batch_write(opt->format, &report_out, stdout, &r) < 0)
		log_die(EXIT_FAILURE_JOB, _("cannot write the report: %s"),
		    strerror(errno));
	free(order);
}

/* Batch history between runs: only for the live kernel, never replays. */
struct history {
	char		*path;
	int		 required;	/* a failed save fails the run */
	int		 own_dir;	/* the default's: made when missing */
	int		 loaded;
	int		 unsaved;	/* the save failed */
};

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
	    statefile_default_path(opt->netns_name, view_key(opt, key, sizeof key));
	if (h->path == NULL)
		return;
	if (statefile_check_path(h->path, opt->state_file != NULL, &cause) < 0)
		log_die(opt->state_file != NULL ? EXIT_USAGE : EXIT_FAILURE_JOB,
		    "%s", cause);
	if (opt->record != NULL && same_file(opt->record, h->path))
		log_die(EXIT_USAGE, _("--record %s is the state file: give the "
		    "recording another path"), opt->record);
}

static void
history_load(struct history *h, struct monitor *mon,
    const struct snapshot *snap)
{
	char *cause = NULL;
	double now = (double)snap->when.tv_sec + snap->when.tv_nsec / 1e9;

	if (h->path == NULL)
		return;
	switch (statefile_load(mon, h->path, snap->boot_id, snap->netns, now,
	    &cause)) {
	case STATEFILE_LOADED:
		h->loaded = 1;
		break;
	case STATEFILE_BAD:
		log_warn("%s", cause);
		free(cause);
		break;
	case STATEFILE_NONE:
		break;
	}
}

/* A history asked for that cannot be saved is said, and fails the run. */
static void
history_save(struct history *h, const struct monitor *mon)
{
	char *cause = NULL;

	if (h->path != NULL && statefile_save(mon, h->path, h->own_dir,
	    &cause) < 0) {
		if (h->required) {
			log_warn("%s", cause);
			h->unsaved = 1;
		}
		free(cause);
	} else if (h->path != NULL && h->own_dir)
		statefile_expire(h->path);
}

static void
history_close(struct history *h)
{
	free(h->path);
	h->path = NULL;
}

static void
load_config(const struct options *opt, struct anomaly_config *cfg)
{
	char *cause = NULL;

	size_t i;

	if (conf_load(cfg, opt->config, &cause) < 0)
		log_die(EXIT_USAGE, "%s", cause);
	for (i = 0; i < opt->nsets; i++)
		if (conf_set(cfg, opt->sets[i], &cause) < 0)
			log_die(EXIT_USAGE, "%s", cause);
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
	switch (anomaly_worst(&mon->engine)) {
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
confirm_wanted(const struct options *opt, const struct history *h,
    const struct monitor *mon)
{
	if (opt->replay != NULL || (!opt->check && !h->loaded))
		return 0;
	return anomaly_pending(&mon->engine) > 0 || mon->rates.seconds <= 0;
}

/*
 * At most this many polls confirm: a rule that judges rates sees its first
 * rate on the second poll of a run without history, and needs one more.
 */
#define CONFIRM_POLLS	2

/* The rules' choice of sockets whose tcp_info a batch poll fetches. */
static int
batch_wants_info(const struct sock_rec *s, void *mon)
{
	return monitor_wants_info(mon, s);
}

static int
run_batch(const struct options *opt)
{
	struct anomaly_config cfg;
	struct monitor *mon = xmalloc(sizeof *mon);
	struct history hist;
	struct counters counters;
	struct source src;
	struct snapshot snap;
	long i, count = opt->count;
	int k;
	int status;

	if (count < 0)
		count = opt->replay != NULL ? LONG_MAX : 1;
	history_open(&hist, opt);
	load_config(opt, &cfg);
	monitor_init(mon, &cfg, opt->processes);
	mon->proc.budget = SIZE_MAX;	/* one report: attribute everything */
	open_source(&src, opt, 0);	/* scripts get every socket each poll */
	src.info_for = batch_wants_info;	/* the rules', and ages' */
	src.info_arg = mon;
	snapshot_init(&snap);
	/*
	 * History first: the first poll already asks the model which sockets
	 * it knows (those need no tcp_info to estimate their age).
	 */
	sysinfo_stamp(&snap, opt->netns_name);
	clock_gettime(CLOCK_REALTIME, &snap.when);
	history_load(&hist, mon, &snap);
	for (i = 0; i < count; i++) {
		if (i > 0 && opt->replay == NULL)
			sleep_seconds(opt->interval);
		if (!source_poll(&src, &snap, &counters))
			break;
		/* A one-off report without history shows what this poll sees. */
		if (i == 0 && !opt->check && !hist.loaded)
			anomaly_raise_at_once(&mon->engine);
		monitor_update(mon, &snap, &counters);
		for (k = 0; i == 0 && k < CONFIRM_POLLS &&
		    confirm_wanted(opt, &hist, mon); k++) {
			sleep_seconds(opt->interval);
			source_poll(&src, &snap, &counters);
			monitor_update(mon, &snap, &counters);
		}
		select_by_history(mon, &snap, opt->filter);
		if (report_each(opt))
			print_report(opt, &snap, mon, NULL, 0);
	}
	if (i > 0)
		history_save(&hist, mon);
	history_close(&hist);
	/* --check judges the last poll: one status line, which says a
	   history not saved and keeps its verdict; a Prometheus exposition
	   is of the last poll too. */
	if (!report_each(opt) && i > 0)
		print_report(opt, &snap, mon, NULL, hist.unsaved);
	status = verdict_wanted(opt) ? check_status(mon) : EXIT_OK;
	if (hist.unsaved && !verdict_wanted(opt))
		status = EXIT_FAILURE_JOB;
	snapshot_free(&snap);
	source_close(&src);
	monitor_free(mon);
	free(mon);
	return status;
}

/*
 * -N all: one report of every namespace. No history between runs (a state
 * file is of one namespace): a one-off report shows what its poll sees,
 * and --check takes two polls --interval apart.
 */
static int
run_batch_all(const struct options *opt)
{
	struct anomaly_config cfg;
	struct source_options so;
	struct allns *a = xmalloc(sizeof *a);
	long i, count = opt->count < 0 ? 1 : opt->count;
	int status;

	load_config(opt, &cfg);
	source_options_of(&so, opt, 0);
	allns_open(a, &so, &cfg, opt->processes);
	a->mon.proc.budget = SIZE_MAX;	/* one report: attribute everything */
	for (i = 0; i < count; i++) {
		if (i > 0)
			sleep_seconds(opt->interval);
		if (i == 0 && opt->check) {
			allns_poll(a, NULL, 0);
			sleep_seconds(opt->interval);
		}
		allns_poll(a, opt->filter, i == 0 && !opt->check);
		if (report_each(opt))
			print_report(opt, &a->snap, &a->mon, &a->view, 0);
	}
	if (!report_each(opt))
		print_report(opt, &a->snap, &a->mon, &a->view, 0);
	status = verdict_wanted(opt) ? check_status(&a->mon) : EXIT_OK;
	allns_close(a);
	free(a);
	return status;
}

/*
 * --kill: one poll, then the conversation of kill_cli.c. A filter on ages
 * or processes reads them from the model (with the state file's history,
 * like a cron run) and the process map.
 */
static int
run_kill(const struct options *opt)
{
	struct anomaly_config cfg;
	struct monitor *mon = NULL;
	struct history hist;
	struct source src;
	struct snapshot snap;
	struct kill *k = NULL;
	struct kill_recheck recheck;
	struct counters counters;
	char *cause = NULL;
	int status;

	memset(&hist, 0, sizeof hist);
	if (filter_needs(opt->filter) != 0)
		history_open(&hist, opt);
	open_source(&src, opt, 0);	/* a kill judges every socket */
	snapshot_init(&snap);
	if (filter_needs(opt->filter) != 0) {
		load_config(opt, &cfg);
		mon = xmalloc(sizeof *mon);
		monitor_init(mon, &cfg, opt->processes);
		mon->proc.budget = SIZE_MAX;
		src.info_for = batch_wants_info;
		src.info_arg = mon;
		sysinfo_stamp(&snap, opt->netns_name);
		clock_gettime(CLOCK_REALTIME, &snap.when);
		history_load(&hist, mon, &snap);
	}
	source_poll(&src, &snap, &counters);
	if (mon != NULL) {
		monitor_update(mon, &snap, &counters);
		select_by_history(mon, &snap, opt->filter);
	}
	if (!opt->kill_cli.dry_run && snap.n > 0 &&
	    (k = kill_open(&cause)) == NULL)
		log_die(EXIT_FAILURE_JOB, "%s", cause);
	recheck.lookup = kill_cli_lookup;
	recheck.lookup_arg = src.diag;
	recheck.filter = opt->filter;
	recheck.states = src.req.states;
	recheck.mon = mon;
	status = kill_cli_run(k, &snap, &opt->kill_cli,
	    mon != NULL ? mon->undecided : 0, src.diag != NULL ? &recheck : NULL);
	kill_close(k);
	snapshot_free(&snap);
	source_close(&src);
	history_close(&hist);
	monitor_free(mon);
	free(mon);
	return status;
}

/* The dashboard.c's driver, with the thresholds and its source's options. */
static int
run_dashboard(const struct options *opt)
{
	struct anomaly_config acfg;
	struct source_options so;

	load_config(opt, &acfg);
	source_options_of(&so, opt, DASHBOARD_CPU_BUDGET);
	return dashboard_run(opt, &acfg, &so);
}

/*
 * The name reports show and history is kept under: -N's, else that of the
 * namespace sockwatch runs in (`ip netns exec NAME`) unless it is the
 * host's. Returns what to free.
 */
static char *
name_netns(struct options *opt)
{
	char *own = NULL;

	if (opt->netns == NULL && opt->replay == NULL)
		own = netns_self_name("/proc", "/run/netns");
	opt->netns_name = opt->netns != NULL ? opt->netns : own;
	return own;
}

int
main(int argc, char **argv)
{
	struct options opt;
	char *own_netns;
	int status;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
#if ENABLE_NLS
	{
		/* Tests read catalogues from the build tree. */
		const char *dir = getenv("SOCKWATCH_LOCALEDIR");

		bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir :
		    LOCALEDIR);
		textdomain(PACKAGE);
	}
#endif
	filter_set_names(&resolve_filter_names);
	options_parse(argc, argv, &opt);
	own_netns = name_netns(&opt);
	if (opt.kill)
		status = run_kill(&opt);
	else if (!opt.batch && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO))
		status = run_dashboard(&opt);
	else if (opt.all_netns)
		status = run_batch_all(&opt);
	else
		status = run_batch(&opt);
	filter_free(opt.filter);
	free(opt.filter_text);
	free(own_netns);
	free(opt.sets);
	close_stdout();
	return status;
}
