/*
 * dumpcount.c - the floor for make bench: the kernel's walk and nothing else.
 *
 * It sends the requests `sockwatch -s` sends (TCPDIAG_GETSOCK for both
 * families: the listeners with their memory, then every other state without
 * extensions), reads the replies into the same 64 KiB buffer with the same
 * 4 MiB receive buffer, and only counts the sockets by state. What sockwatch
 * spends beyond this is its own work; bench/run.sh prints the ratio.
 *
 * usage: dumpcount        prints "STATE COUNT" lines and the total
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#define BUFSIZE		(64u << 10)
#define RCVBUF		(4u << 20)
#define NSTATES		13
#define LISTEN		10	/* TCP_LISTEN */
#define ALL_BUT_LISTEN	(((1u << NSTATES) - 2) & ~(1u << LISTEN))

static const char *names[NSTATES] = {
	"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
	"SYN_RECV"	/* TCP_NEW_SYN_RECV: request sockets */
};

static void
die(const char *what)
{
	fprintf(stderr, "dumpcount: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
request(int fd, unsigned seq, unsigned states, unsigned char ext)
{
	struct {
		struct nlmsghdr		nlh;
		struct inet_diag_req	req;
	} msg;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	memset(&msg, 0, sizeof msg);
	msg.nlh.nlmsg_len = sizeof msg;
	msg.nlh.nlmsg_type = TCPDIAG_GETSOCK;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nlh.nlmsg_seq = seq;
	msg.req.idiag_family = AF_UNSPEC;
	msg.req.idiag_states = states;
	msg.req.idiag_ext = ext;
	if (sendto(fd, &msg, sizeof msg, 0, (struct sockaddr *)&sa,
	    sizeof sa) < 0)
		die("sendto");
}

/* Read one dump to its end, counting each socket in counts[state]. */
static void
count_reply(int fd, char *buf, unsigned long *counts)
{
	const struct inet_diag_msg *m;
	struct nlmsghdr *nlh;
	ssize_t len;
	int left;

	for (;;) {
		if ((len = recv(fd, buf, BUFSIZE, 0)) < 0) {
			if (errno == EINTR)
				continue;
			die("recv");
		}
		left = (int)len;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, left);
		    nlh = NLMSG_NEXT(nlh, left)) {
			if (nlh->nlmsg_type == NLMSG_DONE)
				return;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				errno = EIO;
				die("the kernel refused the dump");
			}
			m = NLMSG_DATA(nlh);
			counts[m->idiag_state < NSTATES ? m->idiag_state : 0]++;
		}
	}
}

int
main(void)
{
	unsigned long counts[NSTATES] = { 0 }, total = 0;
	int fd, rcvbuf = RCVBUF, i;
	char *buf;

	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof rcvbuf) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	if ((buf = malloc(BUFSIZE)) == NULL)
		die("malloc");
	request(fd, 1, 1u << LISTEN, 1 << (INET_DIAG_SKMEMINFO - 1));
	count_reply(fd, buf, counts);
	request(fd, 2, ALL_BUT_LISTEN, 0);
	count_reply(fd, buf, counts);
	counts[3] += counts[12];
	for (i = 1; i < NSTATES - 1; i++) {
		printf("%-12s %lu\n", names[i], counts[i]);
		total += counts[i];
	}
	printf("%-12s %lu\n", "total", total);
	free(buf);
	close(fd);
	return 0;
}
