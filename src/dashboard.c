/*
 * dashboard.c - the dashboard's driver and its core. The driver takes
 * each poll from the source (the kernel, a recording or every namespace,
 * behind source.h's source_ops) and judges it with the monitor before the
 * view sees it; the core lends the view ages and transitions from the
 * model, owners from the process map, findings from the rules, and kill.
 *
 * The dashboard reads these through callbacks so that tui_view.c stays
 * ignorant of how they are made. A recording taken again from an earlier
 * poll rewinds the source and restarts the monitor (dashboard_rewind):
 * history cannot run in reverse, so tui.c feeds it the polls before the
 * one shown again (negative ages are never invented, no poll is counted
 * twice). Sockets on screen are looked up again (dashboard_lookup) before
 * a frame is drawn, never while.
 *
 * The netlink socket for destroying is opened at the first kill, not at
 * start: most dashboards never kill, and a user without CAP_NET_ADMIN
 * should learn that when they try, with the reason.
 *
 * With -N all the monitors are allns.c's, one per namespace and a merged
 * one that these callbacks read; kill is not offered (kill.c's netlink
 * socket reaches only the namespace it was made in).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "allns.h"
#include "batch.h"
#include "dashboard.h"
#include "filter.h"
#include "kill.h"
#include "log.h"
#include "monitor.h"
#include "nls.h"
#include "options.h"
#include "resolve.h"
#include "source.h"
#include "tui.h"
#include "xmalloc.h"

/* The dashboard's process walk yields after this many descriptors a poll. */
#define DASHBOARD_PROC_BUDGET	200000

/* A finding's words in the user's language, rendered once a poll. */
struct dashboard_words {
	char		 summary[512];
	char		 cause[512];
	char		 advice[1024];
};

struct dashboard {
	struct tui_core	 core;
	struct resolve_async	*names;		/* -r */
	struct anomaly_config	 cfg;
	struct monitor		 mon;
	int			 processes;
	struct counters		 counters;	/* read with the last poll */
	struct tui_finding	*findings;
	struct dashboard_words	*words;		/* what findings point to */
	size_t			 nfindings;
	char			(*subjects)[256];	/* -N all: with netns */
	struct kill		*kill;
	struct source_entry	 src;
	struct allns		*all;		/* -N all (src's), or NULL */
	struct snapshot		 one;		/* a lookup's answer */
};

/* The monitor the callbacks read: ours, or the merged one of -N all. */
static const struct monitor *
mon_of(struct dashboard *d)
{
	return d->all != NULL ? allns_monitor(d->all) : &d->mon;
}

static void
monitor_start(struct dashboard *d)
{
	monitor_init(&d->mon, &d->cfg, d->processes);
	monitor_set_proc_budget(&d->mon, DASHBOARD_PROC_BUDGET);
}

/* -N all: "pid 812 (nginx) (netns blue)" as the panel's subject. */
static const char *
subject_of(struct dashboard *d, size_t i, const struct finding *f)
{
	const struct netns_view *v;

	if (d->all == NULL)
		return f->subject;
	v = allns_view(d->all);
	snprintf(d->subjects[i], sizeof d->subjects[i], "%s (netns %s)",
	    f->subject, v->nets[v->finding_ns[i]].label);
	return d->subjects[i];
}

static void
collect_findings(struct dashboard *d)
{
	const struct anomaly_engine *e = &mon_of(d)->engine;
	size_t i;

	free(d->findings);
	free(d->words);
	d->findings = xcalloc(e->nshown + 1, sizeof *d->findings);
	d->words = xcalloc(e->nshown + 1, sizeof *d->words);
	free(d->subjects);
	d->subjects = d->all != NULL ?
	    xcalloc(e->nshown + 1, sizeof *d->subjects) : NULL;
	for (i = 0; i < e->nshown; i++) {
		const struct finding *f = e->shown[i];
		struct tui_finding *t = &d->findings[i];
		struct dashboard_words *w = &d->words[i];

		t->rule = anomaly_rule_id(f->rule);
		t->severity = f->severity == SEV_CRITICAL ? TUI_SEV_CRITICAL :
		    TUI_SEV_WARNING;
		t->clearing = anomaly_clearing(f);
		t->subject = subject_of(d, i, f);
		anomaly_text(w->summary, sizeof w->summary, f, FINDING_SUMMARY,
		    anomaly_gettext);
		anomaly_text(w->cause, sizeof w->cause, f, FINDING_CAUSE,
		    anomaly_gettext);
		anomaly_text(w->advice, sizeof w->advice, f, FINDING_ADVICE,
		    anomaly_gettext);
		t->summary = w->summary;
		t->cause = w->cause;
		t->advice = w->advice;
	}
	d->nfindings = e->nshown;
}

/*
 * The driver: the next poll from the source, judged by the monitor (or,
 * -N all, by each namespace's), its findings in the user's words.
 */
static int
dashboard_poll(void *arg, const struct tui_ask *ask, struct snapshot *snap)
{
	struct dashboard *d = arg;
	struct source_ask sa;

	sa.want_info = ask->want_info;
	sa.want_all = ask->want_all;
	sa.interval = ask->interval;
	if (!d->src.ops->poll(d->src.data, &sa, snap, &d->counters))
		return 0;
	if (d->all != NULL)
		allns_judge(d->all, snap, 0);
	else
		monitor_update(&d->mon, snap, &d->counters);
	collect_findings(d);
	return 1;
}

/*
 * A recording taken again from its start: what the model and the rules
 * remember must go, or they would count its polls twice.
 */
static void
dashboard_rewind(void *arg)
{
	struct dashboard *d = arg;

	d->src.ops->rewind(d->src.data);
	monitor_free(&d->mon);
	monitor_start(d);
	d->nfindings = 0;
}

/* One socket on the dashboard's screen, as the kernel has it now. */
static int
dashboard_lookup(void *arg, const struct sock_rec *s, struct sock_rec *now,
    struct sock_info *info)
{
	struct dashboard *d = arg;

	if (d->src.ops->lookup(d->src.data, s, &d->one) < 0)
		return -1;
	*now = d->one.socks[0];
	if (now->flags & SOCK_HAS_INFO)
		*info = d->one.info[0];
	return 0;
}

/* The model's figures belong to the snapshot it was last given. */
static const struct model_sock *
model_sock(struct dashboard *d, const struct snapshot *snap, size_t i)
{
	const struct model *m = &mon_of(d)->model;

	if (m->snap != snap || m->socks == NULL || i >= snap->n)
		return NULL;
	return &m->socks[i];
}

/* The model groups every poll it is given: the view borrows them. */
static const struct groups *
dashboard_groups(void *arg, const struct snapshot *snap)
{
	const struct model *m = &mon_of(arg)->model;

	return m->snap == snap && m->polls > 0 ? &m->groups : NULL;
}

static double
dashboard_age(void *arg, const struct snapshot *snap, size_t i, int *known)
{
	const struct model_sock *ms = model_sock(arg, snap, i);

	*known = ms != NULL && (ms->flags & MODEL_AGE_KNOWN);
	return ms != NULL ? ms->age_s : -1;
}

static double
dashboard_state_age(void *arg, const struct snapshot *snap, size_t i,
    int *known)
{
	const struct model_sock *ms = model_sock(arg, snap, i);

	*known = ms != NULL && (ms->flags & MODEL_STATE_KNOWN);
	return ms != NULL ? ms->state_age_s : -1;
}

static const char *
dashboard_process(void *arg, const struct snapshot *snap, size_t i, int *pid)
{
	struct dashboard *d = arg;
	const struct proc_owner *o;
	const struct proc_map *map = monitor_procs(mon_of(d));

	*pid = 0;
	if (map == NULL || i >= snap->n || snap->socks[i].inode == 0 ||
	    (o = proc_lookup(map, snap->socks[i].inode)) == NULL)
		return NULL;
	*pid = (int)o->pid;
	return o->name;
}

static void
dashboard_set_processes(void *arg, int on)
{
	struct dashboard *d = arg;

	d->processes = on;
	monitor_use_procs(&d->mon, on);
	if (d->all != NULL)
		allns_set_processes(d->all, on);
}

static const char *
dashboard_netns(void *arg, const struct snapshot *snap, size_t i)
{
	struct dashboard *d = arg;
	const struct netns_view *v = allns_view(d->all);

	if (i >= snap->n || snap->socks[i].netns >= v->n)
		return NULL;
	return v->nets[snap->socks[i].netns].label;
}

static const struct tui_finding *
dashboard_findings(void *arg, size_t *n)
{
	struct dashboard *d = arg;

	*n = d->nfindings;
	return d->findings;
}

/* Why the first failure failed, with what to do about it. */
static void
explain_failure(char **cause, enum kill_outcome outcome, char *why)
{
	const char *advice = kill_outcome_advice(outcome);

	if (*cause != NULL)
		return;
	if (advice != NULL && *advice != '\0')
		xasprintf(cause, "%s: %s", why != NULL ? why :
		    kill_outcome_name(outcome), advice);
	else
		*cause = xstrdup(why != NULL ? why : kill_outcome_name(outcome));
}

static int
dashboard_kill(void *arg, const struct snapshot *snap, const uint32_t *idx,
    size_t n, char **cause)
{
	struct dashboard *d = arg;
	enum kill_outcome outcome;
	char *why;
	size_t i;
	int gone = 0;

	*cause = NULL;
	if (d->kill == NULL && (d->kill = kill_open(cause)) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		why = NULL;
		outcome = kill_destroy(d->kill, &snap->socks[idx[i]], &why);
		if (kill_gone(outcome))
			gone++;
		else
			explain_failure(cause, outcome, why);
		free(why);
	}
	return gone;
}

static struct dashboard *
dashboard_create(const struct anomaly_config *cfg, int processes,
    int readonly, int live)
{
	struct dashboard *d = xcalloc(1, sizeof *d);

	d->cfg = *cfg;
	d->processes = processes;
	monitor_start(d);
	counters_init(&d->counters);
	snapshot_init(&d->one);
	d->core.arg = d;
	d->core.groups = dashboard_groups;
	d->core.age = dashboard_age;
	d->core.state_age = dashboard_state_age;
	if (live) {	/* a recording holds no processes */
		d->core.process = dashboard_process;
		d->core.set_processes = dashboard_set_processes;
	}
	d->core.findings = dashboard_findings;
	if (!readonly)
		d->core.kill = dashboard_kill;
	return d;
}

/* The sockets whose tcp_info the rules read (see monitor_wants_info). */
static void
dashboard_wants_info(const struct snapshot *snap, size_t from, size_t n,
    uint8_t *want, void *arg)
{
	struct dashboard *d = arg;

	monitor_wants_info_of(&d->mon, snap, from, n, want);
}

/*
 * The source: the kernel or a recording, or -N all's every namespace,
 * each polled in full (no --cpu-budget: pacing is per source and its
 * carry is of one namespace), without kill (kill.c's netlink socket
 * reaches only the namespace it was made in).
 */
static void
dashboard_open(struct dashboard *d, const struct options *opt,
    const struct source_options *so)
{
	struct source_options mine = *so;

	if (opt->all_netns) {
		mine.cpu_budget = 0;
		d->all = allns_entry_open(&d->src, &mine, &d->cfg,
		    opt->processes);
		allns_set_proc_budget(d->all, DASHBOARD_PROC_BUDGET);
		d->core.netns = dashboard_netns;
		d->core.kill = NULL;
		return;
	}
	mine.info_for = dashboard_wants_info;
	mine.info_arg = d;
	source_entry_open(&d->src, &mine);
}

static const char *
dashboard_peer_name(void *arg, const struct snapshot *snap, size_t i)
{
	struct dashboard *d = arg;
	const struct sock_rec *s = &snap->socks[i];

	return resolve_async_peer(d->names, s->family, s->dst);
}

/* -r: peer names, looked up by a thread of their own. */
static void
dashboard_resolve(struct dashboard *d)
{
	if ((d->names = resolve_async_create()) != NULL)
		d->core.peer_name = dashboard_peer_name;
}

static void
dashboard_free(struct dashboard *d)
{
	if (d == NULL)
		return;
	resolve_async_free(d->names);
	source_entry_close(&d->src);	/* -N all's monitors with it */
	monitor_free(&d->mon);
	snapshot_free(&d->one);
	free(d->findings);
	free(d->words);
	free(d->subjects);
	kill_close(d->kill);
	free(d);
}

/*
 * Whether the source applies any of a filter that needs ages or processes
 * (the view applies the rest): its states always, its ports and addresses
 * as the kernel's bytecode, which a recording never sees.
 */
static int
filter_part_applies(const struct options *opt)
{
	const uint32_t all = TS_ALL_MASK & ~TS_BIT(TS_NEW_SYN_RECV);
	void *bytecode;
	size_t len;

	if (filter_states(opt->filter) != all)
		return 1;
	if (opt->replay != NULL || opt->no_bytecode)
		return 0;
	filter_compile(opt->filter, &bytecode, &len);
	free(bytecode);
	return len > 0;
}

/* What the source reads, for the table's title; the filter the view's. */
static void
dashboard_watching(struct tui_config *cfg, const struct options *opt)
{
	if (opt->families == DIAG_FAMILY_V4)
		cfg->watch_family = AF_INET;
	else if (opt->families == DIAG_FAMILY_V6)
		cfg->watch_family = AF_INET6;
	cfg->watch_states = opt->states_asked;
	if (filter_needs(opt->filter) == 0) {
		cfg->source_filter = opt->filter_text;
		return;
	}
	cfg->filter_text = opt->filter_text;
	if (filter_part_applies(opt)) {
		cfg->source_filter = opt->filter_text;
		cfg->source_filter_part = 1;
	}
}

/* The dashboard on the terminal, until q; its exit status. */
int
dashboard_run(const struct options *opt, const struct anomaly_config *acfg,
    const struct source_options *so)
{
	struct dashboard *d;
	struct tui_config cfg;
	int status;

	d = dashboard_create(acfg, opt->processes, opt->readonly,
	    opt->replay == NULL);
	dashboard_open(d, opt, so);
	/* After -N NAME is entered: names from its resolver, as in reports. */
	if (opt->show & BATCH_SHOW_NAMES)
		dashboard_resolve(d);
	memset(&cfg, 0, sizeof cfg);
	cfg.readonly = opt->readonly;
	cfg.processes = opt->processes;
	dashboard_watching(&cfg, opt);
	cfg.core = &d->core;
	cfg.interval = opt->interval;
	cfg.color = tui_color_wanted(opt->no_color);
	cfg.poll = dashboard_poll;
	if (d->src.ops->rewind != NULL)
		cfg.rewind = dashboard_rewind;
	if (d->src.ops->lookup != NULL)
		cfg.lookup = dashboard_lookup;
	cfg.poll_arg = d;
	if (d->src.ops->polls != NULL &&
	    (cfg.npolls = d->src.ops->polls(d->src.data)) == 0)
		log_die(EXIT_USAGE, _("%s holds no complete poll: record one "
		    "with --record FILE --count N"), opt->replay);
	status = tui_run(&cfg);
	dashboard_free(d);
	return status;
}
