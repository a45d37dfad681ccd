/*
 * main.c - options, mode dispatch and exit statuses.
 *
 * One pipeline serves every mode: a source (the kernel, or a recording)
 * fills a snapshot, the core groups it, a sink prints it.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
#include "nls.h"
#include "replay.h"
#include "sock.h"
#include "source.h"
#include "state.h"
#include "sysinfo.h"
#include "tui.h"
#include "xmalloc.h"

struct options {
	const struct batch_format *format;
	double		 interval;
	long		 count;		/* -1: mode default */
	int		 summary;
	int		 families;	/* bit 0 IPv4, bit 1 IPv6 */
	uint32_t	 states;
	const char	*record;
	const char	*replay;
	const char	*netns;
	int		 all_netns;	/* -N all */
	enum diag_method method;
	struct filter	*filter;	/* never NULL; may be empty */
	char		*filter_text;
	int		 kill;
	int		 readonly;
	int		 no_bytecode;
	struct kill_cli	 kill_cli;
	int		 batch;		/* -b, -c, -f, -s: a report, not the dashboard */
	int		 no_color;
	int		 processes;	/* -p */
	int		 check;		/* --check */
	int		 format_given;
	int		 interval_given;
	double		 cpu_budget;	/* share of one core; < 0: the mode's */
	const char	*config;
	const char	*state_file;
};

enum {
	OPT_STATE = 256,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_NO_COLOR,
	OPT_DIAG_METHOD,
	OPT_KILL,
	OPT_YES,
	OPT_DRY_RUN,
	OPT_READONLY,
	OPT_NO_BYTECODE,
	OPT_CHECK,
	OPT_CONFIG,
	OPT_STATE_FILE,
	OPT_CPU_BUDGET,
};

static const struct option long_options[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "format", required_argument, NULL, 'f' },
	{ "interval", required_argument, NULL, 'i' },
	{ "count", required_argument, NULL, 'c' },
	{ "cpu-budget", required_argument, NULL, OPT_CPU_BUDGET },
	{ "summary", no_argument, NULL, 's' },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "listening", no_argument, NULL, 'l' },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "netns", required_argument, NULL, 'N' },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "diag-method", required_argument, NULL, OPT_DIAG_METHOD },
	{ "kill", no_argument, NULL, OPT_KILL },
	{ "yes", no_argument, NULL, OPT_YES },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "readonly", no_argument, NULL, OPT_READONLY },
	{ "no-bytecode", no_argument, NULL, OPT_NO_BYTECODE },
	{ "processes", no_argument, NULL, 'p' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "state-file", required_argument, NULL, OPT_STATE_FILE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void
usage(void)
{
	printf(_("Usage: %s [OPTION]... [FILTER]\n"), PACKAGE);
	fputs(_("Show every TCP connection of this host, grouped by state.\n"
	    "On a terminal it opens a live dashboard (F1 there lists the keys);\n"
	    "in a pipe, or with --batch, --count, --format or --summary, it\n"
	    "prints a report and exits.\n\n"), stdout);
	fputs(_("Output:\n"
	    "  -b, --batch            print a report to standard output and exit,\n"
	    "                         even on a terminal\n"
	    "  -f, --format=FMT       report format: text (default), json, csv,\n"
	    "                         prometheus, nagios\n"
	    "  -s, --summary          counts and listeners only, no socket list\n"
	    "  -i, --interval=SEC     seconds between polls of the dashboard, or\n"
	    "                         between reports with --count (default 1)\n"
	    "  -c, --count=N          print N reports, --interval apart\n"
	    "      --cpu-budget=PCT   keep polling within PCT percent of a core by\n"
	    "                         asking for ESTABLISHED and TIME_WAIT only\n"
	    "                         every few polls (dashboard default 8; 0:\n"
	    "                         every socket at every poll, the batch default)\n\n"), stdout);
	fputs(_("Selection:\n"
	    "  -4, --ipv4             IPv4 sockets only\n"
	    "  -6, --ipv6             IPv6 sockets only\n"
	    "  -l, --listening        listening sockets only\n"
	    "      --state=LIST       only these states, comma-separated: names such\n"
	    "                         as close-wait or TIME_WAIT, or the groups all,\n"
	    "                         connected, synchronized, bucket, big\n"
	    "  -N, --netns=NAME|PID|all  watch another network namespace, or all\n"
	    "                         of them in one report (needs root)\n"
	    "  -p, --processes        show the process holding each socket\n\n"), stdout);
	fputs(_("FILTER selects sockets as ss does, for example\n"
	    "  state close-wait and ( sport = :8080 or dst 10.0.0.0/8 )\n"
	    "Terms: state, exclude, sport, dport, src, dst, uid, recv-q, send-q,\n"
	    "retrans, age, state-age, process, pid; and, or, not, parentheses.\n\n"),
	    stdout);
	fputs(_("Killing:\n"
	    "      --kill             destroy the sockets FILTER matches (abortive\n"
	    "                         close; the peer gets a reset); lists them and\n"
	    "                         asks once on a terminal\n"
	    "      --yes              do not ask (scripts)\n"
	    "      --dry-run          list what --kill would destroy, destroy nothing\n"
	    "      --readonly         never destroy anything\n\n"), stdout);
	fputs(_("Anomalies:\n"
	    "      --check            run the rules; print a Nagios status line and\n"
	    "                         exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
	    "      --config=FILE      thresholds from FILE instead of\n"
	    "                         /etc/sockwatch.conf and the user's file\n"
	    "      --state-file=FILE  where batch runs keep socket ages and rule\n"
	    "                         history between runs\n\n"), stdout);
	fputs(_("Recording:\n"
	    "      --record=FILE      also write the raw kernel dumps to FILE\n"
	    "      --replay=FILE      read a recording instead of the kernel; the\n"
	    "                         dashboard steps through it with [ and ]\n\n"), stdout);
	fputs(_("Other:\n"
	    "      --no-color         no colours (NO_COLOR is honoured too)\n"
	    "      --diag-method=M    netlink request: auto, legacy or family\n"
	    "      --no-bytecode      filter in user space only, not in the kernel\n"
	    "  -h, --help             show this help and exit\n"
	    "  -V, --version          show the version and exit\n\n"), stdout);
	fputs(_("Exit status: 0 OK, 1 WARNING and 2 CRITICAL (with --check), 3 the\n"
	    "job could not be done (netlink error, missing privilege, unsupported\n"
	    "kernel), 5 --kill could not destroy some sockets, 64 bad usage.\n"),
	    stdout);
	printf(_("Report bugs to: %s\n"), PACKAGE_BUGREPORT);
	printf(_("%s home page: <%s>\n"), PACKAGE_NAME, PACKAGE_URL);
}

static void
version(void)
{
	printf("%s %s\n", PACKAGE, VERSION);
	fputs(_("Copyright (C) 2026 the sockwatch authors.\n"
	    "License GPLv2+: GNU GPL version 2 or later "
	    "<https://gnu.org/licenses/gpl.html>.\n"
	    "This is free software: you are free to change and redistribute it.\n"
	    "There is NO WARRANTY, to the extent permitted by law.\n"), stdout);
}

static void bad_usage(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));
static void close_stdout(void);

static void
bad_usage(const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup(fmt);
	va_end(ap);
	log_die(EXIT_USAGE, _("%s: see '%s --help'"), msg, PACKAGE);
}

static double
parse_interval(const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !isfinite(v) ||
	    v < 0.1 || v > 86400)
		bad_usage(_("bad interval '%s': give seconds between 0.1 and "
		    "86400"), arg);
	return v;
}

static double
parse_cpu_budget(const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !isfinite(v) ||
	    v < 0 || v > 100)
		bad_usage(_("bad CPU budget '%s': give a percentage of one core "
		    "between 0 and 100"), arg);
	return v / 100;
}

static long
parse_count(const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < 1)
		bad_usage(_("bad count '%s': give a whole number of at least "
		    "1"), arg);
	return v;
}

static uint32_t
parse_states(const char *arg)
{
	char *copy = xstrdup(arg), *word, *save = NULL;
	uint32_t mask = 0, m;

	for (word = strtok_r(copy, ",", &save); word != NULL;
	    word = strtok_r(NULL, ",", &save)) {
		if (sock_state_parse(word, &m) < 0)
			bad_usage(_("unknown state '%s': use names such as "
			    "established, close-wait, TIME_WAIT or a group"), word);
		mask |= m;
	}
	free(copy);
	if (mask == 0)
		bad_usage(_("no state in '%s'"), arg);
	return mask;
}

static enum diag_method
parse_method(const char *arg)
{
	if (strcmp(arg, "auto") == 0)
		return DIAG_METHOD_AUTO;
	if (strcmp(arg, "legacy") == 0)
		return DIAG_METHOD_LEGACY;
	if (strcmp(arg, "family") == 0)
		return DIAG_METHOD_FAMILY;
	bad_usage(_("unknown netlink method '%s': use auto, legacy or family"),
	    arg);
}

/* The FILTER arguments, joined with spaces as ss does. */
static void
parse_filter(int argc, char **argv, struct options *opt)
{
	char *text = filter_join(argc, argv), *cause = NULL;

	opt->filter = filter_parse(text, &cause);
	if (opt->filter == NULL) {
		free(text);
		log_die(EXIT_USAGE, "%s", cause);
	}
	/* process and pid terms need the process map: -p is implied. */
	if (filter_needs(opt->filter) & FILTER_NEEDS_PROCS)
		opt->processes = 1;
	opt->filter_text = text;
}

static void
check_kill_options(const struct options *opt)
{
	if (!opt->kill) {
		if (opt->kill_cli.yes || opt->kill_cli.dry_run)
			bad_usage("%s", _("--yes and --dry-run go with --kill"));
		return;
	}
	if (opt->readonly)
		bad_usage("%s", _("--kill and --readonly cannot be used "
		    "together"));
	if (opt->replay != NULL)
		bad_usage("%s", _("--kill destroys live sockets: it cannot be "
		    "used with --replay"));
	if (filter_is_empty(opt->filter))
		bad_usage("%s", _("--kill needs a FILTER, so that it never "
		    "destroys every socket by accident: give one such as "
		    "'state close-wait and dport = :8080'"));
}

/* What -N all cannot do (yet): each says what to use instead. */
static void
check_all_netns(const struct options *opt)
{
	if (opt->record != NULL)
		bad_usage("%s", _("a recording holds one network namespace: "
		    "--record cannot be used with --netns all; record each with "
		    "--netns NAME"));
	if (opt->kill)
		bad_usage("%s", _("--kill destroys sockets of one network "
		    "namespace: give it with --netns NAME or PID, not all"));
	if (opt->state_file != NULL)
		bad_usage("%s", _("--state-file keeps the history of one network "
		    "namespace: it cannot be used with --netns all"));
	if (opt->cpu_budget > 0)
		bad_usage("%s", _("--cpu-budget paces the polls of one network "
		    "namespace: with --netns all every namespace is polled in "
		    "full"));
}

/* The options of --kill and the filter; -1 for an unknown one. */
static int
kill_option(int c, struct options *opt)
{
	switch (c) {
	case OPT_KILL:
		opt->kill = 1;
		return 0;
	case OPT_YES:
		opt->kill_cli.yes = 1;
		return 0;
	case OPT_DRY_RUN:
		opt->kill_cli.dry_run = 1;
		return 0;
	case OPT_READONLY:
		opt->readonly = 1;
		return 0;
	case OPT_NO_BYTECODE:
		opt->no_bytecode = 1;
		return 0;
	default:
		return -1;
	}
}

static void
parse_options(int argc, char **argv, struct options *opt)
{
	uint32_t states = 0;
	int c, listening = 0;

	memset(opt, 0, sizeof *opt);
	opt->format = batch_find_format("text");
	opt->interval = 1;
	opt->count = -1;
	opt->cpu_budget = -1;
	opterr = 0;	/* our messages: one line, starting "sockwatch: " */
	while ((c = getopt_long(argc, argv, ":bf:i:c:s46lN:phV", long_options,
	    NULL)) != -1) {
		switch (c) {
		case 'b':
			opt->batch = 1;
			break;
		case 'f':
			opt->batch = 1;
			if ((opt->format = batch_find_format(optarg)) == NULL)
				bad_usage(_("unknown format '%s': use %s"), optarg,
				    batch_format_names());
			opt->format_given = 1;
			break;
		case 'i':
			opt->interval = parse_interval(optarg);
			opt->interval_given = 1;
			break;
		case 'c':
			opt->batch = 1;
			opt->count = parse_count(optarg);
			break;
		case OPT_CPU_BUDGET:
			opt->cpu_budget = parse_cpu_budget(optarg);
			break;
		case 's':
			opt->batch = 1;
			opt->summary = 1;
			break;
		case '4':
			opt->families |= DIAG_FAMILY_V4;
			break;
		case '6':
			opt->families |= DIAG_FAMILY_V6;
			break;
		case 'l':
			listening = 1;
			break;
		case OPT_STATE:
			states |= parse_states(optarg);
			break;
		case 'N':
			opt->netns = optarg;
			opt->all_netns = strcmp(optarg, "all") == 0;
			break;
		case OPT_RECORD:
			opt->record = optarg;
			break;
		case OPT_REPLAY:
			opt->replay = optarg;
			break;
		case OPT_NO_COLOR:
			opt->no_color = 1;
			break;
		case OPT_DIAG_METHOD:
			opt->method = parse_method(optarg);
			break;
		case 'p':
			opt->processes = 1;
			break;
		case OPT_CHECK:
			opt->check = 1;
			break;
		case OPT_CONFIG:
			opt->config = optarg;
			break;
		case OPT_STATE_FILE:
			opt->state_file = optarg;
			break;
		case 'h':
			usage();
			close_stdout();
			exit(EXIT_OK);
		case 'V':
			version();
			close_stdout();
			exit(EXIT_OK);
		case ':':
			bad_usage(_("option '%s' needs an argument"),
			    argv[optind - 1]);
		default:
			if (kill_option(c, opt) == 0)
				break;
			if (optopt != 0)
				bad_usage(_("unknown option '-%c'"), optopt);
			bad_usage(_("unknown option '%s'"), argv[optind - 1]);
		}
	}
	parse_filter(argc - optind, argv + optind, opt);
	if (opt->families == 0)
		opt->families = DIAG_FAMILY_V4 | DIAG_FAMILY_V6;
	if (listening)
		states |= TS_BIT(TS_LISTEN);
	opt->states = states != 0 ? states : TS_ALL_MASK & ~TS_BIT(TS_NEW_SYN_RECV);
	opt->states &= filter_states(opt->filter);
	check_kill_options(opt);
	if (opt->record != NULL && opt->replay != NULL)
		bad_usage("%s", _("--record and --replay cannot be used together"));
	if (opt->processes && opt->replay != NULL)
		bad_usage("%s", _("a recording holds no processes: -p and the "
		    "process and pid filters need a live host, not --replay"));
	if (opt->netns != NULL && opt->replay != NULL)
		bad_usage("%s", _("--netns and --replay cannot be used together"));
	if (opt->all_netns)
		check_all_netns(opt);
	if (opt->check && !opt->format_given)
		opt->format = batch_find_format("nagios");
	if (opt->check && !opt->interval_given)
		opt->interval = 2;	/* between the two dumps without state */
}

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
	so->families = (unsigned)opt->families;
	so->states = opt->states;
	so->filter = opt->filter;
	so->no_bytecode = opt->no_bytecode;
	so->method = opt->method;
	so->interval = opt->interval;
	so->cpu_budget = opt->cpu_budget >= 0 ? opt->cpu_budget : mode_budget;
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

static void
print_report(const struct options *opt, const struct snapshot *snap,
    const struct monitor *mon, const struct netns_view *ns)
{
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
	if (batch_write(opt->format, stdout, &r) < 0)
		log_die(EXIT_FAILURE_JOB, _("cannot write the report: %s"),
		    strerror(errno));
	free(order);
}

/* Batch history between runs: only for the live kernel, never replays. */
struct history {
	char		*path;
	int		 explicit;	/* --state-file: failures are said */
	int		 loaded;
};

static void
history_load(struct history *h, const struct options *opt,
    struct monitor *mon, const struct snapshot *snap)
{
	char *cause = NULL;
	double now = (double)snap->when.tv_sec + snap->when.tv_nsec / 1e9;

	memset(h, 0, sizeof *h);
	if (opt->replay != NULL)
		return;
	h->explicit = opt->state_file != NULL || opt->check;
	h->path = opt->state_file != NULL ? xstrdup(opt->state_file) :
	    state_default_path(opt->netns);
	if (h->path == NULL)
		return;
	switch (state_load(mon, h->path, snap->boot_id, snap->netns, now,
	    &cause)) {
	case STATE_LOADED:
		h->loaded = 1;
		break;
	case STATE_BAD:
		log_warn("%s", cause);
		free(cause);
		break;
	case STATE_NONE:
		break;
	}
}

static void
history_save(struct history *h, const struct monitor *mon)
{
	char *cause = NULL;

	if (h->path != NULL && state_save(mon, h->path, &cause) < 0) {
		if (h->explicit)
			log_warn("%s", cause);
		free(cause);
	}
	free(h->path);
}

static void
load_config(const struct options *opt, struct anomaly_config *cfg)
{
	char *cause = NULL;

	if (conf_load(cfg, opt->config, &cause) < 0)
		log_die(EXIT_USAGE, "%s", cause);
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
	int status;

	if (count < 0)
		count = opt->replay != NULL ? LONG_MAX : 1;
	load_config(opt, &cfg);
	monitor_init(mon, &cfg, opt->processes);
	mon->proc.budget = SIZE_MAX;	/* one report: attribute everything */
	open_source(&src, opt, 0);	/* scripts get every socket each poll */
	if (anomaly_needs_info(&cfg)) {
		src.info_for = batch_wants_info;
		src.info_arg = mon;
	}
	snapshot_init(&snap);
	/*
	 * History first: the first poll already asks the model which sockets
	 * it knows (those need no tcp_info to estimate their age).
	 */
	sysinfo_stamp(&snap, opt->netns);
	clock_gettime(CLOCK_REALTIME, &snap.when);
	history_load(&hist, opt, mon, &snap);
	for (i = 0; i < count; i++) {
		if (i > 0 && opt->replay == NULL)
			sleep_seconds(opt->interval);
		if (!source_poll(&src, &snap, &counters))
			break;
		if (i == 0) {
			/* Rules need two polls: take the first one now. */
			if (opt->check && !hist.loaded && opt->replay == NULL) {
				monitor_update(mon, &snap, &counters);
				sleep_seconds(opt->interval);
				source_poll(&src, &snap, &counters);
			}
		}
		/*
		 * A one-off report without history shows what this poll
		 * sees; --check took a second poll instead.
		 */
		if (i == 0 && !opt->check && !hist.loaded)
			mon->cfg.raise_after = 1;
		monitor_update(mon, &snap, &counters);
		mon->cfg.raise_after = cfg.raise_after;
		select_by_history(mon, &snap, opt->filter);
		if (!opt->check)
			print_report(opt, &snap, mon, NULL);
	}
	/* --check judges the last poll: one status line. */
	if (opt->check && i > 0)
		print_report(opt, &snap, mon, NULL);
	status = opt->check ? check_status(mon) : EXIT_OK;
	if (i > 0)
		history_save(&hist, mon);
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
		if (!opt->check)
			print_report(opt, &a->snap, &a->mon, &a->view);
	}
	if (opt->check)
		print_report(opt, &a->snap, &a->mon, &a->view);
	status = opt->check ? check_status(&a->mon) : EXIT_OK;
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
	struct counters counters;
	char *cause = NULL;
	int status;

	open_source(&src, opt, 0);	/* a kill judges every socket */
	snapshot_init(&snap);
	if (filter_needs(opt->filter) != 0) {
		load_config(opt, &cfg);
		mon = xmalloc(sizeof *mon);
		monitor_init(mon, &cfg, opt->processes);
		mon->proc.budget = SIZE_MAX;
		src.info_for = batch_wants_info;
		src.info_arg = mon;
		sysinfo_stamp(&snap, opt->netns);
		clock_gettime(CLOCK_REALTIME, &snap.when);
		history_load(&hist, opt, mon, &snap);
	}
	source_poll(&src, &snap, &counters);
	if (mon != NULL) {
		monitor_update(mon, &snap, &counters);
		select_by_history(mon, &snap, opt->filter);
	}
	if (!opt->kill_cli.dry_run && snap.n > 0 &&
	    (k = kill_open(&cause)) == NULL)
		log_die(EXIT_FAILURE_JOB, "%s", cause);
	status = kill_cli_run(k, &snap, &opt->kill_cli);
	kill_close(k);
	snapshot_free(&snap);
	source_close(&src);
	if (mon != NULL)
		free(hist.path);
	monitor_free(mon);
	free(mon);
	return status;
}

/* A dashboard left open all day on a busy host costs at most this. */
#define DASHBOARD_CPU_BUDGET	0.08

/* What the dashboard's callbacks need: the source and the monitor. */
struct dashboard_source {
	struct source		 src;
	struct dashboard	*dash;
	struct allns		*all;		/* -N all instead of src */
};

/* The dashboard asks for poll `which` of a recording, or the next live one. */
static int
dashboard_poll(void *arg, const struct tui_ask *ask, struct snapshot *snap)
{
	struct dashboard_source *ds = arg;

	if (ds->all != NULL) {	/* judged in the dashboard's update */
		ds->all->want_info = ask->want_info;
		allns_collect(ds->all, snap);
		return 1;
	}
	if (ds->src.replay != NULL)
		ds->src.next_poll = ask->which;
	ds->src.req.want_info = ask->want_info;
	ds->src.fresh_all = ask->want_all;
	ds->src.interval = ask->interval;
	return source_poll(&ds->src, snap, dashboard_counters(ds->dash));
}

/* tcp_info of one socket on the dashboard's screen. */
static int
dashboard_lookup(void *arg, const struct sock_rec *s, struct sock_info *info)
{
	static struct snapshot one;
	struct dashboard_source *ds = arg;
	struct diag *d = ds->all != NULL ? allns_diag(ds->all, s) : ds->src.diag;
	char *cause = NULL;

	if (d == NULL || diag_get_one(d, s, 1, &one, &cause) < 0 ||
	    !(one.socks[0].flags & SOCK_HAS_INFO)) {
		free(cause);
		return -1;
	}
	*info = one.info[0];
	return 0;
}

/*
 * -N all: every namespace, each polled in full (no --cpu-budget: pacing
 * is per source and its carry is of one namespace), without kill.
 */
static void
open_all(struct dashboard_source *ds, const struct options *opt,
    const struct anomaly_config *acfg)
{
	struct source_options so;

	source_options_of(&so, opt, 0);
	ds->all = xmalloc(sizeof *ds->all);
	allns_open(ds->all, &so, acfg, opt->processes);
	dashboard_watch_all(ds->dash, ds->all);
}

static int
run_dashboard(const struct options *opt)
{
	struct anomaly_config acfg;
	struct dashboard_source ds;
	struct tui_config cfg;
	int status;

	load_config(opt, &acfg);
	memset(&ds, 0, sizeof ds);
	ds.dash = dashboard_create(&acfg, opt->processes, opt->readonly,
	    opt->replay == NULL);
	if (opt->all_netns)
		open_all(&ds, opt, &acfg);
	else
		open_source(&ds.src, opt, DASHBOARD_CPU_BUDGET);
	if (anomaly_needs_info(&acfg) && ds.all == NULL) {
		ds.src.info_for = dashboard_wants_info;
		ds.src.info_arg = ds.dash;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.readonly = opt->readonly;
	cfg.processes = opt->processes;
	if (filter_needs(opt->filter) != 0)
		cfg.filter_text = opt->filter_text;
	cfg.extras = dashboard_extras(ds.dash);
	cfg.interval = opt->interval;
	cfg.color = tui_color_wanted(opt->no_color);
	cfg.poll = dashboard_poll;
	cfg.lookup = ds.src.diag != NULL || ds.all != NULL ?
	    dashboard_lookup : NULL;
	cfg.poll_arg = &ds;
	if (ds.src.replay != NULL &&
	    (cfg.npolls = replay_polls(ds.src.replay)) == 0)
		log_die(EXIT_USAGE, _("%s holds no complete poll: record one "
		    "with --record FILE --count N"), opt->replay);
	status = tui_run(&cfg);
	dashboard_free(ds.dash);
	if (ds.all != NULL) {
		allns_close(ds.all);
		free(ds.all);
	} else
		source_close(&ds.src);
	return status;
}

/* A full disk under cron must be an error, not silence. */
static void
close_stdout(void)
{
	if (fclose(stdout) != 0 && errno != EBADF)
		log_die(EXIT_FAILURE_JOB, _("cannot write to standard output: %s"),
		    strerror(errno));
}

int
main(int argc, char **argv)
{
	struct options opt;
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
	parse_options(argc, argv, &opt);
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
	close_stdout();
	return status;
}
