/*
 * allns.c - watch every network namespace at once (-N all).
 *
 * Each namespace keeps its own source (a sock_diag socket made inside it:
 * a netlink socket belongs to the namespace it was created in) and its
 * own monitor, because what the rules judge is per namespace: the
 * counters of /proc/net and the limits of the net sysctls show the
 * namespace of the reader, so each poll enters the namespace, reads, and
 * returns to the original one. Cookies need no namespace in the key of
 * one monitor (before Linux 5.10 each namespace counted its own from 1).
 *
 * The polls are then merged for the sinks: one snapshot whose records
 * carry their namespace's index, one monitor with the ages of every
 * socket, the owners of all of them (one map: socket inodes are global),
 * the listeners grouped per namespace and the findings of every rule.
 * Namespaces are found again at each poll (with many processes, those only
 * processes hold are looked for in full every few polls: netns.c); one
 * that is gone is closed, so sockwatch does not keep it alive.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "allns.h"
#include "filter.h"
#include "group.h"
#include "log.h"
#include "nls.h"
#include "xmalloc.h"

#define ALLNS_MAX	UINT16_MAX	/* sock_rec.netns is 16 bits */

/*
 * Each namespace holds two descriptors (its nsfs file and a sock_diag
 * socket inside it) and a scan opens one more for each: past about 300
 * namespaces the usual soft limit of 1024 runs out. The hard limit is
 * ours to take: descriptors past 1024 are only these, never select()ed.
 */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

void
allns_open(struct allns *a, const struct source_options *so,
    const struct anomaly_config *cfg, int use_proc)
{
	char *cause = NULL;

	memset(a, 0, sizeof *a);
	raise_nofile();
	if ((a->self_fd = netns_open_self(&cause)) < 0)
		log_die(EXIT_FAILURE_JOB, "%s", cause);
	a->so = *so;
	a->so.netns = NULL;	/* entered here, around each source's calls */
	a->so.netns_name = NULL;
	a->so.record = a->so.replay = NULL;
	a->so.cpu_budget = 0;	/* no pacing: every socket at every poll */
	a->cfg = *cfg;
	a->use_proc = use_proc;
	a->want_info = so->want_info;	/* -i; the dashboard sets it per poll */
	monitor_init(&a->mon, cfg, use_proc);
	snapshot_init(&a->snap);
}

static void
wants_info(const struct snapshot *snap, size_t from, size_t n, uint8_t *want,
    void *mon)
{
	monitor_wants_info_of(mon, snap, from, n, want);
}

/* A namespace seen for the first time: its source is opened inside it. */
static struct allns_ns *
ns_create(struct allns *a, struct netns *id)
{
	struct source_options so = a->so;
	struct allns_ns *ns;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < a->nrefused; i++)
		if (a->refused[i] == id->inode)
			return NULL;
	if (netns_enter(id, &cause) < 0) {
		log_warn("%s", cause);	/* not ours to enter: said once */
		free(cause);
		a->refused = xreallocarray(a->refused, a->nrefused + 1,
		    sizeof *a->refused);
		a->refused[a->nrefused++] = id->inode;
		return NULL;
	}
	ns = xcalloc(1, sizeof *ns);
	monitor_init(&ns->mon, &a->cfg, a->use_proc);
	monitor_share_procs(&ns->mon, &a->mon);
	/* Stamped on its polls: the model starts over when it changes, and
	   a name may come or go while the namespace stays. */
	snprintf(ns->key, sizeof ns->key, "net:[%llu]",
	    (unsigned long long)id->inode);
	so.netns_name = ns->key;
	so.info_for = wants_info;
	so.info_arg = &ns->mon;
	source_open(&ns->src, &so);
	netns_return(a->self_fd);
	ns->id = *id;
	id->label = NULL;	/* taken */
	id->fd = -1;
	snapshot_init(&ns->snap);
	return ns;
}

static void
ns_free(struct allns_ns *ns)
{
	if (ns == NULL)
		return;
	source_close(&ns->src);
	snapshot_free(&ns->snap);
	monitor_free(&ns->mon);
	free(ns->id.label);
	close(ns->id.fd);
	free(ns);
}

/* A known namespace found again: keep its history, take the new facts. */
static struct allns_ns *
ns_take(struct allns *a, struct netns *id)
{
	struct allns_ns *ns;
	size_t i;

	for (i = 0; i < a->n; i++) {
		if ((ns = a->ns[i]) == NULL || ns->id.inode != id->inode)
			continue;
		a->ns[i] = NULL;
		ns->id.pid = id->pid;
		if (strcmp(ns->id.label, id->label) != 0) {
			free(ns->id.label);	/* named or unnamed since */
			ns->id.label = id->label;
			id->label = NULL;
		}
		ns->id.named = id->named;
		return ns;
	}
	return ns_create(a, id);
}

/* This poll's namespaces, in the scan's order; the vanished are closed. */
static void
rescan(struct allns *a)
{
	struct netns_list l;
	struct allns_ns **next;
	char *cause = NULL;
	size_t i, n = 0;

	memset(&l, 0, sizeof l);
	if (netns_scan(&l, &a->scan, "/proc", "/run/netns", &cause) < 0)
		log_die(EXIT_FAILURE_JOB, "%s", cause);
	if (l.n > ALLNS_MAX) {
		log_warn(_("%zu network namespaces: only the first %u are "
		    "watched"), l.n, (unsigned)ALLNS_MAX);
		for (i = ALLNS_MAX; i < l.n; i++) {
			free(l.v[i].label);
			close(l.v[i].fd);
		}
		l.n = ALLNS_MAX;
	}
	next = xreallocarray(NULL, l.n + 1, sizeof *next);
	for (i = 0; i < l.n; i++)
		if ((next[n] = ns_take(a, &l.v[i])) != NULL)
			n++;
	for (i = 0; i < a->n; i++)
		ns_free(a->ns[i]);
	free(a->ns);
	a->ns = next;
	a->n = n;
	netns_list_free(&l);
}

static int
ns_poll(struct allns *a, struct allns_ns *ns)
{
	struct source_ask ask = { a->want_info, 0, 0 };
	char *cause = NULL;

	if (netns_enter(&ns->id, &cause) < 0) {
		log_warn("%s", cause);
		free(cause);
		snapshot_clear(&ns->snap);
		return -1;
	}
	source_poll_ask(&ns->src, &ask, &ns->snap, &ns->counters);
	netns_return(a->self_fd);
	return 0;
}

/* Every namespace's sockets in one snapshot, each marked with its index. */
static void
merge_snapshots(struct allns *a, struct snapshot *m)
{
	size_t i, j;

	snapshot_clear(m);
	for (i = 0; i < a->n; i++)
		snapshot_want(m, a->ns[i]->snap.info != NULL,
		    a->ns[i]->snap.mem != NULL);
	for (i = 0; i < a->n; i++) {
		const struct snapshot *s = &a->ns[i]->snap;

		for (j = 0; j < s->n; j++)
			snapshot_append(m, s, j)->netns = (uint16_t)i;
	}
	if (a->n > 0) {
		m->when = a->ns[0]->snap.when;
		memcpy(m->host, a->ns[0]->snap.host, sizeof m->host);
		memcpy(m->boot_id, a->ns[0]->snap.boot_id, sizeof m->boot_id);
	} else
		clock_gettime(CLOCK_REALTIME, &m->when);
	snprintf(m->netns, sizeof m->netns, "all");
	m->bulk_every = 1;
	m->carried = 0;
}

struct ns_finding {
	const struct finding	*f;
	uint16_t		 ns;
};

/* As the engine orders its own; one subject in two namespaces by namespace. */
static int
compare_findings(const void *pa, const void *pb)
{
	const struct ns_finding *a = pa, *b = pb;
	int c = anomaly_compare_findings(a->f, b->f);

	if (c != 0 || a->ns == b->ns)
		return c;
	return a->ns < b->ns ? -1 : 1;
}

/*
 * Make a->mon the merged view of snap: every namespace's ages, and its
 * findings, each with the index of its namespace.
 */
static void
merge_monitors(struct allns *a, const struct snapshot *snap)
{
	const struct monitor **parts;
	const struct finding *const *part;
	const struct finding **shown;
	struct ns_finding *all;
	size_t i, j, m, n = 0;

	parts = xreallocarray(NULL, a->n + 1, sizeof *parts);
	for (i = 0; i < a->n; i++) {
		parts[i] = &a->ns[i]->mon;
		monitor_findings(&a->ns[i]->mon, &m);
		n += m;
	}
	all = xreallocarray(NULL, n + 1, sizeof *all);
	for (n = 0, i = 0; i < a->n; i++) {
		part = monitor_findings(&a->ns[i]->mon, &m);
		for (j = 0; j < m; j++) {
			all[n].f = part[j];
			all[n++].ns = (uint16_t)i;
		}
	}
	if (n > 1)
		qsort(all, n, sizeof *all, compare_findings);
	shown = xreallocarray(NULL, n + 1, sizeof *shown);
	a->finding_ns = xreallocarray(a->finding_ns, n + 1,
	    sizeof *a->finding_ns);
	for (i = 0; i < n; i++) {
		shown[i] = all[i].f;
		a->finding_ns[i] = all[i].ns;
	}
	monitor_merge(&a->mon, snap, parts, a->n, shown, n);
	free(shown);
	free(parts);
	free(all);
}

/* What the report shows of each namespace: counts of what it shows. */
static void
make_view(struct allns *a, const struct snapshot *snap)
{
	size_t i;

	a->counts = xreallocarray(a->counts, a->n + 1, sizeof *a->counts);
	memset(a->counts, 0, (a->n + 1) * sizeof *a->counts);
	a->ids = xreallocarray(a->ids, a->n + 1, sizeof *a->ids);
	for (i = 0; i < a->n; i++)
		a->ids[i] = a->ns[i]->id;
	for (i = 0; i < snap->n; i++) {
		const struct sock_rec *s = &snap->socks[i];

		a->counts[s->netns].states[s->state]++;
		a->counts[s->netns].total++;
	}
	a->view.nets = a->ids;
	a->view.n = a->n;
	a->view.counts = a->counts;
	a->view.finding_ns = a->finding_ns;
}

/*
 * One poll of every namespace into snap: each dumped inside its own, the
 * records merged and marked with their namespace's index.
 */
void
allns_collect(struct allns *a, struct snapshot *snap)
{
	size_t i;

	rescan(a);
	for (i = 0; i < a->n; i++)
		ns_poll(a, a->ns[i]);
	merge_snapshots(a, snap);
}

/*
 * Judge each namespace with its own monitor, then make a->mon the merged
 * view of snap (what allns_collect filled): owners, ages, findings,
 * listeners, counts per namespace. raise_now: a one-off report shows what
 * this poll sees (see run_batch).
 */
void
allns_judge(struct allns *a, const struct snapshot *snap, int raise_now)
{
	size_t i;

	if (a->use_proc)
		monitor_update_procs(&a->mon, snap);
	for (i = 0; i < a->n; i++) {
		struct monitor *mon = &a->ns[i]->mon;

		if (raise_now)
			monitor_raise_at_once(mon);
		monitor_update(mon, &a->ns[i]->snap, &a->ns[i]->counters);
	}
	merge_monitors(a, snap);
	make_view(a, snap);
}

/* A batch poll: collect, judge, then the filter's age and process terms. */
void
allns_poll(struct allns *a, const struct filter *f, int raise_now)
{
	char *cause = NULL;

	allns_collect(a, &a->snap);
	allns_judge(a, &a->snap, raise_now);
	if (f == NULL || filter_needs(f) == 0)
		return;
	if (monitor_select(&a->mon, &a->snap, f, &cause) < 0)
		log_die(EXIT_USAGE, "%s", cause);
	make_view(a, &a->snap);	/* counts of what is shown */
}

/* -p switched on or off (the dashboard's p key). */
void
allns_set_processes(struct allns *a, int on)
{
	size_t i;

	a->use_proc = on;
	monitor_use_procs(&a->mon, on);
	for (i = 0; i < a->n; i++)
		monitor_use_procs(&a->ns[i]->mon, on);
}

/* How many descriptors the process walk reads a poll (SIZE_MAX: all). */
void
allns_set_proc_budget(struct allns *a, size_t budget)
{
	monitor_set_proc_budget(&a->mon, budget);
}

/* The merged monitor, snapshot and view of the last poll (allns_poll's). */
const struct monitor *
allns_monitor(const struct allns *a)
{
	return &a->mon;
}

const struct snapshot *
allns_snapshot(const struct allns *a)
{
	return &a->snap;
}

const struct netns_view *
allns_view(const struct allns *a)
{
	return &a->view;
}

/* A merged record's socket, asked again of its namespace's kernel. */
static int
allns_lookup(void *arg, const struct sock_rec *s, struct snapshot *one)
{
	struct allns *a = arg;

	if (s->netns >= a->n)
		return -1;
	return source_lookup(&a->ns[s->netns]->src, s, one);
}

/* The dashboard's poll: collected here, judged by its driver. */
static int
allns_source_poll(void *arg, const struct source_ask *ask,
    struct snapshot *snap, struct counters *c)
{
	struct allns *a = arg;

	(void)c;		/* each namespace reads its own */
	a->want_info = ask->want_info;
	allns_collect(a, snap);
	return 1;
}

static void
allns_source_close(void *arg)
{
	allns_close(arg);
	free(arg);
}

static const struct source_ops allns_source_ops = {
	.name = "every namespace",
	.poll = allns_source_poll,
	.lookup = allns_lookup,
	.close = allns_source_close,
};

/* Every namespace as one source; the allns is the entry's, freed with it. */
struct allns *
allns_entry_open(struct source_entry *e, const struct source_options *so,
    const struct anomaly_config *cfg, int use_proc)
{
	struct allns *a = xmalloc(sizeof *a);

	allns_open(a, so, cfg, use_proc);
	e->ops = &allns_source_ops;
	e->data = a;
	return a;
}

void
allns_close(struct allns *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		ns_free(a->ns[i]);
	free(a->ns);
	free(a->ids);
	free(a->counts);
	free(a->finding_ns);
	free(a->refused);
	netns_memory_free(&a->scan);
	snapshot_free(&a->snap);
	monitor_free(&a->mon);
	close(a->self_fd);
}
