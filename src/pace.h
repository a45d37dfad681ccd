/*
 * pace.h - keeping a poll within a CPU budget on a busy host.
 *
 * Most of a poll's cost is the kernel filling one message per socket
 * (about 0.75 µs each on a virtual machine: cache misses on every socket),
 * and most sockets of a busy host are ESTABLISHED or TIME_WAIT, the states
 * where nothing is wrong. When asking for every socket at every poll costs
 * more than the budget, those two "bulk" states are asked for only every
 * few polls; the polls between ask for the other states (a walk that skips
 * the bulk costs about an eighth) and carry the bulk over from the last
 * full poll. The carry is not a copy: it is the bulk-state records of the
 * caller's last snapshot, kept in place, and the partial dump (a small
 * scratch snapshot) is appended after it. A carried socket that shows up in another state is dropped
 * from the carry, TIME_WAIT sockets whose timer ran out leave it, and the
 * timers of the rest count down. A socket last seen on its way into the
 * bulk (SYN_SENT, or closing toward TIME_WAIT) and missing now is looked
 * up by itself: found in the bulk, it joins the carry.
 *
 * Pure: the caller measures its own CPU time and does the dumping.
 */
#ifndef SOCKWATCH_PACE_H
#define SOCKWATCH_PACE_H

#include "sock.h"

#define PACE_BULK_STATES	(TS_BIT(TS_ESTABLISHED) | TS_BIT(TS_TIME_WAIT))
/* The states a socket passes on its way into the bulk: a client's
   handshake, an active close. */
#define PACE_INTO_BULK		(TS_BIT(TS_SYN_SENT) | TS_BIT(TS_FIN_WAIT1) | \
				 TS_BIT(TS_FIN_WAIT2) | TS_BIT(TS_CLOSING))
#define PACE_MAX_EVERY		10	/* the bulk is never older than this */
#define PACE_MAX_FOLLOW		256	/* lookups a poll; more: a full poll */

struct pace {
	double		 budget;	/* a share of one core; 0: no pacing */
	double		 full_cost;	/* CPU seconds of a full cycle; < 0: unknown */
	double		 part_cost;	/* of a cycle without the bulk */
	double		 allowed;	/* CPU seconds per cycle: budget * interval */
	int		 running;	/* the cycle under way: 0 none, 1 full, 2 part */
	unsigned	 every;		/* a full poll every this many */
	int		 over;		/* even PACE_MAX_EVERY costs more */
	unsigned	 since_full;	/* polls since the last full one */
	/* The carry: the bulk-state records of the caller's last snapshot. */
	struct timespec	 full_when;	/* its full poll; 0: nothing carried */
	struct timespec	 carry_when;	/* what its timers count from */
	struct snapshot	 follow;	/* last poll's sockets in PACE_INTO_BULK */
};

void	pace_init(struct pace *, double budget);
void	pace_free(struct pace *);
void	pace_cost(struct pace *, double cpu_seconds);
int	pace_full(struct pace *, const struct timespec *now,
	    double interval, int force);
void	pace_keep(struct pace *, const struct snapshot *);
long	pace_follow(struct pace *, const struct snapshot *dump,
	    struct snapshot *snap,
	    int (*look)(void *, const struct sock_rec *, struct sock_rec *),
	    void *arg);
long	pace_forget(struct pace *, struct snapshot *snap,
	    const struct snapshot *gone,
	    int (*look)(void *, const struct sock_rec *, struct sock_rec *),
	    void *arg);
void	pace_remember(struct pace *, const struct snapshot *);
size_t	pace_carry(struct pace *, struct snapshot *snap,
	    const struct snapshot *dump);

#endif
