/*
 * group.h - what a snapshot adds up to: counts per state, listeners with
 * their queues and half-open children (group.c), and the display order of
 * sockets (group_sort.c).
 *
 * Pure: computed from a snapshot alone, no history (that is model.c).
 */
#ifndef SOCKWATCH_GROUP_H
#define SOCKWATCH_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"

/*
 * One listening address. Sockets of a SO_REUSEPORT group share it and are
 * summed: the kernel does not say which of them owns a request socket.
 */
struct listener {
	size_t		 sock;		/* index of its first listening socket */
	unsigned	 members;	/* listening sockets at this address */
	uint64_t	 accept_queue;
	uint64_t	 backlog;
	uint64_t	 syn_recv;	/* request sockets attributed to it */
	uint64_t	 drops;		/* SK_MEMINFO_DROPS, when known */
	int		 drops_known;
	uint32_t	 uid;
};

/* A request socket (SYN_RECV) and the listener it is attributed to. */
struct listener_req {
	uint32_t	 sock;		/* in the snapshot */
	uint32_t	 listener;	/* in listeners */
};

struct groups {
	uint64_t	 states[TS_MAX + 1];
	uint64_t	 total;
	uint64_t	 orphans;	/* no file, in a state only orphans reach */
	struct listener	*listeners;
	size_t		 nlisteners;
	uint64_t	 syn_recv_unattributed;
	struct listener_req *reqs;	/* attributed, in snapshot order */
	size_t		 nreqs;
};

#define GROUP_NONE	UINT32_MAX

void	group_build(struct groups *, const struct snapshot *);
void	group_free(struct groups *);

/* The same groups, added up as a dump is read. */
struct group_builder;
struct group_builder *group_builder_new(void);
void	group_builder_add(struct group_builder *, const struct snapshot *,
	    size_t from);
void	group_builder_finish(struct group_builder *, struct groups *,
	    const struct snapshot *);
void	group_builder_clear(struct group_builder *);
void	group_builder_free(struct group_builder *);
uint32_t *group_sort(const struct snapshot *, size_t *n);
int	group_compare_socks(const struct sock_rec *, const struct sock_rec *);

/* The same order, made as a dump is read (group_sort.c). */
struct group_sorter;
struct group_sorter *group_sorter_new(void);
void	group_sorter_add(struct group_sorter *, const struct snapshot *,
	    size_t from);
uint32_t *group_sorter_finish(struct group_sorter *, const struct snapshot *,
	    size_t *n);
void	group_sorter_clear(struct group_sorter *);
void	group_sorter_free(struct group_sorter *);

#endif
