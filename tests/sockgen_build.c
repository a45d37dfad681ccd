/*
 * sockgen_build.c - leading TCP connections into each state.
 *
 * Each scenario is a kind of connection: listeners in the server
 * namespace, clients in the client namespace (a socket stays in the
 * namespace it was created in), nftables rules that drop what must go
 * unanswered, and shutdowns or closes on either side. Between steps every
 * socket the process still holds is checked with TCP_INFO, in bounded waits.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>

#include "sockgen.h"

/* Room in a listener's backlog above what it must hold: no SYN cookies. */
#define BACKLOG_EXTRA	16

const struct sockgen_scenario sockgen_scenarios[] = {
	{ .name = "established", .handshake = 1, .accept = 1,
	  .end_client = TCP_ESTABLISHED, .end_server = TCP_ESTABLISHED },
	{ .name = "accept-queue", .handshake = 1,
	  .end_client = TCP_ESTABLISHED, .end_server = TCP_ESTABLISHED },
	/* SYN-ACKs are lost: the client retries, the server keeps a request. */
	{ .name = "syn", .client_drop = "drop",
	  .end_client = TCP_SYN_SENT, .end_server = TCP_SYN_RECV },
	/* A socket still open stays in FIN_WAIT2: no tcp_fin_timeout. */
	{ .name = "fin-wait2", .handshake = 1, .accept = 1,
	  .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT2, .mid_server = TCP_CLOSE_WAIT,
	  .end_client = TCP_FIN_WAIT2, .end_server = TCP_CLOSE_WAIT },
	/* The client's FIN never arrives, so it is never acknowledged. */
	{ .name = "fin-wait1", .server_drop = "drop",
	  .handshake = 1, .accept = 1, .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT1, .mid_server = TCP_ESTABLISHED,
	  .end_client = TCP_FIN_WAIT1, .end_server = TCP_ESTABLISHED },
	/* The server's FIN never arrives, so it is never acknowledged. */
	{ .name = "last-ack",
	  .client_drop = "tcp flags & fin == fin drop",
	  .handshake = 1, .accept = 1, .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT2, .mid_server = TCP_CLOSE_WAIT,
	  .server_act = ACT_SHUT_WR,
	  .end_client = TCP_FIN_WAIT2, .end_server = TCP_LAST_ACK },
	/*
	 * Simultaneous close: the client's FIN is lost, the server's FIN
	 * (which cannot acknowledge it) reaches the client, and the client's
	 * ACK of it is lost too.
	 */
	{ .name = "closing", .server_drop = "drop",
	  .handshake = 1, .accept = 1, .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT1, .mid_server = TCP_ESTABLISHED,
	  .server_act = ACT_SHUT_WR,
	  .end_client = TCP_CLOSING, .end_server = TCP_FIN_WAIT1 },
	/* As fin-wait1, but the client closes: an orphan retries its FIN. */
	{ .name = "orphan-fin-wait1", .server_drop = "drop",
	  .handshake = 1, .accept = 1, .client_act = ACT_CLOSE,
	  .mid_client = TCP_FIN_WAIT1, .mid_server = TCP_ESTABLISHED,
	  .end_client = TCP_FIN_WAIT1, .end_server = TCP_ESTABLISHED },
	/* As closing, but the client closes: an orphan in CLOSING. */
	{ .name = "orphan-closing", .server_drop = "drop",
	  .handshake = 1, .accept = 1, .client_act = ACT_CLOSE,
	  .mid_client = TCP_FIN_WAIT1, .mid_server = TCP_ESTABLISHED,
	  .server_act = ACT_SHUT_WR,
	  .end_client = TCP_CLOSING, .end_server = TCP_FIN_WAIT1 },
	/*
	 * The client closes and its FIN is acknowledged: the kernel turns the
	 * socket into a timewait socket in FIN_WAIT2 for tcp_fin_timeout (60 s).
	 */
	{ .name = "orphan-fin-wait2", .handshake = 1, .accept = 1,
	  .client_act = ACT_CLOSE,
	  .mid_client = TCP_FIN_WAIT2, .mid_server = TCP_CLOSE_WAIT,
	  .end_client = TCP_FIN_WAIT2, .end_server = TCP_CLOSE_WAIT },
	/* As last-ack, but the server closes: an orphan retries its FIN. */
	{ .name = "orphan-last-ack",
	  .client_drop = "tcp flags & fin == fin drop",
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
	  .client_drop = "drop",
	  .end_client = TCP_SYN_SENT, .end_server = TCP_SYN_RECV },
	/* The client closes first; its socket leaves a TIME_WAIT behind. */
	{ .name = "time-wait", .handshake = 1, .accept = 1,
	  .client_act = ACT_SHUT_WR,
	  .mid_client = TCP_FIN_WAIT2, .mid_server = TCP_CLOSE_WAIT,
	  .server_act = ACT_CLOSE,
	  .end_client = TCP_TIME_WAIT, .end_server = 0 },
};

#define NSCENARIOS (sizeof sockgen_scenarios / sizeof sockgen_scenarios[0])
_Static_assert(NSCENARIOS <= SOCKGEN_MAX_SCENARIOS, "raise the maximum");
const size_t sockgen_nscenarios = NSCENARIOS;

struct gsock	*sockgen_socks;
size_t		 sockgen_nsocks;

static const char *const role_addr[2][2] = {	/* [role][ipv6] */
	{ "10.201.0.2", "fd00:5757::2" },
	{ "10.201.0.1", "fd00:5757::1" },
};

double
sockgen_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
sockgen_nap(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

void
sockgen_enter(enum sockgen_role role)
{
	sockgen_netns_enter(sockgen_opt.ns_fd[role], sockgen_opt.ns_name[role]);
}

static void
make_addr(struct sockaddr_storage *ss, enum sockgen_role role, int v6,
    unsigned port)
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

static const struct sockgen_scenario *
scenario_of(const struct gsock *g)
{
	return &sockgen_scenarios[g->scen];
}

static struct gsock *
add_sock(int fd, enum sockgen_role role, size_t scen, int state)
{
	struct gsock *g;

	sockgen_socks = sockgen_reallocarray(sockgen_socks, sockgen_nsocks + 1,
	    sizeof *sockgen_socks);
	g = &sockgen_socks[sockgen_nsocks++];
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
	snprintf(buf, size, "%s %s socket %s -> %s", scenario_of(g)->name,
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
	sockgen_enter(SERVER);
	sockgen_sysctl("net/ipv4/tcp_synack_retries", "10");
	sockgen_sysctl("net/ipv4/tcp_orphan_retries", "15");
	sockgen_enter(CLIENT);
	sockgen_sysctl("net/ipv4/tcp_syn_retries", "10");
	sockgen_sysctl("net/ipv4/tcp_orphan_retries", "15");
}

/*
 * Twice the requests it may hold: past half full, the kernel shortens the
 * SYN-ACK retries of a listener's requests and SYN_RECV would not last.
 * One more per scenario, so a listener's row cannot pass for another's.
 */
int
sockgen_backlog(size_t scen)
{
	unsigned families = sockgen_scenarios[scen].dual ? 2 : 1;

	return (int)(2 * sockgen_opt.count * families + BACKLOG_EXTRA + scen);
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
	make_addr(&g->local, SERVER, v6, sockgen_opt.port + (unsigned)scen);
	if (sockgen_scenarios[scen].dual) {
		((struct sockaddr_in6 *)&g->local)->sin6_addr = in6addr_any;
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
		    sizeof zero) < 0)
			die_sock(g, "IPV6_V6ONLY");
	}
	g->peer.ss_family = g->local.ss_family;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&g->local,
	    sockgen_addr_len(&g->local)) < 0)
		die_sock(g, "bind");
	if (listen(fd, sockgen_backlog(scen)) < 0)
		die_sock(g, "listen");
}

/* The nft script for one namespace's rules, or NULL when none are needed. */
static char *
nft_script(enum sockgen_role role)
{
	char *s = NULL, rule[128];
	size_t len = 0, i, rules = 0;
	FILE *f;

	if ((f = open_memstream(&s, &len)) == NULL)
		sockgen_die("out of memory");
	fputs("table inet sockgen {\n chain pre {\n"
	    "  type filter hook prerouting priority -300; policy accept;\n", f);
	for (i = 0; i < sockgen_nscenarios; i++) {
		const struct sockgen_scenario *sc = &sockgen_scenarios[i];
		const char *action = role == CLIENT ? sc->client_drop :
		    sc->server_drop;

		if (!sockgen_opt.want[i] || action == NULL)
			continue;
		snprintf(rule, sizeof rule, "tcp %s %u %s",
		    role == CLIENT ? "sport" : "dport",
		    sockgen_opt.port + (unsigned)i, action);
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
install_rules(enum sockgen_role role)
{
	char *script = nft_script(role);

	if (script == NULL)
		return;
	sockgen_enter(role);
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

	sockgen_enter(SERVER);
	for (i = 0; i < sockgen_nscenarios; i++) {
		if (!sockgen_opt.want[i])
			continue;
		if (sockgen_scenarios[i].dual)
			open_listener(i, 1);
		else {
			for (f = 1; f <= 2; f++)
				if (sockgen_opt.families & f)
					open_listener(i, family_v6(f));
		}
	}
}

static void
start_connect(size_t scen, int v6)
{
	const struct sockgen_scenario *sc = &sockgen_scenarios[scen];
	struct gsock *g;
	socklen_t len;
	int fd;

	if ((fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		sockgen_die("socket: %s: raise the open file limit or lower "
		    "--count", strerror(errno));
	g = add_sock(fd, CLIENT, scen, sc->handshake ? TCP_ESTABLISHED :
	    TCP_SYN_SENT);
	make_addr(&g->peer, SERVER, v6, sockgen_opt.port + (unsigned)scen);
	if (connect(fd, (struct sockaddr *)&g->peer,
	    sockgen_addr_len(&g->peer)) == 0 || errno != EINPROGRESS)
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

	sockgen_enter(CLIENT);
	for (i = 0; i < sockgen_nscenarios; i++)
		for (f = 1; f <= 2; f++)
			for (k = 0; k < sockgen_opt.count; k++)
				if (sockgen_opt.want[i] &&
				    (sockgen_opt.families & f))
					start_connect(i, family_v6(f));
}

/* Wait until every socket with a file is in the state it must be in. */
static void
settle(const char *step)
{
	double deadline = sockgen_now() + sockgen_opt.timeout;
	struct tcp_info ti;
	struct gsock *g;
	socklen_t len;
	size_t i;
	char d[2 * SOCKGEN_ADDR_STRLEN + 64];

	for (i = 0; i < sockgen_nsocks; i++) {
		if ((g = &sockgen_socks[i])->fd < 0)
			continue;
		for (;;) {
			len = sizeof ti;
			if (getsockopt(g->fd, IPPROTO_TCP, TCP_INFO, &ti,
			    &len) < 0)
				die_sock(g, "TCP_INFO");
			if (ti.tcpi_state == g->state)
				break;
			if (sockgen_now() > deadline) {
				describe(d, sizeof d, g);
				sockgen_die("%s: %s is in %s, not %s, after "
				    "%u s", step, d,
				    sockgen_state_name(ti.tcpi_state),
				    sockgen_state_name(g->state),
				    sockgen_opt.timeout);
			}
			sockgen_nap();
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
		fd = accept4(sockgen_socks[li].fd, (struct sockaddr *)&peer,
		    &len, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return got;
			die_sock(&sockgen_socks[li], "accept");
		}
		/* add_sock may move the array: index it again afterwards. */
		g = add_sock(fd, SERVER, sockgen_socks[li].scen,
		    TCP_ESTABLISHED);
		g->peer = peer;
		len = sizeof g->local;
		if (getsockname(fd, (struct sockaddr *)&g->local, &len) < 0)
			die_sock(g, "getsockname");
		got++;
	}
}

static int
accepts(const struct gsock *g)
{
	return g->listener && scenario_of(g)->accept;
}

static void
accept_all(void)
{
	double deadline = sockgen_now() + sockgen_opt.timeout;
	unsigned need = 0, got = 0;
	size_t i, n = sockgen_nsocks;

	for (i = 0; i < n; i++)
		if (accepts(&sockgen_socks[i]))
			need += sockgen_opt.count;
	while (got < need) {
		for (i = 0; i < n; i++)
			if (accepts(&sockgen_socks[i]))
				got += accept_some(i);
		if (got < need && sockgen_now() > deadline)
			sockgen_die("only %u of %u connections accepted after "
			    "%u s", got, need, sockgen_opt.timeout);
		sockgen_nap();
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
	size_t i, n = sockgen_nsocks;
	struct gsock *g;

	for (i = 0; i < n; i++) {
		const struct gsock *c = &sockgen_socks[i];
		const struct sockgen_scenario *sc = scenario_of(c);

		if (c->role != CLIENT || sc->accept)
			continue;
		g = add_sock(-1, SERVER, sockgen_socks[i].scen, sc->end_server);
		g->local = sockgen_socks[i].peer;
		g->peer = sockgen_socks[i].local;
		if (sc->dual) {
			map_v4(&g->local);
			map_v4(&g->peer);
		}
	}
}

/* Shut down or close a socket; it must then reach state. */
static void
act(struct gsock *g, enum sockgen_action action, int state)
{
	if (action == ACT_SHUT_WR && shutdown(g->fd, SHUT_WR) < 0)
		die_sock(g, "shutdown");
	if (action == ACT_CLOSE) {
		close(g->fd);
		g->fd = -1;
		/*
		 * A closed socket past FIN_WAIT1 is a timewait mini socket,
		 * most often: learn_holders asks the kernel.
		 */
		g->holder = state == TCP_TIME_WAIT || state == TCP_FIN_WAIT2 ?
		    "timewait" : "orphan";
	}
	g->state = state;
}

static void
client_actions(void)
{
	size_t i;

	for (i = 0; i < sockgen_nsocks; i++) {
		struct gsock *g = &sockgen_socks[i];
		const struct sockgen_scenario *sc = scenario_of(g);

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

	for (i = 0; i < sockgen_nsocks; i++) {
		struct gsock *g = &sockgen_socks[i];
		const struct sockgen_scenario *sc = scenario_of(g);

		if (sc->server_act == ACT_NONE || g->listener)
			continue;
		if (g->role == SERVER) {
			if (g->fd >= 0)
				act(g, sc->server_act, sc->end_server);
		} else if (g->fd >= 0 && sc->end_client == TCP_TIME_WAIT)
			g->state = TCP_CLOSE;
		else
			g->state = sc->end_client;
	}
	settle("after the servers' shutdown or close");
	for (i = 0; i < sockgen_nsocks; i++) {
		struct gsock *g = &sockgen_socks[i];

		if (g->role == CLIENT && g->state == TCP_CLOSE)
			act(g, ACT_CLOSE, TCP_TIME_WAIT);
	}
}

/* Build every wanted scenario, in steps each side can be checked after. */
void
sockgen_build(void)
{
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
}
