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

int	netns_open_self(char **cause);
int	netns_scan(struct netns_list *, const char *proc_root,
	    const char *run_dir, char **cause);
void	netns_list_free(struct netns_list *);
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
