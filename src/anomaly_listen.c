/*
 * anomaly_listen.c - rules about listeners: syn-flood and accept-queue.
 *
 * Two queues sit in front of a listener. Half-open connections (SYN_RECV
 * request sockets) wait for the client's ACK; a flood of SYNs from spoofed
 * sources fills that queue with requests nobody answers. Complete
 * connections wait in the accept queue until the process calls accept();
 * a process that accepts too slowly fills it, and the kernel drops.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "anomaly_rules.h"
#include "format.h"
#include "xmalloc.h"

enum {
	SF_WARN_SHARE, SF_CRIT_SHARE, SF_MIN, SF_SYS_WARN, SF_SYS_CRIT,
	SF_SPOOF_UNANSWERED, SF_SPOOF_ENTROPY, SF_CONC_SHARE, SF_REAL_SHARE,
};

const struct rule_param anomaly_syn_flood_params[] = {
	[SF_WARN_SHARE] = { "warning_share", 0.5,
	    "SYN_RECV as a share of the listener's backlog for a warning" },
	[SF_CRIT_SHARE] = { "critical_share", 0.9,
	    "SYN_RECV as a share of the backlog for critical" },
	[SF_MIN] = { "min_syn_recv", 16,
	    "fewer half-open connections than this never raise" },
	[SF_SYS_WARN] = { "system_warning_rate", 1,
	    "SYN queue overflows and cookies per second, system-wide, warning" },
	[SF_SYS_CRIT] = { "system_critical_rate", 5,
	    "the same per second for critical" },
	[SF_SPOOF_UNANSWERED] = { "spoofed_unanswered", 0.5,
	    "share of SYN-ACKs unanswered above which sources look spoofed" },
	[SF_SPOOF_ENTROPY] = { "spoofed_entropy", 0.9,
	    "normalised entropy of source prefixes above which they look random" },
	[SF_CONC_SHARE] = { "concentrated_share", 0.5,
	    "share of one source prefix above which the flood is concentrated" },
	[SF_REAL_SHARE] = { "real_share", 0.5,
	    "share of half-open sources with completed connections to the "
	    "listener, or of syncookies coming back, above which the clients "
	    "are real" },
	{ NULL, 0, NULL },
};

enum { AQ_WARN_SHARE, AQ_CRIT_DROPS, AQ_SMALL_BACKLOG, AQ_HUNG };

const struct rule_param anomaly_accept_queue_params[] = {
	[AQ_WARN_SHARE] = { "warning_share", 0.8,
	    "accept queue as a share of the backlog for a warning" },
	[AQ_CRIT_DROPS] = { "critical_drops_rate", 5,
	    "drops per second for critical (any drop is a warning)" },
	[AQ_SMALL_BACKLOG] = { "small_backlog", 128,
	    "a backlog below this gets the advice to raise it" },
	[AQ_HUNG] = { "hung_s", 60,
	    "a connection waiting this long to be accepted means the process "
	    "accepts nothing (a warning at least)" },
	{ NULL, 0, NULL },
};

/* What the half-open connections of one listener look like. */
struct syn_view {
	struct prefix_tally	 tally;
	uint64_t		 unanswered;	/* SYN-ACK sent again */
	uint64_t		 known_peer;	/* source completed a connection */
};

static const char *
listener_name(const struct anomaly_ctx *ctx, const struct listener *l,
    char *buf, size_t size)
{
	const struct sock_rec *s = &ctx->in->model->snap->socks[l->sock];

	format_addr(buf, size, s->family, s->src, s->sport);
	return buf;
}

static void
listener_process(const struct anomaly_ctx *ctx, const struct listener *l,
    struct finding *f)
{
	const struct sock_rec *s = &ctx->in->model->snap->socks[l->sock];
	const struct proc_owner *o;
	char buf[EVIDENCE_TEXT];

	if (ctx->in->proc == NULL ||
	    (o = proc_lookup(ctx->in->proc, s->inode)) == NULL)
		return;
	f->pid = o->pid;
	snprintf(buf, sizeof buf, "pid %d (%s)", (int)o->pid, o->name);
	anomaly_ev_text(f, "process", buf);
}

/* A peer address on a local port: the source as one listener sees it. */
static uint64_t
peer_key(const struct sock_rec *s)
{
	uint64_t w[2];

	memcpy(w, s->dst, sizeof w);
	return anomaly_mix(anomaly_mix(anomaly_mix(s->family, s->sport), w[0]),
	    w[1]) >> 1;	/* never UINT64_MAX */
}

/* A socket past the handshake: its peer is a real client. */
static int
completed(const struct sock_rec *s)
{
	return s->state != TS_LISTEN && s->state != TS_SYN_RECV &&
	    s->state != TS_SYN_SENT && s->state != TS_CLOSE;
}

/*
 * The peers that completed a connection to the ports of the listeners in
 * want: a spoofed source never does, a real client's other connections
 * (or this one, once its ACK gets in) do.
 */
static void
known_peers(const struct anomaly_ctx *ctx, const uint8_t *want,
    struct prefix_tally *peers)
{
	const struct model *m = ctx->in->model;
	const struct groups *g = &m->groups;
	uint8_t *port = xcalloc(65536 / 8, 1);
	size_t i;

	for (i = 0; i < g->nlisteners; i++)
		if (want[i]) {
			uint16_t p = m->snap->socks[g->listeners[i].sock].sport;

			port[p / 8] |= (uint8_t)(1u << p % 8);
		}
	for (i = 0; i < m->snap->n; i++) {
		const struct sock_rec *s = &m->snap->socks[i];

		if (completed(s) && (port[s->sport / 8] >> s->sport % 8 & 1))
			prefix_tally_add(peers, peer_key(s));
	}
	free(port);
}

/* Tally the sources of the SYN_RECV sockets of the listeners in want. */
static struct syn_view *
syn_views(const struct anomaly_ctx *ctx, const uint8_t *want)
{
	const struct model *m = ctx->in->model;
	const struct groups *g = &m->groups;
	struct syn_view *v = xcalloc(g->nlisteners + 1, sizeof *v);
	struct prefix_tally peers;
	size_t k;
	uint32_t j;

	prefix_tally_init(&peers);
	known_peers(ctx, want, &peers);
	for (k = 0; k < g->nreqs; k++) {
		const struct sock_rec *s = &m->snap->socks[g->reqs[k].sock];

		if (!want[j = g->reqs[k].listener])
			continue;
		prefix_tally_add(&v[j].tally, prefix_of(s->family, s->dst));
		if (s->retrans >= 1)
			v[j].unanswered++;
		if (prefix_tally_count(&peers, peer_key(s)) > 0)
			v[j].known_peer++;
	}
	prefix_tally_free(&peers);
	return v;
}

/*
 * A flash crowd when most sources completed connections to this listener
 * (a spoofed source never does: real clients, held up by a full accept
 * queue, are the accept-queue rule's). Spoofed: most SYN-ACKs unanswered,
 * sources spread at random. Concentrated: one network sends most.
 * Otherwise handshakes complete: a flash crowd or slow clients, which is
 * load, not an attack.
 */
static const char *
verdict(const struct anomaly_ctx *ctx, const struct prefix_stats *st,
    double unanswered, double known)
{
	double top = st->ntop > 0 ? (double)st->top[0].count / st->total : 0;

	if (known > ctx->p[SF_REAL_SHARE])
		return "flash-crowd";
	if (unanswered > ctx->p[SF_SPOOF_UNANSWERED] &&
	    st->entropy > ctx->p[SF_SPOOF_ENTROPY])
		return "spoofed";
	if (top > ctx->p[SF_CONC_SHARE])
		return "concentrated";
	if (unanswered > ctx->p[SF_SPOOF_UNANSWERED])
		return "spoofed";	/* distributed over a few networks */
	return "flash-crowd";
}

/* The verdict is a word of the summary: a sentence for each, whole. */
static void
syn_summary(struct finding *f, const struct listener *l, const char *name,
    const char *v, double share)
{
	unsigned long long n = l->syn_recv, backlog = l->backlog;

	if (strcmp(v, "spoofed") == 0)
		anomaly_nsay(f, FINDING_SUMMARY, (unsigned long)n,
		    /* TRANSLATORS: %s is a listening address: 0.0.0.0:80. */
		    "%llu half-open connection on %s, %.0f%% of its backlog of "
		    "%llu (spoofed)",
		    "%llu half-open connections on %s, %.0f%% of its backlog of "
		    "%llu (spoofed)", n, name, share * 100, backlog);
	else
		anomaly_nsay(f, FINDING_SUMMARY, (unsigned long)n,
		    /* TRANSLATORS: %s is a listening address: 0.0.0.0:80. */
		    "%llu half-open connection on %s, %.0f%% of its backlog of "
		    "%llu (concentrated)",
		    "%llu half-open connections on %s, %.0f%% of its backlog of "
		    "%llu (concentrated)", n, name, share * 100, backlog);
}

/* Syncookies answer a flood without keeping state: on, or turn them on. */
static void
syn_cookie_advice(struct anomaly_ctx *ctx, struct finding *f, const char *v,
    const char *top)
{
	int cookies = (int)anomaly_sysctl(ctx, SYS_SYNCOOKIES, -1);
	int spoofed = strcmp(v, "spoofed") == 0;

	if (cookies == 0 && spoofed)
		anomaly_say(f, FINDING_ADVICE, "turn on "
		    "net.ipv4.tcp_syncookies=1 (it is 0); raise the listen() "
		    "backlog and net.ipv4.tcp_max_syn_backlog; filter upstream, "
		    "blocking single sources will not help");
	else if (spoofed)
		anomaly_say(f, FINDING_ADVICE, "keep net.ipv4.tcp_syncookies=1 "
		    "(it is %d); raise the listen() backlog and "
		    "net.ipv4.tcp_max_syn_backlog; filter upstream, blocking "
		    "single sources will not help", cookies);
	else if (cookies == 0)
		/* TRANSLATORS: %s is a network: 203.0.113.0/24. */
		anomaly_say(f, FINDING_ADVICE, "rate-limit or block %s (for "
		    "example an nftables meter per source); turn on "
		    "net.ipv4.tcp_syncookies=1 (it is 0)", top);
	else
		anomaly_say(f, FINDING_ADVICE, "rate-limit or block %s (for "
		    "example an nftables meter per source); keep "
		    "net.ipv4.tcp_syncookies=1 (it is %d)", top, cookies);
}

static void
syn_words(struct anomaly_ctx *ctx, struct finding *f, const char *v,
    const struct prefix_stats *st)
{
	char top[PREFIX_STRLEN] = "?";

	if (st->ntop > 0)
		prefix_format(top, sizeof top, st->top[0].prefix);
	if (strcmp(v, "spoofed") == 0)
		anomaly_nsay(f, FINDING_CAUSE, st->distinct,
		    "SYNs from %zu source network that never answers the "
		    "SYN-ACK: a SYN flood, most likely with spoofed source "
		    "addresses",
		    "SYNs from %zu source networks that never answer the "
		    "SYN-ACK: a SYN flood, most likely with spoofed source "
		    "addresses", st->distinct);
	else
		/* TRANSLATORS: %s is a network: 203.0.113.0/24. */
		anomaly_say(f, FINDING_CAUSE, "most half-open connections come "
		    "from one network, %s", top);
	syn_cookie_advice(ctx, f, v, top);
}

static void
syn_flood_listener(struct anomaly_ctx *ctx, const struct listener *l,
    const struct syn_view *v)
{
	const struct counter_rates *r = ctx->in->rates;
	enum severity raise = SEV_OK, hold = SEV_OK;
	struct prefix_stats st;
	char name[ADDR_STRLEN], key[128];
	double share, unanswered, known;
	const char *verd;
	struct finding *f;

	share = (double)l->syn_recv / (double)(l->backlog > 0 ? l->backlog : 1);
	anomaly_level(ctx, share, ctx->p[SF_WARN_SHARE], ctx->p[SF_CRIT_SHARE],
	    &raise, &hold);
	if ((double)l->syn_recv < ctx->p[SF_MIN])
		raise = SEV_OK;
	if ((double)l->syn_recv < ctx->p[SF_MIN] * ctx->cfg->clear_ratio)
		hold = SEV_OK;
	if (raise == SEV_WARNING && r != NULL &&
	    r->delta[CTR_REQQ_FULL_DROP] + r->delta[CTR_REQQ_FULL_COOKIES] > 0)
		raise = SEV_CRITICAL;	/* the queue overflowed meanwhile */
	prefix_tally_stats(&v->tally, &st);
	unanswered = (double)v->unanswered / (double)(l->syn_recv ? l->syn_recv : 1);
	known = (double)v->known_peer / (double)(l->syn_recv ? l->syn_recv : 1);
	verd = verdict(ctx, &st, unanswered, known);
	if (strcmp(verd, "flash-crowd") == 0)
		return;		/* handshakes complete: busy, not attacked */
	listener_name(ctx, l, name, sizeof name);
	snprintf(key, sizeof key, "listener %s", name);
	if ((f = anomaly_emit(ctx, key, raise, hold)) == NULL)
		return;
	f->metric = (double)l->syn_recv;
	snprintf(f->subject, sizeof f->subject, "listener %s", name);
	syn_summary(f, l, name, verd, share);
	syn_words(ctx, f, verd, &st);
	anomaly_ev_text(f, "verdict", verd);
	anomaly_ev_num(f, "syn_recv", (double)l->syn_recv, 0);
	anomaly_ev_num(f, "backlog", (double)l->backlog, 0);
	anomaly_ev_num(f, "somaxconn", anomaly_sysctl(ctx, SYS_SOMAXCONN, -1), 0);
	anomaly_ev_num(f, "syncookies", anomaly_sysctl(ctx, SYS_SYNCOOKIES, -1), 0);
	anomaly_ev_num(f, "unanswered_share", unanswered, 3);
	anomaly_ev_num(f, "completed_share", known, 3);
	anomaly_ev_num(f, "distinct_prefixes", (double)st.distinct, 0);
	anomaly_ev_num(f, "entropy", st.entropy, 3);
	anomaly_ev_prefixes(f, "top_prefixes", &st);
	listener_process(ctx, l, f);
}

/*
 * Whether the clients behind the SYN queues' overflows are real, from
 * counters that hold on every setting: syncookies come back from real
 * clients (SyncookiesRecv follows SyncookiesSent; a spoofed source never
 * answers), and without cookies handshakes still complete (PassiveOpens)
 * for the SYNs dropped (TCPReqQFullDrop).
 */
static int
clients_real(const struct anomaly_ctx *ctx, const struct counter_rates *r)
{
	double share = ctx->p[SF_REAL_SHARE];
	uint64_t sent = r->delta[CTR_SYNCOOKIES_SENT];

	if (sent > 0)
		return COUNTER_KNOWN(r, CTR_SYNCOOKIES_RECV) &&
		    (double)r->delta[CTR_SYNCOOKIES_RECV] >= share * (double)sent;
	return COUNTER_KNOWN(r, CTR_PASSIVE_OPENS) &&
	    (double)r->delta[CTR_PASSIVE_OPENS] >=
	    share * (double)r->delta[CTR_REQQ_FULL_DROP];
}

/* Overflows and cookies across all listeners: the kernel's own signal. */
static void
syn_flood_system(struct anomaly_ctx *ctx)
{
	const struct counter_rates *r = ctx->in->rates;
	enum severity raise = SEV_OK, hold = SEV_OK;
	struct finding *f;
	double rate;

	if (r == NULL || r->seconds <= 0)
		return;
	rate = r->rate[CTR_REQQ_FULL_DROP] + r->rate[CTR_SYNCOOKIES_SENT];
	if (clients_real(ctx, r))
		return;		/* a burst of real clients: load, not a flood */
	anomaly_level(ctx, rate, ctx->p[SF_SYS_WARN], ctx->p[SF_SYS_CRIT],
	    &raise, &hold);
	if ((f = anomaly_emit(ctx, "system", raise, hold)) == NULL)
		return;
	f->metric = rate;
	snprintf(f->subject, sizeof f->subject, "system");
	anomaly_say(f, FINDING_SUMMARY, "SYN queues overflowing: %.1f SYNs "
	    "per second dropped or answered with cookies", rate);
	anomaly_say(f, FINDING_CAUSE, "connection attempts whose sources never "
	    "complete the handshake fill the listeners' SYN queues");
	if (anomaly_sysctl(ctx, SYS_SYNCOOKIES, -1) == 0)
		anomaly_say(f, FINDING_ADVICE, "turn on "
		    "net.ipv4.tcp_syncookies=1 (it is 0); raise listen() "
		    "backlogs and net.ipv4.tcp_max_syn_backlog; look at the "
		    "listeners with the most SYN_RECV");
	else
		anomaly_say(f, FINDING_ADVICE, "keep net.ipv4.tcp_syncookies=1; "
		    "raise listen() backlogs and net.ipv4.tcp_max_syn_backlog; "
		    "look at the listeners with the most SYN_RECV");
	anomaly_ev_num(f, "reqq_full_drop_per_s", r->rate[CTR_REQQ_FULL_DROP], 2);
	anomaly_ev_num(f, "syncookies_sent_per_s", r->rate[CTR_SYNCOOKIES_SENT], 2);
	anomaly_ev_num(f, "syncookies_recv_per_s", r->rate[CTR_SYNCOOKIES_RECV], 2);
	anomaly_ev_num(f, "syncookies_failed_per_s",
	    r->rate[CTR_SYNCOOKIES_FAILED], 2);
	anomaly_ev_num(f, "synack_retrans_per_s", r->rate[CTR_SYN_RETRANS], 2);
	anomaly_ev_num(f, "syncookies", anomaly_sysctl(ctx, SYS_SYNCOOKIES, -1), 0);
	anomaly_ev_num(f, "tcp_max_syn_backlog",
	    anomaly_sysctl(ctx, SYS_MAX_SYN_BACKLOG, -1), 0);
}

void
anomaly_check_syn_flood(struct anomaly_ctx *ctx)
{
	const struct groups *g = &ctx->in->model->groups;
	struct syn_view *v;
	uint8_t *want;
	size_t j, n = 0;

	syn_flood_system(ctx);
	if (g->nreqs == 0)
		return;
	want = xcalloc(g->nlisteners + 1, 1);
	for (j = 0; j < g->nlisteners; j++)
		if ((double)g->listeners[j].syn_recv >=
		    ctx->p[SF_MIN] * ctx->cfg->clear_ratio) {
			want[j] = 1;
			n++;
		}
	if (n > 0) {
		v = syn_views(ctx, want);
		for (j = 0; j < g->nlisteners; j++) {
			if (want[j])
				syn_flood_listener(ctx, &g->listeners[j], &v[j]);
			prefix_tally_free(&v[j].tally);
		}
		free(v);
	}
	free(want);
}

/*
 * The listener at addr:port, or GROUP_NONE: the same address first, then
 * a wildcard of its family, then a dual-stack wildcard. A wildcard takes
 * only addresses known to be local: loopback, or the socket's own (a
 * connection to a local address leaves from it).
 */
static int
is_any(int family, const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, family == AF_INET ? 4 : 16) == 0;
}

static int
listener_score(const struct sock_rec *l, const struct sock_rec *s,
    const uint8_t *addr, uint16_t port, int local)
{
	if (l->netns != s->netns || l->sport != port)
		return 0;
	if (l->family == s->family)
		return memcmp(l->src, addr, s->family == AF_INET ? 4 : 16) == 0 ?
		    3 : local && is_any(l->family, l->src) ? 2 : 0;
	return local && l->family == AF_INET6 && s->family == AF_INET &&
	    is_any(AF_INET6, l->src);
}

static uint32_t
listener_at(const struct anomaly_ctx *ctx, const struct sock_rec *s,
    const uint8_t *addr, uint16_t port, int local)
{
	const struct model *m = ctx->in->model;
	uint32_t j, best = GROUP_NONE;
	int score, best_score = 0;

	for (j = 0; j < m->groups.nlisteners; j++) {
		score = listener_score(&m->snap->socks[m->groups.listeners[j].sock],
		    s, addr, port, local);
		if (score > best_score) {
			best_score = score;
			best = j;
		}
	}
	return best;
}

/*
 * The local listener a SYN_SENT socket is trying to reach, or GROUP_NONE
 * when its destination is not one of this host's listeners.
 */
uint32_t
anomaly_local_listener(const struct anomaly_ctx *ctx, const struct sock_rec *s)
{
	int local = s->family == AF_INET ? s->dst[0] == 127 :
	    memcmp(s->dst, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0;

	if (s->state != TS_SYN_SENT)
		return GROUP_NONE;
	if (memcmp(s->src, s->dst, sizeof s->src) == 0)
		local = 1;
	return listener_at(ctx, s, s->dst, s->dport, local);
}

/*
 * What waits on each listener: the oldest connection in its accept queue
 * (complete, no file yet; the queue is first in, first out, so its wait
 * says how long the process has been behind), and local clients whose
 * SYNs it drops because the queue is full.
 */
struct queue_view {
	double		 oldest;	/* seconds; -1: none seen */
	uint64_t	 local_waiting;	/* SYN_SENT from this host */
};

/* How long a connection has waited to be accepted, at least. */
static double
waited(const struct model *m, size_t i)
{
	double w = m->socks[i].age_s, sent;

	if ((m->snap->socks[i].flags & SOCK_HAS_INFO) && m->snap->info != NULL &&
	    (sent = m->snap->info[i].last_data_sent_ms / 1000.0) > w &&
	    sent < 86400.0 * 30)	/* set when the child was made */
		w = sent;
	return w;
}

static struct queue_view *
queue_views(const struct anomaly_ctx *ctx)
{
	const struct model *m = ctx->in->model;
	struct queue_view *q = xcalloc(m->groups.nlisteners + 1, sizeof *q);
	size_t i;
	uint32_t j;

	for (j = 0; j < m->groups.nlisteners; j++)
		q[j].oldest = -1;
	for (i = 0; i < m->snap->n; i++) {
		const struct sock_rec *s = &m->snap->socks[i];

		if ((s->state == TS_ESTABLISHED || s->state == TS_CLOSE_WAIT) &&
		    s->inode == 0) {
			j = listener_at(ctx, s, s->src, s->sport, 1);
			if (j != GROUP_NONE && m->groups.listeners[j].accept_queue >
			    0 && waited(m, i) > q[j].oldest)
				q[j].oldest = waited(m, i);
		} else if ((j = anomaly_local_listener(ctx, s)) != GROUP_NONE)
			q[j].local_waiting++;
	}
	return q;
}

/* Advice that follows the actual backlog and somaxconn. */
static void
accept_queue_advice(struct anomaly_ctx *ctx, struct finding *f,
    const struct listener *l, int hung)
{
	double somaxconn = anomaly_sysctl(ctx, SYS_SOMAXCONN, -1);

	if (hung)
		anomaly_say(f, FINDING_ADVICE, "look at what the process is "
		    "doing (a stack trace, strace -p); a larger backlog will not "
		    "help a process that does not call accept()");
	else if ((double)l->backlog >= ctx->p[AQ_SMALL_BACKLOG])
		anomaly_say(f, FINDING_ADVICE, "check that the process is alive "
		    "and not blocked; more workers or threads calling accept() "
		    "drain the queue, a larger backlog only absorbs bursts");
	else if (somaxconn >= 0 && (double)l->backlog >= somaxconn)
		anomaly_say(f, FINDING_ADVICE, "raise net.core.somaxconn (it is "
		    "%.0f, and it caps the listen() backlog of %llu) and the "
		    "listen() backlog of the process", somaxconn,
		    (unsigned long long)l->backlog);
	else
		anomaly_say(f, FINDING_ADVICE, "raise the listen() backlog of "
		    "the process (it is %llu; net.core.somaxconn allows %.0f)",
		    (unsigned long long)l->backlog, somaxconn);
}

static void
accept_queue_words(struct anomaly_ctx *ctx, struct finding *f,
    const struct listener *l, const struct queue_view *q, int hung)
{
	char age[DURATION_STRLEN];

	accept_queue_advice(ctx, f, l, hung);
	format_duration(age, sizeof age, q->oldest);
	if (hung)
		/* TRANSLATORS: %s is a duration: 5m12s. */
		anomaly_say(f, FINDING_CAUSE, "a hung acceptor: the oldest "
		    "connection has waited %s to be accepted, the process is "
		    "not calling accept()", age);
	else if (q->local_waiting > 0)
		anomaly_nsay(f, FINDING_CAUSE, (unsigned long)q->local_waiting,
		    "connections complete faster than the process accepts "
		    "them; %llu local client waits on this full listener",
		    "connections complete faster than the process accepts "
		    "them; %llu local clients wait on this full listener",
		    (unsigned long long)q->local_waiting);
	else
		anomaly_say(f, FINDING_CAUSE, "connections complete faster "
		    "than the process accepts them");
}

/*
 * A listener's drops count the SYNs dropped for a full SYN queue too (a
 * flood without syncookies), which the syn-flood rule judges. They are the
 * accept queue's when this queue is full now or the kernel says an accept
 * queue overflowed in the interval (ListenOverflows); without that counter,
 * the drops are taken as they are.
 */
static int
accept_queue_dropping(const struct anomaly_ctx *ctx, const struct listener *l,
    const struct model_listener *ml)
{
	const struct counter_rates *r = ctx->in->rates;

	if (!ml->drops_known || ml->drops_delta == 0)
		return 0;
	if (l->accept_queue >= l->backlog || r == NULL ||
	    !COUNTER_KNOWN(r, CTR_LISTEN_OVERFLOWS))
		return 1;
	return r->delta[CTR_LISTEN_OVERFLOWS] > 0;
}

static void
accept_queue_listener(struct anomaly_ctx *ctx, const struct listener *l,
    const struct model_listener *ml, const struct queue_view *q)
{
	int dropping = accept_queue_dropping(ctx, l, ml);
	enum severity raise = SEV_OK, hold = SEV_OK;
	char name[ADDR_STRLEN], key[128];
	double share = (double)l->accept_queue /
	    (double)(l->backlog > 0 ? l->backlog : 1);
	int hung = ctx->p[AQ_HUNG] > 0 && q->oldest >= ctx->p[AQ_HUNG];
	struct finding *f;

	/* Critical once the queue is longer than the backlog: it overflows. */
	anomaly_level(ctx, share, ctx->p[AQ_WARN_SHARE], 1.000001, &raise,
	    &hold);
	if (dropping) {
		anomaly_level(ctx, (double)ml->drops_delta, 1, 0, &raise, &hold);
		anomaly_level(ctx, ml->drops_rate, 0, ctx->p[AQ_CRIT_DROPS],
		    &raise, &hold);
	}
	if (q->oldest >= 0)
		anomaly_level(ctx, q->oldest, ctx->p[AQ_HUNG], 0, &raise, &hold);
	listener_name(ctx, l, name, sizeof name);
	snprintf(key, sizeof key, "listener %s", name);
	if ((f = anomaly_emit(ctx, key, raise, hold)) == NULL)
		return;
	f->metric = share;
	snprintf(f->subject, sizeof f->subject, "listener %s", name);
	if (dropping)
		/* TRANSLATORS: %s is a listening address: 0.0.0.0:80. */
		anomaly_say(f, FINDING_SUMMARY, "accept queue of %s holds %llu "
		    "of %llu, and it is dropping connections", name,
		    (unsigned long long)l->accept_queue,
		    (unsigned long long)l->backlog);
	else
		/* TRANSLATORS: %s is a listening address: 0.0.0.0:80. */
		anomaly_say(f, FINDING_SUMMARY, "accept queue of %s holds %llu "
		    "of %llu", name, (unsigned long long)l->accept_queue,
		    (unsigned long long)l->backlog);
	accept_queue_words(ctx, f, l, q, hung);
	anomaly_ev_num(f, "accept_queue", (double)l->accept_queue, 0);
	anomaly_ev_num(f, "backlog", (double)l->backlog, 0);
	anomaly_ev_num(f, "somaxconn", anomaly_sysctl(ctx, SYS_SOMAXCONN, -1), 0);
	if (l->drops_known)
		anomaly_ev_num(f, "drops", (double)l->drops, 0);
	if (ml->drops_known)
		anomaly_ev_num(f, "drops_per_min", ml->drops_rate * 60, 1);
	if (q->oldest >= 0)
		anomaly_ev_num(f, "oldest_waiting_s", q->oldest, 0);
	anomaly_ev_text(f, "acceptor", hung ? "hung" : "slow");
	if (q->local_waiting > 0)
		anomaly_ev_num(f, "local_clients_waiting",
		    (double)q->local_waiting, 0);
	listener_process(ctx, l, f);
}

void
anomaly_check_accept_queue(struct anomaly_ctx *ctx)
{
	const struct model *m = ctx->in->model;
	struct queue_view *q;
	size_t j;

	if (m->groups.nlisteners == 0)
		return;
	q = queue_views(ctx);
	for (j = 0; j < m->groups.nlisteners; j++)
		accept_queue_listener(ctx, &m->groups.listeners[j],
		    &m->listeners[j], &q[j]);
	free(q);
}

/*
 * What syn-flood and accept-queue read of a listener's queue lengths
 * alone: syn-flood raises at a share of the backlog but never below
 * min_syn_recv; accept-queue warns at a share and is critical above the
 * backlog, where the queue overflows.
 */
void
anomaly_listener_limits(const struct anomaly_config *cfg, uint64_t backlog,
    struct anomaly_listener_limits *lim)
{
	const double *sf = cfg->param[RULE_SYN_FLOOD];
	const double *aq = cfg->param[RULE_ACCEPT_QUEUE];
	double b = (double)backlog, warn, crit;

	memset(lim, 0, sizeof *lim);
	if (cfg->enabled[RULE_SYN_FLOOD]) {
		warn = b * sf[SF_WARN_SHARE];
		crit = b * sf[SF_CRIT_SHARE];
		lim->syn_recv_warning = warn > 0 && warn < sf[SF_MIN] ?
		    sf[SF_MIN] : warn;
		lim->syn_recv_critical = crit > 0 && crit < sf[SF_MIN] ?
		    sf[SF_MIN] : crit;
	}
	if (cfg->enabled[RULE_ACCEPT_QUEUE]) {
		lim->accept_warning = b * aq[AQ_WARN_SHARE];
		lim->accept_critical = b + 1;
	}
}
