/*
 * sockgen_net.c - what the generator does to and reads from the kernel
 * besides its own sockets: entering namespaces, nftables rules, sysctls,
 * and the TCP tables of /proc/net, its independent view of what exists.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/wait.h>

#include "sockgen.h"

extern char **environ;

static const char *const state_names[] = {
	[TCP_ESTABLISHED] = "ESTABLISHED",
	[TCP_SYN_SENT] = "SYN_SENT",
	[TCP_SYN_RECV] = "SYN_RECV",
	[TCP_FIN_WAIT1] = "FIN_WAIT1",
	[TCP_FIN_WAIT2] = "FIN_WAIT2",
	[TCP_TIME_WAIT] = "TIME_WAIT",
	[TCP_CLOSE] = "CLOSE",
	[TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCP_LAST_ACK] = "LAST_ACK",
	[TCP_LISTEN] = "LISTEN",
	[TCP_CLOSING] = "CLOSING",
};

void
sockgen_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("sockgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *
sockgen_reallocarray(void *p, size_t n, size_t size)
{
	if ((p = reallocarray(p, n, size)) == NULL)
		sockgen_die("out of memory");
	return p;
}

const char *
sockgen_state_name(int state)
{
	if (state <= 0 || state > TCP_CLOSING)
		return "UNKNOWN";
	return state_names[state];
}

/* "10.0.0.1", "::1" or "[::1]" with a port; -1 when it is no address. */
int
sockgen_parse_addr(const char *addr, unsigned port,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (void *)ss;
	struct sockaddr_in6 *sin6 = (void *)ss;
	char ip[INET6_ADDRSTRLEN];
	size_t len = strlen(addr);

	if (len >= 2 && addr[0] == '[' && addr[len - 1] == ']') {
		addr++;
		len -= 2;
	}
	if (len >= sizeof ip || port > 65535)
		return -1;
	memcpy(ip, addr, len);
	ip[len] = '\0';
	memset(ss, 0, sizeof *ss);
	if (strchr(ip, ':') == NULL) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		return inet_pton(AF_INET, ip, &sin->sin_addr) == 1 ? 0 : -1;
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)port);
	return inet_pton(AF_INET6, ip, &sin6->sin6_addr) == 1 ? 0 : -1;
}

socklen_t
sockgen_addr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
}

/* The state of one of our sockets, as TCP_INFO tells it; -1 on error. */
int
sockgen_tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return -1;
	return ti.tcpi_state;
}

/*
 * As sockwatch prints them: 10.0.0.1:80, [fd00::1]:80, port 0 as *, and
 * IPv4-mapped IPv6 addresses as IPv4 (ss prints [::ffff:10.0.0.1]:80).
 */
size_t
sockgen_format_addr(char *buf, size_t size, const struct sockaddr_storage *ss)
{
	char ip[INET6_ADDRSTRLEN], port[8];
	uint16_t p;
	int n, v4 = ss->ss_family == AF_INET;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof ip);
		p = ntohs(sin->sin_port);
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], ip,
			    sizeof ip);
			v4 = 1;
		} else
			inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof ip);
		p = ntohs(sin6->sin6_port);
	}
	if (p == 0)
		strcpy(port, "*");
	else
		snprintf(port, sizeof port, "%u", p);
	if (v4)
		n = snprintf(buf, size, "%s:%s", ip, port);
	else
		n = snprintf(buf, size, "[%s]:%s", ip, port);
	return n < 0 ? 0 : (size_t)n;
}

const char *
sockgen_family_name(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? "ipv4" : "ipv6";
}

/* "STATE FAMILY LOCAL PEER": how rows are compared. */
void
sockgen_format_row(char *buf, size_t size, int state,
    const struct sockaddr_storage *local, const struct sockaddr_storage *peer)
{
	char l[SOCKGEN_ADDR_STRLEN], p[SOCKGEN_ADDR_STRLEN];

	sockgen_format_addr(l, sizeof l, local);
	sockgen_format_addr(p, sizeof p, peer);
	snprintf(buf, size, "%s %s %s %s", sockgen_state_name(state),
	    sockgen_family_name(local), l, p);
}

/* A name made by `ip netns add`, or a path such as /proc/PID/ns/net. */
int
sockgen_netns_open(const char *name)
{
	char path[256];
	int fd;

	if (strchr(name, '/') != NULL)
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "/run/netns/%s", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		sockgen_die("network namespace %s: %s: create it first "
		    "(ip netns add)", path, strerror(errno));
	return fd;
}

/* Sockets, sysctl writes and spawned nft all act in the entered namespace. */
void
sockgen_netns_enter(int fd, const char *name)
{
	if (setns(fd, CLONE_NEWNET) < 0)
		sockgen_die("cannot enter network namespace %s: %s: run as "
		    "root", name, strerror(errno));
}

void
sockgen_sysctl(const char *path, const char *value)
{
	char full[256];
	size_t len = strlen(value);
	int fd;

	snprintf(full, sizeof full, "/proc/sys/%s", path);
	if ((fd = open(full, O_WRONLY | O_CLOEXEC)) < 0 ||
	    write(fd, value, len) != (ssize_t)len)
		sockgen_die("cannot set %s to %s: %s", full, value,
		    strerror(errno));
	close(fd);
}

/* Run one nft script, given as a single argument, in this namespace. */
void
sockgen_nft(const char *script)
{
	char *argv[] = { (char *)"nft", (char *)script, NULL };
	pid_t pid;
	int err, status;

	if ((err = posix_spawnp(&pid, "nft", NULL, NULL, argv, environ)) != 0) {
		if (err == ENOENT) {	/* a missing tool skips the test */
			fflush(stdout);
			fputs("sockgen: needs nft (nftables)\n", stderr);
			exit(SOCKGEN_SKIP);
		}
		sockgen_die("cannot run nft: %s", strerror(err));
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			sockgen_die("waitpid nft: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		sockgen_die("nft failed on: %s", script);
}

/* The kernel prints each 32-bit word of an address as a host-order number. */
static int
parse_addr(const char *hex, uint16_t port, int family,
    struct sockaddr_storage *ss)
{
	size_t words = family == AF_INET ? 1 : 4, i;
	uint32_t w[4];
	char part[9];

	if (strlen(hex) != words * 8)
		return -1;
	for (i = 0; i < words; i++) {
		memcpy(part, hex + i * 8, 8);
		part[8] = '\0';
		w[i] = (uint32_t)strtoul(part, NULL, 16);
	}
	memset(ss, 0, sizeof *ss);
	ss->ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)ss;

		memcpy(&sin->sin_addr, w, 4);
		sin->sin_port = htons(port);
	} else {
		struct sockaddr_in6 *sin6 = (void *)ss;

		memcpy(&sin6->sin6_addr, w, 16);
		sin6->sin6_port = htons(port);
	}
	return 0;
}

/* The "tr" column's value for a timewait mini socket. */
#define PROC_TIMER_TIME_WAIT	3

static void
read_table(const char *path, int family, int timewait_only, char ***rows,
    size_t *n)
{
	struct sockaddr_storage l, p;
	char line[512], lhex[40], phex[40], row[SOCKGEN_ROW_STRLEN];
	unsigned lport, pport, st, timer;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL)
		sockgen_die("cannot read %s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, " %*u: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x "
		    "%*x:%*x %x", lhex, &lport, phex, &pport, &st, &timer) != 6)
			continue;	/* the heading */
		if (timewait_only && timer != PROC_TIMER_TIME_WAIT)
			continue;
		if (parse_addr(lhex, (uint16_t)lport, family, &l) < 0 ||
		    parse_addr(phex, (uint16_t)pport, family, &p) < 0)
			sockgen_die("%s: cannot parse: %s", path, line);
		sockgen_format_row(row, sizeof row, (int)st, &l, &p);
		*rows = sockgen_reallocarray(*rows, *n + 1, sizeof **rows);
		if (((*rows)[(*n)++] = strdup(row)) == NULL)
			sockgen_die("out of memory");
	}
	fclose(f);
}

/*
 * Every TCP socket of the current namespace as "STATE LOCAL PEER" rows, or
 * only the timewait mini sockets (TIME_WAIT, and FIN_WAIT2 after a close).
 */
char **
sockgen_proc_rows(size_t *n, int timewait_only)
{
	char **rows = NULL;

	*n = 0;
	read_table("/proc/self/net/tcp", AF_INET, timewait_only, &rows, n);
	read_table("/proc/self/net/tcp6", AF_INET6, timewait_only, &rows, n);
	return rows;
}

/* Whether the namespace holds a socket of this row (see sockgen_proc_rows). */
int
sockgen_has_row(const char *want, int timewait_only)
{
	size_t n, i;
	char **rows = sockgen_proc_rows(&n, timewait_only);
	int found = 0;

	for (i = 0; i < n; i++) {
		found |= strcmp(rows[i], want) == 0;
		free(rows[i]);
	}
	free(rows);
	return found;
}
