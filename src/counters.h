/*
 * counters.h - the kernel's TCP counters and the sysctls that bound them.
 *
 * Sockets alone do not show drops, cookie floods or overflowing tables: the
 * kernel counts those in /proc/net/netstat (TcpExt), /proc/net/snmp (Tcp)
 * and /proc/net/sockstat, and its limits live in sysctls. They are read with
 * each poll; the parsers take text so recordings and tests can feed them.
 */
#ifndef SOCKWATCH_COUNTERS_H
#define SOCKWATCH_COUNTERS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct recorder;
struct replay;

/* Monotonic counters (rates come from their deltas), then gauges. */
enum counter_id {
	CTR_LISTEN_OVERFLOWS,
	CTR_LISTEN_DROPS,
	CTR_SYNCOOKIES_SENT,
	CTR_SYNCOOKIES_RECV,
	CTR_SYNCOOKIES_FAILED,
	CTR_REQQ_FULL_DROP,
	CTR_REQQ_FULL_COOKIES,
	CTR_TW_OVERFLOW,
	CTR_ABORT_ON_MEMORY,
	CTR_ABORT_ON_TIMEOUT,
	CTR_TIMEOUTS,
	CTR_SYN_RETRANS,
	CTR_TW,			/* TIME_WAIT sockets that ended */
	CTR_PASSIVE_OPENS,
	CTR_ACTIVE_OPENS,
	CTR_RETRANS_SEGS,
	CTR_OUT_SEGS,
	CTR_OUT_RSTS,
	CTR_ATTEMPT_FAILS,
	CTR_GAUGES,		/* the rest are levels, not counters */
	CTR_ORPHANS = CTR_GAUGES,
	CTR_TW_SOCKETS,
	CTR_COUNT
};

enum sysctl_id {
	SYS_SOMAXCONN,
	SYS_MAX_SYN_BACKLOG,
	SYS_SYNCOOKIES,
	SYS_MAX_ORPHANS,
	SYS_MAX_TW_BUCKETS,
	SYS_PORT_LOW,		/* ip_local_port_range */
	SYS_PORT_HIGH,
	SYS_PORTS_RESERVED,	/* reserved ports inside the range */
	SYS_FIN_TIMEOUT,
	SYS_TW_REUSE,
	SYS_KEEPALIVE_PROBES,
	SYS_COUNT
};

struct counters {
	uint64_t	 v[CTR_COUNT];
	uint32_t	 known;		/* bit per counter_id */
	int64_t		 sys[SYS_COUNT];
	uint32_t	 sys_known;	/* bit per sysctl_id */
	struct timespec	 when;
};

/* What changed between two readings. */
struct counter_rates {
	double		 seconds;	/* 0: no earlier reading */
	uint64_t	 delta[CTR_COUNT];
	double		 rate[CTR_COUNT];	/* per second */
	uint32_t	 known;		/* bit per counter with a delta */
	uint32_t	 reset;		/* bit per counter that went down */
};

#define COUNTER_KNOWN(c, id)	(((c)->known >> (id)) & 1)
#define SYSCTL_KNOWN(c, id)	(((c)->sys_known >> (id)) & 1)

void		 counters_init(struct counters *);
int		 counters_parse_table(struct counters *, const char *text,
		     size_t len);
int		 counters_parse_sockstat(struct counters *, const char *text,
		     size_t len);
int		 counters_parse_sysctl(struct counters *, enum sysctl_id,
		     const char *text, size_t len);
void		 counters_read(struct counters *, struct recorder *);
void		 counters_read_opens(struct counters *);
int		 counters_opens(const struct counters *, uint64_t *opens);
void		 counters_replay(struct counters *, const struct replay *,
		     size_t poll);
void		 counters_rates(const struct counters *prev,
		     const struct counters *cur, struct counter_rates *);
const char	*counters_name(enum counter_id);
const char	*counters_sysctl_name(enum sysctl_id);
int64_t		 counters_usable_ports(const struct counters *);
int		 counters_valid(const struct counters *,
		     const struct counters *earlier, double latest);

#endif
