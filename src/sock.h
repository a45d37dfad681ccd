/*
 * sock.h - one TCP socket as the kernel reported it, and a snapshot of them
 * (sock.c); the names of states and timers (sock_names.c).
 *
 * A snapshot is one poll: a flat array of fixed-size records, grown in
 * blocks, never one allocation per socket. tcp_info and memory figures are
 * large and often not needed, so they live in parallel arrays that exist
 * only when the request asked the kernel for them.
 */
#ifndef SOCKWATCH_SOCK_H
#define SOCKWATCH_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Kernel TCP state numbers (include/net/tcp_states.h). */
enum tcp_state {
	TS_ESTABLISHED = 1,
	TS_SYN_SENT,
	TS_SYN_RECV,
	TS_FIN_WAIT1,
	TS_FIN_WAIT2,
	TS_TIME_WAIT,
	TS_CLOSE,
	TS_CLOSE_WAIT,
	TS_LAST_ACK,
	TS_LISTEN,
	TS_CLOSING,
	TS_NEW_SYN_RECV,	/* request sockets; reported as SYN_RECV */
};
#define TS_MAX		TS_NEW_SYN_RECV
#define TS_COUNT	11	/* the eleven states a user sees */
#define TS_ALL_MASK	((1u << (TS_MAX + 1)) - 2)
#define TS_BIT(s)	(1u << (s))

/* idiag_timer values. */
enum sock_timer {
	TIMER_NONE = 0,
	TIMER_RETRANS = 1,
	TIMER_KEEPALIVE = 2,
	TIMER_TIME_WAIT = 3,
	TIMER_PROBE = 4,	/* zero-window probe */
};

#define SOCK_HAS_INFO	0x01	/* snapshot->info[i] is valid */
#define SOCK_HAS_MEM	0x02	/* snapshot->mem[i] is valid */
#define SOCK_HAS_SHUT	0x04	/* shutdown is valid */
#define SOCK_CARRIED	0x08	/* pacing: as the last full poll saw it */
#define SOCK_REFRESHED	0x10	/* pacing: looked up again since its poll */

struct sock_rec {
	uint64_t	cookie;
	uint8_t		src[16];	/* IPv4 in the first four bytes */
	uint8_t		dst[16];
	uint16_t	sport;		/* host byte order */
	uint16_t	dport;
	uint8_t		family;		/* AF_INET or AF_INET6 */
	uint8_t		state;		/* enum tcp_state, never TS_NEW_SYN_RECV */
	uint8_t		timer;		/* enum sock_timer */
	uint8_t		retrans;
	uint32_t	expires_ms;
	uint32_t	rqueue;		/* LISTEN: accept queue */
	uint32_t	wqueue;		/* LISTEN: backlog */
	uint32_t	uid;
	uint32_t	inode;		/* 0: no file (orphan or not accepted) */
	uint32_t	ifindex;
	uint8_t		shutdown;	/* bit 0: we stopped reading, 1: writing */
	uint8_t		flags;		/* SOCK_HAS_*, SOCK_CARRIED */
	uint16_t	netns;		/* -N all: index of its namespace, else 0 */
} __attribute__((packed, aligned(4)));	/* 76 bytes, not 80: a snapshot
					   and the pacing carry hold one per
					   socket */

/* The parts of struct tcp_info that sockwatch shows or judges. */
struct sock_info {
	uint8_t		ca_state;
	uint8_t		retransmits;	/* consecutive, of the current segment */
	uint8_t		probes;
	uint8_t		backoff;
	uint8_t		options;
	uint8_t		snd_wscale;
	uint8_t		rcv_wscale;
	uint32_t	rto_us;
	uint32_t	rtt_us;
	uint32_t	rttvar_us;
	uint32_t	min_rtt_us;
	uint32_t	snd_mss;
	uint32_t	snd_cwnd;
	uint32_t	snd_ssthresh;
	uint32_t	unacked;
	uint32_t	lost;
	uint32_t	total_retrans;
	uint32_t	last_data_sent_ms;
	uint32_t	last_data_recv_ms;
	uint32_t	last_ack_recv_ms;
	uint32_t	rcv_space;
	uint32_t	snd_wnd;	/* 0 also when the kernel is too old */
	uint32_t	notsent_bytes;
	uint64_t	bytes_acked;
	uint64_t	bytes_received;
	uint64_t	bytes_retrans;
	uint64_t	delivery_rate;
	uint64_t	busy_time_us;
	uint64_t	rwnd_limited_us;
	uint64_t	sndbuf_limited_us;
	uint32_t	len;		/* bytes of tcp_info the kernel sent */
};

/* SK_MEMINFO_* as the kernel sent them. */
struct sock_mem {
	uint32_t	rmem_alloc;
	uint32_t	rcvbuf;
	uint32_t	wmem_alloc;
	uint32_t	sndbuf;
	uint32_t	fwd_alloc;
	uint32_t	wmem_queued;
	uint32_t	optmem;
	uint32_t	backlog;
	uint32_t	drops;
};

struct snapshot {
	struct sock_rec		*socks;
	struct sock_info	*info;	/* NULL unless tcp_info was asked for */
	struct sock_mem		*mem;	/* NULL unless memory was asked for */
	size_t			 n;
	size_t			 cap;
	int			 info_all;	/* the dump asked every socket's:
						   info is filled as socks is */
	struct timespec		 when;	/* CLOCK_REALTIME of the poll */
	char			 host[256];
	char			 netns[64];
	char			 boot_id[40];
	/* Pacing (pace.h): the bulk is asked for every bulk_every polls
	   (1: every poll); `carried` of these sockets came from an earlier. */
	unsigned		 bulk_every;
	size_t			 carried;
	int			 over_budget;	/* even so, the polls cost more */
	/* The states this poll did not ask the kernel for (the filter's,
	   --state, pacing): a socket new in them may be older than the poll. */
	uint32_t		 unasked;
	/* Pacing: of each carried socket, its index when the last poll was
	   judged, or SNAPSHOT_NO_ORIGIN when this is not the record judged
	   then (snapshot_origin_begin). NULL unless a source keeps it. */
	uint32_t		*origin;
};

#define SNAPSHOT_NO_ORIGIN	UINT32_MAX

void		 snapshot_init(struct snapshot *);
void		 snapshot_clear(struct snapshot *);
void		 snapshot_free(struct snapshot *);
void		 snapshot_want(struct snapshot *, int want_info, int want_mem);
void		 snapshot_want_only(struct snapshot *, int want_info,
		     int want_mem);
void		 snapshot_reserve(struct snapshot *, size_t n);
struct sock_rec	*snapshot_add(struct snapshot *, size_t *index);
struct sock_rec	*snapshot_append(struct snapshot *,
		     const struct snapshot *from, size_t i);
void		 snapshot_truncate(struct snapshot *, size_t n);
uint32_t	*snapshot_cookie_index(const struct snapshot *);
long		 snapshot_find_cookie(const struct snapshot *,
		     const uint32_t *idx, uint64_t cookie);
size_t		 snapshot_take_info(struct snapshot *, const struct snapshot *);
size_t		 snapshot_merge_info(struct snapshot *, const uint32_t *idx,
		     const struct snapshot *from);
int		 snapshot_refresh(struct snapshot *, size_t i,
		     const struct sock_rec *now, const struct sock_info *);
void		 snapshot_keep(struct snapshot *, int families_v4v6,
		     uint32_t states);
void		 snapshot_select(struct snapshot *,
		     int (*keep)(const struct sock_rec *, void *), void *);
void		 snapshot_origin_begin(struct snapshot *);
void		 snapshot_origin_forget(struct snapshot *, size_t i);

/*
 * Where carried record i was when snap was last judged (it held `judged`
 * records then), or SNAPSHOT_NO_ORIGIN: not carried, or not the same
 * record. A carry only drops records before i, never adds: never later.
 */
static inline uint32_t
snapshot_origin_of(const struct snapshot *snap, size_t i, size_t judged)
{
	uint32_t j;

	if (snap->origin == NULL || i >= snap->carried)
		return SNAPSHOT_NO_ORIGIN;
	j = snap->origin[i];
	return j >= i && j < judged ? j : SNAPSHOT_NO_ORIGIN;
}

/* Past the handshake: tcp_info's last times count from it at the latest. */
#define SOCK_STAMPED	(TS_BIT(TS_ESTABLISHED) | TS_BIT(TS_FIN_WAIT1) | \
			 TS_BIT(TS_FIN_WAIT2) | TS_BIT(TS_CLOSE_WAIT) | \
			 TS_BIT(TS_LAST_ACK) | TS_BIT(TS_CLOSING))
double		 sock_proven_age(const struct sock_rec *,
		     const struct sock_info *, int state_age);

const char	*sock_state_name(int state);
int		 sock_state_parse(const char *name, uint32_t *mask);
const int	*sock_state_order(void);
int		 sock_state_rank(int state);
const char	*sock_timer_name(int timer);

#endif
