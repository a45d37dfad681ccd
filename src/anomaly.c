/*
 * anomaly.c - the rule table, the engine that runs it, and hysteresis.
 *
 * Hysteresis lives here, not in the rules: a rule states what it sees this
 * poll; the engine remembers, per rule and subject, how many polls in a row
 * it has been above what is shown or below the clear level.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anomaly_rules.h"
#include "format.h"
#include "nls.h"
#include "thread.h"
#include "xmalloc.h"

/* A poll this large is judged on two threads (anomaly_eval). */
#define PARALLEL_FROM	65536

/*
 * The rule table, indexed by enum rule_id (append only, see anomaly.h).
 * Each rule brings its check, thresholds and tcp_info predicate from its
 * file, and its words here.
 */
static const struct anomaly_rule rules[RULE_COUNT] = {
	[RULE_SYN_FLOOD] = {
	    .id = "syn-flood",
	    .check = anomaly_check_syn_flood,
	    .params = anomaly_syn_flood_params,
	    .doc = N_("half-open connections filling a listener's SYN queue"),
	    .explain = N_("Half-open connections (SYN_RECV) fill a "
		"listener's queue. Spoofed random sources that never answer the "
		"SYN-ACK are an attack: syncookies (net.ipv4.tcp_syncookies=1) "
		"keep the service reachable. Real clients return the cookies "
		"(SyncookiesRecv follows SyncookiesSent) and complete their "
		"handshakes: a flash crowd, which is no flood and no finding of "
		"this rule; a full accept queue then is the accept-queue "
		"rule's."),
	},
	[RULE_ACCEPT_QUEUE] = {
	    .id = "accept-queue",
	    .check = anomaly_check_accept_queue,
	    .params = anomaly_accept_queue_params,
	    .doc = N_("a listener's accept queue full, or dropping connections"),
	    .explain = N_("Connections are established but the process "
		"does not accept() them fast enough; when the accept queue is "
		"full the kernel drops new handshakes. Add workers, or raise the "
		"listen() backlog and net.core.somaxconn."),
	},
	[RULE_CLOSE_WAIT] = {
	    .id = "close-wait",
	    .check = anomaly_check_close_wait,
	    .params = anomaly_close_wait_params,
	    .wants_info = anomaly_wants_close_wait,
	    .durable = 1,
	    .doc = N_("connections the peer closed and the process did not"),
	    .explain = N_("Peers closed their side and the process never "
		"called close(): a leak in the application. Its file descriptors "
		"stay open until it closes them or exits."),
	},
	[RULE_FIN_WAIT2] = {
	    .id = "fin-wait2",
	    .check = anomaly_check_fin_wait2,
	    .params = anomaly_fin_wait2_params,
	    .wants_info = anomaly_wants_fin_wait2,
	    .durable = 1,
	    .doc = N_("connections whose peer never sent its FIN"),
	    .explain = N_("We closed and the peer never sent its FIN: the "
		"application on the other side keeps its end open."),
	},
	[RULE_ORPHANS] = {
	    .id = "orphans",
	    .check = anomaly_check_orphans,
	    .params = anomaly_orphans_params,
	    .doc = N_("closed sockets the kernel is still finishing"),
	    .explain = N_("Sockets closed by their process are still ending in "
		"the kernel, taking memory; past net.ipv4.tcp_max_orphans the "
		"kernel resets connections."),
	},
	[RULE_TIME_WAIT] = {
	    .id = "time-wait",
	    .check = anomaly_check_time_wait,
	    .params = anomaly_time_wait_params,
	    .doc = N_("local ports to one destination running out"),
	    .explain = N_("TIME_WAIT sockets to one destination take a large "
		"share of the local port range: bind() and connect() will fail "
		"with EADDRNOTAVAIL. Reuse connections, or enable "
		"net.ipv4.tcp_tw_reuse."),
	},
	[RULE_RETRANSMITS] = {
	    .id = "retransmits",
	    .check = anomaly_check_retransmits,
	    .params = anomaly_retransmits_params,
	    .wants_info = anomaly_wants_retransmits,
	    .doc = N_("segments sent again: loss or an unreachable peer"),
	    .explain = N_("Segments are sent again: loss or congestion on "
		"the path to these peers, or peers that stopped answering."),
	},
	[RULE_ZERO_WINDOW] = {
	    .id = "zero-window",
	    .check = anomaly_check_zero_window,
	    .params = anomaly_zero_window_params,
	    .wants_info = anomaly_wants_zero_window,
	    .doc = N_("a side that stopped reading stalls the connection"),
	    .explain = N_("A receiver advertises a window of zero: it does "
		"not read what it is sent, so the sender stalls and probes."),
	},
	[RULE_DEAD_PEER] = {
	    .id = "dead-peer",
	    .check = anomaly_check_dead_peer,
	    .params = anomaly_dead_peer_params,
	    .wants_info = anomaly_wants_dead_peer,
	    .durable = 1,
	    .doc = N_("connections whose peer no longer answers at all"),
	    .explain = N_("The peer does not answer at all: keepalive probes "
		"of an idle connection, window probes, or retransmitted data go "
		"unacknowledged. Its host is down, the path is cut, or a firewall "
		"drops its packets. The kernel ends the connection only after "
		"its last probe or retransmission (minutes); until then the "
		"process waits on a connection that will never work again."),
	},
};

#define DEFAULT_RAISE_AFTER	2
#define DEFAULT_CLEAR_AFTER	3
#define DEFAULT_CLEAR_RATIO	0.8
#define DEFAULT_MAX_FINDINGS	20

const struct anomaly_rule *
anomaly_rules(void)
{
	return rules;
}

const char *
anomaly_rule_id(int rule)
{
	return rule >= 0 && rule < RULE_COUNT ? rules[rule].id : "?";
}

int
anomaly_rule_index(const char *id)
{
	int i;

	for (i = 0; i < RULE_COUNT; i++)
		if (strcmp(rules[i].id, id) == 0)
			return i;
	return -1;
}

int
anomaly_param_index(int rule, const char *name)
{
	int i;

	for (i = 0; rules[rule].params[i].name != NULL; i++)
		if (strcmp(rules[rule].params[i].name, name) == 0)
			return i;
	return -1;
}

void
anomaly_config_defaults(struct anomaly_config *cfg)
{
	int r, i;

	memset(cfg, 0, sizeof *cfg);
	for (r = 0; r < RULE_COUNT; r++) {
		cfg->enabled[r] = 1;
		for (i = 0; rules[r].params[i].name != NULL; i++)
			cfg->param[r][i] = rules[r].params[i].def;
	}
	cfg->raise_after = DEFAULT_RAISE_AFTER;
	cfg->clear_after = DEFAULT_CLEAR_AFTER;
	cfg->clear_ratio = DEFAULT_CLEAR_RATIO;
	cfg->max_findings = DEFAULT_MAX_FINDINGS;
}

/*
 * Whether an enabled rule reads this socket's tcp_info, so the dump must
 * ask for it; is_new: no earlier poll held it.
 */
int
anomaly_wants_info(const struct anomaly_config *cfg, const struct sock_rec *s,
    int is_new)
{
	int r;

	for (r = 0; r < RULE_COUNT; r++)
		if (cfg->enabled[r] && rules[r].wants_info != NULL &&
		    rules[r].wants_info(s, is_new))
			return 1;
	return 0;
}

const char *
anomaly_severity_name(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
		return "critical";
	case SEV_WARNING:
		return "warning";
	default:
		return "ok";
	}
}

void
anomaly_init(struct anomaly_engine *e)
{
	memset(e, 0, sizeof *e);
	e->parallel_from = PARALLEL_FROM;
}

void
anomaly_free(struct anomaly_engine *e)
{
	if (e == NULL)
		return;
	free(e->tracks);
	free(e->cand);
	free(e->shown);
	memset(e, 0, sizeof *e);
}

static struct anomaly_track *
find_track(const struct anomaly_engine *e, int rule, const char *key)
{
	size_t i;

	for (i = 0; i < e->ntracks; i++)
		if (e->tracks[i].f.rule == rule &&
		    strcmp(e->tracks[i].f.key, key) == 0)
			return &e->tracks[i];
	return NULL;
}

/* A subject shown now, whose evidence must stay that of the present. */
static int
shown_now(const struct anomaly_ctx *ctx, const char *key)
{
	const struct anomaly_track *t = find_track(ctx->engine, ctx->rule, key);

	return t != NULL && t->f.severity != SEV_OK;
}

/*
 * Propose a finding for this poll. Proposals are made at or above the
 * clear level of a warning, and below it for a subject still shown, so
 * that a finding held by hysteresis quotes this poll's numbers; past the
 * per-rule cap they are dropped, so a rule proposes its worst subjects
 * first.
 */
struct finding *
anomaly_emit(struct anomaly_ctx *ctx, const char *key, enum severity raise,
    enum severity hold)
{
	struct proposals *out = ctx->out;
	struct finding *f;

	if (hold < raise)
		hold = raise;
	if ((hold == SEV_OK && !shown_now(ctx, key)) ||
	    ctx->emitted >= (size_t)ctx->cfg->max_findings)
		return NULL;
	if (out->n == out->cap) {
		out->cap = out->cap == 0 ? 8 : out->cap * 2;
		out->f = xreallocarray(out->f, out->cap, sizeof *out->f);
	}
	ctx->emitted++;
	f = &out->f[out->n++];
	memset(f, 0, sizeof *f);
	f->rule = ctx->rule;
	f->raise = raise;
	f->hold = hold;
	snprintf(f->key, sizeof f->key, "%s", key);
	return f;
}

/* The finding this subject had after the last poll, if any. */
const struct finding *
anomaly_previous(const struct anomaly_ctx *ctx, const char *key)
{
	const struct anomaly_track *t = find_track(ctx->engine, ctx->rule, key);

	return t != NULL ? &t->f : NULL;
}

static struct anomaly_track *
add_track(struct anomaly_engine *e, const struct finding *f)
{
	struct anomaly_track *t;

	if (e->ntracks == e->cap) {
		e->cap = e->cap == 0 ? 32 : e->cap * 2;
		e->tracks = xreallocarray(e->tracks, e->cap, sizeof *e->tracks);
	}
	t = &e->tracks[e->ntracks++];
	memset(t, 0, sizeof *t);
	t->f = *f;
	t->f.severity = SEV_OK;
	return t;
}

/*
 * Raise after N polls above, lower one level after M polls below. A
 * durable finding needs no confirmation: its evidence has lasted already.
 */
static void
step(struct anomaly_track *t, int raise_after, enum severity raise,
    enum severity hold, const struct anomaly_config *cfg)
{
	if (raise > t->f.severity) {
		t->down = 0;
		if (++t->up >= raise_after) {
			t->f.severity = raise;
			t->up = 0;
		}
	} else if (hold < t->f.severity) {
		t->up = 0;
		if (++t->down >= cfg->clear_after) {
			t->f.severity--;
			t->down = 0;
		}
	} else {
		t->up = 0;
		t->down = 0;
	}
}

/*
 * The order findings are shown in: severity first, then the rule's place in
 * the table, then the weight of the subject; the key makes it total.
 */
int
anomaly_compare_findings(const struct finding *a, const struct finding *b)
{
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	if (a->metric != b->metric)
		return a->metric > b->metric ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int
compare_shown(const void *pa, const void *pb)
{
	return anomaly_compare_findings(*(const struct finding *const *)pa,
	    *(const struct finding *const *)pb);
}

/*
 * A shown subject that no rule proposed this poll has nothing left to
 * show: its numbers would be those of an earlier poll (or run). It keeps
 * its words of cause and advice, but says it is no longer seen, without
 * evidence, until it clears.
 */
static void
no_longer_seen(struct anomaly_track *t)
{
	struct finding *f = &t->f;

	f->raise = f->hold = SEV_OK;
	f->nev = 0;
	memset(f->ev, 0, sizeof f->ev);
	memset(&f->text[FINDING_SUMMARY], 0, sizeof f->text[FINDING_SUMMARY]);
	anomaly_say(f, FINDING_SUMMARY, "no longer seen; clearing");
}

/* Apply this poll's proposals, forget settled subjects, sort the rest. */
static void
settle(struct anomaly_engine *e, const struct anomaly_config *cfg)
{
	struct anomaly_track *t;
	enum severity shown;
	size_t i, k;
	int at_once = e->at_once;

	e->at_once = 0;

	for (i = 0; i < e->ntracks; i++)
		e->tracks[i].touched = 0;
	for (i = 0; i < e->ncand; i++) {
		const struct finding *f = &e->cand[i];

		if ((t = find_track(e, f->rule, f->key)) == NULL)
			t = add_track(e, f);
		if (t->touched)
			continue;
		shown = t->f.severity;
		t->f = *f;
		t->f.severity = shown;
		t->touched = 1;
		step(t, at_once || f->durable || rules[f->rule].durable ? 1 :
		    cfg->raise_after, f->raise, f->hold, cfg);
	}
	for (i = k = 0; i < e->ntracks; i++) {
		t = &e->tracks[i];
		if (!t->touched) {
			if (t->f.severity != SEV_OK)
				no_longer_seen(t);
			step(t, cfg->raise_after, SEV_OK, SEV_OK, cfg);
		}
		if (t->f.severity != SEV_OK || t->up > 0)
			e->tracks[k++] = *t;
	}
	e->ntracks = k;
	free(e->shown);
	e->shown = xreallocarray(NULL, e->ntracks + 1, sizeof *e->shown);
	e->nshown = 0;
	for (i = 0; i < e->ntracks; i++)
		if (e->tracks[i].f.severity != SEV_OK)
			e->shown[e->nshown++] = &e->tracks[i].f;
	if (e->nshown > 1)	/* qsort(NULL, 0) is undefined */
		qsort(e->shown, e->nshown, sizeof *e->shown, compare_shown);
}

/* The rules of one poll, taken in turn by whichever thread is free. */
struct rule_pass {
	const struct anomaly_engine	*engine;
	const struct anomaly_config	*cfg;
	const struct anomaly_input	*in;
	int				 next;		/* atomic */
	struct proposals		 out[RULE_COUNT];
};

static void *
rule_worker(void *arg)
{
	struct rule_pass *p = arg;
	struct anomaly_ctx ctx;
	int r;

	while ((r = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED)) <
	    RULE_COUNT) {
		if (!p->cfg->enabled[r])
			continue;
		memset(&ctx, 0, sizeof ctx);
		ctx.in = p->in;
		ctx.cfg = p->cfg;
		ctx.engine = p->engine;
		ctx.rule = r;
		ctx.p = p->cfg->param[r];
		ctx.out = &p->out[r];
		rules[r].check(&ctx);
	}
	return NULL;
}

/*
 * Judge one poll. Each rule reads the poll and the findings shown, and
 * proposes into a list of its own; a large poll's rules run on this thread
 * and a helper (each rule passes over every socket, and on two cores half
 * of them hide under the other half). The proposals are taken in the
 * table's order, as one thread would have made them.
 */
void
anomaly_eval(struct anomaly_engine *e, const struct anomaly_config *cfg,
    const struct anomaly_input *in)
{
	struct rule_pass *p = xcalloc(1, sizeof *p);
	pthread_t helper;
	int r, helped = 0;

	p->engine = e;
	p->cfg = cfg;
	p->in = in;
	if (in->model->snap != NULL && in->model->snap->n >= e->parallel_from)
		helped = thread_start(&helper, rule_worker, p) == 0;
	rule_worker(p);
	if (helped)
		pthread_join(helper, NULL);
	e->ncand = 0;
	for (r = 0; r < RULE_COUNT; r++) {
		struct proposals *out = &p->out[r];

		if (e->ncand + out->n > e->cand_cap) {
			e->cand_cap = e->ncand + out->n + 32;
			e->cand = xreallocarray(e->cand, e->cand_cap,
			    sizeof *e->cand);
		}
		if (out->n > 0)
			memcpy(e->cand + e->ncand, out->f,
			    out->n * sizeof *out->f);
		e->ncand += out->n;
		free(out->f);
	}
	free(p);
	settle(e, cfg);
}

/*
 * The next evaluation shows what it sees, unconfirmed: a one-off report has
 * no later poll to confirm by, and says so by being one-off.
 */
void
anomaly_raise_at_once(struct anomaly_engine *e)
{
	e->at_once = 1;
}

/* Subjects seen above what is shown, waiting for a poll to confirm them. */
size_t
anomaly_pending(const struct anomaly_engine *e)
{
	size_t i, n = 0;

	for (i = 0; i < e->ntracks; i++)
		if (e->tracks[i].up > 0)
			n++;
	return n;
}

/* Shown at a level that this poll's evidence no longer raises. */
int
anomaly_clearing(const struct finding *f)
{
	return f->severity != SEV_OK && f->raise < f->severity;
}

enum severity
anomaly_worst(const struct anomaly_engine *e)
{
	return e->nshown > 0 ? e->shown[0]->severity : SEV_OK;
}

static int
texts_valid(const struct finding *f)
{
	int k;

	for (k = 0; k < FINDING_PARTS; k++)
		if (f->text[k].nargs < 0 || f->text[k].nargs > FINDING_ARGS)
			return 0;
	return 1;
}

static int
severity_valid(int sev)
{
	return sev >= SEV_OK && sev <= SEV_CRITICAL;
}

/* Polls in a row, as a state file may hold them: counted on, not wrapped. */
static int
count_valid(int polls)
{
	return polls >= 0 && polls <= 1000000000;
}

/* Take tracks saved by an earlier run (the state file). */
int
anomaly_restore(struct anomaly_engine *e, const struct anomaly_track *t,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (t[i].f.rule < 0 || t[i].f.rule >= RULE_COUNT ||
		    !severity_valid(t[i].f.severity) ||
		    !severity_valid(t[i].f.raise) ||
		    !severity_valid(t[i].f.hold) || t[i].f.nev < 0 ||
		    t[i].f.nev > EVIDENCE_MAX || !texts_valid(&t[i].f) ||
		    !count_valid(t[i].up) || !count_valid(t[i].down))
			return -1;
	}
	for (i = 0; i < n; i++) {
		struct anomaly_track *nt = add_track(e, &t[i].f);
		struct finding *f = &nt->f;
		int k;

		*nt = t[i];
		f->key[sizeof f->key - 1] = '\0';
		f->subject[sizeof f->subject - 1] = '\0';
		for (k = 0; k < FINDING_PARTS; k++) {
			f->text[k].fmt[FINDING_FMT - 1] = '\0';
			f->text[k].strs[FINDING_STRS - 1] = '\0';
		}
		for (k = 0; k < f->nev; k++) {
			f->ev[k].key[sizeof f->ev[k].key - 1] = '\0';
			f->ev[k].text[sizeof f->ev[k].text - 1] = '\0';
		}
	}
	return 0;
}

/*
 * Show these findings, in this order, instead of the engine's own (-N
 * all: every namespace's, whose engines own them).
 */
void
anomaly_show(struct anomaly_engine *e, const struct finding *const *f,
    size_t n)
{
	free(e->shown);
	e->shown = xreallocarray(NULL, n + 1, sizeof *e->shown);
	if (n > 0)
		memcpy(e->shown, f, n * sizeof *e->shown);
	e->nshown = n;
}
