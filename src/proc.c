/*
 * proc.c - socket inodes to processes through /proc/PID/fd.
 *
 * A descriptor of a socket reads as "socket:[INODE]". Processes of other
 * users cannot be read without privilege; they are counted as hidden, and
 * their sockets simply stay without an owner.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"
#include "sysinfo.h"
#include "xmalloc.h"

#define PROC_MIN_CAP	256

void
proc_init(struct proc_map *p, const char *root)
{
	memset(p, 0, sizeof *p);
	p->root = root != NULL ? root : "/proc";
	p->budget = PROC_BUDGET;
}

void
proc_free(struct proc_map *p)
{
	if (p == NULL)
		return;
	free(p->tab);
	free(p->owners);
	free(p->want);
	p->tab = NULL;
	p->owners = NULL;
	p->want = NULL;
	p->nwant = 0;
	p->cap = p->n = p->nowners = p->owners_cap = 0;
}

static size_t
slot_of(const struct proc_map *p, uint32_t inode)
{
	return (size_t)((inode * 0x9e3779b1u) >> 7) & (p->cap - 1);
}

static struct proc_slot *
find_slot(const struct proc_map *p, uint32_t inode)
{
	size_t i;

	if (p->cap == 0)
		return NULL;
	for (i = slot_of(p, inode); p->tab[i].inode != 0;
	    i = (i + 1) & (p->cap - 1))
		if (p->tab[i].inode == inode)
			return &p->tab[i];
	return NULL;
}

static void
rehash(struct proc_map *p, size_t cap)
{
	struct proc_slot *old = p->tab;
	size_t oldcap = p->cap, i, j;

	p->tab = xcalloc(cap, sizeof *p->tab);
	p->cap = cap;
	for (i = 0; i < oldcap; i++) {
		if (old[i].inode == 0)
			continue;
		for (j = slot_of(p, old[i].inode); p->tab[j].inode != 0;
		    j = (j + 1) & (cap - 1))
			;
		p->tab[j] = old[i];
	}
	free(old);
}

static void
set_owner(struct proc_map *p, uint32_t inode, uint32_t owner)
{
	size_t i;

	if (p->cap == 0 || (p->n + 1) * 2 > p->cap)
		rehash(p, p->cap == 0 ? PROC_MIN_CAP : p->cap * 2);
	for (i = slot_of(p, inode); p->tab[i].inode != 0;
	    i = (i + 1) & (p->cap - 1))
		if (p->tab[i].inode == inode)
			break;
	if (p->tab[i].inode == 0) {
		p->tab[i].inode = inode;
		p->n++;
	}
	p->tab[i].owner = owner;
}

const struct proc_owner *
proc_lookup(const struct proc_map *p, uint32_t inode)
{
	const struct proc_slot *sl;

	if (inode == 0 || (sl = find_slot(p, inode)) == NULL ||
	    sl->owner == PROC_UNKNOWN)
		return NULL;
	return &p->owners[sl->owner];
}

/* A new owner for pid, named by its comm as the kernel has it. */
static uint32_t
add_owner(struct proc_map *p, pid_t pid, uid_t uid)
{
	struct proc_owner *o;
	char path[128];

	if (p->nowners == p->owners_cap) {
		p->owners_cap = p->owners_cap == 0 ? 64 : p->owners_cap * 2;
		p->owners = xreallocarray(p->owners, p->owners_cap,
		    sizeof *p->owners);
	}
	o = &p->owners[p->nowners];
	o->pid = pid;
	o->uid = (uint32_t)uid;
	snprintf(path, sizeof path, "%s/%d/comm", p->root, (int)pid);
	if (sysinfo_read_file(path, o->name, sizeof o->name) < 0)
		strcpy(o->name, "?");
	return (uint32_t)p->nowners++;
}

/* "socket:[12345]" to 12345, or 0. */
static uint32_t
socket_inode(const char *link)
{
	unsigned long v;
	char *end;

	if (strncmp(link, "socket:[", 8) != 0)
		return 0;
	v = strtoul(link + 8, &end, 10);
	if (*end != ']' || v == 0 || v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
}

static int
compare_inodes(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
wanted(const struct proc_map *p, uint32_t inode)
{
	return p->nwant > 0 && bsearch(&inode, p->want, p->nwant,
	    sizeof *p->want, compare_inodes) != NULL;
}

static uint64_t
netns_of(const char *root, pid_t pid)
{
	char path[128];
	struct stat st;

	if (pid == 0)
		snprintf(path, sizeof path, "%s/self/ns/net", root);
	else
		snprintf(path, sizeof path, "%s/%d/ns/net", root, (int)pid);
	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* Read one process's descriptors; returns how many were read. */
static size_t
scan_pid(struct proc_map *p, pid_t pid)
{
	char path[128], link[64];
	struct dirent *de;
	struct stat st;
	uint32_t inode, owner = PROC_UNKNOWN;
	size_t nread = 0;
	ssize_t n;
	DIR *d;
	int dfd;

	snprintf(path, sizeof path, "%s/%d/fd", p->root, (int)pid);
	if ((d = opendir(path)) == NULL) {
		if (errno == EACCES || errno == EPERM)
			p->hidden++;
		return 1;
	}
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		nread++;
		if ((n = readlinkat(dfd, de->d_name, link, sizeof link - 1)) <= 0)
			continue;
		link[n] = '\0';
		if ((inode = socket_inode(link)) == 0)
			continue;
		if (find_slot(p, inode) == NULL && wanted(p, inode))
			p->want_left--;
		if (owner == PROC_UNKNOWN) {
			snprintf(path, sizeof path, "%s/%d", p->root, (int)pid);
			owner = add_owner(p, pid, stat(path, &st) == 0 ?
			    st.st_uid : (uid_t)-1);
		}
		set_owner(p, inode, owner);
	}
	closedir(d);
	return nread + 1;
}

static int
compare_pids(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The pids above p->resume in the current phase (the watched namespace or
 * the others), ascending, so a walk can stop and resume.
 */
static pid_t *
list_pids(const struct proc_map *p, size_t *n)
{
	struct dirent *de;
	size_t cap = 0;
	pid_t *pids = NULL;
	char *end;
	long pid;
	DIR *d;

	*n = 0;
	if ((d = opendir(p->root)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid <= 0 || pid <= p->resume)
			continue;
		if ((p->netns != 0 && netns_of(p->root, (pid_t)pid) ==
		    p->netns) != (p->phase == 0))
			continue;
		if (*n == cap) {
			cap = cap == 0 ? 1024 : cap * 2;
			pids = xreallocarray(pids, cap, sizeof *pids);
		}
		pids[(*n)++] = (pid_t)pid;
	}
	closedir(d);
	if (*n > 1)
		qsort(pids, *n, sizeof *pids, compare_pids);
	return pids;
}

/*
 * Walk /proc from where the last poll stopped: 1 when the walk is over
 * (every wanted inode found, or every process read), 0 when the budget
 * ran out first.
 */
static int
scan(struct proc_map *p)
{
	size_t i, n, work = 0;
	pid_t *pids;

	while (p->phase < 2) {
		pids = list_pids(p, &n);
		for (i = 0; i < n && p->want_left > 0 && work < p->budget; i++) {
			work += scan_pid(p, pids[i]);
			p->resume = pids[i];
		}
		free(pids);
		if (p->want_left == 0 || i < n)
			break;		/* all found, or out of budget */
		p->phase++;
		p->resume = 0;
		if (work >= p->budget)
			break;
	}
	p->fds_read += work;
	return p->want_left == 0 || p->phase >= 2;
}

/*
 * Keep only the inodes of this poll and the owners they name, so memory
 * follows the live sockets.
 */
static void
prune(struct proc_map *p, const struct snapshot *snap)
{
	struct proc_map old = *p;
	uint32_t *remap;
	const struct proc_slot *sl;
	size_t i;

	remap = xreallocarray(NULL, old.nowners + 1, sizeof *remap);
	memset(remap, 0xff, (old.nowners + 1) * sizeof *remap);
	p->tab = NULL;
	p->cap = p->n = 0;
	p->owners = NULL;
	p->nowners = p->owners_cap = 0;
	for (i = 0; i < snap->n; i++) {
		if ((sl = find_slot(&old, snap->socks[i].inode)) == NULL)
			continue;
		if (sl->owner != PROC_UNKNOWN && remap[sl->owner] == PROC_UNKNOWN) {
			if (p->nowners == p->owners_cap) {
				p->owners_cap = p->owners_cap == 0 ? 64 :
				    p->owners_cap * 2;
				p->owners = xreallocarray(p->owners,
				    p->owners_cap, sizeof *p->owners);
			}
			p->owners[p->nowners] = old.owners[sl->owner];
			remap[sl->owner] = (uint32_t)p->nowners++;
		}
		set_owner(p, sl->inode, sl->owner == PROC_UNKNOWN ?
		    PROC_UNKNOWN : remap[sl->owner]);
	}
	free(remap);
	old.want = NULL;	/* still p's: only the table and owners are old */
	proc_free(&old);
}

/* The inodes of this poll nobody is known to hold, sorted. */
static size_t
collect_wanted(struct proc_map *p, const struct snapshot *snap, size_t *live)
{
	size_t i, cap = 0;

	p->nwant = 0;
	*live = 0;
	for (i = 0; i < snap->n; i++) {
		if (snap->socks[i].inode == 0)
			continue;
		(*live)++;
		if (find_slot(p, snap->socks[i].inode) != NULL)
			continue;
		if (p->nwant == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			p->want = xreallocarray(p->want, cap, sizeof *p->want);
		}
		p->want[p->nwant++] = snap->socks[i].inode;
	}
	if (p->nwant > 1)
		qsort(p->want, p->nwant, sizeof *p->want, compare_inodes);
	p->want_left = p->nwant;
	return p->nwant;
}

/*
 * Bring the map up to this poll: nothing to do while every inode is known;
 * otherwise walk (or go on walking) /proc within the budget.
 */
void
proc_update(struct proc_map *p, const struct snapshot *snap)
{
	size_t i, live;

	if (p->netns == 0)
		p->netns = netns_of(p->root, 0);
	if (collect_wanted(p, snap, &live) > 0 && !p->scanning) {
		p->scanning = 1;
		p->phase = 0;
		p->resume = 0;
		p->hidden = 0;
	}
	if (p->scanning && scan(p)) {
		p->scanning = 0;
		p->scans++;
		/* What a complete walk did not find stays unknown. */
		for (i = 0; i < snap->n; i++)
			if (snap->socks[i].inode != 0 &&
			    find_slot(p, snap->socks[i].inode) == NULL)
				set_owner(p, snap->socks[i].inode, PROC_UNKNOWN);
	}
	if (p->n > 2 * live + PROC_MIN_CAP)
		prune(p, snap);
}

static int
compare_groups(const void *pa, const void *pb)
{
	const struct proc_group *a = pa, *b = pb;

	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

/*
 * The sockets of the snapshot grouped by process, most sockets first.
 * Several processes may share a socket (after fork); it counts for the
 * one found first.
 */
size_t
proc_groups(const struct proc_map *p, const struct snapshot *snap,
    struct proc_group **out)
{
	struct proc_group *g;
	const struct proc_slot *sl;
	uint32_t *index, owner;
	size_t i, n = 1;

	g = xcalloc(p->nowners + 1, sizeof *g);
	index = xreallocarray(NULL, p->nowners + 1, sizeof *index);
	memset(index, 0xff, (p->nowners + 1) * sizeof *index);
	g[0].name = "-";
	for (i = 0; i < snap->n; i++) {
		const struct sock_rec *s = &snap->socks[i];
		size_t k = 0;

		sl = s->inode != 0 ? find_slot(p, s->inode) : NULL;
		owner = sl != NULL ? sl->owner : PROC_UNKNOWN;
		if (owner != PROC_UNKNOWN) {
			if (index[owner] == UINT32_MAX) {
				index[owner] = (uint32_t)n;
				g[n].pid = p->owners[owner].pid;
				g[n].uid = p->owners[owner].uid;
				g[n++].name = p->owners[owner].name;
			}
			k = index[owner];
		}
		g[k].states[s->state]++;
		g[k].total++;
	}
	free(index);
	if (n > 1)
		qsort(g, n, sizeof *g, compare_groups);
	*out = g;
	return n;
}
