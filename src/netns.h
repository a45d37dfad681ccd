/*
 * netns.h - every network namespace of the host, for -N all: the ones
 * named under /run/netns and the unnamed ones processes hold, each once
 * (by the inode of its nsfs file), sockwatch's own included.
 *
 * A namespace is entered with setns() on a descriptor opened when it was
 * found, and left by entering the original one again, whose descriptor
 * is opened first of all.
 */
#ifndef SOCKWATCH_NETNS_H
#define SOCKWATCH_NETNS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sock.h"

struct netns {
	char		*label;		/* its name, else "net:[INODE]" */
	uint64_t	 inode;
	pid_t		 pid;		/* the lowest pid holding it, or 0 */
	int		 named;		/* under /run/netns */
	int		 self;		/* the one sockwatch started in */
	int		 fd;		/* open nsfs file, for setns() */
};

struct netns_list {
	struct netns	*v;
	size_t		 n;
	size_t		 cap;
};

/*
 * What a scan leaves for the next: the namespaces processes held, each with
 * its lowest pids. Reading every /proc/PID/ns/net costs about 5 us a
 * process (50 ms a poll at 10,000), so with many processes the next scans
 * read only these pids again: an unnamed namespace none of them is in any
 * more starts a full scan at once (it is dropped there if nothing else
 * holds it), and one that only a new process holds is found by the next
 * full scan, at most `every` scans later.
 */
struct netns_held {
	uint64_t	 inode;
	pid_t		 pid;
};

struct netns_memory {
	struct netns_held *v;		/* by inode, then pid */
	size_t		 n;
	size_t		 cap;
	size_t		 procs;		/* read by the last full scan */
	unsigned	 since;		/* scans since the last full one */
	unsigned	 every;		/* full at least this often; 0: next */
};

int	netns_open_self(char **cause);
int	netns_scan(struct netns_list *, struct netns_memory *,
	    const char *proc_root, const char *run_dir, char **cause);
unsigned netns_full_every(size_t procs);
char	*netns_self_name(const char *proc_root, const char *run_dir);
void	netns_list_free(struct netns_list *);
void	netns_memory_free(struct netns_memory *);
int	netns_enter(const struct netns *, char **cause);
void	netns_return(int self_fd);

/*
 * What a report shows of the namespaces of -N all: sock_rec.netns indexes
 * nets; counts are of the sockets shown; finding_ns gives the namespace
 * of each finding the report's monitor shows.
 */
struct netns_count {
	uint64_t	 states[TS_MAX + 1];
	uint64_t	 total;
};

struct netns_view {
	const struct netns	*nets;
	size_t			 n;
	const struct netns_count *counts;	/* n of them */
	const uint16_t		*finding_ns;
};

#endif
