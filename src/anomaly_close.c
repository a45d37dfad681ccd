/*
 * anomaly_close.c - rules about connections that do not finish closing:
 * close-wait, fin-wait2 and orphans.
 *
 * CLOSE_WAIT means the peer closed and our process has not: only the
 * process can end it, so the rule names the process. FIN_WAIT2 with a
 * file and no timer waits for a peer that never sends its FIN. Orphans are
 * sockets their process closed that the kernel still finishes, bounded by
 * tcp_max_orphans.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anomaly_rules.h"
#include "format.h"
#include "xmalloc.h"

enum { CW_MIN_AGE, CW_WARN_COUNT, CW_WARN_AGE, CW_CRIT_COUNT, CW_CRIT_RISING };

const struct rule_param anomaly_close_wait_params[] = {
	[CW_MIN_AGE] = { "min_age_s", 60,
	    "CLOSE_WAIT younger than this is not counted" },
	[CW_WARN_COUNT] = { "warning_count", 10,
	    "connections of one process for a warning" },
	[CW_WARN_AGE] = { "warning_age_s", 300,
	    "any connection older than this is a warning" },
	[CW_CRIT_COUNT] = { "critical_count", 100,
	    "connections of one process for critical" },
	[CW_CRIT_RISING] = { "critical_rising_s", 600,
	    "still rising after this long is critical" },
	{ NULL, 0, NULL },
};

enum { FW_WARN_COUNT, FW_WARN_AGE, FW_AGE_FACTOR };

const struct rule_param anomaly_fin_wait2_params[] = {
	[FW_WARN_COUNT] = { "warning_count", 10,
	    "connections of one process for a warning" },
	[FW_WARN_AGE] = { "warning_age_s", 600,
	    "any connection older than this is a warning" },
	[FW_AGE_FACTOR] = { "age_factor", 2,
	    "counted when older than this many tcp_fin_timeout" },
	{ NULL, 0, NULL },
};

enum { OR_WARN_SHARE, OR_CRIT_SHARE, OR_STUCK_RETRANS };

const struct rule_param anomaly_orphans_params[] = {
	[OR_WARN_SHARE] = { "warning_share", 0.25,
	    "orphans as a share of tcp_max_orphans for a warning" },
	[OR_CRIT_SHARE] = { "critical_share", 0.5,
	    "the same share for critical" },
	[OR_STUCK_RETRANS] = { "stuck_retrans", 3,
	    "an orphan retransmitting this often is stuck" },
	{ NULL, 0, NULL },
};

/* A run of sockets of one owner in a sorted keyed array. */
struct owner_run {
	size_t		 start;
	size_t		 n;
	double		 oldest;
	size_t		 oldest_idx;
	int		 oldest_known;	/* not only a lower bound */
	uint64_t	 unread;	/* Recv-Q > 1: data never read */
};

static int
compare_runs(const void *pa, const void *pb)
{
	const struct owner_run *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return a->oldest > b->oldest ? -1 : a->oldest < b->oldest;
}

/* Split sorted k into runs per owner, largest first. */
static struct owner_run *
owner_runs(const struct anomaly_ctx *ctx, const struct keyed *k, size_t n,
    size_t *nruns)
{
	const struct model *m = ctx->in->model;
	struct owner_run *runs = xreallocarray(NULL, n + 1, sizeof *runs), *r;
	size_t i;
	double age;

	*nruns = 0;
	for (i = 0; i < n; i++) {
		if (i == 0 || k[i].key != k[i - 1].key) {
			r = &runs[(*nruns)++];
			memset(r, 0, sizeof *r);
			r->start = i;
			r->oldest = -1;
		}
		r = &runs[*nruns - 1];
		r->n++;
		age = m->socks[k[i].idx].state_age_s;
		if (age > r->oldest) {
			r->oldest = age;
			r->oldest_idx = k[i].idx;
			r->oldest_known = (m->socks[k[i].idx].flags &
			    MODEL_STATE_KNOWN) != 0;
		}
		if (m->snap->socks[k[i].idx].rqueue > 1)
			r->unread++;
	}
	if (*nruns > 1)	/* qsort(NULL, 0) is undefined */
		qsort(runs, *nruns, sizeof *runs, compare_runs);
	return runs;
}

static void
run_peers(const struct anomaly_ctx *ctx, const struct keyed *k,
    const struct owner_run *r, struct finding *f)
{
	const struct snapshot *snap = ctx->in->model->snap;
	struct prefix_tally t;
	struct prefix_stats st;
	size_t i;

	prefix_tally_init(&t);
	for (i = r->start; i < r->start + r->n; i++) {
		const struct sock_rec *s = &snap->socks[k[i].idx];

		prefix_tally_add(&t, prefix_of(s->family, s->dst));
	}
	prefix_tally_stats(&t, &st);
	anomaly_ev_prefixes(f, "peers", &st);
	prefix_tally_free(&t);
}

/*
 * The process that holds most sockets of a run, as evidence: the key is
 * the user the kernel shows, the process is added when -p knows it. buf
 * gets its name, or the subject when no process is known.
 */
#define RUN_PIDS	8

static void
run_process(const struct anomaly_ctx *ctx, const struct keyed *k,
    const struct owner_run *r, struct finding *f, char *buf, size_t size)
{
	const struct snapshot *snap = ctx->in->model->snap;
	int32_t pid[RUN_PIDS], p;
	size_t count[RUN_PIDS], first[RUN_PIDS], i, j, n = 0, best = 0;

	for (i = r->start; i < r->start + r->n; i++) {
		if ((p = anomaly_holder(ctx, &snap->socks[k[i].idx], NULL,
		    0)) == 0)
			continue;
		for (j = 0; j < n && pid[j] != p; j++)
			;
		if (j == n && n == RUN_PIDS)
			continue;
		if (j == n) {
			pid[n] = p;
			count[n] = 0;
			first[n++] = k[i].idx;
		}
		if (++count[j] > count[best])
			best = j;
	}
	snprintf(buf, size, "%s", f->subject);
	if (n == 0)
		return;
	f->pid = anomaly_holder(ctx, &snap->socks[first[best]], buf, size);
	anomaly_ev_text(f, "process", buf);
	if (n > 1)
		anomaly_ev_num(f, "processes", (double)n, 0);
}

/* Sockets in state with a file, older than min_age, by owner. */
static struct keyed *
collect(const struct anomaly_ctx *ctx, int state, int need_no_timer,
    double min_age, size_t *n)
{
	const struct model *m = ctx->in->model;
	struct keyed *k = NULL;
	size_t i, cap = 0;
	int32_t pid;

	*n = 0;
	for (i = 0; i < m->snap->n; i++) {
		const struct sock_rec *s = &m->snap->socks[i];

		if (s->state != state || s->inode == 0 ||
		    (need_no_timer && s->timer != TIMER_NONE) ||
		    m->socks[i].state_age_s < min_age)
			continue;
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			k = xreallocarray(k, cap, sizeof *k);
		}
		anomaly_owner(ctx, s, &k[*n].key, NULL, 0, &pid);
		k[(*n)++].idx = (uint32_t)i;
	}
	anomaly_sort_keyed(k, *n);
	return k;
}

/*
 * How long the oldest socket of a run has been in its state: known, or
 * (sockwatch did not see it enter the state) at least this long.
 */
static void
run_oldest_evidence(struct finding *f, const struct owner_run *r)
{
	if (r->oldest_known)
		anomaly_ev_num(f, "oldest_s", r->oldest, 0);
	anomaly_ev_num(f, "oldest_at_least_s", r->oldest, 0);
}

static void
close_wait_words(struct finding *f, const struct owner_run *r,
    const char *holder)
{
	char age[DURATION_STRLEN];

	format_duration(age, sizeof age, r->oldest);
	if (r->oldest_known)
		anomaly_nsay(f, FINDING_SUMMARY, r->n,
		    /* TRANSLATORS: %s is a duration as sockwatch prints it:
		       5m12s. */
		    "%zu connection in CLOSE_WAIT for up to %s",
		    "%zu connections in CLOSE_WAIT for up to %s", r->n, age);
	else
		anomaly_nsay(f, FINDING_SUMMARY, r->n,
		    /* TRANSLATORS: %s is a duration as sockwatch prints it:
		       5m12s; the time is a lower bound. */
		    "%zu connection in CLOSE_WAIT for at least %s",
		    "%zu connections in CLOSE_WAIT, the oldest for at least %s",
		    r->n, age);
	if (r->unread * 2 > r->n)
		anomaly_say(f, FINDING_CAUSE, "the peer closed; the process "
		    "stopped reading (Recv-Q holds unread data) and has not "
		    "called close()");
	else
		anomaly_say(f, FINDING_CAUSE, "the peer closed; the process "
		    "has not called close()");
	/* TRANSLATORS: %s is who holds the sockets: "pid 812 (nginx)" or
	   "uid 33". */
	anomaly_say(f, FINDING_ADVICE, "find where %s loses connections "
	    "without close() (an error path, a leaked descriptor); restarting "
	    "it frees them, killing the sockets frees the connections but not "
	    "its descriptors", holder);
}

static void
close_wait_run(struct anomaly_ctx *ctx, const struct keyed *k,
    const struct owner_run *r)
{
	const struct model *m = ctx->in->model;
	const struct sock_rec *s = &m->snap->socks[k[r->start].idx];
	enum severity raise = SEV_OK, hold = SEV_OK;
	const struct finding *prev;
	struct finding *f;
	char subject[96], holder[EVIDENCE_TEXT];
	uint64_t okey;
	int32_t pid;

	anomaly_owner(ctx, s, &okey, subject, sizeof subject, &pid);
	anomaly_level(ctx, (double)r->n, ctx->p[CW_WARN_COUNT],
	    ctx->p[CW_CRIT_COUNT], &raise, &hold);
	anomaly_level(ctx, r->oldest, ctx->p[CW_WARN_AGE], 0, &raise, &hold);
	prev = anomaly_previous(ctx, subject);
	if (prev != NULL && (double)r->n > prev->metric &&
	    r->oldest >= ctx->p[CW_CRIT_RISING])
		raise = hold = SEV_CRITICAL;
	if ((f = anomaly_emit(ctx, subject, raise, hold)) == NULL)
		return;
	f->metric = (double)r->n;
	snprintf(f->subject, sizeof f->subject, "%s", subject);
	run_process(ctx, k, r, f, holder, sizeof holder);
	close_wait_words(f, r, holder);
	anomaly_ev_num(f, "count", (double)r->n, 0);
	run_oldest_evidence(f, r);
	anomaly_ev_num(f, "not_reading", (double)r->unread, 0);
	anomaly_ev_num(f, "never_closed", (double)(r->n - r->unread), 0);
	if (f->pid != 0)
		anomaly_ev_num(f, "pid", f->pid, 0);
	anomaly_ev_socket(f, "oldest", &m->snap->socks[r->oldest_idx]);
	run_peers(ctx, k, r, f);
}

/*
 * A CLOSE_WAIT socket with a file, new to the model: its tcp_info's last
 * ACK bounds how long it has been in the state. Once tracked, the model
 * keeps that age.
 */
int
anomaly_wants_close_wait(const struct sock_rec *s, int is_new)
{
	return s->state == TS_CLOSE_WAIT && s->inode != 0 &&
	    is_new;
}

void
anomaly_check_close_wait(struct anomaly_ctx *ctx)
{
	struct owner_run *runs;
	struct keyed *k;
	size_t n, nruns, i;

	k = collect(ctx, TS_CLOSE_WAIT, 0, ctx->p[CW_MIN_AGE], &n);
	runs = owner_runs(ctx, k, n, &nruns);
	for (i = 0; i < nruns; i++)
		close_wait_run(ctx, k, &runs[i]);
	free(runs);
	free(k);
}

static void
fin_wait2_run(struct anomaly_ctx *ctx, const struct keyed *k,
    const struct owner_run *r)
{
	const struct model *m = ctx->in->model;
	const struct sock_rec *s = &m->snap->socks[k[r->start].idx];
	enum severity raise = SEV_OK, hold = SEV_OK;
	char subject[96], holder[EVIDENCE_TEXT], age[DURATION_STRLEN];
	struct finding *f;
	uint64_t okey;
	int32_t pid;

	anomaly_owner(ctx, s, &okey, subject, sizeof subject, &pid);
	anomaly_level(ctx, (double)r->n, ctx->p[FW_WARN_COUNT], 0, &raise,
	    &hold);
	anomaly_level(ctx, r->oldest, ctx->p[FW_WARN_AGE], 0, &raise, &hold);
	if ((f = anomaly_emit(ctx, subject, raise, hold)) == NULL)
		return;
	f->metric = (double)r->n;
	snprintf(f->subject, sizeof f->subject, "%s", subject);
	run_process(ctx, k, r, f, holder, sizeof holder);
	format_duration(age, sizeof age, r->oldest);
	if (r->oldest_known)
		anomaly_nsay(f, FINDING_SUMMARY, r->n,
		    /* TRANSLATORS: %s is a duration as sockwatch prints it:
		       5m12s. */
		    "%zu connection in FIN_WAIT2 for up to %s",
		    "%zu connections in FIN_WAIT2 for up to %s", r->n, age);
	else
		anomaly_nsay(f, FINDING_SUMMARY, r->n,
		    /* TRANSLATORS: %s is a duration as sockwatch prints it:
		       5m12s; the time is a lower bound. */
		    "%zu connection in FIN_WAIT2 for at least %s",
		    "%zu connections in FIN_WAIT2, the oldest for at least %s",
		    r->n, age);
	/* TRANSLATORS: %s is who holds the sockets: "pid 812 (nginx)" or
	   "uid 33". */
	anomaly_say(f, FINDING_CAUSE, "%s shut down its side; the peer never "
	    "sent its FIN, and a socket with a file has no timeout", holder);
	anomaly_say(f, FINDING_ADVICE, "close() the sockets after shutdown() "
	    "with a timeout of your own; find why the peers do not close");
	anomaly_ev_num(f, "count", (double)r->n, 0);
	run_oldest_evidence(f, r);
	if (f->pid != 0)
		anomaly_ev_num(f, "pid", f->pid, 0);
	anomaly_ev_socket(f, "oldest", &m->snap->socks[r->oldest_idx]);
	run_peers(ctx, k, r, f);
}

/* As for CLOSE_WAIT: the ACK of our FIN bounds the time in FIN_WAIT2. */
int
anomaly_wants_fin_wait2(const struct sock_rec *s, int is_new)
{
	return s->state == TS_FIN_WAIT2 && s->inode != 0 &&
	    is_new;
}

void
anomaly_check_fin_wait2(struct anomaly_ctx *ctx)
{
	struct owner_run *runs;
	struct keyed *k;
	size_t n, nruns, i;
	double min_age = ctx->p[FW_AGE_FACTOR] *
	    anomaly_sysctl(ctx, SYS_FIN_TIMEOUT, 60);

	k = collect(ctx, TS_FIN_WAIT2, 1, min_age, &n);
	runs = owner_runs(ctx, k, n, &nruns);
	for (i = 0; i < nruns; i++)
		fin_wait2_run(ctx, k, &runs[i]);
	free(runs);
	free(k);
}

/* Orphans in each state, and those stuck retransmitting or probing. */
struct orphan_count {
	uint64_t		 by_state[TS_MAX + 1];
	uint64_t		 stuck;
	struct prefix_tally	 peers;
};

static void
count_orphans(const struct anomaly_ctx *ctx, struct orphan_count *oc)
{
	const struct snapshot *snap = ctx->in->model->snap;
	size_t i;

	memset(oc, 0, sizeof *oc);
	prefix_tally_init(&oc->peers);
	for (i = 0; i < snap->n; i++) {
		const struct sock_rec *s = &snap->socks[i];

		if (s->inode != 0 || (s->state != TS_FIN_WAIT1 &&
		    s->state != TS_CLOSING && s->state != TS_LAST_ACK &&
		    !(s->state == TS_FIN_WAIT2 && s->timer != TIMER_TIME_WAIT)))
			continue;
		oc->by_state[s->state]++;
		prefix_tally_add(&oc->peers, prefix_of(s->family, s->dst));
		if (s->state != TS_FIN_WAIT2 &&
		    ((double)s->retrans >= ctx->p[OR_STUCK_RETRANS] ||
		    s->timer == TIMER_PROBE))
			oc->stuck++;
	}
}

static void
orphans_evidence(struct finding *f, const struct orphan_count *oc,
    double here, double system, double max)
{
	struct prefix_stats st;

	anomaly_ev_num(f, "orphans", here, 0);
	if (system >= 0)
		anomaly_ev_num(f, "system_orphans", system, 0);
	if (max > 0) {
		anomaly_ev_num(f, "tcp_max_orphans", max, 0);
		anomaly_ev_num(f, "share", system / max, 4);
	}
	anomaly_ev_num(f, "fin_wait1", (double)oc->by_state[TS_FIN_WAIT1], 0);
	anomaly_ev_num(f, "fin_wait2", (double)oc->by_state[TS_FIN_WAIT2], 0);
	anomaly_ev_num(f, "closing", (double)oc->by_state[TS_CLOSING], 0);
	anomaly_ev_num(f, "last_ack", (double)oc->by_state[TS_LAST_ACK], 0);
	anomaly_ev_num(f, "stuck", (double)oc->stuck, 0);
	prefix_tally_stats(&oc->peers, &st);
	anomaly_ev_prefixes(f, "peers", &st);
}

static void
orphans_words(struct finding *f, const struct orphan_count *oc,
    double here, double system, double max)
{
	if (max > 0 && system >= 0)
		anomaly_nsay(f, FINDING_SUMMARY, (unsigned long)system,
		    "%.0f orphaned socket (%.1f%% of tcp_max_orphans), "
		    "%llu stuck retransmitting",
		    "%.0f orphaned sockets (%.1f%% of tcp_max_orphans), "
		    "%llu stuck retransmitting", system, system / max * 100,
		    (unsigned long long)oc->stuck);
	else
		anomaly_nsay(f, FINDING_SUMMARY, (unsigned long)here,
		    "%.0f orphaned socket, %llu stuck retransmitting",
		    "%.0f orphaned sockets, %llu stuck retransmitting", here,
		    (unsigned long long)oc->stuck);
	anomaly_say(f, FINDING_CAUSE, "processes closed connections whose "
	    "peers do not acknowledge the end; past tcp_max_orphans the kernel "
	    "resets them");
	anomaly_say(f, FINDING_ADVICE, "look at the peers below (unreachable "
	    "or not reading); lower tcp_orphan_retries to end them sooner; "
	    "raise tcp_max_orphans only with memory to spare");
}

/*
 * The orphan count of /proc/net/sockstat and tcp_max_orphans are for the
 * whole host (the sysctl is not even visible inside another network
 * namespace), so the share is judged only where both are known; the
 * sockets listed are those of the namespace watched.
 */
void
anomaly_check_orphans(struct anomaly_ctx *ctx)
{
	const struct counters *c = ctx->in->counters;
	const struct counter_rates *r = ctx->in->rates;
	enum severity raise = SEV_OK, hold = SEV_OK;
	struct orphan_count oc;
	struct finding *f;
	double here, system, max, share = 0;

	count_orphans(ctx, &oc);
	here = (double)ctx->in->model->groups.orphans;
	system = c != NULL && COUNTER_KNOWN(c, CTR_ORPHANS) ?
	    (double)c->v[CTR_ORPHANS] : -1;
	max = anomaly_sysctl(ctx, SYS_MAX_ORPHANS, 0);
	if (max > 0 && system >= 0) {
		share = system / max;
		anomaly_level(ctx, share, ctx->p[OR_WARN_SHARE],
		    ctx->p[OR_CRIT_SHARE], &raise, &hold);
	}
	if (oc.stuck > 0)
		anomaly_level(ctx, 1, 1, 0, &raise, &hold);
	if (r != NULL && r->delta[CTR_ABORT_ON_MEMORY] > 0)
		anomaly_level(ctx, 1, 1, 1, &raise, &hold);
	if ((f = anomaly_emit(ctx, "system", raise, hold)) != NULL) {
		f->metric = system >= 0 ? system : here;
		snprintf(f->subject, sizeof f->subject, "system");
		orphans_words(f, &oc, here, system, max);
		orphans_evidence(f, &oc, here, system, max);
		if (r != NULL)
			anomaly_ev_num(f, "abort_on_memory", (double)
			    r->delta[CTR_ABORT_ON_MEMORY], 0);
	}
	prefix_tally_free(&oc.peers);
}
