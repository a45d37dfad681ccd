/*
 * monitor.c - run the core over one poll.
 *
 * Counter readings are kept for about a minute, because some rules judge a
 * share over a minute (retransmits) while others want the change since
 * the last poll.
 */
#include "config.h"

#include <stdlib.h>

#include <string.h>
#include <time.h>

#include "log.h"
#include "filter.h"
#include "group.h"
#include "monitor.h"
#include "xmalloc.h"
#include "nls.h"

#define WANT_AHEAD	8	/* sockets looked up ahead */

void
monitor_init(struct monitor *mon, const struct anomaly_config *cfg,
    int use_proc)
{
	memset(mon, 0, sizeof *mon);
	mon->cfg = *cfg;
	model_init(&mon->model);
	proc_init(&mon->proc, NULL);
	mon->use_proc = use_proc;
	anomaly_init(&mon->engine);
}

void
monitor_free(struct monitor *mon)
{
	if (mon == NULL)
		return;
	model_free(&mon->model);
	free(mon->want);
	proc_free(&mon->proc);
	anomaly_free(&mon->engine);
}

/* The owners of snap's sockets, into the monitor's own map. */
void
monitor_update_procs(struct monitor *mon, const struct snapshot *snap)
{
	proc_update(&mon->proc, snap);
	if (mon->proc.hidden > 0 && mon->proc.scans > 0 && !mon->hidden_told) {
		log_warn(_("cannot read the descriptors of %u processes of other "
		    "users: their sockets show no process; run as root to see "
		    "them"), mon->proc.hidden);
		mon->hidden_told = 1;
	}
}

/* The map of owners the rules and filters read; NULL without -p. */
const struct proc_map *
monitor_procs(const struct monitor *mon)
{
	if (!mon->use_proc)
		return NULL;
	return mon->shared_proc != NULL ? mon->shared_proc : &mon->proc;
}

const struct counters *
monitor_counters(const struct monitor *mon)
{
	return mon->nreadings > 0 ? &mon->readings[mon->nreadings - 1] : NULL;
}

static double
wall_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);	/* the clock of snap->when */
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
seconds_of(const struct counters *c)
{
	return (double)c->when.tv_sec + c->when.tv_nsec / 1e9;
}

/* Append a reading; find the last one and the one about a minute old. */
static void
take_counters(struct monitor *mon, const struct counters *c)
{
	const struct counters *prev = NULL, *old = NULL;
	double now = seconds_of(c);
	size_t i;

	if (mon->nreadings > 0 && seconds_of(&mon->readings[mon->nreadings - 1]) >=
	    now)
		mon->nreadings = 0;	/* time went back: start over */
	if (mon->nreadings == MONITOR_READINGS) {
		memmove(mon->readings, mon->readings + 1,
		    (MONITOR_READINGS - 1) * sizeof *mon->readings);
		mon->nreadings--;
	}
	if (mon->nreadings > 0) {
		prev = &mon->readings[mon->nreadings - 1];
		old = &mon->readings[0];
		for (i = mon->nreadings; i-- > 0;)
			if (now - seconds_of(&mon->readings[i]) >= MONITOR_LONG_S) {
				old = &mon->readings[i];
				break;
			}
	}
	counters_rates(prev, c, &mon->rates);
	counters_rates(old, c, &mon->rates_long);
	mon->readings[mon->nreadings++] = *c;
}

/*
 * One poll: snap and the counters read with it. The snapshot must stay
 * valid until the next update, because the model and findings refer to it.
 */
void
monitor_update(struct monitor *mon, const struct snapshot *snap,
    const struct counters *c)
{
	struct anomaly_input in;
	struct counters copy = *c;

	if (copy.when.tv_sec == 0)
		copy.when = snap->when;
	take_counters(mon, &copy);
	model_update(&mon->model, snap);
	if (mon->use_proc && mon->shared_proc == NULL)
		monitor_update_procs(mon, snap);
	memset(&in, 0, sizeof in);
	in.model = &mon->model;
	in.proc = monitor_procs(mon);
	in.counters = monitor_counters(mon);
	in.rates = &mon->rates;
	in.rates_long = &mon->rates_long;
	anomaly_eval(&mon->engine, &mon->cfg, &in);
}

/*
 * Whether this socket's tcp_info is needed: asking the kernel for it on
 * every socket doubles the cost of a dump (issue measured: 100k sockets,
 * 9 % of a core without, 17 % with). Each rule names the sockets it reads
 * it for (anomaly.c's table); the model also reads it once for a
 * connection it cannot tell began since the last poll: its last send,
 * receive and ACK bound its age.
 */
static int
wants_info_at(const struct monitor *mon, const struct sock_rec *s, int is_new,
    double now)
{
	/* A request socket (no shutdown attribute) has no tcp_info to get. */
	if (s->state == TS_SYN_RECV && !(s->flags & SOCK_HAS_SHUT))
		return 0;
	if (anomaly_wants_info(&mon->cfg, s, is_new))
		return 1;
	return is_new && model_wants_info(&mon->model, s, now);
}

int
monitor_wants_info(const struct monitor *mon, const struct sock_rec *s)
{
	return wants_info_at(mon, s,
	    model_find(&mon->model, s->cookie) == NULL, wall_clock());
}

/*
 * The same for socks [from, from + n) of snap, into want[]
 * (diag_want_info). A socket tracked as the dump was read says whether
 * it is new; for the others the model's table is searched, far larger
 * than the cache at a million sockets, so the entries of the sockets
 * WANT_AHEAD further on are asked for early.
 */
void
monitor_wants_info_of(const struct monitor *mon, const struct snapshot *snap,
    size_t from, size_t n, uint8_t *want)
{
	const struct model *m = &mon->model;
	double now = wall_clock();
	size_t i, end = from + n;
	int is_new;

	for (i = from; i < end; i++) {
		const struct sock_rec *s = &snap->socks[i];

		if (model_tracked(m, snap, i)) {
			want[i - from] = mon->want[i];
			continue;
		}
		if (i + WANT_AHEAD < end)
			model_prefetch(m, snap->socks[i + WANT_AHEAD].cookie);
		is_new = model_find(m, s->cookie) == NULL;
		want[i - from] = (uint8_t)wants_info_at(mon, s, is_new, now);
	}
}

/*
 * A dump's sockets parsed so far (diag_parsed): the model tracks them
 * while the kernel fills the rest, and whether each needs its tcp_info is
 * decided with them, while the records are in the cache. The time of the
 * poll stands for now: whether its births were seen is the model's
 * answer too. monitor_update ends the poll.
 */
void
monitor_track_parsed(struct monitor *mon, const struct snapshot *snap,
    size_t from)
{
	struct model *m = &mon->model;
	size_t i, done = m->tracking && m->snap == snap ? m->tracked : 0;

	if (from < done)
		done = from;		/* a restarted dump */
	model_track_parsed(m, snap, from);
	if (m->tracked > mon->want_cap) {
		mon->want_cap = m->socks_cap;	/* the room of the snapshot */
		mon->want = xreallocarray(mon->want, mon->want_cap, 1);
	}
	for (i = done; i < m->tracked; i++)
		mon->want[i] = (uint8_t)wants_info_at(mon, &snap->socks[i],
		    (m->socks[i].flags & MODEL_NEW) != 0, m->now);
}

/* What the filter's age and process terms read, for one snapshot. */
struct select_ctx {
	const struct monitor	*mon;
	const struct snapshot	*snap;
	struct filter_proc	 proc;
	uint8_t			*keep;		/* the filter's verdict per socket */
};

static void
select_ages(void *arg, const struct sock_rec *s, struct filter_age *age,
    struct filter_age *state_age)
{
	const struct select_ctx *c = arg;
	const struct model_sock *ms = &c->mon->model.socks[s - c->snap->socks];

	age->s = ms->age_s;
	age->known = (ms->flags & MODEL_AGE_KNOWN) != 0;
	state_age->s = ms->state_age_s;
	state_age->known = (ms->flags & MODEL_STATE_KNOWN) != 0;
}

/* The process holding s as a filter's process and pid terms see it: 1 or 0. */
size_t
monitor_filter_proc(const struct monitor *mon, const struct sock_rec *s,
    struct filter_proc *p)
{
	const struct proc_owner *o;

	if (monitor_procs(mon) == NULL || s->inode == 0 ||
	    (o = proc_lookup(monitor_procs(mon), s->inode)) == NULL)
		return 0;
	p->pid = (int32_t)o->pid;
	p->name = o->name;
	return 1;
}

static size_t
select_procs(void *arg, const struct sock_rec *s, const struct filter_proc **out)
{
	struct select_ctx *c = arg;

	*out = &c->proc;
	return monitor_filter_proc(c->mon, s, &c->proc);
}

/*
 * Keep the sockets the filter accepts, judged with the model's ages and
 * the process map of this poll (so after monitor_update); the model's
 * figures of each socket move with it. The rules have already judged the
 * whole poll: a filter chooses what is shown, not what is wrong.
 */
static int
keep_chosen(const struct sock_rec *s, void *arg)
{
	const struct select_ctx *c = arg;

	return c->keep[s - c->snap->socks];
}

int
monitor_select(struct monitor *mon, struct snapshot *snap,
    const struct filter *f, char **cause)
{
	struct select_ctx ctx = { mon, snap, { 0, NULL }, NULL };
	struct filter_facts ex = { select_ages, select_procs, &ctx };
	size_t i, n = 0;
	int ret;

	mon->undecided = 0;
	if (filter_is_empty(f))
		return 0;
	ctx.keep = xmalloc(snap->n + 1);
	for (i = 0; i < snap->n; i++) {
		if ((ret = filter_match(f, &snap->socks[i], &ex, cause)) < 0) {
			free(ctx.keep);
			return -1;
		}
		if (ret == FILTER_UNKNOWN)
			mon->undecided++;
		if ((ctx.keep[i] = ret == 1))
			mon->model.socks[n++] = mon->model.socks[i];
	}
	snapshot_select(snap, keep_chosen, &ctx);
	free(ctx.keep);
	/* Counts and listeners describe what is shown, as with any filter. */
	group_free(&mon->model.groups);
	group_build(&mon->model.groups, snap);
	return 0;
}


/* How many descriptors the process walk reads a poll (SIZE_MAX: all). */
void
monitor_set_proc_budget(struct monitor *mon, size_t budget)
{
	mon->proc.budget = budget;
}

/* The p key: attribute sockets to processes, or stop. */
void
monitor_use_procs(struct monitor *mon, int on)
{
	mon->use_proc = on;
}

/* -N all: part reads the owners that whole brings up to date. */
void
monitor_share_procs(struct monitor *part, struct monitor *whole)
{
	part->shared_proc = &whole->proc;
}

/*
 * -N all: make mon the merged view of snap, which holds the polls of
 * parts in their order: their ages, these findings (theirs), snap's
 * groups.
 */
void
monitor_merge(struct monitor *mon, const struct snapshot *snap,
    const struct monitor *const *parts, size_t n,
    const struct finding *const *shown, size_t nshown)
{
	const struct model **models;
	size_t i;

	models = xreallocarray(NULL, n + 1, sizeof *models);
	for (i = 0; i < n; i++)
		models[i] = &parts[i]->model;
	model_merge(&mon->model, snap, models, n);
	free(models);
	anomaly_show(&mon->engine, shown, nshown);
}

/* The model's record of the snapshot's socket idx (ages, transitions). */
const struct model_sock *
monitor_sock(const struct monitor *mon, size_t idx)
{
	return &mon->model.socks[idx];
}

const struct groups *
monitor_groups(const struct monitor *mon)
{
	return &mon->model.groups;
}

/* The findings shown, worst first. */
const struct finding *const *
monitor_findings(const struct monitor *mon, size_t *n)
{
	*n = mon->engine.nshown;
	return mon->engine.shown;
}

enum severity
monitor_worst(const struct monitor *mon)
{
	return anomaly_worst(&mon->engine);
}

/* Conditions seen but not yet confirmed: a batch run polls again. */
size_t
monitor_pending(const struct monitor *mon)
{
	return anomaly_pending(&mon->engine);
}

/* The next poll raises what it finds: a run has no later poll to wait for. */
void
monitor_raise_at_once(struct monitor *mon)
{
	anomaly_raise_at_once(&mon->engine);
}
