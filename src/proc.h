/*
 * proc.h - which process holds a socket (-p): inode to pid, name and user.
 *
 * The kernel reports a socket's inode, not its owner; the owner is found by
 * reading every /proc/PID/fd. That walk is the expensive part, so it is
 * done only when a socket with an unknown inode appears, at most
 * PROC_BUDGET descriptors per poll (a long walk resumes at the next poll),
 * and inodes a complete walk could not find are remembered as unknown
 * instead of starting another walk. A walk visits the processes of the
 * watched network namespace first, and stops once it found every inode
 * it was looking for.
 */
#ifndef SOCKWATCH_PROC_H
#define SOCKWATCH_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sock.h"

#define PROC_NAME_MAX	64	/* a comm: 15 bytes (more if the kernel grows it) */
#define PROC_BUDGET	200000	/* descriptors read per poll */

struct proc_owner {
	pid_t		 pid;
	uint32_t	 uid;
	char		 name[PROC_NAME_MAX];	/* raw: sinks sanitise */
};

struct proc_slot {
	uint32_t	 inode;		/* 0: empty */
	uint32_t	 owner;		/* index in owners, or PROC_UNKNOWN */
};

struct proc_map {
	const char		*root;		/* "/proc" */
	struct proc_slot	*tab;
	size_t			 cap;
	size_t			 n;
	struct proc_owner	*owners;
	size_t			 nowners;
	size_t			 owners_cap;
	size_t			 budget;	/* descriptors per poll */
	int			 scanning;	/* a walk is under way */
	int			 phase;		/* 0: our namespace, 1: others */
	pid_t			 resume;	/* it continues after this pid */
	uint64_t		 netns;		/* inode of the namespace watched */
	uint32_t		*want;		/* unknown inodes, sorted */
	size_t			 nwant;
	size_t			 want_left;	/* of them not found yet */
	unsigned		 hidden;	/* processes whose fds were denied */
	unsigned		 scans;		/* complete walks so far */
	unsigned long		 fds_read;	/* descriptors read, all walks */
};

#define PROC_UNKNOWN	UINT32_MAX

/* Sockets of one process, by state; pid 0 gathers those of no known one. */
struct proc_group {
	pid_t		 pid;
	uint32_t	 uid;
	const char	*name;		/* points into the map */
	uint64_t	 states[TS_MAX + 1];
	uint64_t	 total;
};

void	 proc_init(struct proc_map *, const char *root);
void	 proc_free(struct proc_map *);
void	 proc_update(struct proc_map *, const struct snapshot *);
const struct proc_owner *proc_lookup(const struct proc_map *, uint32_t inode);
size_t	 proc_groups(const struct proc_map *, const struct snapshot *,
	     struct proc_group **);

#endif
