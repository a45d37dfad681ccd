/*
 * churn.c - short TCP connections on loopback, opened and closed as fast
 * as asked, for the churn soak (bench/soak.sh) and the interrupted-dump
 * test (tests/sys/dump_churn.sh).
 *
 *	churn [-a ADDR] [-p PORT] [-r RATE] [-t SECONDS] [-w WORKERS]
 *
 * It listens on ADDR:PORT (127.0.0.1:7500), and WORKERS processes (2)
 * each connect, accept, and close, RATE connections a second in all (0:
 * as fast as they can), for SECONDS (10, at most 3600). Each connection
 * passes through SYN_SENT, SYN_RECV and ESTABLISHED; the server end
 * closes first, so it leaves a TIME_WAIT socket and the client's port is
 * free again at once; one in eight is reset instead (SO_LINGER 0). At the
 * end it prints "churn CONNECTIONS ERRORS SECONDS" and exits 0, or 1 when
 * no connection succeeded. It runs in the network namespace it is started
 * in: the callers start it inside one of their own.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS	16
#define MAX_SECONDS	3600

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One connection, both ends; 0 when it went through. */
static int
one(int lfd, const struct sockaddr_in *sin, unsigned long i)
{
	struct linger lg = { 1, 0 };
	int c, s;

	if ((c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(c, (const struct sockaddr *)sin, sizeof *sin) < 0 ||
	    (s = accept(lfd, NULL, NULL)) < 0) {
		close(c);
		return -1;
	}
	if (i % 8 == 0)
		setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(s);	/* the server closes first: its TIME_WAIT */
	close(c);
	return 0;
}

/* A worker: its share of the rate until the deadline; its exit status
   carries nothing, its counts go to the pipe. */
static void
work(int lfd, const struct sockaddr_in *sin, double rate, double end, int out)
{
	unsigned long done = 0, errors = 0, counts[2];
	double start = now_s(), t;

	while ((t = now_s()) < end) {
		if (rate > 0 && done + errors >= (t - start) * rate) {
			usleep(200);
			continue;
		}
		if (one(lfd, sin, done + errors) == 0)
			done++;
		else
			errors++;
	}
	counts[0] = done;
	counts[1] = errors;
	if (write(out, counts, sizeof counts) != sizeof counts)
		_exit(1);
	_exit(0);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	unsigned long counts[2], done = 0, errors = 0;
	double rate = 0, secs = 10, start, end;
	const char *addr = "127.0.0.1";
	int port = 7500, workers = 2, opt, lfd, one_ = 1, fds[2], i;

	while ((opt = getopt(argc, argv, "a:p:r:t:w:")) != -1) {
		switch (opt) {
		case 'a': addr = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'w': workers = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: churn [-a ADDR] [-p PORT] "
			    "[-r RATE] [-t SECONDS] [-w WORKERS]\n");
			return 64;
		}
	}
	if (workers < 1 || workers > MAX_WORKERS || secs <= 0 ||
	    secs > MAX_SECONDS || rate < 0 || port < 1 || port > 65535) {
		fprintf(stderr, "churn: an option is out of range\n");
		return 64;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "churn: %s: not an IPv4 address\n", addr);
		return 64;
	}
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one_, sizeof one_) < 0 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 ||
	    listen(lfd, 4096) < 0 || pipe(fds) < 0) {
		perror("churn: listen");
		return 1;
	}
	start = now_s();
	end = start + secs;
	for (i = 0; i < workers; i++) {
		switch (fork()) {
		case -1:
			perror("churn: fork");
			return 1;
		case 0:
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			close(fds[0]);
			work(lfd, &sin, rate / workers, end, fds[1]);
		}
	}
	close(fds[1]);
	for (i = 0; i < workers; i++) {
		if (read(fds[0], counts, sizeof counts) == sizeof counts) {
			done += counts[0];
			errors += counts[1];
		}
		wait(NULL);
	}
	printf("churn %lu %lu %.1f\n", done, errors, now_s() - start);
	return done > 0 ? 0 : 1;
}
