/*
 * popgen.c - build a large population of TCP sockets for make bench.
 *
 * bench/run.sh runs it inside a network namespace of its own that it has
 * prepared (loopback up, addresses and sysctls, the nftables rule that drops
 * the SYN-ACKs answering our raw SYNs). Everything stays on loopback. The
 * population, for a total of N sockets, is built in this order:
 *
 *   - ESTABLISHED pairs, a few of them half-closed into CLOSE_WAIT and
 *     FIN_WAIT2, held open by worker processes: one process may hold only
 *     about 20,000 descriptors here and the hard limit cannot be raised;
 *   - half-open SYN_RECV request sockets made by raw SYNs to one listener;
 *   - N/2 TIME_WAIT sockets, last, because they die after a fixed 60 s.
 *
 * With -e it builds ESTABLISHED pairs only, N/2 of them, for the
 * dashboard's benchmark (bench/tui-cpu.sh).
 *
 * Each process has its own listeners (a shared one would let a worker
 * accept another's connections) and its own source addresses, 127.P.x.y and
 * fd00:5757:b:P::x, so ephemeral ports never run short: a client binds its
 * address with IP_BIND_ADDRESS_NO_PORT and the kernel picks the port at
 * connect() for the whole four-tuple.
 *
 * When done it prints one line "ready ..." on stdout and holds everything
 * until SIGTERM; its children die with it (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define PAIR_PORT_BASE	20000	/* + process number: each its own listener */
#define SYN_PORT	9999	/* run.sh drops SYN-ACKs from this port */
#define CONNS_PER_ADDR	64	/* connections from one source address */
#define BATCH		128	/* connect this many, then accept them */
#define BACKLOG		1024
#define FD_RESERVE	64	/* descriptors a worker keeps for itself */
#define MAX_PROCS	200	/* process numbers go in an address octet */
#define BUILD_TIMEOUT	900	/* seconds; a stuck build dies by SIGALRM */
#define TW_BUILDERS	2	/* one per core here */
#define LISTEN_V4	0x7f010001	/* 127.1.0.1 */
#define TW_REFRESH_SECONDS 20	/* TIME_WAIT lasts 60 s */

struct plan {
	long	total;
	long	pairs;		/* connections held open, both ends */
	long	close_wait;	/* of the pairs, half-closed by the client */
	long	syn_recv;
	long	time_wait;
	int	v6_percent;	/* of pairs and TIME_WAIT, over IPv6 */
	long	pairs_per_worker;
	int	workers;
};

static pid_t	children[MAX_PROCS];
static int	nchildren;
static int	status_fd = -1;	/* a child reports 'k' or 'x' here */
static volatile sig_atomic_t stop;
static volatile sig_atomic_t refresh;	/* SIGUSR1: refresh TIME_WAIT */

/* What a TIME_WAIT builder needs to refresh its sockets. */
static struct {
	int		 p;
	long		 count;
	int		 v6_percent;
	uint16_t	*ports;		/* client port of connection i */
} tw;

static void	tw_refresh(long upto);

static void
kill_children(void)
{
	int i;

	for (i = 0; i < nchildren; i++)
		kill(children[i], SIGKILL);
	for (i = 0; i < nchildren; i++)
		waitpid(children[i], NULL, 0);
	nchildren = 0;
}

static void die(const char *, ...) __attribute__((format(printf, 1, 2),
    noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("popgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (status_fd != -1) {
		if (write(status_fd, "x", 1) < 0)
			_exit(1);
		_exit(1);
	}
	kill_children();
	exit(1);
}

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		refresh = 1;
	else
		stop = 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Listener address: 127.1.0.1 or fd00:5757:a::1 (run.sh adds the latter). */
static socklen_t
listen_addr(struct sockaddr_storage *ss, int family, uint16_t port)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = htonl(LISTEN_V4);
		return sizeof *sin;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		inet_pton(AF_INET6, "fd00:5757:a::1", &sin6->sin6_addr);
		return sizeof *sin6;
	}
}

/* Source of connection idx of process p: 127.(16+p).x.y, fd00:5757:b:p::x. */
static uint32_t
source_v4(int p, long idx)
{
	uint32_t a = (uint32_t)(idx / CONNS_PER_ADDR + 1);

	return 0x7f000000u | (uint32_t)(16 + p) << 16 | (a & 0xffff);
}

static socklen_t
source_addr(struct sockaddr_storage *ss, int family, int p, long idx)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(source_v4(p, idx));
		return sizeof *sin;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		uint32_t a = (uint32_t)(idx / CONNS_PER_ADDR + 1);

		sin6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, "fd00:5757:b::", &sin6->sin6_addr);
		sin6->sin6_addr.s6_addr[7] = (uint8_t)p;
		sin6->sin6_addr.s6_addr[14] = (uint8_t)(a >> 8);
		sin6->sin6_addr.s6_addr[15] = (uint8_t)a;
		return sizeof *sin6;
	}
}

static int
make_listener(int family, uint16_t port, int backlog)
{
	struct sockaddr_storage ss;
	socklen_t len = listen_addr(&ss, family, port);
	int fd, one = 1;

	if ((fd = socket(family, SOCK_STREAM, 0)) < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		die("bind listener port %u: %s: is fd00:5757:a::1 on lo?",
		    port, strerror(errno));
	if (listen(fd, backlog) < 0)
		die("listen: %s", strerror(errno));
	return fd;
}

static int
client_connect(int family, int p, long idx, uint16_t port)
{
	struct sockaddr_storage src, dst;
	socklen_t slen = source_addr(&src, family, p, idx);
	socklen_t dlen = listen_addr(&dst, family, port);
	int fd, one = 1;

	if ((fd = socket(family, SOCK_STREAM, 0)) < 0)
		die("socket: %s: lower the socket count", strerror(errno));
	if (setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) < 0)
		die("IP_BIND_ADDRESS_NO_PORT: %s", strerror(errno));
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof one) < 0)
		die("IPV6_FREEBIND: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&src, slen) < 0)
		die("bind a client: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&dst, dlen) < 0)
		die("connect: %s", strerror(errno));
	return fd;
}

static int
accept_one(int lfd)
{
	int fd;

	while ((fd = accept(lfd, NULL, NULL)) < 0)
		if (errno != EINTR)
			die("accept: %s", strerror(errno));
	return fd;
}

static int
is_v6(long j, int v6_percent)
{
	return j % 100 < v6_percent;
}

/*
 * Connect a batch of n clients, then accept them on the listener of their
 * family; the client descriptors go to fds[0..n), the servers' after them.
 */
static void
connect_batch(int p, long first, int n, int v6_percent, const int *lfd,
    uint16_t port, int *fds)
{
	int j, n6 = 0;

	for (j = 0; j < n; j++) {
		int v6 = is_v6(first + j, v6_percent);

		fds[j] = client_connect(v6 ? AF_INET6 : AF_INET, p, first + j,
		    port);
		n6 += v6;
	}
	for (j = 0; j < n; j++)
		fds[n + j] = accept_one(lfd[j < n - n6 ? 0 : 1]);
}

/*
 * A worker holds `pairs` connections, both ends, and never closes them;
 * the first `cw` are half-closed by the client: CLOSE_WAIT on the server,
 * FIN_WAIT2 on the client.
 */
static void
worker_build(int p, long pairs, long cw, int v6_percent)
{
	uint16_t port = (uint16_t)(PAIR_PORT_BASE + p);
	int lfd[2], fds[2 * BATCH];
	long done, k;
	int n;

	lfd[0] = make_listener(AF_INET, port, BACKLOG);
	/* -6 0 needs no IPv6 (bench/tui-cpu.sh sets up none). */
	lfd[1] = v6_percent > 0 ? make_listener(AF_INET6, port, BACKLOG) : -1;
	for (done = 0; done < pairs; done += n) {
		n = pairs - done < BATCH ? (int)(pairs - done) : BATCH;
		connect_batch(p, done, n, v6_percent, lfd, port, fds);
		for (k = done; k < done + n && k < cw; k++)
			if (shutdown(fds[k - done], SHUT_WR) < 0)
				die("shutdown: %s", strerror(errno));
	}
}

/*
 * TIME_WAIT: the client closes first and ends in TIME_WAIT; the server,
 * which has its FIN by then (loopback delivers it within close()), closes
 * from CLOSE_WAIT and is gone at the client's last ACK. The clients' ports
 * are kept for tw_refresh(), which also runs during a build that takes
 * long enough for the first sockets to expire (a loaded machine).
 */
static void
tw_build(int p, long count, int v6_percent)
{
	struct sockaddr_storage ss;
	socklen_t len;
	uint16_t port = (uint16_t)(PAIR_PORT_BASE + p);
	int lfd[2], fds[2 * BATCH], j;
	double last = now();
	long done;
	int n;

	tw.p = p;
	tw.count = count;
	tw.v6_percent = v6_percent;
	if ((tw.ports = calloc((size_t)count, sizeof *tw.ports)) == NULL)
		die("out of memory");
	lfd[0] = make_listener(AF_INET, port, BACKLOG);
	lfd[1] = make_listener(AF_INET6, port, BACKLOG);
	for (done = 0; done < count; done += n) {
		n = count - done < BATCH ? (int)(count - done) : BATCH;
		connect_batch(p, done, n, v6_percent, lfd, port, fds);
		for (j = 0; j < n; j++) {
			len = sizeof ss;
			if (getsockname(fds[j], (struct sockaddr *)&ss, &len) < 0)
				die("getsockname: %s", strerror(errno));
			tw.ports[done + j] = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		}
		for (j = 0; j < 2 * n; j++)	/* clients first */
			close(fds[j]);
		if (now() - last >= TW_REFRESH_SECONDS) {
			tw_refresh(done + n);
			last = now();
		}
	}
	tw_refresh(count);
}

/* TCP checksum over the IPv4 pseudo-header and the header itself. */
static uint16_t
tcp_checksum(const struct iphdr *ip, const struct tcphdr *tcp)
{
	const uint16_t *w = (const uint16_t *)tcp;
	uint32_t sum = 0;
	size_t i;

	sum += (ip->saddr >> 16) + (ip->saddr & 0xffff);
	sum += (ip->daddr >> 16) + (ip->daddr & 0xffff);
	sum += htons(IPPROTO_TCP) + htons(sizeof *tcp);
	for (i = 0; i < sizeof *tcp / 2; i++)
		sum += w[i];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A bare TCP segment over IPv4, IP header included. */
static void
send_tcp4(int raw, uint32_t saddr, uint16_t sport, uint32_t daddr,
    uint16_t dport, int syn)
{
	struct {
		struct iphdr	ip;
		struct tcphdr	tcp;
	} pkt;
	struct sockaddr_in dst;

	memset(&pkt, 0, sizeof pkt);
	pkt.ip.version = 4;
	pkt.ip.ihl = 5;
	pkt.ip.tot_len = htons(sizeof pkt);
	pkt.ip.ttl = 64;
	pkt.ip.protocol = IPPROTO_TCP;
	pkt.ip.saddr = htonl(saddr);
	pkt.ip.daddr = htonl(daddr);
	pkt.tcp.source = htons(sport);
	pkt.tcp.dest = htons(dport);
	pkt.tcp.seq = htonl((uint32_t)random());
	pkt.tcp.ack_seq = syn ? 0 : htonl((uint32_t)random());
	pkt.tcp.doff = 5;
	pkt.tcp.syn = syn != 0;
	pkt.tcp.ack = syn == 0;
	pkt.tcp.window = htons(65535);
	pkt.tcp.check = tcp_checksum(&pkt.ip, &pkt.tcp);
	memset(&dst, 0, sizeof dst);
	dst.sin_family = AF_INET;
	dst.sin_addr.s_addr = pkt.ip.daddr;
	if (sendto(raw, &pkt, sizeof pkt, 0, (struct sockaddr *)&dst,
	    sizeof dst) < 0)
		die("send a raw TCP segment: %s", strerror(errno));
}

/* A bare ACK over IPv6; the kernel adds the header and the checksum. */
static void
send_ack6(int raw, const struct sockaddr_in6 *dst, uint16_t sport,
    uint16_t dport)
{
	struct tcphdr tcp;

	memset(&tcp, 0, sizeof tcp);
	tcp.source = htons(sport);
	tcp.dest = htons(dport);
	tcp.seq = htonl((uint32_t)random());
	tcp.ack_seq = htonl((uint32_t)random());
	tcp.doff = 5;
	tcp.ack = 1;
	tcp.window = htons(65535);
	if (sendto(raw, &tcp, sizeof tcp, 0, (const struct sockaddr *)dst,
	    sizeof *dst) < 0)
		die("send a raw IPv6 segment: %s", strerror(errno));
}

static int
raw_socket6(void)
{
	struct sockaddr_storage ss;
	socklen_t len = listen_addr(&ss, AF_INET6, 0);
	int fd, offset = offsetof(struct tcphdr, check);

	if ((fd = socket(AF_INET6, SOCK_RAW, IPPROTO_TCP)) < 0)
		die("raw IPv6 socket: %s", strerror(errno));
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &offset,
	    sizeof offset) < 0)
		die("IPV6_CHECKSUM: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		die("bind a raw IPv6 socket: %s", strerror(errno));
	return fd;
}

/*
 * Any ACK that is not a reset restarts a TIME_WAIT socket's 60 s
 * (tcp_timewait_state_process), so one ACK "from the server" to each keeps
 * the population whole while it is measured. Its reply ACK draws a RST
 * from our listener, which run.sh's net.ipv4.tcp_rfc1337=1 makes it ignore.
 */
static void
tw_refresh(long upto)
{
	struct sockaddr_storage ss;
	uint16_t port = (uint16_t)(PAIR_PORT_BASE + tw.p);
	int raw4, raw6;
	long i;

	if ((raw4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) < 0)
		die("raw socket: %s", strerror(errno));
	raw6 = raw_socket6();
	for (i = 0; i < upto; i++) {
		if (is_v6(i, tw.v6_percent)) {
			source_addr(&ss, AF_INET6, tw.p, i);
			send_ack6(raw6, (struct sockaddr_in6 *)&ss, port,
			    tw.ports[i]);
		} else {
			send_tcp4(raw4, LISTEN_V4, port, source_v4(tw.p, i),
			    tw.ports[i], 0);
		}
	}
	close(raw4);
	close(raw6);
}

/*
 * Request sockets stay while their SYN-ACKs are dropped before delivery,
 * and while the queue is under half the backlog: past that the kernel
 * cuts their SYN-ACK retries to make room for young ones.
 */
static void
syn_build(int p, long count)
{
	int raw;
	long i;

	make_listener(AF_INET, SYN_PORT, 4 * (int)count + BACKLOG);
	if ((raw = socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) < 0)
		die("raw socket: %s", strerror(errno));
	for (i = 0; i < count; i++)
		send_tcp4(raw, source_v4(p, i),
		    (uint16_t)(40000 + i % CONNS_PER_ADDR), LISTEN_V4, SYN_PORT, 1);
	close(raw);
}

/* Sleep until SIGUSR1 asks for a refresh (SIGUSR1 is blocked outside). */
static void
wait_refresh(void)
{
	sigset_t none;

	sigemptyset(&none);
	while (!refresh)
		sigsuspend(&none);	/* the parent SIGKILLs us at the end */
	refresh = 0;
}

/*
 * Fork a process that runs build and then holds its sockets. It reports
 * 'k' when built, and again after each refresh its parent asks for.
 */
static void
spawn(int p, void (*build)(int, long, long, int), long a, long b, int v6,
    int fds[2])
{
	pid_t pid;

	if (nchildren == MAX_PROCS)
		die("too many processes");
	if ((pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid > 0) {
		children[nchildren++] = pid;
		return;
	}
	nchildren = 0;
	close(fds[0]);
	status_fd = fds[1];
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	build(p, a, b, v6);
	for (;;) {
		if (write(status_fd, "k", 1) != 1)
			_exit(1);
		wait_refresh();
		tw_refresh(tw.count);
	}
}

static void
run_worker(int p, long pairs, long cw, int v6)
{
	worker_build(p, pairs, cw, v6);
}

static void
run_tw(int p, long count, long unused, int v6)
{
	(void)unused;
	tw_build(p, count, v6);
}

/* Wait until n children reported; any failure ends the build. */
static void
wait_children(int rfd, int n)
{
	char c;
	ssize_t r;

	while (n > 0) {
		r = read(rfd, &c, 1);
		if (r < 0 && errno == EINTR && !stop)
			continue;
		if (r != 1 || c != 'k')
			die("a builder process failed (see above)");
		n--;
	}
}

static void
build_pairs(const struct plan *pl, int fds[2])
{
	long left = pl->pairs, cw_left = pl->close_wait, n, cw;
	int p;

	for (p = 0; p < pl->workers; p++) {
		n = left < pl->pairs_per_worker ? left : pl->pairs_per_worker;
		cw = pl->close_wait * n / pl->pairs;
		if (p == pl->workers - 1 || cw > cw_left)
			cw = cw_left;
		spawn(p, run_worker, n, cw, pl->v6_percent, fds);
		left -= n;
		cw_left -= cw;
	}
	wait_children(fds[0], pl->workers);
}

static void
build_time_wait(const struct plan *pl, int fds[2])
{
	long left = pl->time_wait, n;
	int t;

	for (t = 0; t < TW_BUILDERS; t++) {
		n = t == TW_BUILDERS - 1 ? left : pl->time_wait / TW_BUILDERS;
		spawn(pl->workers + 1 + t, run_tw, n, 0, pl->v6_percent, fds);
		left -= n;
	}
	wait_children(fds[0], TW_BUILDERS);
}

static void
make_plan(struct plan *pl, long total, int v6_percent, int established)
{
	struct rlimit rl;

	memset(pl, 0, sizeof *pl);
	pl->total = total;
	pl->v6_percent = v6_percent;
	if (!established) {
		pl->time_wait = total / 2;
		pl->syn_recv = total / 50;
		pl->close_wait = total / 50;
	}
	pl->pairs = (total - pl->time_wait - pl->syn_recv) / 2;
	if (pl->close_wait > pl->pairs)
		pl->close_wait = pl->pairs;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("getrlimit: %s", strerror(errno));
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < 2 * FD_RESERVE)
		die("only %lu descriptors per process", (unsigned long)rl.rlim_cur);
	pl->pairs_per_worker = ((long)rl.rlim_cur - FD_RESERVE) / 2;
	pl->workers = (int)((pl->pairs + pl->pairs_per_worker - 1) /
	    pl->pairs_per_worker);
	if (pl->workers + 2 + TW_BUILDERS > MAX_PROCS)
		die("%ld sockets need too many processes", total);
}

/*
 * SIGUSR1 stays blocked except while waiting for it, in this process and
 * in its children; handlers do not restart reads, so a SIGTERM during the
 * build ends it.
 */
static void
setup_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, waitmask);
}

/* Hold the population until SIGTERM; on SIGUSR1 refresh its TIME_WAIT. */
static void
hold(const struct plan *pl, int fds[2], const sigset_t *waitmask)
{
	sigset_t block;
	int t;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);
	while (!stop) {
		sigsuspend(waitmask);
		if (!refresh || stop)
			continue;
		refresh = 0;
		if (pl->time_wait == 0)
			continue;	/* -e: nothing to refresh */
		for (t = 0; t < TW_BUILDERS; t++)
			kill(children[pl->workers + t], SIGUSR1);
		wait_children(fds[0], TW_BUILDERS);
		printf("refreshed\n");
		fflush(stdout);
	}
}

static long
parse_long(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		die("bad %s '%s': give %ld to %ld", what, s, min, max);
	return v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: popgen [-e] [-n SOCKETS] [-6 PERCENT]\n"
	    "Build SOCKETS TCP sockets (default 100000) in this network "
	    "namespace, print\n\"ready ...\" and hold them until SIGTERM. "
	    "Run it through bench/run.sh.\n"
	    "-e: ESTABLISHED pairs only, which need neither run.sh's sysctls "
	    "nor its\nnftables rule; with -6 0, a loopback that is up is "
	    "enough (bench/tui-cpu.sh).\n");
	exit(64);
}

int
main(int argc, char **argv)
{
	struct plan pl;
	long total = 100000;
	sigset_t waitmask;
	int c, fds[2], v6_percent = 20, established = 0;
	double t0 = now(), t_pairs, t_syn;

	while ((c = getopt(argc, argv, "en:6:h")) != -1) {
		switch (c) {
		case 'e':
			established = 1;
			break;
		case 'n':
			total = parse_long(optarg, 1000, 4000000, "socket count");
			break;
		case '6':
			v6_percent = (int)parse_long(optarg, 0, 100, "percentage");
			break;
		default:
			usage();
		}
	}
	make_plan(&pl, total, v6_percent, established);
	setup_signals(&waitmask);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	alarm(BUILD_TIMEOUT);
	if (pipe(fds) < 0)
		die("pipe: %s", strerror(errno));

	build_pairs(&pl, fds);
	t_pairs = now();
	if (pl.syn_recv > 0)
		syn_build(pl.workers, pl.syn_recv);
	t_syn = now();
	if (pl.time_wait > 0)
		build_time_wait(&pl, fds);
	alarm(0);

	printf("ready pid=%ld pairs=%ld close_wait=%ld syn_recv=%ld "
	    "time_wait=%ld v6=%d%% workers=%d seconds=%.1f (pairs %.1f, "
	    "syn %.1f, time_wait %.1f)\n", (long)getpid(), pl.pairs,
	    pl.close_wait, pl.syn_recv, pl.time_wait, pl.v6_percent,
	    pl.workers, now() - t0, t_pairs - t0, t_syn - t_pairs,
	    now() - t_syn);
	fflush(stdout);
	hold(&pl, fds, &waitmask);
	kill_children();
	return 0;
}
