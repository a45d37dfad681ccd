/*
 * netns.c - find every network namespace of the host and step into them.
 *
 * A namespace lives while something holds it: a process, a bind mount
 * (`ip netns add` makes one under /run/netns) or an open descriptor. The
 * processes' ones are found through /proc/PID/ns/net; two files name the
 * same namespace when their inodes on nsfs are equal.
 *
 * /run/netns is read at every scan; it holds a few names. /proc is read in
 * full only every few scans when it holds many processes (see
 * netns_full_every), and in between only the pids that held a namespace
 * at the last full scan are read again.
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
 * Processes read a scan on average, once /proc is read in full only every
 * few scans: at about 5 us each, 2.5 ms of a poll, up to 4,500 processes.
 */
#define PROCS_A_SCAN	500
#define FULL_EVERY_MAX	10	/* a new namespace waits at most this long */
#define HOLDERS_KEPT	4	/* pids remembered of each namespace */

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

/* A pid holding ns: the lowest is shown, as the most stable. */
static void
held_by(struct netns *ns, pid_t pid)
{
	if (ns->pid == 0 || pid < ns->pid)
		ns->pid = pid;
}

/* Remember that pid held the namespace inode, for the next scans. */
static void
note_held(struct netns_memory *m, uint64_t inode, pid_t pid)
{
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 64 : m->cap * 2;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n].inode = inode;
	m->v[m->n++].pid = pid;
}

/*
 * Processes' ones; a process that ended meanwhile is no loss. Every pid
 * and its namespace go to m (emptied first) unless it is NULL. Returns how
 * many processes it read.
 */
static size_t
scan_procs(struct netns_list *l, struct netns_memory *m,
    const char *proc_root, dev_t nsfs)
{
	char path[256];
	struct dirent *de;
	struct netns *ns;
	struct stat st;
	size_t procs = 0;
	pid_t pid;
	DIR *d;
	int fd;

	if (m != NULL)
		m->n = 0;
	if ((d = opendir(proc_root)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if ((pid = pid_of(de->d_name)) == 0)
			continue;
		procs++;
		snprintf(path, sizeof path, "%s/%d/ns/net", proc_root, (int)pid);
		if (stat(path, &st) < 0 || st.st_dev != nsfs)
			continue;
		if ((ns = find_inode(l, (uint64_t)st.st_ino)) == NULL) {
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
			    (ns = add(l, fd, nsfs)) == NULL)
				continue;
		}
		held_by(ns, pid);
		if (m != NULL)
			note_held(m, ns->inode, pid);
	}
	closedir(d);
	return procs;
}

/*
 * Whether pid is still in the namespace inode. With fdp, the namespace is
 * opened through it (for l, which lacks it) and *fdp set.
 */
static int
still_in(const char *proc_root, pid_t pid, uint64_t inode, dev_t nsfs,
    int *fdp)
{
	char path[256];
	struct stat st;
	int fd;

	snprintf(path, sizeof path, "%s/%d/ns/net", proc_root, (int)pid);
	if (fdp == NULL)
		return stat(path, &st) == 0 && st.st_dev == nsfs &&
		    (uint64_t)st.st_ino == inode;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &st) < 0 || st.st_dev != nsfs ||
	    (uint64_t)st.st_ino != inode) {
		close(fd);
		return 0;
	}
	*fdp = fd;
	return 1;
}

/*
 * Between full scans: each namespace the last one found held, through its
 * lowest pids, the first still in it taken as its pid. -1 when none of
 * them is in an unnamed one any more (they ended, or moved): only a full
 * scan can tell whether a newer process holds it. A named one is listed
 * anyway, with no pid.
 */
static int
check_held(struct netns_list *l, const struct netns_memory *m,
    const char *proc_root, dev_t nsfs)
{
	struct netns *ns;
	uint64_t inode;
	size_t i, j;
	int fd, found;

	for (i = 0; i < m->n; i = j) {
		inode = m->v[i].inode;
		ns = find_inode(l, inode);
		found = 0;
		for (j = i; j < m->n && m->v[j].inode == inode; j++) {
			if (found || !still_in(proc_root, m->v[j].pid, inode,
			    nsfs, ns == NULL ? &fd : NULL))
				continue;
			if (ns == NULL && (ns = add(l, fd, nsfs)) == NULL)
				continue;
			held_by(ns, m->v[j].pid);
			found = 1;
		}
		if (!found && ns == NULL)
			return -1;
	}
	return 0;
}

static int
compare_held(const void *pa, const void *pb)
{
	const struct netns_held *a = pa, *b = pb;

	if (a->inode != b->inode)
		return a->inode < b->inode ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/*
 * After a full scan: the lowest HOLDERS_KEPT pids of each namespace (the
 * longest-lived, as a rule), so that one of them ending needs no new scan.
 */
static void
remember(struct netns_memory *m, size_t procs)
{
	size_t i, n = 0, run = 0;

	qsort(m->v, m->n, sizeof *m->v, compare_held);
	for (i = 0; i < m->n; i++) {
		run = i > 0 && m->v[i].inode == m->v[i - 1].inode ? run + 1 : 0;
		if (run < HOLDERS_KEPT)
			m->v[n++] = m->v[i];
	}
	m->n = n;
	m->procs = procs;
	m->since = 0;
	m->every = netns_full_every(procs);
}

/*
 * How often /proc is read in full, from how many processes it held: every
 * scan up to PROCS_A_SCAN of them, then about PROCS_A_SCAN a scan on
 * average, at least every FULL_EVERY_MAX scans.
 */
unsigned
netns_full_every(size_t procs)
{
	size_t every = procs / PROCS_A_SCAN + 1;

	return every < FULL_EVERY_MAX ? (unsigned)every : FULL_EVERY_MAX;
}

/* The processes' namespaces, in full or through m's pids (m may be NULL). */
static void
scan_held(struct netns_list *l, struct netns_memory *m, const char *proc_root,
    dev_t nsfs)
{
	size_t procs;

	if (m != NULL && m->every > 0 && ++m->since < m->every &&
	    check_held(l, m, proc_root, nsfs) == 0)
		return;
	/* What check_held added stays: scan_procs finds it again. */
	procs = scan_procs(l, m, proc_root, nsfs);
	if (m != NULL)
		remember(m, procs);
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
 * m, kept from scan to scan, lets most scans skip reading every process;
 * NULL reads them all.
 */
int
netns_scan(struct netns_list *l, struct netns_memory *m,
    const char *proc_root, const char *run_dir, char **cause)
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
	scan_held(l, m, proc_root, st.st_dev);
	for (i = 0; i < l->n; i++)
		if (l->v[i].label == NULL)
			xasprintf(&l->v[i].label, "net:[%llu]",
			    (unsigned long long)l->v[i].inode);
	qsort(l->v, l->n, sizeof *l->v, compare);
	return 0;
}

/*
 * The namespace sockwatch runs in, told apart from the host's (process
 * 1's) so that `ip netns exec NAME sockwatch` names it in its reports and
 * keeps its own history: its name under run_dir, else "net:[INODE]".
 * NULL in the host's namespace, or when process 1's cannot be read and
 * none of the names is ours (an ordinary user: nothing is claimed).
 */
char *
netns_self_name(const char *proc_root, const char *run_dir)
{
	struct netns_list l = { 0 };
	struct stat self, init;
	struct netns *ns;
	char path[256], *name = NULL;
	int init_known;

	snprintf(path, sizeof path, "%s/self/ns/net", proc_root);
	if (stat(path, &self) < 0)
		return NULL;
	snprintf(path, sizeof path, "%s/1/ns/net", proc_root);
	init_known = stat(path, &init) == 0 && init.st_dev == self.st_dev;
	if (init_known && init.st_ino == self.st_ino)
		return NULL;
	scan_named(&l, run_dir, self.st_dev);
	if ((ns = find_inode(&l, (uint64_t)self.st_ino)) != NULL) {
		name = ns->label;
		ns->label = NULL;
	} else if (init_known)
		xasprintf(&name, "net:[%llu]", (unsigned long long)self.st_ino);
	netns_list_free(&l);
	return name;
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

void
netns_memory_free(struct netns_memory *m)
{
	if (m == NULL)
		return;
	free(m->v);
	memset(m, 0, sizeof *m);
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
