/*
 * model.h - what outlives a poll: every socket tracked by its cookie.
 *
 * The kernel gives no socket a creation time. The model remembers, for each
 * cookie (unique until reboot, so the table is keyed with the boot id), by
 * when it had begun and by when it had entered its current state, which
 * state it left, and since when its queues have not moved. From that it
 * derives the ages of the sockets of the current snapshot, and it keeps the
 * history of the listeners (their drops) that rates need.
 *
 * Every age is either known or a lower bound, and the flags say which. It
 * is known when a poll saw the socket (or its state) begin: absent from a
 * poll that would have shown it at most MODEL_KNOWN_GAP_S before, or in a
 * handshake state before its first retransmission; or when the kernel
 * proves it (TIME_WAIT's timer). A known age is counted from the first
 * poll that showed it, so it never overstates, and understates by less
 * than the interval between the polls.
 * Otherwise it is the largest lower bound the model can prove: since the
 * first poll (of this run or its state file), or longer when tcp_info's
 * last send, receive and ACK times say so.
 *
 * The table is open addressing with linear probing: one flat array, no
 * allocation per socket, and entries of vanished cookies are removed each
 * poll, so memory follows the live sockets. A paced poll's carried
 * sockets that the last poll judged (snapshot->origin) take that poll's
 * figures, moved on, without reading the table; the removal then waits for
 * the next full poll.
 */
#ifndef SOCKWATCH_MODEL_H
#define SOCKWATCH_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "group.h"
#include "sock.h"

#define MODEL_TIME_WAIT_S	60	/* TIME_WAIT lasts this long on Linux */
/* A birth between two polls this close is known: the dashboard's 1 s, the
   2 s between --check's two dumps. Further apart, only a lower bound. */
#define MODEL_KNOWN_GAP_S	2

#define MODEL_SEEN		0x01	/* present in the current poll */
#define MODEL_AGE_KNOWN		0x02	/* the age, not only a lower bound */
#define MODEL_LISTENER		0x04	/* a listener's history, not a socket */
#define MODEL_STATE_KNOWN	0x08	/* the time in its state, likewise */
#define MODEL_STALE		0x10	/* its state was carried, not dumped */
#define MODEL_NEW		0x20	/* model_sock: no earlier poll held it */
#define MODEL_INFO_LATE		0x40	/* tracked before its tcp_info came */
#define MODEL_FRESH		0x80	/* entry: new at the poll under way */

/* Times are deciseconds since model->base, so an entry is 32 bytes. */
struct model_entry {
	uint64_t	 key;		/* cookie, or a listener key; 0: empty */
	int32_t		 born;		/* it had begun by then (known: then) */
	int32_t		 state_since;	/* likewise its current state */
	int32_t		 queue_since;	/* Recv-Q and Send-Q last changed */
	uint32_t	 rqueue;	/* listener: drops at the last poll */
	uint32_t	 wqueue;
	uint8_t		 state;
	uint8_t		 prev_state;
	uint16_t	 flags;
};

/* What the model says about one socket of the current snapshot. */
struct model_sock {
	float		 age_s;		/* known, or at least this long */
	float		 state_age_s;	/* in its current state, likewise */
	float		 queue_age_s;	/* queues unchanged for this long */
	uint8_t		 prev_state;	/* 0: not seen in another state */
	uint8_t		 flags;		/* MODEL_AGE_KNOWN, MODEL_STATE_KNOWN */
};

/* A listener's drops since the last poll. */
struct model_listener {
	uint64_t	 drops_delta;
	double		 drops_rate;	/* per second */
	int		 drops_known;	/* an earlier poll saw it */
};

struct model {
	struct model_entry	*tab;
	size_t			 cap;		/* slots: see cap_for */
	size_t			 n;
	int64_t			 base;		/* Unix seconds of time 0 */
	double			 now;		/* Unix seconds of this poll */
	double			 prev;		/* of the previous poll, or 0 */
	uint32_t		 prev_unasked;	/* the states it did not dump */
	unsigned long		 polls;
	char			 boot_id[40];
	char			 netns[64];

	const struct snapshot	*snap;		/* the current poll */
	struct model_sock	*socks;		/* parallel to snap->socks */
	size_t			 socks_cap;
	size_t			 socks_ready;	/* faulted in so far */
	struct groups		 groups;
	struct group_builder	*builder;	/* groups of a poll tracked */
	struct model_listener	*listeners;	/* parallel to groups */
	/* A poll tracked while its dump is read (model_track_parsed):
	   socks[0, tracked) of snap are, until model_update ends it. */
	int			 tracking;
	size_t			 tracked;
	size_t			 judged;	/* snap->n at the last update */
	unsigned long		 probes;	/* occupied slots inserts read */
	/* model_sweep_later: the entries the last update's poll did not
	   see are still in the table, without MODEL_SEEN, until the next
	   poll sweeps them out first. */
	int			 sweep_later;
	int			 unswept;
};

void	 model_init(struct model *);
void	 model_free(struct model *);
void	 model_reset(struct model *);
void	 model_update(struct model *, const struct snapshot *);
void	 model_sweep_later(struct model *);

/* Whether e, an entry of m's table, holds a socket of the last poll. */
static inline int
model_entry_live(const struct model *m, const struct model_entry *e)
{
	return e->key != 0 && (!m->unswept || (e->flags & MODEL_SEEN));
}

void	 model_track_parsed(struct model *, const struct snapshot *,
	     size_t from);
int	 model_tracked(const struct model *, const struct snapshot *,
	     size_t i);
void	 model_merge(struct model *, const struct snapshot *,
	     const struct model *const *, size_t);
const struct model_entry *model_find(const struct model *, uint64_t key);
void	 model_prefetch(const struct model *, uint64_t key);
struct model_entry *model_insert(struct model *, uint64_t key, int *created);
void	 model_reserve(struct model *, size_t n);
uint64_t model_listener_key(const struct sock_rec *);
int32_t	 model_time(const struct model *, double unix_seconds);
double	 model_seconds(const struct model *, int32_t t);
int	 model_wants_info(const struct model *, const struct sock_rec *,
	     double now);

#endif
