/*
 * sysinfo.c - host name, boot id, network namespaces.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nls.h"
#include "sysinfo.h"
#include "xmalloc.h"

/* Read a small file into buf, NUL-terminated, trailing newline removed. */
int
sysinfo_read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return (int)n;
}

void
sysinfo_stamp(struct snapshot *snap, const char *netns)
{
	if (gethostname(snap->host, sizeof snap->host) < 0)
		strcpy(snap->host, "?");
	snap->host[sizeof snap->host - 1] = '\0';
	if (sysinfo_read_file("/proc/sys/kernel/random/boot_id", snap->boot_id,
	    sizeof snap->boot_id) < 0)
		snap->boot_id[0] = '\0';
	snprintf(snap->netns, sizeof snap->netns, "%s", netns != NULL ? netns : "");
}

/*
 * About how many TCP sockets a dump of this namespace will hold, from the
 * texts of /proc/net/sockstat ("TCP: inuse 5 orphan 0 tw 2 alloc 6 mem
 * 1") and sockstat6 ("TCP6: inuse 3"; NULL without IPv6): the IPv4 and
 * IPv6 sockets in its tables and TIME_WAIT of both. Request sockets are
 * not counted. 0 when unknown.
 */
size_t
sysinfo_count_tcp(const char *sockstat, const char *sockstat6)
{
	unsigned long inuse, orphan, tw, inuse6;
	const char *line;

	if ((line = strstr(sockstat, "TCP: ")) == NULL ||
	    sscanf(line, "TCP: inuse %lu orphan %lu tw %lu", &inuse, &orphan,
	    &tw) != 3)
		return 0;
	if (sockstat6 == NULL || (line = strstr(sockstat6, "TCP6: ")) == NULL ||
	    sscanf(line, "TCP6: inuse %lu", &inuse6) != 1)
		inuse6 = 0;
	return (size_t)inuse + (size_t)inuse6 + (size_t)tw;
}

size_t
sysinfo_tcp_sockets(void)
{
	char buf[1024], buf6[1024];
	int v6;

	if (sysinfo_read_file("/proc/net/sockstat", buf, sizeof buf) < 0)
		return 0;
	v6 = sysinfo_read_file("/proc/net/sockstat6", buf6, sizeof buf6) >= 0;
	return sysinfo_count_tcp(buf, v6 ? buf6 : NULL);
}

/* A name made by `ip netns add`, or the namespace of a process id. */
static int
open_netns(const char *name, char **cause)
{
	char path[256];
	int fd, pid = name[strspn(name, "0123456789")] == '\0';

	if (pid)
		snprintf(path, sizeof path, "/proc/%s/ns/net", name);
	else if (strchr(name, '/') != NULL || strcmp(name, "..") == 0 ||
	    strcmp(name, ".") == 0) {
		xasprintf(cause, _("network namespace %s: a name cannot hold "
		    "'/': give a name from 'ip netns list' or a process id"),
		    name);
		errno = EINVAL;
		return -1;
	} else
		snprintf(path, sizeof path, "/run/netns/%s", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0)
		return fd;
	if (pid && errno == ENOENT)
		xasprintf(cause, _("network namespace of process %s: no such "
		    "process: give a running process id"), name);
	else if (pid)
		xasprintf(cause, _("network namespace of process %s: %s: "
		    "another user's process needs root"), name, strerror(errno));
	else
		xasprintf(cause, _("network namespace %s: %s: see 'ip netns "
		    "list'"), name, strerror(errno));
	return -1;
}

int
sysinfo_enter_netns(const char *name, char **cause)
{
	int fd, err;

	if ((fd = open_netns(name, cause)) < 0)
		return -1;
	if (setns(fd, CLONE_NEWNET) < 0) {
		err = errno;
		if (err == EPERM)
			xasprintf(cause, _("cannot enter network namespace %s: "
			    "%s: this needs root (CAP_SYS_ADMIN)"), name,
			    strerror(err));
		else
			xasprintf(cause, _("cannot enter network namespace %s: "
			    "%s"), name, strerror(err));
		close(fd);
		errno = err;
		return -1;
	}
	close(fd);
	return 0;
}
