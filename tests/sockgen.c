/*
 * sockgen.c - real TCP sockets in every state, for the system tests.
 *
 * Two network namespaces, made and linked by the test (tests/lib.sh), play
 * server (10.201.0.1, fd00:5757::1) and client (.2, ::2). One process makes
 * each socket in its namespace (a socket stays in the namespace it was
 * created in) and installs nftables rules there to drop what must go
 * unanswered: that is what holds a connection in SYN_SENT, FIN_WAIT1,
 * LAST_ACK or CLOSING. Every socket is checked with TCP_INFO, and each
 * namespace's whole table against /proc/net/tcp{,6}, before the manifest
 * and READY are printed; then all is held until stdin closes, a signal
 * comes, or --hold seconds pass. TIME_WAIT sockets last 60 s of that.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/resource.h>

#include "sockgen.h"

#define MAX_COUNT	2000
#define MAX_HOLD	600
#define BACKLOG_EXTRA	16	/* room above --count, so no SYN cookies */

enum role { CLIENT, SERVER };
enum action { ACT_NONE, ACT_SHUT_WR, ACT_CLOSE };

/*
 * How one kind of connection is led to its states: rules installed in the
 * client namespace from the start and in the server namespace once every
 * connection is up, what each side does, and the states that follow.
 */
struct scenario {
	const char	*name;
	const char	*client_drop;	/* client prerouting; %u: server port */
	const char	*server_drop;	/* server prerouting, once connected */
	int		 handshake;	/* 0: the SYN-ACK never arrives */
	int		 accept;	/* 0: left in the accept queue */
	int		 dual;		/* one [::] listener for both families */
	enum action	 client_act;
	int		 mid_client, mid_server;
	enum action	 server_act;
	int		 end_client, end_server;	/* 0: nothing left */
};

static const struct scenario scenarios[] = {
	{ .name = "established", .handshake = 1, .accept = 1,
	  .end_client = TCP_ESTABLISHED, .end_server = TCP_ESTABLISHED },
	{ .name = "accept-queue", .handshake = 1,
	  .end_client = TCP_ESTABLISHED, .end_server = TCP_ESTABLISHED },
	/* Without its SYN-ACK the client retries; the server keeps a request. */
	{ .name = "syn", .client_drop = "tcp sport %u drop",
	  .end_client = TCP_SYN_SENT, .end_server = TCP_SYN_RECV },
	/* A socket still open stays in FIN_WAIT2: no tcp_fin_timeout. */
	{ .name = "fin-wait2", .handshake = 1, .accept = 1, .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT2, .mid_server = TCP_CLOSE_WAIT,
	  .end_client = TCP_FIN_WAIT2, .end_server = TCP_CLOSE_WAIT },
	/* The client's FIN never arrives, so it is never acknowledged. */
	{ .name = "fin-wait1", .server_drop = "tcp dport %u drop",
	  .handshake = 1, .accept = 1, .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT1, .mid_server = TCP_ESTABLISHED,
	  .end_client = TCP_FIN_WAIT1, .end_server = TCP_ESTABLISHED },
	/* The server's FIN never arrives, so it is never acknowledged. */
	{ .name = "last-ack",
	  .client_drop = "tcp sport %u tcp flags & fin == fin drop",
	  .handshake = 1, .accept = 1, .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT2, .mid_server = TCP_CLOSE_WAIT,
	  .server_act = ACT_SHUT_WR,
	  .end_client = TCP_FIN_WAIT2, .end_server = TCP_LAST_ACK },
	/*
	 * Simultaneous close: the client's FIN is lost, the server's FIN
	 * (which cannot acknowledge it) reaches the client, and the client's
	 * ACK of it is lost too.
	 */
	{ .name = "closing", .server_drop = "tcp dport %u drop",
	  .handshake = 1, .accept = 1, .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT1, .mid_server = TCP_ESTABLISHED,
	  .server_act = ACT_SHUT_WR,
	  .end_client = TCP_CLOSING, .end_server = TCP_FIN_WAIT1 },
	/* As fin-wait1, but the client closes: an orphan retries its FIN. */
	{ .name = "orphan-fin-wait1", .server_drop = "tcp dport %u drop",
	  .handshake = 1, .accept = 1, .client_act = ACT_CLOSE,
	  .mid_client = TCP_FIN_WAIT1, .mid_server = TCP_ESTABLISHED,
	  .end_client = TCP_FIN_WAIT1, .end_server = TCP_ESTABLISHED },
	/* As last-ack, but the server closes: an orphan retries its FIN. */
	{ .name = "orphan-last-ack",
	  .client_drop = "tcp sport %u tcp flags & fin == fin drop",
	  .handshake = 1, .accept = 1, .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT2, .mid_server = TCP_CLOSE_WAIT,
	  .server_act = ACT_CLOSE,
	  .end_client = TCP_FIN_WAIT2, .end_server = TCP_LAST_ACK },
	/*
	 * A dual-stack listener: IPv4 connections to it are IPv6 sockets with
	 * IPv4-mapped addresses, and requests of either family are its own.
	 */
	{ .name = "dual-stack", .dual = 1, .handshake = 1, .accept = 1,
	  .end_client = TCP_ESTABLISHED, .end_server = TCP_ESTABLISHED },
	{ .name = "dual-stack-syn", .dual = 1,
	  .client_drop = "tcp sport %u drop",
	  .end_client = TCP_SYN_SENT, .end_server = TCP_SYN_RECV },
	/* The client closes first; its socket leaves a TIME_WAIT behind. */
	{ .name = "time-wait", .handshake = 1, .accept = 1, .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT2, .mid_server = TCP_CLOSE_WAIT,
	  .server_act = ACT_CLOSE,
	  .end_client = TCP_TIME_WAIT, .end_server = 0 },
};
#define NSCENARIOS (sizeof scenarios / sizeof scenarios[0])

/* One socket built; fd -1 when only the kernel holds it. */
struct gsock {
	int			 fd;
	enum role		 role;
	int			 listener;
	size_t			 scen;
	int			 state;	/* what it must be; 0: gone */
	struct sockaddr_storage	 local;
	struct sockaddr_storage	 peer;
};

struct options {
	const char	*ns_name[2];
	unsigned	 count;
	unsigned	 port;
	unsigned	 families;	/* bit 0 IPv4, bit 1 IPv6 */
	unsigned	 hold;
	unsigned	 timeout;
	int		 want[NSCENARIOS];
};

static struct options opt;
static int ns_fd[2];
static struct gsock *socks;
static size_t nsocks;
static volatile sig_atomic_t stop;

static const char *const role_addr[2][2] = {	/* [role][ipv6] */
	{ "10.201.0.2", "fd00:5757::2" },
	{ "10.201.0.1", "fd00:5757::1" },
};

static void
usage(FILE *f)
{
	size_t i;

	fputs("Usage: sockgen --server NS --client NS [OPTION]...\n"
	    "Build TCP sockets in every state between two linked network\n"
	    "namespaces, print what was built, READY, and hold them.\n\n"
	    "  -S, --server NS      server namespace (10.201.0.1, fd00:5757::1)\n"
	    "  -C, --client NS      client namespace (10.201.0.2, fd00:5757::2)\n"
	    "  -n, --count N        connections per scenario and family (2)\n"
	    "  -4, -6               one family only (default both)\n"
	    "  -o, --only LIST      these scenarios only, comma-separated\n"
	    "  -p, --port PORT      first server port (5700); one per scenario\n"
	    "  -H, --hold SEC       hold at most SEC seconds (120, max 600)\n"
	    "  -t, --timeout SEC    wait at most SEC for each step (20)\n\n"
	    "Output lines: 'socket NS STATE FAMILY LOCAL PEER SCENARIO HOLDER',\n"
	    "where HOLDER is file (this process has it open) or kernel, and\n"
	    "'listener NS LOCAL ACCEPT_QUEUE BACKLOG SYN_RECV', then READY.\n"
	    "Scenarios:", f);
	for (i = 0; i < NSCENARIOS; i++)
		fprintf(f, " %s", scenarios[i].name);
	fputc('\n', f);
}

static unsigned
parse_uint(const char *arg, const char *what, unsigned min, unsigned max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max)
		sockgen_die("bad %s '%s': give %u to %u", what, arg, min, max);
	return (unsigned)v;
}

static void
parse_only(const char *arg)
{
	char *copy = strdup(arg), *word, *save = NULL;
	size_t i;

	if (copy == NULL)
		sockgen_die("out of memory");
	memset(opt.want, 0, sizeof opt.want);
	for (word = strtok_r(copy, ",", &save); word != NULL;
	    word = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NSCENARIOS; i++)
			if (strcmp(word, scenarios[i].name) == 0)
				break;
		if (i == NSCENARIOS)
			sockgen_die("unknown scenario '%s': see --help", word);
		opt.want[i] = 1;
	}
	free(copy);
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
		{ "hold", required_argument, NULL, 'H' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	opt.count = 2;
	opt.port = 5700;
	opt.hold = 120;
	opt.timeout = 20;
	for (i = 0; i < NSCENARIOS; i++)
		opt.want[i] = 1;
	while ((c = getopt_long(argc, argv, "S:C:n:o:p:H:t:46h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'S':
			opt.ns_name[SERVER] = optarg;
			break;
		case 'C':
			opt.ns_name[CLIENT] = optarg;
			break;
		case 'n':
			opt.count = parse_uint(optarg, "count", 1, MAX_COUNT);
			break;
		case 'o':
			parse_only(optarg);
			break;
		case 'p':
			opt.port = parse_uint(optarg, "port", 1024,
			    65535 - NSCENARIOS);
			break;
		case 'H':
			opt.hold = parse_uint(optarg, "hold", 0, MAX_HOLD);
			break;
		case 't':
			opt.timeout = parse_uint(optarg, "timeout", 1, 300);
			break;
		case '4':
			opt.families |= 1;
			break;
		case '6':
			opt.families |= 2;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(64);
		}
	}
	if (optind < argc || opt.ns_name[SERVER] == NULL ||
	    opt.ns_name[CLIENT] == NULL) {
		usage(stderr);
		exit(64);
	}
	if (opt.families == 0)
		opt.families = 3;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nap(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static void
make_addr(struct sockaddr_storage *ss, enum role role, int v6, unsigned port)
{
	memset(ss, 0, sizeof *ss);
	if (!v6) {
		struct sockaddr_in *sin = (void *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, role_addr[role][0], &sin->sin_addr);
	} else {
		struct sockaddr_in6 *sin6 = (void *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, role_addr[role][1], &sin6->sin6_addr);
	}
}

static socklen_t
addr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
}

static struct gsock *
add_sock(int fd, enum role role, size_t scen, int state)
{
	struct gsock *g;

	socks = sockgen_reallocarray(socks, nsocks + 1, sizeof *socks);
	g = &socks[nsocks++];
	memset(g, 0, sizeof *g);
	g->fd = fd;
	g->role = role;
	g->scen = scen;
	g->state = state;
	return g;
}

static void
describe(char *buf, size_t size, const struct gsock *g)
{
	char l[SOCKGEN_ADDR_STRLEN], p[SOCKGEN_ADDR_STRLEN];

	sockgen_format_addr(l, sizeof l, &g->local);
	sockgen_format_addr(p, sizeof p, &g->peer);
	snprintf(buf, size, "%s %s socket %s -> %s", scenarios[g->scen].name,
	    g->role == SERVER ? "server" : "client", l, p);
}

static void
die_sock(const struct gsock *g, const char *what)
{
	char d[2 * SOCKGEN_ADDR_STRLEN + 64];

	describe(d, sizeof d, g);
	sockgen_die("%s: %s: %s", d, what, strerror(errno));
}

static void
set_sysctls(void)
{
	/*
	 * Half-open connections and orphans retrying a FIN must outlive the
	 * hold: 10 SYN-ACK retries take 2047 s, 10 SYN retries 1023 s, and 15
	 * orphan retries the 924 s a connected socket gets by default.
	 */
	sockgen_netns_enter(ns_fd[SERVER], opt.ns_name[SERVER]);
	sockgen_sysctl("net/ipv4/tcp_synack_retries", "10");
	sockgen_sysctl("net/ipv4/tcp_orphan_retries", "15");
	sockgen_netns_enter(ns_fd[CLIENT], opt.ns_name[CLIENT]);
	sockgen_sysctl("net/ipv4/tcp_syn_retries", "10");
	sockgen_sysctl("net/ipv4/tcp_orphan_retries", "15");
}

/*
 * Twice the requests it may hold: past half full, the kernel shortens the
 * SYN-ACK retries of a listener's requests and SYN_RECV would not last.
 * One more per scenario, so a listener's row cannot pass for another's.
 */
static int
backlog(size_t scen)
{
	unsigned families = scenarios[scen].dual ? 2 : 1;

	return (int)(2 * opt.count * families + BACKLOG_EXTRA + scen);
}

static void
open_listener(size_t scen, int v6)
{
	struct gsock *g;
	int fd, one = 1, zero = 0;

	if ((fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		sockgen_die("socket: %s", strerror(errno));
	g = add_sock(fd, SERVER, scen, TCP_LISTEN);
	g->listener = 1;
	make_addr(&g->local, SERVER, v6, opt.port + (unsigned)scen);
	if (scenarios[scen].dual) {
		((struct sockaddr_in6 *)&g->local)->sin6_addr = in6addr_any;
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
		    sizeof zero) < 0)
			die_sock(g, "IPV6_V6ONLY");
	}
	g->peer.ss_family = g->local.ss_family;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&g->local, addr_len(&g->local)) < 0)
		die_sock(g, "bind");
	if (listen(fd, backlog(scen)) < 0)
		die_sock(g, "listen");
}

/* The nft script for one namespace's rules, or NULL when none are needed. */
static char *
nft_script(enum role role)
{
	char *s = NULL, rule[128];
	size_t len = 0, i, rules = 0;
	FILE *f;

	if ((f = open_memstream(&s, &len)) == NULL)
		sockgen_die("out of memory");
	fputs("table inet sockgen {\n chain pre {\n"
	    "  type filter hook prerouting priority -300; policy accept;\n", f);
	for (i = 0; i < NSCENARIOS; i++) {
		const char *fmt = role == CLIENT ? scenarios[i].client_drop :
		    scenarios[i].server_drop;

		if (!opt.want[i] || fmt == NULL)
			continue;
		snprintf(rule, sizeof rule, fmt, opt.port + (unsigned)i);
		fprintf(f, "  %s\n", rule);
		rules++;
	}
	fputs(" }\n}\n", f);
	fclose(f);
	if (rules == 0) {
		free(s);
		return NULL;
	}
	return s;
}

static void
install_rules(enum role role)
{
	char *script = nft_script(role);

	if (script == NULL)
		return;
	sockgen_netns_enter(ns_fd[role], opt.ns_name[role]);
	sockgen_nft(script);
	free(script);
}

static int
family_v6(unsigned bit)
{
	return bit == 2;
}

static void
open_listeners(void)
{
	size_t i;
	unsigned f;

	sockgen_netns_enter(ns_fd[SERVER], opt.ns_name[SERVER]);
	for (i = 0; i < NSCENARIOS; i++) {
		if (!opt.want[i])
			continue;
		if (scenarios[i].dual)
			open_listener(i, 1);
		else {
			for (f = 1; f <= 2; f++)
				if (opt.families & f)
					open_listener(i, family_v6(f));
		}
	}
}

static void
start_connect(size_t scen, int v6)
{
	const struct scenario *sc = &scenarios[scen];
	struct gsock *g;
	socklen_t len;
	int fd;

	if ((fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		sockgen_die("socket: %s: raise the open file limit or lower "
		    "--count", strerror(errno));
	g = add_sock(fd, CLIENT, scen, sc->handshake ? TCP_ESTABLISHED :
	    TCP_SYN_SENT);
	make_addr(&g->peer, SERVER, v6, opt.port + (unsigned)scen);
	if (connect(fd, (struct sockaddr *)&g->peer, addr_len(&g->peer)) == 0 ||
	    errno != EINPROGRESS)
		die_sock(g, "connect did not start");
	len = sizeof g->local;
	if (getsockname(fd, (struct sockaddr *)&g->local, &len) < 0)
		die_sock(g, "getsockname");
}

static void
start_connects(void)
{
	size_t i;
	unsigned f, k;

	sockgen_netns_enter(ns_fd[CLIENT], opt.ns_name[CLIENT]);
	for (i = 0; i < NSCENARIOS; i++)
		for (f = 1; f <= 2; f++)
			for (k = 0; k < opt.count; k++)
				if (opt.want[i] && (opt.families & f))
					start_connect(i, family_v6(f));
}

/* Wait until every socket with a file is in the state it must be in. */
static void
settle(const char *step)
{
	double deadline = now() + opt.timeout;
	struct tcp_info ti;
	socklen_t len;
	size_t i = 0;
	char d[2 * SOCKGEN_ADDR_STRLEN + 64];

	for (; i < nsocks; i++) {
		if (socks[i].fd < 0)
			continue;
		for (;;) {
			len = sizeof ti;
			if (getsockopt(socks[i].fd, IPPROTO_TCP, TCP_INFO, &ti,
			    &len) < 0)
				die_sock(&socks[i], "TCP_INFO");
			if (ti.tcpi_state == socks[i].state)
				break;
			if (now() > deadline) {
				describe(d, sizeof d, &socks[i]);
				sockgen_die("%s: %s is in %s, not %s, after %u s",
				    step, d, sockgen_state_name(ti.tcpi_state),
				    sockgen_state_name(socks[i].state),
				    opt.timeout);
			}
			nap();
		}
	}
}

/* Accept from one listener what is waiting; returns how many. */
static unsigned
accept_some(size_t li)
{
	struct sockaddr_storage peer;
	struct gsock *g;
	socklen_t len;
	unsigned got = 0;
	int fd;

	for (;;) {
		len = sizeof peer;
		fd = accept4(socks[li].fd, (struct sockaddr *)&peer, &len,
		    SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return got;
			die_sock(&socks[li], "accept");
		}
		g = add_sock(fd, SERVER, socks[li].scen, TCP_ESTABLISHED);
		g->peer = peer;
		len = sizeof g->local;
		if (getsockname(fd, (struct sockaddr *)&g->local, &len) < 0)
			die_sock(g, "getsockname");
		got++;
	}
}

static void
accept_all(void)
{
	double deadline = now() + opt.timeout;
	unsigned need = 0, got = 0;
	size_t i, n = nsocks;

	for (i = 0; i < n; i++)
		if (socks[i].listener && scenarios[socks[i].scen].accept)
			need += opt.count;
	while (got < need) {
		for (i = 0; i < n; i++)
			if (socks[i].listener && scenarios[socks[i].scen].accept)
				got += accept_some(i);
		if (got < need && now() > deadline)
			sockgen_die("only %u of %u connections accepted after "
			    "%u s", got, need, opt.timeout);
		nap();
	}
}

/* An IPv4 address as the IPv4-mapped IPv6 address a [::] socket sees. */
static void
map_v4(struct sockaddr_storage *ss)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 *sin6 = (void *)ss;

	if (ss->ss_family != AF_INET)
		return;
	memcpy(&sin, ss, sizeof sin);
	memset(ss, 0, sizeof *ss);
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = sin.sin_port;
	sin6->sin6_addr.s6_addr[10] = 0xff;
	sin6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&sin6->sin6_addr.s6_addr[12], &sin.sin_addr, 4);
}

/*
 * The server halves the process holds no file for: requests, and children
 * left in the accept queue. They take their listener's family.
 */
static void
add_kernel_halves(void)
{
	size_t i, n = nsocks;
	struct gsock *g;

	for (i = 0; i < n; i++) {
		const struct scenario *sc = &scenarios[socks[i].scen];

		if (socks[i].role != CLIENT || sc->accept)
			continue;
		g = add_sock(-1, SERVER, socks[i].scen, sc->end_server);
		g->local = socks[i].peer;
		g->peer = socks[i].local;
		if (sc->dual) {
			map_v4(&g->local);
			map_v4(&g->peer);
		}
	}
}

/* Shut down or close a socket; it must then reach state. */
static void
act(struct gsock *g, enum action action, int state)
{
	if (action == ACT_SHUT_WR && shutdown(g->fd, SHUT_WR) < 0)
		die_sock(g, "shutdown");
	if (action == ACT_CLOSE) {
		close(g->fd);
		g->fd = -1;
	}
	g->state = state;
}

static void
client_actions(void)
{
	size_t i;

	for (i = 0; i < nsocks; i++) {
		const struct scenario *sc = &scenarios[socks[i].scen];
		struct gsock *g = &socks[i];

		if (sc->client_act == ACT_NONE || g->listener || g->fd < 0)
			continue;
		if (g->role == CLIENT)
			act(g, sc->client_act, sc->mid_client);
		else
			g->state = sc->mid_server;
	}
	settle("after the clients' shutdown or close");
}

/* The server acts; a client bound for TIME_WAIT sees its socket closed. */
static void
server_actions(void)
{
	size_t i;

	for (i = 0; i < nsocks; i++) {
		const struct scenario *sc = &scenarios[socks[i].scen];
		struct gsock *g = &socks[i];

		if (sc->server_act == ACT_NONE || g->listener || g->fd < 0)
			continue;
		if (g->role == SERVER)
			act(g, sc->server_act, sc->end_server);
		else
			g->state = sc->end_client == TCP_TIME_WAIT ? TCP_CLOSE :
			    sc->end_client;
	}
	settle("after the servers' shutdown or close");
	for (i = 0; i < nsocks; i++) {
		if (socks[i].role == CLIENT && socks[i].state == TCP_CLOSE) {
			close(socks[i].fd);
			socks[i].fd = -1;
			socks[i].state = TCP_TIME_WAIT;
		}
	}
}

static int
compare_rows(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **
expected_rows(enum role role, size_t *n)
{
	char **rows = NULL, row[SOCKGEN_ROW_STRLEN];
	size_t i;

	*n = 0;
	for (i = 0; i < nsocks; i++) {
		if (socks[i].role != role || socks[i].state == 0)
			continue;
		sockgen_format_row(row, sizeof row, socks[i].state,
		    &socks[i].local, &socks[i].peer);
		rows = sockgen_reallocarray(rows, *n + 1, sizeof *rows);
		if ((rows[(*n)++] = strdup(row)) == NULL)
			sockgen_die("out of memory");
	}
	qsort(rows, *n, sizeof *rows, compare_rows);
	return rows;
}

static void
free_rows(char **rows, size_t n)
{
	while (n > 0)
		free(rows[--n]);
	free(rows);
}

/* Print up to a few rows found on one side only; returns how many differ. */
static size_t
report_diff(char **want, size_t nw, char **have, size_t nh, int print)
{
	size_t i = 0, j = 0, diff = 0;
	int c;

	while (i < nw || j < nh) {
		c = i == nw ? 1 : j == nh ? -1 : strcmp(want[i], have[j]);
		if (c != 0 && print && diff < 10)
			fprintf(stderr, "sockgen: %s: %s\n", c < 0 ?
			    "missing" : "unexpected", c < 0 ? want[i] : have[j]);
		diff += c != 0;
		i += c <= 0;
		j += c >= 0;
	}
	return diff;
}

/* /proc/net/tcp{,6} of a namespace must hold exactly what was built. */
static void
verify_table(enum role role)
{
	double deadline = now() + opt.timeout;
	char **want, **have;
	size_t nw, nh, diff;

	sockgen_netns_enter(ns_fd[role], opt.ns_name[role]);
	want = expected_rows(role, &nw);
	for (;;) {
		have = sockgen_proc_rows(&nh);
		qsort(have, nh, sizeof *have, compare_rows);
		diff = report_diff(want, nw, have, nh, now() > deadline);
		free_rows(have, nh);
		if (diff == 0)
			break;
		if (now() > deadline)
			sockgen_die("namespace %s: %zu sockets differ from what "
			    "was built after %u s", opt.ns_name[role], diff,
			    opt.timeout);
		nap();
	}
	free_rows(want, nw);
}

static void
print_listener(const struct gsock *l)
{
	char a[SOCKGEN_ADDR_STRLEN];
	unsigned queued = 0, requests = 0;
	size_t i;

	for (i = 0; i < nsocks; i++) {
		const struct gsock *g = &socks[i];

		if (g->role != SERVER || g->scen != l->scen || g->fd >= 0)
			continue;
		if (!scenarios[l->scen].dual &&
		    g->local.ss_family != l->local.ss_family)
			continue;
		queued += g->state == TCP_ESTABLISHED;
		requests += g->state == TCP_SYN_RECV;
	}
	sockgen_format_addr(a, sizeof a, &l->local);
	printf("listener %s %s %u %d %u\n", opt.ns_name[SERVER], a, queued,
	    backlog(l->scen), requests);
}

static void
print_manifest(void)
{
	char l[SOCKGEN_ADDR_STRLEN], p[SOCKGEN_ADDR_STRLEN];
	size_t i;

	for (i = 0; i < nsocks; i++) {
		const struct gsock *g = &socks[i];

		if (g->state == 0)
			continue;
		sockgen_format_addr(l, sizeof l, &g->local);
		sockgen_format_addr(p, sizeof p, &g->peer);
		printf("socket %s %s %s %s %s %s %s\n", opt.ns_name[g->role],
		    sockgen_state_name(g->state), sockgen_family_name(&g->local),
		    l, p,
		    scenarios[g->scen].name, g->fd >= 0 ? "file" : "kernel");
	}
	for (i = 0; i < nsocks; i++)
		if (socks[i].listener)
			print_listener(&socks[i]);
	printf("READY\n");
	if (fflush(stdout) != 0)
		sockgen_die("cannot write the manifest: %s", strerror(errno));
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Hold everything until stdin ends, a signal comes, or --hold passes. */
static void
hold(void)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	struct sigaction sa;
	double end = now() + opt.hold, left;
	char buf[512];
	int r;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	while (!stop && (left = end - now()) > 0) {
		r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno != EINTR)
			sockgen_die("poll: %s", strerror(errno));
		if (r > 0 && read(0, buf, sizeof buf) <= 0)
			break;
	}
}

static void
raise_nofile(void)
{
	struct rlimit rl;
	rlim_t need = 2 * NSCENARIOS * 2 * (rlim_t)opt.count + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need)
		sockgen_die("--count %u needs %llu open files, the limit is "
		    "%llu: lower --count", opt.count, (unsigned long long)need,
		    (unsigned long long)rl.rlim_cur);
}

int
main(int argc, char **argv)
{
	parse_options(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();
	ns_fd[SERVER] = sockgen_netns_open(opt.ns_name[SERVER]);
	ns_fd[CLIENT] = sockgen_netns_open(opt.ns_name[CLIENT]);
	set_sysctls();
	open_listeners();
	install_rules(CLIENT);
	start_connects();
	settle("connecting");
	accept_all();
	add_kernel_halves();
	install_rules(SERVER);
	client_actions();
	server_actions();
	verify_table(SERVER);
	verify_table(CLIENT);
	print_manifest();
	hold();
	return 0;
}
