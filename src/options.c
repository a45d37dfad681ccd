/*
 * options.c - parse and check the command line (options.h). Every error
 * is one line naming the option and what to give instead, exit 64.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anomaly.h"
#include "batch.h"
#include "filter.h"
#include "log.h"
#include "nls.h"
#include "options.h"
#include "sock.h"
#include "xmalloc.h"

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
	OPT_SET,
	OPT_OUTPUT,
	OPT_LIST_RULES,
	OPT_LIST_FORMATS,
};

static const struct option long_options[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "format", required_argument, NULL, 'f' },
	{ "interval", required_argument, NULL, 'd' },
	{ "delay", required_argument, NULL, 'd' },
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
	{ "tcp", no_argument, NULL, 't' },
	{ "all", no_argument, NULL, 'a' },
	{ "numeric", no_argument, NULL, 'n' },
	{ "options", no_argument, NULL, 'o' },
	{ "extended", no_argument, NULL, 'e' },
	{ "memory", no_argument, NULL, 'm' },
	{ "info", no_argument, NULL, 'i' },
	{ "resolve", no_argument, NULL, 'r' },
	{ "set", required_argument, NULL, OPT_SET },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "state-file", required_argument, NULL, OPT_STATE_FILE },
	{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
	{ "list-formats", no_argument, NULL, OPT_LIST_FORMATS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void
usage(void)
{
	char names[256];

	printf(_("Usage: %s [OPTION]... [FILTER]\n"), PACKAGE);
	fputs(_("Show every TCP connection of this host, grouped by state.\n"
	    "On a terminal it opens a live dashboard (F1 there lists the keys);\n"
	    "in a pipe, or with --batch, --count, --format or --summary, it\n"
	    "prints a report and exits.\n\n"), stdout);
	fputs(_("Output:\n"
	    "  -b, --batch            print a report to standard output and exit,\n"
	    "                         even on a terminal\n"), stdout);
	fputs(_("  -f, --format=FMT       report format (default text):\n"),
	    stdout);
	printf("%25s%s\n", "", batch_format_names(names, sizeof names, ", "));
	fputs(_("      --list-formats     list the report formats, one a line, "
	    "and exit\n"), stdout);
	fputs(_("  -s, --summary          counts and listeners only, no socket list\n"
	    "  -d, --interval=SEC     seconds between polls of the dashboard, or\n"
	    "                         between reports with --count (default 1)\n"
	    "      --delay=SEC        the same, as in top and htop\n"
	    "  -c, --count=N          print N reports, --interval apart\n"
	    "      --output=FILE      write each report to FILE (a temporary file\n"
	    "                         in its directory, renamed over FILE)\n"
	    "      --cpu-budget=PCT   keep polling within PCT percent of a core by\n"
	    "                         asking for ESTABLISHED and TIME_WAIT only\n"
	    "                         every few polls (dashboard default 8; 0:\n"
	    "                         every socket at every poll, the batch default)\n\n"), stdout);
	fputs(_("Selection:\n"
	    "  -4, --ipv4             IPv4 sockets only\n"
	    "  -6, --ipv6             IPv6 sockets only\n"
	    "  -l, --listening        listening sockets and their SYN_RECV\n"
	    "                         requests only\n"
	    "      --state=LIST       only these states, comma-separated: names such\n"
	    "                         as close-wait or TIME_WAIT, or the groups all,\n"
	    "                         connected, synchronized, bucket, big\n"
	    "  -N, --netns=NAME|PID|all  watch another network namespace, or all\n"
	    "                         of them in one report (needs root)\n"
	    "  -p, --processes        show the process holding each socket\n\n"), stdout);
	fputs(_("Columns, as in ss (-t, -a and -n are accepted and change nothing:\n"
	    "sockwatch shows every TCP socket, numerically):\n"
	    "  -o, --options          timers (always shown)\n"
	    "  -e, --extended         uid, inode (always shown) and the cookie\n"
	    "  -m, --memory           socket memory (skmem)\n"
	    "  -i, --info             TCP internals (tcp_info): rtt, cwnd, ...\n"
	    "  -r, --resolve          peer host names (the dashboard shows each\n"
	    "                         once the resolver answers, never waiting)\n"
	    "\n"), stdout);
	fputs(_("FILTER selects sockets as ss does, for example\n"
	    "  state close-wait and ( sport = :8080 or dst 10.0.0.0/8 )\n"
	    "Terms: state, exclude, sport, dport, src, dst, uid, recv-q, send-q,\n"
	    "retrans, age, state-age, process, pid; and, or, not, parentheses.\n"
	    "Ports may be service names (dport = :ssh), hosts may be names\n"
	    "(dst localhost: every address it has).\n\n"),
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
	    "      --set=KEY=VALUE    one setting of the configuration file for\n"
	    "                         this run, e.g. rule.close-wait.warning_count=5\n"
	    "      --state-file=FILE  where batch runs keep socket ages and rule\n"
	    "                         history between runs\n"
	    "      --list-rules       list the rules, one a line, and exit\n\n"),
	    stdout);
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

/* The rules as the configuration names them, each with what it looks for. */
static void
list_rules(void)
{
	const struct anomaly_rule *rules = anomaly_rules();
	int r;

	for (r = 0; r < RULE_COUNT; r++)
		printf("%-14s %s\n", rules[r].id, _(rules[r].doc));
}

/* The report formats, one a line: for scripts and the bash completion. */
static void
list_formats(void)
{
	const struct batch_format *f;
	size_t i;

	for (i = 0; (f = batch_format_at(i)) != NULL; i++)
		printf("%s\n", f->name);
}

static void bad_usage(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

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

/*
 * getopt_long says the same '?' for an unknown long option and for a prefix
 * of several: name the candidates of the latter, so "--stat" is not called
 * unknown when it is short for both --state and --state-file.
 */
static void bad_long_option(const char *) __attribute__((noreturn));

/* The long option arg names in full, "--ipv4=3" too; NULL if none. */
static const struct option *
long_option_named(const char *arg)
{
	const struct option *o;
	size_t len;

	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	len = strcspn(arg + 2, "=");
	for (o = long_options; o->name != NULL; o++)
		if (strlen(o->name) == len && strncmp(o->name, arg + 2, len) == 0)
			return o;
	return NULL;
}

/*
 * Whether getopt's optopt is the value of a long option given an argument
 * it does not take ("--ipv4=3"), not an unknown short option.
 */
static int
given_value(const char *arg)
{
	const struct option *o = long_option_named(arg);

	return o != NULL && o->has_arg == no_argument && o->val == optopt &&
	    strchr(arg, '=') != NULL;
}

static void
bad_long_option(const char *arg)
{
	const struct option *o = long_option_named(arg);
	size_t len, n = 0;
	char *list = NULL, *grown;

	len = strcspn(arg + 2, "=");
	if (o != NULL && o->has_arg == no_argument && arg[2 + len] == '=')
		bad_usage(_("option '--%s' takes no argument"), o->name);
	for (o = long_options; o->name != NULL && len > 0 &&
	    strncmp(arg, "--", 2) == 0; o++) {
		if (strncmp(o->name, arg + 2, len) != 0)
			continue;
		xasprintf(&grown, "%s%s--%s", list != NULL ? list : "",
		    list != NULL ? ", " : "", o->name);
		free(list);
		list = grown;
		n++;
	}
	if (n > 1)
		bad_usage(_("option '%.*s' is ambiguous: %s"), (int)len + 2,
		    arg, list);
	bad_usage(_("unknown option '%s'"), arg);
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
	char *text = filter_join(argc, argv), *cause = NULL, *end;

	opt->filter = filter_parse(text, &cause);
	if (opt->filter == NULL) {
		free(text);
		/* "-i 5" was the interval before -i became ss's. */
		if ((opt->show & BATCH_SHOW_INFO) && argc > 0 &&
		    strtod(argv[0], &end) > 0 && *end == '\0')
			bad_usage(_("-i shows TCP internals, as in ss: give the "
			    "seconds between polls with -d %s"), argv[0]);
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
	if (opt->check || opt->format_given || opt->summary || opt->count >= 0 ||
	    opt->output != NULL)
		bad_usage("%s", _("--kill prints the sockets it destroys, not a "
		    "report: --check, --format, --summary, --count and --output "
		    "go without it"));
	if (filter_is_empty(opt->filter))
		bad_usage("%s", _("--kill needs a FILTER, so that it never "
		    "destroys every socket by accident: give one such as "
		    "'state close-wait and dport = :8080'"));
}

/*
 * -N takes a name of /run/netns, a process id or all: an empty name, or
 * one that would leave /run/netns, is a mistake of the command line.
 */
static void
check_netns_name(const char *name)
{
	if (*name == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		bad_usage(_("--netns '%s' is no namespace: give a name from "
		    "'ip netns list', a process id or all"), name);
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

/*
 * ss's habits: -t, -a and -n ask for what sockwatch does anyway (TCP,
 * every state, numbers); -o, -e, -m, -i and -r add columns. -1 for an
 * option that is not one of them.
 */
static int
ss_option(int c, struct options *opt)
{
	static const struct {
		int		c;
		unsigned	show;
	} flags[] = {
		{ 't', 0 }, { 'a', 0 }, { 'n', 0 },
		{ 'o', BATCH_SHOW_TIMERS }, { 'e', BATCH_SHOW_EXTENDED },
		{ 'm', BATCH_SHOW_MEMORY }, { 'i', BATCH_SHOW_INFO },
		{ 'r', BATCH_SHOW_NAMES },
	};
	size_t i;

	for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (flags[i].c == c) {
			opt->show |= flags[i].show;
			return 0;
		}
	return -1;
}

/*
 * Whether --check is on the command line, before anything is parsed: an
 * error in an option before it must already speak as a Nagios plugin.
 * Any prefix getopt_long takes for it counts ("--ch" is unambiguous).
 */
static int
check_asked(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strlen(argv[i]) >= 4 && strncmp(argv[i], "--check",
		    strlen(argv[i])) == 0)
			return 1;
	return 0;
}

void
options_parse(int argc, char **argv, struct options *opt)
{
	uint32_t states = 0;
	int c, listening = 0;
	char names[256];

	memset(opt, 0, sizeof *opt);
	opt->format = &batch_format_text;
	opt->interval = 1;
	opt->count = -1;
	opt->cpu_budget = -1;
	opterr = 0;	/* our messages: one line, starting "sockwatch: " */
	if (check_asked(argc, argv))
		log_set_plugin("SOCKWATCH");
	while ((c = getopt_long(argc, argv, ":bf:d:c:s46lN:phVtanoemir", long_options,
	    NULL)) != -1) {
		switch (c) {
		case 'b':
			opt->batch = 1;
			break;
		case 'f':
			opt->batch = 1;
			if ((opt->format = batch_find_format(optarg)) == NULL)
				bad_usage(_("unknown format '%s': use %s"), optarg,
				    batch_format_names(names, sizeof names, ", "));
			opt->format_given = 1;
			break;
		case 'd':
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
			check_netns_name(optarg);
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
		case OPT_SET:
			opt->sets = xreallocarray(opt->sets, opt->nsets + 1,
			    sizeof *opt->sets);
			opt->sets[opt->nsets++] = optarg;
			break;
		case OPT_OUTPUT:
			opt->batch = 1;
			opt->output = optarg;
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
		case OPT_LIST_RULES:
			list_rules();
			close_stdout();
			exit(EXIT_OK);
		case OPT_LIST_FORMATS:
			list_formats();
			close_stdout();
			exit(EXIT_OK);
		case ':':
			bad_usage(_("option '%s' needs an argument"),
			    argv[optind - 1]);
		default:
			if (kill_option(c, opt) == 0 || ss_option(c, opt) == 0)
				break;
			if (optopt != 0 && !given_value(argv[optind - 1]))
				bad_usage(_("unknown option '-%c'"), optopt);
			bad_long_option(argv[optind - 1]);
		}
	}
	parse_filter(argc - optind, argv + optind, opt);
	if (opt->families == 0)
		opt->families = DIAG_FAMILY_V4 | DIAG_FAMILY_V6;
	/*
	 * The listeners and their half-open connections: without the
	 * SYN_RECV requests the listener table would count none of them.
	 */
	if (listening)
		states |= TS_BIT(TS_LISTEN) | TS_BIT(TS_SYN_RECV);
	opt->states_asked = states;
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
		opt->format = &batch_format_nagios;
	if (opt->check && !opt->interval_given)
		opt->interval = 2;	/* between the two dumps without state */
}
