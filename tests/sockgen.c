/*
 * sockgen.c - real TCP sockets in every state, for the system tests.
 *
 * Two network namespaces, made and linked by the test (tests/lib.sh), play
 * server (10.201.0.1, fd00:5757::1) and client (.2, ::2). The generator
 * builds connections in them (sockgen_build.c), with nftables rules there
 * to drop what must go unanswered: that is what holds a connection in
 * SYN_SENT, FIN_WAIT1, LAST_ACK or CLOSING. It checks each namespace's
 * whole table against /proc/net/tcp{,6} (sockgen_verify.c), prints the
 * manifest and READY, and holds everything until stdin closes, a signal
 * comes, or --hold seconds pass. Timewait mini sockets (TIME_WAIT, and
 * FIN_WAIT2 after a close) last 60 s of that.
 *
 * A first word names a sub-command instead (see usage): hold, server,
 * clients, synflood, crowd. Those act in the namespace they run in.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "sockgen.h"

#define MAX_COUNT	2000
#define MAX_HOLD	600

struct sockgen_options	 sockgen_opt;
static volatile sig_atomic_t stop;

static void
usage(FILE *f)
{
	size_t i;

	fputs("Usage: sockgen --server NS --client NS [OPTION]...\n"
	    "       sockgen hold [-H SEC] [-t SEC] SPEC...\n"
	    "       sockgen server|clients|synflood|crowd [OPTION]...\n"
	    "Build TCP sockets in every state between two linked network\n"
	    "namespaces, print what was built, READY, and hold them. The\n"
	    "server has 10.201.0.1 and fd00:5757::1, the client .2 and ::2.\n\n"
	    "  -S, --server NS      the server namespace\n"
	    "  -C, --client NS      the client namespace\n"
	    "  -n, --count N        connections per scenario and family (2)\n"
	    "  -4, -6               one family only (default both)\n"
	    "  -o, --only LIST      these scenarios only, comma-separated\n"
	    "  -p, --port PORT      first port, one per scenario (5700)\n"
	    "  -H, --hold SEC       hold at most SEC seconds (120, max 600)\n"
	    "  -t, --timeout SEC    wait at most SEC for each step (20)\n\n"
	    "Output: 'socket NS STATE FAMILY LOCAL PEER SCENARIO HOLDER' lines\n"
	    "(HOLDER: file when this process has it open; orphan when closed;\n"
	    "timewait for a closed socket's mini socket; queue for a request\n"
	    "or a connection not accepted) and\n"
	    "'listener NS LOCAL ACCEPT_QUEUE BACKLOG SYN_RECV', then READY.\n"
	    "Scenarios:", f);
	for (i = 0; i < sockgen_nscenarios; i++)
		fprintf(f, " %s", sockgen_scenarios[i].name);
	fputs("\n\nThe sub-commands act in the current network namespace; "
	    "each says more\nwith --help.\n", f);
}

unsigned
sockgen_parse_uint(const char *arg, const char *what, unsigned min,
    unsigned max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max)
		sockgen_die("bad %s '%s': give %u to %u", what, arg, min, max);
	return (unsigned)v;
}

/* A duration or a rate: 0 to max, fractions allowed. */
double
sockgen_parse_double(const char *arg, const char *what, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !(v >= 0) ||
	    v > max)
		sockgen_die("bad %s '%s': give 0 to %g", what, arg, max);
	return v;
}

static void
parse_only(const char *arg)
{
	char *copy = strdup(arg), *word, *save = NULL;
	size_t i;

	if (copy == NULL)
		sockgen_die("out of memory");
	memset(sockgen_opt.want, 0, sizeof sockgen_opt.want);
	for (word = strtok_r(copy, ",", &save); word != NULL;
	    word = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sockgen_nscenarios; i++)
			if (strcmp(word, sockgen_scenarios[i].name) == 0)
				break;
		if (i == sockgen_nscenarios)
			sockgen_die("unknown scenario '%s': see --help", word);
		sockgen_opt.want[i] = 1;
	}
	free(copy);
}

/* Takes -H or -t (SOCKGEN_HOLD_OPTIONS); 0 for any other option. */
int
sockgen_hold_option(int c, const char *arg)
{
	if (c == 'H')
		sockgen_opt.hold = sockgen_parse_uint(arg, "hold", 0, MAX_HOLD);
	else if (c == 't')
		sockgen_opt.timeout = sockgen_parse_uint(arg, "timeout", 1,
		    300);
	return c == 'H' || c == 't';
}

static void
parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 'S' },
		{ "client", required_argument, NULL, 'C' },
		{ "count", required_argument, NULL, 'n' },
		{ "only", required_argument, NULL, 'o' },
		{ "port", required_argument, NULL, 'p' },
		SOCKGEN_HOLD_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	sockgen_opt.count = 2;
	sockgen_opt.port = 5700;
	sockgen_opt.hold = 120;
	sockgen_opt.timeout = 20;
	for (i = 0; i < sockgen_nscenarios; i++)
		sockgen_opt.want[i] = 1;
	while ((c = getopt_long(argc, argv, "S:C:n:o:p:H:t:46h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'S':
			sockgen_opt.ns_name[SERVER] = optarg;
			break;
		case 'C':
			sockgen_opt.ns_name[CLIENT] = optarg;
			break;
		case 'n':
			sockgen_opt.count = sockgen_parse_uint(optarg, "count",
			    1, MAX_COUNT);
			break;
		case 'o':
			parse_only(optarg);
			break;
		case 'p':
			sockgen_opt.port = sockgen_parse_uint(optarg, "port",
			    1024, 65535 - sockgen_nscenarios);
			break;
		case 'H':
		case 't':
			sockgen_hold_option(c, optarg);
			break;
		case '4':
			sockgen_opt.families |= 1;
			break;
		case '6':
			sockgen_opt.families |= 2;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(64);
		}
	}
	if (optind < argc || sockgen_opt.ns_name[SERVER] == NULL ||
	    sockgen_opt.ns_name[CLIENT] == NULL) {
		usage(stderr);
		exit(64);
	}
	if (sockgen_opt.families == 0)
		sockgen_opt.families = 3;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * What stdin gives within the seconds: the bytes read into buf, 0 when it
 * ends, -1 when a signal comes or the time is up.
 */
ssize_t
sockgen_read_stdin(double seconds, char *buf, size_t size)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	struct sigaction sa;
	double end = sockgen_now() + seconds, left;
	ssize_t n;
	int r;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	while (!stop && (left = end - sockgen_now()) > 0) {
		r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno != EINTR)
			sockgen_die("poll: %s", strerror(errno));
		if (r > 0)
			return (n = read(0, buf, size)) < 0 ? 0 : n;
	}
	return -1;
}

/*
 * Hold everything until stdin ends (or, with any_input, gives anything), a
 * signal comes, or the seconds pass.
 */
void
sockgen_wait_stdin(double seconds, int any_input)
{
	double end = sockgen_now() + seconds;
	char buf[512];

	while (sockgen_read_stdin(end - sockgen_now(), buf, sizeof buf) > 0 &&
	    !any_input)
		;
}

/* The soft limit of open files raised to the hard one: need must fit. */
void
sockgen_raise_nofile(unsigned long need, const char *hint)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need)
		sockgen_die("%lu open files needed, the limit is %llu: %s",
		    need, (unsigned long long)rl.rlim_cur, hint);
}

static const struct {
	const char	*name;
	int		(*main)(int, char **);
} commands[] = {
	{ "hold", sockgen_hold_main },
	{ "server", sockgen_peer_main },
	{ "clients", sockgen_peer_main },
	{ "synflood", sockgen_peer_main },
	{ "crowd", sockgen_peer_main },
};

int
main(int argc, char **argv)
{
	size_t i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; argc > 1 && i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].main(argc - 1, argv + 1);
	parse_options(argc, argv);
	/* Two sides, two families. */
	sockgen_raise_nofile(2 * 2 * sockgen_nscenarios * sockgen_opt.count +
	    64, "lower --count");
	sockgen_opt.ns_fd[SERVER] = sockgen_netns_open(
	    sockgen_opt.ns_name[SERVER]);
	sockgen_opt.ns_fd[CLIENT] = sockgen_netns_open(
	    sockgen_opt.ns_name[CLIENT]);
	sockgen_build();
	sockgen_verify(SERVER);
	sockgen_verify(CLIENT);
	sockgen_print_manifest();
	sockgen_wait_stdin(sockgen_opt.hold, 0);
	return 0;
}
