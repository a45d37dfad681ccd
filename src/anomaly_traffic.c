/*
 * anomaly_traffic.c - rules about connections that carry traffic badly:
 * time-wait (local ports running out), retransmits and zero-window.
 *
 * connect() needs a free local port per (local address, destination):
 * sockets on ephemeral ports to one destination, TIME_WAIT included, use
 * up ip_local_port_range. Retransmits show loss or a peer that is gone. A
 * zero window means a receiver stopped reading: the peer when we probe it,
 * our own process when our Recv-Q sits full.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "anomaly_rules.h"
#include "format.h"
#include "xmalloc.h"

enum { TW_WARN_SHARE, TW_CRIT_SHARE, TW_BUCKETS_SHARE };

const struct rule_param anomaly_time_wait_params[] = {
	[TW_WARN_SHARE] = { "warning_share", 0.5,
	    "sockets to one destination as a share of the usable local "
	    "ports for a warning" },
	[TW_CRIT_SHARE] = { "critical_share", 0.8, "the same for critical" },
	[TW_BUCKETS_SHARE] = { "buckets_share", 0.8,
	    "TIME_WAIT as a share of tcp_max_tw_buckets for a warning" },
	{ NULL, 0, NULL },
};

enum { RT_WARN_SHARE, RT_CRIT_SHARE, RT_MIN_SEGS, RT_SOCK_WARN, RT_SOCK_CRIT };

const struct rule_param anomaly_retransmits_params[] = {
	[RT_WARN_SHARE] = { "warning_share", 0.02,
	    "retransmitted share of segments sent, over a minute, warning" },
	[RT_CRIT_SHARE] = { "critical_share", 0.10, "the same for critical" },
	[RT_MIN_SEGS] = { "min_segments_per_min", 1000,
	    "below this many segments a minute the share is not judged" },
	[RT_SOCK_WARN] = { "socket_warning", 3,
	    "consecutive retransmits of one socket for a warning" },
	[RT_SOCK_CRIT] = { "socket_critical", 6, "the same for critical" },
	{ NULL, 0, NULL },
};

/* struct tcp_info up to tcpi_snd_wnd (Linux 5.4): a 0 before it is unknown. */
#define TCP_INFO_SND_WND_LEN	232

enum { ZW_STALL, ZW_CRIT_PROBES };

const struct rule_param anomaly_zero_window_params[] = {
	[ZW_STALL] = { "stall_s", 30,
	    "queues unchanged this long count as stalled" },
	[ZW_CRIT_PROBES] = { "critical_probes", 6,
	    "zero-window probes unanswered for critical" },
	{ NULL, 0, NULL },
};

/* (family, local address, destination address and port) as a key. */
static uint64_t
destination_key(const struct sock_rec *s)
{
	uint64_t w[4], h = s->family;

	memcpy(w, s->src, 16);
	h = anomaly_mix(anomaly_mix(h, w[0]), w[1]);
	memcpy(w + 2, s->dst, 16);
	h = anomaly_mix(anomaly_mix(anomaly_mix(h, w[2]), w[3]), s->dport);
	return h >> 1;		/* never UINT64_MAX */
}

static int
on_ephemeral_port(const struct sock_rec *s, double low, double high)
{
	return s->state != TS_LISTEN && s->state != TS_SYN_RECV &&
	    s->sport >= low && s->sport <= high;
}

static void
time_wait_words(struct anomaly_ctx *ctx, struct finding *f,
    const struct sock_rec *s, uint64_t count, double usable)
{
	char local[ADDR_STRLEN], dest[ADDR_STRLEN];

	format_ip(local, sizeof local, s->family, s->src);
	format_addr(dest, sizeof dest, s->family, s->dst, s->dport);
	snprintf(f->subject, sizeof f->subject, "%s -> %s", local, dest);
	anomaly_nsay(f, FINDING_SUMMARY, (unsigned long)count,
	    /* TRANSLATORS: a local address (10.0.0.5) to a destination
	       (10.0.0.9:5432). */
	    "%llu local port of %.0f in use from %s to %s (%.0f%%)",
	    "%llu local ports of %.0f in use from %s to %s (%.0f%%)",
	    (unsigned long long)count, usable, local, dest,
	    100.0 * (double)count / usable);
	anomaly_say(f, FINDING_CAUSE, "many short connections to one "
	    "destination; each closed one keeps its port in TIME_WAIT for "
	    "60 s");
	anomaly_say(f, FINDING_ADVICE, "bind()/connect() will fail with "
	    "EADDRNOTAVAIL; reuse connections (keep-alive, pooling), or enable "
	    "net.ipv4.tcp_tw_reuse (it is %.0f), or widen ip_local_port_range",
	    anomaly_sysctl(ctx, SYS_TW_REUSE, -1));
}

/* Evidence from the sockets of one destination: TIME_WAIT, an owner. */
static void
time_wait_detail(struct anomaly_ctx *ctx, struct finding *f, uint64_t key,
    double low, double high)
{
	const struct snapshot *snap = ctx->in->model->snap;
	const struct proc_owner *o = NULL;
	uint64_t tw = 0;
	char buf[EVIDENCE_TEXT];
	size_t i;

	for (i = 0; i < snap->n; i++) {
		const struct sock_rec *s = &snap->socks[i];

		if (!on_ephemeral_port(s, low, high) || destination_key(s) != key)
			continue;
		if (s->state == TS_TIME_WAIT)
			tw++;
		if (o == NULL && s->state == TS_ESTABLISHED &&
		    ctx->in->proc != NULL)
			o = proc_lookup(ctx->in->proc, s->inode);
	}
	anomaly_ev_num(f, "time_wait", (double)tw, 0);
	if (o != NULL) {
		f->pid = o->pid;
		snprintf(buf, sizeof buf, "pid %d (%s)", (int)o->pid, o->name);
		anomaly_ev_text(f, "process", buf);
	}
}

static void
time_wait_system(struct anomaly_ctx *ctx)
{
	const struct counters *c = ctx->in->counters;
	const struct counter_rates *r = ctx->in->rates;
	enum severity raise = SEV_OK, hold = SEV_OK;
	struct finding *f;
	double tw, max;

	tw = c != NULL && COUNTER_KNOWN(c, CTR_TW_SOCKETS) ?
	    (double)c->v[CTR_TW_SOCKETS] :
	    (double)ctx->in->model->groups.states[TS_TIME_WAIT];
	max = anomaly_sysctl(ctx, SYS_MAX_TW_BUCKETS, 0);
	if (max > 0)
		anomaly_level(ctx, tw / max, ctx->p[TW_BUCKETS_SHARE], 0,
		    &raise, &hold);
	if (r != NULL && r->delta[CTR_TW_OVERFLOW] > 0)
		anomaly_level(ctx, 1, 1, 1, &raise, &hold);
	if ((f = anomaly_emit(ctx, "system", raise, hold)) == NULL)
		return;
	f->metric = tw;
	snprintf(f->subject, sizeof f->subject, "system");
	anomaly_nsay(f, FINDING_SUMMARY, (unsigned long)tw,
	    "%.0f socket in TIME_WAIT, the table holds %.0f",
	    "%.0f sockets in TIME_WAIT, the table holds %.0f", tw, max);
	anomaly_say(f, FINDING_CAUSE, "connections close faster than "
	    "TIME_WAIT (60 s) ends; past tcp_max_tw_buckets the kernel skips "
	    "TIME_WAIT, which risks stray segments in new connections");
	anomaly_say(f, FINDING_ADVICE, "reuse connections; raise "
	    "net.ipv4.tcp_max_tw_buckets if memory allows");
	anomaly_ev_num(f, "time_wait", tw, 0);
	anomaly_ev_num(f, "tcp_max_tw_buckets", max, 0);
	if (r != NULL && r->seconds > 0)
		anomaly_ev_num(f, "time_wait_overflows",
		    (double)r->delta[CTR_TW_OVERFLOW], 0);
}

static void
time_wait_propose(struct anomaly_ctx *ctx, const struct sock_rec *s,
    uint64_t count, double low, double high, double usable)
{
	const struct counter_rates *r = ctx->in->rates;
	enum severity raise = SEV_OK, hold = SEV_OK;
	uint64_t key = destination_key(s);
	struct finding *f;
	char name[64];

	anomaly_level(ctx, (double)count / usable, ctx->p[TW_WARN_SHARE],
	    ctx->p[TW_CRIT_SHARE], &raise, &hold);
	snprintf(name, sizeof name, "%016llx", (unsigned long long)key);
	if ((f = anomaly_emit(ctx, name, raise, hold)) == NULL)
		return;
	f->metric = (double)count;
	time_wait_words(ctx, f, s, count, usable);
	anomaly_ev_num(f, "count", (double)count, 0);
	anomaly_ev_num(f, "usable_ports", usable, 0);
	anomaly_ev_num(f, "share", (double)count / usable, 3);
	anomaly_ev_num(f, "port_low", low, 0);
	anomaly_ev_num(f, "port_high", high, 0);
	if (r != NULL && r->seconds > 0)
		anomaly_ev_num(f, "time_wait_per_s", r->rate[CTR_TW], 1);
	time_wait_detail(ctx, f, key, low, high);
}

/*
 * Destinations are counted exactly only where they can reach the clear
 * level: a first pass counts into a small array of hash buckets, and a
 * destination's count is at most its bucket's. With a million sockets
 * spread over many destinations no bucket comes near, and the rule costs
 * that one pass: *fullest says whether another is needed.
 */
#define TW_BUCKETS	65536

static uint32_t *
bucket_counts(const struct snapshot *snap, double low, double high,
    uint32_t *fullest)
{
	uint32_t *b = xcalloc(TW_BUCKETS, sizeof *b);
	size_t i;

	*fullest = 0;
	for (i = 0; i < snap->n; i++)
		if (on_ephemeral_port(&snap->socks[i], low, high))
			b[destination_key(&snap->socks[i]) % TW_BUCKETS]++;
	for (i = 0; i < TW_BUCKETS; i++)
		if (b[i] > *fullest)
			*fullest = b[i];
	return b;
}

void
anomaly_check_time_wait(struct anomaly_ctx *ctx)
{
	const struct snapshot *snap = ctx->in->model->snap;
	double low = anomaly_sysctl(ctx, SYS_PORT_LOW, 32768);
	double high = anomaly_sysctl(ctx, SYS_PORT_HIGH, 60999);
	double usable = ctx->in->counters != NULL ?
	    (double)counters_usable_ports(ctx->in->counters) : high - low + 1;
	double floor = ctx->p[TW_WARN_SHARE] * ctx->cfg->clear_ratio * usable;
	struct prefix_tally t, done;
	uint64_t key, count;
	uint32_t *buckets, fullest;
	size_t i;

	time_wait_system(ctx);
	if (floor < 1)
		floor = 1;
	buckets = bucket_counts(snap, low, high, &fullest);
	prefix_tally_init(&t);
	prefix_tally_init(&done);
	for (i = 0; fullest >= floor && i < snap->n; i++)
		if (on_ephemeral_port(&snap->socks[i], low, high) &&
		    buckets[(key = destination_key(&snap->socks[i])) %
		    TW_BUCKETS] >= floor)
			prefix_tally_add(&t, key);
	for (i = 0; t.n > 0 && i < snap->n; i++) {
		const struct sock_rec *s = &snap->socks[i];

		if (!on_ephemeral_port(s, low, high))
			continue;
		key = destination_key(s);
		if (buckets[key % TW_BUCKETS] < floor)
			continue;
		count = prefix_tally_count(&t, key);
		if ((double)count < floor || prefix_tally_count(&done, key) > 0)
			continue;
		prefix_tally_add(&done, key);
		time_wait_propose(ctx, s, count, low, high, usable);
	}
	free(buckets);
	prefix_tally_free(&done);
	prefix_tally_free(&t);
}

static void
retransmits_system(struct anomaly_ctx *ctx)
{
	const struct counter_rates *r = ctx->in->rates_long != NULL ?
	    ctx->in->rates_long : ctx->in->rates;
	enum severity raise = SEV_OK, hold = SEV_OK;
	double per_min, share;
	uint64_t syn, data;
	struct finding *f;

	if (r == NULL || r->seconds <= 0 ||
	    !(r->known & 1u << CTR_OUT_SEGS) || r->delta[CTR_OUT_SEGS] == 0)
		return;
	per_min = r->rate[CTR_OUT_SEGS] * 60;
	if (per_min < ctx->p[RT_MIN_SEGS])
		return;
	/*
	 * RetransSegs counts SYN-ACKs and SYNs sent again too
	 * (TCPSynRetrans): under a SYN flood those are the server's own
	 * retries to sources that never answer, not loss on the path.
	 */
	syn = COUNTER_KNOWN(r, CTR_SYN_RETRANS) ? r->delta[CTR_SYN_RETRANS] : 0;
	data = r->delta[CTR_RETRANS_SEGS] > syn ?
	    r->delta[CTR_RETRANS_SEGS] - syn : 0;
	share = (double)data / (double)r->delta[CTR_OUT_SEGS];
	anomaly_level(ctx, share, ctx->p[RT_WARN_SHARE], ctx->p[RT_CRIT_SHARE],
	    &raise, &hold);
	if ((f = anomaly_emit(ctx, "system", raise, hold)) == NULL)
		return;
	f->metric = share;
	snprintf(f->subject, sizeof f->subject, "system");
	anomaly_say(f, FINDING_SUMMARY, "%.1f%% of segments sent again over "
	    "the last %.0f s", share * 100, r->seconds);
	anomaly_say(f, FINDING_CAUSE, "packet loss on the path, or peers that "
	    "stopped answering");
	anomaly_say(f, FINDING_ADVICE, "look at the sockets with retransmits "
	    "below and their peers; check interfaces for errors and drops");
	anomaly_ev_num(f, "share", share, 4);
	anomaly_ev_num(f, "retrans_segs", (double)r->delta[CTR_RETRANS_SEGS], 0);
	anomaly_ev_num(f, "syn_retrans", (double)syn, 0);
	anomaly_ev_num(f, "out_segs", (double)r->delta[CTR_OUT_SEGS], 0);
	anomaly_ev_num(f, "seconds", r->seconds, 1);
}

/* Sockets retransmitting the same segment, by peer prefix. */
static void
retransmits_run(struct anomaly_ctx *ctx, const struct keyed *k, size_t start,
    size_t n)
{
	const struct model *m = ctx->in->model;
	const struct sock_info *worst = NULL;
	enum severity raise = SEV_OK, hold = SEV_OK;
	char prefix[PREFIX_STRLEN], key[96];
	size_t i, wi = 0;
	struct finding *f;

	for (i = start; i < start + n; i++) {
		const struct sock_info *in = &m->snap->info[k[i].idx];

		if (worst == NULL || in->retransmits > worst->retransmits) {
			worst = in;
			wi = k[i].idx;
		}
	}
	anomaly_level(ctx, worst->retransmits, ctx->p[RT_SOCK_WARN],
	    ctx->p[RT_SOCK_CRIT], &raise, &hold);
	prefix_format(prefix, sizeof prefix, k[start].key);
	snprintf(key, sizeof key, "peers %s", prefix);
	if ((f = anomaly_emit(ctx, key, raise, hold)) == NULL)
		return;
	f->metric = worst->retransmits;
	snprintf(f->subject, sizeof f->subject, "peers %s", prefix);
	anomaly_nsay(f, FINDING_SUMMARY, n,
	    /* TRANSLATORS: %s is a network of peers: 203.0.113.0/24. */
	    "%zu connection to %s retransmitting, up to %u times in a row",
	    "%zu connections to %s retransmitting, up to %u times in a row",
	    n, prefix, (unsigned)worst->retransmits);
	anomaly_say(f, FINDING_CAUSE, "segments to these peers are not "
	    "acknowledged: loss on the path, or the peers are gone");
	anomaly_say(f, FINDING_ADVICE, "check the route and the peers; the "
	    "kernel gives up after tcp_retries2 and resets");
	anomaly_ev_num(f, "count", (double)n, 0);
	anomaly_ev_num(f, "retransmits", worst->retransmits, 0);
	anomaly_ev_num(f, "rto_ms", worst->rto_us / 1000.0, 0);
	anomaly_ev_num(f, "backoff", worst->backoff, 0);
	/* A SYN_SENT socket never received an ACK: the kernel's time
	   since it is counted from boot, not a fact about the peer. */
	if (m->snap->socks[wi].state != TS_SYN_SENT)
		anomaly_ev_num(f, "last_ack_recv_ms", worst->last_ack_recv_ms,
		    0);
	anomaly_ev_socket(f, "worst", &m->snap->socks[wi]);
}

static int
waits_on_full_listener(const struct anomaly_ctx *ctx, const struct sock_rec *s)
{
	const struct groups *g = &ctx->in->model->groups;
	uint32_t j = anomaly_local_listener(ctx, s);

	return j != GROUP_NONE &&
	    g->listeners[j].accept_queue > g->listeners[j].backlog;
}

/* A socket retransmitting now: tcpi_retransmits, rto and backoff say how. */
int
anomaly_wants_retransmits(const struct sock_rec *s, int is_new)
{
	(void)is_new;
	return s->timer == TIMER_RETRANS && s->retrans > 0;
}

void
anomaly_check_retransmits(struct anomaly_ctx *ctx)
{
	const struct snapshot *snap = ctx->in->model->snap;
	double floor = ctx->p[RT_SOCK_WARN] * ctx->cfg->clear_ratio;
	struct keyed *k = NULL;
	size_t i, n = 0, cap = 0, start;

	retransmits_system(ctx);
	if (snap->info == NULL)
		return;
	for (i = 0; i < snap->n; i++) {
		const struct sock_rec *s = &snap->socks[i];

		if (!(s->flags & SOCK_HAS_INFO) ||
		    snap->info[i].retransmits < floor || floor <= 0)
			continue;
		/* SYNs a full local listener drops: the accept-queue
		   finding of that listener names them. */
		if (s->state == TS_SYN_SENT &&
		    waits_on_full_listener(ctx, s))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			k = xreallocarray(k, cap, sizeof *k);
		}
		k[n].key = prefix_of(s->family, s->dst);
		k[n++].idx = (uint32_t)i;
	}
	anomaly_sort_keyed(k, n);
	for (start = 0; start < n; start = i) {
		for (i = start; i < n && k[i].key == k[start].key; i++)
			;
		retransmits_run(ctx, k, start, i - start);
	}
	free(k);
}

/* A stalled socket: who stopped reading, and since when. */
struct stall {
	size_t		 idx;
	int		 ours;		/* our process is not reading */
	enum severity	 raise;
	enum severity	 hold;
	double		 seconds;
};

static int
compare_stalls(const void *pa, const void *pb)
{
	const struct stall *a = pa, *b = pb;

	if (a->raise != b->raise)
		return a->raise > b->raise ? -1 : 1;
	if (a->seconds != b->seconds)
		return a->seconds > b->seconds ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int
judge_stall(const struct anomaly_ctx *ctx, size_t i, struct stall *st)
{
	const struct model *m = ctx->in->model;
	const struct sock_rec *s = &m->snap->socks[i];
	double age = m->socks[i].queue_age_s, stall = ctx->p[ZW_STALL];

	memset(st, 0, sizeof *st);
	st->idx = i;
	st->seconds = age;
	if (s->timer == TIMER_PROBE) {
		anomaly_level(ctx, 1, 1, 0, &st->raise, &st->hold);
		anomaly_level(ctx, s->retrans, 0, ctx->p[ZW_CRIT_PROBES],
		    &st->raise, &st->hold);
	} else if ((s->flags & SOCK_HAS_INFO) && m->snap->info[i].snd_wnd == 0 &&
	    m->snap->info[i].len >= TCP_INFO_SND_WND_LEN && s->wqueue > 0 &&
	    s->state == TS_ESTABLISHED) {
		anomaly_level(ctx, age, stall, 0, &st->raise, &st->hold);
	} else if (s->rqueue > 0 && s->state == TS_ESTABLISHED) {
		st->ours = 1;
		anomaly_level(ctx, age, stall, 0, &st->raise, &st->hold);
	}
	return st->hold != SEV_OK;
}

static void
zero_window_ours(struct finding *f, const char *owner, unsigned bytes,
    const char *age)
{
	anomaly_nsay(f, FINDING_SUMMARY, bytes,
	    /* TRANSLATORS: the first %s is who holds the socket, "pid 812
	       (nginx)" or "uid 33"; the last a duration: 5m12s. */
	    "%s has not read %u byte for %s",
	    "%s has not read %u bytes for %s", owner, bytes, age);
	anomaly_say(f, FINDING_CAUSE, "our process is not reading: its "
	    "receive queue is full and unchanged, so the peer is held at a "
	    "zero window");
	anomaly_say(f, FINDING_ADVICE, "look at what %s is blocked on (a "
	    "stack dump, strace)", owner);
}

static void
zero_window_peer(struct finding *f, const char *owner, const char *peer,
    unsigned bytes, const char *age)
{
	anomaly_nsay(f, FINDING_SUMMARY, bytes,
	    /* TRANSLATORS: the first %s is the peer's address, the last a
	       duration: 5m12s. */
	    "the peer %s has a zero window; %u byte waiting for %s",
	    "the peer %s has a zero window; %u bytes waiting for %s", peer,
	    bytes, age);
	anomaly_say(f, FINDING_CAUSE, "the peer stopped reading: its receive "
	    "window is zero and the kernel probes it");
	anomaly_say(f, FINDING_ADVICE, "look at the peer's application; a "
	    "timeout in %s would free the connection", owner);
}

static void
zero_window_propose(struct anomaly_ctx *ctx, const struct stall *st)
{
	const struct model *m = ctx->in->model;
	const struct sock_rec *s = &m->snap->socks[st->idx];
	char key[96], local[ADDR_STRLEN], peer[ADDR_STRLEN], age[DURATION_STRLEN];
	char owner[96];
	struct finding *f;
	int32_t pid;

	snprintf(key, sizeof key, "%s 0x%llx", st->ours ? "local" : "peer",
	    (unsigned long long)s->cookie);
	if ((f = anomaly_emit(ctx, key, st->raise, st->hold)) == NULL)
		return;
	pid = anomaly_holder(ctx, s, owner, sizeof owner);
	format_addr(local, sizeof local, s->family, s->src, s->sport);
	format_addr(peer, sizeof peer, s->family, s->dst, s->dport);
	format_duration(age, sizeof age, st->seconds);
	f->metric = st->seconds;
	f->pid = pid;
	snprintf(f->subject, sizeof f->subject, "%s -> %s", local, peer);
	if (st->ours)
		zero_window_ours(f, owner, s->rqueue, age);
	else
		zero_window_peer(f, owner, peer, s->wqueue, age);
	anomaly_ev_text(f, "side", st->ours ? "local" : "peer");
	anomaly_ev_num(f, "stalled_s", st->seconds, 0);
	anomaly_ev_num(f, "recv_q", s->rqueue, 0);
	anomaly_ev_num(f, "send_q", s->wqueue, 0);
	if (s->timer == TIMER_PROBE)
		anomaly_ev_num(f, "probes", s->retrans, 0);
	anomaly_ev_text(f, "process", owner);
}

/*
 * An established connection probing a zero window, or with data waiting
 * to be sent: its send window tells a stall from a slow drain.
 */
int
anomaly_wants_zero_window(const struct sock_rec *s, int is_new)
{
	(void)is_new;
	return (s->timer == TIMER_PROBE || s->wqueue > 0) &&
	    s->state == TS_ESTABLISHED;
}

void
anomaly_check_zero_window(struct anomaly_ctx *ctx)
{
	const struct snapshot *snap = ctx->in->model->snap;
	struct stall *st = NULL, one;
	size_t i, n = 0, cap = 0;

	for (i = 0; i < snap->n; i++) {
		if (!judge_stall(ctx, i, &one))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			st = xreallocarray(st, cap, sizeof *st);
		}
		st[n++] = one;
	}
	if (st == NULL)
		return;
	if (n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(st, n, sizeof *st, compare_stalls);
	for (i = 0; i < n; i++)
		zero_window_propose(ctx, &st[i]);
	free(st);
}
