/*
 * anomaly_peer.c - the dead-peer rule: connections whose peer no longer
 * answers at all.
 *
 * A peer that is gone (host down, path cut, a firewall dropping) shows
 * in the timer the kernel runs on our side. An idle connection with
 * SO_KEEPALIVE counts unanswered keepalive probes (timer 2, idiag_retrans;
 * tcpi_retransmits stays 0), a connection facing a zero window counts its
 * unanswered window probes (timer 4: any answer resets the count), and a
 * connection with data waits on its retransmission timer with a growing
 * backoff and no ACK for a long time. The kernel ends such a connection
 * only after tcp_keepalive_probes probes, or tcp_retries2 retransmits
 * (minutes): the rule names the peer and the process well before that.
 * Loss on a path that still answers is the retransmits rule's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anomaly_rules.h"
#include "format.h"
#include "xmalloc.h"

enum { DP_WARN_PROBES, DP_CRIT_PROBES, DP_SILENT };

const struct rule_param anomaly_dead_peer_params[] = {
	[DP_WARN_PROBES] = { "probes_warning", 3,
	    "unanswered keepalive or window probes (or retransmission "
	    "backoffs) for a warning" },
	[DP_CRIT_PROBES] = { "probes_critical", 6, "the same for critical" },
	[DP_SILENT] = { "silent_s", 10,
	    "a connection retransmitting data counts when nothing came from "
	    "its peer for this long" },
	{ NULL, 0, NULL },
};

enum dead_kind { DEAD_NONE, DEAD_KEEPALIVE, DEAD_WINDOW, DEAD_DATA };

static const char *const kind_names[] = {
	[DEAD_NONE] = "none",
	[DEAD_KEEPALIVE] = "keepalive",
	[DEAD_WINDOW] = "zero-window",
	[DEAD_DATA] = "retransmit",
};

/* A socket whose tcp_info says when its last ACK came. */
static int
has_ack_time(const struct snapshot *snap, size_t i)
{
	const struct sock_rec *s = &snap->socks[i];

	return (s->flags & SOCK_HAS_INFO) && snap->info != NULL &&
	    s->state != TS_SYN_SENT && s->state != TS_SYN_RECV;
}

/* What the socket's timer says of its peer; probes gets the count. */
static enum dead_kind
judge(const struct anomaly_ctx *ctx, size_t i, unsigned *probes)
{
	const struct snapshot *snap = ctx->in->model->snap;
	const struct sock_rec *s = &snap->socks[i];
	double floor = ctx->p[DP_WARN_PROBES] * ctx->cfg->clear_ratio;

	*probes = s->retrans;
	if (floor <= 0 || s->state == TS_SYN_SENT || s->state == TS_SYN_RECV ||
	    s->state == TS_LISTEN || s->state == TS_TIME_WAIT)
		return DEAD_NONE;
	if (s->timer == TIMER_KEEPALIVE && s->retrans >= floor)
		return DEAD_KEEPALIVE;
	if (s->timer == TIMER_PROBE && s->retrans >= floor)
		return DEAD_WINDOW;
	if (s->timer == TIMER_RETRANS && has_ack_time(snap, i) &&
	    snap->info[i].backoff >= floor &&
	    snap->info[i].last_ack_recv_ms >= ctx->p[DP_SILENT] * 1000) {
		*probes = snap->info[i].backoff;
		return DEAD_DATA;
	}
	return DEAD_NONE;
}

/* The peer's address (no port: one host, all its connections) as a key. */
static uint64_t
peer_address_key(const struct sock_rec *s)
{
	uint64_t w[2];

	memcpy(w, s->dst, sizeof w);
	return anomaly_mix(anomaly_mix(anomaly_mix(s->family, s->netns), w[0]),
	    w[1]) >> 1;
}

static void
dead_words(struct anomaly_ctx *ctx, struct finding *f, enum dead_kind kind,
    const char *peer, unsigned probes, size_t n, const char *holder)
{
	double kp = anomaly_sysctl(ctx, SYS_KEEPALIVE_PROBES, -1);

	if (kind == DEAD_KEEPALIVE)
		anomaly_nsay(f, FINDING_SUMMARY, n,
		    /* TRANSLATORS: %s is a peer address: 10.0.0.7. */
		    "%s has not answered %u keepalive probes (%zu connection)",
		    "%s has not answered %u keepalive probes (%zu connections)",
		    peer, probes, n);
	else if (kind == DEAD_WINDOW)
		anomaly_nsay(f, FINDING_SUMMARY, n,
		    /* TRANSLATORS: %s is a peer address: 10.0.0.7. */
		    "%s has not answered %u zero-window probes (%zu connection)",
		    "%s has not answered %u zero-window probes (%zu connections)",
		    peer, probes, n);
	else
		anomaly_nsay(f, FINDING_SUMMARY, n,
		    /* TRANSLATORS: %s is a peer address: 10.0.0.7. */
		    "%s acknowledges nothing, %u retransmissions backed off "
		    "(%zu connection)",
		    "%s acknowledges nothing, %u retransmissions backed off "
		    "(%zu connections)", peer, probes, n);
	if (kind == DEAD_KEEPALIVE && kp > 0)
		anomaly_say(f, FINDING_CAUSE, "the peer is gone: its host is "
		    "down, the path is cut, or a firewall drops its packets; "
		    "the kernel ends the connection after "
		    "net.ipv4.tcp_keepalive_probes (%.0f) unanswered probes, or "
		    "the count the socket set itself (TCP_KEEPCNT)", kp);
	else
		anomaly_say(f, FINDING_CAUSE, "the peer is gone: its host is "
		    "down, the path is cut, or a firewall drops its packets");
	/* TRANSLATORS: %s is who holds the connection: "pid 812 (nginx)"
	   or "uid 33". */
	anomaly_say(f, FINDING_ADVICE, "check the peer and the path to it; %s "
	    "waits on it until the kernel gives up: a timeout of its own "
	    "(TCP_USER_TIMEOUT, shorter keepalive) frees it sooner", holder);
}

/* One peer: its connections k[start..start+n), the worst first found. */
static void
dead_peer_run(struct anomaly_ctx *ctx, const struct keyed *k, size_t start,
    size_t n)
{
	const struct snapshot *snap = ctx->in->model->snap;
	enum severity raise = SEV_OK, hold = SEV_OK;
	enum dead_kind kind = DEAD_NONE, kk;
	unsigned probes = 0, p;
	char peer[ADDR_STRLEN], key[96], holder[EVIDENCE_TEXT];
	size_t i, wi = k[start].idx;
	const struct sock_rec *s;
	struct finding *f;

	for (i = start; i < start + n; i++) {
		kk = judge(ctx, k[i].idx, &p);
		if (p > probes || kind == DEAD_NONE) {
			probes = p;
			kind = kk;
			wi = k[i].idx;
		}
	}
	s = &snap->socks[wi];
	anomaly_level(ctx, probes, ctx->p[DP_WARN_PROBES],
	    ctx->p[DP_CRIT_PROBES], &raise, &hold);
	format_ip(peer, sizeof peer, s->family, s->dst);
	snprintf(key, sizeof key, "peer %s", peer);
	if ((f = anomaly_emit(ctx, key, raise, hold)) == NULL)
		return;
	f->metric = probes;
	snprintf(f->subject, sizeof f->subject, "peer %s", peer);
	f->pid = anomaly_holder(ctx, s, holder, sizeof holder);
	dead_words(ctx, f, kind, peer, probes, n, holder);
	anomaly_ev_text(f, "timer", kind_names[kind]);
	anomaly_ev_num(f, "count", (double)n, 0);
	anomaly_ev_num(f, "probes", probes, 0);
	anomaly_ev_num(f, "next_probe_ms", s->expires_ms, 0);
	if (has_ack_time(snap, wi))
		anomaly_ev_num(f, "last_ack_recv_ms",
		    snap->info[wi].last_ack_recv_ms, 0);
	if (anomaly_sysctl(ctx, SYS_KEEPALIVE_PROBES, -1) >= 0)
		anomaly_ev_num(f, "tcp_keepalive_probes",
		    anomaly_sysctl(ctx, SYS_KEEPALIVE_PROBES, -1), 0);
	anomaly_ev_socket(f, "worst", s);
	anomaly_ev_text(f, "process", holder);
}

/* Unanswered keepalive or window probes: is the peer dead? */
int
anomaly_wants_dead_peer(const struct sock_rec *s, int is_new)
{
	(void)is_new;
	return (s->timer == TIMER_KEEPALIVE || s->timer == TIMER_PROBE) &&
	    s->retrans > 0;
}

void
anomaly_check_dead_peer(struct anomaly_ctx *ctx)
{
	const struct snapshot *snap = ctx->in->model->snap;
	struct keyed *k = NULL;
	size_t i, n = 0, cap = 0, start;
	unsigned probes;

	for (i = 0; i < snap->n; i++) {
		if (judge(ctx, i, &probes) == DEAD_NONE)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			k = xreallocarray(k, cap, sizeof *k);
		}
		k[n].key = peer_address_key(&snap->socks[i]);
		k[n++].idx = (uint32_t)i;
	}
	anomaly_sort_keyed(k, n);
	for (start = 0; start < n; start = i) {
		for (i = start; i < n && k[i].key == k[start].key; i++)
			;
		dead_peer_run(ctx, k, start, i - start);
	}
	free(k);
}
