/*
 * model.h - what outlives a poll: every socket tracked by its cookie.
 *
 * The kernel gives no socket a creation time. The model remembers, for each
 * cookie (unique until reboot, so the table is keyed with the boot id), when
 * it was first seen, when it entered its current state and which state it
 * left, and since when its queues have not moved. From that it derives the
 * ages of the sockets of the current snapshot, and it keeps the history of
 * the listeners (their drops) that rates need.
 *
 * The table is open addressing with linear probing: one flat array, no
 * allocation per socket, and entries of vanished cookies are removed each
 * poll, so memory follows the live sockets.
 */
#ifndef SOCKWATCH_MODEL_H
#define SOCKWATCH_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "group.h"
#include "sock.h"

#define MODEL_TIME_WAIT_S	60	/* TIME_WAIT lasts this long on Linux */

#define MODEL_SEEN		0x01	/* present in the current poll */
#define MODEL_ESTIMATED		0x02	/* state age from a timer or tcp_info */
#define MODEL_LISTENER		0x04	/* a listener's history, not a socket */

/* Times are deciseconds since model->base, so an entry is 32 bytes. */
struct model_entry {
	uint64_t	 key;		/* cookie, or a listener key; 0: empty */
	int32_t		 first_seen;
	int32_t		 state_since;
	int32_t		 queue_since;	/* Recv-Q and Send-Q last changed */
	uint32_t	 rqueue;	/* listener: drops at the last poll */
	uint32_t	 wqueue;
	uint8_t		 state;
	uint8_t		 prev_state;
	uint16_t	 flags;
};

/* What the model says about one socket of the current snapshot. */
struct model_sock {
	float		 age_s;		/* since first seen (or its timer) */
	float		 state_age_s;	/* in its current state */
	float		 queue_age_s;	/* queues unchanged for this long */
	uint8_t		 prev_state;	/* 0: not seen in another state */
	uint8_t		 flags;		/* MODEL_ESTIMATED */
};

/* A listener's drops since the last poll. */
struct model_listener {
	uint64_t	 drops_delta;
	double		 drops_rate;	/* per second */
	int		 drops_known;	/* an earlier poll saw it */
};

struct model {
	struct model_entry	*tab;
	size_t			 cap;		/* a power of two */
	size_t			 n;
	int64_t			 base;		/* Unix seconds of time 0 */
	double			 now;		/* Unix seconds of this poll */
	double			 prev;		/* of the previous poll, or 0 */
	unsigned long		 polls;
	char			 boot_id[40];
	char			 netns[64];

	const struct snapshot	*snap;		/* the current poll */
	struct model_sock	*socks;		/* parallel to snap->socks */
	size_t			 socks_cap;
	struct groups		 groups;
	struct model_listener	*listeners;	/* parallel to groups */
};

void	 model_init(struct model *);
void	 model_free(struct model *);
void	 model_reset(struct model *);
void	 model_update(struct model *, const struct snapshot *);
const struct model_entry *model_find(const struct model *, uint64_t key);
struct model_entry *model_insert(struct model *, uint64_t key, int *created);
uint64_t model_listener_key(const struct sock_rec *);
int32_t	 model_time(const struct model *, double unix_seconds);
double	 model_seconds(const struct model *, int32_t t);

#endif
