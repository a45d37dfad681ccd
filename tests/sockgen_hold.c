/*
 * sockgen_hold.c - sockets held in chosen states in the current namespace,
 * then what their peers saw: sockgen hold [-H SEC] [-t SEC] SPEC...
 *
 *   listen:ADDR:PORT          a listener (backlog 128); ADDR may be [::]
 *   backlog:ADDR:PORT:N       a listener with a backlog of N
 *   est:ADDR:PORT:NAME        a connection to that listener, accepted; the
 *                             client end is watched as NAME
 *   closewait:ADDR:PORT:NAME  the client shuts down writing: the accepted
 *                             end is in CLOSE_WAIT, the client in FIN_WAIT2
 *   timewait:ADDR:PORT        the accepted end closes first: TIME_WAIT
 *   synsent:ADDR:PORT         a connect left to itself: SYN_SENT, and
 *                             SYN_RECV on the server when the test drops
 *                             the SYN-ACK
 *
 * ADDR is IPv4 or IPv6, bracketed or not; a connection goes to the
 * listener with its address and port, or else to one on its port (a
 * wildcard). Each socket is checked in its state (TCP_INFO, and
 * /proc/net for a TIME_WAIT) before "ready" is printed. It then holds them
 * until stdin gives a line or ends, a signal comes, or -H seconds (120)
 * pass, and prints "NAME reset|eof|open|aborted" for every watched client.
 * The lines "shut NAME", "close NAME", "abort NAME" and "queue PORT N" act
 * and hold
 * on (see command()).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/tcp.h>

#include "sockgen.h"

#define HOLD_BACKLOG	128
#define MAX_SPECS	1000

struct spec {
	char			*buf;	/* kind and name point here */
	const char		*kind;
	const char		*name;	/* est, closewait; backlog: N */
	struct sockaddr_storage	 addr;
};

struct listener {
	struct sockaddr_storage	 addr;
	int			 fd;
};

struct watched {
	char		*name;
	int		 fd;
	int		 accepted;	/* its server end, or -1 */
};

static struct listener	*listeners;
static size_t		 nlisteners;
static struct watched	*watched;
static size_t		 nwatched;

static void
usage(FILE *f)
{
	fputs("Usage: sockgen hold [-H SEC] [-t SEC] SPEC...\n"
	    "Hold TCP sockets in the current network namespace, print "
	    "'ready',\nand once stdin gives a line or ends print "
	    "'NAME reset|eof|open'\nfor every watched client. A line "
	    "'shut NAME' shuts down writing on\nthe watched client NAME, "
	    "'close NAME' closes its server end, 'abort NAME' both ends with\n"
	    "a reset; each prints "
	    "'VERB NAME PORT'. 'queue PORT N' makes N connections to the\n"
	    "listener on PORT that it never accepts, and prints that line.\n\n"
	    "  -H, --hold SEC       hold at most SEC seconds (120, max 600)\n"
	    "  -t, --timeout SEC    wait at most SEC for each step (5)\n\n"
	    "SPEC: listen:ADDR:PORT backlog:ADDR:PORT:N est:ADDR:PORT:NAME\n"
	    "      closewait:ADDR:PORT:NAME timewait:ADDR:PORT "
	    "synsent:ADDR:PORT\n", f);
}

static void
parse_spec(const char *arg, struct spec *sp)
{
	char *copy = strdup(arg), *rest, *port;
	int named;

	if (copy == NULL)
		sockgen_die("out of memory");
	if ((rest = strchr(copy, ':')) == NULL)
		sockgen_die("bad spec '%s': see --help", arg);
	*rest++ = '\0';
	sp->buf = copy;
	sp->kind = copy;
	sp->name = NULL;
	/* An IPv6 address has colons of its own: count from the end. */
	named = strcmp(copy, "est") == 0 || strcmp(copy, "closewait") == 0 ||
	    strcmp(copy, "backlog") == 0;
	if (named) {
		if ((port = strrchr(rest, ':')) == NULL)
			sockgen_die("bad spec '%s': no name", arg);
		*port++ = '\0';
		sp->name = port;
	}
	if ((port = strrchr(rest, ':')) == NULL)
		sockgen_die("bad spec '%s': no port", arg);
	*port++ = '\0';
	if (sockgen_parse_addr(rest, sockgen_parse_uint(port, "port", 1,
	    65535), &sp->addr) < 0)
		sockgen_die("bad spec '%s': no address '%s'", arg, rest);
}

static int
new_socket(const struct sockaddr_storage *ss, int flags)
{
	int fd;

	if ((fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | flags,
	    0)) < 0)
		sockgen_die("socket: %s", strerror(errno));
	return fd;
}

static void
listen_on(const struct spec *sp, int backlog)
{
	struct listener *l;
	char a[SOCKGEN_ADDR_STRLEN];
	int one = 1, zero = 0;

	listeners = sockgen_reallocarray(listeners, nlisteners + 1,
	    sizeof *listeners);
	l = &listeners[nlisteners++];
	l->addr = sp->addr;
	l->fd = new_socket(&sp->addr, SOCK_NONBLOCK);
	setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	/* [::] takes IPv4 too, whatever net.ipv6.bindv6only says. */
	if (sp->addr.ss_family == AF_INET6)
		setsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
		    sizeof zero);
	if (bind(l->fd, (const struct sockaddr *)&sp->addr,
	    sockgen_addr_len(&sp->addr)) < 0 ||
	    listen(l->fd, backlog) < 0) {
		sockgen_format_addr(a, sizeof a, &sp->addr);
		sockgen_die("listen on %s: %s", a, strerror(errno));
	}
}

static void
make_listener(const struct spec *sp)
{
	listen_on(sp, HOLD_BACKLOG);
}

static void
make_backlog(const struct spec *sp)
{
	listen_on(sp, (int)sockgen_parse_uint(sp->name, "backlog", 1, 4096));
}

static unsigned
port_of(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ?
	    ntohs(((const struct sockaddr_in *)ss)->sin_port) :
	    ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

static struct listener *
find_listener_port(unsigned port)
{
	size_t i;

	for (i = 0; i < nlisteners; i++)
		if (port_of(&listeners[i].addr) == port)
			return &listeners[i];
	sockgen_die("no listener on port %u: give listen: first", port);
}

/* The listener with that address and port, or else one on that port. */
static struct listener *
find_listener(const struct sockaddr_storage *to)
{
	size_t i;

	for (i = 0; i < nlisteners; i++)
		if (memcmp(&listeners[i].addr, to, sockgen_addr_len(to)) == 0)
			return &listeners[i];
	return find_listener_port(port_of(to));
}

static void
wait_state(int fd, int state, const char *what)
{
	double deadline = sockgen_now() + sockgen_opt.timeout;
	int st;

	while ((st = sockgen_tcp_state(fd)) != state) {
		if (st < 0 || sockgen_now() > deadline)
			sockgen_die("%s: in %s, not %s, after %u s", what,
			    sockgen_state_name(st), sockgen_state_name(state),
			    sockgen_opt.timeout);
		sockgen_nap();
	}
}

/* A connection to a listener of ours, and its accepted end. */
static int
connect_accept(const struct spec *sp, int *accepted)
{
	struct listener *l = find_listener(&sp->addr);
	struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
	struct timeval tv = { .tv_sec = sockgen_opt.timeout };
	int c = new_socket(&sp->addr, 0);

	/* A connect that blocks, at most the timeout. */
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(c, (const struct sockaddr *)&sp->addr,
	    sockgen_addr_len(&sp->addr)) < 0)
		sockgen_die("%s: connect: %s", sp->kind, strerror(errno));
	if (poll(&pfd, 1, (int)sockgen_opt.timeout * 1000) <= 0 ||
	    (*accepted = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		sockgen_die("%s: nothing to accept after %u s", sp->kind,
		    sockgen_opt.timeout);
	wait_state(c, TCP_ESTABLISHED, sp->kind);
	return c;
}

static void
watch(const char *name, int fd, int accepted)
{
	watched = sockgen_reallocarray(watched, nwatched + 1, sizeof *watched);
	if ((watched[nwatched].name = strdup(name)) == NULL)
		sockgen_die("out of memory");
	watched[nwatched].accepted = accepted;
	watched[nwatched++].fd = fd;
}

static void
make_est(const struct spec *sp)
{
	int a, c = connect_accept(sp, &a);

	watch(sp->name, c, a);
}

static void
make_closewait(const struct spec *sp)
{
	int a, c = connect_accept(sp, &a);

	if (shutdown(c, SHUT_WR) < 0)
		sockgen_die("closewait: shutdown: %s", strerror(errno));
	wait_state(a, TCP_CLOSE_WAIT, "closewait: the accepted end");
	wait_state(c, TCP_FIN_WAIT2, "closewait: the client");
	watch(sp->name, c, a);
}

/* The accepted end closes first, the client then: a TIME_WAIT is left. */
static void
make_timewait(const struct spec *sp)
{
	struct sockaddr_storage local, peer;
	socklen_t llen = sizeof local, plen = sizeof peer;
	char row[SOCKGEN_ROW_STRLEN];
	double deadline;
	int a, c = connect_accept(sp, &a);

	if (getsockname(a, (struct sockaddr *)&local, &llen) < 0 ||
	    getpeername(a, (struct sockaddr *)&peer, &plen) < 0)
		sockgen_die("timewait: %s", strerror(errno));
	sockgen_format_row(row, sizeof row, TCP_TIME_WAIT, &local, &peer);
	close(a);
	wait_state(c, TCP_CLOSE_WAIT, "timewait: the client");
	close(c);
	deadline = sockgen_now() + sockgen_opt.timeout;
	while (!sockgen_has_row(row, 0)) {
		if (sockgen_now() > deadline)
			sockgen_die("timewait: no %s after %u s", row,
			    sockgen_opt.timeout);
		sockgen_nap();
	}
}

static void
make_synsent(const struct spec *sp)
{
	int c = new_socket(&sp->addr, SOCK_NONBLOCK);

	if (connect(c, (const struct sockaddr *)&sp->addr,
	    sockgen_addr_len(&sp->addr)) == 0 || errno != EINPROGRESS)
		sockgen_die("synsent: connect did not start: %s",
		    strerror(errno));
}

static const struct {
	const char	*kind;
	void		(*make)(const struct spec *);
} kinds[] = {
	{ "listen", make_listener },
	{ "backlog", make_backlog },
	{ "est", make_est },
	{ "closewait", make_closewait },
	{ "timewait", make_timewait },
	{ "synsent", make_synsent },
};

static void
make(const char *arg)
{
	struct spec sp;
	size_t i;

	parse_spec(arg, &sp);
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(sp.kind, kinds[i].kind) == 0)
			break;
	if (i == sizeof kinds / sizeof kinds[0])
		sockgen_die("unknown spec '%s': see --help", arg);
	kinds[i].make(&sp);
	free(sp.buf);
}

/* What a watched client's peer did to it, as its next read tells. */
static const char *
peer_saw(int fd, char *buf, size_t size)
{
	char c;
	ssize_t n;

	if (fd < 0)
		return "aborted";
	n = recv(fd, &c, 1, MSG_DONTWAIT);

	if (n > 0 || (n < 0 && errno == EAGAIN))
		return "open";
	if (n == 0)
		return "eof";
	if (errno == ECONNRESET)
		return "reset";
	snprintf(buf, size, "error-%d", errno);
	return buf;
}

static void
parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		SOCKGEN_HOLD_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	sockgen_opt.hold = 120;
	sockgen_opt.timeout = 5;
	while ((c = getopt_long(argc, argv, "+H:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'H':
		case 't':
			sockgen_hold_option(c, optarg);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(64);
		}
	}
	if (optind == argc || argc - optind > MAX_SPECS) {
		usage(stderr);
		exit(64);
	}
}

static struct watched *
find_watched(const char *verb, const char *name)
{
	size_t i;

	for (i = 0; i < nwatched; i++)
		if (strcmp(watched[i].name, name) == 0)
			return &watched[i];
	sockgen_die("%s %s: no such watched client", verb, name);
}

/*
 * "queue PORT N": N connections to the listener on PORT, never accepted:
 * they fill its accept queue, and past it their SYNs are dropped (the
 * clients stay in SYN_SENT). Says the line back.
 */
static void
queue_connections(const char *line)
{
	struct sockaddr_storage to;
	unsigned port, n, i;
	int c;

	if (sscanf(line, "queue %u %u", &port, &n) != 2 || port == 0 ||
	    port > 65535 || n > 1000)
		sockgen_die("bad command '%s': queue PORT N", line);
	to = find_listener_port(port)->addr;
	if (to.ss_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(
	    &((struct sockaddr_in6 *)&to)->sin6_addr))
		((struct sockaddr_in6 *)&to)->sin6_addr = in6addr_loopback;
	else if (to.ss_family == AF_INET &&
	    ((struct sockaddr_in *)&to)->sin_addr.s_addr == htonl(INADDR_ANY))
		((struct sockaddr_in *)&to)->sin_addr.s_addr =
		    htonl(INADDR_LOOPBACK);
	for (i = 0; i < n; i++) {
		c = new_socket(&to, SOCK_NONBLOCK);
		if (connect(c, (const struct sockaddr *)&to,
		    sockgen_addr_len(&to)) < 0 && errno != EINPROGRESS)
			sockgen_die("queue: connect: %s", strerror(errno));
	}
	printf("%s\n", line);
}

/*
 * Close both ends of a watched connection with a reset (SO_LINGER 0): the
 * kernel frees both sockets at once, no FIN_WAIT or TIME_WAIT after them.
 * Returns the client's port.
 */
static unsigned
abort_watched(struct watched *w)
{
	struct linger now = { 1, 0 };
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (w->fd < 0 || getsockname(w->fd, (struct sockaddr *)&ss, &len) < 0)
		sockgen_die("abort %s: %s", w->name,
		    w->fd < 0 ? "aborted already" : strerror(errno));
	if (setsockopt(w->fd, SOL_SOCKET, SO_LINGER, &now, sizeof now) < 0 ||
	    close(w->fd) < 0)
		sockgen_die("abort %s: %s", w->name, strerror(errno));
	w->fd = -1;
	if (w->accepted >= 0) {
		setsockopt(w->accepted, SOL_SOCKET, SO_LINGER, &now, sizeof now);
		close(w->accepted);
		w->accepted = -1;
	}
	return port_of(&ss);
}

/*
 * "shut NAME": the watched client NAME shuts down writing (FIN_WAIT2, its
 * server end CLOSE_WAIT). "close NAME": its server end closes (after a
 * shut, the client goes to TIME_WAIT). "abort NAME": both ends close with
 * a reset. Each says "VERB NAME PORT". And
 * "queue PORT N" (see above).
 */
static int
command(const char *line)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	struct watched *w;
	const char *verb;
	int r;

	if (strncmp(line, "queue ", 6) == 0) {
		queue_connections(line);
		if (fflush(stdout) != 0)
			sockgen_die("cannot write: %s", strerror(errno));
		return 1;
	}
	if (strncmp(line, "abort ", 6) == 0) {
		w = find_watched("abort", line + 6);
		printf("abort %s %u\n", w->name, abort_watched(w));
		if (fflush(stdout) != 0)
			sockgen_die("cannot write: %s", strerror(errno));
		return 1;
	}
	if (strncmp(line, "shut ", 5) == 0) {
		verb = "shut";
		w = find_watched(verb, line + 5);
		r = shutdown(w->fd, SHUT_WR);
	} else if (strncmp(line, "close ", 6) == 0) {
		verb = "close";
		w = find_watched(verb, line + 6);
		r = w->accepted >= 0 ? close(w->accepted) : -1;
		w->accepted = -1;
	} else
		return 0;
	if (r < 0 || getsockname(w->fd, (struct sockaddr *)&ss, &len) < 0)
		sockgen_die("%s %s: %s", verb, w->name, strerror(errno));
	printf("%s %s %u\n", verb, w->name, port_of(&ss));
	if (fflush(stdout) != 0)
		sockgen_die("cannot write: %s", strerror(errno));
	return 1;
}

/*
 * Hold until stdin gives a line other than "shut NAME" (see above), or
 * ends. Lines are put together across reads: a pipe may split one.
 */
static void
hold_until_told(double seconds)
{
	double end = sockgen_now() + seconds;
	char buf[512], *nl;
	size_t len = 0;
	ssize_t n;

	while ((n = sockgen_read_stdin(end - sockgen_now(), buf + len,
	    sizeof buf - 1 - len)) > 0) {
		len += (size_t)n;
		buf[len] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			if (!command(buf))
				return;
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len + 1);
		}
		if (len == sizeof buf - 1)
			return;		/* a line this long is no command */
	}
}

int
sockgen_hold_main(int argc, char **argv)
{
	struct timespec rst = { 0, 200 * 1000 * 1000 };
	char buf[32];
	size_t i;
	int k;

	parse_options(argc, argv);
	sockgen_raise_nofile(2 * (unsigned long)(argc - optind) + 64,
	    "give fewer specs");
	for (k = optind; k < argc; k++)
		make(argv[k]);
	printf("ready\n");
	if (fflush(stdout) != 0)
		sockgen_die("cannot write: %s", strerror(errno));
	hold_until_told(sockgen_opt.hold);
	nanosleep(&rst, NULL);	/* let the resets of a kill arrive */
	for (i = 0; i < nwatched; i++)
		printf("%s %s\n", watched[i].name,
		    peer_saw(watched[i].fd, buf, sizeof buf));
	return fflush(stdout) != 0;
}
