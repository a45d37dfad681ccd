/*
 * dump_intr.c - LD_PRELOAD shim for tests/sys/dump_churn.sh: marks sock_diag
 * dumps as interrupted (NLM_F_DUMP_INTR), as netlink does when the tables a
 * dump walks change under it.
 *
 * The kernel sets that flag only for dumps that track a generation number
 * (nl_dump_check_consistent); its TCP socket dumps do not, so even heavy
 * churn never gives sockwatch an interrupted dump to handle. This shim
 * gives it one: on every Nth dump request of a NETLINK_SOCK_DIAG socket
 * (SOCKWATCH_TEST_DUMP_INTR=N), the second reply datagram (the first when
 * the reply has only one) is marked interrupted. Each mark appends a line
 * to the file SOCKWATCH_TEST_DUMP_INTR_LOG.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD	1024

static struct {
	unsigned long	requests;	/* dump requests sent */
	int		target;		/* this dump gets the mark */
	int		datagram;	/* reply datagrams read */
} fds[MAX_FD];

static int
is_sock_diag(int fd)
{
	int v;
	socklen_t len = sizeof v;

	if (fd < 0 || fd >= MAX_FD ||
	    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) < 0 ||
	    v != AF_NETLINK)
		return 0;
	len = sizeof v;
	return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) == 0 &&
	    v == NETLINK_SOCK_DIAG;
}

ssize_t
sendto(int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *to, socklen_t tolen)
{
	static ssize_t (*real)(int, const void *, size_t, int,
	    const struct sockaddr *, socklen_t);
	const struct nlmsghdr *nlh = buf;
	const char *every = getenv("SOCKWATCH_TEST_DUMP_INTR");
	unsigned long n = every != NULL ? strtoul(every, NULL, 10) : 0;

	if (real == NULL)
		real = dlsym(RTLD_NEXT, "sendto");
	if (n > 0 && len >= sizeof *nlh && (nlh->nlmsg_flags & NLM_F_DUMP) ==
	    NLM_F_DUMP && is_sock_diag(fd)) {
		fds[fd].target = ++fds[fd].requests % n == 0;
		fds[fd].datagram = 0;
	}
	return real(fd, buf, len, flags, to, tolen);
}

static int
has_done(const struct nlmsghdr *nlh, ssize_t len)
{
	int left = (int)len;

	for (; NLMSG_OK(nlh, left); nlh = NLMSG_NEXT(nlh, left))
		if (nlh->nlmsg_type == NLMSG_DONE)
			return 1;
	return 0;
}

static void
mark(void)
{
	const char *log = getenv("SOCKWATCH_TEST_DUMP_INTR_LOG");
	int fd;

	if (log == NULL ||
	    (fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600)) < 0)
		return;
	if (write(fd, "intr\n", 5) < 0)
		abort();
	close(fd);
}

/* Mark the reply datagram buf of fd if it is the one chosen. */
static void
maybe_mark(int fd, void *buf, ssize_t len)
{
	struct nlmsghdr *nlh = buf;

	if (len < (ssize_t)sizeof *nlh || fd < 0 || fd >= MAX_FD ||
	    !fds[fd].target)
		return;
	if (fds[fd].datagram++ == 1 || has_done(nlh, len)) {
		nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
		fds[fd].target = 0;
		mark();
	}
}

/* libmnl reads with recvmsg(), sockwatch's dump reader with recv(). */
ssize_t
recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	ssize_t len;

	if (real == NULL)
		real = dlsym(RTLD_NEXT, "recvmsg");
	len = real(fd, msg, flags);
	if (msg->msg_iovlen >= 1)
		maybe_mark(fd, msg->msg_iov[0].iov_base, len);
	return len;
}

ssize_t
recv(int fd, void *buf, size_t size, int flags)
{
	static ssize_t (*real)(int, void *, size_t, int);
	ssize_t len;

	if (real == NULL)
		real = dlsym(RTLD_NEXT, "recv");
	len = real(fd, buf, size, flags);
	maybe_mark(fd, buf, len);
	return len;
}
