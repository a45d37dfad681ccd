/*
 * allns.h - -N all: a source and a monitor for each network namespace,
 * judged each on its own (the kernel's counters and limits are per
 * namespace) and merged into one snapshot and one monitor that the sinks
 * read as they read a single namespace's, with a netns_view beside them.
 */
#ifndef SOCKWATCH_ALLNS_H
#define SOCKWATCH_ALLNS_H

#include "anomaly.h"
#include "monitor.h"
#include "netns.h"
#include "source.h"

struct filter;

struct allns_ns {
	struct netns		 id;
	char			 key[32];	/* "net:[INODE]", its model's */
	struct source		 src;
	struct snapshot		 snap;
	struct counters		 counters;
	struct monitor		 mon;
	int			 found;		/* by the last scan */
};

struct allns {
	int			 self_fd;
	struct netns_memory	 scan;		/* from one rescan to the next */
	struct source_options	 so;
	struct anomaly_config	 cfg;
	int			 use_proc;
	int			 want_info;	/* tcp_info of every socket */
	struct allns_ns		**ns;
	size_t			 n;
	struct netns		*ids;		/* copies for the view */
	uint64_t		*refused;	/* inodes setns() refused: */
	size_t			 nrefused;	/* said once, not tried again */
	struct snapshot		 snap;		/* every namespace's sockets */
	struct monitor		 mon;		/* merged; owns the owner map */
	struct netns_count	*counts;
	uint16_t		*finding_ns;
	struct netns_view	 view;
};

void	allns_open(struct allns *, const struct source_options *,
	    const struct anomaly_config *, int use_proc);
/*
 * One poll in two halves, for the dashboard, whose source collects and
 * whose driver judges: nothing may read ids, view or mon between them, as
 * a scan may have freed the namespaces they point into. allns_poll does
 * both for the batch report.
 */
void	allns_collect(struct allns *, struct snapshot *);
void	allns_judge(struct allns *, const struct snapshot *, int raise_now);
void	allns_poll(struct allns *, const struct filter *, int raise_now);
void	allns_set_processes(struct allns *, int on);
void	allns_set_proc_budget(struct allns *, size_t);
const struct monitor	*allns_monitor(const struct allns *);
const struct snapshot	*allns_snapshot(const struct allns *);
const struct netns_view	*allns_view(const struct allns *);
void	allns_close(struct allns *);
struct allns *allns_entry_open(struct source_entry *,
	    const struct source_options *, const struct anomaly_config *,
	    int use_proc);

#endif
