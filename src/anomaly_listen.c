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

#include "anomaly_rules.h"
#include "format.h"
#include "xmalloc.h"

enum {
	SF_WARN_SHARE, SF_CRIT_SHARE, SF_MIN, SF_SYS_WARN, SF_SYS_CRIT,
	SF_SPOOF_UNANSWERED, SF_SPOOF_ENTROPY, SF_CONC_SHARE,
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
	{ NULL, 0, NULL },
};

enum { AQ_WARN_SHARE, AQ_CRIT_DROPS, AQ_SMALL_BACKLOG };

const struct rule_param anomaly_accept_queue_params[] = {
	[AQ_WARN_SHARE] = { "warning_share", 0.8,
	    "accept queue as a share of the backlog for a warning" },
	[AQ_CRIT_DROPS] = { "critical_drops_rate", 5,
	    "drops per second for critical (any drop is a warning)" },
	[AQ_SMALL_BACKLOG] = { "small_backlog", 128,
	    "a backlog below this gets the advice to raise it" },
	{ NULL, 0, NULL },
};

/* What the half-open connections of one listener look like. */
struct syn_view {
	struct prefix_tally	 tally;
	uint64_t		 unanswered;	/* SYN-ACK sent again */
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

/* Tally the sources of the SYN_RECV sockets of the listeners in want. */
static struct syn_view *
syn_views(const struct anomaly_ctx *ctx, const uint8_t *want)
{
	const struct model *m = ctx->in->model;
	const struct groups *g = &m->groups;
	struct syn_view *v = xcalloc(g->nlisteners + 1, sizeof *v);
	size_t i;
	uint32_t j;

	for (i = 0; i < m->snap->n; i++) {
		const struct sock_rec *s = &m->snap->socks[i];

		if ((j = g->req_listener[i]) == GROUP_NONE || !want[j])
			continue;
		prefix_tally_add(&v[j].tally, prefix_of(s->family, s->dst));
		if (s->retrans >= 1)
			v[j].unanswered++;
	}
	return v;
}

/*
 * Spoofed: most SYN-ACKs unanswered, sources spread at random. Concentrated:
 * one network sends most. Otherwise handshakes complete: a flash crowd or
 * slow clients, which is load, not an attack.
 */
static const char *
verdict(const struct anomaly_ctx *ctx, const struct prefix_stats *st,
    double unanswered)
{
	double top = st->ntop > 0 ? (double)st->top[0].count / st->total : 0;

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

static void
syn_words(struct anomaly_ctx *ctx, struct finding *f, const char *v,
    const struct prefix_stats *st)
{
	char top[PREFIX_STRLEN] = "?";
	int cookies = (int)anomaly_sysctl(ctx, SYS_SYNCOOKIES, -1);

	if (st->ntop > 0)
		prefix_format(top, sizeof top, st->top[0].prefix);
	if (strcmp(v, "spoofed") == 0) {
		anomaly_nsay(f, FINDING_CAUSE, st->distinct,
		    "SYNs from %zu source network that never answers the "
		    "SYN-ACK: a SYN flood, most likely with spoofed source "
		    "addresses",
		    "SYNs from %zu source networks that never answer the "
		    "SYN-ACK: a SYN flood, most likely with spoofed source "
		    "addresses", st->distinct);
		anomaly_say(f, FINDING_ADVICE, "keep net.ipv4.tcp_syncookies=1 "
		    "(it is %d); raise the listen() backlog and "
		    "net.ipv4.tcp_max_syn_backlog; filter upstream, blocking "
		    "single sources will not help", cookies);
	} else {
		/* TRANSLATORS: %s is a network: 203.0.113.0/24. */
		anomaly_say(f, FINDING_CAUSE, "most half-open connections come "
		    "from one network, %s", top);
		anomaly_say(f, FINDING_ADVICE, "rate-limit or block %s (for "
		    "example an nftables meter per source); keep "
		    "net.ipv4.tcp_syncookies=1 (it is %d)", top, cookies);
	}
}

static void
syn_flood_listener(struct anomaly_ctx *ctx, const struct listener *l,
    const struct syn_view *v)
{
	const struct counter_rates *r = ctx->in->rates;
	enum severity raise = SEV_OK, hold = SEV_OK;
	struct prefix_stats st;
	char name[ADDR_STRLEN], key[128];
	double share, unanswered;
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
	verd = verdict(ctx, &st, unanswered);
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
	anomaly_ev_num(f, "distinct_prefixes", (double)st.distinct, 0);
	anomaly_ev_num(f, "entropy", st.entropy, 3);
	anomaly_ev_prefixes(f, "top_prefixes", &st);
	listener_process(ctx, l, f);
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
	anomaly_level(ctx, rate, ctx->p[SF_SYS_WARN], ctx->p[SF_SYS_CRIT],
	    &raise, &hold);
	if ((f = anomaly_emit(ctx, "system", raise, hold)) == NULL)
		return;
	f->metric = rate;
	snprintf(f->subject, sizeof f->subject, "system");
	anomaly_say(f, FINDING_SUMMARY, "SYN queues overflowing: %.1f SYNs "
	    "per second dropped or answered with cookies", rate);
	anomaly_say(f, FINDING_CAUSE, "more connection attempts than the "
	    "listeners' SYN queues hold");
	anomaly_say(f, FINDING_ADVICE, "keep net.ipv4.tcp_syncookies=1; raise "
	    "listen() backlogs and net.ipv4.tcp_max_syn_backlog; look at the "
	    "listeners with the most SYN_RECV");
	anomaly_ev_num(f, "reqq_full_drop_per_s", r->rate[CTR_REQQ_FULL_DROP], 2);
	anomaly_ev_num(f, "syncookies_sent_per_s", r->rate[CTR_SYNCOOKIES_SENT], 2);
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
	if (g->req_listener == NULL)
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

static void
accept_queue_words(struct anomaly_ctx *ctx, struct finding *f,
    const struct listener *l)
{
	if ((double)l->backlog < ctx->p[AQ_SMALL_BACKLOG])
		anomaly_say(f, FINDING_ADVICE, "raise the listen() backlog of "
		    "the process (it is %llu) and net.core.somaxconn (it is "
		    "%.0f)", (unsigned long long)l->backlog,
		    anomaly_sysctl(ctx, SYS_SOMAXCONN, -1));
	else
		anomaly_say(f, FINDING_ADVICE, "check that the process is alive "
		    "and not blocked; more workers or threads calling accept() "
		    "drain the queue, a larger backlog only absorbs bursts");
	anomaly_say(f, FINDING_CAUSE, "connections complete faster than the "
	    "process accepts them");
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
    const struct model_listener *ml)
{
	int dropping = accept_queue_dropping(ctx, l, ml);
	enum severity raise = SEV_OK, hold = SEV_OK;
	char name[ADDR_STRLEN], key[128];
	double share = (double)l->accept_queue /
	    (double)(l->backlog > 0 ? l->backlog : 1);
	struct finding *f;

	/* Critical once the queue is longer than the backlog: it overflows. */
	anomaly_level(ctx, share, ctx->p[AQ_WARN_SHARE], 1.000001, &raise,
	    &hold);
	if (dropping) {
		anomaly_level(ctx, (double)ml->drops_delta, 1, 0, &raise, &hold);
		anomaly_level(ctx, ml->drops_rate, 0, ctx->p[AQ_CRIT_DROPS],
		    &raise, &hold);
	}
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
	accept_queue_words(ctx, f, l);
	anomaly_ev_num(f, "accept_queue", (double)l->accept_queue, 0);
	anomaly_ev_num(f, "backlog", (double)l->backlog, 0);
	anomaly_ev_num(f, "somaxconn", anomaly_sysctl(ctx, SYS_SOMAXCONN, -1), 0);
	if (l->drops_known)
		anomaly_ev_num(f, "drops", (double)l->drops, 0);
	if (ml->drops_known)
		anomaly_ev_num(f, "drops_per_min", ml->drops_rate * 60, 1);
	listener_process(ctx, l, f);
}

void
anomaly_check_accept_queue(struct anomaly_ctx *ctx)
{
	const struct model *m = ctx->in->model;
	size_t j;

	for (j = 0; j < m->groups.nlisteners; j++)
		accept_queue_listener(ctx, &m->groups.listeners[j],
		    &m->listeners[j]);
}
