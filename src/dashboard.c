/*
 * dashboard.c - the dashboard's extras: ages and transitions from the
 * model, owners from the process map, findings from the rules, and kill.
 *
 * The dashboard reads these through callbacks so that tui_view.c stays
 * ignorant of how they are made. A recording taken again from an earlier
 * poll restarts the monitor (dashboard_restart): history cannot run in
 * reverse, so tui.c feeds it the polls before the one shown again
 * (negative ages are never invented, no poll is counted twice).
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

#include "allns.h"
#include "dashboard.h"
#include "kill.h"
#include "monitor.h"
#include "nls.h"
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
	struct tui_extras	 extras;
	struct anomaly_config	 cfg;
	struct monitor		 mon;
	int			 processes;
	struct counters		 counters;	/* read with the last poll */
	struct tui_finding	*findings;
	struct dashboard_words	*words;		/* what findings point to */
	size_t			 nfindings;
	char			(*subjects)[256];	/* -N all: with netns */
	struct kill		*kill;
	struct allns		*all;		/* -N all, or NULL */
};

/* The monitor the callbacks read: ours, or the merged one of -N all. */
static struct monitor *
mon_of(struct dashboard *d)
{
	return d->all != NULL ? &d->all->mon : &d->mon;
}

static void
monitor_start(struct dashboard *d)
{
	monitor_init(&d->mon, &d->cfg, d->processes);
	d->mon.proc.budget = DASHBOARD_PROC_BUDGET;
}

/* -N all: "pid 812 (nginx) (netns blue)" as the panel's subject. */
static const char *
subject_of(struct dashboard *d, size_t i, const struct finding *f)
{
	const struct netns_view *v;

	if (d->all == NULL)
		return f->subject;
	v = &d->all->view;
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

static void
dashboard_update(void *arg, const struct snapshot *snap)
{
	struct dashboard *d = arg;

	if (d->all != NULL) {
		allns_judge(d->all, snap, 0);
		collect_findings(d);
		return;
	}
	monitor_update(&d->mon, snap, &d->counters);
	collect_findings(d);
}

/*
 * A recording taken again from an earlier poll (or the same one): what the
 * model and the rules remember must go, or they would count it twice.
 */
void
dashboard_restart(struct dashboard *d)
{
	if (d->all != NULL)
		return;		/* -N all is live only */
	monitor_free(&d->mon);
	monitor_start(d);
	d->nfindings = 0;
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
	d->mon.use_proc = on;
	if (d->all != NULL)
		allns_set_processes(d->all, on);
}

static const char *
dashboard_netns(void *arg, const struct snapshot *snap, size_t i)
{
	struct dashboard *d = arg;
	const struct netns_view *v = &d->all->view;

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

struct dashboard *
dashboard_create(const struct anomaly_config *cfg, int processes,
    int readonly, int live)
{
	struct dashboard *d = xcalloc(1, sizeof *d);

	d->cfg = *cfg;
	d->processes = processes;
	monitor_start(d);
	counters_init(&d->counters);
	d->extras.arg = d;
	d->extras.update = dashboard_update;
	d->extras.age = dashboard_age;
	d->extras.state_age = dashboard_state_age;
	if (live) {	/* a recording holds no processes */
		d->extras.process = dashboard_process;
		d->extras.set_processes = dashboard_set_processes;
	}
	d->extras.findings = dashboard_findings;
	if (!readonly)
		d->extras.kill = dashboard_kill;
	return d;
}

/* -N all: every namespace's monitors instead of ours; no kill. */
void
dashboard_watch_all(struct dashboard *d, struct allns *all)
{
	d->all = all;
	all->mon.proc.budget = DASHBOARD_PROC_BUDGET;
	d->extras.netns = dashboard_netns;
	d->extras.kill = NULL;
}

/* The sockets whose tcp_info the rules read (see monitor_wants_info). */
int
dashboard_wants_info(const struct sock_rec *s, void *arg)
{
	struct dashboard *d = arg;

	return monitor_wants_info(&d->mon, s);
}

const struct tui_extras *
dashboard_extras(struct dashboard *d)
{
	return &d->extras;
}

struct counters *
dashboard_counters(struct dashboard *d)
{
	return &d->counters;
}

void
dashboard_free(struct dashboard *d)
{
	if (d == NULL)
		return;
	monitor_free(&d->mon);
	free(d->findings);
	free(d->words);
	free(d->subjects);
	kill_close(d->kill);
	free(d);
}
