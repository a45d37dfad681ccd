/*
 * netns.c - find every network namespace of the host and step into them.
 *
 * A namespace lives while something holds it: a process, a bind mount
 * (`ip netns add` makes one under /run/netns) or an open descriptor. The
 * processes' ones are found through /proc/PID/ns/net; two files name the
 * same namespace when their inodes on nsfs are equal.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "netns.h"
#include "nls.h"
#include "xmalloc.h"

#define SELF_NETNS	"/proc/self/ns/net"

/*
 * The namespace sockwatch started in, opened to come back to; and the
 * check that entering namespaces is allowed (setns() into the one we are
 * in asks for the same privilege as any other).
 */
int
netns_open_self(char **cause)
{
	int fd, err;

	if ((fd = open(SELF_NETNS, O_RDONLY | O_CLOEXEC)) < 0) {
		xasprintf(cause, _("cannot open %s: %s"), SELF_NETNS,
		    strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		err = errno;
		xasprintf(cause, _("--netns all enters every network namespace: "
		    "%s: run it as root (it needs CAP_SYS_ADMIN)"), strerror(err));
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static struct netns *
find_inode(struct netns_list *l, uint64_t inode)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].inode == inode)
			return &l->v[i];
	return NULL;
}

/* Add the namespace fd names, unless known; takes the descriptor. */
static struct netns *
add(struct netns_list *l, int fd, dev_t nsfs)
{
	struct netns *ns;
	struct stat st;

	if (fstat(fd, &st) < 0 || st.st_dev != nsfs ||
	    (ns = find_inode(l, (uint64_t)st.st_ino)) != NULL) {
		close(fd);
		return NULL;
	}
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	ns = &l->v[l->n++];
	memset(ns, 0, sizeof *ns);
	ns->inode = (uint64_t)st.st_ino;
	ns->fd = fd;
	return ns;
}

/* Named ones: a file under run_dir that is not a namespace is skipped. */
static void
scan_named(struct netns_list *l, const char *run_dir, dev_t nsfs)
{
	struct dirent *de;
	struct netns *ns;
	DIR *d;
	int fd;

	if ((d = opendir(run_dir)) == NULL)
		return;		/* no `ip netns add` yet */
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		/* Non-blocking: a FIFO left there must not hang the scan. */
		if ((fd = openat(dirfd(d), de->d_name,
		    O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
			continue;
		if ((ns = add(l, fd, nsfs)) != NULL) {
			ns->named = 1;
			ns->label = xstrdup(de->d_name);
		}
	}
	closedir(d);
}

/* The pid of a /proc entry, or 0. */
static pid_t
pid_of(const char *name)
{
	char *end;
	long v;

	if (name[0] < '1' || name[0] > '9')
		return 0;
	v = strtol(name, &end, 10);
	return *end == '\0' && v > 0 ? (pid_t)v : 0;
}

/* Processes' ones; a process that ended meanwhile is no loss. */
static void
scan_procs(struct netns_list *l, const char *proc_root, dev_t nsfs)
{
	char path[256];
	struct dirent *de;
	struct netns *ns;
	struct stat st;
	pid_t pid;
	DIR *d;
	int fd;

	if ((d = opendir(proc_root)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if ((pid = pid_of(de->d_name)) == 0)
			continue;
		snprintf(path, sizeof path, "%s/%d/ns/net", proc_root, (int)pid);
		if (stat(path, &st) < 0 || st.st_dev != nsfs)
			continue;
		if ((ns = find_inode(l, (uint64_t)st.st_ino)) == NULL) {
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
			    (ns = add(l, fd, nsfs)) == NULL)
				continue;
		}
		if (ns->pid == 0 || pid < ns->pid)
			ns->pid = pid;
	}
	closedir(d);
}

/* Ours first, then the named ones by name, then the others by pid. */
static int
compare(const void *pa, const void *pb)
{
	const struct netns *a = pa, *b = pb;
	int ra = a->self ? 0 : a->named ? 1 : 2;
	int rb = b->self ? 0 : b->named ? 1 : 2;

	if (ra != rb)
		return ra - rb;
	if (ra == 1)
		return strcmp(a->label, b->label);
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->inode < b->inode ? -1 : a->inode > b->inode;
}

/*
 * Fill l (emptied first) with every namespace, each with an open
 * descriptor. Ours is found through proc_root's self and always listed.
 */
int
netns_scan(struct netns_list *l, const char *proc_root, const char *run_dir,
    char **cause)
{
	char path[256];
	struct netns *self;
	struct stat st;
	size_t i;
	int fd;

	netns_list_free(l);
	snprintf(path, sizeof path, "%s/self/ns/net", proc_root);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
		xasprintf(cause, _("cannot open %s: %s"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	self = add(l, fd, st.st_dev);
	self->self = 1;
	scan_named(l, run_dir, st.st_dev);
	scan_procs(l, proc_root, st.st_dev);
	for (i = 0; i < l->n; i++)
		if (l->v[i].label == NULL)
			xasprintf(&l->v[i].label, "net:[%llu]",
			    (unsigned long long)l->v[i].inode);
	qsort(l->v, l->n, sizeof *l->v, compare);
	return 0;
}

void
netns_list_free(struct netns_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].label);
		if (l->v[i].fd >= 0)
			close(l->v[i].fd);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

int
netns_enter(const struct netns *ns, char **cause)
{
	if (setns(ns->fd, CLONE_NEWNET) == 0)
		return 0;
	xasprintf(cause, _("cannot enter network namespace %s: %s"), ns->label,
	    strerror(errno));
	return -1;
}

/* Back where we started: anything else would read the wrong namespace. */
void
netns_return(int self_fd)
{
	if (setns(self_fd, CLONE_NEWNET) < 0)
		fatal("cannot return to the original network namespace: %s",
		    strerror(errno));
}
