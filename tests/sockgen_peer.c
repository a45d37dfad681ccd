/*
 * sockgen_peer.c - the far side of the anomaly tests: servers and clients
 * that misbehave on purpose, in the current namespace.
 *
 *   sockgen server --port P [--addr A] [--backlog N] [--mode M]
 *     hold          accept and keep every connection; never read, never
 *                   close (the default)
 *     never-accept  leave every connection in the accept queue
 *     accept-close  accept and close at once
 *     read-close    accept, read, and close once the client has closed
 *     send-close    send more than the client will read, then close: an
 *                   orphan with data the kernel still has to deliver
 *     send          hold, and send a little now and then: sent again and
 *                   again when the peer is gone
 *     slow-accept   accept at most --rate connections a second and keep
 *                   them: a busy server behind a flash crowd
 *   sockgen clients --addr A --port P [--count N] [--mode M]
 *     close         connect and close at once (the default)
 *     hold          connect and keep
 *     shutdown      connect and shut down writing: our FIN, never theirs
 *     send-block    connect, then send until neither the peer's window
 *                   nor our buffer takes more
 *     burst         --rate non-blocking connects a second (0: at once),
 *                   kept whether they complete or not: a flash crowd
 *     keepalive     connect and keep, idle, with SO_KEEPALIVE probing
 *                   every second after one second of silence
 *     reset         connect and close at once with SO_LINGER {1, 0}: an
 *                   abortive close, a reset and no TIME_WAIT
 *
 * Both take --rcvbuf BYTES, write their pid to --ready FILE once in place,
 * and live --seconds (60) at most; clients in close mode end once all
 * closed. synflood and crowd (sockgen_raw.c) share the options.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockgen.h"

#define MAX_HELD	4096
#define MAX_COUNT	20000
#define CHUNK		65536

static int
is_mode(const struct sockgen_peer *p, const char *mode)
{
	return strcmp(p->mode, mode) == 0;
}

/* Write the pid to the ready file, whole or not at all. */
void
sockgen_peer_ready(const struct sockgen_peer *p)
{
	char tmp[4096];
	FILE *f;

	if (p->ready == NULL)
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", p->ready);
	if ((f = fopen(tmp, "we")) == NULL ||
	    fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0 ||
	    rename(tmp, p->ready) < 0)
		sockgen_die("cannot write %s: %s", p->ready, strerror(errno));
}

void
sockgen_sleep(double seconds)
{
	struct timespec ts;

	if (seconds <= 0)
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int
peer_socket(const struct sockgen_peer *p, struct sockaddr_storage *ss)
{
	int fd, rcvbuf = (int)p->rcvbuf;

	if (sockgen_parse_addr(p->addr, p->port, ss) < 0)
		sockgen_die("bad address '%s'", p->addr);
	if ((fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		sockgen_die("socket: %s", strerror(errno));
	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
	    sizeof rcvbuf) < 0)
		sockgen_die("SO_RCVBUF: %s", strerror(errno));
	return fd;
}

/* Send up to max bytes without blocking; stops at a full buffer. */
static void
send_some(int fd, size_t max, double deadline)
{
	static const char data[CHUNK];
	size_t sent = 0;
	ssize_t n;

	while (sent < max && sockgen_now() < deadline) {
		n = send(fd, data, max - sent < CHUNK ? max - sent : CHUNK,
		    MSG_DONTWAIT);
		if (n <= 0)
			break;
		sent += (size_t)n;
	}
}

static void
accept_all(const struct sockgen_peer *p, int lfd, int *held, size_t *nheld,
    double deadline, unsigned max)
{
	unsigned n = 0;
	int fd;

	errno = EAGAIN;
	while (n++ < max && (fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) >= 0) {
		if (is_mode(p, "send-close")) {
			send_some(fd, 64 * CHUNK, deadline);
			close(fd);
		} else if (is_mode(p, "accept-close") ||
		    *nheld == MAX_HELD)
			close(fd);
		else
			held[(*nheld)++] = fd;
	}
	if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
		sockgen_die("accept: %s", strerror(errno));
}

/* read-close: read what comes; close when the client has closed. */
static void
read_held(const struct pollfd *pfd, int *held, size_t *nheld)
{
	static char buf[CHUNK];
	size_t i;

	/* Backwards: a socket moved into a closed one's slot was read. */
	for (i = *nheld; i-- > 0;) {
		if (pfd[i].revents == 0 || recv(held[i], buf, sizeof buf,
		    MSG_DONTWAIT) > 0)
			continue;
		close(held[i]);
		held[i] = held[--*nheld];
	}
}

static int
server(const struct sockgen_peer *p)
{
	static struct pollfd pfd[1 + MAX_HELD];
	static int held[MAX_HELD];
	struct sockaddr_storage ss;
	double deadline = sockgen_now() + p->seconds;
	size_t nheld = 0, i, npoll;
	int lfd = peer_socket(p, &ss), one = 1;

	sockgen_raise_nofile(MAX_HELD + 64, "raise the hard limit");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fcntl(lfd, F_SETFL, O_NONBLOCK) < 0)
		sockgen_die("O_NONBLOCK: %s", strerror(errno));
	if (bind(lfd, (struct sockaddr *)&ss, sockgen_addr_len(&ss)) < 0 ||
	    listen(lfd, (int)p->backlog) < 0)
		sockgen_die("listen on %s:%u: %s", p->addr, p->port,
		    strerror(errno));
	sockgen_peer_ready(p);
	while (sockgen_now() < deadline) {
		if (is_mode(p, "never-accept")) {
			sockgen_sleep(0.2);
			continue;
		}
		npoll = is_mode(p, "read-close") ? nheld : 0;
		for (i = 0; i < npoll; i++)
			pfd[i] = (struct pollfd){ .fd = held[i],
			    .events = POLLIN };
		pfd[npoll] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		if (poll(pfd, npoll + 1, 200) < 0 && errno != EINTR)
			sockgen_die("poll: %s", strerror(errno));
		if (npoll > 0)
			read_held(pfd, held, &nheld);
		/* slow-accept: a poll every 0.2 s, rate/5 each time. */
		if (is_mode(p, "slow-accept")) {
			sockgen_sleep(0.2);
			accept_all(p, lfd, held, &nheld, deadline,
			    (unsigned)(p->rate / 5 > 1 ? p->rate / 5 : 1));
			continue;
		}
		accept_all(p, lfd, held, &nheld, deadline, ~0U);
		for (i = 0; is_mode(p, "send") && i < nheld; i++)
			send_some(held[i], 1000, deadline);
	}
	return 0;
}

/* SO_KEEPALIVE, probing every second after a second of silence. */
static void
keepalive(int fd)
{
	int one = 1, cnt = 30;

	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &one, sizeof one) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &one, sizeof one) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt) < 0)
		sockgen_die("SO_KEEPALIVE: %s", strerror(errno));
}

/* burst: connects that do not wait, --rate a second, all kept. */
static int
burst(const struct sockgen_peer *p)
{
	struct sockaddr_storage ss;
	double start = sockgen_now(), deadline = start + p->seconds;
	int *socks = sockgen_reallocarray(NULL, p->count, sizeof *socks);
	unsigned i;

	sockgen_raise_nofile(p->count + 64UL, "lower --count");
	for (i = 0; i < p->count && sockgen_now() < deadline; i++) {
		if (p->rate > 0 && i > (sockgen_now() - start) * p->rate)
			sockgen_sleep(1 / p->rate);
		socks[i] = peer_socket(p, &ss);
		if (fcntl(socks[i], F_SETFL, O_NONBLOCK) < 0 ||
		    (connect(socks[i], (struct sockaddr *)&ss,
		    sockgen_addr_len(&ss)) < 0 && errno != EINPROGRESS))
			sockgen_die("connection %u to %s:%u: %s", i + 1,
			    p->addr, p->port, strerror(errno));
	}
	fprintf(stderr, "# sockgen: burst of %u connects in %.1f s\n", i,
	    sockgen_now() - start);
	sockgen_peer_ready(p);
	sockgen_sleep(deadline - sockgen_now());
	free(socks);
	return 0;
}

static int
clients(const struct sockgen_peer *p)
{
	struct sockaddr_storage ss;
	struct timeval tv = { .tv_sec = 5 };
	double deadline = sockgen_now() + p->seconds;
	int *socks = sockgen_reallocarray(NULL, p->count, sizeof *socks);
	unsigned i, n = 0;
	int fd;

	if (is_mode(p, "burst"))
		return burst(p);
	sockgen_raise_nofile(p->count + 64UL, "lower --count");
	for (i = 0; i < p->count && sockgen_now() < deadline; i++) {
		fd = peer_socket(p, &ss);
		/* A connect that blocks, at most 5 s. */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		if (connect(fd, (struct sockaddr *)&ss,
		    sockgen_addr_len(&ss)) < 0)
			sockgen_die("connection %u to %s:%u: %s", i + 1,
			    p->addr, p->port, strerror(errno));
		if (is_mode(p, "reset")) {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };

			if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg,
			    sizeof lg) < 0)
				sockgen_die("SO_LINGER: %s", strerror(errno));
		}
		if (is_mode(p, "close") || is_mode(p, "reset")) {
			close(fd);
			continue;
		}
		if (is_mode(p, "keepalive"))
			keepalive(fd);
		if (is_mode(p, "shutdown") && shutdown(fd, SHUT_WR) < 0)
			sockgen_die("shutdown: %s", strerror(errno));
		socks[n++] = fd;
	}
	/* The peer does not read: the kernel probes its zero window. */
	for (i = 0; is_mode(p, "send-block") && i < n; i++)
		send_some(socks[i], 64 << 20, deadline);
	sockgen_peer_ready(p);
	if (!is_mode(p, "close") && !is_mode(p, "reset"))
		sockgen_sleep(deadline - sockgen_now());
	free(socks);
	return 0;
}

struct command {
	const char	*name;
	int		(*run)(const struct sockgen_peer *);
	const char	*modes[9];	/* the first is the default */
	int		 raw;
};

static const struct command commands[] = {
	{ "server", server, { "hold", "never-accept", "accept-close",
	    "read-close", "send-close", "send", "slow-accept" }, 0 },
	{ "clients", clients, { "close", "hold", "send-block", "shutdown",
	    "burst", "keepalive", "reset" }, 0 },
	{ "synflood", sockgen_synflood, { "" }, 1 },
	{ "crowd", sockgen_crowd, { "" }, 1 },
};

static void
usage(FILE *f, const struct command *cmd)
{
	size_t i;

	if (cmd->raw)
		fprintf(f, "Usage: sockgen %s --dst ADDR --port PORT "
		    "[--count N] [--seconds S]\n    [--rate PER_S] [--seed N]%s"
		    "\n", cmd->name, strcmp(cmd->name, "crowd") == 0 ?
		    " [--delay S] [--sources N] [--ifname IF]" : "");
	else {
		fprintf(f, "Usage: sockgen %s %s [--rcvbuf BYTES]\n"
		    "    [--seconds S] [--ready FILE] [--rate N] [--mode MODE]\nModes:",
		    cmd->name, strcmp(cmd->name, "server") == 0 ?
		    "--port PORT [--addr ADDR] [--backlog N]" :
		    "--addr ADDR --port PORT [--count N]");
		for (i = 0; cmd->modes[i] != NULL; i++)
			fprintf(f, " %s", cmd->modes[i]);
		fputc('\n', f);
	}
	fputs("See tests/sockgen_peer.c and tests/sockgen_raw.c.\n", f);
}

static void
check_mode(const struct sockgen_peer *p, const struct command *cmd)
{
	size_t i;

	for (i = 0; cmd->modes[i] != NULL; i++)
		if (strcmp(p->mode, cmd->modes[i]) == 0)
			return;
	fprintf(stderr, "sockgen: %s: no mode '%s'\n", cmd->name, p->mode);
	usage(stderr, cmd);
	exit(64);
}

static void
defaults(struct sockgen_peer *p, const struct command *cmd)
{
	int crowd = strcmp(cmd->name, "crowd") == 0;

	memset(p, 0, sizeof *p);
	p->addr = strcmp(cmd->name, "server") == 0 ? "0.0.0.0" : NULL;
	p->backlog = 128;
	p->mode = cmd->modes[0];
	p->seconds = cmd->raw ? 20 : 60;
	p->count = cmd->raw ? 300 : 10;
	p->rate = crowd ? 250 : 0;
	p->seed = 5757;
	p->delay = 0.6;
	p->sources = 100;
	p->ifname = "eth0";
}

static void
parse_options(int argc, char **argv, struct sockgen_peer *p,
    const struct command *cmd)
{
	static const struct option longopts[] = {
		{ "addr", required_argument, NULL, 'a' },
		{ "dst", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "backlog", required_argument, NULL, 'b' },
		{ "mode", required_argument, NULL, 'm' },
		{ "rcvbuf", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "ready", required_argument, NULL, 'R' },
		{ "count", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'x' },
		{ "seed", required_argument, NULL, 'S' },
		{ "delay", required_argument, NULL, 'd' },
		{ "sources", required_argument, NULL, 'N' },
		{ "ifname", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	defaults(p, cmd);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			p->addr = optarg;
			break;
		case 'p':
			p->port = sockgen_parse_uint(optarg, "port", 1, 65535);
			break;
		case 'b':
			p->backlog = sockgen_parse_uint(optarg, "backlog", 1,
			    65535);
			break;
		case 'm':
			p->mode = optarg;
			break;
		case 'r':
			p->rcvbuf = sockgen_parse_uint(optarg, "rcvbuf", 0,
			    1 << 26);
			break;
		case 's':
			p->seconds = sockgen_parse_double(optarg, "seconds",
			    600);
			break;
		case 'R':
			p->ready = optarg;
			break;
		case 'n':
			p->count = sockgen_parse_uint(optarg, "count", 1,
			    MAX_COUNT);
			break;
		case 'x':
			p->rate = sockgen_parse_double(optarg, "rate", 10000);
			break;
		case 'S':
			p->seed = sockgen_parse_uint(optarg, "seed", 0, ~0U);
			break;
		case 'd':
			p->delay = sockgen_parse_double(optarg, "delay", 10);
			break;
		case 'N':
			p->sources = sockgen_parse_uint(optarg, "sources", 1,
			    MAX_COUNT);
			break;
		case 'i':
			p->ifname = optarg;
			break;
		case 'h':
			usage(stdout, cmd);
			exit(0);
		default:
			usage(stderr, cmd);
			exit(64);
		}
	}
	if (optind < argc || p->addr == NULL || p->port == 0) {
		usage(stderr, cmd);
		exit(64);
	}
	check_mode(p, cmd);
}

/* argv[0] names the command: server, clients, synflood or crowd. */
int
sockgen_peer_main(int argc, char **argv)
{
	struct sockgen_peer p;
	size_t i;

	for (i = 0; strcmp(argv[0], commands[i].name) != 0; i++)
		if (i + 1 == sizeof commands / sizeof commands[0])
			sockgen_die("no command %s", argv[0]);
	parse_options(argc, argv, &p, &commands[i]);
	return commands[i].run(&p);
}
